/** # norm.h — BatchNorm, LayerNorm and RMSNorm
 *
 * All three rescale the features of a batch `x` `[N, D]` to a standard size, then apply a learned
 * per-feature gain γ (and shift β). They differ in *what* they average over:
 *
 * - **BatchNorm** [@ioffe2015batch]: each feature over the batch (a column of `x`). In training it
 *   uses the batch's mean and *biased* variance, and keeps running averages
 *   $r \leftarrow (1-m)\,r + m\,s$ (momentum $m = 0.1$ weights the new batch; the variance fed to
 *   the running average is the *unbiased* one). In evaluation it uses the running averages, so a
 *   sample's output does not depend on the rest of its batch. Exactly PyTorch's `BatchNorm1d`.
 * - **LayerNorm** [@ba2016layer]: each sample over its features (a row), biased variance, the same
 *   in training and evaluation.
 * - **RMSNorm** [@zhang2019root]: each row divided by its root mean square
 *   $\sqrt{\overline{x^2} + \epsilon}$; no centring and no β.
 *
 * With $\hat x = (x-\mu)/\sqrt{\sigma^2+\epsilon}$ over the averaged axis (n values), the
 * backward pass has a closed form:
 * $$dx = \frac{1}{n\sqrt{\sigma^2+\epsilon}}\Big(n\,d\hat x - \textstyle\sum d\hat x
 *        - \hat x \sum d\hat x\,\hat x\Big),\qquad d\hat x = \gamma\,dy.$$
 * For BatchNorm there is also `batchnorm_backward_graph`, which walks the computation graph one
 * node at a time (mean, centring, square, variance, square root, reciprocal, product) the way
 * CS231n derives it; the two are tested against each other and timed in Lab 04.
 *
 * Memory: everything, including the caches backward needs, is allocated in `norm_init`.
 */
#ifndef NN_NORM_H
#define NN_NORM_H

#include "nn.h"

typedef enum { NORM_BATCH, NORM_LAYER, NORM_RMS, NORM_NKINDS } NormKind;

typedef struct {
    NormKind kind;
    int d, max_batch;
    real eps, momentum;          /* momentum: BatchNorm's running averages only */
    real *gamma, *beta;          /* [d]; beta is NULL for RMSNorm */
    real *dgamma, *dbeta;        /* [d], accumulated by backward */
    real *running_mean, *running_var;   /* [d], BatchNorm only (start at 0 and 1) */
    /* caches of the last forward pass */
    real *xhat;                  /* [max_batch, d] the normalized input */
    real *mean, *inv_std;        /* BatchNorm: [d] per feature; LayerNorm/RMSNorm: [max_batch] per row */
    bool batch_stats;            /* BatchNorm: the last forward used batch statistics (training) */
    double *acc;                 /* [2d] BatchNorm's per-feature sums, so batches are read row by row */
} Norm;

/* eps 1e-5 (PyTorch's default for all three; pass another in n->eps after init if needed),
 * momentum 0.1, gamma 1, beta 0. */
void norm_init(Norm *n, NormKind kind, int d, int max_batch);
void norm_free(Norm *n);
const char *norm_name(NormKind kind);

/* x, y: [N, d]. `training` matters for BatchNorm only: batch statistics and a running-average
 * update (N must be at least 2), or the running averages. */
void norm_forward(Norm *n, real *y, const real *x, int N, bool training);
/* dy: [N, d] for the last forward; writes dx (may be NULL) and accumulates dgamma, dbeta. */
void norm_backward(Norm *n, real *dx, const real *dy, int N);

/* BatchNorm's backward in training mode, node by node through the computation graph; x is the
 * input of the last forward. Same contract as norm_backward. */
void batchnorm_backward_graph(Norm *n, real *dx, const real *dy, const real *x, int N);

#endif
