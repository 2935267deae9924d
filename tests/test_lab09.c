/** Tests of Lab 09 on quick configurations: the lab's own pieces, and its claims. */
#define NN_NO_MAIN
#include "../labs/lab09_language.c"

#include "labtest.h"

static int (*const lab09_entry)(Lab *) __attribute__((unused)) = run_lab;

static char *cat_words[] = {"cat", "a"};

Test(lab09, the_counts_of_two_words_by_hand) {
    Words w = {cat_words, 2};
    uint32_t c[V * V] = {0};
    ngram_count(c, &w, 1);
    /* . c a t .  and  . a . */
    const char *pairs[] = {".c", "ca", "at", "t.", ".a", "a."};
    for (int k = 0; k < 6; k++)
        cr_assert(eq(u32, c[sym(pairs[k][0]) * V + sym(pairs[k][1])], 1), "pair %s", pairs[k]);
    uint32_t total = 0;
    for (int i = 0; i < V * V; i++) total += c[i];
    cr_assert(eq(u32, total, 6), "one pair per prediction: 4 + 2");
    cr_assert(eq(long, symbols_of(&w), 6));
}

Test(lab09, an_empty_table_smoothed_is_the_uniform_model_and_alpha_0_can_be_infinite) {
    Words w = {cat_words, 2};
    static uint32_t c[V * V * V * V];
    static uint64_t rows[V * V * V];
    for (int T = 1; T <= 3; T += 2) {
        memset(c, 0, sizeof c);
        row_sums(rows, c, ipow27(T));
        long unseen;
        double nll = ngram_nll(c, rows, T, 1, &w, &unseen);
        cr_assert(fabs(nll - log(27.0)) < 1e-12, "T=%d: %.15g", T, nll);
        cr_assert(eq(long, unseen, 6), "every context unseen");
    }
    ngram_count(c, &w, 1);
    row_sums(rows, c, V);
    cr_assert(isfinite(ngram_nll(c, rows, 1, 0, &w, NULL)), "the training words themselves: finite");
    static char *other[] = {"ta"};
    Words o = {other, 1};
    cr_assert(isinf(ngram_nll(c, rows, 1, 0, &o, NULL)), "'ta' has a pair the table never saw");
    cr_assert(isfinite(ngram_nll(c, rows, 1, 0.1, &o, NULL)));
}

Test(lab09, examples_end_every_word_with_the_boundary_and_start_from_it) {
    Words w = {cat_words, 2};
    Examples ex;
    examples_make(&ex, &w, 3);
    cr_assert(eq(int, ex.n, 6));
    const int want_ctx[6][3] = {{0, 0, 0}, {0, 0, 3}, {0, 3, 1}, {3, 1, 20}, {0, 0, 0}, {0, 0, 1}};
    const int want_y[6] = {3, 1, 20, 0, 1, 0};
    for (int k = 0; k < 6; k++) {
        cr_assert(eq(int, ex.y[k], want_y[k]), "y[%d]", k);
        for (int t = 0; t < 3; t++) cr_assert(eq(int, ex.ctx[k * 3 + t], want_ctx[k][t]), "ctx[%d][%d]", k, t);
    }
    examples_free(&ex);
}

/* BatchNorm in stage 1 of the hierarchical net sees every (word, pair) row as a sample: its batch
 * mean is the mean over N*T/2 rows, and each row is normalized with it. */
Test(lab09, batchnorm_normalizes_the_fused_pairs_rows_as_a_batch) {
    enum { N = 6, T = 8, E = 3, H = 5 };
    Rng rng;
    rng_init(&rng, 4);
    CharNet m;
    charnet_init(&m, ARCH_HIER, T, E, H, N, &rng);
    cr_assert(eq(int, m.nstages, 3));
    int ctx[N * T];
    for (int i = 0; i < N * T; i++) ctx[i] = rng_below(&rng, V);
    charnet_forward(&m, ctx, N, true);
    const Layer *lin = &m.stage[0].layers[0], *bn = &m.stage[0].layers[1];
    cr_assert(eq(int, m.stage[0].N, N * T / 2), "stage 1 runs on %d rows", m.stage[0].N);
    cr_assert(eq(int, m.stage[1].N, N * T / 4));
    cr_assert(eq(int, m.stage[2].N, N));
    cr_assert(eq(int, lin->in, 2 * E), "stage 1 reads pairs of embeddings");
    for (int j = 0; j < H; j++) {
        double mean = 0, var = 0;
        for (int r = 0; r < N * T / 2; r++) mean += lin->y[r * H + j] / (N * T / 2.0);
        for (int r = 0; r < N * T / 2; r++) var += pow(lin->y[r * H + j] - mean, 2) / (N * T / 2.0);
        cr_assert(fabs(bn->norm.mean[j] - mean) < 1e-5, "feature %d: mean over all fused rows", j);
        double out_mean = 0, out_var = 0;
        for (int r = 0; r < N * T / 2; r++) out_mean += bn->y[r * H + j] / (N * T / 2.0);
        for (int r = 0; r < N * T / 2; r++) out_var += pow(bn->y[r * H + j] - out_mean, 2) / (N * T / 2.0);
        cr_assert(fabs(out_mean) < 1e-5 && fabs(out_var - var / (var + 1e-5)) < 1e-4, "feature %d normalized", j);
    }
    charnet_free(&m);
}

/* In evaluation mode the rows of a batch are independent: the logits of a batch equal those of
 * each word alone, so the reshapes never mix two words. */
Test(lab09, a_batch_in_evaluation_mode_equals_its_words_one_by_one) {
    enum { N = 7, T = 8 };
    Rng rng;
    rng_init(&rng, 6);
    for (int arch = 0; arch < 2; arch++) {
        CharNet m;
        charnet_init(&m, (Arch)arch, T, 4, 6, N, &rng);
        int ctx[N * T];
        for (int i = 0; i < N * T; i++) ctx[i] = rng_below(&rng, V);
        charnet_forward(&m, ctx, N, true);   /* moves the running statistics off their start */
        real batch[N * V];
        memcpy(batch, charnet_forward(&m, ctx, N, false), sizeof batch);
        for (int n = 0; n < N; n++) {
            const real *z = charnet_forward(&m, ctx + n * T, 1, false);
            for (int s = 0; s < V; s++)
                cr_assert(fabs(z[s] - batch[n * V + s]) < 1e-5, "arch %d word %d symbol %d", arch, n, s);
        }
        charnet_free(&m);
    }
}

Test(lab09, the_hierarchical_width_matches_the_flat_parameter_count_within_2_percent) {
    Rng rng;
    rng_init(&rng, 1);
    CharNet flat, hier;
    charnet_init(&flat, ARCH_FLAT, 8, EMB, HIDDEN, 4, &rng);
    charnet_init(&hier, ARCH_HIER, 8, EMB, HIER_HIDDEN, 4, &rng);
    Param p[16];
    double a = (double)params_count(p, charnet_params(&flat, p, 16));
    double b = (double)params_count(p, charnet_params(&hier, p, 16));
    cr_assert(fabs(a - b) / a < 0.02, "flat %g, hierarchical %g", a, b);
    charnet_free(&flat), charnet_free(&hier);
}

Test(lab09, the_count_shortcut_is_the_one_hot_batch_gradient) {
    static char *words[] = {"banana", "band", "cab", "ab", "zebra", "cabana"};
    Words w = {words, 6};
    uint32_t c[V * V] = {0};
    uint64_t rows[V];
    ngram_count(c, &w, 1);
    row_sums(rows, c, V);
    Rng rng;
    rng_init(&rng, 2);
    OneHotNet o;
    onehot_net_init(&o, &rng);
    for (int i = 0; i < V * V; i++) o.net.layers[0].linear.W[i] = (real)rng_normal(&rng);
    double rel = onehot_shortcut_check(&o, &w, c, rows, (double)symbols_of(&w));
    cr_assert(rel < 1e-5, "relative difference %g", rel);
    net_free(&o.net);
}

Test(lab09, samples_are_lower_case_words_and_end) {
    real table[V * V];
    for (int i = 0; i < V * V; i++) table[i] = R(1.0) / V;
    Model m = {table, NULL};
    Rng rng;
    rng_init(&rng, 3);
    char w[MAXLEN + 1];
    real probs[V];
    for (int k = 0; k < 200; k++) {
        int len = sample_word(&m, w, probs, &rng);
        cr_assert(len <= MAXLEN && (int)strlen(w) == len);
        for (int i = 0; i < len; i++) cr_assert(w[i] >= 'a' && w[i] <= 'z');
    }
}

Test(lab09, every_claim_holds_in_quick_mode, .timeout = 1200) {
    char dir[TMPDIR_SIZE];
    run_quick_and_check_claims("lab09", "", 7, dir);
    const char *keys[] = {"uniform_nll", "bigram_dev_nll", "bigram_test_nll", "alpha0_dev_nll", "onehot_dev_nll",
                          "mlp_dev_nll", "hier8_dev_nll", "flat8_dev_nll", "unseen_ctx_dev", "mlp_real_words",
                          "bigram_real_words", "lookup_speedup", "gradcheck_max_rel_err"};
    assert_result_keys(dir, keys, sizeof keys / sizeof *keys);
    char path[TMPDIR_SIZE + 32], v[64];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    cr_assert(results_read(path, "alpha0_dev_nll", v, sizeof v) && strcmp(v, "infinite") == 0);
}

Test(lab09, a_bad_flag_exits_2) { cr_assert(eq(int, lab_exit_status("lab09", "--seed x"), 2)); }

Test(lab09, a_missing_word_list_gives_one_sentence_and_exit_1) {
    char dir[TMPDIR_SIZE], cmd[2048], line[512];
    test_tmpdir(dir, "lab09-nodata");
    snprintf(cmd, sizeof cmd, "NN_DATA=%s %s/lab09 --quick --out %s/out 2> %s/err.txt > /dev/null", dir, lab_bin_dir(),
             dir, dir);
    cr_assert(eq(int, exit_code(system(cmd)), 1));
    snprintf(cmd, sizeof cmd, "%s/err.txt", dir);
    FILE *f = fopen(cmd, "r");
    cr_assert(f && fgets(line, sizeof line, f) && strstr(line, "make data"), "the sentence names `make data`");
    cr_assert(fgets(line, sizeof line, f) == NULL, "one sentence only");
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s/out/results.csv", dir);
    cr_assert(access(cmd, F_OK) != 0, "nothing written");
}
