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

/* ---- the whole state: early stopping keeps buffers, and a stopped run resumes exactly ---------- */

static void build_bn(Net *net, uint64_t seed) {
    Rng rng;
    rng_init(&rng, seed);
    net_init(net, 64);
    net_add_linear(net, 5, 32, true, init_make(INIT_HE_NORMAL), &rng);
    net_add_norm(net, NORM_BATCH);
    net_add_act(net, act_make(ACT_RELU));
    net_add_dropout(net, R(0.2));
    net_add_linear(net, 32, 4, true, init_make(INIT_XAVIER_UNIFORM), &rng);
}

/* Noisy blobs that a 32-unit net overfits within a few epochs, so patience runs out. */
static Dataset noisy;
static Subset ntr, nval;
static void noisy_blobs(void) {
    Rng rng;
    rng_init(&rng, 5);
    synth_blobs(&noisy, 300, 4, 5, 3.0, &rng);
    Subset all = subset_all(&noisy);
    subset_split(&all, 150, &rng, &ntr, &nval);
    subset_free(&all);
}

Test(train, early_stopping_brings_back_the_best_epochs_running_statistics, .init = noisy_blobs) {
    Net net;
    build_bn(&net, 3);
    TrainBuffers b;
    trainbuf_init(&b, 64, 5, 4);
    Rng rng;
    rng_init(&rng, 4);
    OptConfig oc = optim_defaults(OPT_ADAM);
    TrainConfig cfg = {.name = "bn", .epochs = 60, .batch = 16, .opt = oc, .sched = schedule_constant(3e-2),
                       .patience = 3, .quiet = true};
    TrainResult r;
    cr_assert(train_classifier(&net, &ntr, &nval, &cfg, &b, &rng, &r));
    cr_assert(r.stopped_early, "patience never ran out in %d epochs", r.epochs_run);
    cr_assert(r.best_loss_epoch < r.epochs_run);
    double loss, acc = evaluate(&net, &nval, &b, &loss, NULL);
    cr_assert(acc == r.val_acc[r.best_loss_epoch - 1], "restored net: val acc %.6f, epoch %d recorded %.6f", acc,
              r.best_loss_epoch, r.val_acc[r.best_loss_epoch - 1]);
    cr_assert(loss == r.val_loss[r.best_loss_epoch - 1], "restored net: val loss %.9g, epoch %d recorded %.9g", loss,
              r.best_loss_epoch, r.val_loss[r.best_loss_epoch - 1]);
    trainbuf_free(&b);
    net_free(&net);
}

Test(train, early_stop_update_counts_patience) {
    EarlyStop es;
    early_stop_init(&es, 2);
    cr_assert(eq(int, early_stop_update(&es, 1.0, 1), EARLY_BEST));
    cr_assert(eq(int, early_stop_update(&es, 1.0, 2), EARLY_WAIT), "equal is not better");
    cr_assert(eq(int, early_stop_update(&es, 0.5, 3), EARLY_BEST));
    cr_assert(eq(int, early_stop_update(&es, NAN, 4), EARLY_WAIT), "NaN is never a best");
    cr_assert(eq(int, early_stop_update(&es, 0.7, 5), EARLY_STOP));
    cr_assert(eq(int, es.best_epoch, 3));
    early_stop_init(&es, 0);
    for (int e = 1; e < 20; e++) cr_assert(ne(int, early_stop_update(&es, 1.0, e), EARLY_STOP), "patience 0 never stops");
}

static char *slurp_without_seconds(const char *path) {
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "cannot open %s", path);
    static char text[1 << 16];
    size_t n = 0;
    char line[512];
    while (fgets(line, sizeof line, f)) {   /* drop the last column, seconds */
        char *comma = strrchr(line, ',');
        if (comma) *comma = '\0';
        n += (size_t)snprintf(text + n, sizeof text - n, "%s\n", line);
    }
    fclose(f);
    return strdup(text);
}

static void resume_matches_uninterrupted(int patience, int halt) {
    char dir[TMPDIR_SIZE], curve_a[TMPDIR_SIZE + 32], curve_b[TMPDIR_SIZE + 32], state_a[TMPDIR_SIZE + 32],
        state_b[TMPDIR_SIZE + 32];
    test_tmpdir(dir, "resume");
    snprintf(curve_a, sizeof curve_a, "%s/a.csv", dir), snprintf(curve_b, sizeof curve_b, "%s/b.csv", dir);
    snprintf(state_a, sizeof state_a, "%s/a.state", dir), snprintf(state_b, sizeof state_b, "%s/b.state", dir);
    TrainBuffers b;
    trainbuf_init(&b, 64, 5, 4);
    OptConfig oc = optim_defaults(OPT_ADAM);
    TrainConfig cfg = {.name = "resume", .epochs = 8, .batch = 16, .opt = oc,
                       .sched = schedule_warmup_cosine(2e-2, 10, 8 * 10, 1e-4), .patience = patience, .shift = 0,
                       .quiet = true};
    /* A: never stopped */
    Net a;
    build_bn(&a, 7);
    Rng rng;
    rng_init(&rng, 8);
    TrainResult ra;
    TrainConfig ca = cfg;
    ca.curve_csv = curve_a, ca.state = state_a;
    cr_assert(train_classifier(&a, &ntr, &nval, &ca, &b, &rng, &ra));
    /* B: stopped after epoch `halt`, then started again by a fresh process (a new net and Rng) */
    Net bn;
    build_bn(&bn, 7);
    rng_init(&rng, 8);
    TrainResult rb;
    TrainConfig cb = cfg;
    cb.curve_csv = curve_b, cb.state = state_b, cb.halt_after = halt, cb.resume = true;
    cr_assert(train_classifier(&bn, &ntr, &nval, &cb, &b, &rng, &rb));
    cr_assert(rb.halted && rb.epochs_run == halt);
    FILE *f = fopen(curve_b, "r");
    cr_assert(f == NULL, "a halted run left its curve behind");
    net_free(&bn);
    build_bn(&bn, 1234);   /* other weights: the state must replace them all */
    rng_init(&rng, 999);   /* another stream: the state must replace it */
    cb.halt_after = 0;
    cr_assert(train_classifier(&bn, &ntr, &nval, &cb, &b, &rng, &rb));
    cr_assert(eq(int, rb.resumed_from, halt));
    cr_assert(eq(int, rb.epochs_run, ra.epochs_run));
    cr_assert(eq(int, rb.stopped_early, ra.stopped_early));
    char *ta = slurp_without_seconds(curve_a), *tb = slurp_without_seconds(curve_b);
    cr_assert(eq(str, tb, ta), "the resumed curve differs:\n%s\nagainst\n%s", tb, ta);
    free(ta), free(tb);
    size_t n = net_state_count(&a);
    real *va = nn_calloc(n, sizeof(real)), *vb = nn_calloc(n, sizeof(real));
    net_state_copy(&a, va), net_state_copy(&bn, vb);
    cr_assert(memcmp(va, vb, n * sizeof(real)) == 0, "the resumed run's final weights differ");
    free(va), free(vb);
    trainbuf_free(&b);
    net_free(&a), net_free(&bn);
}

Test(train, a_run_stopped_and_resumed_equals_the_run_never_stopped, .init = noisy_blobs) {
    resume_matches_uninterrupted(0, 3);
}

Test(train, resuming_keeps_the_early_stopping_record, .init = noisy_blobs) {
    resume_matches_uninterrupted(2, 2);
}

Test(train, a_state_from_another_run_is_refused, .init = noisy_blobs) {
    char dir[TMPDIR_SIZE], state[TMPDIR_SIZE + 32];
    test_tmpdir(dir, "resume");
    snprintf(state, sizeof state, "%s/s.state", dir);
    TrainBuffers b;
    trainbuf_init(&b, 64, 5, 4);
    TrainConfig cfg = {.name = "s", .epochs = 3, .batch = 16, .opt = optim_defaults(OPT_ADAM),
                       .sched = schedule_constant(1e-2), .state = state, .halt_after = 1, .resume = true, .quiet = true};
    Net net;
    build_bn(&net, 1);
    Rng rng;
    rng_init(&rng, 1);
    TrainResult r;
    cr_assert(train_classifier(&net, &ntr, &nval, &cfg, &b, &rng, &r));
    cfg.batch = 32, cfg.halt_after = 0;
    cr_redirect_stderr();
    cr_assert(not(train_classifier(&net, &ntr, &nval, &cfg, &b, &rng, &r)));
    trainbuf_free(&b);
    net_free(&net);
}
