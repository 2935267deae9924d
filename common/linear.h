/** # linear.h — the fully connected layer
 *
 * $$y = x W^\top + b$$
 *
 * Shapes: `N` batch, `Din` input features, `Dout` output features; `x` is `[N,Din]`, `W` is `[Dout,Din]`
 * (PyTorch's layout: one row of weights per output unit), `b` is `[Dout]`, `y` is `[N,Dout]`.
 *
 * Backward, with `dy` = ∂L/∂y of shape `[N,Dout]`:
 * $$\frac{\partial L}{\partial x} = dy\,W, \qquad
 *   \frac{\partial L}{\partial W} \mathrel{+}= dy^\top x, \qquad
 *   \frac{\partial L}{\partial b} \mathrel{+}= \textstyle\sum_n dy_n$$
 * Each is one GEMM (or a column sum). Parameter gradients accumulate; the caller zeroes them.
 */
#ifndef NN_LINEAR_H
#define NN_LINEAR_H

#include "nn.h"

/* y[N,Dout] = x[N,Din] W[Dout,Din]^T + b[Dout]; b may be NULL (no bias). */
void linear_forward(real *y, const real *x, const real *W, const real *b, int N, int Din, int Dout);
/* dx[N,Din] = dy W (skipped when dx is NULL); dW[Dout,Din] += dy^T x; db[Dout] += sum_n dy (skipped when
 * db is NULL). */
void linear_backward(real *dx, real *dW, real *db, const real *dy, const real *x, const real *W,
                     int N, int Din, int Dout);

typedef struct {
    int in, out;
    real *W, *dW;   /* [out, in] */
    real *b, *db;   /* [out], NULL without bias */
} Linear;

void linear_init(Linear *l, int in, int out, bool bias);   /* zeroed; see init.h to fill W */
void linear_free(Linear *l);

#endif
