/** # tensor.c */
#include "tensor.h"

#include <string.h>

Tensor tensor_alloc(int rows, int cols) {
    CHECK(rows >= 0 && cols >= 0, "bad shape [%d,%d]", rows, cols);
    Tensor t = {rows, cols, nn_calloc((size_t)rows * (size_t)cols, sizeof(real)), true};
    return t;
}

void tensor_free(Tensor *t) {
    if (t->owner) free(t->data);
    *t = (Tensor){0};
}

Tensor tensor_rows(const Tensor *t, int start, int count) {
    CHECK(start >= 0 && count >= 0 && start + count <= t->rows,
          "rows [%d,%d) outside a tensor of %d rows", start, start + count, t->rows);
    Tensor v = {count, t->cols, t->data + (size_t)start * (size_t)t->cols, false};
    return v;
}

real *tensor_row(const Tensor *t, int i) {
    CHECK(i >= 0 && i < t->rows, "row %d outside a tensor of %d rows", i, t->rows);
    return t->data + (size_t)i * (size_t)t->cols;
}

size_t tensor_size(const Tensor *t) { return (size_t)t->rows * (size_t)t->cols; }

void tensor_fill(Tensor *t, real value) {
    size_t n = tensor_size(t);
    for (size_t i = 0; i < n; i++) t->data[i] = value;
}

void tensor_copy(Tensor *dst, const Tensor *src) {
    CHECK(dst->rows == src->rows && dst->cols == src->cols, "copy [%d,%d] into [%d,%d]",
          src->rows, src->cols, dst->rows, dst->cols);
    memcpy(dst->data, src->data, tensor_size(src) * sizeof(real));
}
