/** # race_parallel — the threaded code under ThreadSanitizer (`make race`)
 *
 * parallel.c hands chunks of work to helper threads that live from one call to the next; the own
 * GEMM, Adam's update, zero_grad and dataset_batch split their work with it, and parallel_run
 * trains whole networks side by side. A data race there shows as a wrong result only now and
 * then, on a busy machine. ThreadSanitizer reports it whenever the racing accesses happen, even
 * when the result comes out right. Criterion cannot start under ThreadSanitizer, so this is a
 * plain program. It drives each threaded path, with thread counts that change between calls (so
 * helpers sit idle and new ones start), and checks every result against its one-thread twin
 * bit for bit. On a wrong result it says which and exits 1; on a race ThreadSanitizer makes the exit
 * non-zero itself.
 */
#include "data.h"
#include "gemm.h"
#include "net.h"
#include "parallel.h"
#include "rng.h"
#include "train.h"
#include "threads.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks;

static void expect(bool ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "race_parallel: %s.\n", what);
        exit(1);
    }
    checks++;
}

/* ## 1. Chunks, with the number of parts changing from call to call */
typedef struct {
    _Atomic int finished[8];
} Finished;

static void finish_chunk(void *ctx, int k) {
    Finished *f = ctx;
    atomic_fetch_add(&f->finished[k], 1);
}

static void chunks(void) {
    const int parts[] = {3, 2, 4, 2, 3, 1, 4};
    for (int it = 0; it < 2000; it++) {
        int p = parts[it % 7], n = it % 3 == 0 ? p : 7;
        Finished f = {0};
        parallel_chunks(n, p, finish_chunk, &f);
        bool ok = true;
        for (int k = 0; k < 8; k++) ok &= atomic_load(&f.finished[k]) == (k < n);
        expect(ok, "a call to parallel_chunks returned before every chunk had run exactly once");
    }
}

/* ## 2. The own GEMM on 1, 2 and 3 threads: by columns, and by rows after packing op(B) once */
static void gemms(void) {
    const int shapes[][3] = {{200, 333, 300}, {256, 784, 64}, {97, 130, 250}, {50, 2000, 30}};
    Rng rng;
    rng_init(&rng, 5);
    for (int s = 0; s < 4; s++)
        for (int t = 0; t < 4; t++) {
            bool ta = t & 1, tb = t & 2;
            int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
            size_t na = (size_t)M * K, nb = (size_t)K * N, nc = (size_t)M * N;
            real *A = nn_calloc(na, sizeof(real)), *B = nn_calloc(nb, sizeof(real)), *C[3];
            for (size_t i = 0; i < na; i++) A[i] = (real)rng_normal(&rng);
            for (size_t i = 0; i < nb; i++) B[i] = (real)rng_normal(&rng);
            for (int th = 0; th < 3; th++) {
                C[th] = nn_calloc(nc, sizeof(real));
                threads_set(th + 1);
                gemm_own(ta, tb, M, N, K, 1, A, ta ? M : K, B, tb ? K : N, 0, C[th], N);
            }
            expect(memcmp(C[0], C[1], nc * sizeof(real)) == 0, "the own GEMM on 2 threads differs from one thread's");
            expect(memcmp(C[0], C[2], nc * sizeof(real)) == 0, "the own GEMM on 3 threads differs from one thread's");
            free(A), free(B), free(C[0]), free(C[1]), free(C[2]);
        }
    threads_set(1);
}

/* ## 3. Training steps with every split on: GEMM, batch, zero_grad, Adam (200k parameters) */
static void train_weights(Subset *tr, int threads, real *w, size_t n) {
    threads_set(threads);
    Rng rng;
    rng_init(&rng, 11);
    Net net;
    net_mlp(&net, "784-256-10", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), init_make(INIT_XAVIER_UNIFORM), 64,
            &rng);
    TrainBuffers b;
    trainbuf_init(&b, 64, 784, 10);
    train_steps(&net, tr, optim_defaults(OPT_ADAM), 12, 64, &b, &rng);
    memcpy(w, net.layers[0].linear.W, n * sizeof(real));
    trainbuf_free(&b);
    net_free(&net);
    threads_set(1);
}

/* ## 4. Whole trainings side by side (parallel_run), each on one thread */
typedef struct {
    Subset *tr;
    TrainBuffers b[2];
    real w[4][16 * 8];
} Runs;

static void run_job(void *ctx, int job, int worker) {
    Runs *r = ctx;
    Rng rng;
    rng_init(&rng, 100 + (uint64_t)job);
    Net net;
    net_mlp(&net, "16-8-4", act_make(ACT_TANH), init_make(INIT_XAVIER_NORMAL), init_make(INIT_XAVIER_UNIFORM), 32,
            &rng);
    train_steps(&net, r->tr, optim_defaults(OPT_SGD), 20, 32, &r->b[worker], &rng);
    memcpy(r->w[job], net.layers[0].linear.W, sizeof r->w[job]);
    net_free(&net);
}

int main(void) {
    gemm_set_backend(GEMM_OWN);
    chunks();
    gemms();

    Rng rng;
    rng_init(&rng, 3);
    Dataset big, small;
    synth_blobs(&big, 256, 10, 784, 1.0, &rng);
    synth_blobs(&small, 128, 4, 16, 1.0, &rng);
    Subset tr = subset_all(&big), tr_small = subset_all(&small);
    enum { W = 784 * 256 };
    real *w1 = nn_calloc(W, sizeof(real)), *w3 = nn_calloc(W, sizeof(real));
    train_weights(&tr, 1, w1, W);
    train_weights(&tr, 3, w3, W);
    expect(memcmp(w1, w3, W * sizeof(real)) == 0, "training on 3 threads gave other weights than on one");
    free(w1), free(w3);

    static Runs one, two;
    one.tr = two.tr = &tr_small;
    for (int k = 0; k < 2; k++) trainbuf_init(&one.b[k], 32, 16, 4), trainbuf_init(&two.b[k], 32, 16, 4);
    parallel_run(4, 1, run_job, &one, "one worker");
    parallel_run(4, 2, run_job, &two, "two workers");
    expect(memcmp(one.w, two.w, sizeof one.w) == 0, "parallel_run on 2 workers gave other weights than on one");
    for (int k = 0; k < 2; k++) trainbuf_free(&one.b[k]), trainbuf_free(&two.b[k]);

    subset_free(&tr), subset_free(&tr_small);
    dataset_free(&big), dataset_free(&small);
    printf("race_parallel: %d results equal their one-thread twins\n", checks);
    return 0;
}
