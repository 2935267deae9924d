/** Tests of gemm.c: the three backends agree with each other and with a hand computation. */
#include "check.h"

#include <criterion/parameterized.h>

typedef void GemmFn(bool, bool, int, int, int, real, const real *, int, const real *, int, real,
                    real *, int);

Test(gemm, hand_computed_2x2) {
    /* [1 2; 3 4] [5 6; 7 8] = [19 22; 43 50] */
    const real A[] = {1, 2, 3, 4}, B[] = {5, 6, 7, 8};
    GemmFn *fns[] = {gemm_naive, gemm_own, gemm_blas};
    for (int f = 0; f < 3; f++) {
        real C[4] = {0};
        fns[f](false, false, 2, 2, 2, 1, A, 2, B, 2, 0, C, 2);
        cr_assert(C[0] == 19 && C[1] == 22 && C[2] == 43 && C[3] == 50, "backend %d", f);
        /* A^T B = [1 3; 2 4][5 6; 7 8] = [26 30; 38 44] */
        fns[f](true, false, 2, 2, 2, 1, A, 2, B, 2, 0, C, 2);
        cr_assert(C[0] == 26 && C[1] == 30 && C[2] == 38 && C[3] == 44, "backend %d, A^T", f);
    }
}

typedef struct {
    int M, N, K;
} Shape;

ParameterizedTestParameters(gemm, backends_agree) {
    static Shape shapes[] = {{1, 1, 1},    {1, 7, 3},     {7, 1, 5},     {63, 65, 7},
                             {65, 63, 257}, {257, 7, 65}, {1, 257, 63}, {100, 300, 513},
                             {7, 4097, 3}, {33, 17, 1}};
    return cr_make_param_array(Shape, shapes, sizeof shapes / sizeof shapes[0]);
}

/* For each shape, every transpose combination, alpha and beta not 0 or 1, padded leading
 * dimensions: own and blas must match naive. The scale of the error grows like sqrt(K). */
ParameterizedTest(Shape *s, gemm, backends_agree) {
    Rng rng;
    rng_init(&rng, (uint64_t)(s->M * 10007 + s->N * 101 + s->K));
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            int lda = (ta ? s->M : s->K) + 3, ldb = (tb ? s->K : s->N) + 1, ldc = s->N + 2;
            size_t na = (size_t)(ta ? s->K : s->M) * lda, nb = (size_t)(tb ? s->N : s->K) * ldb;
            size_t nc = (size_t)s->M * ldc;
            real *A = nn_calloc(na, sizeof(real)), *B = nn_calloc(nb, sizeof(real));
            real *C0 = nn_calloc(nc, sizeof(real)), *C1 = nn_calloc(nc, sizeof(real)),
                 *C2 = nn_calloc(nc, sizeof(real));
            for (size_t i = 0; i < na; i++) A[i] = (real)rng_normal(&rng);
            for (size_t i = 0; i < nb; i++) B[i] = (real)rng_normal(&rng);
            for (size_t i = 0; i < nc; i++) C0[i] = C1[i] = C2[i] = (real)rng_normal(&rng);
            gemm_naive(ta, tb, s->M, s->N, s->K, R(0.7), A, lda, B, ldb, R(-0.3), C0, ldc);
            gemm_own(ta, tb, s->M, s->N, s->K, R(0.7), A, lda, B, ldb, R(-0.3), C1, ldc);
            gemm_blas(ta, tb, s->M, s->N, s->K, R(0.7), A, lda, B, ldb, R(-0.3), C2, ldc);
            double tol = (sizeof(real) == 4 ? 1e-5 : 1e-13) * sqrt((double)s->K) * 4;
            for (int i = 0; i < s->M; i++)
                for (int j = 0; j < ldc; j++) {
                    size_t k = (size_t)i * ldc + j;
                    cr_assert(fabs(C1[k] - C0[k]) <= tol * (1 + fabs(C0[k])),
                              "own vs naive, %dx%dx%d ta=%d tb=%d at (%d,%d): %g vs %g", s->M, s->N,
                              s->K, ta, tb, i, j, (double)C1[k], (double)C0[k]);
                    cr_assert(fabs(C2[k] - C0[k]) <= tol * (1 + fabs(C0[k])),
                              "blas vs naive, %dx%dx%d ta=%d tb=%d at (%d,%d): %g vs %g", s->M,
                              s->N, s->K, ta, tb, i, j, (double)C2[k], (double)C0[k]);
                }
            free(A), free(B), free(C0), free(C1), free(C2);
        }
}

Test(gemm, beta_zero_ignores_nan_in_c) {
    const real A[] = {1, 2}, B[] = {3, 4};
    GemmFn *fns[] = {gemm_naive, gemm_own, gemm_blas};
    for (int f = 0; f < 3; f++) {
        real C[1] = {NAN};
        fns[f](false, false, 1, 1, 2, 1, A, 2, B, 1, 0, C, 1);
        cr_assert(C[0] == 11, "backend %d gave %g", f, (double)C[0]);
    }
}

Test(gemm, beta_one_accumulates) {
    const real A[] = {1, 2}, B[] = {3, 4};
    GemmFn *fns[] = {gemm_naive, gemm_own, gemm_blas};
    for (int f = 0; f < 3; f++) {
        real C[1] = {100};
        fns[f](false, false, 1, 1, 2, 2, A, 2, B, 1, 1, C, 1);
        cr_assert(C[0] == 122, "backend %d gave %g", f, (double)C[0]);
    }
}

Test(gemm, k_zero_scales_c) {
    GemmFn *fns[] = {gemm_naive, gemm_own, gemm_blas};
    const real A[1] = {0}, B[1] = {0};
    for (int f = 0; f < 3; f++) {
        real C[2] = {4, 6};
        fns[f](false, false, 1, 2, 0, 1, A, 1, B, 2, R(0.5), C, 2);
        cr_assert(C[0] == 2 && C[1] == 3, "backend %d", f);
    }
}

Test(gemm, backend_names_round_trip) {
    for (int b = 0; b < GEMM_NBACKENDS; b++) {
        GemmBackend out;
        cr_assert(gemm_backend_parse(gemm_backend_name((GemmBackend)b), &out));
        cr_assert(eq(int, (int)out, b));
    }
    GemmBackend out;
    cr_assert(not(gemm_backend_parse("cuda", &out)));
}

Test(gemm, dispatch_uses_the_chosen_backend) {
    /* The entry point must give the same answer whichever backend is set. */
    const real A[] = {1, 2, 3, 4, 5, 6}, B[] = {1, 0, 2, 1, 0, 3};   /* [2,3] x [3,2] */
    real ref[4], C[4];
    gemm_naive(false, false, 2, 2, 3, 1, A, 3, B, 2, 0, ref, 2);
    for (int b = 0; b < GEMM_NBACKENDS; b++) {
        gemm_set_backend((GemmBackend)b);
        cr_assert(eq(int, (int)gemm_backend(), b));
        gemm(false, false, 2, 2, 3, 1, A, 3, B, 2, 0, C, 2);
        for (int i = 0; i < 4; i++) cr_assert(C[i] == ref[i]);
    }
}

Test(gemm, bad_env_backend_exits_2, .exit_code = 2) {
    setenv("NN_GEMM", "gpu", 1);
    gemm_backend();
}

/* The own kernel on several threads cuts C into chunks of columns, or of rows after packing op(B)
 * once; every element sees the same operations in the same order, so the result must equal the
 * one-thread result bit for bit (and so match naive as closely). Shapes big enough to be split
 * (at least 2^21 flops), with ragged edges, that take both paths: columns for the first three,
 * rows for {256, 784, 64} (a weight gradient at batch 64) and {97, 130, 250}; {50, 2000, 30} is
 * small enough to share but wider than one panel (NC), so it must take columns. */
Test(gemm, own_threads_give_the_one_thread_result_exactly) {
    const Shape shapes[] = {{200, 333, 300}, {97, 1031, 257}, {300, 70, 900}, {256, 784, 64}, {97, 130, 250}, {50, 2000, 30}};
    Rng rng;
    rng_init(&rng, 77);
    for (int k = 0; k < 6; k++)
        for (int ta = 0; ta < 2; ta++)
            for (int tb = 0; tb < 2; tb++) {
                Shape s = shapes[k];
                int lda = (ta ? s.M : s.K) + 1, ldb = (tb ? s.K : s.N) + 2, ldc = s.N + 3;
                size_t na = (size_t)(ta ? s.K : s.M) * lda, nb = (size_t)(tb ? s.N : s.K) * ldb, nc = (size_t)s.M * ldc;
                real *A = nn_calloc(na, sizeof(real)), *B = nn_calloc(nb, sizeof(real));
                real *C1 = nn_calloc(nc, sizeof(real)), *C2 = nn_calloc(nc, sizeof(real)), *C3 = nn_calloc(nc, sizeof(real));
                for (size_t i = 0; i < na; i++) A[i] = (real)rng_normal(&rng);
                for (size_t i = 0; i < nb; i++) B[i] = (real)rng_normal(&rng);
                for (size_t i = 0; i < nc; i++) C1[i] = C2[i] = C3[i] = (real)rng_normal(&rng);
                threads_set(1);
                gemm_own(ta, tb, s.M, s.N, s.K, R(0.5), A, lda, B, ldb, R(2), C1, ldc);
                threads_set(2);
                gemm_own(ta, tb, s.M, s.N, s.K, R(0.5), A, lda, B, ldb, R(2), C2, ldc);
                threads_set(3);
                gemm_own(ta, tb, s.M, s.N, s.K, R(0.5), A, lda, B, ldb, R(2), C3, ldc);
                threads_set(1);
                cr_assert(memcmp(C1, C2, nc * sizeof(real)) == 0, "2 threads, %dx%dx%d ta=%d tb=%d", s.M, s.N, s.K, ta, tb);
                cr_assert(memcmp(C1, C3, nc * sizeof(real)) == 0, "3 threads, %dx%dx%d ta=%d tb=%d", s.M, s.N, s.K, ta, tb);
                free(A), free(B), free(C1), free(C2), free(C3);
            }
}
