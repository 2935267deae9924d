/** Grading tests of Lab 2's exercises: the six activations' backward passes. Expected values: the
 * test's own derivative formulas in double, and a central difference of the library's forward
 * pass (which is not an exercise). */
#include "grade.h"

static const real XS[] = {R(-3), R(-1.5), R(-0.4), R(-1e-3), R(0.2), R(0.9), R(2.5), R(6)};
enum { NX = sizeof XS / sizeof XS[0] };

static double sig(double x) { return 1 / (1 + exp(-x)); }

static double derivative(ActKind k, double x, double alpha) {
    switch (k) {
    case ACT_SIGMOID: return sig(x) * (1 - sig(x));
    case ACT_TANH: return 1 - tanh(x) * tanh(x);
    case ACT_RELU: return x > 0;
    case ACT_LEAKY_RELU: return x > 0 ? 1 : alpha;
    case ACT_GELU: return 0.5 * erfc(-x / sqrt(2.0)) + x * exp(-0.5 * x * x) / sqrt(2 * 3.14159265358979323846);
    case ACT_SILU: return sig(x) * (1 + x * (1 - sig(x)));
    default: return NAN;
    }
}

static void check_backward(ActKind k, const char *fn) {
    Activation a = act_make(k);
    real y[NX], dy[NX], dx[NX];
    act_forward(a, y, XS, NX);
    fill(dy, NX, 21, 2);
    act_backward(a, dx, dy, XS, y, NX);
    for (int i = 0; i < NX; i++)
        EXPECT_NEAR(fn, dx[i], dy[i] * derivative(k, XS[i], (double)a.alpha), TOL, "dx at x = %g (dy = %g)", (double)XS[i], (double)dy[i]);
}

/* the test's own central difference of the library's forward pass */
static void check_central(ActKind k, const char *fn) {
    Activation a = act_make(k);
    const double h = 1e-5;
    for (int i = 0; i < NX; i++) {
        real x = XS[i], y, dy = R(1), dx, xp = (real)(x + h), xm = (real)(x - h), yp, ym;
        act_forward(a, &y, &x, 1);
        act_backward(a, &dx, &dy, &x, &y, 1);
        act_forward(a, &yp, &xp, 1), act_forward(a, &ym, &xm, 1);
        EXPECT_NEAR(fn, dx, (yp - ym) / (2 * h), 1e-7, "dx at x = %g against the central difference of the forward pass", (double)x);
    }
}

/* dx may be dy's own array */
static void check_in_place(ActKind k, const char *fn) {
    Activation a = act_make(k);
    real y[NX], d[NX];
    act_forward(a, y, XS, NX);
    for (int i = 0; i < NX; i++) d[i] = R(0.5);
    act_backward(a, d, d, XS, y, NX);
    for (int i = 0; i < NX; i++)
        EXPECT_NEAR(fn, d[i], 0.5 * derivative(k, XS[i], (double)a.alpha), TOL, "dx at x = %g, computed in place (dx == dy)", (double)XS[i]);
}

#define ACT_TESTS(suite, kind)                                                         \
    Test(suite, matches_the_derivative) { check_backward(kind, #suite); }            \
    Test(suite, agrees_with_a_central_difference) { check_central(kind, #suite); }   \
    Test(suite, works_in_place) { check_in_place(kind, #suite); }

ACT_TESTS(act_sigmoid_backward, ACT_SIGMOID)
ACT_TESTS(act_tanh_backward, ACT_TANH)
ACT_TESTS(act_relu_backward, ACT_RELU)
ACT_TESTS(act_leaky_relu_backward, ACT_LEAKY_RELU)
ACT_TESTS(act_gelu_backward, ACT_GELU)
ACT_TESTS(act_silu_backward, ACT_SILU)

/* at x = 0 exactly, PyTorch's ReLU and LeakyReLU take the left derivative */
Test(act_relu_backward, zero_at_zero) {
    real x = 0, y = 0, dy = R(3), dx = R(9);
    act_backward(act_make(ACT_RELU), &dx, &dy, &x, &y, 1);
    EXPECT_NEAR("act_relu_backward", dx, 0.0, 0, "dx at x = 0 (PyTorch: 0)");
}

Test(act_leaky_relu_backward, alpha_at_zero) {
    Activation a = act_make(ACT_LEAKY_RELU);
    a.alpha = R(0.2);
    real x = 0, y = 0, dy = R(3), dx = R(9);
    act_backward(a, &dx, &dy, &x, &y, 1);
    EXPECT_NEAR("act_leaky_relu_backward", dx, 0.6, TOL, "dx at x = 0 with alpha 0.2, dy = 3 (PyTorch: alpha dy)");
}
