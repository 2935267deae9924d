/** Tests of init.c: scales match PyTorch's formulas; samples have the right moments. */
#include "check.h"

/* tests/golden/torch_golden.txt, "Initialisers: ... for fan_in=256, fan_out=128" */
Test(init, scales_match_pytorch_formulas) {
    struct { InitKind k; double want; } cases[] = {
        {INIT_XAVIER_UNIFORM, 0.125},        {INIT_XAVIER_NORMAL, 0.0721687836487},
        {INIT_HE_NORMAL, 0.0883883476483},   {INIT_HE_UNIFORM, 0.153093108924},
        {INIT_LECUN_NORMAL, 0.0625},         {INIT_TORCH_DEFAULT, 0.0625}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double got = (double)init_scale(init_make(cases[i].k), 256, 128);
        cr_assert(close_to(got, cases[i].want, GOLDEN_RTOL, 1e-3), "%s: %.12g", init_name(cases[i].k), got);
    }
}

Test(init, gains_match_pytorch) {
    cr_assert(close_to(init_gain(act_make(ACT_SIGMOID)), 1, GOLDEN_RTOL, 1));
    cr_assert(close_to(init_gain(act_make(ACT_TANH)), 5.0 / 3, GOLDEN_RTOL, 1));
    cr_assert(close_to(init_gain(act_make(ACT_RELU)), sqrt(2.0), GOLDEN_RTOL, 1));
    cr_assert(close_to(init_gain(act_make(ACT_LEAKY_RELU)), sqrt(2 / (1 + 1e-4)), GOLDEN_RTOL, 1));
}

/* Draw a 512x256 matrix and compare the sample moments with the distribution's. */
static void moments(Init init, double *mean, double *std, double *maxabs) {
    enum { ROWS = 512, COLS = 256 };
    static real W[ROWS * COLS];
    Rng rng;
    rng_init(&rng, 31);
    init_weights(W, ROWS, COLS, init, &rng);
    double s = 0, ss = 0, m = 0;
    for (int i = 0; i < ROWS * COLS; i++) s += W[i], ss += (double)W[i] * W[i], m = fmax(m, fabs((double)W[i]));
    *mean = s / (ROWS * COLS);
    *std = sqrt(ss / (ROWS * COLS) - *mean * *mean);
    *maxabs = m;
}

Test(init, sample_moments_match) {
    struct { InitKind k; double std; double bound; } cases[] = {
        /* uniform(-a, a) has std a/sqrt(3) */
        {INIT_XAVIER_UNIFORM, sqrt(6.0 / 768) / sqrt(3.0), sqrt(6.0 / 768)},
        {INIT_XAVIER_NORMAL, sqrt(2.0 / 768), 0},
        {INIT_HE_NORMAL, sqrt(2.0 / 256), 0},
        {INIT_HE_UNIFORM, sqrt(6.0 / 256) / sqrt(3.0), sqrt(6.0 / 256)},
        {INIT_LECUN_NORMAL, sqrt(1.0 / 256), 0},
        {INIT_TORCH_DEFAULT, 1 / sqrt(256.0) / sqrt(3.0), 1 / sqrt(256.0)}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double mean, std, maxabs;
        moments(init_make(cases[i].k), &mean, &std, &maxabs);
        const char *name = init_name(cases[i].k);
        cr_assert(fabs(mean) < 0.01 * cases[i].std, "%s: mean %g", name, mean);
        cr_assert(fabs(std / cases[i].std - 1) < 0.01, "%s: std %g, want %g", name, std, cases[i].std);
        if (cases[i].bound > 0)
            cr_assert(maxabs <= cases[i].bound && maxabs > 0.99 * cases[i].bound, "%s: max |w| %g", name, maxabs);
    }
}

Test(init, plain_kinds_use_their_value) {
    double mean, std, maxabs;
    moments(init_value(INIT_NORMAL, R(0.01)), &mean, &std, &maxabs);
    cr_assert(fabs(std - 0.01) < 1e-4, "normal(0.01): std %g", std);
    moments(init_value(INIT_UNIFORM, R(0.5)), &mean, &std, &maxabs);
    cr_assert(maxabs <= 0.5 && fabs(std - 0.5 / sqrt(3.0)) < 0.003, "uniform(0.5): std %g", std);
    moments(init_value(INIT_CONSTANT, R(0.25)), &mean, &std, &maxabs);
    cr_assert(mean == 0.25 && std < 1e-6);
    moments(init_make(INIT_ZEROS), &mean, &std, &maxabs);
    cr_assert(maxabs == 0);
}

static void check_orthogonal(int rows, int cols) {
    real *W = nn_calloc((size_t)rows * cols, sizeof(real));
    Rng rng;
    rng_init(&rng, 41);
    init_weights(W, rows, cols, init_make(INIT_ORTHOGONAL), &rng);
    /* the smaller Gram matrix must be the identity: W W^T if wide, W^T W if tall */
    bool tall = rows >= cols;
    int k = tall ? cols : rows, len = tall ? rows : cols;
    double worst = 0;
    for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++) {
            double dot = 0;
            for (int t = 0; t < len; t++)
                dot += tall ? (double)W[t * cols + a] * W[t * cols + b]
                            : (double)W[a * cols + t] * W[b * cols + t];
            worst = fmax(worst, fabs(dot - (a == b)));
        }
    cr_assert(worst < (sizeof(real) == 4 ? 1e-5 : 1e-12), "%dx%d: max |Q^T Q - I| = %g", rows, cols, worst);
    free(W);
}

Test(init, orthogonal_gives_orthonormal_columns) { check_orthogonal(64, 64); }
Test(init, orthogonal_tall) { check_orthogonal(100, 30); }
Test(init, orthogonal_wide) { check_orthogonal(30, 100); }

Test(init, same_seed_same_weights) {
    real a[64], b[64];
    Rng r1, r2;
    rng_init(&r1, 5), rng_init(&r2, 5);
    init_weights(a, 8, 8, init_make(INIT_HE_NORMAL), &r1);
    init_weights(b, 8, 8, init_make(INIT_HE_NORMAL), &r2);
    for (int i = 0; i < 64; i++) cr_assert(a[i] == b[i]);
}

Test(init, names_round_trip) {
    for (int k = 0; k < INIT_NKINDS; k++) {
        Init i;
        cr_assert(init_parse(init_name((InitKind)k), &i));
        cr_assert(eq(int, (int)i.kind, k));
    }
}
