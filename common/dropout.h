/** # dropout.h — inverted dropout
 *
 * PyTorch's convention: p is the probability to *drop*. In training each unit is kept with
 * probability 1-p and scaled by 1/(1-p), so the expected output equals the input and evaluation
 * needs no rescaling: it is the identity.
 *
 * Shapes: n = N*d values, row-major [N, d]; the mask has the same shape.
 */
#ifndef NN_DROPOUT_H
#define NN_DROPOUT_H

#include "nn.h"
#include "rng.h"

typedef struct {
    real p;
    real *mask;   /* [max_batch, d]: 0 or 1/(1-p), drawn in the last training forward */
    bool active;  /* whether the last forward applied the mask */
} Dropout;

void dropout_init(Dropout *d, real p, size_t max_n);
void dropout_free(Dropout *d);
void dropout_forward(Dropout *d, real *y, const real *x, size_t n, bool training, Rng *rng);
void dropout_backward(const Dropout *d, real *dx, const real *dy, size_t n);

#endif
