#define _GNU_SOURCE
#include "CSightlineSupport.h"

#include <dlfcn.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/resource.h>

static atomic_int bypass_enabled = 0;
static atomic_long bypassed = 0;
static atomic_int reached = 0;

typedef void *(*create_transform_fn)(void *, unsigned int, void *, unsigned int,
                                     unsigned int, unsigned int);

/* Same ABI as lcms2's cmsCreateTransform(cmsHPROFILE, cmsUInt32Number,
   cmsHPROFILE, cmsUInt32Number, cmsUInt32Number, cmsUInt32Number). */
void *cmsCreateTransform(void *input, unsigned int inputFormat, void *output,
                         unsigned int outputFormat, unsigned int intent,
                         unsigned int flags) {
    atomic_store(&reached, 1);
    if (atomic_load(&bypass_enabled)) {
        atomic_fetch_add(&bypassed, 1);
        return NULL;
    }
    static create_transform_fn real = NULL;
    if (real == NULL) {
        real = (create_transform_fn)dlsym(RTLD_NEXT, "cmsCreateTransform");
    }
    if (real == NULL) {
        return NULL;
    }
    return real(input, inputFormat, output, outputFormat, intent, flags);
}

void sightline_lcms_set_bypass(int enabled) { atomic_store(&bypass_enabled, enabled ? 1 : 0); }

int sightline_lcms_bypass_enabled(void) { return atomic_load(&bypass_enabled); }

long sightline_lcms_bypassed_count(void) { return atomic_load(&bypassed); }

int sightline_lcms_interposed(void) { return atomic_load(&reached); }

int sightline_limit_address_space(unsigned long long bytes) {
    struct rlimit limit;
    limit.rlim_cur = (rlim_t)bytes;
    limit.rlim_max = (rlim_t)bytes;
    return setrlimit(RLIMIT_AS, &limit);
}
