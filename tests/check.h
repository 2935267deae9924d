/** # check.h — shared helpers for the library tests
 *
 * Every library test file is compiled twice: against the float library (`build/bin/test_x`) and
 * against the double one (`build/bin/test_x_f64`). Tolerances follow the build:
 * - golden values from PyTorch must match to 1e-5 relative in float and 1e-9 in double;
 * - gradient checks must reach the course's 1e-7; they run in the double build only.
 *
 * "Relative" is measured against max(|want|, floor): a value that should be 1e-9 is compared
 * absolutely, since no float computation of it carries relative precision.
 */
#ifndef NN_TEST_CHECK_H
#define NN_TEST_CHECK_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <signal.h>

#include "nnlab.h"
#include "tmpdir.h"

#ifdef NN_DOUBLE
#define GOLDEN_RTOL 1e-9
#define GRADCHECK_TOL 1e-7
#define FLOAT_BUILD 0
#else
#define GOLDEN_RTOL 1e-5
#define GRADCHECK_TOL 1e-2
#define FLOAT_BUILD 1
#endif

/* Gradient checks run in the double build only: `Test(x, y, GRADCHECK_ONLY)`. In float the
 * difference quotient itself is too coarse to judge a gradient (a disabled test is not counted). */
#define GRADCHECK_ONLY .disabled = FLOAT_BUILD

static inline bool close_to(double got, double want, double rtol, double floor) {
    double scale = fabs(want) > floor ? fabs(want) : floor;
    return fabs(got - want) <= rtol * scale;
}

/* Assert got[i] ≈ want[i] for all i, naming the first mismatch. */
#define assert_all_close(got, want, n, rtol, floor, what)                                       \
    do {                                                                                        \
        for (int i_ = 0; i_ < (int)(n); i_++)                                                   \
            cr_assert(close_to((double)(got)[i_], (double)(want)[i_], (rtol), (floor)),         \
                      "%s[%d]: got %.12g, want %.12g", (what), i_, (double)(got)[i_],           \
                      (double)(want)[i_]);                                                      \
    } while (0)

#define assert_gradcheck(r, what)                                                               \
    do {                                                                                        \
        GradCheck r_ = (r);                                                                     \
        cr_assert(r_.max_abs_grad > 1e-6, "%s: the analytic gradient is all zero", (what));      \
        cr_assert(r_.max_rel_err < GRADCHECK_TOL,                                               \
                  "%s: relative error %.3g at entry %zu (analytic %.10g, numeric %.10g)",       \
                  (what), r_.max_rel_err, r_.worst, r_.analytic, r_.numeric);                   \
    } while (0)

/* The step of a central difference suited to the build's precision. */
#define GRADCHECK_H (sizeof(real) == sizeof(double) ? 1e-4 : 1e-2)

/* X (4x3) and G (4x3) of tests/golden/torch_golden.txt: X[i][j] = sin(1+3i+j)*(1+j), G[i][j] = cos(2+3i+j).
 * Rebuilt here rather than copied, to the same formula PyTorch used. */
static inline void golden_X(real *X) {
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 3; j++) X[i * 3 + j] = (real)(sin(1.0 + 3 * i + j) * (1 + j));
}
static inline void golden_G(real *G) {
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 3; j++) G[i * 3 + j] = (real)cos(2.0 + 3 * i + j);
}

#endif
