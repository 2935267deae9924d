/** libFuzzer target: the IDX reader on arbitrary bytes (make fuzz).
 *
 * The first byte says where the input splits into an image file and a label file. Whatever the
 * bytes, idx_parse must return true or false with a message — never crash, read out of bounds,
 * leak or allocate without bound. */
#include <stdint.h>
#include <string.h>

#include "data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    size_t split = size > 1 ? (size_t)data[0] * (size - 1) / 255 : 0;
    const uint8_t *rest = data + 1;
    size_t ilen = split, llen = size - 1 - split;
    uint8_t *img = nn_calloc(ilen + 1, 1);   /* idx_parse takes it */
    memcpy(img, rest, ilen);
    char err[512];
    Dataset ds;
    if (idx_parse(&ds, img, ilen, rest + ilen, llen, "images", "labels", 10, err, sizeof err)) {
        CHECK(ds.n > 0 && ds.d > 0 && (size_t)ds.n * (size_t)ds.d <= ilen, "accepted sizes beyond the file");
        for (int i = 0; i < ds.n; i++) CHECK(ds.y[i] >= 0 && ds.y[i] < 10, "a label outside 0..9");
        dataset_free(&ds);
    } else {
        CHECK(err[0] != '\0', "a refusal without a sentence");
    }
    return 0;
}
