/** Tests of Lab 02 on quick configurations: the lab's own measurements, and its claims. */
#define NN_NO_MAIN
#include "../labs/lab02_activations.c"

#include "labtest.h"

static int (*const lab02_entry)(Lab *) __attribute__((unused)) = run_lab;

Test(lab02, customary_initializers) {
    cr_assert(eq(int, (int)customary_init(ACT_SIGMOID).kind, (int)INIT_XAVIER_NORMAL));
    cr_assert(eq(int, (int)customary_init(ACT_TANH).kind, (int)INIT_XAVIER_NORMAL));
    cr_assert(eq(int, (int)customary_init(ACT_RELU).kind, (int)INIT_HE_NORMAL));
    cr_assert(eq(int, (int)customary_init(ACT_GELU).kind, (int)INIT_HE_NORMAL));
}

Test(lab02, second_moments_and_the_derivative_check) {
    /* E[ReLU(z)^2] = 1/2 exactly; GELU and SiLU keep less (the reason SiLU's profile sits low) */
    cr_assert(fabs(second_moment(ACT_RELU) - 0.5) < 1e-4, "relu %g", second_moment(ACT_RELU));
    cr_assert(second_moment(ACT_SILU) < second_moment(ACT_GELU) && second_moment(ACT_GELU) < 0.5);
    /* the central-difference check accepts the library's derivative and rejects a wrong one */
    enum { N = 101 };
    real x[N], y[N], ones[N], df[N];
    for (int i = 0; i < N; i++) x[i] = R(-5) + R(0.1) * (real)i, ones[i] = 1;
    Activation a = act_make(ACT_SIGMOID);
    act_forward(a, y, x, N);
    act_backward(a, df, ones, x, y, N);
    cr_assert(derivative_error(a, x, df, N) < 1e-3);
    for (int i = 0; i < N; i++) df[i] *= R(1.1);
    cr_assert(derivative_error(a, x, df, N) > 1e-3);
}

Test(lab02, deep_sigmoid_gradient_vanishes_and_relu_does_not) {
    Rng rng;
    rng_init(&rng, 1);
    Dataset ds;
    synth_blobs(&ds, 64, 10, 784, 1.0, &rng);
    Subset s = subset_all(&ds);
    TrainBuffers b;
    trainbuf_init(&b, 64, 784, 10);
    real *x = nn_calloc(64 * 784, sizeof(real));
    int y[64];
    dataset_batch(&ds, s.idx, 64, x, y);
    char arch[512] = "784";
    for (int l = 0; l < 20; l++) strcat(arch, "-128");
    strcat(arch, "-10");
    double rms[64];
    int nlin;
    Net net;
    build(&net, arch, ACT_SIGMOID, &rng);
    grad_profile(&net, x, y, 64, &b, rms, &nlin);
    cr_assert(eq(int, nlin, 21));
    cr_assert(rms[1] / rms[nlin - 2] < 1e-3, "sigmoid ratio %g", rms[1] / rms[nlin - 2]);
    net_free(&net);
    build(&net, arch, ACT_RELU, &rng);
    grad_profile(&net, x, y, 64, &b, rms, &nlin);
    double r = rms[1] / rms[nlin - 2];
    cr_assert(r > 0.1 && r < 10, "relu ratio %g", r);
    net_free(&net);
    free(x);
    trainbuf_free(&b);
    subset_free(&s);
    dataset_free(&ds);
}

/* The whole lab, quick mode, as a user runs it: every claim it makes must hold. */
Test(lab02, every_claim_holds_in_quick_mode, .timeout = 1200) {
    char dir[TMPDIR_SIZE];
    run_quick_and_check_claims("lab02", "", 6, dir);
    const char *keys[] = {"seed", "mode", "seconds", "sigmoid_test_acc", "relu_test_acc", "gelu_test_acc",
                          "silu_test_acc", "tanh_test_acc", "leakyrelu_test_acc", "sigmoid_20_ratio_init",
                          "relu_dead_high_lr"};
    assert_result_keys(dir, keys, sizeof keys / sizeof keys[0]);
}

Test(lab02, a_bad_flag_exits_2) { cr_assert(eq(int, lab_exit_status("lab02", "--seed x"), 2)); }
