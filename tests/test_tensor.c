/** Tests of tensor.c: allocation, views, copies. */
#include "check.h"

Test(tensor, alloc_is_zeroed_and_shaped) {
    Tensor t = tensor_alloc(3, 5);
    cr_assert(eq(int, t.rows, 3));
    cr_assert(eq(int, t.cols, 5));
    cr_assert(eq(sz, tensor_size(&t), 15));
    for (size_t i = 0; i < tensor_size(&t); i++) cr_assert(t.data[i] == 0);
    tensor_free(&t);
    cr_assert(t.data == NULL);
    tensor_free(&t);   /* freeing a zeroed struct is a no-op */
}

Test(tensor, row_view_shares_memory) {
    Tensor t = tensor_alloc(4, 2);
    for (int i = 0; i < 8; i++) t.data[i] = (real)i;
    Tensor v = tensor_rows(&t, 1, 2);
    cr_assert(eq(int, v.rows, 2));
    cr_assert(v.data[0] == 2 && v.data[3] == 5);
    v.data[0] = 42;
    cr_assert(t.data[2] == 42, "a view writes through to its parent");
    tensor_free(&v);   /* a view does not own its memory */
    cr_assert(t.data[2] == 42);
    cr_assert(tensor_row(&t, 3)[1] == 7);
    tensor_free(&t);
}

Test(tensor, copy_and_fill) {
    Tensor a = tensor_alloc(2, 3), b = tensor_alloc(2, 3);
    tensor_fill(&a, R(1.5));
    tensor_copy(&b, &a);
    for (int i = 0; i < 6; i++) cr_assert(b.data[i] == R(1.5));
    tensor_free(&a), tensor_free(&b);
}

Test(tensor, view_out_of_range_aborts, .signal = SIGABRT) {
    Tensor t = tensor_alloc(4, 2);
    tensor_rows(&t, 3, 2);
}

Test(tensor, copy_shape_mismatch_aborts, .signal = SIGABRT) {
    Tensor a = tensor_alloc(2, 3), b = tensor_alloc(3, 2);
    tensor_copy(&b, &a);
}
