/** Writes the fuzzers' starting corpus (make fuzz): valid checkpoints — a plain MLP, a net with
 * every layer kind, and one with a training state — and a valid IDX pair, so that mutations start
 * from inputs that reach deep into each parser. Usage: seeds CHECKPOINT_DIR IDX_DIR */
#include <stdio.h>
#include <string.h>

#include "checkpoint.h"
#include "data.h"
#include "train.h"

static void save(Net *net, const Bytes *state, const char *dir, const char *name) {
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!checkpoint_save_state(net, state, path, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: seeds CHECKPOINT_DIR IDX_DIR\n");
        return 2;
    }
    Rng rng;
    rng_init(&rng, 1);
    Net net;
    net_mlp(&net, "3-4-2", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), init_make(INIT_HE_NORMAL), 2, &rng);
    save(&net, NULL, argv[1], "mlp.ckpt");
    net_free(&net);
    net_init(&net, 2);
    net_add_linear(&net, 3, 4, true, init_make(INIT_HE_NORMAL), &rng);
    net_add_norm(&net, NORM_BATCH);
    Activation leaky = act_make(ACT_LEAKY_RELU);
    net_add_act(&net, leaky);
    net_add_dropout(&net, R(0.5));
    net_add_residual_begin(&net);
    net_add_linear(&net, 4, 4, false, init_make(INIT_HE_NORMAL), &rng);
    net_add_norm(&net, NORM_LAYER);
    net_add_residual_end(&net);
    net_add_norm(&net, NORM_RMS);
    net_add_linear(&net, 4, 2, true, init_make(INIT_HE_NORMAL), &rng);
    save(&net, NULL, argv[1], "kinds.ckpt");
    Bytes state = {0};
    bytes_u32(&state, 0x314e5254), bytes_u64(&state, 12345), bytes_f64(&state, 0.5);
    save(&net, &state, argv[1], "state.ckpt");
    bytes_free(&state);
    net_free(&net);
    /* 3 images of 2x2 and their labels */
    uint8_t pixels[12] = {0, 50, 100, 150, 200, 250, 1, 2, 3, 4, 5, 6}, labels[3] = {1, 7, 9};
    char ip[1024], lp[1024];
    snprintf(ip, sizeof ip, "%s/images.idx", argv[2]), snprintf(lp, sizeof lp, "%s/labels.idx", argv[2]);
    if (!idx_save(ip, lp, pixels, labels, 3, 2, 2)) return 1;
    /* the fuzz input: a split byte, then the image file, then the label file */
    FILE *fi = fopen(ip, "rb"), *fl = fopen(lp, "rb");
    uint8_t buf[256];
    size_t ni = fread(buf + 1, 1, 100, fi);
    size_t nl = fread(buf + 1 + ni, 1, 100, fl);
    fclose(fi), fclose(fl);
    remove(ip), remove(lp);
    size_t total = 1 + ni + nl;
    buf[0] = (uint8_t)((ni * 255 + (total - 2)) / (total - 1));   /* so that split == ni */
    char sp[1024];
    snprintf(sp, sizeof sp, "%s/pair.bin", argv[2]);
    FILE *f = fopen(sp, "wb");
    fwrite(buf, 1, total, f);
    fclose(f);
    return 0;
}
