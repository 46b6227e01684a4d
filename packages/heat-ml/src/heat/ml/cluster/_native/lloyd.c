/* One k-means (Lloyd) pass over a block of rows, fused: for every row the squared Euclidean
 * distance to each centre by the quadratic expansion (as _lloyd.assign computes it: the
 * nearest centre minimises |c|^2 - 2 x.c, the distance is |x|^2 + that minimum, clamped at
 * 0), the nearest centre (the first on ties), and the accumulation of the cluster sums, sizes,
 * inertia and the number of changed labels. The rows are read once and nothing of size n x k
 * is ever stored.
 *
 *   x        n x d rows, row-major
 *   centers  kp x d centres, row-major; kp = k rounded up to a multiple of 4, padding rows zero
 *   c_sq     kp squared centre norms, padding entries +infinity (never nearest)
 *   w        n weights or NULL
 *   labels   n: in, the previous labels; out, the new ones
 *   scratch  d * LANES values
 *   out      k * d sums, k sizes, inertia, changed (double, accumulated into)
 *
 * Rows are taken LANES at a time (32 bytes of T) and transposed into scratch, so that each
 * vector lane holds one row: the distance to a centre is then a chain of vector multiply-adds
 * over the features (four centres at a time for independent chains), and the running minimum
 * and its index are vector compares and blends, with no horizontal reduction. GCC and Clang
 * vector extensions; a compiler without them fails to build this file and the torch path runs.
 */
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && __GNUC__ >= 6
#define CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CLONES
#endif

/* element-aligned, so scratch needs no particular alignment */
typedef float vf32 __attribute__((vector_size(32), aligned(4)));
typedef int32_t vi32 __attribute__((vector_size(32), aligned(4)));
typedef double vf64 __attribute__((vector_size(32), aligned(8)));
typedef int64_t vi64 __attribute__((vector_size(32), aligned(8)));

#define LLOYD(NAME, T, VT, VI, IT)                                                              \
    CLONES int NAME(const T *restrict x, int64_t n, int64_t d, const T *restrict centers,        \
                    int64_t k, int64_t kp, const T *restrict c_sq, const T *restrict w,           \
                    int64_t *restrict labels, T *restrict scratch, double *restrict out)          \
    {                                                                                            \
        enum { L = sizeof(VT) / sizeof(T) };                                                     \
        double *sizes = out + k * d;                                                             \
        double inertia = 0.0;                                                                    \
        int64_t changed = 0;                                                                     \
        VT *xt = (VT *)scratch; /* d vectors: feature f of the block's rows */                  \
        for (int64_t i0 = 0; i0 < n; i0 += L) {                                                  \
            const int64_t m = n - i0 < L ? n - i0 : L;                                           \
            for (int64_t r = 0; r < L; ++r) {                                                    \
                const T *row = x + (i0 + (r < m ? r : 0)) * d; /* a tail block repeats row 0 */ \
                for (int64_t f = 0; f < d; ++f)                                                  \
                    scratch[f * L + r] = row[f];                                                 \
            }                                                                                    \
            VT x_sq = {0};                                                                       \
            for (int64_t f = 0; f < d; ++f)                                                      \
                x_sq += xt[f] * xt[f];                                                           \
            VT low;                                                                              \
            VI best = {0};                                                                       \
            for (int64_t j0 = 0; j0 < kp; j0 += 4) {                                             \
                VT a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};                                       \
                const T *c0 = centers + j0 * d, *c1 = c0 + d, *c2 = c1 + d, *c3 = c2 + d;        \
                for (int64_t f = 0; f < d; ++f) {                                                \
                    a0 += xt[f] * c0[f];                                                         \
                    a1 += xt[f] * c1[f];                                                         \
                    a2 += xt[f] * c2[f];                                                         \
                    a3 += xt[f] * c3[f];                                                         \
                }                                                                                \
                VT v[4] = {c_sq[j0] - 2 * a0, c_sq[j0 + 1] - 2 * a1, c_sq[j0 + 2] - 2 * a2,      \
                           c_sq[j0 + 3] - 2 * a3};                                               \
                for (int q = 0; q < 4; ++q) {                                                    \
                    if (j0 == 0 && q == 0) {                                                     \
                        low = v[0];                                                              \
                        continue;                                                                \
                    }                                                                            \
                    VI less = v[q] < low;                                                        \
                    low = (VT)(((VI)v[q] & less) | ((VI)low & ~less));                           \
                    best = ((IT)(j0 + q) & less) | (best & ~less);                               \
                }                                                                                \
            }                                                                                    \
            T dist[L], nearest_sq[L];                                                            \
            IT nearest[L];                                                                       \
            memcpy(dist, &x_sq, sizeof(VT));                                                     \
            memcpy(nearest_sq, &low, sizeof(VT));                                                \
            memcpy(nearest, &best, sizeof(VI));                                                  \
            for (int64_t r = 0; r < m; ++r) {                                                    \
                const int64_t i = i0 + r, b = (int64_t)nearest[r];                               \
                T di = dist[r] + nearest_sq[r];                                                  \
                if (!(di > 0))                                                                   \
                    di = 0;                                                                      \
                const double wi = w ? (double)w[i] : 1.0;                                        \
                const T *restrict row = x + i * d;                                               \
                double *restrict sum = out + b * d;                                              \
                for (int64_t f = 0; f < d; ++f)                                                  \
                    sum[f] += wi * (double)row[f];                                               \
                sizes[b] += wi;                                                                  \
                inertia += wi * (double)di;                                                      \
                changed += labels[i] != b;                                                       \
                labels[i] = b;                                                                   \
            }                                                                                    \
        }                                                                                        \
        out[k * d + k] += inertia;                                                               \
        out[k * d + k + 1] += (double)changed;                                                   \
        return 0;                                                                                \
    }

LLOYD(heat_lloyd_f32, float, vf32, vi32, int32_t)
LLOYD(heat_lloyd_f64, double, vf64, vi64, int64_t)
