/** # embedding.h — a table of vectors, one per symbol
 *
 * A categorical input (a character, a word, a user id) is a symbol $i \in [0, V)$. Its one-hot
 * code $e_i \in \{0,1\}^V$ times a weight matrix $C$ `[V, D]` is simply row $i$ of $C$:
 * $$y = e_i^\top C = C_i .$$
 * An embedding layer computes exactly that without building the one-hot vector: **forward is a
 * row lookup**. Backward follows from the same identity: $\partial L/\partial C = e^\top dy$, so
 * the gradient of row $i$ is the sum of the upstream gradients of every position that looked
 * row $i$ up — **a scatter-add**; rows nobody used get nothing, and a symbol used twice in a
 * batch accumulates both. Per position the lookup moves $D$ numbers where the one-hot product
 * does $V \cdot D$ multiply-adds (most of them by zero).
 *
 * Shapes: `N` positions (a batch of contexts of `T` symbols each is `N = batch * T` positions,
 * and its output `[batch*T, D]` *is* the concatenation `[batch, T*D]`, row-major), `V` symbols,
 * `D` dimensions. `idx` is `[N]`, each in `[0, V)`.
 *
 * The plain one-hot path (`onehot_encode` + a GEMM) is kept beside it as the naive twin the
 * tests and Lab 9 compare it with.
 */
#ifndef NN_EMBEDDING_H
#define NN_EMBEDDING_H

#include "optim.h"
#include "rng.h"

/* y[N,D] = C[idx[n], :] for each n. */
void embedding_forward(real *y, const int *idx, const real *C, int N, int D);
/* dC[V,D] += scatter of dy[N,D] into the rows idx[N] (repeated indices accumulate). */
void embedding_backward(real *dC, const real *dy, const int *idx, int N, int D);

/* x[N,V] = the one-hot codes of idx[N]: x[n, idx[n]] = 1, every other entry 0. */
void onehot_encode(real *x, const int *idx, int N, int V);

typedef struct {
    int V, D;
    real *C, *dC;   /* [V, D] the table and its gradient */
} Embedding;

/* The table drawn from N(0, 1) (PyTorch's nn.Embedding default), the gradient zero. */
void embedding_init(Embedding *e, int V, int D, Rng *rng);
void embedding_free(Embedding *e);   /* a zeroed Embedding is fine */
/* The table as one parameter (no weight decay by default: set p.decay to change it). */
Param embedding_param(Embedding *e);

#endif
