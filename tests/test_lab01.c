/** Tests of Lab 01 on quick configurations: the lab's own functions, and its claims. */
#define NN_NO_MAIN
#include "../labs/lab01_mlp.c"

#include "labtest.h"

/* main() is compiled out; run_lab is exercised through the binary below */
static int (*const lab01_entry)(Lab *) __attribute__((unused)) = run_lab;

Test(lab01, xor_reaches_100_percent_with_sgd_and_adam) {
    XorResult sgd = train_xor(OPT_SGD, R(0.1), 2000, 1, NULL);
    XorResult adam = train_xor(OPT_ADAM, R(0.01), 2000, 1, NULL);
    cr_assert(sgd.accuracy == 1, "SGD: %g", sgd.accuracy);
    cr_assert(adam.accuracy == 1, "Adam: %g", adam.accuracy);
}

/* The MNIST subset from `make data` (make test depends on it). */
static Dataset mtrain;
static Subset tr;

static void load_mnist(void) {
    cr_assert(data_load(&mtrain, "mnist10k", "train", "test_lab01"), "run make data");
    tr = subset_range(&mtrain, 0, 2000);
    dataset_standardize(&mtrain, &tr);
}

Test(lab01, initial_loss_is_ln10, .init = load_mnist) {
    Rng rng;
    rng_init(&rng, 1);
    Net net;
    build_mlp(&net, 0, &rng);
    TrainBuffers b;
    trainbuf_init(&b, EVAL, 784, CLASSES);
    double loss;
    evaluate(&net, &tr, &b, &loss, NULL);
    cr_assert(fabs(loss - log(10.0)) < 0.05, "initial loss %g", loss);
    net_free(&net);
    trainbuf_free(&b);
}

Test(lab01, one_batch_overfits, .init = load_mnist) {
    Rng rng;
    rng_init(&rng, 1);
    TrainBuffers b;
    trainbuf_init(&b, EVAL, 784, CLASSES);
    double loss = overfit_one_batch(&tr, &b, 300, &rng);
    cr_assert(loss < 0.01, "loss after 300 steps %g", loss);
    trainbuf_free(&b);
}

Test(lab01, checkpoint_round_trip_and_refusal) {
    char dir[TMPDIR_SIZE], path[TMPDIR_SIZE + 16], err[1024];
    test_tmpdir(dir, "l1");
    snprintf(path, sizeof path, "%s/m.ckpt", dir);
    Rng rng;
    rng_init(&rng, 2);
    Net a, b, d;
    build_mlp(&a, 0, &rng), build_mlp(&b, 0, &rng), build_mlp(&d, R(0.2), &rng);
    cr_assert(checkpoint_save(&a, path, err, sizeof err), "%s", err);
    cr_assert(checkpoint_load(&b, path, err, sizeof err), "%s", err);
    cr_assert(memcmp(a.layers[0].linear.W, b.layers[0].linear.W, 784 * 256 * sizeof(real)) == 0);
    /* the architecture is part of the file: a net with dropout is another net */
    cr_assert(not(checkpoint_load(&d, path, err, sizeof err)));
    cr_assert(strstr(err, "layer 3 is Linear(256,128) in the file but Dropout(0.2) in the network") != NULL, "%s", err);
    FILE *f = fopen(path, "r+b");
    fseek(f, 5000, SEEK_SET);
    fputc(0x7f, f);
    fclose(f);
    cr_assert(not(checkpoint_load(&b, path, err, sizeof err)));
    cr_assert(strstr(err, "checksum") != NULL, "%s", err);
    net_free(&a), net_free(&b), net_free(&d);
}

/* The whole lab, quick mode, as a user runs it: every claim it makes must hold. */
Test(lab01, every_claim_holds_in_quick_mode, .timeout = 1200) {   /* NN_GEMM=naive takes minutes */
    char dir[TMPDIR_SIZE];
    run_quick_and_check_claims("lab01", "", 8, dir);
    const char *keys[] = {"seed", "mode", "seconds", "mnist_test_acc", "mnist_best_test_acc",
                          "fashion_test_acc", "xor_sgd_final_loss", "xor_adam_final_loss",
                          "gradcheck_max_rel_err", "init_loss", "epochs", "train_seconds"};
    assert_result_keys(dir, keys, sizeof keys / sizeof keys[0]);
}

Test(lab01, a_bad_flag_exits_2) { cr_assert(eq(int, lab_exit_status("lab01", "--epochz 3"), 2)); }

Test(lab01, missing_data_is_one_sentence_and_exit_1) {
    const char *bin = lab_bin_dir();
    char dir[TMPDIR_SIZE], cmd[2048], path[TMPDIR_SIZE + 16], msg[512] = "";
    test_tmpdir(dir, "l1m");
    snprintf(cmd, sizeof cmd, "NN_DATA=%s/nowhere %s/lab01 --quick --out %s > /dev/null 2> %s/err.txt", dir, bin, dir, dir);
    int status = system(cmd);
    cr_assert(exit_code(status) == 1, "status %d", status);
    snprintf(path, sizeof path, "%s/err.txt", dir);
    FILE *f = fopen(path, "r");
    size_t n = fread(msg, 1, sizeof msg - 1, f);
    msg[n] = '\0';
    fclose(f);
    cr_assert(strstr(msg, "cannot open") && strstr(msg, "make data"), "stderr: %s", msg);
}

/* Reproducibility: the same seed and thread count give the same bytes in every CSV, apart from
 * columns (or results keys) whose names end in "seconds". */
static void strip_seconds(const char *path, char *out, size_t size) {
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "%s missing", path);
    char line[4096];
    bool drop[64] = {false}, header = true, keyvalue = false;
    size_t used = 0;
    out[0] = '\0';
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (header) keyvalue = strcmp(line, "key,value") == 0;
        if (keyvalue && strstr(line, "seconds,")) continue;
        int col = 0;
        for (char *tok = line, *end; tok; tok = end ? end + 1 : NULL, col++) {
            end = strchr(tok, ',');
            if (end) *end = '\0';
            size_t len = strlen(tok);
            if (header && col < 64) drop[col] = len >= 7 && strcmp(tok + len - 7, "seconds") == 0;
            if (col < 64 && drop[col]) continue;
            used += (size_t)snprintf(out + used, size - used, "%s,", tok);
        }
        used += (size_t)snprintf(out + used, size - used, "\n");
        header = false;
        cr_assert(used < size, "%s is larger than the comparison buffer", path);
    }
    fclose(f);
}

Test(lab01, same_seed_same_csvs, .timeout = 1200) {
    const char *bin = lab_bin_dir();
    char a[TMPDIR_SIZE], b[TMPDIR_SIZE], cmd[2048];
    test_tmpdir(a, "l1a"), test_tmpdir(b, "l1b");
    for (int run = 0; run < 2; run++) {
        snprintf(cmd, sizeof cmd, "%s/lab01 --quick --seed 5 --threads 1 --out %s > /dev/null 2>&1", bin, run ? b : a);
        cr_assert(system(cmd) == 0, "%s", cmd);
    }
    const char *files[] = {"results.csv", "claims.csv", "gradcheck.csv", "xor_curve.csv", "mnist_curve.csv",
                           "mnist_better_curve.csv", "fashion_curve.csv", "confusion.csv", "misclassified.csv",
                           "first_layer_weights.csv"};
    static char ta[1 << 20], tb[1 << 20];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char pa[TMPDIR_SIZE + 32], pb[TMPDIR_SIZE + 32];
        snprintf(pa, sizeof pa, "%s/%s", a, files[i]);
        snprintf(pb, sizeof pb, "%s/%s", b, files[i]);
        strip_seconds(pa, ta, sizeof ta);
        strip_seconds(pb, tb, sizeof tb);
        cr_expect(strcmp(ta, tb) == 0, "%s differs between two runs with seed 5", files[i]);
    }
}
