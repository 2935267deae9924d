/** Grading tests of Lab 3's exercises: the L2 and L1 penalties, inverted dropout. Expected values:
 * the test's own sums in double, and the test's own copy of the random draws. */
#include "grade.h"

/* a weight that decays, with gradients already there, and a bias that does not */
typedef struct {
    real w[6], g[6], b[2], gb[2];
    Param p[2];
} Params;
static void params(Params *s) {
    const real w[6] = {R(0.5), R(-1.5), 0, R(2), R(-0.25), R(1)};
    memcpy(s->w, w, sizeof w);
    for (int i = 0; i < 6; i++) s->g[i] = R(0.1) * (real)i;
    s->b[0] = R(3), s->b[1] = R(-4), s->gb[0] = R(0.7), s->gb[1] = R(-0.7);
    s->p[0] = (Param){s->w, s->g, 6, true, "W"};
    s->p[1] = (Param){s->b, s->gb, 2, false, "b"};
}

Test(penalty_l2, adds_lambda_w_to_the_gradient) {
    Params s;
    params(&s);
    penalty_l2(s.p, 2, R(0.3));
    for (int i = 0; i < 6; i++)
        EXPECT_NEAR("penalty_l2", s.g[i], 0.1 * i + 0.3 * s.w[i], TOL, "g[%d] of a weight w = %g, g = %g before, lambda 0.3", i, (double)s.w[i], 0.1 * i);
}

Test(penalty_l2, returns_half_lambda_sum_of_squares) {
    Params s;
    params(&s);
    double sum = 0;
    for (int i = 0; i < 6; i++) sum += (double)s.w[i] * s.w[i];
    EXPECT_NEAR("penalty_l2", penalty_l2(s.p, 2, R(0.3)), 0.15 * sum, TOL, "the penalty (lambda/2) sum w^2, lambda 0.3, the bias excluded");
}

Test(penalty_l2, leaves_the_bias_alone) {
    Params s;
    params(&s);
    penalty_l2(s.p, 2, R(0.3));
    EXPECT_NEAR("penalty_l2", s.gb[0], 0.7, 0, "the gradient of a bias (decay false): no penalty");
    EXPECT_NEAR("penalty_l2", s.gb[1], -0.7, 0, "the gradient of a bias (decay false): no penalty");
}

Test(penalty_l1, adds_lambda_sign_w_to_the_gradient) {
    Params s;
    params(&s);
    penalty_l1(s.p, 2, R(0.3));
    for (int i = 0; i < 6; i++) {
        double sign = s.w[i] > 0 ? 1 : s.w[i] < 0 ? -1 : 0;
        EXPECT_NEAR("penalty_l1", s.g[i], 0.1 * i + 0.3 * sign, TOL, "g[%d] of a weight w = %g, g = %g before, lambda 0.3 (the subgradient at 0 is 0)", i, (double)s.w[i], 0.1 * i);
    }
}

Test(penalty_l1, returns_lambda_sum_of_magnitudes) {
    Params s;
    params(&s);
    double sum = 0;
    for (int i = 0; i < 6; i++) sum += fabs((double)s.w[i]);
    EXPECT_NEAR("penalty_l1", penalty_l1(s.p, 2, R(0.3)), 0.3 * sum, TOL, "the penalty lambda sum |w|, lambda 0.3, the bias excluded");
}

Test(penalty_l1, leaves_the_bias_alone) {
    Params s;
    params(&s);
    penalty_l1(s.p, 2, R(0.3));
    EXPECT_NEAR("penalty_l1", s.gb[0], 0.7, 0, "the gradient of a bias (decay false): no penalty");
    EXPECT_NEAR("penalty_l1", s.gb[1], -0.7, 0, "the gradient of a bias (decay false): no penalty");
}

enum { DN = 64 };

Test(dropout_forward, mask_from_one_draw_per_value) {
    Dropout d;
    dropout_init(&d, R(0.3), DN);
    real x[DN], y[DN];
    fill(x, DN, 31, 2);
    Rng rng, copy;
    rng_init(&rng, 42), rng_init(&copy, 42);
    dropout_forward(&d, y, x, DN, true, &rng);
    for (int i = 0; i < DN; i++) {
        double keep = rng_uniform(&copy) < 0.3 ? 0 : 1 / (1 - 0.3);
        EXPECT_NEAR("dropout_forward", d.mask[i], keep, 1e-7, "mask[%d] (drop when u < p = 0.3, keep scaled by 1/(1-p))", i);
        EXPECT_NEAR("dropout_forward", y[i], x[i] * keep, 1e-7, "y[%d] = x mask", i);
    }
    cr_assert(d.active, "dropout_forward: d->active should be true after a training pass with p > 0");
    dropout_free(&d);
}

Test(dropout_forward, keeps_the_expected_value) {
    enum { BIG = 200000 };
    Dropout d;
    dropout_init(&d, R(0.6), BIG);
    real *x = calloc(BIG, sizeof *x), *y = calloc(BIG, sizeof *y);
    for (int i = 0; i < BIG; i++) x[i] = 1;
    Rng rng;
    rng_init(&rng, 7);
    dropout_forward(&d, y, x, BIG, true, &rng);
    double mean = 0, kept = 0;
    for (int i = 0; i < BIG; i++) mean += y[i], kept += y[i] != 0;
    EXPECT_NEAR("dropout_forward", mean / BIG, 1.0, 0.01, "the mean output for an input of ones, p = 0.6 (inverted dropout keeps the mean)");
    EXPECT_NEAR("dropout_forward", kept / BIG, 0.4, 0.01, "the fraction kept, p = 0.6");
    free(x), free(y), dropout_free(&d);
}

Test(dropout_backward, gradient_goes_through_the_mask) {
    Dropout d;
    dropout_init(&d, R(0.5), 8);
    const real mask[8] = {2, 0, 2, 2, 0, 0, 2, 0};
    memcpy(d.mask, mask, sizeof mask);
    d.active = true;   /* as a training forward pass leaves it */
    real dy[8], dx[8];
    fill(dy, 8, 41, 1);
    dropout_backward(&d, dx, dy, 8);
    for (int i = 0; i < 8; i++) EXPECT_NEAR("dropout_backward", dx[i], dy[i] * mask[i], TOL, "dx[%d] with mask %g", i, (double)mask[i]);
    dropout_free(&d);
}

Test(dropout_backward, in_place) {
    Dropout d;
    dropout_init(&d, R(0.75), 4);
    const real mask[4] = {0, 4, 4, 0};
    memcpy(d.mask, mask, sizeof mask);
    d.active = true;
    real g[4] = {1, 2, 3, 4};
    dropout_backward(&d, g, g, 4);
    const double want[4] = {0, 8, 12, 0};
    EXPECT_ALL_NEAR("dropout_backward", g, want, 4, TOL, "dx computed in place, mask [0,4,4,0]");
    dropout_free(&d);
}
