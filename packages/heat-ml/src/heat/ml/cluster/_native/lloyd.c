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
 *   scratch  d * LANES + k * d values
 *   out      k * d sums, k sizes, inertia, changed (double, accumulated into)
 *
 * Rows are taken LANES at a time (32 bytes of T) and transposed into scratch, so that each
 * vector lane holds one row: the distance to a centre is then a chain of vector multiply-adds
 * over the features (four centres at a time for independent chains), and the running minimum
 * and its index are vector compares and blends, with no horizontal reduction. GCC and Clang
 * vector extensions; a compiler without them fails to build this file and the torch path runs.
 *
 * On x86-64 CPUs with AVX2 and FMA, float32 blocks take a hand-vectorised path (the same
 * algorithm): 8 x 8 tiles are transposed with shuffles instead of element by element, the
 * distance chains use fused multiply-adds, and the cluster sums of each run of 256 rows are
 * accumulated in float32 (scratch + d * LANES) and then added into the float64 sums. The
 * choice is made at run time (__builtin_cpu_supports), so the library stays portable.
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
    CLONES static int NAME(const T *restrict x, int64_t n, int64_t d, const T *restrict centers,        \
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

LLOYD(lloyd_f32_portable, float, vf32, vi32, int32_t)
LLOYD(lloyd_f64_portable, double, vf64, vi64, int64_t)

int heat_lloyd_f64(const double *restrict x, int64_t n, int64_t d, const double *restrict centers,
                   int64_t k, int64_t kp, const double *restrict c_sq, const double *restrict w,
                   int64_t *restrict labels, double *restrict scratch, double *restrict out)
{
    return lloyd_f64_portable(x, n, d, centers, k, kp, c_sq, w, labels, scratch, out);
}

#if defined(__x86_64__) && (defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 6))
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2,fma")))

static inline __m256 AVX2 halves(const float *lo, const float *hi)
{
    return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(lo)), _mm_loadu_ps(hi), 1);
}

/* 4 x 4 transposes within each 128-bit half: a_q = [row q | row q + 4] -> xt[0..3] */
static inline void AVX2 transpose_halves(__m256 a0, __m256 a1, __m256 a2, __m256 a3, float *xt)
{
    const __m256 t0 = _mm256_unpacklo_ps(a0, a1), t1 = _mm256_unpackhi_ps(a0, a1);
    const __m256 t2 = _mm256_unpacklo_ps(a2, a3), t3 = _mm256_unpackhi_ps(a2, a3);
    _mm256_storeu_ps(xt, _mm256_shuffle_ps(t0, t2, 0x44));
    _mm256_storeu_ps(xt + 8, _mm256_shuffle_ps(t0, t2, 0xEE));
    _mm256_storeu_ps(xt + 16, _mm256_shuffle_ps(t1, t3, 0x44));
    _mm256_storeu_ps(xt + 24, _mm256_shuffle_ps(t1, t3, 0xEE));
}

/* rows r[0..7] (d features each) into xt: feature f of the 8 rows is xt[8 f .. 8 f + 8) */
static inline void AVX2 transpose8(const float *const r[8], int64_t d, float *restrict xt)
{
    int64_t f = 0;
    for (; f + 4 <= d; f += 4)
        transpose_halves(halves(r[0] + f, r[4] + f), halves(r[1] + f, r[5] + f),
                         halves(r[2] + f, r[6] + f), halves(r[3] + f, r[7] + f), xt + 8 * f);
    for (; f < d; ++f)
        for (int q = 0; q < 8; ++q)
            xt[8 * f + q] = r[q][f];
}

static int AVX2 lloyd_f32_avx2(const float *restrict x, int64_t n, int64_t d,
                               const float *restrict centers, int64_t k, int64_t kp,
                               const float *restrict c_sq, const float *restrict w,
                               int64_t *restrict labels, float *restrict scratch,
                               double *restrict out)
{
    enum { L = 8, RUN = 256 };
    double *sizes = out + k * d;
    double inertia = 0.0;
    int64_t changed = 0;
    float *restrict xt = scratch, *restrict part = scratch + d * L;
    memset(part, 0, sizeof(float) * (size_t)(k * d));
    const __m256 minus2 = _mm256_set1_ps(-2.0f);
    for (int64_t i0 = 0; i0 < n; i0 += L) {
        const int64_t m = n - i0 < L ? n - i0 : L;
        const float *r[L];
        for (int q = 0; q < L; ++q)
            r[q] = x + (i0 + (q < m ? q : 0)) * d; /* a tail block repeats its first row */
        transpose8(r, d, xt);
        __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
        int64_t f = 0;
        for (; f + 2 <= d; f += 2) {
            const __m256 v0 = _mm256_loadu_ps(xt + L * f), v1 = _mm256_loadu_ps(xt + L * f + L);
            s0 = _mm256_fmadd_ps(v0, v0, s0);
            s1 = _mm256_fmadd_ps(v1, v1, s1);
        }
        if (f < d) {
            const __m256 v0 = _mm256_loadu_ps(xt + L * f);
            s0 = _mm256_fmadd_ps(v0, v0, s0);
        }
        const __m256 x_sq = _mm256_add_ps(s0, s1);
        __m256 low = _mm256_set1_ps(__builtin_inff());
        __m256 best = _mm256_setzero_ps(); /* int32 indices, blended as floats */
        for (int64_t j0 = 0; j0 < kp; j0 += 4) {
            __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
            const float *c0 = centers + j0 * d, *c1 = c0 + d, *c2 = c1 + d, *c3 = c2 + d;
            for (int64_t g = 0; g < d; ++g) {
                const __m256 v = _mm256_loadu_ps(xt + L * g);
                a0 = _mm256_fmadd_ps(v, _mm256_broadcast_ss(c0 + g), a0);
                a1 = _mm256_fmadd_ps(v, _mm256_broadcast_ss(c1 + g), a1);
                a2 = _mm256_fmadd_ps(v, _mm256_broadcast_ss(c2 + g), a2);
                a3 = _mm256_fmadd_ps(v, _mm256_broadcast_ss(c3 + g), a3);
            }
            const __m256 v[4] = {_mm256_fmadd_ps(minus2, a0, _mm256_broadcast_ss(c_sq + j0)),
                                 _mm256_fmadd_ps(minus2, a1, _mm256_broadcast_ss(c_sq + j0 + 1)),
                                 _mm256_fmadd_ps(minus2, a2, _mm256_broadcast_ss(c_sq + j0 + 2)),
                                 _mm256_fmadd_ps(minus2, a3, _mm256_broadcast_ss(c_sq + j0 + 3))};
            for (int q = 0; q < 4; ++q) {
                const __m256 less = _mm256_cmp_ps(v[q], low, _CMP_LT_OQ);
                const __m256 index = _mm256_castsi256_ps(_mm256_set1_epi32((int)(j0 + q)));
                low = _mm256_blendv_ps(low, v[q], less);
                best = _mm256_blendv_ps(best, index, less);
            }
        }
        float dist[L], nearest_sq[L];
        int32_t nearest[L];
        _mm256_storeu_ps(dist, x_sq);
        _mm256_storeu_ps(nearest_sq, low);
        _mm256_storeu_ps((float *)nearest, best);
        for (int64_t q = 0; q < m; ++q) {
            const int64_t i = i0 + q, b = (int64_t)nearest[q];
            float di = dist[q] + nearest_sq[q];
            if (!(di > 0))
                di = 0;
            const float *restrict row = x + i * d;
            float *restrict sum = part + b * d;
            if (w) {
                const float wi = w[i];
                for (int64_t e = 0; e < d; ++e)
                    sum[e] += wi * row[e];
                sizes[b] += (double)wi;
                inertia += (double)wi * (double)di;
            } else {
                for (int64_t e = 0; e < d; ++e)
                    sum[e] += row[e];
                sizes[b] += 1.0;
                inertia += (double)di;
            }
            changed += labels[i] != b;
            labels[i] = b;
        }
        if ((i0 + L) % RUN == 0 || i0 + L >= n)
            for (int64_t e = 0; e < k * d; ++e) {
                out[e] += (double)part[e];
                part[e] = 0;
            }
    }
    out[k * d + k] += inertia;
    out[k * d + k + 1] += (double)changed;
    return 0;
}
#endif

int heat_lloyd_f32(const float *restrict x, int64_t n, int64_t d, const float *restrict centers,
                   int64_t k, int64_t kp, const float *restrict c_sq, const float *restrict w,
                   int64_t *restrict labels, float *restrict scratch, double *restrict out)
{
#if defined(__x86_64__) && (defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 6))
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return lloyd_f32_avx2(x, n, d, centers, k, kp, c_sq, w, labels, scratch, out);
#endif
    return lloyd_f32_portable(x, n, d, centers, k, kp, c_sq, w, labels, scratch, out);
}
