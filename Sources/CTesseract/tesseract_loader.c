// Tesseract through its C API, opened with dlopen (see CTesseract.h).
#include "CTesseract.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>

// Each pointer has the type of Tesseract's own declaration.
#define SIGHTLINE_TESS_FUNCTIONS(X) \
    X(TessVersion) \
    X(TessDeleteText) \
    X(TessBaseAPICreate) \
    X(TessBaseAPIDelete) \
    X(TessBaseAPIInit3) \
    X(TessBaseAPISetVariable) \
    X(TessBaseAPISetPageSegMode) \
    X(TessBaseAPISetImage) \
    X(TessBaseAPISetSourceResolution) \
    X(TessBaseAPIRecognize) \
    X(TessBaseAPIGetIterator) \
    X(TessBaseAPIClear) \
    X(TessBaseAPIEnd) \
    X(TessResultIteratorDelete) \
    X(TessResultIteratorNext) \
    X(TessResultIteratorGetUTF8Text) \
    X(TessResultIteratorConfidence) \
    X(TessResultIteratorWordFontAttributes) \
    X(TessResultIteratorGetPageIteratorConst) \
    X(TessPageIteratorBoundingBox) \
    X(TessPageIteratorIsAtBeginningOf)

#define SIGHTLINE_DECLARE(name) static __typeof__(&name) p_##name;
SIGHTLINE_TESS_FUNCTIONS(SIGHTLINE_DECLARE)

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded = 0;
static char load_error[512];

static void load_library(void) {
    // The worker's environment holds OMP_THREAD_LIMIT=1 (see WorkerProcess),
    // read by libgomp, which libtesseract links, when it is loaded here.
    const char *names[] = {"libtesseract.so.5", "libtesseract.so.4", "libtesseract.so"};
    void *library = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && library == NULL; i++) {
        library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (library == NULL) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "the Tesseract library (libtesseract.so.5) cannot be loaded: %s",
                 why ? why : "not found");
        return;
    }
#define SIGHTLINE_RESOLVE(name) \
    p_##name = (__typeof__(&name))dlsym(library, #name); \
    if (p_##name == NULL) { \
        snprintf(load_error, sizeof load_error, "the Tesseract library lacks %s (too old a version?)", #name); \
        return; \
    }
    SIGHTLINE_TESS_FUNCTIONS(SIGHTLINE_RESOLVE)
    loaded = 1;
}

int sightline_ocr_load(char *reason, size_t reason_size) {
    pthread_once(&load_once, load_library);
    if (!loaded && reason != NULL && reason_size > 0) snprintf(reason, reason_size, "%s", load_error);
    return loaded;
}

const char *sightline_ocr_version(void) {
    if (!sightline_ocr_load(NULL, 0)) return NULL;
    return p_TessVersion();
}

void *sightline_ocr_open(const char *language, char *reason, size_t reason_size) {
    if (!sightline_ocr_load(reason, reason_size)) return NULL;
    TessBaseAPI *api = p_TessBaseAPICreate();
    if (api == NULL) {
        snprintf(reason, reason_size, "Tesseract could not create an engine");
        return NULL;
    }
    // NULL: the data path Tesseract was built with, or TESSDATA_PREFIX.
    if (p_TessBaseAPIInit3(api, NULL, language) != 0) {
        p_TessBaseAPIDelete(api);
        snprintf(reason, reason_size,
                 "Tesseract has no language data for '%s' (install tesseract-ocr-%s, or set TESSDATA_PREFIX)",
                 language, language);
        return NULL;
    }
    p_TessBaseAPISetPageSegMode(api, PSM_AUTO);
    // Tesseract's notices ("Estimating resolution", "Empty page") are not for our users.
    p_TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    // Lines read with low confidence are not tried again as white on black:
    // that second reading cost a sixth of the time on scanned reports, whose
    // text is dark on light (a banner in white on a dark band may be lost).
    p_TessBaseAPISetVariable(api, "tessedit_do_invert", "0");
    return api;
}

void sightline_ocr_close(void *engine) {
    if (engine == NULL) return;
    p_TessBaseAPIEnd(engine);
    p_TessBaseAPIDelete(engine);
}

void sightline_ocr_free_words(sightline_ocr_word *words, int count) {
    if (words == NULL) return;
    for (int i = 0; i < count; i++) free(words[i].text);
    free(words);
}

int sightline_ocr_read_rgb24(
    void *engine, const unsigned char *pixels, int width, int height, int stride, int ppi,
    sightline_ocr_word **out) {
    *out = NULL;
    TessBaseAPI *api = engine;
    // Grey, one byte a pixel: a quarter of the memory Tesseract would copy from RGBA.
    unsigned char *grey = malloc((size_t)width * (size_t)height);
    if (grey == NULL) return -1;
    for (int y = 0; y < height; y++) {
        const unsigned char *row = pixels + (size_t)y * (size_t)stride;
        unsigned char *target = grey + (size_t)y * (size_t)width;
        for (int x = 0; x < width; x++) {
            unsigned int pixel;
            memcpy(&pixel, row + (size_t)x * 4, 4);
            unsigned int r = (pixel >> 16) & 0xFF, g = (pixel >> 8) & 0xFF, b = pixel & 0xFF;
            target[x] = (unsigned char)((r * 77 + g * 150 + b * 29) >> 8);
        }
    }
    p_TessBaseAPISetImage(api, grey, width, height, 1, width);
    p_TessBaseAPISetSourceResolution(api, ppi);
    int status = p_TessBaseAPIRecognize(api, NULL);
    if (status != 0) {
        p_TessBaseAPIClear(api);
        free(grey);
        return -1;
    }
    int capacity = 256, count = 0;
    sightline_ocr_word *words = malloc(sizeof *words * (size_t)capacity);
    TessResultIterator *iterator = p_TessBaseAPIGetIterator(api);
    int failed = words == NULL;
    if (iterator != NULL && !failed) {
        do {
            char *text = p_TessResultIteratorGetUTF8Text(iterator, RIL_WORD);
            if (text == NULL) continue;
            if (count == capacity) {
                capacity *= 2;
                sightline_ocr_word *grown = realloc(words, sizeof *words * (size_t)capacity);
                if (grown == NULL) {
                    p_TessDeleteText(text);
                    failed = 1;
                    break;
                }
                words = grown;
            }
            sightline_ocr_word *word = &words[count];
            memset(word, 0, sizeof *word);
            word->text = strdup(text);
            p_TessDeleteText(text);
            if (word->text == NULL) {
                failed = 1;
                break;
            }
            count++;
            const TessPageIterator *page = p_TessResultIteratorGetPageIteratorConst(iterator);
            p_TessPageIteratorBoundingBox(page, RIL_WORD, &word->left, &word->top, &word->right, &word->bottom);
            word->confidence = p_TessResultIteratorConfidence(iterator, RIL_WORD);
            word->starts_line = p_TessPageIteratorIsAtBeginningOf(page, RIL_TEXTLINE) ? 1 : 0;
            BOOL bold, italic, underlined, monospace, serif, smallcaps;
            int size = 0, font = 0;
            // The point size comes from the text line's height even when no font is known.
            p_TessResultIteratorWordFontAttributes(
                iterator, &bold, &italic, &underlined, &monospace, &serif, &smallcaps, &size, &font);
            word->point_size = size;
        } while (p_TessResultIteratorNext(iterator, RIL_WORD));
    }
    if (iterator != NULL) p_TessResultIteratorDelete(iterator);
    p_TessBaseAPIClear(api);
    free(grey);
    if (failed) {
        sightline_ocr_free_words(words, count);
        return -1;
    }
    *out = words;
    return count;
}
