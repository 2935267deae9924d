/** Grading tests of Lab 4's exercises: BatchNorm (training, evaluation, backward), LayerNorm and
 * RMSNorm (forward, backward). Expected values: PyTorch's (torch_golden.txt, as tests/test_norm.c
 * copies them), and the test's own statistics in double. A backward test fills the forward pass's
 * caches (xhat, inv_std) itself, so it grades the backward pass alone. */
#include "grade.h"

/* torch_golden.txt: X and G (grade.h); gamma = [1.5, 0.5, -1], beta = [0.1, -0.2, 0.3] */
static const real GAMMA[3] = {R(1.5), R(0.5), R(-1)}, BETA[3] = {R(0.1), R(-0.2), R(0.3)};
static const double bn_out[12] = {1.78076923771, 0.278984619095, -0.263649878928, -1.6107925786, -0.689087776153,
                                  0.882511648302, 1.38929042802, 0.320470417876, -1.00225107636, -1.15926708713,
                                  -0.710367260817, 1.58338930698};
static const double bn_dx[12] = {-0.191897138425, -0.0207850605815, 0.239772707712, 0.191256867962, 0.0207978689234,
                                 -0.241125874479, 0.255235908241, 0.0195179950734, -0.105910655164, -0.254595637777,
                                 -0.0195308034153, 0.107263821931};
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
static const double rms_out[12] = {1.06744594494, 0.768991340588, -0.358034877193, -0.883437892873, -0.746253741573,
                                   0.652339918262, 0.704182034784, 0.706953337756, -0.883447041616, -0.53857989304,
                                   -0.659992302633, 1.06241239173};
static const double rms_dx[12] = {-0.333014566648, 0.00257510014059, 0.650836925884, 0.258506753564, 0.189580733523,
                                  -0.667137180594, -0.155358475117, -0.323739268223, 0.600682157825, 0.0363542183696,
                                  0.396012578963, -0.50430861778};

static void golden_norm(Norm *n, NormKind kind, real *X, real *G) {
    norm_init(n, kind, 3, 4);
    memcpy(n->gamma, GAMMA, sizeof GAMMA);
    if (n->beta) memcpy(n->beta, BETA, sizeof BETA);
    if (kind == NORM_RMS) n->eps = R(1e-6);
    golden_X(X), golden_G(G);
}

/* The test's own statistics of x [N, D]: over each column (BatchNorm) or each row; centred or
 * not (RMSNorm); biased variance. Fills n->xhat, n->mean and n->inv_std as a forward pass would. */
static void own_stats(Norm *n, const real *x, int N, bool columns, bool centred) {
    int D = n->d, groups = columns ? D : N, len = columns ? N : D;
    for (int g = 0; g < groups; g++) {
        double mu = 0, var = 0;
        for (int k = 0; k < len; k++) mu += x[columns ? k * D + g : g * D + k];
        mu = centred ? mu / len : 0;
        for (int k = 0; k < len; k++) {
            double c = x[columns ? k * D + g : g * D + k] - mu;
            var += c * c;
        }
        double inv = 1 / sqrt(var / len + n->eps);
        n->mean[g] = (real)mu, n->inv_std[g] = (real)inv;
        for (int k = 0; k < len; k++) {
            int i = columns ? k * D + g : g * D + k;
            n->xhat[i] = (real)((x[i] - mu) * inv);
        }
    }
    n->batch_stats = true;
}

Test(batchnorm_forward, matches_pytorch) {
    Norm n;
    real X[12], G[12], Y[12];
    golden_norm(&n, NORM_BATCH, X, G);
    norm_forward(&n, Y, X, 4, true);
    EXPECT_ALL_NEAR("batchnorm_forward", Y, bn_out, 12, TOL, "y (training mode, PyTorch's BatchNorm1d)");
    norm_free(&n);
}

Test(batchnorm_forward, running_statistics_match_pytorch) {
    Norm n;
    real X[12], G[12], Y[12];
    golden_norm(&n, NORM_BATCH, X, G);
    norm_forward(&n, Y, X, 4, true);
    EXPECT_ALL_NEAR("batchnorm_forward", n.running_mean, bn_rmean, 3, TOL, "running_mean after one batch (momentum 0.1)");
    EXPECT_ALL_NEAR("batchnorm_forward", n.running_var, bn_rvar, 3, TOL, "running_var after one batch (momentum 0.1, the unbiased variance)");
    norm_free(&n);
}

Test(batchnorm_forward, statistics_per_feature_with_eps_inside_the_root) {
    /* a small variance, where eps matters: 1 / sqrt(var + eps), not 1 / (sqrt(var) + eps) */
    Norm n, own;
    norm_init(&n, NORM_BATCH, 2, 5), norm_init(&own, NORM_BATCH, 2, 5);
    real x[10] = {R(1e-3), 5, R(2e-3), 6, R(3e-3), 7, R(4e-3), 9, R(6e-3), 8}, y[10];
    norm_forward(&n, y, x, 5, true);
    own_stats(&own, x, 5, true, true);
    EXPECT_ALL_NEAR("batchnorm_forward", n.mean, own.mean, 2, TOL, "mean of feature j (a column)");
    EXPECT_ALL_NEAR("batchnorm_forward", n.inv_std, own.inv_std, 2, TOL, "inv_std of feature j = 1 / sqrt(biased var + eps)");
    norm_free(&n), norm_free(&own);
}

Test(batchnorm_eval, forward_uses_the_running_averages) {
    Norm n;
    real X[12], G[12], Y[12];
    golden_norm(&n, NORM_BATCH, X, G);
    for (int j = 0; j < 3; j++) n.running_mean[j] = (real)bn_rmean[j], n.running_var[j] = (real)bn_rvar[j];
    norm_forward(&n, Y, X, 4, false);
    EXPECT_ALL_NEAR("batchnorm_eval", Y, bn_eval, 12, 1e-8, "y in evaluation mode (PyTorch's, after one training batch)");
    norm_free(&n);
}

Test(batchnorm_eval, one_sample_alone) {
    Norm n;
    norm_init(&n, NORM_BATCH, 2, 1);
    n.running_mean[0] = R(2), n.running_var[0] = R(4), n.running_mean[1] = R(-1), n.running_var[1] = R(0.25);
    real x[2] = {3, 0}, y[2];
    norm_forward(&n, y, x, 1, false);
    EXPECT_NEAR("batchnorm_eval", y[0], 1 / sqrt(4 + 1e-5), TOL, "y for x = 3, running mean 2, running var 4");
    EXPECT_NEAR("batchnorm_eval", y[1], 1 / sqrt(0.25 + 1e-5), TOL, "y for x = 0, running mean -1, running var 0.25");
    norm_free(&n);
}

Test(batchnorm_eval, backward_treats_the_statistics_as_constants) {
    Norm n;
    real X[12], G[12], dX[12];
    golden_norm(&n, NORM_BATCH, X, G);
    for (int j = 0; j < 3; j++) n.mean[j] = R(0.1) * (real)j, n.inv_std[j] = R(0.5) + (real)j;
    n.batch_stats = false;   /* as an evaluation-mode forward pass leaves it */
    norm_backward(&n, dX, G, 4);
    for (int i = 0; i < 12; i++)
        EXPECT_NEAR("batchnorm_eval", dX[i], G[i] * GAMMA[i % 3] * (0.5 + i % 3), TOL, "dx[%d] = dy gamma inv_std in evaluation mode", i);
    norm_free(&n);
}

Test(batchnorm_backward, matches_pytorch) {
    Norm n;
    real X[12], G[12], dX[12];
    golden_norm(&n, NORM_BATCH, X, G);
    own_stats(&n, X, 4, true, true);
    norm_backward(&n, dX, G, 4);
    EXPECT_ALL_NEAR("batchnorm_backward", dX, bn_dx, 12, TOL, "dx (training mode; PyTorch's)");
    norm_free(&n);
}

/* the test's own central difference of sum(G * y) through its own forward pass */
static void central_check(NormKind kind, const char *fn, int N, int D) {
    Norm n, own;
    norm_init(&n, kind, D, N), norm_init(&own, kind, D, N);
    real x[64], G[64], dx[64];
    fill(x, N * D, 51, 2), fill(G, N * D, 52, 1), fill(n.gamma, D, 53, 1);
    memcpy(own.gamma, n.gamma, (size_t)D * sizeof(real));
    bool columns = kind == NORM_BATCH, centred = kind != NORM_RMS;
    own_stats(&n, x, N, columns, centred);
    norm_backward(&n, dx, G, N);
    const double h = 1e-5;
    for (int i = 0; i < N * D; i++) {
        real saved = x[i];
        double f[2];
        for (int s = 0; s < 2; s++) {
            x[i] = (real)(saved + (s ? h : -h));
            own_stats(&own, x, N, columns, centred);
            f[s] = 0;
            for (int k = 0; k < N * D; k++) f[s] += G[k] * (double)own.gamma[k % D] * own.xhat[k];
        }
        x[i] = saved;
        EXPECT_NEAR(fn, dx[i], (f[1] - f[0]) / (2 * h), 1e-6, "dx[%d] against the central difference of sum(dy * y)", i);
    }
    norm_free(&n), norm_free(&own);
}

Test(batchnorm_backward, agrees_with_a_central_difference) { central_check(NORM_BATCH, "batchnorm_backward", 5, 3); }

Test(layernorm_forward, matches_pytorch) {
    Norm n;
    real X[12], G[12], Y[12];
    golden_norm(&n, NORM_LAYER, X, G);
    norm_forward(&n, Y, X, 4, true);
    EXPECT_ALL_NEAR("layernorm_forward", Y, ln_out, 12, TOL, "y (PyTorch's LayerNorm over the 3 features)");
    norm_free(&n);
}

Test(layernorm_forward, statistics_per_sample_with_eps_inside_the_root) {
    Norm n, own;
    norm_init(&n, NORM_LAYER, 4, 2), norm_init(&own, NORM_LAYER, 4, 2);
    real x[8] = {R(1e-3), R(2e-3), R(4e-3), R(3e-3), 10, 12, 11, 15}, y[8];
    norm_forward(&n, y, x, 2, true);
    own_stats(&own, x, 2, false, true);
    EXPECT_ALL_NEAR("layernorm_forward", n.mean, own.mean, 2, TOL, "mean of sample i (a row)");
    EXPECT_ALL_NEAR("layernorm_forward", n.inv_std, own.inv_std, 2, TOL, "inv_std of sample i = 1 / sqrt(biased var + eps)");
    norm_free(&n), norm_free(&own);
}

Test(layernorm_backward, matches_pytorch) {
    Norm n;
    real X[12], G[12], dX[12];
    golden_norm(&n, NORM_LAYER, X, G);
    own_stats(&n, X, 4, false, true);
    norm_backward(&n, dX, G, 4);
    EXPECT_ALL_NEAR("layernorm_backward", dX, ln_dx, 12, TOL, "dx (PyTorch's)");
    norm_free(&n);
}

Test(layernorm_backward, agrees_with_a_central_difference) { central_check(NORM_LAYER, "layernorm_backward", 3, 5); }

Test(rmsnorm_forward, matches_pytorch) {
    Norm n;
    real X[12], G[12], Y[12];
    golden_norm(&n, NORM_RMS, X, G);
    norm_forward(&n, Y, X, 4, true);
    EXPECT_ALL_NEAR("rmsnorm_forward", Y, rms_out, 12, TOL, "y (PyTorch's RMSNorm, eps 1e-6)");
    norm_free(&n);
}

Test(rmsnorm_forward, no_centring) {
    Norm n, own;
    norm_init(&n, NORM_RMS, 3, 2), norm_init(&own, NORM_RMS, 3, 2);
    real x[6] = {5, 6, 7, R(-1e-3), R(2e-3), R(1e-3)}, y[6];
    norm_forward(&n, y, x, 2, true);
    own_stats(&own, x, 2, false, false);
    EXPECT_ALL_NEAR("rmsnorm_forward", n.inv_std, own.inv_std, 2, TOL, "inv_std of sample i = 1 / sqrt(mean x^2 + eps), x not centred");
    EXPECT_ALL_NEAR("rmsnorm_forward", y, own.xhat, 6, TOL, "y (gamma 1)");
    norm_free(&n), norm_free(&own);
}

Test(rmsnorm_backward, matches_pytorch) {
    Norm n;
    real X[12], G[12], dX[12];
    golden_norm(&n, NORM_RMS, X, G);
    own_stats(&n, X, 4, false, false);
    norm_backward(&n, dX, G, 4);
    EXPECT_ALL_NEAR("rmsnorm_backward", dX, rms_dx, 12, TOL, "dx (PyTorch's)");
    norm_free(&n);
}

Test(rmsnorm_backward, agrees_with_a_central_difference) { central_check(NORM_RMS, "rmsnorm_backward", 3, 5); }
