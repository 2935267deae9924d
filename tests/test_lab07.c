/** Tests of Lab 07 on quick configurations: the lab's own pieces, and its claims. */
#define NN_NO_MAIN
#include "../labs/lab07_optimizers.c"

#include "labtest.h"

static int (*const lab07_entry)(Lab *) __attribute__((unused)) = run_lab;

Test(lab07, the_surfaces_gradients_match_central_differences) {
    const double pts[3][2] = {{-1.2, 1}, {0.3, -0.7}, {2, 1.5}};
    for (int s = 0; s < NSURF; s++)
        for (int p = 0; p < 3; p++) {
            double x = pts[p][0], y = pts[p][1], gx, gy, d1, d2, h = 1e-6;
            surface_f((Surface)s, x, y, &gx, &gy);
            double fx = (surface_f((Surface)s, x + h, y, &d1, &d2) - surface_f((Surface)s, x - h, y, &d1, &d2)) / (2 * h);
            double fy = (surface_f((Surface)s, x, y + h, &d1, &d2) - surface_f((Surface)s, x, y - h, &d1, &d2)) / (2 * h);
            cr_assert(fabs(fx - gx) < 1e-4 * (1 + fabs(gx)) && fabs(fy - gy) < 1e-4 * (1 + fabs(gy)),
                      "%s at (%g, %g): analytic (%g, %g), numeric (%g, %g)", SURF_NAME[s], x, y, gx, gy, fx, fy);
        }
    double gx, gy;
    cr_assert(surface_f(QUAD, 0, 0, &gx, &gy) == 0 && surface_f(ROSEN, 1, 1, &gx, &gy) == 0, "the minima are 0");
}

Test(lab07, every_schedule_peaks_at_the_base_rate_and_stays_positive) {
    int per_epoch = 50, total = 400;
    for (int k = 0; k < SCHED_NKINDS; k++) {
        Schedule s = make_schedule((SchedKind)k, 0.05, total, per_epoch);
        double hi = 0;
        for (int t = 0; t < total; t++) {
            double lr = schedule_lr(&s, t);
            cr_assert(lr >= 0 && lr <= 0.05 * (1 + 1e-9), "%s at step %d: %g", schedule_name((SchedKind)k), t, lr);
            hi = fmax(hi, lr);
        }
        cr_assert(fabs(hi - 0.05) < 1e-3, "%s peaks at %g", schedule_name((SchedKind)k), hi);
    }
    Schedule sgdr = make_schedule(SCHED_SGDR, 0.05, 700, 50);   /* restarts after 100 and 300 steps */
    cr_assert(schedule_lr(&sgdr, 100) == 0.05 && schedule_lr(&sgdr, 300) == 0.05 && schedule_lr(&sgdr, 99) < 0.001);
}

Test(lab07, each_ablation_removes_exactly_one_ingredient) {
    Setup full = recipe_setup(ING_NONE);
    for (int k = 1; k < NING; k++) {
        Setup s = recipe_setup(k);
        int differ = (s.he != full.he) + (s.batchnorm != full.batchnorm) + (s.dropout != full.dropout) +
                     (s.opt.kind != full.opt.kind) + (s.sched != full.sched) + (s.patience != full.patience) +
                     (s.flip != full.flip);
        cr_assert(eq(int, differ, 1), "%s changes %d ingredients", ING_NAME[k], differ);
        cr_assert(s.hidden[0] == full.hidden[0] && s.batch == full.batch && s.opt.lr == full.opt.lr);
    }
}

Test(lab07, the_recipe_net_has_batchnorm_and_dropout_and_no_bias_before_batchnorm) {
    Rng rng;
    rng_init(&rng, 1);
    Setup s = recipe_setup(ING_NONE);
    Net net;
    build_net(&net, &s, &rng);
    int norms = 0, drops = 0;
    for (int i = 0; i < net.nlayers; i++) {
        norms += net.layers[i].kind == LAYER_NORM, drops += net.layers[i].kind == LAYER_DROPOUT;
        if (i + 1 < net.nlayers && net.layers[i + 1].kind == LAYER_NORM)
            cr_assert(net.layers[i].linear.b == NULL, "layer %d: a bias before BatchNorm", i);
    }
    cr_assert(norms == 2 && drops == 2, "%d norms, %d dropouts", norms, drops);
    net_free(&net);
}

Test(lab07, every_claim_holds_in_quick_mode, .timeout = 1200) {
    char dir[TMPDIR_SIZE];
    run_quick_and_check_claims("lab07", "", 4, dir);
    const char *keys[] = {"rosenbrock_SGD_final_f", "quadratic_Adam_final_f", "Adam_val_acc", "SGD_best_lr",
                          "sched_warmup_cosine_val_acc", "recipe_test_acc", "plain_test_acc",
                          "ablate_no_bn_change", "ablate_no_flip_val_acc"};
    assert_result_keys(dir, keys, sizeof keys / sizeof *keys);
}

Test(lab07, a_bad_flag_exits_2) { cr_assert(eq(int, lab_exit_status("lab07", "--threads 0"), 2)); }
