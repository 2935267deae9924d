/** Tests of linear.c against PyTorch, and a gradient check. */
#include "check.h"

/* tests/golden/torch_golden.txt, "Linear: Y = X W^T + b with W (2x3) W[o][i] = 0.1*(o+1)*(i-1), b = [0.5, -0.25]"
 * with upstream gradient G[:, :2]. */
static const double want_y[8] = {0.458188903937, -0.333622192126, 0.491855600071, -0.266288799858,
                                 0.557936885701, -0.134126228599, 0.393430235689, -0.463139528622};
static const double want_dx[12] = {0.239613182975, 0, -0.239613182975, -0.220400275876, 0,
                                   0.220400275876, 0.196776055758, 0, -0.196776055758,
                                   -0.169213361545, 0, 0.169213361545};
static const double want_dW[6] = {-0.662850983618, -1.59757823215, -0.600972657055,
                                  -2.61738396973, -7.1324163165, -3.70883103747};
static const double want_db[2] = {-0.273558986904, -0.0970985131023};

static void setup_golden(Linear *l, real *X, real *dY) {
    linear_init(l, 3, 2, true);
    for (int o = 0; o < 2; o++)
        for (int i = 0; i < 3; i++) l->W[o * 3 + i] = (real)(0.1 * (o + 1) * (i - 1));
    l->b[0] = R(0.5), l->b[1] = R(-0.25);
    real G[12];
    golden_X(X);
    golden_G(G);
    for (int n = 0; n < 4; n++) dY[n * 2] = G[n * 3], dY[n * 2 + 1] = G[n * 3 + 1];
}

Test(linear, forward_matches_pytorch) {
    Linear l;
    real X[12], dY[8], Y[8];
    setup_golden(&l, X, dY);
    linear_forward(Y, X, l.W, l.b, 4, 3, 2);
    assert_all_close(Y, want_y, 8, GOLDEN_RTOL, 1e-3, "y");
    linear_free(&l);
}

Test(linear, backward_matches_pytorch) {
    Linear l;
    real X[12], dY[8], dX[12];
    setup_golden(&l, X, dY);
    linear_backward(dX, l.dW, l.db, dY, X, l.W, 4, 3, 2);
    assert_all_close(dX, want_dx, 12, GOLDEN_RTOL, 1e-3, "dx");
    assert_all_close(l.dW, want_dW, 6, GOLDEN_RTOL, 1e-3, "dW");
    assert_all_close(l.db, want_db, 2, GOLDEN_RTOL, 1e-3, "db");
    linear_free(&l);
}

Test(linear, parameter_gradients_accumulate) {
    Linear l;
    real X[12], dY[8];
    setup_golden(&l, X, dY);
    linear_backward(NULL, l.dW, l.db, dY, X, l.W, 4, 3, 2);
    linear_backward(NULL, l.dW, l.db, dY, X, l.W, 4, 3, 2);
    double twice[6];
    for (int i = 0; i < 6; i++) twice[i] = 2 * want_dW[i];
    assert_all_close(l.dW, twice, 6, GOLDEN_RTOL, 1e-3, "dW after two backward passes");
    linear_free(&l);
}

Test(linear, no_bias) {
    Linear l;
    linear_init(&l, 3, 2, false);
    cr_assert(l.b == NULL && l.db == NULL);
    real X[12], Y[8];
    golden_X(X);
    for (int i = 0; i < 6; i++) l.W[i] = (real)(0.1 * (i / 3 + 1) * (i % 3 - 1));
    linear_forward(Y, X, l.W, NULL, 4, 3, 2);
    cr_assert(close_to(Y[0], want_y[0] - 0.5, GOLDEN_RTOL, 1e-3));
    cr_assert(close_to(Y[1], want_y[1] + 0.25, GOLDEN_RTOL, 1e-3));
    linear_free(&l);
    linear_free(&l);   /* a zeroed struct frees to nothing */
}

typedef struct {
    Linear *l;
    real *x, *y, *g;
    int N;
} LinCtx;

static double lin_objective(void *p) {
    LinCtx *c = p;
    linear_forward(c->y, c->x, c->l->W, c->l->b, c->N, c->l->in, c->l->out);
    double s = 0;
    for (int i = 0; i < c->N * c->l->out; i++) s += (double)c->y[i] * (double)c->g[i];
    return s;
}

Test(linear, gradient_check, GRADCHECK_ONLY) {
    enum { N = 5, Din = 7, Dout = 4 };
    Linear l;
    linear_init(&l, Din, Dout, true);
    Rng rng;
    rng_init(&rng, 5);
    real x[N * Din], y[N * Dout], g[N * Dout], dx[N * Din];
    for (int i = 0; i < Din * Dout; i++) l.W[i] = (real)rng_normal(&rng);
    for (int i = 0; i < Dout; i++) l.b[i] = (real)rng_normal(&rng);
    for (int i = 0; i < N * Din; i++) x[i] = (real)rng_normal(&rng);
    for (int i = 0; i < N * Dout; i++) g[i] = (real)rng_normal(&rng);
    linear_backward(dx, l.dW, l.db, g, x, l.W, N, Din, Dout);
    LinCtx c = {&l, x, y, g, N};
    assert_gradcheck(gradcheck(lin_objective, &c, x, dx, N * Din, 0, GRADCHECK_H), "dx");
    assert_gradcheck(gradcheck(lin_objective, &c, l.W, l.dW, Din * Dout, 0, GRADCHECK_H), "dW");
    assert_gradcheck(gradcheck(lin_objective, &c, l.b, l.db, Dout, 0, GRADCHECK_H), "db");
    linear_free(&l);
}
