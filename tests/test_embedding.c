/** Tests of embedding.c: hand-computed lookups and scatter-adds, the one-hot product it replaces
 * (values and gradients), and a gradient check in double. */
#include "check.h"

#include "embedding.h"

Test(embedding, forward_looks_rows_up) {
    real C[3 * 2] = {1, 2, 3, 4, 5, 6};   /* [V=3, D=2] */
    int idx[4] = {2, 0, 2, 1};
    real y[4 * 2];
    embedding_forward(y, idx, C, 4, 2);
    const double want[8] = {5, 6, 1, 2, 5, 6, 3, 4};
    for (int i = 0; i < 8; i++) cr_assert(eq(dbl, (double)y[i], want[i]), "y[%d] = %g", i, (double)y[i]);
}

Test(embedding, backward_scatter_adds_and_repeated_symbols_accumulate) {
    int idx[4] = {2, 0, 2, 1};
    real dy[4 * 2] = {1, 10, 100, 1000, 2, 20, 3, 30};
    real dC[3 * 2] = {0.5, 0.5, 0, 0, 0, 0};   /* gradients accumulate (+=) onto what is there */
    embedding_backward(dC, dy, idx, 4, 2);
    const double want[6] = {100.5, 1000.5, 3, 30, 3, 30};   /* row 2 = dy[0] + dy[2] */
    for (int i = 0; i < 6; i++) cr_assert(eq(dbl, (double)dC[i], want[i]), "dC[%d] = %g", i, (double)dC[i]);
}

Test(embedding, unused_rows_get_no_gradient) {
    int idx[3] = {4, 4, 1};
    real dy[3 * 3], dC[6 * 3] = {0};
    for (int i = 0; i < 9; i++) dy[i] = (real)(i + 1);
    embedding_backward(dC, dy, idx, 3, 3);
    for (int v = 0; v < 6; v++)
        if (v != 4 && v != 1)
            for (int d = 0; d < 3; d++) cr_assert(eq(dbl, (double)dC[v * 3 + d], 0.0), "row %d", v);
}

Test(embedding, onehot_encode_has_one_one_per_row) {
    int idx[3] = {0, 3, 3};
    real x[3 * 4];
    onehot_encode(x, idx, 3, 4);
    for (int n = 0; n < 3; n++)
        for (int v = 0; v < 4; v++) cr_assert(eq(dbl, (double)x[n * 4 + v], v == idx[n] ? 1.0 : 0.0));
}

Test(embedding, out_of_range_symbol_is_caught, .signal = SIGABRT) {
    int idx[1] = {5};
    real x[4];
    onehot_encode(x, idx, 1, 4);
}

/* The identity the layer rests on: lookup = one-hot x table, and scatter-add = one-hot^T x dy. */
Test(embedding, equals_onehot_times_the_table) {
    enum { N = 300, V = 27, D = 10 };
    Rng rng;
    rng_init(&rng, 5);
    Embedding e;
    embedding_init(&e, V, D, &rng);
    int idx[N];
    for (int n = 0; n < N; n++) idx[n] = n < 40 ? 3 : rng_below(&rng, V);   /* many repeats of 3 */
    static real y[N * D], y1[N * D], x[N * V], dy[N * D], dC1[V * D];
    for (int i = 0; i < N * D; i++) dy[i] = (real)rng_normal(&rng);
    embedding_forward(y, idx, e.C, N, D);
    embedding_backward(e.dC, dy, idx, N, D);
    onehot_encode(x, idx, N, V);
    gemm(false, false, N, D, V, 1, x, V, e.C, D, 0, y1, D);    /* y1 = x C */
    gemm(true, false, V, D, N, 1, x, V, dy, D, 0, dC1, D);     /* dC1 = x^T dy */
    for (int i = 0; i < N * D; i++) cr_assert(eq(dbl, (double)y[i], (double)y1[i]), "value %d differs", i);
    for (int i = 0; i < V * D; i++)
        cr_assert(close_to(e.dC[i], dC1[i], 1e-6, 1.0), "gradient %d: %.9g vs %.9g", i, (double)e.dC[i],
                  (double)dC1[i]);
    embedding_free(&e);
}

typedef struct {
    const int *idx;
    const real *C, *G;
    real *y;
    int N, D;
} EmbProbe;

/* f = sum(y * G) with y = embedding(idx; C) */
static double emb_objective(void *ctx) {
    EmbProbe *c = ctx;
    embedding_forward(c->y, c->idx, c->C, c->N, c->D);
    double f = 0;
    for (int i = 0; i < c->N * c->D; i++) f += (double)c->y[i] * (double)c->G[i];
    return f;
}

Test(embedding, gradient_check, GRADCHECK_ONLY) {
    enum { N = 24, V = 7, D = 5 };
    Rng rng;
    rng_init(&rng, 9);
    Embedding e;
    embedding_init(&e, V, D, &rng);
    int idx[N];
    for (int n = 0; n < N; n++) idx[n] = rng_below(&rng, V - 1);   /* the last row stays unused */
    idx[1] = idx[0];
    real G[N * D], y[N * D];
    for (int i = 0; i < N * D; i++) G[i] = (real)rng_normal(&rng);
    embedding_backward(e.dC, G, idx, N, D);
    EmbProbe c = {idx, e.C, G, y, N, D};
    assert_gradcheck(gradcheck(emb_objective, &c, e.C, e.dC, V * D, 0, GRADCHECK_H), "embedding table");
    embedding_free(&e);
}

Test(embedding, init_draws_a_standard_normal_table_and_free_is_safe_twice) {
    Rng rng;
    rng_init(&rng, 3);
    Embedding e;
    embedding_init(&e, 100, 50, &rng);
    double s = 0, s2 = 0;
    for (int i = 0; i < 5000; i++) {
        s += e.C[i], s2 += (double)e.C[i] * e.C[i];
        cr_assert(e.dC[i] == 0);
    }
    cr_assert(fabs(s / 5000) < 0.05 && fabs(s2 / 5000 - 1) < 0.1, "mean %g, var %g", s / 5000, s2 / 5000);
    Param p = embedding_param(&e);
    cr_assert(p.w == e.C && p.g == e.dC && p.n == 5000 && !p.decay);
    embedding_free(&e);
    embedding_free(&e);
}
