#ifndef SIGHTLINE_CTESSERACT_H
#define SIGHTLINE_CTESSERACT_H

#include <stddef.h>

/*
 * Tesseract OCR, loaded at run time.
 *
 * libtesseract is opened with dlopen the first time OCR is wanted, not linked:
 * Sightline starts, and reads every PDF with a text layer, on a machine without
 * Tesseract; only scanned pages need it, and without it they get the clear
 * `no_text_layer` error or `needs_ocr` warning they always had. The build needs
 * libtesseract-dev for the header (so every function pointer is checked
 * against Tesseract's own declarations); running needs libtesseract5 and the
 * language data (tesseract-ocr-eng), both installed by scripts/setup.
 *
 * Everything Tesseract stays in this target: Swift sees an engine handle and
 * plain word records.
 */

/// One recognised word: its UTF-8 text, its box in pixels (origin top left),
/// Tesseract's confidence (0-100), the point size Tesseract estimates from its
/// text line (0 when unknown), and whether it starts a new text line.
typedef struct sightline_ocr_word {
    char *text;
    int left;
    int top;
    int right;
    int bottom;
    float confidence;
    int point_size;
    int starts_line;
} sightline_ocr_word;

/// Opens libtesseract (once per process). Returns 1 when it is usable; else 0
/// with the reason written to `reason`.
int sightline_ocr_load(char *reason, size_t reason_size);

/// Tesseract's version, e.g. "5.3.0"; NULL when the library cannot be loaded.
const char *sightline_ocr_version(void);

/// A Tesseract engine for `language` (e.g. "eng"), or NULL with the reason
/// written to `reason` (the library or the language data is missing).
void *sightline_ocr_open(const char *language, char *reason, size_t reason_size);

/// Frees an engine from sightline_ocr_open.
void sightline_ocr_close(void *engine);

/// Recognises an image in cairo's RGB24 layout (32 bits a pixel, native
/// endian, x-R-G-B) rendered at `ppi`. Returns the number of words, written to
/// a new array in `*words` (free it with sightline_ocr_free_words), or -1 when
/// Tesseract failed (for want of memory, mostly).
int sightline_ocr_read_rgb24(
    void *engine, const unsigned char *pixels, int width, int height, int stride, int ppi,
    sightline_ocr_word **words);

/// Frees the words of one page.
void sightline_ocr_free_words(sightline_ocr_word *words, int count);

#endif
