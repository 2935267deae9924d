/** Tests of Lab 06 on quick configurations: the lab's own pieces, and its claims. */
#define NN_NO_MAIN
#include "../labs/lab06_initialization.c"

#include "labtest.h"

static int (*const lab06_entry)(Lab *) __attribute__((unused)) = run_lab;

Test(lab06, unit_spread_measures_the_largest_difference) {
    Linear l;
    linear_init(&l, 3, 2, false);
    for (int i = 0; i < 6; i++) l.W[i] = 1;
    cr_assert(unit_spread(&l) == 0);
    l.W[4] = R(1.5);
    cr_assert(fabs(unit_spread(&l) - 0.5) < 1e-6);
    linear_free(&l);
}

Test(lab06, residual_deep_net_has_blocks) {
    Rng rng;
    rng_init(&rng, 1);
    Net plain, res;
    deep_net(&plain, init_make(INIT_HE_NORMAL), false, &rng);
    deep_net(&res, init_make(INIT_HE_NORMAL), true, &rng);
    cr_assert(eq(int, plain.nlayers, 19), "10 Linear + 9 ReLU");
    cr_assert(eq(int, res.nlayers, 19 + 16), "plus 8 blocks of two markers");
    cr_assert(eq(sz, net_param_count(&plain), net_param_count(&res)), "residual adds no parameters");
    net_free(&plain), net_free(&res);
}

Test(lab06, backward_signal_measures_every_linear_layer) {
    Rng rng;
    rng_init(&rng, 1);
    Dataset ds;
    synth_blobs(&ds, 32, 10, 784, 1.0, &rng);
    Subset s = subset_all(&ds);
    TrainBuffers b;
    trainbuf_init(&b, 32, 784, 10);
    dataset_batch(&ds, s.idx, 32, b.x, b.y);
    double rms[16], wrms[16];
    for (int residual = 0; residual < 2; residual++) {
        Net net;
        deep_net(&net, init_make(INIT_TORCH_DEFAULT), residual, &rng);
        int nlin = backward_signal(&net, &b, 32, rms, wrms);
        cr_assert(eq(int, nlin, 10));
        cr_assert(isnan(rms[0]), "the first layer's input is the image: no backward signal");
        for (int l = 1; l < nlin; l++) cr_assert(rms[l] > 0 && wrms[l] > 0, "layer %d", l + 1);
        net_free(&net);
    }
    trainbuf_free(&b);
    subset_free(&s);
    dataset_free(&ds);
}

Test(lab06, every_claim_holds_in_quick_mode, .timeout = 1200) {
    char dir[TMPDIR_SIZE], path[TMPDIR_SIZE + 32];
    run_quick_and_check_claims("lab06", "", 10, dir);
    snprintf(path, sizeof path, "%s/init_bands.csv", dir);
    FILE *f = fopen(path, "r");
    char text[16384];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    cr_assert(strstr(text, "large,1,diverged") != NULL, "std-1 weights are recorded as diverged:\n%s", text);
}

Test(lab06, a_bad_flag_exits_2) { cr_assert(eq(int, lab_exit_status("lab06", "--threads 0"), 2)); }
