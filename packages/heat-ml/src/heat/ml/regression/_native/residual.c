/* One pass of coordinate descent over a block of the residual, fused: first the pending
 * coefficient changes of a run of features are applied to the residual,
 *     r -= sum_i delta_i * col_i            (the columns whose coefficient changed),
 * then the dot products of the next run's columns with the updated residual are accumulated,
 *     dots_j += col_j . r.
 * Rows are taken in blocks of BLOCK, so a block of r stays in L1 while every column passes
 * over it: r is read and written once per pass and each column is read once, where separate
 * axpy and dot calls read r once per column and call. The dot products sum four vector
 * lanes (GCC and Clang vector extensions) and are added into dots, so callers may split the
 * rows into ranges and add the results.
 *
 *   r        n residual entries (in, out)
 *   apply    n_apply column pointers, deltas their coefficient changes
 *   dot      n_dot column pointers, dots (n_dot) accumulated into
 */
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && __GNUC__ >= 6
#define CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CLONES
#endif

typedef double vf64 __attribute__((vector_size(32), aligned(8)));
typedef float vf32 __attribute__((vector_size(32), aligned(4)));

enum { BLOCK = 2048 };

static inline int64_t at_most(int64_t a, int64_t b) { return a < b ? a : b; }

/* Four columns at a time in both loops: four streams from memory in flight at once. */
#define PASS(NAME, T, VT)                                                                        \
    CLONES int NAME(T *restrict r, int64_t n, const T *const *apply, const T *deltas,            \
                    int64_t n_apply, const T *const *dot, int64_t n_dot, double *restrict dots)   \
    {                                                                                            \
        enum { L = sizeof(VT) / sizeof(T) };                                                     \
        for (int64_t lo = 0; lo < n; lo += BLOCK) {                                              \
            const int64_t m = at_most(n - lo, BLOCK);                                            \
            T *restrict rb = r + lo;                                                             \
            for (int64_t a = 0; a < n_apply; a += 4) {                                           \
                const int64_t g = at_most(n_apply - a, 4);                                       \
                const T *c[4];                                                                   \
                T dl[4];                                                                         \
                for (int q = 0; q < 4; ++q) {                                                    \
                    c[q] = apply[a + (q < g ? q : 0)] + lo; /* a short group repeats */         \
                    dl[q] = q < g ? deltas[a + q] : 0; /* its first column, times 0 */           \
                }                                                                                \
                for (int64_t i = 0; i < m; ++i)                                                  \
                    rb[i] -= (dl[0] * c[0][i] + dl[1] * c[1][i]) + (dl[2] * c[2][i] + dl[3] * c[3][i]); \
            }                                                                                    \
            for (int64_t j = 0; j < n_dot; j += 8) {                                             \
                const int64_t g = at_most(n_dot - j, 8);                                         \
                const T *c[8];                                                                   \
                for (int q = 0; q < 8; ++q)                                                      \
                    c[q] = dot[j + (q < g ? q : 0)] + lo;                                        \
                VT acc[8] = {{0}};                                                \
                int64_t i = 0;                                                                   \
                for (; i + L <= m; i += L) {                                                     \
                    VT y;                                                                        \
                    memcpy(&y, rb + i, sizeof(VT));                                              \
                    for (int q = 0; q < 8; ++q) {                                                \
                        VT x;                                                                    \
                        memcpy(&x, c[q] + i, sizeof(VT));                                        \
                        acc[q] += x * y;                                                         \
                    }                                                                            \
                }                                                                                \
                for (int q = 0; q < g; ++q) {                                                    \
                    double total = 0.0;                                                          \
                    for (int e = 0; e < L; ++e)                                                  \
                        total += (double)acc[q][e];                                              \
                    for (int64_t t = i; t < m; ++t)                                              \
                        total += (double)(c[q][t] * rb[t]);                                      \
                    dots[j + q] += total;                                                        \
                }                                                                                \
            }                                                                                    \
        }                                                                                        \
        return 0;                                                                                \
    }

PASS(heat_residual_pass_f64, double, vf64)
PASS(heat_residual_pass_f32, float, vf32)
