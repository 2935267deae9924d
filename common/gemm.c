/** # gemm.c — the naive loop, a blocked kernel, and OpenBLAS
 *
 * Shapes: `op(A)` is `[M,K]`, `op(B)` is `[K,N]`, `C` is `[M,N]`; all row-major.
 */
#include "gemm.h"
#include "parallel.h"
#include "threads.h"

#include <cblas.h>
#include <pthread.h>
#include <stdatomic.h>
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
 * `C`, which is why it is slow (Lab 8), and why it is the one we trust. */
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
 * panels of `NC` and `M` into blocks of `MC`. Each panel of `op(B)` is *packed* — copied into
 * column strips `NR` wide — so that the innermost *micro-kernel* reads it as one contiguous
 * stream that stays in cache. The micro-kernel holds an `MR x NR` tile of `C` in vector registers
 * and adds one rank-1 update per `k`: `NR` elements of `op(B)` loaded as two vectors, and `MR`
 * single elements of `op(A)` broadcast to a vector each.
 *
 * A broadcast reads one element, so `op(A)` need not be contiguous: the micro-kernel reads it
 * where it lies, through a row stride and a column stride. BLIS packs both operands; for the short
 * products of training (64 rows) packing `op(A)` costs about as much as the arithmetic it feeds,
 * so here `A` is packed only when it is transposed (see `pack_at`).
 *
 * (We also tried computing the forward pass `y = x W^T` as `y^T = W x^T`, to pack the batch
 * rather than the weights. Timed step by step, alternating with the plain order inside one run,
 * it was no faster: the transposed writes to `y` cost what the packing saved.)
 */
#ifdef NN_DOUBLE
enum { VL = 4 };   /* reals per 256-bit vector */
#else
enum { VL = 8 };
#endif
enum { MR = 6, NR = 2 * VL, KC = 256, MC = 16 * MR, NC = 1024 };

/* One pack buffer per thread, so that independent runs may call gemm concurrently
 * (`parallel.h`). Thread-local storage lives beside each thread's stack: 1 MB (2 MB in double). */
static _Thread_local real packB[KC * NC] __attribute__((aligned(64)));   /* [NC/NR][KC][NR] */
static _Thread_local real packA[MC * KC] __attribute__((aligned(64)));   /* [MC/MR][KC][MR] */

/* Pack op(A)[i0:i0+mc, k0:k0+kc] = A^T[...] into strips of MR rows, for a transposed A. Read in
 * place, its strip would be MR neighbours every lda elements: one cache line per k, and with lda a
 * power of two the lines of a strip crowd into a few sets of the L1 cache. Short strips repeat
 * their last row, as the micro-kernel does. */
static void pack_at(const real *A, int lda, int i0, int mc, int k0, int kc) {
    for (int s = 0; s < mc; s += MR) {
        real *p = packA + (size_t)s * kc;
        int mr = mc - s < MR ? mc - s : MR;
        for (int k = 0; k < kc; k++) {
            const real *src = A + (size_t)(k0 + k) * lda + i0 + s;
            for (int r = 0; r < MR; r++) p[k * MR + r] = src[r < mr ? r : mr - 1];
        }
    }
}

/* A full strip of B^T: p[k][c] = src[c*ldb + k] for NR rows of B (c) and kc columns (k) — a
 * transpose. Element by element it is a scattered store per number; the AVX2 version below turns
 * 8 x 8 blocks around in registers (float only; the double build is for gradient checks). */
static void pack_bt_generic(real *p, const real *src, int ldb, int kc) {
    for (int c = 0; c < NR; c++)
        for (int k = 0; k < kc; k++) p[k * NR + c] = src[(size_t)c * ldb + k];
}

/* The AVX2 code below (this packing and the micro-kernel) runs where the processor has AVX2 and FMA. */
#if defined(__x86_64__) && defined(__GNUC__)
static bool have_avx2(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#else
static bool have_avx2(void) { return false; }
#endif

#if defined(__x86_64__) && defined(__GNUC__) && !defined(NN_DOUBLE)
#include <immintrin.h>
__attribute__((target("avx2"))) static void pack_bt_avx2(real *p, const real *src, int ldb, int kc) {
    int k = 0;
    for (; k + 8 <= kc; k += 8)
        for (int h = 0; h < NR; h += 8) {   /* rows h..h+7 of the strip, columns k..k+7 */
            const real *s0 = src + (size_t)h * ldb + k;
            __m256 r0 = _mm256_loadu_ps(s0), r1 = _mm256_loadu_ps(s0 + ldb), r2 = _mm256_loadu_ps(s0 + 2 * (size_t)ldb),
                   r3 = _mm256_loadu_ps(s0 + 3 * (size_t)ldb), r4 = _mm256_loadu_ps(s0 + 4 * (size_t)ldb),
                   r5 = _mm256_loadu_ps(s0 + 5 * (size_t)ldb), r6 = _mm256_loadu_ps(s0 + 6 * (size_t)ldb),
                   r7 = _mm256_loadu_ps(s0 + 7 * (size_t)ldb);
            __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
            __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
            __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
            __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
            __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
            __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
            __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
            __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
            real *d = p + (size_t)k * NR + h;   /* column k+i of the block goes to d + i*NR */
            _mm256_storeu_ps(d + 0 * NR, _mm256_permute2f128_ps(u0, u4, 0x20));
            _mm256_storeu_ps(d + 1 * NR, _mm256_permute2f128_ps(u1, u5, 0x20));
            _mm256_storeu_ps(d + 2 * NR, _mm256_permute2f128_ps(u2, u6, 0x20));
            _mm256_storeu_ps(d + 3 * NR, _mm256_permute2f128_ps(u3, u7, 0x20));
            _mm256_storeu_ps(d + 4 * NR, _mm256_permute2f128_ps(u0, u4, 0x31));
            _mm256_storeu_ps(d + 5 * NR, _mm256_permute2f128_ps(u1, u5, 0x31));
            _mm256_storeu_ps(d + 6 * NR, _mm256_permute2f128_ps(u2, u6, 0x31));
            _mm256_storeu_ps(d + 7 * NR, _mm256_permute2f128_ps(u3, u7, 0x31));
        }
    for (; k < kc; k++)   /* the last kc % 8 columns */
        for (int c = 0; c < NR; c++) p[k * NR + c] = src[(size_t)c * ldb + k];
}
#else
static void pack_bt_avx2(real *p, const real *src, int ldb, int kc) { pack_bt_generic(p, src, ldb, kc); }
#endif

/* Pack op(B)[k0:k0+kc, j0:j0+nc] into strips of NR columns at dst, zero-padded. */
static void pack_b(real *dst, bool transB, const real *B, int ldb, int k0, int kc, int j0, int nc) {
    for (int s = 0; s < nc; s += NR) {
        real *p = dst + (size_t)s * kc;
        if (s + NR <= nc && !transB) {   /* a full strip of B: NR neighbours per k */
            for (int k = 0; k < kc; k++) memcpy(p + k * NR, B + (size_t)(k0 + k) * ldb + j0 + s, NR * sizeof(real));
        } else if (s + NR <= nc) {       /* a full strip of B^T: read NR rows of B along k */
            const real *src = B + (size_t)(j0 + s) * ldb + k0;
            if (have_avx2()) pack_bt_avx2(p, src, ldb, kc);
            else pack_bt_generic(p, src, ldb, kc);
        } else {
            for (int k = 0; k < kc; k++)
                for (int c = 0; c < NR; c++)
                    p[k * NR + c] = s + c < nc ? OPB(k0 + k, j0 + s + c) : R(0);
        }
    }
}

/* Where the micro-kernel reads op(A) and writes C. Element (r,k) of the A strip is
 * a[r*rsa + k*csa]; element (r,q) of the C tile is c[r*ldc + q]; only mr x nr of the MR x NR
 * tile exist (at the bottom and right edges). */
typedef struct {
    const real *a;
    int rsa, csa, ldc, mr, nr;
    real alpha, beta;   /* C = beta C + alpha acc; beta is 1 after the first slab of K */
    real *c;
} Tile;

/* C tile = beta C + alpha acc, for a tile computed into acc[MR][NR]. With beta 0, C is not read
 * (it may hold NaN); beta 1 needs no case of its own, since 1 * c is exactly c. */
static void tile_update(const Tile *t, const real *acc) {
    for (int r = 0; r < t->mr; r++)
        for (int q = 0; q < t->nr; q++) {
            real *c = t->c + (size_t)r * t->ldc + q, ab = t->alpha * acc[r * NR + q];
            *c = t->beta == R(0) ? ab : t->beta * *c + ab;
        }
}

/* The micro-kernel, portable version: acc[MR][NR] = sum_k a[:][k] (outer) b[k][:]. Rows past mr
 * read row mr-1 again (and are not written), so no row is read outside op(A). */
static void micro_generic(const Tile *t, const real *b, int kc) {
    real acc[MR][NR] = {{0}};
    const real *ar[MR];
    for (int r = 0; r < MR; r++) ar[r] = t->a + (size_t)(r < t->mr ? r : t->mr - 1) * t->rsa;
    for (int k = 0; k < kc; k++)
        for (int r = 0; r < MR; r++)
            for (int q = 0; q < NR; q++) acc[r][q] += ar[r][(size_t)k * t->csa] * b[k * NR + q];
    tile_update(t, &acc[0][0]);
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
#define VMUL _mm256_mul_pd
#define VADD _mm256_add_pd
#else
typedef __m256 vec;
#define VLOAD _mm256_loadu_ps
#define VSTORE _mm256_storeu_ps
#define VSET1 _mm256_set1_ps
#define VZERO _mm256_setzero_ps
#define VFMA _mm256_fmadd_ps
#define VMUL _mm256_mul_ps
#define VADD _mm256_add_ps
#endif
/* The same micro-kernel with AVX2 fused multiply-adds: 12 accumulators (6 rows x 2 vectors)
 * plus 2 B vectors and 1 broadcast A value fill 15 of the 16 ymm registers. The six rows of
 * the A strip are six pointers that advance together by csa. A whole tile of C is updated in
 * registers; the tiles at the edges go through memory. */
__attribute__((target("avx2,fma"))) static void micro_avx2(const Tile *t, const real *b, int kc) {
    /* @fold prefetches the tile of C when it will be added to: it arrives while the loop runs */
    if (t->beta != R(0))   /* ask for the tile of C now: it arrives while the loop below runs */
        for (int r = 0; r < t->mr; r++) {
            const real *c = t->c + (size_t)r * t->ldc;
            _mm_prefetch((const char *)c, _MM_HINT_T0);
            _mm_prefetch((const char *)(c + NR - 1), _MM_HINT_T0);
        }
    /* @end */
    vec c00 = VZERO(), c01 = VZERO(), c10 = VZERO(), c11 = VZERO(), c20 = VZERO(), c21 = VZERO();
    vec c30 = VZERO(), c31 = VZERO(), c40 = VZERO(), c41 = VZERO(), c50 = VZERO(), c51 = VZERO();
    /* @fold a0 ... a5: the six rows of the strip of A, rsa apart; rows past mr repeat the last one */
    size_t rs = (size_t)t->rsa, last = (size_t)t->mr - 1;
    const real *a0 = t->a, *a1 = a0 + (1 < last ? 1 : last) * rs, *a2 = a0 + (2 < last ? 2 : last) * rs,
               *a3 = a0 + (3 < last ? 3 : last) * rs, *a4 = a0 + (4 < last ? 4 : last) * rs,
               *a5 = a0 + (5 < last ? 5 : last) * rs;
    /* @end */
    size_t cs = (size_t)t->csa, o = 0;
    for (int k = 0; k < kc; k++, o += cs) {
        const real *bk = b + k * NR;
        vec b0 = VLOAD(bk), b1 = VLOAD(bk + VL), x;
        x = VSET1(a0[o]); c00 = VFMA(x, b0, c00); c01 = VFMA(x, b1, c01);
        x = VSET1(a1[o]); c10 = VFMA(x, b0, c10); c11 = VFMA(x, b1, c11);
        x = VSET1(a2[o]); c20 = VFMA(x, b0, c20); c21 = VFMA(x, b1, c21);
        x = VSET1(a3[o]); c30 = VFMA(x, b0, c30); c31 = VFMA(x, b1, c31);
        x = VSET1(a4[o]); c40 = VFMA(x, b0, c40); c41 = VFMA(x, b1, c41);
        x = VSET1(a5[o]); c50 = VFMA(x, b0, c50); c51 = VFMA(x, b1, c51);
    }
    /* @fold C tile = beta C + alpha c00 ... c51, from the registers (edge tiles: tile_update) */
    if (t->mr == MR && t->nr == NR) {   /* C[r][0:NR] = beta C[r][0:NR] + alpha acc[r] */
        vec al = VSET1(t->alpha), be = VSET1(t->beta);
        real *c = t->c;
        size_t ld = (size_t)t->ldc;
        if (t->beta == R(0)) {
#define ROW(r, v0, v1) VSTORE(c + r * ld, VMUL(al, v0)); VSTORE(c + r * ld + VL, VMUL(al, v1));
            ROW(0, c00, c01) ROW(1, c10, c11) ROW(2, c20, c21) ROW(3, c30, c31) ROW(4, c40, c41) ROW(5, c50, c51)
#undef ROW
        } else {
#define ROW(r, v0, v1)                                                                        \
            VSTORE(c + r * ld, VADD(VMUL(be, VLOAD(c + r * ld)), VMUL(al, v0)));              \
            VSTORE(c + r * ld + VL, VADD(VMUL(be, VLOAD(c + r * ld + VL)), VMUL(al, v1)));
            ROW(0, c00, c01) ROW(1, c10, c11) ROW(2, c20, c21) ROW(3, c30, c31) ROW(4, c40, c41) ROW(5, c50, c51)
#undef ROW
        }
        return;
    }
    real acc[MR * NR] __attribute__((aligned(32)));
    VSTORE(acc + 0 * NR, c00); VSTORE(acc + 0 * NR + VL, c01);
    VSTORE(acc + 1 * NR, c10); VSTORE(acc + 1 * NR + VL, c11);
    VSTORE(acc + 2 * NR, c20); VSTORE(acc + 2 * NR + VL, c21);
    VSTORE(acc + 3 * NR, c30); VSTORE(acc + 3 * NR + VL, c31);
    VSTORE(acc + 4 * NR, c40); VSTORE(acc + 4 * NR + VL, c41);
    VSTORE(acc + 5 * NR, c50); VSTORE(acc + 5 * NR + VL, c51);
    tile_update(t, acc);
    /* @end */
}
#else
static void micro_avx2(const Tile *t, const real *b, int kc) { micro_generic(t, b, kc); }
#endif

const char *gemm_own_isa(void) { return have_avx2() ? "avx2+fma" : "generic"; }

/* A product, or a slice of one: C = beta C + alpha op(A) op(B), where element (i,k) of op(A) is
 * A[i*rsa + k*csa]. */
typedef struct {
    bool transB;
    int M, N, K, rsa, csa, ldb, ldc;
    real alpha, beta;
    const real *A, *B;
    real *C;
} OwnJob;

/* `packed`, when not NULL, holds all of op(B) already packed, slab after slab of K (N <= NC). */
static void own_serial(const OwnJob *g, const real *packed) {
    void (*micro)(const Tile *, const real *, int) = have_avx2() ? micro_avx2 : micro_generic;
    for (int j0 = 0; j0 < g->N; j0 += NC) {
        int nc = g->N - j0 < NC ? g->N - j0 : NC;
        for (int k0 = 0; k0 < g->K; k0 += KC) {
            int kc = g->K - k0 < KC ? g->K - k0 : KC;
            const real *pb = packed ? packed + (size_t)k0 * ((nc + NR - 1) / NR * NR) : packB;
            if (!packed) pack_b(packB, g->transB, g->B, g->ldb, k0, kc, j0, nc);
            for (int i0 = 0; i0 < g->M; i0 += MC) {
                int mc = g->M - i0 < MC ? g->M - i0 : MC;
                const real *a = g->A + (size_t)i0 * g->rsa + (size_t)k0 * g->csa;
                int rsa = g->rsa, csa = g->csa;
                size_t strip = (size_t)rsa;   /* from one strip of MR rows of A to the next, per row */
                if (g->rsa == 1 && g->csa > 1) {   /* a transposed A: pack it */
                    pack_at(g->A, g->csa, i0, mc, k0, kc);
                    a = packA, rsa = 1, csa = MR, strip = (size_t)kc;
                }
                for (int js = 0; js < nc; js += NR) {
                    for (int is = 0; is < mc; is += MR) {
                        int i = i0 + is, j = j0 + js;
                        Tile t = {a + is * strip, rsa, csa, g->ldc, mc - is < MR ? mc - is : MR,
                                  nc - js < NR ? nc - js : NR, g->alpha, k0 == 0 ? g->beta : R(1),
                                  g->C + (size_t)i * g->ldc + j};
                        micro(&t, pb + (size_t)js * kc, kc);
                    }
                }
            }
        }
    }
}

/** ### Threads
 * With threads, C is cut into chunks, a few per thread, and each thread takes the next chunk left
 * (`parallel_chunks`). When op(B) is small enough to stay in the L2 cache once packed — most
 * products of a training step at batch 64 — both threads first pack it once, and the chunks are
 * rows of C that share it; a transposed A is packed chunk by chunk, each chunk its own rows.
 * Otherwise the chunks are columns, a whole number of strips wide, and each thread packs its own
 * part of op(B). Every element of C sees the same operations in the same order whichever
 * thread computes it, so the result is identical to the bit. The chunks run on helper threads
 * that are started once and kept (parallel.h): handing them work costs microseconds where
 * starting threads costs tens, so products from 2^21 flops up — a training batch of 64 through a
 * 784 x 256 layer is 2^24.6 — are split. */

enum { SHARED = 64 * 1024 };   /* a shared packed op(B): 256 kB (512 kB in double), half an L2 */
static real shared_b[SHARED] __attribute__((aligned(64)));
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct {
    OwnJob whole;
    int size;             /* columns (or rows) per chunk, a multiple of NR (or MR) */
    const real *packed;   /* rows: op(B), packed */
} OwnChunks;

static void own_chunk(void *ctx, int k) {
    const OwnChunks *oc = ctx;
    OwnJob g = oc->whole;
    int at = k * oc->size;
    if (oc->packed) {
        g.M = g.M - at < oc->size ? g.M - at : oc->size;
        g.A += (size_t)at * g.rsa;
        g.C += (size_t)at * g.ldc;
    } else {
        g.N = g.N - at < oc->size ? g.N - at : oc->size;
        g.B = g.transB ? g.B + (size_t)at * g.ldb : g.B + at;   /* op(B)[:, at:at+N] */
        g.C += at;
    }
    own_serial(&g, oc->packed);
}

/* Chunk k of packing op(B) into shared_b: columns k*NR to k*NR+NR-1, every slab of K. */
static void pack_chunk(void *ctx, int k) {
    const OwnChunks *oc = ctx;
    const OwnJob *g = &oc->whole;
    int strips = (g->N + NR - 1) / NR, j = k * NR, nc = g->N - j < NR ? g->N - j : NR;
    for (int k0 = 0; k0 < g->K; k0 += KC) {
        int kc = g->K - k0 < KC ? g->K - k0 : KC;
        pack_b(shared_b + (size_t)k0 * strips * NR + (size_t)j * kc, g->transB, g->B, g->ldb, k0, kc, j, nc);
    }
}

void gemm_own(bool transA, bool transB, int M, int N, int K, real alpha, const real *A, int lda,
              const real *B, int ldb, real beta, real *C, int ldc) {
    check_args(transA, transB, M, N, K, lda, ldb, ldc);
    if (M == 0 || N == 0) return;
    if (K == 0 || alpha == R(0)) {
        scale_c(M, N, beta, C, ldc);
        return;
    }
    OwnJob g = {transB, M, N, K, transA ? 1 : lda, transA ? lda : 1, ldb, ldc, alpha, beta, A, B, C};
    int T = threads_own(), strips = (g.N + NR - 1) / NR, rows = (g.M + MR - 1) / MR;
    if (2.0 * M * N * K < (double)(1 << 21)) T = 1;
    if (T == 1) {
        own_serial(&g, NULL);
        return;
    }
    int want = 4 * T;   /* chunks */
    if (rows >= want && N <= NC && (size_t)K * strips * NR <= SHARED &&   /* op(B), packed, fits in L2 */
        pthread_mutex_trylock(&shared_lock) == 0) {
        OwnChunks pc = {g, NR, shared_b};   /* first the packing, a strip per chunk */
        parallel_chunks(strips, T, pack_chunk, &pc);
        int per = (rows + want - 1) / want;
        OwnChunks oc = {g, per * MR, shared_b};
        parallel_chunks((rows + per - 1) / per, T, own_chunk, &oc);
        pthread_mutex_unlock(&shared_lock);
        return;
    }
    int chunks = strips < want ? strips : want, per = (strips + chunks - 1) / chunks;
    OwnChunks oc = {g, per * NR, NULL};
    parallel_chunks((strips + per - 1) / per, T, own_chunk, &oc);
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
static atomic_int chosen = GEMM_BLAS;
static pthread_once_t backend_once = PTHREAD_ONCE_INIT;

const char *gemm_backend_name(GemmBackend b) {
    return b >= 0 && b < GEMM_NBACKENDS ? backend_names[b] : "?";
}

bool gemm_backend_parse(const char *name, GemmBackend *out) {
    for (int b = 0; b < GEMM_NBACKENDS; b++)
        if (strcmp(name, backend_names[b]) == 0) { *out = (GemmBackend)b; return true; }
    return false;
}

/* NN_GEMM is read once, on first use, whichever thread gets there first (pthread_once). */
static void read_backend(void) {
    const char *env = getenv("NN_GEMM");
    GemmBackend b = GEMM_BLAS;
    if (env && *env && !gemm_backend_parse(env, &b)) {
        fprintf(stderr, "NN_GEMM=%s is not a GEMM backend: use naive, own or blas.\n", env);
        exit(2);
    }
    atomic_store(&chosen, (int)b);
}

GemmBackend gemm_backend(void) {
    pthread_once(&backend_once, read_backend);
    return (GemmBackend)atomic_load(&chosen);
}

void gemm_set_backend(GemmBackend b) {
    CHECK(b >= 0 && b < GEMM_NBACKENDS, "no backend %d", (int)b);
    pthread_once(&backend_once, read_backend);   /* so that a later first use cannot overwrite it */
    atomic_store(&chosen, (int)b);
}

void gemm(bool transA, bool transB, int M, int N, int K, real alpha, const real *A, int lda,
          const real *B, int ldb, real beta, real *C, int ldc) {
    switch (gemm_backend()) {
    case GEMM_NAIVE: gemm_naive(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
    case GEMM_OWN: gemm_own(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
    default: gemm_blas(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
    }
}
