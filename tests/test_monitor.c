/** Tests of monitor.c: the per-layer instruments measure what they say. */
#include "check.h"

#include <string.h>

#include "monitor.h"
#include "train.h"

static void small_net(Net *net, ActKind act, Rng *rng) {
    net_init(net, 32);
    net_add_linear(net, 6, 16, true, init_make(INIT_HE_NORMAL), rng);
    net_add_act(net, act_make(act));
    net_add_linear(net, 16, 3, true, init_make(INIT_XAVIER_UNIFORM), rng);
}

static void batch(real *x, Rng *rng) {
    for (int i = 0; i < 32 * 6; i++) x[i] = (real)rng_normal(rng);
}

/* Plain SGD moves W by lr * g, so the update ratio is lr * |g| / |W| (W measured after the step). */
Test(monitor, update_ratio_of_plain_sgd) {
    Rng rng;
    rng_init(&rng, 1);
    Net net;
    small_net(&net, ACT_RELU, &rng);
    real x[32 * 6], dy[32 * 3];
    batch(x, &rng);
    for (int i = 0; i < 32 * 3; i++) dy[i] = (real)rng_normal(&rng);
    Param p[8];
    int np = net_params(&net, p, 8);
    Optimizer opt;
    OptConfig sgd = optim_defaults(OPT_SGD);
    optim_init(&opt, sgd, p, np);
    Monitor m;
    monitor_init(&m, &net);
    cr_assert(eq(int, m.n, 3), "two Linear layers and one activation");
    optim_zero_grad(&opt);
    net_forward(&net, x, 32, true, NULL);
    net_backward(&net, dy);
    monitor_before_step(&m);
    optim_step(&opt, R(0.01));
    monitor_after_step(&m);
    const LayerStat *s = &m.stats[0];
    cr_assert(eq(int, s->kind, LAYER_LINEAR));
    double want = 0.01 * s->grad_norm / s->weight_norm;
    cr_assert(close_to(s->update_ratio, want, FLOAT_BUILD ? 1e-4 : 1e-9, 0), "ratio %g, want %g", s->update_ratio, want);
    cr_assert(isnan(s->mean) && isnan(m.stats[1].weight_norm), "each row measures its own kind");
    cr_assert(m.finite);
    monitor_free(&m);
    optim_free(&opt);
    net_free(&net);
}

/* A ReLU layer whose biases are very negative is dead for the whole batch; tanh and sigmoid with
 * huge weights saturate; ReLU has no saturation to report. */
Test(monitor, dead_and_saturated_units) {
    Rng rng;
    rng_init(&rng, 2);
    real x[32 * 6];
    batch(x, &rng);
    const ActKind kinds[3] = {ACT_RELU, ACT_TANH, ACT_SIGMOID};
    for (int k = 0; k < 3; k++) {
        Net net;
        small_net(&net, kinds[k], &rng);
        Monitor m;
        monitor_init(&m, &net);
        net_forward(&net, x, 32, false, NULL);
        monitor_activations(&m);
        double healthy_dead = m.stats[1].dead;
        if (kinds[k] == ACT_RELU) {
            cr_assert(healthy_dead < 0.2, "He-initialized ReLU units mostly alive: %g dead", healthy_dead);
            cr_assert(isnan(m.stats[1].saturated), "ReLU does not saturate");
            for (int u = 0; u < 16; u++) net.layers[0].linear.b[u] = -100;
            net_forward(&net, x, 32, false, NULL);
            monitor_activations(&m);
            cr_assert(eq(dbl, m.stats[1].dead, 1.0), "every unit dead");
        } else {
            for (int j = 0; j < 16 * 6; j++) net.layers[0].linear.W[j] *= 100;
            net_forward(&net, x, 32, false, NULL);
            monitor_activations(&m);
            cr_assert(m.stats[1].saturated > 0.9, "%s: %g saturated", act_name(kinds[k]), m.stats[1].saturated);
        }
        monitor_free(&m);
        net_free(&net);
    }
}

Test(monitor, train_classifier_writes_the_instruments) {
    Dataset ds;
    Rng rng;
    rng_init(&rng, 3);
    synth_blobs(&ds, 200, 3, 6, 1.0, &rng);
    Subset all = subset_all(&ds);
    Net net;
    small_net(&net, ACT_TANH, &rng);
    TrainBuffers b;
    trainbuf_init(&b, 32, 6, 3);
    char dir[TMPDIR_SIZE], path[TMPDIR_SIZE + 16];
    test_tmpdir(dir, "monitor");
    snprintf(path, sizeof path, "%s/mon.csv", dir);
    TrainConfig cfg = {.name = "mon", .epochs = 2, .batch = 20, .opt = optim_defaults(OPT_ADAM),
                       .sched = schedule_constant(1e-3), .monitor_csv = path, .monitor_every = 3, .quiet = true};
    TrainResult r;
    cr_assert(train_classifier(&net, &all, &all, &cfg, &b, &rng, &r));
    /* 2 epochs of 10 steps, measured at steps 1, 4, 7, ..., 19: 7 times, 3 rows each */
    FILE *f = fopen(path, "r");
    char line[512];
    int rows = 0, dashes = 0;
    cr_assert(fgets(line, sizeof line, f) && strncmp(line, "step,layer,kind,weight_norm", 27) == 0);
    while (fgets(line, sizeof line, f)) rows++, dashes += strstr(line, ",-") != NULL;
    fclose(f);
    cr_assert(eq(int, rows, 7 * 3));
    cr_assert(eq(int, dashes, rows), "every row has columns that do not apply to it");
    trainbuf_free(&b);
    net_free(&net);
    subset_free(&all);
    dataset_free(&ds);
}
