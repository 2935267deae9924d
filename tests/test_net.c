/** Tests of net.c: the builder, forward against hand-written layers, and whole-net gradient checks. */
#include "check.h"

#include <string.h>

static Rng seeded(uint64_t s) {
    Rng r;
    rng_init(&r, s);
    return r;
}

Test(net, mlp_builder_reads_the_architecture) {
    Net net;
    Rng rng = seeded(1);
    cr_assert(net_mlp(&net, "784-256-128-10", act_make(ACT_RELU), init_make(INIT_HE_NORMAL),
                      init_make(INIT_XAVIER_UNIFORM), 64, &rng));
    cr_assert(eq(int, net.nlayers, 5), "Linear ReLU Linear ReLU Linear");
    cr_assert(eq(int, net_in(&net), 784));
    cr_assert(eq(int, net_out(&net), 10));
    cr_assert(eq(sz, net_param_count(&net), 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10));
    char desc[256];
    net_describe(&net, desc, sizeof desc);
    cr_assert(eq(str, desc, "Linear(784,256) relu Linear(256,128) relu Linear(128,10)"));
    Param p[16];
    cr_assert(eq(int, net_params(&net, p, 16), 6));
    cr_assert(p[0].decay && !p[1].decay, "weights decay, biases do not");
    net_free(&net);
}

Test(net, mlp_builder_rejects_bad_architectures) {
    const char *bad[] = {"", "784", "784-", "-10", "784--10", "784-x-10", "784-0-10", "784 10"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Net net = {0};
        Rng rng = seeded(1);
        cr_assert(not(net_mlp(&net, bad[i], act_make(ACT_RELU), init_make(INIT_HE_NORMAL),
                              init_make(INIT_HE_NORMAL), 8, &rng)), "'%s' accepted", bad[i]);
        cr_assert(net.layers == NULL, "'%s' built something", bad[i]);
    }
}

Test(net, forward_equals_the_layers_by_hand) {
    Net net;
    Rng rng = seeded(2);
    net_mlp(&net, "3-4-2", act_make(ACT_TANH), init_make(INIT_XAVIER_NORMAL),
            init_make(INIT_XAVIER_NORMAL), 5, &rng);
    Linear *l1 = &net.layers[0].linear, *l2 = &net.layers[2].linear;
    for (int i = 0; i < 4; i++) l1->b[i] = (real)(0.1 * i);
    real x[15], h[20], y[10];
    for (int i = 0; i < 15; i++) x[i] = (real)rng_normal(&rng);
    linear_forward(h, x, l1->W, l1->b, 5, 3, 4);
    act_forward(act_make(ACT_TANH), h, h, 20);
    linear_forward(y, h, l2->W, l2->b, 5, 4, 2);
    const real *out = net_forward(&net, x, 5, false, &rng);
    for (int i = 0; i < 10; i++) cr_assert(out[i] == y[i], "out[%d] %g vs %g", i, (double)out[i], (double)y[i]);
    net_free(&net);
}

/* The whole-network check: every parameter and the input of a 3-layer net, for each activation.
 * Inputs are scaled so that few pre-activations sit within h of ReLU's kink. */
static void check_net(Activation act) {
    Net net;
    Rng rng = seeded(3);
    net_mlp(&net, "6-8-7-4", act, init_make(INIT_XAVIER_NORMAL), init_make(INIT_XAVIER_NORMAL), 5, &rng);
    for (int i = 0; i < net.nlayers; i++)
        if (net.layers[i].kind == LAYER_LINEAR)
            for (int o = 0; o < net.layers[i].out; o++) net.layers[i].linear.b[o] = (real)(0.1 * rng_normal(&rng));
    real x[30];
    for (int i = 0; i < 30; i++) x[i] = (real)rng_normal(&rng);
    GradCheck r = gradcheck_net(&net, x, 5, 0, &rng);
    cr_assert(r.checked == 30 + 6 * 8 + 8 + 8 * 7 + 7 + 7 * 4 + 4, "checked %zu", r.checked);
    assert_gradcheck(r, act_name(act.kind));
    net_free(&net);
}

Test(net, gradient_check_relu, GRADCHECK_ONLY) { check_net(act_make(ACT_RELU)); }
Test(net, gradient_check_sigmoid, GRADCHECK_ONLY) { check_net(act_make(ACT_SIGMOID)); }
Test(net, gradient_check_tanh, GRADCHECK_ONLY) { check_net(act_make(ACT_TANH)); }
Test(net, gradient_check_gelu, GRADCHECK_ONLY) { check_net(act_make(ACT_GELU)); }
Test(net, gradient_check_silu, GRADCHECK_ONLY) { check_net(act_make(ACT_SILU)); }
Test(net, gradient_check_leaky_relu, GRADCHECK_ONLY) { check_net(act_make(ACT_LEAKY_RELU)); }

Test(net, cross_entropy_net_gradient_through_a_training_step) {
    /* One SGD step on a fixed batch lowers the loss: forward, loss, backward and step fit together. */
    Net net;
    Rng rng = seeded(4);
    net_mlp(&net, "5-16-3", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), init_make(INIT_XAVIER_UNIFORM), 8, &rng);
    real x[40], p[24];
    int y[8];
    for (int i = 0; i < 40; i++) x[i] = (real)rng_normal(&rng);
    for (int n = 0; n < 8; n++) y[n] = n % 3;
    Param params[8];
    int np = net_params(&net, params, 8);
    Optimizer o;
    optim_init(&o, optim_defaults(OPT_SGD), params, np);
    real before = 0, after = 0;
    for (int step = 0; step < 2; step++) {
        optim_zero_grad(&o);
        real loss = xent_forward(p, net_forward(&net, x, 8, true, &rng), y, 8, 3, 0);
        if (step == 0) before = loss; else after = loss;
        xent_backward(p, p, y, 8, 3, 0);
        net_backward(&net, p);
        optim_step(&o, R(0.1));
    }
    cr_assert(after < before, "loss %g -> %g", (double)before, (double)after);
    optim_free(&o);
    net_free(&net);
}

Test(net, zero_grad_clears_every_gradient) {
    Net net;
    Rng rng = seeded(5);
    net_mlp(&net, "4-3-2", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), init_make(INIT_HE_NORMAL), 2, &rng);
    real x[8] = {1, 2, 3, 4, 5, 6, 7, 8}, dy[4] = {1, 1, 1, 1};
    net_forward(&net, x, 2, true, &rng);
    net_backward(&net, dy);
    cr_assert(params_grad_norm((Param[]){{net.layers[2].linear.W, net.layers[2].linear.dW, 6, true, "W"}}, 1) > 0);
    net_zero_grad(&net);
    Param p[8];
    int np = net_params(&net, p, 8);
    cr_assert(params_grad_norm(p, np) == 0);
    net_free(&net);
}

Test(net, batch_larger_than_sized_aborts, .signal = SIGABRT) {
    Net net;
    Rng rng = seeded(6);
    net_mlp(&net, "2-2", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), init_make(INIT_HE_NORMAL), 4, &rng);
    real x[10] = {0};
    net_forward(&net, x, 5, false, &rng);
}

Test(net, free_twice_is_safe) {
    Net net;
    Rng rng = seeded(7);
    net_mlp(&net, "2-3-2", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), init_make(INIT_HE_NORMAL), 4, &rng);
    net_free(&net);
    net_free(&net);
    cr_assert(net.layers == NULL);
}

/* Dropout: identity in evaluation; in training the drop rate is p and the mean is preserved. */
Test(net, dropout_eval_is_identity) {
    Dropout d = {.p = R(0.5), .mask = nn_calloc(100, sizeof(real))};
    real x[100], y[100];
    for (int i = 0; i < 100; i++) x[i] = (real)i;
    dropout_forward(&d, y, x, 100, false, NULL);
    for (int i = 0; i < 100; i++) cr_assert(y[i] == x[i]);
    free(d.mask);
}

Test(net, dropout_training_drops_p_and_keeps_the_mean) {
    enum { n = 100000 };
    Dropout d = {.p = R(0.3), .mask = nn_calloc(n, sizeof(real))};
    real *x = nn_calloc(n, sizeof(real)), *y = nn_calloc(n, sizeof(real));
    for (int i = 0; i < n; i++) x[i] = 1;
    Rng rng = seeded(8);
    dropout_forward(&d, y, x, n, true, &rng);
    int zeros = 0;
    double sum = 0;
    for (int i = 0; i < n; i++) {
        zeros += y[i] == 0;
        sum += y[i];
        cr_assert(y[i] == 0 || close_to(y[i], 1 / 0.7, 1e-6, 1), "a survivor is scaled by 1/(1-p)");
    }
    cr_assert(fabs(zeros / (double)n - 0.3) < 0.01, "drop rate %g", zeros / (double)n);
    cr_assert(fabs(sum / n - 1) < 0.01, "mean %g", sum / n);
    free(d.mask), free(x), free(y);
}

typedef struct {
    Dropout *d;
    real *x, *g;
    int n;
} DropCtx;

static double drop_objective(void *c_) {
    DropCtx *c = c_;   /* the same mask every time: y = x * mask */
    double s = 0;
    for (int i = 0; i < c->n; i++) s += (double)(c->x[i] * c->d->mask[i]) * c->g[i];
    return s;
}

Test(net, dropout_gradient_check, GRADCHECK_ONLY) {
    enum { n = 50 };
    Dropout d = {.p = R(0.4), .mask = nn_calloc(n, sizeof(real))};
    real x[n], y[n], g[n], dx[n];
    Rng rng = seeded(9);
    for (int i = 0; i < n; i++) x[i] = (real)rng_normal(&rng), g[i] = (real)rng_normal(&rng);
    dropout_forward(&d, y, x, n, true, &rng);
    dropout_backward(&d, dx, g, n);
    DropCtx c = {&d, x, g, n};
    assert_gradcheck(gradcheck(drop_objective, &c, x, dx, n, 0, GRADCHECK_H), "dropout");
    free(d.mask);
}

Test(net, dropout_layer_in_a_net) {
    Net net;
    Rng rng = seeded(10);
    net_init(&net, 4);
    net_add_linear(&net, 3, 8, true, init_make(INIT_HE_NORMAL), &rng);
    net_add_act(&net, act_make(ACT_RELU));
    net_add_dropout(&net, R(0.5));
    net_add_linear(&net, 8, 2, true, init_make(INIT_XAVIER_UNIFORM), &rng);
    char desc[128];
    net_describe(&net, desc, sizeof desc);
    cr_assert(eq(str, desc, "Linear(3,8) relu Dropout(0.5) Linear(8,2)"));
    real x[12] = {1, 2, 3, -1, 0.5f, 2, 0, 1, -2, 3, 1, 1}, a[8], b[8];
    const real *y = net_forward(&net, x, 4, false, &rng);
    memcpy(a, y, sizeof a);
    y = net_forward(&net, x, 4, false, &rng);
    memcpy(b, y, sizeof b);
    cr_assert(memcmp(a, b, sizeof a) == 0, "evaluation is deterministic");
    net_free(&net);
}

/* Residual blocks: y = x + f(x), gradient-checked, and the skip path carries the gradient. */
static void residual_net(Net *net, Rng *rng) {
    net_init(net, 5);
    net_add_linear(net, 4, 6, true, init_make(INIT_HE_NORMAL), rng);
    net_add_act(net, act_make(ACT_TANH));
    net_add_residual_begin(net);
    net_add_linear(net, 6, 6, true, init_make(INIT_HE_NORMAL), rng);
    net_add_act(net, act_make(ACT_TANH));
    net_add_linear(net, 6, 6, true, init_make(INIT_HE_NORMAL), rng);
    net_add_residual_end(net);
    net_add_residual_begin(net);
    net_add_linear(net, 6, 6, true, init_make(INIT_HE_NORMAL), rng);
    net_add_residual_end(net);
    net_add_linear(net, 6, 3, true, init_make(INIT_XAVIER_UNIFORM), rng);
}

Test(net, residual_forward_adds_the_input) {
    Net net;
    Rng rng = seeded(11);
    residual_net(&net, &rng);
    char desc[256];
    net_describe(&net, desc, sizeof desc);
    cr_assert(eq(str, desc, "Linear(4,6) tanh [ Linear(6,6) tanh Linear(6,6) +x] [ Linear(6,6) +x] Linear(6,3)"), "%s", desc);
    real x[20];
    for (int i = 0; i < 20; i++) x[i] = (real)rng_normal(&rng);
    net_forward(&net, x, 5, true, &rng);
    /* layer 7 (RES_ADD) = layer 6 (branch output) + layer 2 (RES_BEGIN output) */
    for (int j = 0; j < 30; j++)
        cr_assert(close_to(net.layers[6].y[j], (double)net.layers[5].y[j] + net.layers[2].y[j], 1e-6, 1));
    net_free(&net);
}

Test(net, residual_gradient_check, GRADCHECK_ONLY) {
    Net net;
    Rng rng = seeded(12);
    residual_net(&net, &rng);
    real x[20];
    for (int i = 0; i < 20; i++) x[i] = (real)rng_normal(&rng);
    assert_gradcheck(gradcheck_net(&net, x, 5, 0, &rng), "residual net");
    net_free(&net);
}

Test(net, residual_skip_carries_gradient_past_a_zero_branch) {
    /* with the branch's weights all zero, f(x) = 0: the block is the identity and so is its gradient */
    Net net;
    Rng rng = seeded(13);
    net_init(&net, 2);
    net_add_linear(&net, 3, 3, false, init_make(INIT_HE_NORMAL), &rng);
    net_add_residual_begin(&net);
    net_add_linear(&net, 3, 3, false, init_make(INIT_ZEROS), &rng);
    net_add_residual_end(&net);
    net.input_grad = true;
    real x[6] = {1, 2, 3, 4, 5, 6}, dy[6] = {1, -1, 2, 0.5f, 0, 3};
    net_forward(&net, x, 2, true, &rng);
    const real *dx = net_backward(&net, dy);
    real want[6];
    linear_backward(want, net.layers[0].linear.dW, NULL, dy, x, net.layers[0].linear.W, 2, 3, 3);
    for (int i = 0; i < 6; i++) cr_assert(close_to(dx[i], want[i], 1e-6, 1));
    net_free(&net);
}

Test(net, unmatched_residual_end_aborts, .signal = SIGABRT) {
    Net net;
    Rng rng = seeded(14);
    net_init(&net, 2);
    net_add_linear(&net, 3, 3, false, init_make(INIT_HE_NORMAL), &rng);
    net_add_residual_end(&net);
}
