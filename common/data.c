/** # data.c */
#include "data.h"

#include "parallel.h"

#include <errno.h>
#include <string.h>
#include <zlib.h>

/** ## IDX
 * The IDX format (LeCun's MNIST files) is a big-endian header — two zero bytes, a type byte
 * (0x08: unsigned bytes), a rank byte — then one 32-bit size per dimension, then the data. zlib's
 * `gzread` reads gzip'd and plain files alike, so one reader serves both. */
static uint8_t *read_all(const char *path, size_t *len, char *err, size_t errsize) {
    gzFile f = gzopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s: cannot open (%s); run `make data` to fetch the data sets", path,
                 errno ? strerror(errno) : "unknown error");
        return NULL;
    }
    size_t cap = 1 << 20, n = 0;
    uint8_t *buf = nn_calloc(cap, 1);
    for (;;) {
        if (n == cap) {
            if (cap >= ((size_t)1 << 30)) {
                snprintf(err, errsize, "%s: larger than 1 GiB, not an MNIST-style file", path);
                free(buf), gzclose(f);
                return NULL;
            }
            uint8_t *grown = realloc(buf, cap * 2);
            if (!grown) { fprintf(stderr, "out of memory\n"); exit(1); }
            buf = grown, cap *= 2;
        }
        int got = gzread(f, buf + n, (unsigned)(cap - n));
        if (got < 0) {
            int code;
            snprintf(err, errsize, "%s: corrupt or truncated compressed data (%s)", path, gzerror(f, &code));
            free(buf), gzclose(f);
            return NULL;
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    gzclose(f);
    *len = n;
    return buf;
}

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Check an IDX header of the given rank; fills dims; returns false with a message. The size is
 * checked against the file before any multiplication can overflow. */
static bool idx_header(const char *path, const uint8_t *buf, size_t len, int rank, uint32_t *dims,
                       char *err, size_t errsize) {
    size_t header = 4 + 4 * (size_t)rank;
    if (len < header) {
        snprintf(err, errsize, "%s: truncated: %zu bytes, shorter than an IDX header", path, len);
        return false;
    }
    if (buf[0] != 0 || buf[1] != 0 || buf[2] != 0x08 || buf[3] != rank) {
        snprintf(err, errsize,
                 "%s: wrong magic number %02x %02x %02x %02x (want 00 00 08 %02x: unsigned bytes, rank %d)",
                 path, buf[0], buf[1], buf[2], buf[3], rank, rank);
        return false;
    }
    uint64_t count = 1;
    double approx = 1;   /* three 32-bit sizes can overflow 64 bits; their product in double cannot */
    for (int i = 0; i < rank; i++) {
        dims[i] = be32(buf + 4 + 4 * i);
        approx *= dims[i];
    }
    bool over = approx > 0x1p62;
    if (!over)
        for (int i = 0; i < rank; i++) count *= dims[i];
    if (over || len != header + count) {
        if (over) snprintf(err, errsize, "%s: the header's sizes promise more data than the file holds (truncated?)", path);
        else snprintf(err, errsize, "%s: the header promises %llu data bytes but the file holds %zu%s", path,
                      (unsigned long long)count, len - header, len < header + count ? " (truncated)" : "");
        return false;
    }
    return true;
}

bool idx_parse(Dataset *ds, uint8_t *img, size_t ilen, const uint8_t *lbl, size_t llen, const char *images_path,
               const char *labels_path, int nclasses, char *err, size_t errsize) {
    *ds = (Dataset){.std = 1};
    uint32_t idims[3], ldims[1];
    bool ok = idx_header(images_path, img, ilen, 3, idims, err, errsize) &&
              idx_header(labels_path, lbl, llen, 1, ldims, err, errsize);
    if (ok && ldims[0] != idims[0]) {
        snprintf(err, errsize, "%s: %u labels, but %s holds %u images", labels_path, ldims[0],
                 images_path, idims[0]);
        ok = false;
    }
    for (uint32_t i = 0; ok && i < ldims[0]; i++)
        if (lbl[8 + i] >= nclasses) {
            snprintf(err, errsize, "%s: label %d of sample %u is outside 0..%d", labels_path,
                     lbl[8 + i], i, nclasses - 1);
            ok = false;
        }
    if (ok && (idims[0] == 0 || idims[1] == 0 || idims[2] == 0)) {
        snprintf(err, errsize, "%s: holds no images", images_path);
        ok = false;
    }
    if (ok) {
        ds->n = (int)idims[0];
        ds->height = (int)idims[1], ds->width = (int)idims[2];
        ds->d = ds->height * ds->width;   /* at most the file's length: no overflow */
        ds->nclasses = nclasses;
        /* keep the file's buffer: slide the pixels over the header and give back the slack
         * (Fashion-MNIST's 47 MB are never held twice) */
        size_t bytes = (size_t)ds->n * ds->d;
        memmove(img, img + 16, bytes);
        uint8_t *shrunk = realloc(img, bytes);
        ds->pixels = shrunk ? shrunk : img;
        img = NULL;
        ds->y = nn_calloc((size_t)ds->n, sizeof(int));
        for (int i = 0; i < ds->n; i++) ds->y[i] = lbl[8 + i];
    }
    free(img);
    return ok;
}

bool idx_load(Dataset *ds, const char *images_path, const char *labels_path, int nclasses,
              char *err, size_t errsize) {
    *ds = (Dataset){.std = 1};
    size_t ilen, llen;
    uint8_t *img = read_all(images_path, &ilen, err, errsize);
    if (!img) return false;
    uint8_t *lbl = read_all(labels_path, &llen, err, errsize);
    if (!lbl) { free(img); return false; }
    bool ok = idx_parse(ds, img, ilen, lbl, llen, images_path, labels_path, nclasses, err, errsize);
    free(lbl);
    return ok;
}

static bool write_idx(const char *path, const uint8_t *head, size_t hlen, const uint8_t *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) { fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno)); return false; }
    bool ok = fwrite(head, 1, hlen, f) == hlen && fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok) fprintf(stderr, "cannot write %s\n", path);
    return ok;
}

static void put_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

bool idx_save(const char *images_path, const char *labels_path, const uint8_t *pixels,
              const uint8_t *labels, int n, int height, int width) {
    uint8_t ih[16] = {0, 0, 8, 3}, lh[8] = {0, 0, 8, 1};
    put_be32(ih + 4, (uint32_t)n), put_be32(ih + 8, (uint32_t)height), put_be32(ih + 12, (uint32_t)width);
    put_be32(lh + 4, (uint32_t)n);
    return write_idx(images_path, ih, 16, pixels, (size_t)n * height * width) &&
           write_idx(labels_path, lh, 8, labels, (size_t)n);
}

bool data_load(Dataset *ds, const char *set, const char *split, const char *who) {
    char ip[1024], lp[1024], err[2200];
    const char *root = getenv("NN_DATA") ? getenv("NN_DATA") : "data";
    const char *suffix = strcmp(set, "fashion-mnist") == 0 ? ".gz" : "";   /* Debian ships it gzip'd */
    snprintf(ip, sizeof ip, "%s/%s/%s-images-idx3-ubyte%s", root, set, split, suffix);
    snprintf(lp, sizeof lp, "%s/%s/%s-labels-idx1-ubyte%s", root, set, split, suffix);
    if (!idx_load(ds, ip, lp, 10, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", who, err);
        return false;
    }
    snprintf(ds->name, sizeof ds->name, "%s %s", set, split);
    return true;
}

void dataset_free(Dataset *ds) {
    free(ds->pixels), free(ds->x), free(ds->y), free(ds->target);
    *ds = (Dataset){0};
}

/** ## Subsets */
Subset subset_range(const Dataset *ds, int start, int count) {
    CHECK(start >= 0 && count >= 0 && start + count <= ds->n, "range [%d,%d) of %d", start, start + count, ds->n);
    Subset s = {ds, nn_calloc((size_t)count, sizeof(int)), count};
    for (int i = 0; i < count; i++) s.idx[i] = start + i;
    return s;
}

Subset subset_all(const Dataset *ds) { return subset_range(ds, 0, ds->n); }

void subset_split(const Subset *whole, int n_first, Rng *rng, Subset *first, Subset *rest) {
    CHECK(n_first >= 0 && n_first <= whole->n, "split %d of %d", n_first, whole->n);
    int *perm = nn_calloc((size_t)whole->n, sizeof(int));
    memcpy(perm, whole->idx, (size_t)whole->n * sizeof(int));
    rng_shuffle(rng, perm, whole->n);
    *first = (Subset){whole->data, nn_calloc((size_t)n_first, sizeof(int)), n_first};
    *rest = (Subset){whole->data, nn_calloc((size_t)(whole->n - n_first), sizeof(int)), whole->n - n_first};
    memcpy(first->idx, perm, (size_t)n_first * sizeof(int));
    memcpy(rest->idx, perm + n_first, (size_t)(whole->n - n_first) * sizeof(int));
    free(perm);
}

void subset_free(Subset *s) {
    free(s->idx);
    *s = (Subset){0};
}

/** ## Minibatches
 * Pixels become $(p/255 - \mu)/\sigma$; with the defaults $\mu = 0$, $\sigma = 1$ that is
 * plain [0, 1] scaling. */
typedef struct {
    const Dataset *ds;
    const int *idx;
    int count, parts;
    real *x;
    int *y;
} BatchJob;

/* Samples [lo, hi) of the batch. */
static void batch_rows(const BatchJob *b, int lo, int hi) {
    const Dataset *ds = b->ds;
    int d = ds->d;
    real scale = R(1) / (R(255) * ds->std), shift = ds->mean / ds->std;
    for (int i = lo; i < hi; i++) {
        int k = b->idx[i];
        CHECK(k >= 0 && k < ds->n, "sample %d of %d", k, ds->n);
        real *xr = b->x + (size_t)i * d;
        if (ds->pixels) {
            if (i + 2 < hi && b->idx[i + 2] >= 0 && b->idx[i + 2] < ds->n) {
                /* the samples are scattered over the whole set: ask for the one after next now */
                const uint8_t *next = ds->pixels + (size_t)b->idx[i + 2] * d;
                for (int j = 0; j < d; j += 64) __builtin_prefetch(next + j);
                __builtin_prefetch(next + d - 1);
            }
            const uint8_t *p = ds->pixels + (size_t)k * d;
            for (int j = 0; j < d; j++) xr[j] = (real)p[j] * scale - shift;
        } else {
            memcpy(xr, ds->x + (size_t)k * d, (size_t)d * sizeof(real));
        }
        if (b->y) b->y[i] = ds->y ? ds->y[k] : 0;
    }
}

static void batch_part(void *ctx, int t) {
    const BatchJob *b = ctx;
    size_t lo, hi;
    parallel_range((size_t)b->count, t, b->parts, &lo, &hi);
    batch_rows(b, (int)lo, (int)hi);
}

/* A large batch is split over the GEMM's threads: the samples sit far apart in memory, and two
 * cores wait for two at a time. */
void dataset_batch(const Dataset *ds, const int *idx, int count, real *x, int *y) {
    int threads = parallel_threads((size_t)count * ds->d, (size_t)1 << 15);
    BatchJob b = {ds, idx, count, 2 * threads, x, y};
    if (threads > 1) {
        parallel_chunks(b.parts, threads, batch_part, &b);
    } else {
        batch_rows(&b, 0, count);
    }
}

real dataset_background(const Dataset *ds) { return -ds->mean / ds->std; }

void dataset_standardize(Dataset *ds, const Subset *train) {
    CHECK(ds->pixels, "standardize works on images");
    double sum = 0, sumsq = 0;
    for (int i = 0; i < train->n; i++) {
        const uint8_t *p = ds->pixels + (size_t)train->idx[i] * ds->d;
        for (int j = 0; j < ds->d; j++) {
            double v = p[j] / 255.0;
            sum += v, sumsq += v * v;
        }
    }
    double count = (double)train->n * ds->d, mean = sum / count;
    ds->mean = (real)mean;
    ds->std = (real)sqrt(sumsq / count - mean * mean);
}

void batcher_init(Batcher *b, const Subset *s, int batch) {
    CHECK(batch > 0 && s->n > 0, "batch %d over %d samples", batch, s->n);
    *b = (Batcher){nn_calloc((size_t)s->n, sizeof(int)), s->n, batch, 0};
    memcpy(b->order, s->idx, (size_t)s->n * sizeof(int));
}

void batcher_free(Batcher *b) {
    free(b->order);
    *b = (Batcher){0};
}

void batcher_shuffle(Batcher *b, Rng *rng) {
    rng_shuffle(rng, b->order, b->n);
    b->pos = 0;
}

bool batcher_next(Batcher *b, const int **idx, int *count) {
    if (b->pos >= b->n) {
        b->pos = 0;
        return false;
    }
    *idx = b->order + b->pos;
    *count = b->n - b->pos < b->batch ? b->n - b->pos : b->batch;
    b->pos += *count;
    return true;
}

/** ## Random shifts
 * Move the whole image by (dy, dx) with |dy|, |dx| ≤ max_shift; pixels shifted in from outside
 * are background. A digit moved by two pixels is still the same digit, so the net sees
 * "new" training images for free. */
void augment_shift(real *x, int N, int H, int W, int max_shift, real fill, real *scratch, Rng *rng) {
    for (int n = 0; n < N; n++) {
        int dy = rng_below(rng, 2 * max_shift + 1) - max_shift;
        int dx = rng_below(rng, 2 * max_shift + 1) - max_shift;
        if (dy == 0 && dx == 0) continue;
        real *img = x + (size_t)n * H * W;
        for (int r = 0; r < H; r++)
            for (int c = 0; c < W; c++) {
                int sr = r - dy, sc = c - dx;
                scratch[r * W + c] = sr >= 0 && sr < H && sc >= 0 && sc < W ? img[sr * W + sc] : fill;
            }
        memcpy(img, scratch, (size_t)H * W * sizeof(real));
    }
}

void augment_flip(real *x, int N, int H, int W, Rng *rng) {
    for (int n = 0; n < N; n++) {
        if (rng_below(rng, 2) == 0) continue;
        for (int r = 0; r < H; r++) {
            real *row = x + (size_t)n * H * W + (size_t)r * W;
            for (int a = 0, b = W - 1; a < b; a++, b--) {
                real t = row[a];
                row[a] = row[b], row[b] = t;
            }
        }
    }
}

void dataset_summary(const Subset *s, const char *name, FILE *f) {
    const Dataset *ds = s->data;
    fprintf(f, "%s: %d samples of %d features", name, s->n, ds->d);
    if (ds->height) fprintf(f, " (%dx%d images)", ds->height, ds->width);
    fprintf(f, "\n");
    if (ds->y && ds->nclasses > 0) {
        int counts[256] = {0};
        for (int i = 0; i < s->n; i++) counts[ds->y[s->idx[i]]]++;
        fprintf(f, "  per class:");
        for (int c = 0; c < ds->nclasses && c < 256; c++) fprintf(f, " %d:%d", c, counts[c]);
        fprintf(f, "\n");
    }
    double sum = 0, sumsq = 0, count = (double)s->n * ds->d;
    for (int i = 0; i < s->n; i++)
        for (int j = 0; j < ds->d; j++) {
            double v = ds->pixels ? ds->pixels[(size_t)s->idx[i] * ds->d + j] / 255.0
                                  : (double)ds->x[(size_t)s->idx[i] * ds->d + j];
            sum += v, sumsq += v * v;
        }
    double mean = sum / count;
    fprintf(f, "  %s mean %.4f, std %.4f\n", ds->pixels ? "pixel" : "feature", mean,
            sqrt(fmax(0, sumsq / count - mean * mean)));
}

/** ## Synthetic data */
static void synth_alloc(Dataset *ds, const char *name, int n, int d, int nclasses) {
    *ds = (Dataset){.n = n, .d = d, .nclasses = nclasses, .std = 1};
    snprintf(ds->name, sizeof ds->name, "%s", name);
    ds->x = nn_calloc((size_t)n * d, sizeof(real));
    if (nclasses > 0) ds->y = nn_calloc((size_t)n, sizeof(int));
    else ds->target = nn_calloc((size_t)n, sizeof(real));
}

void synth_xor(Dataset *ds, int n, double noise, Rng *rng) {
    synth_alloc(ds, "xor", n, 2, 2);
    for (int i = 0; i < n; i++) {
        int a = (i >> 1) & 1, b = i & 1;   /* 00 01 10 11 repeating */
        ds->x[2 * i] = (real)(a + noise * rng_normal(rng));
        ds->x[2 * i + 1] = (real)(b + noise * rng_normal(rng));
        ds->y[i] = a ^ b;
    }
}

static const double PI = 3.14159265358979323846;

void synth_moons(Dataset *ds, int n, double noise, Rng *rng) {
    synth_alloc(ds, "moons", n, 2, 2);
    for (int i = 0; i < n; i++) {
        int c = i % 2;
        double t = PI * rng_uniform(rng);
        double px = c ? 1 - cos(t) : cos(t), py = c ? 0.5 - sin(t) : sin(t);
        ds->x[2 * i] = (real)(px + noise * rng_normal(rng));
        ds->x[2 * i + 1] = (real)(py + noise * rng_normal(rng));
        ds->y[i] = c;
    }
}

void synth_circles(Dataset *ds, int n, double noise, double factor, Rng *rng) {
    synth_alloc(ds, "circles", n, 2, 2);
    for (int i = 0; i < n; i++) {
        int c = i % 2;
        double t = 2 * PI * rng_uniform(rng), r = c ? factor : 1.0;
        ds->x[2 * i] = (real)(r * cos(t) + noise * rng_normal(rng));
        ds->x[2 * i + 1] = (real)(r * sin(t) + noise * rng_normal(rng));
        ds->y[i] = c;
    }
}

void synth_spiral(Dataset *ds, int n_per_class, int arms, double noise, Rng *rng) {
    synth_alloc(ds, "spiral", n_per_class * arms, 2, arms);
    for (int k = 0; k < arms; k++)
        for (int i = 0; i < n_per_class; i++) {
            int s = k * n_per_class + i;
            double r = (double)i / n_per_class;
            double t = 4.0 * r + 2 * PI * k / arms + noise * rng_normal(rng);
            ds->x[2 * s] = (real)(r * sin(t));
            ds->x[2 * s + 1] = (real)(r * cos(t));
            ds->y[s] = k;
        }
}

void synth_blobs(Dataset *ds, int n, int k, int d, double std, Rng *rng) {
    synth_alloc(ds, "blobs", n, d, k);
    double *centers = nn_calloc((size_t)k * d, sizeof(double));
    for (int i = 0; i < k * d; i++) centers[i] = rng_uniform_range(rng, -5, 5);
    for (int i = 0; i < n; i++) {
        int c = i % k;
        for (int j = 0; j < d; j++) ds->x[(size_t)i * d + j] = (real)(centers[c * d + j] + std * rng_normal(rng));
        ds->y[i] = c;
    }
    free(centers);
}

void synth_regression(Dataset *ds, int n, double noise, Rng *rng) {
    synth_alloc(ds, "regression", n, 1, 0);
    for (int i = 0; i < n; i++) {
        double x = rng_uniform_range(rng, -1, 1);
        ds->x[i] = (real)x;
        ds->target[i] = (real)(sin(3 * x) + noise * rng_normal(rng));
    }
}

bool data_fashion_split(Dataset *train, int val_n, int train_n, Rng *rng, const char *who, Subset *tr,
                        Subset *val, Subset *rest) {
    if (!data_load(train, "fashion-mnist", "train", who)) return false;
    CHECK(val_n > 0 && train_n > 0 && val_n + train_n <= train->n, "val %d + train %d of %d images", val_n, train_n,
          train->n);
    Subset all = subset_all(train);
    subset_split(&all, val_n, rng, val, rest);
    subset_free(&all);
    *tr = (Subset){train, rest->idx, train_n};
    dataset_standardize(train, tr);
    return true;
}

