#ifndef SIGHTLINE_SUPPORT_H
#define SIGHTLINE_SUPPORT_H

/*
 * Colour-management bypass for text extraction.
 *
 * poppler builds a liblcms2 colour transform for every ICC-based colour space
 * it meets while interpreting a page, even when it only collects text. On
 * council PDFs exported from Word this dominates extraction time (the tone
 * curve inversion inside cmsCreateTransform), and the result is never used:
 * text extraction does not look at colours.
 *
 * This target defines `cmsCreateTransform` itself. The executables export the
 * symbol (see Package.swift), so the dynamic linker binds libpoppler's call to
 * this definition instead of liblcms2's. While the bypass is on, it returns
 * NULL, which poppler already handles as "no ICC transform available" by
 * falling back to the colour space's alternate; while it is off, it forwards to
 * the real liblcms2 function found with dlsym(RTLD_NEXT). Nothing else in the
 * process is changed. A test extracts the sample PDFs with the bypass on and
 * off and requires identical text.
 */

/// Turns the bypass on (1) or off (0). Off by default.
void sightline_lcms_set_bypass(int enabled);

/// 1 while the bypass is on.
int sightline_lcms_bypass_enabled(void);

/// How many transforms the bypass declined to build (for tests and diagnostics).
long sightline_lcms_bypassed_count(void);

/// 1 when libpoppler's calls reach this definition (the symbol is exported
/// and interposed), 0 when they go straight to liblcms2.
int sightline_lcms_interposed(void);

/// Limits this process's address space to `bytes` (RLIMIT_AS). Returns 0 on success.
int sightline_limit_address_space(unsigned long long bytes);

/// Asks the kernel to start writing a file's dirty pages to disk now,
/// without waiting for them (Linux sync_file_range with
/// SYNC_FILE_RANGE_WRITE), so that the fsync that ends the file has little
/// left to wait for. Returns 0 on success; failure costs only that wait.
int sightline_start_writeback(int descriptor);

#endif
