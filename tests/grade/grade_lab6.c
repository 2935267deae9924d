/** Grading tests of Lab 6's exercises: the Xavier, He and orthogonal initializers. Expected values:
 * PyTorch's formulas (torch.nn.init), the sample statistics of many draws, and, for the orthogonal
 * one, the test's own check that W is the Q of a QR factorization of the very Gaussians drawn. */
#include "grade.h"

Test(init_xavier, scales_match_pytorch) {
    EXPECT_NEAR("init_scale", init_scale(init_make(INIT_XAVIER_UNIFORM), 300, 100), sqrt(6.0 / 400), TOL, "Xavier uniform's bound for fan_in 300, fan_out 100");
    EXPECT_NEAR("init_scale", init_scale(init_make(INIT_XAVIER_NORMAL), 300, 100), sqrt(2.0 / 400), TOL, "Xavier normal's std for fan_in 300, fan_out 100");
    Init g = init_make(INIT_XAVIER_NORMAL);
    g.gain = R(5) / R(3);
    EXPECT_NEAR("init_scale", init_scale(g, 50, 20), 5.0 / 3 * sqrt(2.0 / 70), TOL, "Xavier normal's std with the tanh gain 5/3, fans 50 and 20");
}

static void moments(Init init, int fan_out, int fan_in, double want_std, const char *what) {
    size_t n = (size_t)fan_out * fan_in;
    real *W = calloc(n, sizeof *W);
    Rng rng;
    rng_init(&rng, 3);
    init_weights(W, fan_out, fan_in, init, &rng);
    double s = 0, q = 0;
    for (size_t i = 0; i < n; i++) s += W[i], q += (double)W[i] * W[i];
    double mean = s / n, std = sqrt(q / n - mean * mean);
    EXPECT_NEAR("init_weights", std, want_std, 0.02 * want_std, "%s: the std of %zu weights", what, n);
    free(W);
}

Test(init_xavier, sample_std) {
    moments(init_make(INIT_XAVIER_UNIFORM), 200, 300, sqrt(2.0 / 500), "Xavier uniform, fan_in 300, fan_out 200");
    moments(init_make(INIT_XAVIER_NORMAL), 200, 300, sqrt(2.0 / 500), "Xavier normal, fan_in 300, fan_out 200");
}

Test(init_he, scales_match_pytorch) {
    EXPECT_NEAR("init_scale", init_scale(init_make(INIT_HE_NORMAL), 300, 100), sqrt(2.0 / 300), TOL, "He normal's std for fan_in 300, fan_out 100 (gain sqrt 2)");
    EXPECT_NEAR("init_scale", init_scale(init_make(INIT_HE_UNIFORM), 300, 100), sqrt(6.0 / 300), TOL, "He uniform's bound for fan_in 300, fan_out 100 (gain sqrt 2)");
}

Test(init_he, sample_std) {
    moments(init_make(INIT_HE_NORMAL), 100, 400, sqrt(2.0 / 400), "He normal, fan_in 400, fan_out 100");
    moments(init_make(INIT_HE_UNIFORM), 100, 400, sqrt(2.0 / 400), "He uniform, fan_in 400, fan_out 100");
}

/* W [rows, cols] from init_weights; A = the same Gaussians (the initializer draws m*n normals
 * into a tall [m, n] matrix, row by row). Checks Q^T Q = I and that R = Q^T A is upper
 * triangular with a positive diagonal: then Q is the Q of A's QR factorization, signs PyTorch's. */
static void check_orthogonal(int rows, int cols, double gain) {
    bool wide = rows < cols;
    int m = wide ? cols : rows, n = wide ? rows : cols;
    real *W = calloc((size_t)rows * cols, sizeof *W);
    double *A = calloc((size_t)m * n, sizeof *A), *Q = calloc((size_t)m * n, sizeof *Q);
    Rng rng, copy;
    rng_init(&rng, 11), rng_init(&copy, 11);
    Init init = init_make(INIT_ORTHOGONAL);
    init.gain = (real)gain;
    init_weights(W, rows, cols, init, &rng);
    for (int i = 0; i < m * n; i++) A[i] = rng_normal(&copy);
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            double w = W[r * cols + c] / gain;
            if (wide) Q[c * n + r] = w; else Q[r * n + c] = w;
        }
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++) {
            double qq = 0, qa = 0;
            for (int i = 0; i < m; i++) qq += Q[i * n + a] * Q[i * n + b], qa += Q[i * n + a] * A[i * n + b];
            EXPECT_NEAR("init_weights (orthogonal)", qq, a == b, 1e-9, "(Q^T Q)[%d][%d] for a %dx%d W (the columns of the %s matrix orthonormal)", a, b, rows, cols, wide ? "transposed" : "tall");
            if (a > b) EXPECT_NEAR("init_weights (orthogonal)", qa, 0, 1e-9, "R[%d][%d] = q_%d . a_%d, below R's diagonal (Q must span the Gaussian's columns in order)", a, b, a, b);
            if (a == b) cr_assert(qa > 0, "init_weights (orthogonal): R[%d][%d] = %g: expected a positive diagonal of R (PyTorch's sign correction), got a negative one", a, a, qa);
        }
    free(W), free(A), free(Q);
}

Test(init_orthogonal, tall_is_the_q_of_qr) { check_orthogonal(12, 5, 1.0); }
Test(init_orthogonal, wide_is_its_transpose) { check_orthogonal(4, 9, 2.0); }
Test(init_orthogonal, square) { check_orthogonal(6, 6, 1.0); }
