/** # linear.c */
#include "linear.h"

#include "exercise.h"
#include "gemm.h"

void linear_forward(real *y, const real *x, const real *W, const real *b, int N, int Din, int Dout) {
    /* >>> exercise linear_forward | Lab 1, "Backpropagation, verified" | task: y = x W^T + b, with gemm for the product (x [N,Din], W [Dout,Din], b [Dout] or NULL) */
    /* y = x W^T : [N,Din] x [Din,Dout] */
    gemm(false, true, N, Dout, Din, R(1), x, Din, W, Din, R(0), y, Dout);
    if (b)
        for (int n = 0; n < N; n++) {
            real *yr = y + (size_t)n * Dout;
            for (int o = 0; o < Dout; o++) yr[o] += b[o];
        }
    /* === stub
    (void)y, (void)x, (void)W, (void)b, (void)N, (void)Din, (void)Dout;
    exercise_todo("linear_forward");
    <<< exercise */
}

void linear_backward(real *dx, real *dW, real *db, const real *dy, const real *x, const real *W,
                     int N, int Din, int Dout) {
    /* >>> exercise linear_backward | Lab 1, "Backpropagation, verified" | task: dx = dy W (when dx is not NULL), dW += dy^T x, db += the batch sum of dy (when db is not NULL) | points: 3 */
    /* fwd: y = x W^T  ->  dx = dy W : [N,Dout] x [Dout,Din] */
    if (dx) gemm(false, false, N, Din, Dout, R(1), dy, Dout, W, Din, R(0), dx, Din);
    /* fwd: y = x W^T  ->  dW += dy^T x : [Dout,N] x [N,Din] */
    gemm(true, false, Dout, Din, N, R(1), dy, Dout, x, Din, R(1), dW, Din);
    /* fwd: y += b  ->  db += sum over the batch of dy */
    if (db)
        for (int n = 0; n < N; n++) {
            const real *dyr = dy + (size_t)n * Dout;
            for (int o = 0; o < Dout; o++) db[o] += dyr[o];
        }
    /* === stub
    (void)dx, (void)dW, (void)db, (void)dy, (void)x, (void)W, (void)N, (void)Din, (void)Dout;
    exercise_todo("linear_backward");
    <<< exercise */
}

void linear_init(Linear *l, int in, int out, bool bias) {
    CHECK(in > 0 && out > 0, "Linear %d -> %d", in, out);
    *l = (Linear){.in = in, .out = out};
    l->W = nn_calloc((size_t)out * in, sizeof(real));
    l->dW = nn_calloc((size_t)out * in, sizeof(real));
    if (bias) {
        l->b = nn_calloc((size_t)out, sizeof(real));
        l->db = nn_calloc((size_t)out, sizeof(real));
    }
}

void linear_free(Linear *l) {
    free(l->W), free(l->dW), free(l->b), free(l->db);
    *l = (Linear){0};
}
