/** Tests of checkpoint.c: exact round trip, and every kind of bad file refused with a reason. */
#include "check.h"

#include <string.h>
#include <unistd.h>

#include "checkpoint.h"

static char path[TMPDIR_SIZE + 16];

static void build(Net *net, const char *arch, uint64_t seed) {
    Rng rng;
    rng_init(&rng, seed);
    net_mlp(net, arch, act_make(ACT_RELU), init_make(INIT_HE_NORMAL), init_make(INIT_XAVIER_UNIFORM), 4, &rng);
}

static void setup(void) {
    char dir[TMPDIR_SIZE];
    test_tmpdir(dir, "ckpt");
    snprintf(path, sizeof path, "%s/net.ckpt", dir);
}

static void expect_refusal(Net *net, const char *fragment) {
    char err[512] = "";
    cr_assert(not(checkpoint_load(net, path, err, sizeof err)), "a bad checkpoint was accepted");
    cr_assert(strstr(err, fragment) != NULL, "message '%s' lacks '%s'", err, fragment);
}

static void flip_byte(long offset) {
    FILE *f = fopen(path, "r+b");
    fseek(f, offset, offset < 0 ? SEEK_END : SEEK_SET);
    int c = fgetc(f);
    fseek(f, -1, SEEK_CUR);
    fputc(c ^ 0x40, f);
    fclose(f);
}

Test(checkpoint, round_trip_is_exact, .init = setup) {
    Net a, b;
    build(&a, "7-5-3", 1), build(&b, "7-5-3", 2);
    char err[512];
    cr_assert(checkpoint_save(&a, path, err, sizeof err), "%s", err);
    cr_assert(checkpoint_load(&b, path, err, sizeof err), "%s", err);
    for (int i = 0; i < a.nlayers; i++) {
        if (a.layers[i].kind != LAYER_LINEAR) continue;
        size_t n = (size_t)a.layers[i].in * a.layers[i].out;
        /* float32 on disk: exact in the float build, rounded to float in the double build */
        for (size_t j = 0; j < n; j++)
            cr_assert(b.layers[i].linear.W[j] == (real)(float)a.layers[i].linear.W[j]);
    }
    net_free(&a), net_free(&b);
}

Test(checkpoint, corrupted_byte_is_refused, .init = setup) {
    Net a;
    build(&a, "7-5-3", 1);
    char err[512];
    cr_assert(checkpoint_save(&a, path, err, sizeof err));
    flip_byte(100);
    expect_refusal(&a, "checksum mismatch");
    net_free(&a);
}

Test(checkpoint, truncated_file_is_refused, .init = setup) {
    Net a;
    build(&a, "7-5-3", 1);
    char err[512];
    cr_assert(checkpoint_save(&a, path, err, sizeof err));
    cr_assert(truncate(path, 60) == 0);
    expect_refusal(&a, "corrupt or truncated");
    net_free(&a);
}

Test(checkpoint, shape_mismatch_is_refused, .init = setup) {
    Net a, b;
    build(&a, "7-5-3", 1), build(&b, "7-6-3", 1);
    char err[512];
    cr_assert(checkpoint_save(&a, path, err, sizeof err));
    expect_refusal(&b, "layer 1 is Linear(7,5) in the file but Linear(7,6) in the network");
    net_free(&a), net_free(&b);
}

Test(checkpoint, not_a_checkpoint_is_refused, .init = setup) {
    Net a;
    build(&a, "7-5-3", 1);
    FILE *f = fopen(path, "w");
    fputs("epoch,loss\n1,0.5\n2,0.25\n", f);
    fclose(f);
    expect_refusal(&a, "not an nnlab checkpoint");
    unlink(path);
    expect_refusal(&a, "cannot open");
    net_free(&a);
}
