/** Grading tests of Lab 5's exercise: gradient clipping by the global norm (PyTorch's
 * clip_grad_norm_). Expected values: the test's own norm in double. */
#include "grade.h"

typedef struct {
    real a[3], b[2];
    Param p[2];
} Grads;
static void grads(Grads *s, double scale) {
    const real a[3] = {3, -4, 12}, b[2] = {R(-2.5), R(1.5)};
    for (int i = 0; i < 3; i++) s->a[i] = (real)(scale * a[i]);
    for (int i = 0; i < 2; i++) s->b[i] = (real)(scale * b[i]);
    s->p[0] = (Param){s->a, s->a, 3, true, "W"};   /* only .g matters: point both at the gradients */
    s->p[1] = (Param){s->b, s->b, 2, false, "b"};
}
static double global_norm(const Grads *s) {
    double q = 0;
    for (int i = 0; i < 3; i++) q += (double)s->a[i] * s->a[i];
    for (int i = 0; i < 2; i++) q += (double)s->b[i] * s->b[i];
    return sqrt(q);
}

Test(clip_grad_norm, scales_all_gradients_to_the_global_norm) {
    Grads s, orig;
    grads(&s, 1), grads(&orig, 1);
    double norm = global_norm(&orig), max = 2.0;
    double got = clip_grad_norm(s.p, 2, max);
    EXPECT_NEAR("clip_grad_norm", got, norm, TOL, "the returned norm (before clipping) of all gradients together");
    double scale = max / (norm + 1e-6);
    for (int i = 0; i < 3; i++) EXPECT_NEAR("clip_grad_norm", s.a[i], orig.a[i] * scale, 1e-12, "W's g[%d], scaled by max_norm / (norm + 1e-6)", i);
    for (int i = 0; i < 2; i++) EXPECT_NEAR("clip_grad_norm", s.b[i], orig.b[i] * scale, 1e-12, "b's g[%d] (every parameter, decay or not, shares one scale)", i);
}

Test(clip_grad_norm, below_the_limit_nothing_changes) {
    Grads s, orig;
    grads(&s, 0.01), grads(&orig, 0.01);
    double norm = global_norm(&orig);
    EXPECT_NEAR("clip_grad_norm", clip_grad_norm(s.p, 2, 5.0), norm, TOL, "the returned norm");
    for (int i = 0; i < 3; i++) EXPECT_NEAR("clip_grad_norm", s.a[i], orig.a[i], 0, "g[%d] with a norm %.4g below max_norm 5: unchanged", i, norm);
}

Test(clip_grad_norm, the_clipped_norm_is_max_norm) {
    Grads s;
    grads(&s, 10);
    clip_grad_norm(s.p, 2, 1.0);
    EXPECT_NEAR("clip_grad_norm", global_norm(&s), 1.0, 1e-5, "the global norm after clipping to 1");
}
