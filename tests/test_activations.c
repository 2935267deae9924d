/** Tests of activations.c: PyTorch's values and derivatives, gradient checks, softmax. */
#include "check.h"

/* tests/golden/torch_golden.txt, "Activations: value and derivative at x_grid" (PyTorch 1.13, float64). */
static const double x_grid[13] = {-6, -3, -1.5, -1, -0.5, -0.001, 0, 0.001, 0.5, 1, 1.5, 3, 6};

typedef struct {
    ActKind kind;
    double f[13], df[13];
} Golden;

static const Golden golden[] = {
    {ACT_SIGMOID,
     {0.00247262315663, 0.0474258731776, 0.182425523806, 0.26894142137, 0.377540668798,
      0.499750000021, 0.5, 0.500249999979, 0.622459331202, 0.73105857863, 0.817574476194,
      0.952574126822, 0.997527376843},
     {0.00246650929136, 0.0451766597309, 0.14914645207, 0.196611933241, 0.235003712202,
      0.2499999375, 0.25, 0.2499999375, 0.235003712202, 0.196611933241, 0.14914645207,
      0.0451766597309, 0.00246650929136}},
    {ACT_TANH,
     {-0.999987711651, -0.995054753687, -0.905148253645, -0.761594155956, -0.46211715726,
      -0.000999999666667, 0, 0.000999999666667, 0.46211715726, 0.761594155956, 0.905148253645,
      0.995054753687, 0.999987711651},
     {2.45765474053e-05, 0.00986603716544, 0.180706638924, 0.419974341614, 0.786447732966,
      0.999999000001, 1, 0.999999000001, 0.786447732966, 0.419974341614, 0.180706638924,
      0.00986603716544, 2.45765474053e-05}},
    {ACT_RELU,
     {0, 0, 0, 0, 0, 0, 0, 0.001, 0.5, 1, 1.5, 3, 6},
     {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}},
    {ACT_LEAKY_RELU,
     {-0.06, -0.03, -0.015, -0.01, -0.005, -1e-05, 0, 0.001, 0.5, 1, 1.5, 3, 6},
     {0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 1, 1, 1, 1, 1, 1}},
    {ACT_GELU,
     {-5.91952586948e-09, -0.00404969409489, -0.100210801903, -0.158655253931, -0.154268769363,
      -0.000499601057786, 0, 0.000500398942214, 0.345731230637, 0.841344746069, 1.3997891981,
      2.99595030591, 5.99999999408},
     {-3.5468709454e-08, -0.0119456472042, -0.12746919223, -0.0833154705877, 0.132504875344,
      0.499202115705, 0.5, 0.500797884295, 0.867495124656, 1.08331547059, 1.12746919223,
      1.0119456472, 1.00000003547}},
    {ACT_GELU_TANH,
     {-8.43964897967e-11, -0.00363739208177, -0.10042842302, -0.158808009392, -0.154285990175,
      -0.000499601057786, 0, 0.000500398942214, 0.345714009825, 0.841191990608, 1.39957157698,
      2.99636260792, 5.99999999992},
     {-7.70997601284e-10, -0.011584166631, -0.127710793151, -0.0829640838458, 0.132630096465,
      0.499202115706, 0.5, 0.500797884294, 0.867369903535, 1.08296408385, 1.12771079315,
      1.01158416663, 1.00000000077}},
    {ACT_SILU,
     {-0.0148357389398, -0.142277619533, -0.27363828571, -0.26894142137, -0.188770334399,
      -0.000499750000021, 0, 0.000500249999979, 0.311229665601, 0.73105857863, 1.22636171429,
      2.85772238047, 5.98516426106},
     {-0.0123264325915, -0.0881041060152, -0.0412941542991, 0.0723294881285, 0.260038812697,
      0.499500000083, 0.5, 0.500499999917, 0.739961187303, 0.927670511871, 1.0412941543,
      1.08810410602, 1.01232643259}},
};

/* The golden file prints 12 significant digits (rounding: 5e-13 relative), well inside the
 * build's tolerance. In float, a value far below 1 here is the difference of numbers near 1
 * (sigmoid' = y(1-y) at y = 0.9975, tanh' = 1 - y^2, 1 + tanh u): float keeps 1e-7 of the
 * function's scale, not of the small result, and so does PyTorch in float32. So the float build
 * measures errors against max(|want|, 1); the double build against max(|want|, 1e-6). */
#define ACT_RTOL GOLDEN_RTOL
#define ACT_FLOOR (FLOAT_BUILD ? 1.0 : 1e-6)

static void check_golden(const Golden *g) {
    real x[13], y[13], dy[13], dx[13];
    for (int i = 0; i < 13; i++) x[i] = (real)x_grid[i], dy[i] = 1;
    Activation a = act_make(g->kind);
    act_forward(a, y, x, 13);
    assert_all_close(y, g->f, 13, ACT_RTOL, ACT_FLOOR, act_name(g->kind));
    act_backward(a, dx, dy, x, y, 13);
    assert_all_close(dx, g->df, 13, ACT_RTOL, ACT_FLOOR, act_name(g->kind));
}

Test(activations, sigmoid_matches_pytorch) { check_golden(&golden[0]); }
Test(activations, tanh_matches_pytorch) { check_golden(&golden[1]); }
Test(activations, relu_matches_pytorch) { check_golden(&golden[2]); }
Test(activations, leaky_relu_matches_pytorch) { check_golden(&golden[3]); }
Test(activations, gelu_matches_pytorch) { check_golden(&golden[4]); }
Test(activations, gelu_tanh_matches_pytorch) { check_golden(&golden[5]); }
Test(activations, silu_matches_pytorch) { check_golden(&golden[6]); }

Test(activations, identity_passes_through) {
    real x[3] = {-1, 0, 2}, y[3], d[3], dy[3] = {4, 5, 6};
    act_forward(act_make(ACT_IDENTITY), y, x, 3);
    act_backward(act_make(ACT_IDENTITY), d, dy, x, y, 3);
    for (int i = 0; i < 3; i++) cr_assert(y[i] == x[i] && d[i] == dy[i]);
}

/* Gradient check of every activation's backward at points away from ReLU's kink. */
Test(activations, backward_passes_gradient_check, GRADCHECK_ONLY) {
    enum { n = 64 };
    real x[n], g[n];
    Rng rng;
    rng_init(&rng, 3);
    for (int i = 0; i < n; i++) {
        double v = rng_uniform_range(&rng, 0.05, 4);
        x[i] = (real)(rng_bernoulli(&rng, 0.5) ? v : -v);
        g[i] = (real)rng_normal(&rng);
    }
    for (int k = 0; k < ACT_NKINDS; k++) {
        GradCheck r = gradcheck_activation(act_make((ActKind)k), x, g, n, GRADCHECK_H);
        cr_assert(eq(sz, r.checked, n));
        assert_gradcheck(r, act_name((ActKind)k));
    }
}

Test(activations, gelu_forms_differ_by_at_most_5e_4) {
    /* tests/golden/SEMANTICS.md: the tanh form is within about 4.7e-4 of the exact one, worst near |x| = 2.7 */
    enum { n = 2001 };
    real x[n], a[n], b[n];
    for (int i = 0; i < n; i++) x[i] = R(-5) + R(0.005) * (real)i;
    act_forward(act_make(ACT_GELU), a, x, n);
    act_forward(act_make(ACT_GELU_TANH), b, x, n);
    double worst = 0;
    int at = 0;
    for (int i = 0; i < n; i++)
        if (fabs((double)(a[i] - b[i])) > worst) worst = fabs((double)(a[i] - b[i])), at = i;
    cr_assert(worst > 4e-4 && worst < 5e-4, "max gap %g", worst);
    cr_assert(fabs(fabs((double)x[at]) - 2.7) < 0.3, "worst at x = %g", (double)x[at]);
}

Test(activations, sigmoid_is_stable_at_extremes) {
    real x[2] = {-1000, 1000}, y[2];
    act_forward(act_make(ACT_SIGMOID), y, x, 2);
    cr_assert(y[0] == 0 && y[1] == 1);
    act_forward(act_make(ACT_SILU), y, x, 2);
    cr_assert(isfinite(y[0]) && y[1] == 1000);
}

Test(activations, in_place_forward_and_backward) {
    real x[4] = {-2, -0.5, 0.5, 2}, y[4], dy[4] = {1, 2, 3, 4}, d[4];
    act_forward(act_make(ACT_TANH), y, x, 4);
    act_backward(act_make(ACT_TANH), d, dy, x, y, 4);
    act_forward(act_make(ACT_TANH), x, x, 4);
    act_backward(act_make(ACT_TANH), dy, dy, NULL, x, 4);
    for (int i = 0; i < 4; i++) cr_assert(x[i] == y[i] && dy[i] == d[i]);
}

Test(activations, softmax_rows_sum_to_one_and_are_stable) {
    real x[6] = {1000, 1001, 1002, -5, 0, 5}, y[6];
    softmax_forward(y, x, 2, 3);
    for (int n = 0; n < 2; n++) {
        double s = 0;
        for (int c = 0; c < 3; c++) {
            cr_assert(isfinite(y[n * 3 + c]) && y[n * 3 + c] > 0);
            s += y[n * 3 + c];
        }
        cr_assert(fabs(s - 1) < 1e-6, "row %d sums to %g", n, s);
    }
    /* softmax(1000, 1001, 1002) = softmax(0, 1, 2) */
    double e = exp(1.0), denom = 1 + e + e * e;
    cr_assert(close_to(y[2], e * e / denom, GOLDEN_RTOL, 1e-6));
}

Test(activations, names_round_trip) {
    for (int k = 0; k < ACT_NKINDS; k++) {
        Activation a;
        cr_assert(act_parse(act_name((ActKind)k), &a), "%s", act_name((ActKind)k));
        cr_assert(eq(int, (int)a.kind, k));
    }
    Activation a;
    cr_assert(not(act_parse("swish2", &a)));
}
