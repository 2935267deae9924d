/** Tests of checkpoint.c: exact round trip, and every kind of bad file refused with a reason. */
#include "check.h"

#include <string.h>
#include <unistd.h>

#include "checkpoint.h"

#include <zlib.h>

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

/* A net with every layer kind: Linear (with and without bias), activations (LeakyReLU's alpha),
 * dropout, BatchNorm, LayerNorm, RMSNorm and a residual block. */
static void build_all_kinds(Net *net, uint64_t seed) {
    Rng rng;
    rng_init(&rng, seed);
    net_init(net, 8);
    net_add_linear(net, 6, 8, true, init_make(INIT_HE_NORMAL), &rng);
    net_add_norm(net, NORM_BATCH);
    Activation leaky = act_make(ACT_LEAKY_RELU);
    leaky.alpha = R(0.2);
    net_add_act(net, leaky);
    net_add_dropout(net, R(0.25));
    net_add_residual_begin(net);
    net_add_linear(net, 8, 8, false, init_make(INIT_HE_NORMAL), &rng);
    net_add_norm(net, NORM_LAYER);
    net_add_act(net, act_make(ACT_TANH));
    net_add_residual_end(net);
    net_add_norm(net, NORM_RMS);
    net_add_linear(net, 8, 3, true, init_make(INIT_XAVIER_UNIFORM), &rng);
    /* gains, shifts and running statistics away from their initial 1s and 0s */
    for (int i = 0; i < net->nlayers; i++) {
        Param p[LAYER_MAX_PARAMS];
        Buffer q[LAYER_MAX_BUFFERS];
        for (int j = 0, n = layer_params(&net->layers[i], p); j < n; j++)
            for (size_t k = 0; k < p[j].n; k++) p[j].w[k] += (real)(0.1 * rng_normal(&rng));
        for (int j = 0, n = layer_buffers(&net->layers[i], q); j < n; j++)
            for (size_t k = 0; k < q[j].n; k++) q[j].w[k] = (real)(0.5 + rng_uniform(&rng));
    }
}

static void expect_same_state(Net *a, Net *b) {
    size_t n = net_state_count(a);
    cr_assert(eq(sz, net_state_count(b), n));
    real *va = nn_calloc(n, sizeof(real)), *vb = nn_calloc(n, sizeof(real));
    net_state_copy(a, va), net_state_copy(b, vb);
    for (size_t i = 0; i < n; i++) cr_assert(va[i] == vb[i], "value %zu: %g against %g", i, (double)va[i], (double)vb[i]);
    free(va), free(vb);
}

/* The same input through both nets in evaluation mode gives the same output, bit for bit. */
static void expect_same_outputs(Net *a, Net *b) {
    real x[4 * 6];
    Rng rng;
    rng_init(&rng, 99);
    for (int i = 0; i < 24; i++) x[i] = (real)rng_normal(&rng);
    real ya[4 * 3];
    memcpy(ya, net_forward(a, x, 4, false, NULL), sizeof ya);
    const real *yb = net_forward(b, x, 4, false, NULL);
    for (int i = 0; i < 12; i++) cr_assert(ya[i] == yb[i], "output %d: %g against %g", i, (double)ya[i], (double)yb[i]);
}

Test(checkpoint, round_trip_is_exact, .init = setup) {
    Net a, b;
    build(&a, "7-5-3", 1), build(&b, "7-5-3", 2);
    char err[512];
    cr_assert(checkpoint_save(&a, path, err, sizeof err), "%s", err);
    cr_assert(checkpoint_load(&b, path, err, sizeof err), "%s", err);
    expect_same_state(&a, &b);   /* f64 on disk: exact in both builds */
    net_free(&a), net_free(&b);
}

Test(checkpoint, every_layer_kind_and_its_buffers_come_back, .init = setup) {
    Net a, b, c;
    build_all_kinds(&a, 1), build_all_kinds(&b, 2);
    char err[512];
    cr_assert(checkpoint_save(&a, path, err, sizeof err), "%s", err);
    cr_assert(checkpoint_load(&b, path, err, sizeof err), "%s", err);
    expect_same_state(&a, &b);
    expect_same_outputs(&a, &b);   /* BatchNorm in evaluation mode reads the running statistics */
    /* rebuilt from the file alone: the same architecture, the same values */
    cr_assert(checkpoint_load_net(&c, path, 4, err, sizeof err), "%s", err);
    char da[512], dc[512];
    net_describe(&a, da, sizeof da), net_describe(&c, dc, sizeof dc);
    cr_assert(eq(str, dc, da));
    for (int i = 0; i < a.nlayers; i++) {
        LayerSpec sa = layer_spec(&a.layers[i]), sc = layer_spec(&c.layers[i]);
        cr_assert(memcmp(&sa, &sc, sizeof sa) == 0, "layer %d's spec differs", i + 1);
    }
    expect_same_state(&a, &c);
    expect_same_outputs(&a, &c);
    bool seen[LAYER_NKINDS] = {0};
    for (int i = 0; i < a.nlayers; i++) seen[a.layers[i].kind] = true;
    for (int k = 0; k < LAYER_NKINDS; k++)
        cr_assert(seen[k], "build_all_kinds lacks a %s layer: add every new kind to it", layer_kind_name((LayerKind)k));
    net_free(&a), net_free(&b), net_free(&c);
}

Test(checkpoint, architecture_mismatch_names_the_first_difference, .init = setup) {
    Net a, b;
    build(&a, "7-5-3", 1), build(&b, "7-6-3", 1);
    char err[512];
    cr_assert(checkpoint_save(&a, path, err, sizeof err));
    expect_refusal(&b, "layer 1 is Linear(7,5) in the file but Linear(7,6) in the network");
    net_free(&b);
    /* the same widths, another normalization */
    Rng rng;
    rng_init(&rng, 3);
    Net n1, n2;
    net_init(&n1, 4), net_init(&n2, 4);
    net_add_linear(&n1, 7, 5, true, init_make(INIT_HE_NORMAL), &rng);
    net_add_linear(&n2, 7, 5, true, init_make(INIT_HE_NORMAL), &rng);
    net_add_norm(&n1, NORM_BATCH), net_add_norm(&n2, NORM_LAYER);
    cr_assert(checkpoint_save(&n1, path, err, sizeof err));
    expect_refusal(&n2, "layer 2 is batchnorm(5, eps 1e-05, momentum 0.1) in the file but layernorm(5, eps 1e-05) in the network");
    /* the same layers and one more */
    expect_refusal(&a, "layer 2 is batchnorm(5, eps 1e-05, momentum 0.1) in the file but relu in the network");
    net_add_act(&n1, act_make(ACT_RELU));
    expect_refusal(&n1, "holds 2 layers, the network has 3");
    net_free(&a), net_free(&n1), net_free(&n2);
}

Test(checkpoint, a_refused_load_changes_nothing, .init = setup) {
    Net a, b, keep;
    build_all_kinds(&a, 1), build_all_kinds(&b, 2), build_all_kinds(&keep, 2);
    char err[512];
    cr_assert(checkpoint_save(&a, path, err, sizeof err));
    flip_byte(-8);   /* inside the last values: the checksum catches it */
    expect_refusal(&b, "checksum mismatch");
    expect_same_state(&b, &keep);
    net_free(&a), net_free(&b), net_free(&keep);
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
    cr_assert(truncate(path, 10) == 0);
    expect_refusal(&a, "truncated in its header");
    net_free(&a);
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

/* Hand-made files: a valid header and architecture written field by field, with one field wrong,
 * and a correct checksum, so the parser behind the checksum is what refuses them. */
typedef struct {
    uint32_t kind, in, out, nset;
    double set[3];
} RawLayer;

static void write_raw(uint32_t version, const RawLayer *ls, int n, double fill, uint64_t values) {
    Bytes b = {0};
    bytes_put(&b, "NNLABCKP", 8);
    bytes_u32(&b, version);
    bytes_u32(&b, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        bytes_u32(&b, ls[i].kind), bytes_u32(&b, ls[i].in), bytes_u32(&b, ls[i].out), bytes_u32(&b, ls[i].nset);
        for (uint32_t k = 0; k < ls[i].nset && k < 3; k++) bytes_f64(&b, ls[i].set[k]);
    }
    for (uint64_t i = 0; i < values; i++) bytes_f64(&b, i == values / 2 ? fill : 0.5);
    bytes_u64(&b, 0);
    uint32_t crc = (uint32_t)crc32(0L, b.p, (uInt)b.len);
    bytes_u32(&b, crc);
    FILE *f = fopen(path, "wb");
    cr_assert(fwrite(b.p, 1, b.len, f) == b.len);
    fclose(f);
    bytes_free(&b);
}

static void expect_raw_refusal(const char *fragment) {
    Net n = {0};
    char err[512] = "";
    cr_assert(not(checkpoint_load_net(&n, path, 4, err, sizeof err)), "accepted; expected '%s'", fragment);
    cr_assert(strstr(err, fragment) != NULL, "message '%s' lacks '%s'", err, fragment);
    cr_assert(n.layers == NULL, "a refused file built a net");
}

Test(checkpoint, a_hand_made_valid_file_loads, .init = setup) {
    RawLayer ls[] = {{LAYER_LINEAR, 3, 2, 1, {1}}, {LAYER_ACT, 2, 2, 2, {ACT_RELU, 0.01}}};
    write_raw(2, ls, 2, 0.5, 3 * 2 + 2);
    Net n;
    char err[512];
    cr_assert(checkpoint_load_net(&n, path, 4, err, sizeof err), "%s", err);
    cr_assert(eq(int, n.nlayers, 2));
    cr_assert(n.layers[0].linear.W[0] == R(0.5));
    net_free(&n);
}

Test(checkpoint, bad_files_are_refused_with_one_sentence, .init = setup) {
    RawLayer unknown[] = {{LAYER_NKINDS + 3, 3, 2, 0, {0}}};
    write_raw(2, unknown, 1, 0.5, 0);
    expect_raw_refusal("layer 1 is of an unknown kind (9)");

    RawLayer huge[] = {{LAYER_LINEAR, 1u << 31, 2, 1, {1}}};
    write_raw(2, huge, 1, 0.5, 0);
    expect_raw_refusal("claims 2147483648 inputs and 2 outputs");

    RawLayer wide[] = {{LAYER_LINEAR, 1 << 20, 1 << 20, 1, {1}}};   /* allowed widths, no values */
    write_raw(2, wide, 1, 0.5, 0);
    expect_raw_refusal("truncated: its layers need");

    RawLayer nan_w[] = {{LAYER_LINEAR, 3, 2, 1, {1}}};
    write_raw(2, nan_w, 1, NAN, 8);
    expect_raw_refusal("layer 1's W holds a value that is not a finite number");
    write_raw(2, nan_w, 1, INFINITY, 8);
    expect_raw_refusal("not a finite number");

    RawLayer bad_p[] = {{LAYER_LINEAR, 3, 2, 1, {1}}, {LAYER_DROPOUT, 2, 2, 1, {1.5}}};
    write_raw(2, bad_p, 2, 0.5, 8);
    expect_raw_refusal("layer 2 (Dropout(1.5)) cannot be built: its drop probability is outside [0, 1)");

    RawLayer act[] = {{LAYER_LINEAR, 3, 2, 1, {1}}, {LAYER_ACT, 2, 2, 2, {5.5e19, 0.01}}};   /* found by make fuzz */
    write_raw(2, act, 2, 0.5, 8);
    expect_raw_refusal("layer 2 (?) cannot be built: its activation is unknown");
    RawLayer alpha[] = {{LAYER_LINEAR, 3, 2, 1, {1}}, {LAYER_ACT, 2, 2, 2, {ACT_LEAKY_RELU, 1e300}}};
    write_raw(2, alpha, 2, 0.5, 8);
    expect_raw_refusal("its alpha is not a number of sensible size");

    RawLayer chain[] = {{LAYER_LINEAR, 3, 2, 1, {1}}, {LAYER_LINEAR, 4, 2, 1, {1}}};
    write_raw(2, chain, 2, 0.5, 8 + 10);
    expect_raw_refusal("its input width differs from the previous layer's output");

    RawLayer unclosed[] = {{LAYER_LINEAR, 3, 2, 1, {1}}, {LAYER_RES_ADD, 2, 2, 0, {0}}};
    write_raw(2, unclosed, 2, 0.5, 8);
    expect_raw_refusal("closes a residual block that was never opened");

    RawLayer settings[] = {{LAYER_LINEAR, 3, 2, 7, {1}}};
    write_raw(2, settings, 1, 0.5, 8);
    expect_raw_refusal("has 7 settings");

    RawLayer v1[] = {{LAYER_LINEAR, 3, 2, 1, {1}}};
    write_raw(1, v1, 1, 0.5, 8);
    expect_raw_refusal("a version-1 checkpoint (Linear weights only)");
    write_raw(3, v1, 1, 0.5, 8);
    expect_raw_refusal("checkpoint version 3, this program reads version 2");

    write_raw(2, v1, 0, 0.5, 0);
    expect_raw_refusal("declares 0 layers");
}

/* Every prefix of a good file is refused, and so is every single flipped byte. */
Test(checkpoint, every_prefix_and_every_flipped_byte_is_refused, .init = setup) {
    Net a;
    build_all_kinds(&a, 1);
    char err[512];
    cr_assert(checkpoint_save(&a, path, err, sizeof err));
    FILE *f = fopen(path, "rb");
    static uint8_t good[1 << 16];
    size_t len = fread(good, 1, sizeof good, f);
    fclose(f);
    cr_assert(len > 100 && len < sizeof good);
    for (size_t cut = 0; cut < len; cut += 1 + cut / 16) {
        Net n = {0};
        cr_assert(not(checkpoint_parse(&n, true, 4, NULL, good, cut, "x", err, sizeof err)), "a %zu-byte prefix loaded", cut);
    }
    for (size_t at = 0; at < len; at += 7) {
        good[at] ^= 0x10;
        Net n = {0};
        cr_assert(not(checkpoint_parse(&n, true, 4, NULL, good, len, "x", err, sizeof err)), "byte %zu flipped loaded", at);
        good[at] ^= 0x10;
    }
    net_free(&a);
}
