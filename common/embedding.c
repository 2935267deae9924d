/** # embedding.c */
#include "embedding.h"

#include <string.h>

/** ## Forward: a row lookup
 * fwd: y = onehot(idx) C, i.e. y[n] = C[idx[n]]. */
void embedding_forward(real *y, const int *idx, const real *C, int N, int D) {
    for (int n = 0; n < N; n++) {
        const real *row = C + (size_t)idx[n] * D;   /* [D] */
        real *yr = y + (size_t)n * D;               /* [D] */
        for (int d = 0; d < D; d++) yr[d] = row[d];
    }
}

/** ## Backward: a scatter-add
 * fwd: y[n] = C[idx[n]]  ->  dC[idx[n]] += dy[n], for every n. Two positions with the same
 * symbol add into the same row, exactly as $e^\top dy$ sums them. */
void embedding_backward(real *dC, const real *dy, const int *idx, int N, int D) {
    for (int n = 0; n < N; n++) {
        real *g = dC + (size_t)idx[n] * D;          /* [D] */
        const real *dyr = dy + (size_t)n * D;       /* [D] */
        for (int d = 0; d < D; d++) g[d] += dyr[d];
    }
}

void onehot_encode(real *x, const int *idx, int N, int V) {
    memset(x, 0, (size_t)N * V * sizeof *x);
    for (int n = 0; n < N; n++) {
        CHECK(idx[n] >= 0 && idx[n] < V, "symbol %d of position %d is outside [0, %d)", idx[n], n, V);
        x[(size_t)n * V + idx[n]] = 1;
    }
}

void embedding_init(Embedding *e, int V, int D, Rng *rng) {
    CHECK(V > 0 && D > 0, "an embedding of %d symbols in %d dimensions", V, D);
    e->V = V, e->D = D;
    e->C = nn_calloc((size_t)V * D, sizeof(real));
    e->dC = nn_calloc((size_t)V * D, sizeof(real));
    for (size_t i = 0; i < (size_t)V * D; i++) e->C[i] = (real)rng_normal(rng);
}

void embedding_free(Embedding *e) {
    free(e->C), free(e->dC);
    *e = (Embedding){0};
}

Param embedding_param(Embedding *e) {
    return (Param){.w = e->C, .g = e->dC, .n = (size_t)e->V * e->D, .decay = false, .name = "embedding"};
}
