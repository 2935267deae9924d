/** # tensor.h — a 2-D array of reals
 *
 * Every lab in this workbook is a multi-layer perceptron, so every array is a matrix: `rows`
 * samples (or output units) by `cols` features, stored row-major and contiguous. Element
 * $(i, j)$ is `data[i*cols + j]`. A minibatch is a *view*: the same memory, a range of rows.
 */
#ifndef NN_TENSOR_H
#define NN_TENSOR_H

#include "nn.h"

typedef struct {
    int rows, cols;
    real *data;   /* [rows, cols] */
    bool owner;   /* true when tensor_free should free data; false for views */
} Tensor;

Tensor tensor_alloc(int rows, int cols);     /* zero-filled */
void tensor_free(Tensor *t);                 /* no-op for views and zeroed structs */
Tensor tensor_rows(const Tensor *t, int start, int count);  /* view of rows [start, start+count) */
real *tensor_row(const Tensor *t, int i);    /* pointer to row i */
size_t tensor_size(const Tensor *t);         /* rows*cols */
void tensor_fill(Tensor *t, real value);
void tensor_copy(Tensor *dst, const Tensor *src);  /* shapes must match */

#endif
