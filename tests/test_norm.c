/** Tests of norm.c: BatchNorm, LayerNorm and RMSNorm against PyTorch, gradient checks, and the
 * properties each one promises. */
#include "check.h"

#include <string.h>

/* tests/golden/torch_golden.txt: inputs X and upstream gradient G (check.h); gamma = [1.5, 0.5, -1],
 * beta = [0.1, -0.2, 0.3]. */
static const real GAMMA[3] = {R(1.5), R(0.5), R(-1)}, BETA[3] = {R(0.1), R(-0.2), R(0.3)};

static const double bn_out[12] = {1.78076923771, 0.278984619095, -0.263649878928, -1.6107925786, -0.689087776153,
                                  0.882511648302, 1.38929042802, 0.320470417876, -1.00225107636, -1.15926708713,
                                  -0.710367260817, 1.58338930698};
static const double bn_dx[12] = {-0.191897138425, -0.0207850605815, 0.239772707712, 0.191256867962, 0.0207978689234,
                                 -0.241125874479, 0.255235908241, 0.0195179950734, -0.105910655164, -0.254595637777,
                                 -0.0195308034153, 0.107263821931};
static const double bn_dgamma[3] = {-0.918599266426, -3.69738102142, -3.06487229045};
static const double bn_dbeta[3] = {-0.273558986904, -0.0970985131023, 0.168633885853};
static const double bn_rmean[3] = {0.00494084943323, -0.00301294038824, -0.0197062442173};
static const double bn_rvar[3] = {0.966621633264, 1.39656799298, 1.06154419171};
static const double bn_eval[12] = {1.37626937471, 0.570712287527, -0.130028859901, -1.06216937223, -1.01015646575,
                                   1.09445436442, 1.09480698367, 0.638458876852, -0.919101564076, -0.737535084765,
                                   -1.04490600778, 1.84322573299};

static const double ln_out[12] = {-0.37807348166, 0.47628836829, 1.33386108214, 1.27397481044, -0.905696981027,
                                  -0.328744088429, -1.65712323897, 0.435923855635, 0.400432218622, 2.14895475336,
                                  -0.70004465271, 0.665880530154};
static const double ln_dx[12] = {-1.01054306904, 0.302806085098, 0.707736983941, 1.11207842611, 0.0839210578307,
                                 -1.19599948394, -0.799777575893, -0.624197848319, 1.42397542421, 0.330041891721,
                                 0.901259434239, -1.23130132596};
static const double ln_dgamma[3] = {0.531127048695, -4.69696762312, 0.902040992635};
static const double ln_dbeta[3] = {-0.273558986904, -0.0970985131023, 0.168633885853};

static const double rms_out[12] = {1.06744594494, 0.768991340588, -0.358034877193, -0.883437892873, -0.746253741573,
                                   0.652339918262, 0.704182034784, 0.706953337756, -0.883447041616, -0.53857989304,
                                   -0.659992302633, 1.06241239173};
static const double rms_dx[12] = {-0.333014566648, 0.00257510014059, 0.650836925884, 0.258506753564, 0.189580733523,
                                  -0.667137180594, -0.155358475117, -0.323739268223, 0.600682157825, 0.0363542183696,
                                  0.396012578963, -0.50430861778};
static const double rms_dgamma[3] = {-0.533102852269, -5.35778004634, -2.43118571401};

static void golden_norm(Norm *n, NormKind kind, real *X, real *G) {
    norm_init(n, kind, 3, 4);
    memcpy(n->gamma, GAMMA, sizeof GAMMA);
    if (n->beta) memcpy(n->beta, BETA, sizeof BETA);
    if (kind == NORM_RMS) n->eps = R(1e-6);
    golden_X(X), golden_G(G);
}

Test(norm, batchnorm_matches_pytorch) {
    Norm n;
    real X[12], G[12], Y[12], dX[12];
    golden_norm(&n, NORM_BATCH, X, G);
    norm_forward(&n, Y, X, 4, true);
    assert_all_close(Y, bn_out, 12, GOLDEN_RTOL, 1e-3, "out");
    assert_all_close(n.running_mean, bn_rmean, 3, GOLDEN_RTOL, 1e-3, "running mean");
    assert_all_close(n.running_var, bn_rvar, 3, GOLDEN_RTOL, 1e-3, "running var (unbiased)");
    norm_backward(&n, dX, G, 4);
    assert_all_close(dX, bn_dx, 12, GOLDEN_RTOL, 1e-3, "dx");
    assert_all_close(n.dgamma, bn_dgamma, 3, GOLDEN_RTOL, 1e-3, "dgamma");
    assert_all_close(n.dbeta, bn_dbeta, 3, GOLDEN_RTOL, 1e-3, "dbeta");
    norm_forward(&n, Y, X, 4, false);
    assert_all_close(Y, bn_eval, 12, GOLDEN_RTOL, 1e-3, "eval-mode out (running statistics)");
    norm_free(&n);
}

Test(norm, batchnorm_graph_backward_matches_pytorch_and_the_closed_form) {
    Norm n;
    real X[12], G[12], Y[12], dX[12];
    golden_norm(&n, NORM_BATCH, X, G);
    norm_forward(&n, Y, X, 4, true);
    batchnorm_backward_graph(&n, dX, G, X, 4);
    assert_all_close(dX, bn_dx, 12, GOLDEN_RTOL, 1e-3, "graph dx");
    assert_all_close(n.dgamma, bn_dgamma, 3, GOLDEN_RTOL, 1e-3, "graph dgamma");
    assert_all_close(n.dbeta, bn_dbeta, 3, GOLDEN_RTOL, 1e-3, "graph dbeta");
    norm_free(&n);
    /* a larger random batch: the two backward passes agree */
    enum { N = 64, D = 33 };
    Rng rng;
    rng_init(&rng, 5);
    real *x = nn_calloc(N * D, sizeof(real)), *g = nn_calloc(N * D, sizeof(real)), *y = nn_calloc(N * D, sizeof(real));
    real *a = nn_calloc(N * D, sizeof(real)), *b = nn_calloc(N * D, sizeof(real));
    for (int i = 0; i < N * D; i++) x[i] = (real)(3 * rng_normal(&rng) + 1), g[i] = (real)rng_normal(&rng);
    norm_init(&n, NORM_BATCH, D, N);
    for (int j = 0; j < D; j++) n.gamma[j] = (real)rng_normal(&rng);
    norm_forward(&n, y, x, N, true);
    norm_backward(&n, a, g, N);
    batchnorm_backward_graph(&n, b, g, x, N);
    double scale = 0;
    for (int i = 0; i < N * D; i++) scale = fmax(scale, fabs((double)a[i]));
    for (int i = 0; i < N * D; i++)
        cr_assert(fabs((double)a[i] - b[i]) <= (FLOAT_BUILD ? 1e-5 : 1e-12) * scale, "dx[%d]: %g vs %g", i,
                  (double)a[i], (double)b[i]);
    norm_free(&n);
    free(x), free(g), free(y), free(a), free(b);
}

Test(norm, layernorm_matches_pytorch) {
    Norm n;
    real X[12], G[12], Y[12], dX[12];
    golden_norm(&n, NORM_LAYER, X, G);
    norm_forward(&n, Y, X, 4, true);
    assert_all_close(Y, ln_out, 12, GOLDEN_RTOL, 1e-3, "out");
    norm_backward(&n, dX, G, 4);
    assert_all_close(dX, ln_dx, 12, GOLDEN_RTOL, 1e-3, "dx");
    assert_all_close(n.dgamma, ln_dgamma, 3, GOLDEN_RTOL, 1e-3, "dgamma");
    assert_all_close(n.dbeta, ln_dbeta, 3, GOLDEN_RTOL, 1e-3, "dbeta");
    real Yeval[12];
    norm_forward(&n, Yeval, X, 4, false);
    cr_assert(memcmp(Y, Yeval, sizeof Y) == 0, "LayerNorm is the same in training and evaluation");
    norm_free(&n);
}

Test(norm, rmsnorm_matches_pytorch) {
    Norm n;
    real X[12], G[12], Y[12], dX[12];
    golden_norm(&n, NORM_RMS, X, G);
    cr_assert(n.beta == NULL, "RMSNorm has no shift");
    norm_forward(&n, Y, X, 4, true);
    assert_all_close(Y, rms_out, 12, GOLDEN_RTOL, 1e-3, "out");
    norm_backward(&n, dX, G, 4);
    assert_all_close(dX, rms_dx, 12, GOLDEN_RTOL, 1e-3, "dx");
    assert_all_close(n.dgamma, rms_dgamma, 3, GOLDEN_RTOL, 1e-3, "dgamma");
    norm_free(&n);
}

/* A sample's LayerNorm output is a function of that sample alone: change every other row of the
 * batch and row 0's output stays bit for bit the same. BatchNorm's does not, in training. */
Test(norm, layernorm_ignores_the_rest_of_the_batch) {
    enum { N = 8, D = 16 };
    Rng rng;
    rng_init(&rng, 7);
    real x[N * D], y1[N * D], y2[N * D];
    for (int i = 0; i < N * D; i++) x[i] = (real)rng_normal(&rng);
    for (int kind = NORM_BATCH; kind <= NORM_RMS; kind++) {
        Norm n;
        norm_init(&n, (NormKind)kind, D, N);
        norm_forward(&n, y1, x, N, true);
        real x2[N * D];
        memcpy(x2, x, sizeof x);
        for (int i = D; i < N * D; i++) x2[i] = (real)(5 * rng_normal(&rng) + 2);
        norm_forward(&n, y2, x2, N, true);
        bool same = memcmp(y1, y2, D * sizeof(real)) == 0;
        if (kind == NORM_BATCH) cr_assert(not(same), "BatchNorm in training mixes the batch");
        else cr_assert(same, "%s: row 0 must not depend on the other rows", norm_name((NormKind)kind));
        if (kind == NORM_BATCH) {   /* in evaluation BatchNorm is per sample too */
            norm_forward(&n, y1, x, N, false);
            norm_forward(&n, y2, x2, N, false);
            cr_assert(memcmp(y1, y2, D * sizeof(real)) == 0, "BatchNorm in evaluation is per sample");
        }
        norm_free(&n);
    }
}

/* Running statistics converge to the data's: many batches from N(3, 2^2). */
Test(norm, running_statistics_track_the_data) {
    enum { N = 32, D = 4 };
    Rng rng;
    rng_init(&rng, 8);
    Norm n;
    norm_init(&n, NORM_BATCH, D, N);
    real x[N * D], y[N * D];
    for (int step = 0; step < 200; step++) {
        for (int i = 0; i < N * D; i++) x[i] = (real)(3 + 2 * rng_normal(&rng));
        norm_forward(&n, y, x, N, true);
    }
    for (int j = 0; j < D; j++) {
        cr_assert(fabs(n.running_mean[j] - 3) < 0.3, "mean %g", (double)n.running_mean[j]);
        cr_assert(fabs(n.running_var[j] - 4) < 0.8, "var %g", (double)n.running_var[j]);
    }
    norm_free(&n);
}

static GradCheck check_norm_net(NormKind kind, uint64_t seed) {
    Rng rng;
    rng_init(&rng, seed);
    Net net;
    net_init(&net, 6);
    /* no bias before BatchNorm: subtracting the batch mean cancels it, so its gradient is exactly
     * zero and the difference quotient only measures rounding */
    net_add_linear(&net, 5, 7, kind != NORM_BATCH, init_make(INIT_HE_NORMAL), &rng);
    net_add_norm(&net, kind);
    net_add_act(&net, act_make(ACT_TANH));
    net_add_linear(&net, 7, 3, true, init_make(INIT_XAVIER_UNIFORM), &rng);
    Layer *l = &net.layers[1];
    for (int j = 0; j < 7; j++) {   /* gains and shifts away from 1 and 0, so their gradients matter */
        l->norm.gamma[j] = (real)(1 + 0.5 * rng_normal(&rng));
        if (l->norm.beta) l->norm.beta[j] = (real)(0.3 * rng_normal(&rng));
    }
    real x[30];
    for (int i = 0; i < 30; i++) x[i] = (real)rng_normal(&rng);
    GradCheck r = gradcheck_net(&net, x, 6, 0, &rng);
    net_free(&net);
    return r;
}

Test(norm, batchnorm_gradient_check, GRADCHECK_ONLY) { assert_gradcheck(check_norm_net(NORM_BATCH, 11), "batchnorm"); }
Test(norm, layernorm_gradient_check, GRADCHECK_ONLY) { assert_gradcheck(check_norm_net(NORM_LAYER, 12), "layernorm"); }
Test(norm, rmsnorm_gradient_check, GRADCHECK_ONLY) { assert_gradcheck(check_norm_net(NORM_RMS, 13), "rmsnorm"); }

Test(norm, in_a_net_gains_are_parameters_without_decay) {
    Rng rng;
    rng_init(&rng, 3);
    Net net;
    net_init(&net, 4);
    net_add_linear(&net, 3, 8, true, init_make(INIT_HE_NORMAL), &rng);
    net_add_norm(&net, NORM_BATCH);
    net_add_act(&net, act_make(ACT_RELU));
    net_add_linear(&net, 8, 2, true, init_make(INIT_XAVIER_UNIFORM), &rng);
    Param p[8];
    int np = net_params(&net, p, 8);
    cr_assert(eq(int, np, 6), "W b gamma beta W b");
    cr_assert(eq(str, (char *)p[2].name, "gamma"));
    cr_assert(p[2].decay == false && p[3].decay == false, "gamma and beta do not decay");
    char desc[128];
    net_describe(&net, desc, sizeof desc);
    cr_assert(eq(str, desc, "Linear(3,8) batchnorm relu Linear(8,2)"));
    net_free(&net);
}
