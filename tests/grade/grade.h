/** # grade.h — shared helpers of the grading tests (tests/grade/grade_*.c)
 *
 * Each Criterion suite is one exercise, named by its id (`Test(linear_backward, ...)`), and
 * `make grade` counts its passing tests. The rules that make the grade mean something:
 * - a test reaches the exercise's code (the student edition's stub fails every test), and only
 *   that exercise's code: whatever else it needs, it computes itself (a backward test fills the
 *   forward pass's caches itself), so one exercise's grade never depends on another's;
 * - the expected values are fixed (PyTorch's, from torch_golden.txt, as tests/test_*.c copy
 *   them) or computed by the test itself in double, never by the student's code (not even the
 *   student's gradient checker);
 * - a failing assertion names the function, the value, what was expected and what came.
 * The grading tests link the double build of the library, so tolerances can be tight. */
#ifndef NN_GRADE_H
#define NN_GRADE_H

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "dropout.h"
#include "nnlab.h"
#include "norm.h"

/* |got - want| <= tol * max(1, |want|) */
static inline bool near(double got, double want, double tol) {
    return fabs(got - want) <= tol * fmax(1.0, fabs(want)) && !isnan(got);
}

#define EXPECT_NEAR(fn, got, want, tol, ...)                                                     \
    do {                                                                                         \
        double g_ = (double)(got), w_ = (double)(want);                                          \
        char what_[160];                                                                         \
        snprintf(what_, sizeof what_, __VA_ARGS__);                                              \
        cr_assert(near(g_, w_, (tol)), "%s: %s: expected %.10g, got %.10g", (fn), what_, w_, g_); \
    } while (0)

/* every element of got[n] near want[n]; the message names the first that is not */
#define EXPECT_ALL_NEAR(fn, got, want, n, tol, name)                                              \
    do {                                                                                          \
        for (int k_ = 0; k_ < (int)(n); k_++)                                                     \
            EXPECT_NEAR((fn), (got)[k_], (want)[k_], (tol), "%s[%d]", (name), k_);                 \
    } while (0)

#define TOL 1e-9

/* X (4x3) and G (4x3) of torch_golden.txt: X[i][j] = sin(1+3i+j)(1+j), G[i][j] = cos(2+3i+j). */
static inline void golden_X(real *X) {
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 3; j++) X[i * 3 + j] = (real)(sin(1.0 + 3 * i + j) * (1 + j));
}
static inline void golden_G(real *G) {
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 3; j++) G[i * 3 + j] = (real)cos(2.0 + 3 * i + j);
}

/* A fixed pseudo-random fill in [-scale, scale], independent of the library's Rng. */
static inline void fill(real *a, int n, unsigned seed, double scale) {
    unsigned s = seed * 2654435761u + 12345u;
    for (int i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        a[i] = (real)(scale * (2.0 * (double)(s >> 8) / 16777216.0 - 1.0));
    }
}

#endif
