/** libFuzzer target: the checkpoint loader on arbitrary bytes (make fuzz).
 *
 * Built with -DNN_FUZZ, so the CRC is not checked and random input reaches the parser behind it.
 * Both entry points run: rebuilding a net from the bytes, and loading them into a fixed net (the
 * architecture comparison). Whatever the bytes, the parser must return true or false with a
 * message — never crash, read out of bounds, leak or allocate without bound. */
#include <stdint.h>
#include <string.h>

#include "checkpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[512];
    Net net = {0};
    Bytes state = {0};
    if (checkpoint_parse(&net, true, 2, &state, data, size, "fuzz", err, sizeof err)) {
        CHECK(net.nlayers > 0, "an accepted file built an empty net");
        net_free(&net);
        bytes_free(&state);
    } else {
        CHECK(err[0] != '\0' && strlen(err) < sizeof err - 1, "a refusal without a sentence");
        CHECK(net.layers == NULL, "a refused file left a net behind");
    }
    /* into an existing net: 3-4-2 with a BatchNorm */
    Rng rng;
    rng_init(&rng, 1);
    net_init(&net, 2);
    net_add_linear(&net, 3, 4, true, init_make(INIT_HE_NORMAL), &rng);
    net_add_norm(&net, NORM_BATCH);
    net_add_act(&net, act_make(ACT_RELU));
    net_add_linear(&net, 4, 2, true, init_make(INIT_HE_NORMAL), &rng);
    checkpoint_parse(&net, false, 0, NULL, data, size, "fuzz", err, sizeof err);
    net_free(&net);
    return 0;
}
