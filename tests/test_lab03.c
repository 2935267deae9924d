/** Tests of Lab 3 on quick configurations: the lab's own pieces, and its claims. */
#define NN_NO_MAIN
#include "../labs/lab03_regularization.c"

#include "labtest.h"

static int (*const lab03_entry)(Lab *) __attribute__((unused)) = run_lab;

Test(lab03, band_is_min_mean_max_and_diverged_is_nan) {
    Outcome o[3] = {{.val_acc = 0.5}, {.val_acc = 0.7}, {.val_acc = 0.6}};
    Band b = band(o, 3, offsetof(Outcome, val_acc));
    cr_assert(eq(dbl, b.lo, 0.5));
    cr_assert(eq(dbl, b.hi, 0.7));
    cr_assert(fabs(b.mean - 0.6) < 1e-12);
    o[1].val_acc = NAN;
    b = band(o, 3, offsetof(Outcome, val_acc));
    cr_assert(isnan(b.lo) && isnan(b.mean) && isnan(b.hi), "one diverged seed leaves the point no band (sweep.h)");
    cr_assert(eq(int, b.diverged, 1));
}

/* run_many keeps each run's Outcome at the run's own index (setting k / seeds, seed k % seeds): it is
 * the Outcome that training that setting from that seed alone gives. (Alone, outside the parallel
 * runs, the matrix products may split their sums differently: the losses agree to float rounding.) */
Test(lab03, outcomes_sit_beside_their_runs) {
    Dataset ds;
    Rng rng;
    rng_init(&rng, 5);
    synth_blobs(&ds, 240, CLASSES, 784, 1.0, &rng);
    Data d = {.tr = subset_range(&ds, 0, 120), .val = subset_range(&ds, 120, 60), .test = subset_range(&ds, 180, 60),
              .flipped = subset_range(&ds, 0, 12), .workers = 2};
    d.b = trainbufs_new(d.workers, EVAL, 784, CLASSES);
    Config cfg = QUICK;
    cfg.epochs = 2, cfg.seeds = 2;
    Lab lab = {.seed = 3};
    Setting st[2] = {base_setting(), base_setting()};
    st[0].width = 8, st[1].width = 16, st[1].drop = 0.2;
    Outcome out[4];
    SweepRun *runs = run_many(&lab, &cfg, &d, st, 2, true, out, "test");
    for (int k = 0; k < 4; k++) {
        cr_assert(eq(int, runs[k].arm, k / 2));
        cr_assert(eq(int, runs[k].seed, k % 2));
        cr_assert(eq(dbl, runs[k].test_acc, out[k].test_acc), "the run carries its Outcome's test accuracy");
        TrainResult r;
        Outcome o = train_setting(&lab, &cfg, &d, &st[k / 2], k % 2, true, &d.b[1], &r);
        cr_assert(fabs(o.train_loss - out[k].train_loss) < 1e-5 * (1 + fabs(o.train_loss)), "run %d", k);
        cr_assert(fabs(o.val_loss - out[k].val_loss) < 1e-5 * (1 + fabs(o.val_loss)), "run %d", k);
        cr_assert(fabs(r.train_loss[1] - runs[k].r.train_loss[1]) < 1e-5 * (1 + fabs(r.train_loss[1])), "run %d", k);
        for (int j = 0; j < k; j++)
            cr_assert(fabs(out[j].train_loss - out[k].train_loss) > 1e-4, "runs %d and %d differ", j, k);
    }
    free(runs);
    trainbufs_free(d.b, d.workers);
    subset_free(&d.tr), subset_free(&d.val), subset_free(&d.test), subset_free(&d.flipped);
    dataset_free(&ds);
}

Test(lab03, seeds_are_compared_pairwise) {
    Point p = {.seeds = 3, .test_seed = {0.71, 0.72, 0.70}}, q = {.seeds = 3, .test_seed = {0.70, 0.71, 0.69}};
    cr_assert(beats_every_seed(&p, &q));
    q.test_seed[2] = 0.70;   /* a tie is not a win */
    cr_assert(not(beats_every_seed(&p, &q)));
    Point none = {0};
    cr_assert(not(beats_every_seed(&none, &q)), "no seeds, no claim");
}

Test(lab03, dropout_layers_follow_each_hidden_relu) {
    Rng rng;
    rng_init(&rng, 1);
    Setting st = base_setting();
    st.width = 16, st.drop = 0.3;
    Net net;
    build_net(&net, &st, &rng);
    char desc[256];
    net_describe(&net, desc, sizeof desc);
    cr_assert(eq(str, desc, "Linear(784,16) relu Dropout(0.3) Linear(16,16) relu Dropout(0.3) Linear(16,10)"));
    net_free(&net);
}

Test(lab03, flipped_labels_are_wrong_and_about_the_asked_share) {
    Dataset ds;
    Rng rng;
    rng_init(&rng, 3);
    synth_blobs(&ds, 4000, CLASSES, 2, 1.0, &rng);
    int *orig = nn_calloc((size_t)ds.n, sizeof(int));
    memcpy(orig, ds.y, (size_t)ds.n * sizeof(int));
    Data d = {.tr = subset_range(&ds, 0, 3000)};
    flip_labels(&d, 0.2, &rng);
    cr_assert(d.flipped.n > 0.17 * 3000 && d.flipped.n < 0.23 * 3000, "%d flipped", d.flipped.n);
    int changed = 0;
    for (int i = 0; i < ds.n; i++) changed += ds.y[i] != orig[i];
    cr_assert(eq(int, changed, d.flipped.n), "every flipped label differs from the true one, no other changed");
    for (int i = 3000; i < ds.n; i++) cr_assert(eq(int, ds.y[i], orig[i]), "outside the training subset nothing changes");
    subset_free(&d.tr), subset_free(&d.flipped);
    free(orig);
    dataset_free(&ds);
}

Test(lab03, every_claim_holds_in_quick_mode, .timeout = 1200) {
    char dir[TMPDIR_SIZE];
    run_quick_and_check_claims("lab03", "", 10, dir);
    const char *keys[] = {"noreg_train_acc", "noreg_test_acc", "best_l2_lambda", "best_l2_test_acc",
                          "best_l1_lambda", "best_dropout_p", "best_dropout_test_acc", "early_stop_epoch",
                          "combined_test_acc", "best_l1_test_acc", "val_choice", "combined_val_lead_points",
                          "seed", "threads"};
    assert_result_keys(dir, keys, sizeof keys / sizeof *keys);
    char path[TMPDIR_SIZE + 32], v[64];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    cr_assert(results_read(path, "flipped_labels", v, sizeof v) && atoi(v) > 0);
}

Test(lab03, bad_flags_exit_2) {
    cr_assert(eq(int, lab_exit_status("lab03", "--noise 2"), 2));
    cr_assert(eq(int, lab_exit_status("lab03", "--threads 0"), 2));
}
