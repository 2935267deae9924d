/** # bench_gemm — GFLOP/s of the three GEMM backends
 *
 * `build/bin/bench_gemm [n] [repeats]` times `C = A B` for square n x n matrices (default 512)
 * with each backend, on one thread and on two (naive has none), and prints the best of `repeats`
 * runs. Speed is measured here and in `make bench`, never in unit tests.
 */
#include "gemm.h"
#include "rng.h"

#include <string.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 512, repeats = argc > 2 ? atoi(argv[2]) : 5;
    if (n < 1 || n > 8192 || repeats < 1) {
        fprintf(stderr, "usage: bench_gemm [n in 1..8192] [repeats >= 1]\n");
        return 2;
    }
    size_t nn = (size_t)n * n;
    real *A = nn_calloc(nn, sizeof(real)), *B = nn_calloc(nn, sizeof(real)),
         *C = nn_calloc(nn, sizeof(real));
    Rng rng;
    rng_init(&rng, 1);
    for (size_t i = 0; i < nn; i++) A[i] = (real)rng_normal(&rng), B[i] = (real)rng_normal(&rng);
    printf("GEMM %d x %d x %d (%s, best of %d; own kernel: %s)\n", n, n, n, REAL_NAME, repeats, gemm_own_isa());
    for (int threads = 1; threads <= 2; threads++) {
        gemm_set_threads(threads);
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
