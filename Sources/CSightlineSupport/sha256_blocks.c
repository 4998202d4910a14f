// SHA-256 blocks with the processor's SHA instructions (x86-64 SHA
// extensions), for the hashing that names every document: see
// CSightlineSupport.h. The message schedule and rounds follow FIPS 180-4;
// the instructions do two rounds, or one step of the schedule, each.

#include "CSightlineSupport.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))

#include <cpuid.h>
#include <immintrin.h>

int sightline_sha256_blocks_available(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    const int sha = (b >> 29) & 1;
    return ssse3 && sse41 && sha;
}

static const unsigned int round_constants[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

__attribute__((target("sha,sse4.1,ssse3")))
void sightline_sha256_blocks(unsigned int state[8], const unsigned char *data, long blocks) {
    // The instructions keep the working variables as (A, B, E, F) and
    // (C, D, G, H), highest lane first; `state` holds A…H in order.
    const __m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);
    const __m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);
    const __m128i cdab = _mm_shuffle_epi32(abcd, 0xB1);
    const __m128i hgfe_lanes = _mm_shuffle_epi32(efgh, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, hgfe_lanes, 8);
    __m128i cdgh = _mm_blend_epi16(hgfe_lanes, cdab, 0xF0);
    // Message words are big-endian: reverse the bytes of each 32-bit lane.
    const __m128i big_endian = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);

    for (; blocks > 0; blocks--, data += 64) {
        const __m128i abef_before = abef, cdgh_before = cdgh;
        // w[i % 4] holds message words 4i … 4i + 3 once group i is reached.
        __m128i w[4];
        for (int i = 0; i < 16; i++) {
            if (i < 4) {
                w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * i)), big_endian);
            } else {
                // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], four at a time.
                const __m128i oldest = w[i % 4], next = w[(i + 1) % 4];
                const __m128i before_last = w[(i + 2) % 4], last = w[(i + 3) % 4];
                __m128i t = _mm_sha256msg1_epu32(oldest, next);
                t = _mm_add_epi32(t, _mm_alignr_epi8(last, before_last, 4));
                w[i % 4] = _mm_sha256msg2_epu32(t, last);
            }
            const __m128i k = _mm_load_si128((const __m128i *)&round_constants[4 * i]);
            __m128i wk = _mm_add_epi32(w[i % 4], k);
            // Two rounds: their (A, B, E, F) goes where (C, D, G, H) was, since
            // after two rounds C, D, G, H are the old A, B, E, F; two more put
            // both back in place.
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
            wk = _mm_shuffle_epi32(wk, 0x0E);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);
        }
        abef = _mm_add_epi32(abef, abef_before);
        cdgh = _mm_add_epi32(cdgh, cdgh_before);
    }

    const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

#else

int sightline_sha256_blocks_available(void) { return 0; }

void sightline_sha256_blocks(unsigned int state[8], const unsigned char *data, long blocks) {
    (void)state;
    (void)data;
    (void)blocks;
}

#endif
