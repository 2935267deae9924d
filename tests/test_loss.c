/** Tests of loss.c against PyTorch, gradient checks, and numerical stability. */
#include "check.h"

/* tests/golden/torch_golden.txt, "Softmax cross-entropy (mean over batch) on logits X with labels [2, 0, 1, 2]" */
static const int labels[4] = {2, 0, 1, 2};
static const double ce_loss = 1.1903756071;
static const double ce_grad[12] = {0.0579361774684, 0.153925063763, -0.211861241231,
                                   -0.138140311817, 0.0350298042039, 0.103110507613,
                                   0.0382566344761, -0.106541342863, 0.068284708387,
                                   0.158462130209, 0.0369496559614, -0.19541178617};
static const double ls_loss = 1.19719060053;
static const double ls_grad[12] = {0.049602844135, 0.145591730429, -0.195194574564,
                                   -0.12147364515, 0.0266964708705, 0.0947771742794,
                                   0.0299233011427, -0.0898746761964, 0.0599513750536,
                                   0.150128796875, 0.0286163226281, -0.178745119503};
/* "mse(X, G) loss (mean over all elements)" */
static const double mse_loss = 4.21309212943;
static const double mse_grad[12] = {0.209602970226, 0.468097891709, 0.179500607507,
                                    -0.173410780129, -0.479669805996, -0.265358124823,
                                    0.133747772088, 0.481641125855, 0.345904497467,
                                    -0.0914078014796, -0.473972395306, -0.419527589242};

Test(loss, cross_entropy_matches_pytorch) {
    real X[12], P[12], D[12];
    golden_X(X);
    real l = xent_forward(P, X, labels, 4, 3, 0);
    cr_assert(close_to(l, ce_loss, GOLDEN_RTOL, 1e-3), "loss %.12g", (double)l);
    xent_backward(D, P, labels, 4, 3, 0);
    assert_all_close(D, ce_grad, 12, GOLDEN_RTOL, 1e-3, "dlogits");
}

Test(loss, label_smoothing_matches_pytorch) {
    real X[12], P[12];
    golden_X(X);
    real l = xent_forward(P, X, labels, 4, 3, R(0.1));
    cr_assert(close_to(l, ls_loss, GOLDEN_RTOL, 1e-3), "loss %.12g", (double)l);
    xent_backward(P, P, labels, 4, 3, R(0.1));   /* in place */
    assert_all_close(P, ls_grad, 12, GOLDEN_RTOL, 1e-3, "dlogits");
}

Test(loss, mse_matches_pytorch) {
    real X[12], G[12], D[12];
    golden_X(X), golden_G(G);
    real l = mse_forward(X, G, 12);
    cr_assert(close_to(l, mse_loss, GOLDEN_RTOL, 1e-3), "loss %.12g", (double)l);
    mse_backward(D, X, G, 12);
    assert_all_close(D, mse_grad, 12, GOLDEN_RTOL, 1e-3, "dpred");
}

typedef struct {
    real *z, *p;
    const int *y;
    int N, C;
    real eps;
} XentCtx;

static double xent_objective(void *c_) {
    XentCtx *c = c_;
    return (double)xent_forward(c->p, c->z, c->y, c->N, c->C, c->eps);
}

Test(loss, cross_entropy_gradient_check, GRADCHECK_ONLY) {
    enum { N = 6, C = 5 };
    real z[N * C], p[N * C], d[N * C];
    int y[N];
    Rng rng;
    rng_init(&rng, 21);
    for (int i = 0; i < N * C; i++) z[i] = (real)rng_normal(&rng);
    for (int n = 0; n < N; n++) y[n] = rng_below(&rng, C);
    real eps[2] = {0, R(0.2)};
    for (int e = 0; e < 2; e++) {
        XentCtx c = {z, p, y, N, C, eps[e]};
        xent_forward(p, z, y, N, C, eps[e]);
        xent_backward(d, p, y, N, C, eps[e]);
        assert_gradcheck(gradcheck(xent_objective, &c, z, d, N * C, 0, GRADCHECK_H),
                         e ? "smoothed" : "plain");
    }
}

typedef struct {
    real *pred, *target;
    int n;
} MseCtx;

static double mse_objective(void *c_) {
    MseCtx *c = c_;
    return (double)mse_forward(c->pred, c->target, (size_t)c->n);
}

Test(loss, mse_gradient_check, GRADCHECK_ONLY) {
    enum { n = 17 };
    real a[n], b[n], d[n];
    Rng rng;
    rng_init(&rng, 22);
    for (int i = 0; i < n; i++) a[i] = (real)rng_normal(&rng), b[i] = (real)rng_normal(&rng);
    mse_backward(d, a, b, n);
    MseCtx c = {a, b, n};
    assert_gradcheck(gradcheck(mse_objective, &c, a, d, n, 0, GRADCHECK_H), "mse");
}

Test(loss, cross_entropy_is_stable_for_huge_logits) {
    real z[3] = {1000, 0, -1000}, p[3];
    int y[1] = {2};
    real l = xent_forward(p, z, y, 1, 3, 0);
    cr_assert(isfinite(l) && close_to(l, 2000, 1e-6, 1), "loss %g (log-sum-exp gives 2000)", (double)l);
    y[0] = 0;
    cr_assert(xent_forward(p, z, y, 1, 3, 0) == 0);
}

Test(loss, uniform_logits_give_log_c) {
    /* The first sanity check of every training run: at initialization the loss is ln C. */
    real z[20] = {0}, p[20];
    int y[2] = {3, 7};
    cr_assert(close_to(xent_forward(p, z, y, 2, 10, 0), log(10.0), GOLDEN_RTOL, 1));
}

Test(loss, argmax_and_accuracy) {
    real s[9] = {0.1f, 0.7f, 0.2f, 0.5f, 0.5f, 0, 0, 0, 1};
    int y[3] = {1, 1, 2};
    cr_assert(eq(int, argmax(s, 3), 1));
    cr_assert(eq(int, argmax(s + 3, 3), 0), "ties go to the first");
    cr_assert(eq(int, count_correct(s, y, 3, 3), 2));
}

Test(loss, bad_label_aborts, .signal = SIGABRT) {
    real z[3] = {0}, p[3];
    int y[1] = {3};
    xent_forward(p, z, y, 1, 3, 0);
}

/* ---- Binary cross-entropy on logits and the Huber loss (Lab 0) ----
 * Golden values: tests/golden/losses_lab00.txt, printed by PyTorch 1.13 (Debian python3-torch)
 * running tests/golden/losses_lab00.py: BCEWithLogitsLoss and HuberLoss, mean reduction, float64. */
static void golden_T(real *T) {   /* targets 0, 0.5, 1 in each row of X */
    for (int k = 0; k < 12; k++) T[k] = (real)(k % 3) / 2;
}
static const double bce_loss = 0.938890674663734;
static const double bce_grad[12] = {0.0582312443275563, 0.0300331195985353, -0.0329760838402647,
                                    0.0266117401073464, -0.0309915272371468, -0.0581746482520418,
                                    0.0548819287621994, 0.0315453560860365, -0.0187559173722491,
                                    0.0306043888485316, -0.0317329184553195, -0.0694476946212634};
static const real bce_Z[8] = {-100, -20, -5, 0, 5, 20, 100, 30};
static const real bce_Y[8] = {1, 1, 0, 1, 0, 0, 0, 1};
static const double bce_extreme_loss = 30.7133222352076;
static const double bce_extreme_grad[8] = {-0.125, -0.124999999742356, 0.000836606365535607, -0.0625,
                                           0.124163393634464, 0.124999999742356, 0.125, -1.16850973341798e-14};
static const double huber1_loss = 1.37104200652775;
static const double huber1_grad[12] = {0.0833333333333333, 0.0833333333333333, 0.0833333333333333,
                                       -0.0833333333333333, -0.0833333333333333, -0.0833333333333333,
                                       0.0668738860439502, 0.0833333333333333, 0.0833333333333333,
                                       -0.045703900739785, -0.0833333333333333, -0.0833333333333333};
static const double huber2_loss = 1.97313924408545;
static const double huber2_grad[12] = {0.10480148511292, 0.166666666666667, 0.0897503037536011,
                                       -0.0867053900642629, -0.166666666666667, -0.132679062411674,
                                       0.0668738860439502, 0.166666666666667, 0.166666666666667,
                                       -0.045703900739785, -0.166666666666667, -0.166666666666667};

Test(loss, bce_logits_matches_pytorch) {
    real X[12], T[12], D[12];
    golden_X(X), golden_T(T);
    real l = bce_logits_forward(X, T, 12);
    cr_assert(close_to(l, bce_loss, GOLDEN_RTOL, 1e-3), "loss %.12g", (double)l);
    bce_logits_backward(D, X, T, 12);
    assert_all_close(D, bce_grad, 12, GOLDEN_RTOL, 1e-3, "dlogits");
}

Test(loss, bce_logits_matches_pytorch_at_extreme_logits) {
    /* logits of +-100: a naive log(sigmoid) gives inf in float; PyTorch and the stable form do not */
    real D[8];
    real l = bce_logits_forward(bce_Z, bce_Y, 8);
    cr_assert(isfinite(l) && close_to(l, bce_extreme_loss, GOLDEN_RTOL, 1e-3), "loss %.12g", (double)l);
    bce_logits_backward(D, bce_Z, bce_Y, 8);
    assert_all_close(D, bce_extreme_grad, 8, GOLDEN_RTOL, 1e-3, "dlogits");
}

Test(loss, huber_matches_pytorch) {
    real X[12], G[12], D[12];
    golden_X(X), golden_G(G);
    real l = huber_forward(X, G, 12, 1);
    cr_assert(close_to(l, huber1_loss, GOLDEN_RTOL, 1e-3), "delta 1: loss %.12g", (double)l);
    huber_backward(D, X, G, 12, 1);
    assert_all_close(D, huber1_grad, 12, GOLDEN_RTOL, 1e-3, "delta 1: dpred");
    l = huber_forward(X, G, 12, 2);
    cr_assert(close_to(l, huber2_loss, GOLDEN_RTOL, 1e-3), "delta 2: loss %.12g", (double)l);
    huber_backward(D, X, G, 12, 2);
    assert_all_close(D, huber2_grad, 12, GOLDEN_RTOL, 1e-3, "delta 2: dpred");
}

/* The definitions, computed independently in long double from PyTorch's documented formulas: BCE
 * as -y log(sigmoid z) - (1-y) log(1 - sigmoid z) (the naive form, exact enough in long double for
 * |z| <= 8), Huber piece by piece. */
Test(loss, bce_and_huber_match_their_definitions) {
    Rng rng;
    rng_init(&rng, 23);
    enum { n = 40 };
    real z[n], y[n], d[n];
    long double bce = 0, huber = 0;
    for (int i = 0; i < n; i++) {
        z[i] = (real)rng_uniform_range(&rng, -8, 8), y[i] = (real)rng_uniform(&rng);
        long double p = 1.0L / (1.0L + expl(-(long double)z[i]));
        bce += -(long double)y[i] * logl(p) - (1.0L - (long double)y[i]) * logl(1.0L - p);
    }
    bce /= n;
    cr_assert(close_to(bce_logits_forward(z, y, n), (double)bce, GOLDEN_RTOL, 1e-3));
    real delta = R(0.7);
    for (int i = 0; i < n; i++) {
        long double r = (long double)z[i] - (long double)y[i] * 8, a = fabsl(r);
        huber += a < delta ? 0.5L * r * r : delta * (a - 0.5L * delta);
        d[i] = y[i] * 8;
    }
    huber /= n;
    cr_assert(close_to(huber_forward(z, d, n, delta), (double)huber, GOLDEN_RTOL, 1e-3));
}

/* Hand-checkable cases. */
Test(loss, bce_and_huber_small_cases) {
    real z[2] = {0, 0}, y[2] = {0, 1}, g[2];
    cr_assert(close_to(bce_logits_forward(z, y, 2), log(2.0), GOLDEN_RTOL, 1), "ln 2 at z = 0");
    bce_logits_backward(g, z, y, 2);
    cr_assert(close_to(g[0], 0.25, GOLDEN_RTOL, 1) && close_to(g[1], -0.25, GOLDEN_RTOL, 1), "(0.5 - y)/2");
    /* residuals 0, 0.5 and 3 with delta 1: losses 0, 0.125, 2.5; gradients 0, 0.5, 1; mean over 3 */
    real p[3] = {0, R(0.5), 3}, t[3] = {0, 0, 0}, dp[3];
    cr_assert(close_to(huber_forward(p, t, 3, 1), 2.625 / 3, GOLDEN_RTOL, 1));
    huber_backward(dp, p, t, 3, 1);
    cr_assert(close_to(dp[0], 0, GOLDEN_RTOL, 1) && close_to(dp[1], 0.5 / 3, GOLDEN_RTOL, 1) &&
              close_to(dp[2], 1.0 / 3, GOLDEN_RTOL, 1));
    /* huge delta: Huber is half the MSE */
    cr_assert(close_to(huber_forward(p, t, 3, 100), mse_forward(p, t, 3) / 2, GOLDEN_RTOL, 1));
    cr_assert(close_to(sigmoid_stable(-800), 0, 0, 1e-300) && sigmoid_stable(800) == 1);
}

typedef struct {
    real *a, *b;
    int n;
    real delta;
} PairCtx;

static double bce_objective(void *c_) {
    PairCtx *c = c_;
    return (double)bce_logits_forward(c->a, c->b, (size_t)c->n);
}

static double huber_objective(void *c_) {
    PairCtx *c = c_;
    return (double)huber_forward(c->a, c->b, (size_t)c->n, c->delta);
}

Test(loss, bce_logits_gradient_check, GRADCHECK_ONLY) {
    enum { n = 23 };
    real z[n], y[n], d[n];
    Rng rng;
    rng_init(&rng, 24);
    for (int i = 0; i < n; i++) z[i] = (real)(3 * rng_normal(&rng)), y[i] = (real)rng_uniform(&rng);
    y[0] = 0, y[1] = 1;   /* hard targets too */
    bce_logits_backward(d, z, y, n);
    PairCtx c = {z, y, n, 0};
    assert_gradcheck(gradcheck(bce_objective, &c, z, d, n, 0, GRADCHECK_H), "bce with logits");
}

Test(loss, huber_gradient_check, GRADCHECK_ONLY) {
    /* residuals on both pieces, kept 0.05 away from the switch at |d| = delta */
    enum { n = 31 };
    real a[n], b[n], d[n];
    Rng rng;
    rng_init(&rng, 25);
    real delta = R(0.8);
    for (int i = 0; i < n; i++) {
        double r;
        do r = 2.5 * rng_normal(&rng);
        while (fabs(fabs(r) - (double)delta) < 0.05);
        b[i] = (real)rng_normal(&rng), a[i] = b[i] + (real)r;
    }
    huber_backward(d, a, b, n, delta);
    PairCtx c = {a, b, n, delta};
    assert_gradcheck(gradcheck(huber_objective, &c, a, d, n, 0, GRADCHECK_H), "huber");
}

Test(loss, huber_bad_delta_aborts, .signal = SIGABRT) {
    real a[1] = {0}, b[1] = {1};
    huber_forward(a, b, 1, 0);
}
