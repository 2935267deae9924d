/** Tests of train.c: the shared loop learns, evaluates, records curves and detects divergence. */
#include "check.h"

#include <string.h>

#include "train.h"

static Dataset ds;
static Subset tr, val;

static void blobs(void) {
    Rng rng;
    rng_init(&rng, 1);
    synth_blobs(&ds, 600, 4, 5, 1.0, &rng);
    Subset all = subset_all(&ds);
    subset_split(&all, 400, &rng, &tr, &val);
    subset_free(&all);
}

static void build(Net *net, Rng *rng) {
    net_mlp(net, "5-32-4", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), init_make(INIT_XAVIER_UNIFORM), 64, rng);
}

Test(train, learns_separable_blobs_and_records_everything, .init = blobs) {
    Rng rng;
    rng_init(&rng, 2);
    Net net;
    build(&net, &rng);
    TrainBuffers b;
    trainbuf_init(&b, 64, 5, 4);
    char dir[TMPDIR_SIZE], path[TMPDIR_SIZE + 16];
    test_tmpdir(dir, "train");
    snprintf(path, sizeof path, "%s/curve.csv", dir);
    TrainConfig cfg = {.name = "blobs", .epochs = 5, .batch = 32, .opt = optim_defaults(OPT_ADAM),
                       .sched = schedule_constant(1e-2), .curve_csv = path, .target_acc = 0.9};
    TrainResult r;
    cr_redirect_stderr();
    cr_assert(train_classifier(&net, &tr, &val, &cfg, &b, &rng, &r));
    cr_assert(eq(int, r.epochs_run, 5));
    cr_assert(not(r.diverged));
    cr_assert(r.final_val_acc > 0.95, "validation accuracy %g", r.final_val_acc);
    cr_assert(r.epoch_reached >= 1 && r.epoch_reached <= 5);
    cr_assert(r.best_val_acc >= r.val_acc[r.epoch_reached - 1]);
    for (int e = 1; e < 5; e++) cr_assert(r.elapsed[e] >= r.elapsed[e - 1]);
    cr_assert(close_to(evaluate(&net, &val, &b, NULL, NULL), r.final_val_acc, 1e-12, 1), "evaluate agrees");
    int counts[16] = {0};
    evaluate(&net, &val, &b, NULL, counts);
    int total = 0;
    for (int i = 0; i < 16; i++) total += counts[i];
    cr_assert(eq(int, total, val.n));
    FILE *f = fopen(path, "r");
    char line[256];
    int lines = 0;
    while (fgets(line, sizeof line, f)) lines++;
    fclose(f);
    cr_assert(eq(int, lines, 6), "header + 5 epochs");
    trainbuf_free(&b);
    net_free(&net);
}

Test(train, a_huge_learning_rate_is_recorded_as_diverged, .init = blobs) {
    Rng rng;
    rng_init(&rng, 3);
    Net net;
    build(&net, &rng);
    TrainBuffers b;
    trainbuf_init(&b, 64, 5, 4);
    char dir[TMPDIR_SIZE], path[TMPDIR_SIZE + 16];
    test_tmpdir(dir, "train");
    snprintf(path, sizeof path, "%s/curve.csv", dir);
    OptConfig sgd = optim_defaults(OPT_SGD);
    TrainConfig cfg = {.name = "boom", .epochs = 20, .batch = 32, .opt = sgd,
                       .sched = schedule_constant(1e6), .curve_csv = path};
    TrainResult r;
    cr_redirect_stderr();
    cr_assert(train_classifier(&net, &tr, &val, &cfg, &b, &rng, &r));
    cr_assert(r.diverged, "SGD at lr 1e6 must diverge");
    cr_assert(r.diverged_step > 0 && r.epochs_run < 20);
    FILE *f = fopen(path, "r");
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    cr_assert(strstr(text, "diverged") != NULL, "the curve says diverged: %s", text);
    cr_assert(strstr(text, "nan") == NULL && strstr(text, "inf") == NULL, "no nan/inf in the CSV");
    trainbuf_free(&b);
    net_free(&net);
}

Test(train, steps_lower_the_loss, .init = blobs) {
    Rng rng;
    rng_init(&rng, 4);
    Net net;
    build(&net, &rng);
    TrainBuffers b;
    trainbuf_init(&b, 64, 5, 4);
    double before;
    evaluate(&net, &tr, &b, &before, NULL);
    OptConfig adam = optim_defaults(OPT_ADAM);
    adam.lr = R(1e-2);
    double last = train_steps(&net, &tr, adam, 50, 32, &b, &rng);   /* 50 steps: past one epoch of 13 */
    double after;
    evaluate(&net, &tr, &b, &after, NULL);
    cr_assert(isfinite(last) && after < 0.5 * before, "loss %g -> %g", before, after);
    trainbuf_free(&b);
    net_free(&net);
}

/* Overlapping blobs, 40 training samples and a wide net: the validation loss soon rises. */
static Dataset noisy;
static Subset ntr, nval;
static void overlapping(void) {
    Rng rng;
    rng_init(&rng, 5);
    synth_blobs(&noisy, 1040, 4, 5, 3.0, &rng);
    Subset all = subset_all(&noisy);
    subset_split(&all, 40, &rng, &ntr, &nval);
    subset_free(&all);
}

static TrainConfig noisy_config(int epochs) {
    OptConfig adam = optim_defaults(OPT_ADAM);
    adam.lr = R(1e-2);
    return (TrainConfig){.name = "noisy", .epochs = epochs, .batch = 20, .opt = adam, .sched = schedule_constant(1e-2)};
}

static void noisy_net(Net *net, Rng *rng) {
    net_mlp(net, "5-256-256-4", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), init_make(INIT_XAVIER_UNIFORM), 64, rng);
}

Test(train, early_stopping_stops_and_restores_the_best_weights, .init = overlapping) {
    Rng rng;
    rng_init(&rng, 6);
    Net net;
    noisy_net(&net, &rng);
    TrainBuffers b;
    trainbuf_init(&b, 64, 5, 4);
    TrainConfig cfg = noisy_config(100);
    cfg.patience = 5;
    TrainResult r;
    cr_redirect_stderr();
    cr_assert(train_classifier(&net, &ntr, &nval, &cfg, &b, &rng, &r));
    cr_assert(r.stopped_early, "40 noisy samples and a wide net overfit within 100 epochs");
    cr_assert(eq(int, r.epochs_run, r.best_loss_epoch + 5), "stopped %d epochs after the best", cfg.patience);
    cr_assert(r.val_loss[r.epochs_run - 1] > r.best_val_loss);
    double loss;
    double acc = evaluate(&net, &nval, &b, &loss, NULL);
    cr_assert(eq(dbl, loss, r.best_val_loss), "the best weights are back: loss %.17g vs %.17g", loss, r.best_val_loss);
    cr_assert(eq(dbl, acc, r.val_acc[r.best_loss_epoch - 1]));
    cr_assert(eq(dbl, acc, r.final_val_acc));
    trainbuf_free(&b);
    net_free(&net);
}

Test(train, early_stopping_on_accuracy_keeps_the_best_accuracy_weights, .init = overlapping) {
    Rng rng;
    rng_init(&rng, 6);
    Net net;
    noisy_net(&net, &rng);
    TrainBuffers b;
    trainbuf_init(&b, 64, 5, 4);
    TrainConfig cfg = noisy_config(100);
    cfg.patience = 5, cfg.stop_on_acc = true;
    TrainResult r;
    cr_redirect_stderr();
    cr_assert(train_classifier(&net, &ntr, &nval, &cfg, &b, &rng, &r));
    cr_assert(r.stopped_early, "40 noisy samples and a wide net stop improving within 100 epochs");
    cr_assert(eq(int, r.epochs_run, r.best_epoch + 5), "stopped %d epochs after the best accuracy", cfg.patience);
    for (int e = r.best_epoch; e < r.epochs_run; e++) cr_assert(r.val_acc[e] <= r.best_val_acc);
    double acc = evaluate(&net, &nval, &b, NULL, NULL);
    cr_assert(eq(dbl, acc, r.best_val_acc), "the best-accuracy weights are back: %g vs %g", acc, r.best_val_acc);
    cr_assert(eq(dbl, acc, r.final_val_acc));
    trainbuf_free(&b);
    net_free(&net);
}

/* The penalties act on the weights only: L2 shrinks their norm, L1 pins many of them near zero, and
 * neither touches the biases' decay flag. */
static double weight_stats(Net *net, double *near_zero) {
    Param p[16];
    int np = net_params(net, p, 16);
    double ss = 0;
    size_t n = 0, zero = 0;
    for (int i = 0; i < np; i++) {
        if (!p[i].decay) continue;
        for (size_t j = 0; j < p[i].n; j++) ss += (double)p[i].w[j] * p[i].w[j], zero += fabs((double)p[i].w[j]) < 1e-3;
        n += p[i].n;
    }
    *near_zero = (double)zero / (double)n;
    return sqrt(ss);
}

Test(train, penalties_shrink_and_sparsify, .init = overlapping) {
    double norm[3], zero[3];
    for (int k = 0; k < 3; k++) {
        Rng rng;
        rng_init(&rng, 7);
        Net net;
        noisy_net(&net, &rng);
        TrainBuffers b;
        trainbuf_init(&b, 64, 5, 4);
        TrainConfig cfg = noisy_config(30);
        cfg.opt.lr = R(1e-3);
        if (k == 1) cfg.l2 = R(0.1);
        if (k == 2) cfg.l1 = R(1e-3);
        TrainResult r;
        cr_redirect_stderr();
        cr_assert(train_classifier(&net, &ntr, &nval, &cfg, &b, &rng, &r));
        norm[k] = weight_stats(&net, &zero[k]);
        trainbuf_free(&b);
        net_free(&net);
    }
    cr_assert(norm[1] < 0.7 * norm[0], "L2: weight norm %g vs %g without", norm[1], norm[0]);
    cr_assert(zero[2] > 3 * zero[0] && zero[2] > 0.1, "L1: %g of the weights near zero vs %g without", zero[2], zero[0]);
}

/* Everything train_classifier needs is allocated before its first step: training for 6 epochs
 * makes exactly as many allocations as training for 1 (STYLE.md: allocation only in *_init). */
static long allocations_for(int epochs) {
    Rng rng;
    rng_init(&rng, 8);
    Net net;
    build(&net, &rng);
    TrainBuffers b;
    trainbuf_init(&b, 64, 5, 4);
    TrainConfig cfg = {.name = "alloc", .epochs = epochs, .batch = 32, .opt = optim_defaults(OPT_ADAM),
                       .sched = schedule_constant(1e-3), .quiet = true};
    TrainResult r;
    long before = nn_alloc_count();
    cr_assert(train_classifier(&net, &tr, &val, &cfg, &b, &rng, &r));
    long used = nn_alloc_count() - before;
    trainbuf_free(&b);
    net_free(&net);
    return used;
}

Test(train, no_allocation_inside_the_loop, .init = blobs) {
    long one = allocations_for(1), six = allocations_for(6);
    cr_assert(one > 0, "the setup allocates (optimizer state, batch order)");
    cr_assert(eq(long, six, one), "6 epochs allocated %ld times, 1 epoch %ld", six, one);
}
