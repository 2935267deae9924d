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
