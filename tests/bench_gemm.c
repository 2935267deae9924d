/** # bench_gemm — GFLOP/s of the three GEMM backends
 *
 * `build/bin/bench_gemm [n] [repeats]` times `C = A B` for square n x n matrices (default 512)
 * with each backend, on one thread and on two (naive has none), and prints the best of `repeats`
 * runs. `build/bin/bench_gemm mlp [repeats] [cold]` times instead the eight products of one training
 * step of Lab 08's 784-256-128-10 net at batch 64, each in the layout `linear.c` calls it with.
 * With `cold`, a 16 MiB buffer is written before each product, so that its operands start out of
 * the private caches, as they do in a training step. Speed is measured here and in `make bench`, never in unit tests.
 */
#include "gemm.h"
#include "rng.h"
#include "threads.h"

#include <string.h>

typedef struct {
    const char *name;
    bool ta, tb;
    int M, N, K;
} Shape;

/* The fastest of `repeats` timed products of one shape, in seconds. A product takes microseconds,
 * so the fastest is one no other process interrupted. */
static char *flush_buf;   /* when set, 16 MiB written before each product: its operands start in L3 or memory */
enum { FLUSH_BYTES = 16 << 20 };

static double time_shape(const Shape *s, int repeats, const real *A, const real *B, real *C) {
    int lda = s->ta ? s->M : s->K, ldb = s->tb ? s->K : s->N;
    double best = 1e30;
    for (int r = 0; r < repeats; r++) {
        if (flush_buf) memset(flush_buf, r, FLUSH_BYTES);
        double t0 = nn_seconds();
        gemm(s->ta, s->tb, s->M, s->N, s->K, 1, A, lda, B, ldb, 0, C, s->N);
        double t = nn_seconds() - t0;
        if (t < best) best = t;
    }
    return best;
}

static real *random_matrix(size_t n, Rng *rng) {
    real *x = nn_calloc(n, sizeof(real));
    for (size_t i = 0; i < n; i++) x[i] = (real)rng_normal(rng);
    return x;
}

/* The products of one step at batch 64: forward y = x W^T, backward dx = dy W and dW = dy^T x. */
static int bench_mlp(int repeats) {
    static const Shape shapes[] = {
        {"L1 forward  x W^T", false, true, 64, 256, 784},  {"L1 dW  dy^T x", true, false, 256, 784, 64},
        {"L2 forward  x W^T", false, true, 64, 128, 256},  {"L2 dx  dy W", false, false, 64, 256, 128},
        {"L2 dW  dy^T x", true, false, 128, 256, 64},      {"L3 forward  x W^T", false, true, 64, 10, 128},
        {"L3 dx  dy W", false, false, 64, 128, 10},        {"L3 dW  dy^T x", true, false, 10, 128, 64},
    };
    enum { NS = sizeof shapes / sizeof shapes[0] };
    Rng rng;
    rng_init(&rng, 1);
    real *A = random_matrix(784 * 256, &rng), *B = random_matrix(784 * 256, &rng), *C = random_matrix(784 * 256, &rng);
    printf("The products of one training step, 784-256-128-10 at batch 64 (%s, best of %d; own kernel: %s)\n",
           REAL_NAME, repeats, gemm_own_isa());
    printf("  %-20s %-13s", "product", "M x N x K");
    for (int threads = 1; threads <= 2; threads++)
        for (int b = GEMM_OWN; b < GEMM_NBACKENDS; b++) printf(" %4s/%dt us GF/s", gemm_backend_name((GemmBackend)b), threads);
    printf("\n");
    double total[2][GEMM_NBACKENDS] = {{0}};
    for (int i = 0; i < NS; i++) {
        char dims[32];
        snprintf(dims, sizeof dims, "%dx%dx%d", shapes[i].M, shapes[i].N, shapes[i].K);
        printf("  %-20s %-13s", shapes[i].name, dims);
        for (int threads = 1; threads <= 2; threads++) {
            threads_set(threads);
            for (int b = GEMM_OWN; b < GEMM_NBACKENDS; b++) {
                gemm_set_backend((GemmBackend)b);
                double t = time_shape(&shapes[i], repeats, A, B, C);
                total[threads - 1][b] += t;
                printf(" %10.1f %5.1f", 1e6 * t, 2.0 * shapes[i].M * shapes[i].N * shapes[i].K / t * 1e-9);
            }
        }
        printf("\n");
    }
    printf("  %-34s", "one step (L1 dx is not needed)");
    for (int threads = 1; threads <= 2; threads++)
        for (int b = GEMM_OWN; b < GEMM_NBACKENDS; b++) printf(" %10.1f %5s", 1e6 * total[threads - 1][b], "");
    printf("\n");
    free(A), free(B), free(C);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "mlp")) {
        int repeats = argc > 2 ? atoi(argv[2]) : 500;
        if (repeats < 1 || argc > 4 || (argc == 4 && strcmp(argv[3], "cold") != 0)) {
            fprintf(stderr, "usage: bench_gemm mlp [repeats >= 1] [cold]\n");
            return 2;
        }
        if (argc == 4) flush_buf = nn_calloc(FLUSH_BYTES, 1);
        return bench_mlp(repeats);
    }
    int n = argc > 1 ? atoi(argv[1]) : 512, repeats = argc > 2 ? atoi(argv[2]) : 5;
    if (n < 1 || n > 8192 || repeats < 1) {
        fprintf(stderr, "usage: bench_gemm [n in 1..8192] [repeats >= 1]   or   bench_gemm mlp [repeats] [cold]\n");
        return 2;
    }
    size_t nn = (size_t)n * n;
    Rng rng;
    rng_init(&rng, 1);
    real *A = random_matrix(nn, &rng), *B = random_matrix(nn, &rng), *C = nn_calloc(nn, sizeof(real));
    printf("GEMM %d x %d x %d (%s, best of %d; own kernel: %s)\n", n, n, n, REAL_NAME, repeats, gemm_own_isa());
    for (int threads = 1; threads <= 2; threads++) {
        threads_set(threads);
        for (int b = 0; b < GEMM_NBACKENDS; b++) {
            if (b == GEMM_NAIVE && threads > 1) continue;   /* the naive loop has no threads */
            gemm_set_backend((GemmBackend)b);
            int reps = b == GEMM_NAIVE && n > 512 ? 1 : repeats;
            double best = 1e30;
            for (int r = 0; r < reps; r++) {
                double t0 = nn_seconds();
                gemm(false, false, n, n, n, 1, A, n, B, n, 0, C, n);
                double t = nn_seconds() - t0;
                if (t < best) best = t;
            }
            printf("  %-6s %d thread%s %8.3f ms  %7.2f GFLOP/s\n", gemm_backend_name((GemmBackend)b), threads,
                   threads > 1 ? "s" : " ", 1e3 * best, 2.0 * n * n * (double)n / best * 1e-9);
        }
    }
    free(A), free(B), free(C);
    return 0;
}
