/** # data.h — datasets, splits, minibatches
 *
 * A `Dataset` holds `n` samples of `d` features and, for classification, a label in
 * `[0, nclasses)`. Images stay bytes (`pixels`, `[n, d]` `uint8_t`): Fashion-MNIST's 60,000
 * training images take 47 MB as bytes and would take 188 MB as floats. A minibatch is converted
 * to `real` on the fly, scaled to [0, 1] and optionally standardized. Synthetic sets are made as
 * reals directly (`x`).
 *
 * A `Subset` is a list of sample indices into a dataset: splits (train / validation) are subsets,
 * so splitting copies no pixels. A `Batcher` walks a subset in minibatches, reshuffled every epoch
 * by an explicit `Rng`.
 */
#ifndef NN_DATA_H
#define NN_DATA_H

#include "nn.h"
#include "rng.h"

typedef struct {
    int n, d, nclasses;
    int height, width;   /* images: 28 x 28; 0 otherwise */
    uint8_t *pixels;     /* [n, d] images, or NULL */
    real *x;             /* [n, d] real features (synthetic sets), or NULL */
    int *y;              /* [n] labels, or NULL for regression */
    real *target;        /* [n] regression targets, or NULL */
    real mean, std;      /* a batch holds (pixel/255 - mean) / std; 0 and 1 by default */
    char name[64];
} Dataset;

typedef struct {
    const Dataset *data;
    int *idx;            /* [n] indices into data */
    int n;
} Subset;

typedef struct {
    int *order;          /* [n] a permutation of the subset's indices */
    int n, batch, pos;
} Batcher;

/* ## Reading IDX files (plain or gzip'd)
 * Validates magic, element type, rank, that the header's dimensions match the file's length,
 * that the label and image counts agree and that every label is below `nclasses`. On failure
 * writes one sentence naming the file and the problem into err and returns false. */
bool idx_load(Dataset *ds, const char *images_path, const char *labels_path, int nclasses,
              char *err, size_t errsize);
/* The same on bytes in memory (the fuzzer's entry). Takes img, a malloc'd buffer: on success it
 * becomes the dataset's pixels, on failure it is freed. */
bool idx_parse(Dataset *ds, uint8_t *img, size_t ilen, const uint8_t *lbl, size_t llen, const char *images_path,
               const char *labels_path, int nclasses, char *err, size_t errsize);
/* Write an uncompressed IDX pair (used by the MNIST converter and the tests). */
bool idx_save(const char *images_path, const char *labels_path, const uint8_t *pixels,
              const uint8_t *labels, int n, int height, int width);

/* The data sets `make data` fetches, by name: set "mnist10k" (splits train, val, test) or
 * "fashion-mnist" (splits train, t10k), read from $NN_DATA or data/. On failure prints one sentence
 * prefixed by `who` (the program's name) and returns false. */
bool data_load(Dataset *ds, const char *set, const char *split, const char *who);

void dataset_free(Dataset *ds);

/* The start every Fashion-MNIST lab shares: load the training file (false, with the reason
 * printed, if it is missing), split `val_n` images off at random into *val, keep the others in
 * *rest, take the first `train_n` of them as the training subset *tr (it points into rest), and
 * standardize with the training subset's pixel statistics. Free val and rest when done. */
bool data_fashion_split(Dataset *train, int val_n, int train_n, Rng *rng, const char *who, Subset *tr,
                        Subset *val, Subset *rest);

/* ## Subsets */
Subset subset_all(const Dataset *ds);
Subset subset_range(const Dataset *ds, int start, int count);
/* A seeded random split of `whole` into `first` (n_first samples) and `rest`. */
void subset_split(const Subset *whole, int n_first, Rng *rng, Subset *first, Subset *rest);
void subset_free(Subset *s);

/* ## Minibatches
 * x: [count, d] (features as reals); y: [count] labels (may be NULL). */
void dataset_batch(const Dataset *ds, const int *idx, int count, real *x, int *y);
/* The real value a zero pixel becomes (the background, after standardization). */
real dataset_background(const Dataset *ds);
/* Set mean and std from the pixels of `train` (one mean and std over all pixels). */
void dataset_standardize(Dataset *ds, const Subset *train);

void batcher_init(Batcher *b, const Subset *s, int batch);
void batcher_free(Batcher *b);
void batcher_shuffle(Batcher *b, Rng *rng);
/* The next minibatch's indices (pointer into order) and size; false at the end of the epoch,
 * which also rewinds. The last batch may be smaller. */
bool batcher_next(Batcher *b, const int **idx, int *count);

/* ## Augmentation: shift each image by up to ±max_shift pixels in x and y, filling with `fill`.
 * x: [N, H*W]; scratch: [H*W]. */
void augment_shift(real *x, int N, int H, int W, int max_shift, real fill, real *scratch, Rng *rng);
/* Mirror each image left-right with probability 1/2 (clothing looks the same mirrored; digits do
 * not). x: [N, H*W]. */
void augment_flip(real *x, int N, int H, int W, Rng *rng);

/* ## "Become one with the data": counts per class, pixel mean and std. */
void dataset_summary(const Subset *s, const char *name, FILE *f);

/* ## Synthetic sets, all seeded. Features are reals; labels ints (regression: target). */
void synth_xor(Dataset *ds, int n, double noise, Rng *rng);        /* n = 4, noise 0: the four corners */
void synth_moons(Dataset *ds, int n, double noise, Rng *rng);
void synth_circles(Dataset *ds, int n, double noise, double factor, Rng *rng);
void synth_spiral(Dataset *ds, int n_per_class, int arms, double noise, Rng *rng);
void synth_blobs(Dataset *ds, int n, int k, int d, double std, Rng *rng);
void synth_regression(Dataset *ds, int n, double noise, Rng *rng);  /* y = sin(3x) + noise, x in [-1,1] */

#endif
