/** Tests of Lab 0 on quick configurations: the lab's own pieces, and its claims. */
#define NN_NO_MAIN
#include "../labs/lab00_neuron.c"

#include <signal.h>

#include "labtest.h"

static int (*const lab00_entry)(Lab *) __attribute__((unused)) = run_lab;

Test(lab00, perceptron_separates_within_novikoffs_bound) {
    Rng rng;
    rng_init(&rng, 7);
    enum { N = 150 };
    real x[N * D];
    int y[N];
    make_separable(x, y, N, &rng);
    Perceptron p = perceptron_train(x, y, N, 1000);
    cr_assert(p.converged, "no mistake-free epoch in %d", p.epochs);
    cr_assert(eq(dbl, neuron_accuracy(p.w, p.b, x, y, N), 1.0));
    cr_assert(p.updates > 0 && p.updates <= novikoff_bound(x, y, N), "%d updates, bound %g", p.updates,
              novikoff_bound(x, y, N));
}

Test(lab00, no_line_gets_all_four_xor_points) {
    real x[4 * D];
    int y[4];
    make_xor(x, y);
    Perceptron p = perceptron_train(x, y, 4, 500);
    cr_assert(not(p.converged));
    cr_assert(p.best_acc <= 0.75, "perceptron %g", p.best_acc);
    /* every line through a fine grid of directions and offsets: 3 of 4 at best, and 3 of 4 is reached */
    double best = 0;
    for (int k = 0; k < 360; k++)
        for (int j = -40; j <= 40; j++) {
            real w[D] = {(real)cos(k * M_PI / 180), (real)sin(k * M_PI / 180)}, b = (real)(j / 20.0);
            best = fmax(best, neuron_accuracy(w, b, x, y, 4));
        }
    cr_assert(eq(dbl, best, 0.75));
}

Test(lab00, logistic_neuron_separates_and_its_gradient_is_right) {
    Rng rng;
    rng_init(&rng, 8);
    enum { N = 100 };
    real x[N * D];
    int y[N];
    make_separable(x, y, N, &rng);
    real zero[D] = {0, 0};
    Logistic m = logistic_train(x, y, N, 2000, R(2), zero, 0);
    cr_assert(eq(dbl, m.acc, 1.0));
    /* one step from zero moves w along sum_n (t_n - 1/2) x_n / N: towards the true direction */
    Logistic one = logistic_train(x, y, N, 1, R(1), zero, 0);
    double cosine = (one.w[0] * TRUE_W[0] + one.w[1] * TRUE_W[1]) / hypot(one.w[0], one.w[1]);
    cr_assert(cosine > 0.8, "first step's direction: cosine %g with the true normal", cosine);
}

Test(lab00, identity_net_collapses_to_one_matrix) {
    Rng rng;
    rng_init(&rng, 9);
    Net net;
    build_model(&net, MODEL_LINEAR5, &rng);
    enum { N = 64 };
    real x[N * D], z[N];
    for (int i = 0; i < N * D; i++) x[i] = (real)rng_normal(&rng);
    /* random biases too, so that the offset a is checked */
    for (int k = 0; k < net.nlayers; k++)
        if (net.layers[k].kind == LAYER_LINEAR)
            for (int o = 0; o < net.layers[k].out; o++) net.layers[k].linear.b[o] = (real)rng_normal(&rng);
    cr_assert(collapse_error(&net, x, N, z) < 1e-5);
    net_free(&net);
}

/* With a nonlinearity between the layers there is no product matrix: collapse refuses. */
Test(lab00, collapse_refuses_a_relu_net, .signal = SIGABRT) {
    Rng rng;
    rng_init(&rng, 9);
    Net net;
    build_model(&net, MODEL_RELU5, &rng);
    double A[MAX_WIDTH * D], a[MAX_WIDTH];
    collapse(&net, A, a);
}

Test(lab00, train_net_fits_xor_with_a_hidden_layer) {
    Rng rng;
    rng_init(&rng, 10);
    real x[4 * D], t[4], z[4];
    int y[4];
    make_xor(x, y);
    for (int n = 0; n < 4; n++) t[n] = (real)y[n];
    Net net;
    build_xor_net(&net, &rng);
    double loss = train_net(&net, x, t, 4, LOSS_BCE, 0, 1500, R(0.05));
    cr_assert(loss < 0.01, "loss %g", loss);
    cr_assert(eq(dbl, binary_accuracy(&net, x, y, 4, z), 1.0));
    net_free(&net);
}

Test(lab00, regressor_places_each_unit_inside_the_interval) {
    Rng rng;
    rng_init(&rng, 11);
    Net net;
    build_regressor(&net, 32, ACT_RELU, &rng);
    const Linear *l = &net.layers[0].linear;
    for (int j = 0; j < 32; j++) {
        double kink = -(double)l->b[j] / (double)l->W[j];
        cr_assert(kink >= -1 - 1e-6 && kink <= 1 + 1e-6, "unit %d's kink at %g", j, kink);
    }
    net_free(&net);
}

Test(lab00, huber_ignores_outliers_that_pull_mse) {
    /* the mean of a sample is what MSE fits with a constant; Huber's fit stays near the median */
    real t[10] = {0, R(0.1), R(-0.1), R(0.05), R(-0.05), 0, R(0.1), R(-0.1), 0, 10};
    real c[10], g[10];
    double best_mse = 0, best_huber = 0, lo_mse = INFINITY, lo_huber = INFINITY;
    for (int k = -100; k <= 200; k++) {
        real v = (real)(k / 100.0);
        for (int i = 0; i < 10; i++) c[i] = v;
        double m = mse_forward(c, t, 10), h = huber_forward(c, t, 10, R(0.2));
        if (m < lo_mse) lo_mse = m, best_mse = v;
        if (h < lo_huber) lo_huber = h, best_huber = v;
    }
    cr_assert(fabs(best_mse - 1.0) < 0.02, "MSE's constant %g (the mean is 1)", best_mse);
    cr_assert(fabs(best_huber) < 0.05, "Huber's constant %g", best_huber);
    huber_backward(g, c, t, 10, R(0.2));   /* c = 2 now: every residual is beyond delta, the pull is +-delta/n */
    cr_assert(fabs((double)g[0] - 0.02) < 1e-7 && fabs((double)g[9] + 0.02) < 1e-7, "%g %g", (double)g[0], (double)g[9]);
}

/* The whole lab, quick mode, as a user runs it: every claim it makes must hold. */
Test(lab00, every_claim_holds_in_quick_mode, .timeout = 600) {
    char dir[TMPDIR_SIZE];
    run_quick_and_check_claims("lab00", "", 14, dir);
    const char *keys[] = {"seed", "mode", "seconds", "perceptron_updates", "novikoff_bound", "xor_lines_best_acc",
                          "xor_hidden_acc", "collapse_rel_diff", "spirals_relu5_acc", "noise_floor",
                          "tanh_heldout_w1", "relu_heldout_widest", "bce_stable_rel_err", "huber_gain"};
    assert_result_keys(dir, keys, sizeof keys / sizeof keys[0]);
}

Test(lab00, a_bad_flag_exits_2) { cr_assert(eq(int, lab_exit_status("lab00", "--widths 3"), 2)); }

/* Reproducibility: two runs with the same seed write the same bytes, timing columns aside. */
Test(lab00, same_seed_same_csvs, .timeout = 600) {
    const char *bin = lab_bin_dir();
    char a[TMPDIR_SIZE], b[TMPDIR_SIZE], cmd[2048];
    test_tmpdir(a, "l0a"), test_tmpdir(b, "l0b");
    for (int run = 0; run < 2; run++) {
        snprintf(cmd, sizeof cmd, "%s/lab00 --quick --seed 5 --threads 1 --out %s > /dev/null 2>&1", bin, run ? b : a);
        cr_assert(system(cmd) == 0, "%s", cmd);
    }
    const char *files[] = {"claims.csv", "neuron.csv", "neuron_grid.csv", "depth.csv", "depth_runs.csv", "width.csv",
                           "fits.csv", "stability.csv", "huber.csv", "huber_data.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char cmp[4096];
        snprintf(cmp, sizeof cmp, "cmp -s %s/%s %s/%s", a, files[i], b, files[i]);
        cr_expect(system(cmp) == 0, "%s differs between two runs with seed 5", files[i]);
    }
}
