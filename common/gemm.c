/** # gemm.c — the naive loop, a blocked kernel, and OpenBLAS
 *
 * Shapes: `op(A)` is `[M,K]`, `op(B)` is `[K,N]`, `C` is `[M,N]`; all row-major.
 */
#include "gemm.h"
#include "parallel.h"

#include <cblas.h>
#include <string.h>

/* Element (i,k) of op(A) and (k,j) of op(B), whatever the transposes. */
#define OPA(i, k) (transA ? A[(size_t)(k) * lda + (i)] : A[(size_t)(i) * lda + (k)])
#define OPB(k, j) (transB ? B[(size_t)(j) * ldb + (k)] : B[(size_t)(k) * ldb + (j)])

static void check_args(bool transA, bool transB, int M, int N, int K, int lda, int ldb, int ldc) {
    CHECK(M >= 0 && N >= 0 && K >= 0, "negative size M=%d N=%d K=%d", M, N, K);
    CHECK(lda >= (transA ? M : K) && lda >= 1, "lda=%d too small", lda);
    CHECK(ldb >= (transB ? K : N) && ldb >= 1, "ldb=%d too small", ldb);
    CHECK(ldc >= N && ldc >= 1, "ldc=%d too small for N=%d", ldc, N);
}

/* C = beta*C, with beta = 0 meaning "overwrite" (so NaN in C does not survive 0*NaN). */
static void scale_c(int M, int N, real beta, real *C, int ldc) {
    if (beta == R(1)) return;
    for (int i = 0; i < M; i++) {
        real *c = C + (size_t)i * ldc;
        for (int j = 0; j < N; j++) c[j] = beta == R(0) ? R(0) : beta * c[j];
    }
}

/** ## The reference: three nested loops
 * One dot product per output element. It touches `op(B)` down a column for every element of
 * `C`, which is why it is slow (Lab 08), and why it is the one we trust. */
void gemm_naive(bool transA, bool transB, int M, int N, int K, real alpha, const real *A, int lda,
                const real *B, int ldb, real beta, real *C, int ldc) {
    check_args(transA, transB, M, N, K, lda, ldb, ldc);
    for (int i = 0; i < M; i++) {
        for (int j = 0; j < N; j++) {
            real sum = 0;
            for (int k = 0; k < K; k++) sum += OPA(i, k) * OPB(k, j);
            real *c = C + (size_t)i * ldc + j;
            *c = alpha * sum + (beta == R(0) ? R(0) : beta * *c);
        }
    }
}

/** ## The own kernel: blocking and packing
 * The classic structure of Goto's algorithm (as in BLIS): cut `K` into slabs of `KC`, `N` into
 * panels of `NC` and `M` into blocks of `MC`. Copy ("pack") the current slab of `op(B)` into
 * column strips `NR` wide and the current block of `op(A)` into row strips `MR` high, so that the
 * innermost *micro-kernel* reads both operands as contiguous streams that stay in cache. The
 * micro-kernel holds an `MR x NR` tile of `C` in vector registers and adds one rank-1 update per
 * `k`. Transposes cost nothing extra: packing reads through `OPA`/`OPB`.
 */
#ifdef NN_DOUBLE
enum { VL = 4 };   /* reals per 256-bit vector */
#else
enum { VL = 8 };
#endif
enum { MR = 6, NR = 2 * VL, KC = 256, MC = 16 * MR, NC = 1024 };

/* One pair of pack buffers per thread, so that independent runs may call gemm concurrently
 * (`parallel.h`). Thread-local storage lives beside each thread's stack: 1 MB (2 MB in double). */
static _Thread_local real packA[MC * KC] __attribute__((aligned(64)));   /* [MC/MR][KC][MR] */
static _Thread_local real packB[KC * NC] __attribute__((aligned(64)));   /* [NC/NR][KC][NR] */

/* Pack op(A)[i0:i0+mc, k0:k0+kc] into strips of MR rows; short strips are zero-padded. */
static void pack_a(bool transA, const real *A, int lda, int i0, int mc, int k0, int kc) {
    for (int s = 0; s < mc; s += MR) {
        real *p = packA + (size_t)s * kc;
        if (s + MR <= mc && !transA) {   /* a full strip, rows of A: read each row along k */
            for (int r = 0; r < MR; r++) {
                const real *src = A + (size_t)(i0 + s + r) * lda + k0;
                for (int k = 0; k < kc; k++) p[k * MR + r] = src[k];
            }
        } else if (s + MR <= mc) {       /* a full strip of A^T: MR neighbours per k */
            for (int k = 0; k < kc; k++) memcpy(p + k * MR, A + (size_t)(k0 + k) * lda + i0 + s, MR * sizeof(real));
        } else {
            for (int k = 0; k < kc; k++)
                for (int r = 0; r < MR; r++)
                    p[k * MR + r] = s + r < mc ? OPA(i0 + s + r, k0 + k) : R(0);
        }
    }
}

/* Pack op(B)[k0:k0+kc, j0:j0+nc] into strips of NR columns, zero-padded. */
static void pack_b(bool transB, const real *B, int ldb, int k0, int kc, int j0, int nc) {
    for (int s = 0; s < nc; s += NR) {
        real *p = packB + (size_t)s * kc;
        if (s + NR <= nc && !transB) {   /* a full strip of B: NR neighbours per k */
            for (int k = 0; k < kc; k++) memcpy(p + k * NR, B + (size_t)(k0 + k) * ldb + j0 + s, NR * sizeof(real));
        } else if (s + NR <= nc) {       /* a full strip of B^T: read each row of B along k */
            for (int c = 0; c < NR; c++) {
                const real *src = B + (size_t)(j0 + s + c) * ldb + k0;
                for (int k = 0; k < kc; k++) p[k * NR + c] = src[k];
            }
        } else {
            for (int k = 0; k < kc; k++)
                for (int c = 0; c < NR; c++)
                    p[k * NR + c] = s + c < nc ? OPB(k0 + k, j0 + s + c) : R(0);
        }
    }
}

/* The micro-kernel, portable version: tile[MR][NR] = sum_k a[k][:] (outer) b[k][:]. */
static void micro_generic(real *tile, const real *a, const real *b, int kc) {
    real acc[MR][NR] = {{0}};
    for (int k = 0; k < kc; k++)
        for (int r = 0; r < MR; r++)
            for (int c = 0; c < NR; c++) acc[r][c] += a[k * MR + r] * b[k * NR + c];
    memcpy(tile, acc, sizeof acc);
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#ifdef NN_DOUBLE
typedef __m256d vec;
#define VLOAD _mm256_loadu_pd
#define VSTORE _mm256_storeu_pd
#define VSET1 _mm256_set1_pd
#define VZERO _mm256_setzero_pd
#define VFMA _mm256_fmadd_pd
#else
typedef __m256 vec;
#define VLOAD _mm256_loadu_ps
#define VSTORE _mm256_storeu_ps
#define VSET1 _mm256_set1_ps
#define VZERO _mm256_setzero_ps
#define VFMA _mm256_fmadd_ps
#endif
/* The same micro-kernel with AVX2 fused multiply-adds: 12 accumulators (6 rows x 2 vectors)
 * plus 2 B vectors and 1 broadcast A value fill 15 of the 16 ymm registers. */
__attribute__((target("avx2,fma"))) static void micro_avx2(real *tile, const real *a,
                                                           const real *b, int kc) {
    vec c00 = VZERO(), c01 = VZERO(), c10 = VZERO(), c11 = VZERO(), c20 = VZERO(), c21 = VZERO();
    vec c30 = VZERO(), c31 = VZERO(), c40 = VZERO(), c41 = VZERO(), c50 = VZERO(), c51 = VZERO();
    for (int k = 0; k < kc; k++) {
        const real *ak = a + k * MR, *bk = b + k * NR;
        vec b0 = VLOAD(bk), b1 = VLOAD(bk + VL), x;
        x = VSET1(ak[0]); c00 = VFMA(x, b0, c00); c01 = VFMA(x, b1, c01);
        x = VSET1(ak[1]); c10 = VFMA(x, b0, c10); c11 = VFMA(x, b1, c11);
        x = VSET1(ak[2]); c20 = VFMA(x, b0, c20); c21 = VFMA(x, b1, c21);
        x = VSET1(ak[3]); c30 = VFMA(x, b0, c30); c31 = VFMA(x, b1, c31);
        x = VSET1(ak[4]); c40 = VFMA(x, b0, c40); c41 = VFMA(x, b1, c41);
        x = VSET1(ak[5]); c50 = VFMA(x, b0, c50); c51 = VFMA(x, b1, c51);
    }
    VSTORE(tile + 0 * NR, c00); VSTORE(tile + 0 * NR + VL, c01);
    VSTORE(tile + 1 * NR, c10); VSTORE(tile + 1 * NR + VL, c11);
    VSTORE(tile + 2 * NR, c20); VSTORE(tile + 2 * NR + VL, c21);
    VSTORE(tile + 3 * NR, c30); VSTORE(tile + 3 * NR + VL, c31);
    VSTORE(tile + 4 * NR, c40); VSTORE(tile + 4 * NR + VL, c41);
    VSTORE(tile + 5 * NR, c50); VSTORE(tile + 5 * NR + VL, c51);
}
static bool have_avx2(void) {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
static void micro_avx2(real *tile, const real *a, const real *b, int kc) {
    micro_generic(tile, a, b, kc);
}
static bool have_avx2(void) { return false; }
#endif

const char *gemm_own_isa(void) { return have_avx2() ? "avx2+fma" : "generic"; }

/* One thread's share: C[:, 0:N] += alpha op(A) op(B)[:, 0:N] (beta already applied). */
static void own_serial(bool transA, bool transB, int M, int N, int K, real alpha, const real *A, int lda,
                       const real *B, int ldb, real *C, int ldc) {
    void (*micro)(real *, const real *, const real *, int) =
        have_avx2() ? micro_avx2 : micro_generic;
    real tile[MR * NR] __attribute__((aligned(64)));
    for (int j0 = 0; j0 < N; j0 += NC) {
        int nc = N - j0 < NC ? N - j0 : NC;
        for (int k0 = 0; k0 < K; k0 += KC) {
            int kc = K - k0 < KC ? K - k0 : KC;
            pack_b(transB, B, ldb, k0, kc, j0, nc);
            for (int i0 = 0; i0 < M; i0 += MC) {
                int mc = M - i0 < MC ? M - i0 : MC;
                pack_a(transA, A, lda, i0, mc, k0, kc);
                for (int js = 0; js < nc; js += NR) {
                    for (int is = 0; is < mc; is += MR) {
                        micro(tile, packA + (size_t)is * kc, packB + (size_t)js * kc, kc);
                        int mr = mc - is < MR ? mc - is : MR, nr = nc - js < NR ? nc - js : NR;
                        for (int r = 0; r < mr; r++) {
                            real *c = C + (size_t)(i0 + is + r) * ldc + j0 + js;
                            for (int q = 0; q < nr; q++) c[q] += alpha * tile[r * NR + q];
                        }
                    }
                }
            }
        }
    }
}

/** ### Threads
 * With T threads the columns of C are cut into T slices, each a multiple of NR wide, and each
 * thread runs the serial algorithm on its slice with its own pack buffers. Every element of C
 * sees the same operations in the same order as with one thread, so the result is identical to
 * the bit. The slices run on `parallel_split`'s helper threads (parallel.h), started once and
 * kept: handing them work costs microseconds where starting threads costs tens, so products from
 * 2^21 flops up — a training batch of 64 through a 784 x 256 layer is 2^24.6 — are split. */
static int own_threads = 1;

typedef struct {
    bool transA, transB;
    int M, N, K, lda, ldb, ldc;
    real alpha;
    const real *A, *B;
    real *C;
} OwnSlice;

static void *own_slice(void *arg) {
    OwnSlice *s = arg;
    own_serial(s->transA, s->transB, s->M, s->N, s->K, s->alpha, s->A, s->lda, s->B, s->ldb, s->C, s->ldc);
    return NULL;
}

static void own_slice_job(void *ctx, int t) { own_slice((OwnSlice *)ctx + t); }

void gemm_own(bool transA, bool transB, int M, int N, int K, real alpha, const real *A, int lda,
              const real *B, int ldb, real beta, real *C, int ldc) {
    check_args(transA, transB, M, N, K, lda, ldb, ldc);
    scale_c(M, N, beta, C, ldc);
    if (M == 0 || N == 0 || K == 0 || alpha == R(0)) return;
    int T = own_threads;
    if (2.0 * M * N * K < (double)(1 << 21)) T = 1;
    while (T > 1 && N < T * NR) T--;
    if (T == 1) {
        own_serial(transA, transB, M, N, K, alpha, A, lda, B, ldb, C, ldc);
        return;
    }
    enum { MAX_T = 64 };
    OwnSlice slices[MAX_T];
    int tiles = (N + NR - 1) / NR, j = 0;
    for (int t = 0; t < T; t++) {
        int n = (tiles / T + (t < tiles % T)) * NR;   /* whole tiles; the last slice takes the remainder */
        if (j + n > N) n = N - j;
        const real *b = transB ? B + (size_t)j * ldb : B + j;   /* op(B)[:, j:j+n] */
        slices[t] = (OwnSlice){transA, transB, M, n, K, lda, ldb, ldc, alpha, A, b, C + j};
        j += n;
    }
    if (!parallel_split(T, own_slice_job, slices))   /* the helpers are busy: one slice after another */
        for (int t = 0; t < T; t++) own_slice(&slices[t]);
}

/** ## OpenBLAS */
void gemm_blas(bool transA, bool transB, int M, int N, int K, real alpha, const real *A, int lda,
               const real *B, int ldb, real beta, real *C, int ldc) {
    check_args(transA, transB, M, N, K, lda, ldb, ldc);
    if (M == 0 || N == 0) return;
    if (K == 0) { scale_c(M, N, beta, C, ldc); return; }
    if (beta == R(0)) scale_c(M, N, beta, C, ldc);  /* BLAS may read C even when beta is 0 */
#ifdef NN_DOUBLE
    cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#else
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#endif
}

/** ## Choosing a backend */
static const char *const backend_names[GEMM_NBACKENDS] = {"naive", "own", "blas"};
static int chosen = -1;   /* -1: not yet read from NN_GEMM */

const char *gemm_backend_name(GemmBackend b) {
    return b >= 0 && b < GEMM_NBACKENDS ? backend_names[b] : "?";
}

bool gemm_backend_parse(const char *name, GemmBackend *out) {
    for (int b = 0; b < GEMM_NBACKENDS; b++)
        if (strcmp(name, backend_names[b]) == 0) { *out = (GemmBackend)b; return true; }
    return false;
}

GemmBackend gemm_backend(void) {
    if (chosen < 0) {
        const char *env = getenv("NN_GEMM");
        GemmBackend b = GEMM_BLAS;
        if (env && *env && !gemm_backend_parse(env, &b)) {
            fprintf(stderr, "NN_GEMM=%s is not a GEMM backend: use naive, own or blas.\n", env);
            exit(2);
        }
        chosen = (int)b;
    }
    return (GemmBackend)chosen;
}

void gemm_set_backend(GemmBackend b) {
    CHECK(b >= 0 && b < GEMM_NBACKENDS, "no backend %d", (int)b);
    chosen = (int)b;
}

void gemm_set_threads(int n) {
    CHECK(n >= 1, "threads=%d", n);
    openblas_set_num_threads(n);
    own_threads = n < 64 ? n : 64;
}

int gemm_get_threads(void) { return openblas_get_num_threads(); }

void gemm(bool transA, bool transB, int M, int N, int K, real alpha, const real *A, int lda,
          const real *B, int ldb, real beta, real *C, int ldc) {
    switch (gemm_backend()) {
    case GEMM_NAIVE: gemm_naive(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
    case GEMM_OWN: gemm_own(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
    default: gemm_blas(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
    }
}
