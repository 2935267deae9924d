/** Tests of data.c: IDX reading and its refusals, subsets, batches, shifts, synthetic sets. */
#include "check.h"

#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "data.h"
#include "gemm.h"

static char dir[TMPDIR_SIZE], img[TMPDIR_SIZE + 16], lbl[TMPDIR_SIZE + 16];

/* A valid little IDX pair: 5 images of 2x3, labels 0..4. */
static void make_files(void) {
    test_tmpdir(dir, "idx");
    snprintf(img, sizeof img, "%s/img", dir);
    snprintf(lbl, sizeof lbl, "%s/lbl", dir);
    uint8_t px[30], lb[5] = {0, 1, 2, 3, 4};
    for (int i = 0; i < 30; i++) px[i] = (uint8_t)(i * 8);
    cr_assert(idx_save(img, lbl, px, lb, 5, 2, 3));
}

static void write_bytes(const char *path, const uint8_t *b, size_t n) {
    FILE *f = fopen(path, "wb");
    fwrite(b, 1, n, f);
    fclose(f);
}

static size_t read_bytes(const char *path, uint8_t *b, size_t cap) {
    FILE *f = fopen(path, "rb");
    size_t n = fread(b, 1, cap, f);
    fclose(f);
    return n;
}

static void expect_refusal(const char *want_fragment) {
    Dataset ds;
    char err[512] = "";
    cr_assert(not(idx_load(&ds, img, lbl, 10, err, sizeof err)), "accepted a bad file");
    cr_assert(strstr(err, want_fragment) != NULL, "message '%s' lacks '%s'", err, want_fragment);
}

Test(data, idx_round_trip, .init = make_files) {
    Dataset ds;
    char err[512];
    cr_assert(idx_load(&ds, img, lbl, 10, err, sizeof err), "%s", err);
    cr_assert(ds.n == 5 && ds.height == 2 && ds.width == 3 && ds.d == 6);
    cr_assert(ds.pixels[7] == 56 && ds.y[4] == 4);
    dataset_free(&ds);
}

Test(data, idx_gzip_is_read_too, .init = make_files) {
    uint8_t buf[256];
    size_t n = read_bytes(img, buf, sizeof buf);
    char gz[TMPDIR_SIZE + 32];
    snprintf(gz, sizeof gz, "%s.gz", img);
    gzFile f = gzopen(gz, "wb");
    gzwrite(f, buf, (unsigned)n);
    gzclose(f);
    Dataset ds;
    char err[512];
    cr_assert(idx_load(&ds, gz, lbl, 10, err, sizeof err), "%s", err);
    cr_assert(ds.n == 5 && ds.pixels[29] == 232);
    dataset_free(&ds);
}

Test(data, truncated_file_is_refused, .init = make_files) {
    uint8_t buf[256];
    size_t n = read_bytes(img, buf, sizeof buf);
    write_bytes(img, buf, n - 7);
    expect_refusal("truncated");
    expect_refusal(img);   /* the message names the file */
}

Test(data, wrong_magic_is_refused, .init = make_files) {
    uint8_t buf[256];
    size_t n = read_bytes(img, buf, sizeof buf);
    buf[3] = 1;   /* rank 1 where images have rank 3 */
    write_bytes(img, buf, n);
    expect_refusal("wrong magic number");
}

Test(data, count_mismatch_is_refused, .init = make_files) {
    uint8_t px[24] = {0}, lb[4] = {0, 1, 2, 3};
    char img4[TMPDIR_SIZE + 16], lbl4[TMPDIR_SIZE + 16];
    snprintf(img4, sizeof img4, "%s/img4", dir);
    snprintf(lbl4, sizeof lbl4, "%s/lbl4", dir);
    cr_assert(idx_save(img4, lbl4, px, lb, 4, 2, 3));
    snprintf(img, sizeof img, "%s", img4);   /* 4 images against 5 labels */
    expect_refusal("5 labels, but");
}

Test(data, label_out_of_range_is_refused, .init = make_files) {
    uint8_t buf[64];
    size_t n = read_bytes(lbl, buf, sizeof buf);
    buf[8 + 2] = 11;
    write_bytes(lbl, buf, n);
    expect_refusal("label 11 of sample 2 is outside 0..9");
}

Test(data, missing_file_says_how_to_fetch, .init = make_files) {
    unlink(img);
    expect_refusal("make data");
}

Test(data, longer_than_header_is_refused, .init = make_files) {
    uint8_t buf[256];
    size_t n = read_bytes(img, buf, sizeof buf);
    buf[n] = 0;
    write_bytes(img, buf, n + 1);
    expect_refusal("promises 30 data bytes but the file holds 31");
}

Test(data, batches_scale_and_standardize, .init = make_files) {
    Dataset ds;
    char err[512];
    cr_assert(idx_load(&ds, img, lbl, 10, err, sizeof err));
    int idx[2] = {4, 0}, y[2];
    real x[12];
    dataset_batch(&ds, idx, 2, x, y);
    cr_assert(y[0] == 4 && y[1] == 0);
    cr_assert(close_to(x[0], 192 / 255.0, 1e-6, 1) && x[6] == 0);
    Subset all = subset_all(&ds);
    dataset_standardize(&ds, &all);
    /* pixels 0, 8, ..., 232: mean 116/255 */
    cr_assert(close_to(ds.mean, 116 / 255.0, 1e-5, 1), "mean %g", (double)ds.mean);
    dataset_batch(&ds, idx, 2, x, y);
    cr_assert(close_to(x[6], dataset_background(&ds), 1e-6, 1));
    double sum = 0, sumsq = 0;
    int everything[5] = {0, 1, 2, 3, 4};
    real xs[30];
    dataset_batch(&ds, everything, 5, xs, NULL);
    for (int i = 0; i < 30; i++) sum += xs[i], sumsq += (double)xs[i] * xs[i];
    cr_assert(fabs(sum / 30) < 1e-5 && fabs(sumsq / 30 - 1) < 1e-4, "standardized mean %g, var %g", sum / 30, sumsq / 30);
    subset_free(&all);
    dataset_free(&ds);
}

Test(data, split_is_a_seeded_partition) {
    Dataset ds;
    Rng rng;
    rng_init(&rng, 1);
    synth_blobs(&ds, 100, 3, 2, 1.0, &rng);
    Subset all = subset_all(&ds), a, b, a2, b2;
    Rng r1, r2;
    rng_init(&r1, 9), rng_init(&r2, 9);
    subset_split(&all, 70, &r1, &a, &b);
    subset_split(&all, 70, &r2, &a2, &b2);
    cr_assert(a.n == 70 && b.n == 30);
    int seen[100] = {0};
    for (int i = 0; i < 70; i++) {
        seen[a.idx[i]]++;
        cr_assert(a.idx[i] == a2.idx[i]);
    }
    for (int i = 0; i < 30; i++) seen[b.idx[i]]++;
    for (int i = 0; i < 100; i++) cr_assert(seen[i] == 1, "sample %d in %d parts", i, seen[i]);
    subset_free(&all), subset_free(&a), subset_free(&b), subset_free(&a2), subset_free(&b2);
    dataset_free(&ds);
}

Test(data, batcher_covers_every_sample_once_per_epoch) {
    Dataset ds;
    Rng rng;
    rng_init(&rng, 2);
    synth_moons(&ds, 103, 0.1, &rng);
    Subset all = subset_all(&ds);
    Batcher b;
    batcher_init(&b, &all, 10);
    for (int epoch = 0; epoch < 2; epoch++) {
        batcher_shuffle(&b, &rng);
        int seen[103] = {0}, batches = 0, last = 0;
        const int *idx;
        int count;
        while (batcher_next(&b, &idx, &count)) {
            for (int i = 0; i < count; i++) seen[idx[i]]++;
            batches++, last = count;
        }
        cr_assert(batches == 11 && last == 3, "%d batches, last of %d", batches, last);
        for (int i = 0; i < 103; i++) cr_assert(seen[i] == 1);
    }
    batcher_free(&b);
    subset_free(&all);
    dataset_free(&ds);
}

Test(data, shift_moves_the_image) {
    /* a single bright pixel moves by the same (dy, dx) as the image; the rest is background */
    Rng rng;
    rng_init(&rng, 3);
    real x[25], scratch[25];
    int moved = 0;
    for (int trial = 0; trial < 50; trial++) {
        for (int i = 0; i < 25; i++) x[i] = -1;
        x[2 * 5 + 2] = 5;
        augment_shift(x, 1, 5, 5, 2, -1, scratch, &rng);
        int bright = 0, where = -1;
        for (int i = 0; i < 25; i++)
            if (x[i] == 5) bright++, where = i;
            else cr_assert(x[i] == -1);
        cr_assert(bright == 1, "the centre pixel stays inside a 5x5 image when shifted by at most 2");
        moved += where != 12;
        cr_assert(abs(where / 5 - 2) <= 2 && abs(where % 5 - 2) <= 2);
    }
    cr_assert(moved > 30, "only %d of 50 shifted", moved);
}

Test(data, flip_mirrors_about_half_the_images_exactly) {
    enum { N = 200, H = 3, W = 4 };
    Rng rng;
    rng_init(&rng, 5);
    real x[N * H * W];
    for (int i = 0; i < N * H * W; i++) x[i] = (real)(i % (H * W));   /* pixel value = its index */
    augment_flip(x, N, H, W, &rng);
    int flipped = 0;
    for (int n = 0; n < N; n++) {
        const real *img = x + n * H * W;
        bool same = true, mirrored = true;
        for (int r = 0; r < H; r++)
            for (int c = 0; c < W; c++) {
                same = same && img[r * W + c] == (real)(r * W + c);
                mirrored = mirrored && img[r * W + c] == (real)(r * W + (W - 1 - c));
            }
        cr_assert(same || mirrored, "image %d is neither itself nor its mirror image", n);
        flipped += mirrored;
    }
    cr_assert(flipped > 70 && flipped < 130, "%d of %d mirrored", flipped, N);
}

Test(data, synthetic_sets_have_the_advertised_shape) {
    Rng rng;
    rng_init(&rng, 4);
    Dataset ds;
    synth_xor(&ds, 4, 0, &rng);
    cr_assert(ds.n == 4 && ds.d == 2 && ds.nclasses == 2);
    for (int i = 0; i < 4; i++) cr_assert(ds.y[i] == ((int)ds.x[2 * i] ^ (int)ds.x[2 * i + 1]));
    dataset_free(&ds);
    synth_spiral(&ds, 50, 3, 0.1, &rng);
    cr_assert(ds.n == 150 && ds.nclasses == 3 && ds.y[149] == 2);
    dataset_free(&ds);
    synth_circles(&ds, 200, 0, 0.5, &rng);
    for (int i = 0; i < 200; i++) {
        double r = hypot(ds.x[2 * i], ds.x[2 * i + 1]);
        cr_assert(close_to(r, ds.y[i] ? 0.5 : 1.0, 1e-5, 1), "radius %g for class %d", r, ds.y[i]);
    }
    dataset_free(&ds);
    synth_regression(&ds, 100, 0, &rng);
    cr_assert(ds.target && !ds.y);
    for (int i = 0; i < 100; i++) cr_assert(close_to(ds.target[i], sin(3 * (double)ds.x[i]), 1e-5, 1));
    dataset_free(&ds);
    Rng a, b;
    rng_init(&a, 5), rng_init(&b, 5);
    Dataset m1, m2;
    synth_moons(&m1, 50, 0.2, &a), synth_moons(&m2, 50, 0.2, &b);
    cr_assert(memcmp(m1.x, m2.x, 100 * sizeof(real)) == 0, "same seed, same set");
    dataset_free(&m1), dataset_free(&m2);
}

Test(data, summary_counts_classes) {
    Rng rng;
    rng_init(&rng, 6);
    Dataset ds;
    synth_blobs(&ds, 30, 3, 2, 0.5, &rng);
    Subset all = subset_all(&ds);
    char buf[512] = "";
    FILE *f = fmemopen(buf, sizeof buf, "w");
    dataset_summary(&all, "blobs", f);
    fclose(f);
    cr_assert(strstr(buf, "30 samples of 2 features") && strstr(buf, "0:10 1:10 2:10"), "%s", buf);
    subset_free(&all);
    dataset_free(&ds);
}

/* A batch of 2^15 numbers or more is split over the GEMM's threads: with 2 or 3 threads every
 * sample must land where it does with one. */
Test(data, split_batch_equals_the_one_thread_batch) {
    enum { N = 300, D = 784, COUNT = 64 };
    uint8_t *px = nn_calloc((size_t)N * D, 1);
    int labels[N], idx[COUNT], y[3][COUNT];
    for (size_t i = 0; i < (size_t)N * D; i++) px[i] = (uint8_t)((i * 2654435761u) >> 24);
    for (int i = 0; i < N; i++) labels[i] = i % 10;
    for (int i = 0; i < COUNT; i++) idx[i] = (i * 37 + 11) % N;
    Dataset ds = {.n = N, .d = D, .nclasses = 10, .pixels = px, .y = labels, .mean = R(0.3), .std = R(0.4)};
    real *x[3];
    for (int t = 0; t < 3; t++) {
        x[t] = nn_calloc((size_t)COUNT * D, sizeof(real));
        threads_set(t + 1);
        dataset_batch(&ds, idx, COUNT, x[t], y[t]);
    }
    threads_set(1);
    for (int t = 1; t < 3; t++) {
        cr_assert(memcmp(x[0], x[t], (size_t)COUNT * D * sizeof(real)) == 0, "%d threads: pixels differ", t + 1);
        cr_assert(memcmp(y[0], y[t], sizeof y[0]) == 0, "%d threads: labels differ", t + 1);
    }
    for (int i = 0; i < COUNT; i++)   /* and the one-thread batch is right */
        cr_assert(y[0][i] == idx[i] % 10 &&
                  fabs(x[0][(size_t)i * D + 5] - ((double)px[(size_t)idx[i] * D + 5] / 255 - 0.3) / 0.4) < 1e-5);
    for (int t = 0; t < 3; t++) free(x[t]);
    free(px);
}
