/** Tests of Lab 8 on quick configurations: the lab's own kernels against their naive twins, its
 * bookkeeping, and its claims. (Speed itself is measured by `make bench`, never asserted here.) */
#define NN_NO_MAIN
#include "../labs/lab08_speed.c"

#include "labtest.h"

static int (*const lab08_entry)(Lab *) __attribute__((unused)) = run_lab;

Test(lab08, the_ikj_loop_computes_what_the_naive_loop_computes) {
    enum { N = 37 };
    real A[N * N], B[N * N], C1[N * N], C2[N * N];
    Rng rng;
    rng_init(&rng, 3);
    for (int i = 0; i < N * N; i++) A[i] = (real)rng_normal(&rng), B[i] = (real)rng_normal(&rng);
    gemm_naive(false, false, N, N, N, 1, A, N, B, N, 0, C1, N);
    gemm_ikj(N, A, B, C2);
    for (int i = 0; i < N * N; i++)
        cr_assert(fabs((double)C1[i] - C2[i]) <= 1e-4 * (1 + fabs((double)C1[i])), "C[%d]: %g against %g", i,
                  (double)C2[i], (double)C1[i]);
}

Test(lab08, stat_of_gives_median_min_and_max) {
    double t[5] = {3, 1, 5, 2, 4};
    Stat s = stat_of(t, 5);
    cr_assert(s.med == 3 && s.lo == 1 && s.hi == 5);
}

Test(lab08, the_probe_read_sums_what_a_plain_loop_sums) {
    enum { N = 256 };
    float x[N];
    double want = 0;
    for (int i = 0; i < N; i++) x[i] = (float)(i % 7) - 2.5f, want += 3.0 * x[i];
    cr_assert(fabs(read_sum_plain(x, N, 3) - want) <= 1e-3, "plain: %g against %g", (double)read_sum_plain(x, N, 3),
              want);
    cr_assert(fabs(read_sum(x, N, 3) - want) <= 1e-3, "%g against %g", (double)read_sum(x, N, 3), want);
    if (have_avx2())
        cr_assert(fabs(read_sum_avx2(x, N, 3) - want) <= 1e-3, "AVX2: %g against %g", (double)read_sum_avx2(x, N, 3),
                  want);
}

Test(lab08, the_fma_loop_is_deterministic) {
    cr_assert(fma_loop(1000, 2) == fma_loop(1000, 2));
}

Test(lab08, the_timed_step_trains_and_its_parts_add_up) {
    Lab lab = {.seed = 1};
    Dataset ds;
    Rng rng;
    rng_init(&rng, 1);
    synth_blobs(&ds, 256, CLASSES, IN, 1.0, &rng);
    Subset s = subset_range(&ds, 0, 256);
    Trainer t;
    trainer_init(&t, 64, &lab);
    t.net.timing = t.timing;
    double parts[NPARTS] = {0}, first = 0, last = 0;
    for (int step = 0; step < 40; step++) {
        train_step(&t, &ds, s.idx + (step % 4) * 64, 64, parts);
        double loss = xent_forward(t.b.probs, net_forward(&t.net, t.b.x, 64, false, NULL), t.b.y, 64, CLASSES, 0);
        if (step == 0) first = loss;
        last = loss;
    }
    cr_assert(last < first / 2, "loss %g -> %g", first, last);
    for (int i = 0; i < t.net.nlayers; i++) cr_assert(t.timing[2 * i] > 0 && t.timing[2 * i + 1] > 0, "layer %d", i);
    cr_assert(parts[PART_DATA] > 0 && parts[PART_LOSS] > 0 && parts[PART_OPT] > 0);
    trainer_free(&t);
    subset_free(&s);
    dataset_free(&ds);
}

Test(lab08, every_claim_holds_in_quick_mode, .timeout = 1200) {
    char dir[TMPDIR_SIZE];
    run_quick_and_check_claims("lab08", "", 1, dir);
    const char *keys[] = {"peak_gflops_1", "bandwidth_gbs_1", "gemm_own1_128", "gemm_blas1_256", "best_batch",
                          "gemm_share_64", "epoch_seconds_blas", "epoch_seconds_own", "allocations_per_epoch",
                          "probe_read_median", "probe_two_median", "epoch_peak_share", "epoch_blas_over_own",
                          "cpu_model", "cpu_simd", "implied_ghz", "peers_status"};
    assert_result_keys(dir, keys, sizeof keys / sizeof *keys);
}

Test(lab08, a_bad_flag_exits_2) { cr_assert(eq(int, lab_exit_status("lab08", "--peers=x"), 2)); }
