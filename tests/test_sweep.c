/** Tests of sweep.c: the one rule for bands, the arm summary, the band CSV, and that a sweep's
 * results do not depend on the number of threads. */
#include "check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"
#include "tmpdir.h"

Test(sweep, band_is_min_mean_max) {
    double v[] = {0.5, 0.25, 0.75, 1.0};
    Band b = band_of(v, 4);
    cr_assert(eq(dbl, b.lo, 0.25));
    cr_assert(eq(dbl, b.hi, 1.0));
    cr_assert(eq(dbl, b.mean, 0.625));
    cr_assert(eq(int, b.n, 4));
    cr_assert(eq(int, b.diverged, 0));
}

Test(sweep, a_diverged_seed_leaves_no_band) {
    /* fmin and fmax skip NaN: without the rule the band would be 0.5..0.9 and the mean NaN */
    double v[] = {0.5, NAN, 0.9};
    Band b = band_of(v, 3);
    cr_assert(isnan(b.lo) && isnan(b.mean) && isnan(b.hi), "%g %g %g", b.lo, b.mean, b.hi);
    cr_assert(eq(int, b.diverged, 1));
}

/* A finished run of `epochs` epochs whose validation accuracy is base + epoch / 100. */
static void fake_run(SweepRun *run, int epochs, double base, int reached, bool diverged) {
    memset(&run->r, 0, sizeof run->r);
    run->r.epochs_run = epochs;
    for (int e = 0; e < epochs; e++) {
        run->r.val_acc[e] = base + (e + 1) / 100.0;
        run->r.train_loss[e] = 1.0 / (e + 1);
        run->r.elapsed[e] = 2.0 * (e + 1);
    }
    run->r.final_val_acc = run->r.val_acc[epochs - 1];
    run->r.epoch_reached = reached;
    run->r.diverged = diverged;
    run->seconds = 2.0 * epochs;
}

Test(sweep, arm_summary) {
    SweepRun *runs = sweep_alloc(2, 3);
    for (int k = 0; k < 6; k++) cr_assert(runs[k].arm == k / 3 && runs[k].seed == k % 3, "run %d", k);
    cr_assert(isnan(runs[4].test_acc));
    fake_run(&runs[0], 4, 0.80, 2, false), runs[0].test_acc = 0.7;
    fake_run(&runs[1], 4, 0.70, 4, false), runs[1].test_acc = 0.6;
    fake_run(&runs[2], 4, 0.90, 3, false), runs[2].test_acc = 0.8;
    SweepArm a = sweep_arm(runs, 3);
    cr_assert(fabs(a.val.lo - 0.74) < 1e-12 && fabs(a.val.hi - 0.94) < 1e-12, "%g %g", a.val.lo, a.val.hi);
    cr_assert(fabs(a.val.mean - 0.84) < 1e-12, "%.17g", a.val.mean);
    cr_assert(fabs(a.test.mean - 0.7) < 1e-12, "%.17g", a.test.mean);
    cr_assert(a.loss.lo == 0.25 && a.loss.hi == 0.25, "%g %g", a.loss.lo, a.loss.hi);
    cr_assert(a.reached == 3 && a.diverged == 0, "%d %d", a.reached, a.diverged);
    cr_assert(a.epoch_mean == 3.0 && a.epoch_min == 2.0 && a.epoch_max == 4.0, "%g %g %g", a.epoch_mean, a.epoch_min, a.epoch_max);
    cr_assert(eq(dbl, a.seconds_per_epoch, 2.0));

    /* arm 1: one seed never reaches the target, one diverges */
    fake_run(&runs[3], 4, 0.80, 3, false);
    fake_run(&runs[4], 2, 0.10, 0, true);
    fake_run(&runs[5], 4, 0.80, 0, false);
    SweepArm b = sweep_arm(&runs[3], 3);
    cr_assert(isnan(b.val.mean) && isnan(b.test.mean) && isnan(b.loss.mean));
    cr_assert(b.diverged == 1 && b.reached == 1, "%d %d", b.diverged, b.reached);
    cr_assert(isnan(b.epoch_mean) && isnan(b.epoch_max) && b.epoch_min == 3.0, "%g", b.epoch_min);
    free(runs);
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "cannot open %s", path);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

Test(sweep, band_csv_rows) {
    char dir[TMPDIR_SIZE], path[TMPDIR_SIZE + 32];
    test_tmpdir(dir, "sweep");
    snprintf(path, sizeof path, "%s/bands.csv", dir);
    SweepRun *runs = sweep_alloc(2, 2);
    fake_run(&runs[0], 3, 0.50, 0, false);
    fake_run(&runs[1], 2, 0.60, 0, false);   /* stopped early after epoch 2 */
    runs[1].r.final_val_acc = 0.61;          /* its restored weights: epoch 1's */
    fake_run(&runs[2], 3, 0.50, 0, false);
    fake_run(&runs[3], 3, 0.50, 0, true);
    Csv csv;
    cr_assert(sweep_bands_open(&csv, path));
    sweep_bands_rows(&csv, "a", &runs[0], 2, 3);
    sweep_bands_rows(&csv, "b", &runs[2], 2, 3);
    cr_assert(csv_close(&csv));
    const char *want = "arm,epoch,val_min,val_mean,val_max,mean_seconds,train_loss\n"
                       "a,1,0.51,0.56,0.61,2,1\n"
                       "a,2,0.52,0.57,0.62,4,0.5\n"
                       "a,3,0.53,0.57,0.61,5,0.416667\n"
                       "b,1,diverged,diverged,diverged,2,diverged\n"
                       "b,2,diverged,diverged,diverged,4,diverged\n"
                       "b,3,diverged,diverged,diverged,6,diverged\n";
    cr_assert(eq(str, slurp(path), (char *)want));
    free(runs);
}

/* Each run trains a small net on blobs from its arm's and seed's stream: the results must be the
 * same, bit for bit, with one thread or three. */
typedef struct {
    Subset tr, val;
} Ctx;

static void train_one(void *ctx, SweepRun *run, TrainBuffers *b) {
    Ctx *c = ctx;
    Rng rng;
    rng_init(&rng, 1000 * (uint64_t)run->arm + (uint64_t)run->seed);
    Net net;
    net_mlp(&net, "5-16-4", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), init_make(INIT_XAVIER_UNIFORM), 64, &rng);
    OptConfig adam = optim_defaults(OPT_ADAM);
    adam.lr = run->arm == 0 ? R(1e-3) : R(1e-2);
    TrainConfig tc = {.name = "", .epochs = 3, .batch = 32, .opt = adam, .sched = schedule_constant(adam.lr),
                      .target_acc = 0.5, .quiet = true};
    cr_assert(train_classifier(&net, &c->tr, &c->val, &tc, b, &rng, &run->r));
    net_free(&net);
}

Test(sweep, results_do_not_depend_on_the_thread_count) {
    Dataset ds;
    Rng rng;
    rng_init(&rng, 1);
    synth_blobs(&ds, 300, 4, 5, 1.0, &rng);
    Subset all = subset_all(&ds);
    Ctx c = {all, all};
    TrainBuffers *b = trainbufs_new(3, 64, 5, 4);
    SweepRun *one = sweep_alloc(2, 3), *three = sweep_alloc(2, 3);
    sweep_run(one, 6, train_one, &c, b, 1, "one");
    sweep_run(three, 6, train_one, &c, b, 3, "three");
    for (int k = 0; k < 6; k++) {
        cr_assert(eq(int, one[k].r.epochs_run, 3));
        cr_assert(memcmp(one[k].r.val_acc, three[k].r.val_acc, sizeof one[k].r.val_acc) == 0, "run %d", k);
        cr_assert(memcmp(one[k].r.train_loss, three[k].r.train_loss, sizeof one[k].r.train_loss) == 0, "run %d", k);
        cr_assert(one[k].seconds > 0);
    }
    free(one), free(three);
    trainbufs_free(b, 3);
    subset_free(&all);
    dataset_free(&ds);
}
