/** Tests of Lab 04 on quick configurations: the lab's own pieces, and its claims. */
#define NN_NO_MAIN
#include "../labs/lab04_normalization.c"

#include "labtest.h"

static int (*const lab04_entry)(Lab *) __attribute__((unused)) = run_lab;

Test(lab04, the_deep_net_has_a_norm_per_hidden_layer_and_no_bias_before_batchnorm) {
    Rng rng;
    rng_init(&rng, 1);
    for (int arm = 0; arm < NARMS; arm++) {
        Net net;
        deep_net(&net, arm, 3, init_make(INIT_HE_NORMAL), &rng);
        int norms = 0, linears = 0;
        for (int i = 0; i < net.nlayers; i++) {
            norms += net.layers[i].kind == LAYER_NORM;
            if (net.layers[i].kind == LAYER_LINEAR && i + 1 < net.nlayers - 1)
                cr_assert(eq(int, net.layers[i].linear.b == NULL, arm == 1 + NORM_BATCH),
                          "%s: a bias exactly when no BatchNorm follows", arm_name(arm));
            linears += net.layers[i].kind == LAYER_LINEAR;
        }
        cr_assert(eq(int, norms, arm ? 3 : 0), "%s", arm_name(arm));
        cr_assert(eq(int, linears, 4));
        net_free(&net);
    }
}

Test(lab04, an_arms_summary_marks_a_diverged_arm_and_unreached_targets) {
    SweepRun *j = sweep_alloc(1, 3);   /* what section_train reads from sweep_arm */
    for (int s = 0; s < 3; s++) {
        j[s].r.epochs_run = 2, j[s].r.final_val_acc = 0.8 + 0.01 * s, j[s].r.epoch_reached = 2;
        j[s].r.train_loss[1] = 0.5 + 0.1 * s, j[s].seconds = 1;
    }
    SweepArm a = sweep_arm(j, 3);
    cr_assert(fabs(a.val.mean - 0.81) < 1e-12 && a.val.lo == 0.8 && fabs(a.val.hi - 0.82) < 1e-12, "min, mean, max");
    cr_assert(eq(dbl, a.epoch_mean, 2.0));
    cr_assert(fabs(a.loss.hi - a.loss.lo - 0.2) < 1e-12, "the loss spread");
    cr_assert(eq(dbl, a.seconds_per_epoch, 0.5));
    j[1].r.epoch_reached = 0;
    cr_assert(isnan(sweep_arm(j, 3).epoch_mean), "not every seed reached the target");
    j[2].r.diverged = true;
    a = sweep_arm(j, 3);
    cr_assert(isnan(a.val.mean) && isnan(a.loss.hi - a.loss.lo) && a.diverged == 1, "a diverged seed makes the arm diverged");
    free(j);
}

Test(lab04, train_one_trains_the_arms_spec_with_the_runs_seed) {
    /* two runs of one arm: the same seed gives the same weights' result, another seed another */
    Dataset d;
    if (!data_load(&d, "fashion-mnist", "train", "test_lab04")) cr_skip_test("no Fashion-MNIST");
    Subset tr = subset_range(&d, 0, 256), val = subset_range(&d, 256, 128);
    Lab lab = {.seed = 1};
    Spec spec[2] = {{0, 64, 0.02, OPT_SGD}, {1 + NORM_LAYER, 32, 1e-3, OPT_ADAM}};
    Plan plan = {&lab, &tr, &val, spec, 256, 1, 0};
    TrainBuffers *b = trainbufs_new(1, EVAL, 784, CLASSES);
    SweepRun *runs = sweep_alloc(2, 2);
    for (int k = 0; k < 4; k++) train_one(&plan, &runs[k], b);
    SweepRun again = runs[3];
    train_one(&plan, &again, b);
    cr_assert(eq(dbl, again.r.final_val_acc, runs[3].r.final_val_acc), "arm 1, seed 1, twice");
    cr_assert(runs[0].r.train_loss[0] != runs[1].r.train_loss[0], "seeds 0 and 1 differ");
    cr_assert(runs[0].r.train_loss[0] != runs[2].r.train_loss[0], "arms 0 and 1 differ");
    free(runs);
    trainbufs_free(b, 1);
    subset_free(&tr), subset_free(&val);
    dataset_free(&d);
}

Test(lab04, every_claim_holds_in_quick_mode, .timeout = 1200) {
    char dir[TMPDIR_SIZE];
    run_quick_and_check_claims("lab04", "", 6, dir);
    const char *keys[] = {"std15_none", "std15_batchnorm", "batchnorm_lr1_val_acc", "none_lr1_diverged",
                          "batchnorm_batch2_val_acc", "layernorm_batch2_val_acc", "bn_eval_acc", "bn_trainmode8_acc",
                          "bn_stats1_acc", "bn_backward_closed_us", "bn_backward_graph_us"};
    assert_result_keys(dir, keys, sizeof keys / sizeof *keys);
}

Test(lab04, a_bad_flag_exits_2) { cr_assert(eq(int, lab_exit_status("lab04", "--seed x"), 2)); }
