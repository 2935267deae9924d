/** Tests of Lab 05 on quick configurations: the lab's own pieces, its claims and `--check`. */
#define NN_NO_MAIN
#include "../labs/lab05_diagnostics.c"

#include "labtest.h"

static int (*const lab05_entry)(Lab *) __attribute__((unused)) = run_lab;

/* Each failure changes the healthy setting, and its fix changes it back (or applies a remedy);
 * the three loop bugs differ from the healthy loop in their one switch. */
Test(lab05, each_failure_breaks_one_thing) {
    Subset dummy = {0};
    Data d = {&QUICK, &dummy, &dummy, &dummy, &dummy};
    Setting h = healthy(&QUICK, &d);
    Setting nz = failure_setting(F_NO_ZERO_GRAD, false, &QUICK, &d);
    cr_assert(nz.zero_grad == false && nz.shuffle && nz.eval_mode && nz.lr == h.lr && nz.tr == h.tr);
    cr_assert(failure_setting(F_NO_ZERO_GRAD, true, &QUICK, &d).zero_grad);
    Setting ns = failure_setting(F_NO_SHUFFLE, false, &QUICK, &d);
    cr_assert(ns.shuffle == false && ns.tr == d.sorted && ns.zero_grad);
    Setting de = failure_setting(F_DROPOUT_EVAL, false, &QUICK, &d);
    cr_assert(de.eval_mode == false && de.dropout > 0);
    cr_assert(failure_setting(F_DROPOUT_EVAL, true, &QUICK, &d).eval_mode);
    cr_assert(failure_setting(F_LR_HIGH, false, &QUICK, &d).lr > 10 * h.lr);
    cr_assert(failure_setting(F_LR_LOW, false, &QUICK, &d).lr < h.lr / 1000);
}

/* The output layer starts small, so a fresh healthy net's loss is near ln 10 on any input;
 * with std-1 weights everywhere it is far above. */
Test(lab05, the_healthy_net_starts_near_ln_c) {
    Subset dummy = {0};
    Data d = {&QUICK, &dummy, &dummy, &dummy, &dummy};
    Rng rng;
    rng_init(&rng, 2);
    real x[64 * 784], p[64 * CLASSES];
    int y[64];
    for (int i = 0; i < 64 * 784; i++) x[i] = (real)rng_normal(&rng);
    for (int i = 0; i < 64; i++) y[i] = i % CLASSES;
    for (int broken = 0; broken < 2; broken++) {
        Setting st = broken ? failure_setting(F_BAD_INIT, false, &QUICK, &d) : healthy(&QUICK, &d);
        Net net;
        build(&net, &st, &rng);
        double loss = xent_forward(p, net_forward(&net, x, 64, false, NULL), y, 64, CLASSES, 0);
        if (broken) cr_assert(loss > 10 * log(CLASSES), "std-1 weights: loss %g", loss);
        else cr_assert(fabs(loss - log(CLASSES)) < 0.2, "healthy: loss %g", loss);
        net_free(&net);
    }
}

Test(lab05, every_claim_holds_in_quick_mode, .timeout = 1200) {
    char dir[TMPDIR_SIZE];
    run_quick_and_check_claims("lab05", "", 11, dir);
    const char *keys[] = {"lr_high_diverged_step", "lr_low_update_ratio", "vanishing_grad_ratio", "dead_fraction",
                          "bad_init_loss", "no_shuffle_val_acc", "finder_suggested_lr", "checks_passed_healthy"};
    assert_result_keys(dir, keys, sizeof keys / sizeof *keys);
}

Test(lab05, check_passes_a_healthy_net_and_fails_a_broken_one, .timeout = 600) {
    cr_assert(eq(int, lab_exit_status("lab05", "--quick --check"), 0), "the default net passes every check");
    cr_assert(eq(int, lab_exit_status("lab05", "--quick --check --init normal"), 1), "std-1 weights fail");
}

Test(lab05, bad_check_flags_exit_2) {
    cr_assert(eq(int, lab_exit_status("lab05", "--check --arch 784-x-10"), 2));
    cr_assert(eq(int, lab_exit_status("lab05", "--check --arch 100-10"), 2), "Fashion-MNIST needs 784 inputs");
    cr_assert(eq(int, lab_exit_status("lab05", "--check --act wiggle"), 2));
    cr_assert(eq(int, lab_exit_status("lab05", "--check --init nope"), 2));
    cr_assert(eq(int, lab_exit_status("lab05", "--lr -1"), 2));
}
