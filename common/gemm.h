/** # gemm.h — general matrix multiply, three ways
 *
 * Almost all the arithmetic of an MLP is matrix multiplication: a Linear layer's forward pass is
 * one, its backward pass two. One entry point covers every case backpropagation needs:
 *
 * $$C \leftarrow \alpha\, \mathrm{op}(A)\, \mathrm{op}(B) + \beta C, \qquad
 *   \mathrm{op}(X) \in \{X, X^\top\}$$
 *
 * with `op(A)` of shape `[M,K]`, `op(B)` of shape `[K,N]` and `C` of shape `[M,N]`, all row-major
 * with leading dimensions `lda`, `ldb`, `ldc` (the row stride *as stored*). When `beta` is 0, `C`
 * is not read, so it may hold garbage or NaN.
 *
 * Three backends compute the same thing and are tested against each other:
 * - `naive`: the textbook triple loop — the reference;
 * - `own`: this project's cache-blocked kernel, written to vectorise (Lab 08 explains it);
 * - `blas`: OpenBLAS's `cblas_sgemm` / `cblas_dgemm`.
 * `gemm` uses the backend chosen by the environment variable `NN_GEMM=naive|own|blas`
 * (default `blas`), read once, or by `gemm_set_backend`.
 */
#ifndef NN_GEMM_H
#define NN_GEMM_H

#include "nn.h"

typedef enum { GEMM_NAIVE, GEMM_OWN, GEMM_BLAS, GEMM_NBACKENDS } GemmBackend;

void gemm(bool transA, bool transB, int M, int N, int K, real alpha, const real *A, int lda,
          const real *B, int ldb, real beta, real *C, int ldc);

void gemm_naive(bool transA, bool transB, int M, int N, int K, real alpha, const real *A, int lda,
                const real *B, int ldb, real beta, real *C, int ldc);
void gemm_own(bool transA, bool transB, int M, int N, int K, real alpha, const real *A, int lda,
              const real *B, int ldb, real beta, real *C, int ldc);
void gemm_blas(bool transA, bool transB, int M, int N, int K, real alpha, const real *A, int lda,
               const real *B, int ldb, real beta, real *C, int ldc);

GemmBackend gemm_backend(void);               /* the current choice (reads NN_GEMM on first use) */
void gemm_set_backend(GemmBackend b);
const char *gemm_backend_name(GemmBackend b); /* "naive", "own", "blas" */
bool gemm_backend_parse(const char *name, GemmBackend *out);
const char *gemm_own_isa(void);               /* which micro-kernel `own` runs: "avx2+fma" or "generic" */

#endif
