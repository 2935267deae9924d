/** Tests of gradcheck.c: the checker itself must catch a wrong gradient. */
#include "check.h"

typedef struct {
    real *x;
    int n;
} Ctx;

/* f(x) = sum x_i^3, so df/dx_i = 3 x_i^2 */
static double cubes(void *c_) {
    Ctx *c = c_;
    double s = 0;
    for (int i = 0; i < c->n; i++) s += (double)c->x[i] * c->x[i] * c->x[i];
    return s;
}

Test(gradcheck, right_gradient_passes, GRADCHECK_ONLY) {
    real x[5] = {0.5f, -1, 2, 0.25f, -0.75f}, g[5];
    for (int i = 0; i < 5; i++) g[i] = 3 * x[i] * x[i];
    Ctx c = {x, 5};
    GradCheck r = gradcheck(cubes, &c, x, g, 5, 0, GRADCHECK_H);
    assert_gradcheck(r, "cubes");
    cr_assert(eq(sz, r.checked, 5));
    cr_assert(x[2] == 2, "parameters are restored");
}

Test(gradcheck, wrong_gradient_fails) {
    real x[5] = {0.5f, -1, 2, 0.25f, -0.75f}, g[5];
    for (int i = 0; i < 5; i++) g[i] = 3 * x[i] * x[i];
    g[3] *= 2;   /* one wrong entry */
    Ctx c = {x, 5};
    GradCheck r = gradcheck(cubes, &c, x, g, 5, 0, GRADCHECK_H);
    cr_assert(r.max_rel_err > 0.1, "error %g", r.max_rel_err);
    cr_assert(eq(sz, r.worst, 3));
}

Test(gradcheck, limit_checks_a_subset) {
    real x[100], g[100];
    for (int i = 0; i < 100; i++) x[i] = (real)(0.01 * i), g[i] = 3 * x[i] * x[i];
    Ctx c = {x, 100};
    GradCheck r = gradcheck(cubes, &c, x, g, 100, 10, GRADCHECK_H);
    cr_assert(eq(sz, r.checked, 10));
}

Test(gradcheck, relative_error_definition) {
    cr_assert(rel_error(1, 1) == 0);
    cr_assert(close_to(rel_error(1, 3), 0.5, 1e-12, 1));
    cr_assert(rel_error(0, 0) == 0, "no division by zero");
    cr_assert(close_to(rel_error(1e-9, 0), 0.1, 1e-9, 1), "tiny values use the 1e-8 floor");
}

Test(gradcheck, merge_keeps_the_worst) {
    GradCheck a = {.max_rel_err = 1e-9, .max_abs_grad = 2, .checked = 3};
    GradCheck b = {.max_rel_err = 1e-5, .worst = 7, .max_abs_grad = 1, .checked = 4};
    GradCheck m = gradcheck_merge(a, b);
    cr_assert(m.max_rel_err == 1e-5 && m.worst == 7 && m.max_abs_grad == 2 && m.checked == 7);
}

Test(gradcheck, net_check_covers_input_and_every_parameter, GRADCHECK_ONLY) {
    Net net;
    Rng rng;
    rng_init(&rng, 8);
    net_mlp(&net, "3-4-2", act_make(ACT_TANH), init_make(INIT_XAVIER_NORMAL), init_make(INIT_XAVIER_NORMAL), 2, &rng);
    real x[6] = {0.1f, 0.2f, -0.3f, 0.4f, -0.5f, 0.6f};
    GradCheck r = gradcheck_net(&net, x, 2, 0, &rng);
    assert_gradcheck(r, "3-4-2 tanh");
    cr_assert(eq(sz, r.checked, 6 + 12 + 4 + 8 + 2), "input, W1, b1, W2, b2");
    cr_assert(not(net.input_grad), "the input-gradient flag is restored");
    net_free(&net);
}
