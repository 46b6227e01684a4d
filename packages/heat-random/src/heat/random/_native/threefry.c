/* Threefry-4x32-20 over a batch of counters, for heat.random's CPU path (see native.py).
 *
 * heat_threefry4x32_inplace encrypts any counters, word w of block i at x[w * n + i] (the
 * word-major layout of threefry.py), in place. For the others, block i has the 128-bit counter
 * (lo, hi, 0, 0) with lo/hi the 32-bit halves of the i-th 64-bit counter: counters[i], or
 * first + i when counters is NULL: heat_threefry4x32_uniform writes the block's uniform floats in [0, 1) block-major, exactly
 * as distributions.uniform computes them (integers of at most 24 / 53 bits times a power of
 * two: exact in any implementation); heat_threefry4x32_integers writes low + floor(X * span /
 * 2^128) for the block's 128-bit value X, as distributions.integers. The loop bodies have no
 * branches and no memory dependence between iterations, so compilers vectorise them.
 */
#include <stdint.h>

#define ROTL(x, r) (((x) << (r)) | ((x) >> (32 - (r))))
#define EVEN(L, R) x0 += x1; x1 = ROTL(x1, L) ^ x0; x2 += x3; x3 = ROTL(x3, R) ^ x2;
#define ODD(L, R)  x0 += x3; x3 = ROTL(x3, L) ^ x0; x2 += x1; x1 = ROTL(x1, R) ^ x2;
#define INJECT(s) \
    x0 += ks[(s) % 5]; x1 += ks[((s) + 1) % 5]; x2 += ks[((s) + 2) % 5]; \
    x3 += ks[((s) + 3) % 5] + (uint32_t)(s);
#define FIRST_HALF EVEN(10, 26) ODD(11, 21) EVEN(13, 27) ODD(23, 5)
#define SECOND_HALF EVEN(6, 20) ODD(17, 11) EVEN(25, 10) ODD(18, 20)

#define ROUNDS20                                                               \
        FIRST_HALF INJECT(1) SECOND_HALF INJECT(2)                             \
        FIRST_HALF INJECT(3) SECOND_HALF INJECT(4)                             \
        FIRST_HALF INJECT(5)

#define BODY(COUNTER, STORE)                                                   \
    for (int64_t i = 0; i < n; ++i) {                                          \
        uint64_t c = (uint64_t)(COUNTER);                                      \
        uint32_t x0 = (uint32_t)c + ks[0], x1 = (uint32_t)(c >> 32) + ks[1];   \
        uint32_t x2 = ks[2], x3 = ks[3];                                       \
        ROUNDS20                                                               \
        STORE                                                                  \
    }

#define WORDS out[i] = x0; out[n + i] = x1; out[2 * n + i] = x2; out[3 * n + i] = x3;
#define F32(x) (float)((x) >> shift) * scale
#define UNIFORM32 f32[4 * i] = F32(x0); f32[4 * i + 1] = F32(x1); \
    f32[4 * i + 2] = F32(x2); f32[4 * i + 3] = F32(x3);
#define F64(lo, hi) (double)((((uint64_t)(hi) << 32) | (lo)) >> 11) * 0x1p-53
#define UNIFORM64 f64[2 * i] = F64(x0, x1); f64[2 * i + 1] = F64(x2, x3);

#define X_LO (((uint64_t)x1 << 32) | x0)
#define X_HI (((uint64_t)x3 << 32) | x2)
#define INTEGER_FULL out[i] = (int64_t)((uint64_t)low + X_HI);
#define INTEGER {                                                              \
        unsigned __int128 p = (unsigned __int128)X_LO * span;                  \
        unsigned __int128 q = (unsigned __int128)X_HI * span + (p >> 64);      \
        out[i] = (int64_t)((uint64_t)low + (uint64_t)(q >> 64));               \
    }

#define KEY_SCHEDULE                                                           \
    uint32_t ks[5] = {key[0], key[1], key[2], key[3],                          \
                      0x1BD11BDAu ^ key[0] ^ key[1] ^ key[2] ^ key[3]};

/* Any 128-bit counters, word-major in x (x[w * n + i]), encrypted in place. */
int heat_threefry4x32_inplace(uint32_t *x, int64_t n, const uint32_t *key)
{
    KEY_SCHEDULE
    uint32_t *out = x;
    for (int64_t i = 0; i < n; ++i) {
        uint32_t x0 = x[i] + ks[0], x1 = x[n + i] + ks[1];
        uint32_t x2 = x[2 * n + i] + ks[2], x3 = x[3 * n + i] + ks[3];
        ROUNDS20
        WORDS
    }
    return 0;
}

/* bits 53: float64 values (2 per block, 53 bits of a word pair); bits 1..24: float32 values
 * (4 per block, the top bits of each word). */
int heat_threefry4x32_uniform(const int64_t *counters, int64_t first, int64_t n,
                              const uint32_t *key, int bits, void *out)
{
    KEY_SCHEDULE
    float *f32 = (float *)out;
    double *f64 = (double *)out;
    if (bits == 53) {
        if (counters) {
            BODY(counters[i], UNIFORM64)
        } else {
            BODY(first + i, UNIFORM64)
        }
        return 0;
    }
    if (bits < 1 || bits > 24)
        return -1;
    const int shift = 32 - bits;
    const float scale = 1.0f / (float)(1u << bits);
    if (counters) {
        BODY(counters[i], UNIFORM32)
    } else {
        BODY(first + i, UNIFORM32)
    }
    return 0;
}

/* span in [1, 2^64): pass it with full = 0; span = 2^64: full = 1 (span ignored). The int64
 * result wraps modulo 2^64 as torch's int64 addition does. */
int heat_threefry4x32_integers(const int64_t *counters, int64_t first, int64_t n,
                               const uint32_t *key, uint64_t span, int full, int64_t low,
                               int64_t *out)
{
    KEY_SCHEDULE
    if (full && counters) {
        BODY(counters[i], INTEGER_FULL)
    } else if (full) {
        BODY(first + i, INTEGER_FULL)
    } else if (counters) {
        BODY(counters[i], INTEGER)
    } else {
        BODY(first + i, INTEGER)
    }
    return 0;
}
