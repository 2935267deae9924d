/** Tests of parallel.c: every job runs once, and the results do not depend on the worker count. */
#include "check.h"

#include <stdatomic.h>

#include "gemm.h"
#include "parallel.h"
#include "train.h"

typedef struct {
    int runs[100];
    int worker_seen[8];
} Count;

static void count_job(void *ctx, int job, int worker) {
    Count *c = ctx;
    __atomic_fetch_add(&c->runs[job], 1, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&c->worker_seen[worker], 1, __ATOMIC_SEQ_CST);
}

Test(parallel, every_job_runs_exactly_once) {
    for (int workers = 1; workers <= 4; workers++) {
        Count c = {0};
        parallel_run(100, workers, count_job, &c, "count");
        int total = 0;
        for (int j = 0; j < 100; j++) cr_assert(eq(int, c.runs[j], 1), "job %d ran %d times", j, c.runs[j]);
        for (int w = 0; w < 8; w++) total += c.worker_seen[w];
        cr_assert(eq(int, total, 100));
        for (int w = workers; w < 8; w++) cr_assert(eq(int, c.worker_seen[w], 0), "no worker %d", w);
    }
}

Test(parallel, no_jobs_is_fine) {
    Count c = {0};
    parallel_run(0, 2, count_job, &c, "nothing");
    cr_assert(eq(int, c.worker_seen[0], 0));
}

/* parallel_chunks hands out every chunk exactly once, whatever the number of threads and chunks. */
typedef struct {
    int runs[200];
} Chunked;

static void count_chunk(void *ctx, int k) {
    Chunked *c = ctx;
    __atomic_fetch_add(&c->runs[k], 1, __ATOMIC_SEQ_CST);
}

Test(parallel, every_chunk_runs_exactly_once) {
    const int counts[] = {0, 1, 2, 7, 200};
    for (int parts = 1; parts <= 4; parts++)
        for (int i = 0; i < 5; i++) {
            Chunked c = {0};
            parallel_chunks(counts[i], parts, count_chunk, &c);
            for (int k = 0; k < 200; k++)
                cr_assert(eq(int, c.runs[k], k < counts[i]), "%d parts, %d chunks: chunk %d ran %d times", parts,
                          counts[i], k, c.runs[k]);
        }
}

/* A chunk that itself splits finds the helpers busy: its own chunks then run on its thread. */
static void nested_chunk(void *ctx, int k) {
    Chunked *c = ctx;
    Chunked inner = {0};
    parallel_chunks(10, 2, count_chunk, &inner);
    int total = 0;
    for (int j = 0; j < 10; j++) total += inner.runs[j] == 1;
    if (total == 10) __atomic_fetch_add(&c->runs[k], 1, __ATOMIC_SEQ_CST);
}

Test(parallel, nested_chunks_still_run_every_chunk) {
    Chunked c = {0};
    parallel_chunks(6, 2, nested_chunk, &c);
    for (int k = 0; k < 6; k++) cr_assert(eq(int, c.runs[k], 1), "chunk %d", k);
}

/* Calls with fewer parts than there are helpers leave some helpers idle; the next call with more
 * parts must still wait for every chunk. Each chunk records that it finished; on return all must
 * have, exactly once. (An idle helper slow to wake could read the next call's parts, run its part
 * and report it done twice, and the caller could then return early. ThreadSanitizer found that
 * race; a race shows here only sometimes, so this tries many alternations.) */
typedef struct {
    _Atomic int finished[8];
} Finished;

static void finish_chunk(void *ctx, int k) {
    Finished *f = ctx;
    volatile double s = 0;
    for (int i = 0; i < 200 * (k + 1); i++) s += i;   /* chunks of unequal length */
    atomic_fetch_add(&f->finished[k], 1);
}

Test(parallel, every_call_waits_for_its_chunks_when_helpers_sit_idle) {
    const int parts[] = {3, 2, 4, 2, 3, 1, 4};
    for (int it = 0; it < 3000; it++) {
        int p = parts[it % 7], chunks = it % 3 == 0 ? p : 7;
        Finished f = {0};
        parallel_chunks(chunks, p, finish_chunk, &f);
        for (int k = 0; k < 8; k++)
            cr_assert(eq(int, atomic_load(&f.finished[k]), k < chunks),
                      "call %d (%d parts, %d chunks): chunk %d finished %d times", it, p, chunks, k,
                      atomic_load(&f.finished[k]));
    }
}

/* Each job trains a small net on blobs from its own seed: the weights must come out bit for bit
 * the same with one worker or three (GEMM included: the pack buffers are per thread). */
enum { JOBS = 6 };
typedef struct {
    Subset tr, val;
    TrainBuffers b[3];
    real w[JOBS][5 * 16];
} Train;

static void train_job(void *ctx, int job, int worker) {
    Train *t = ctx;
    Rng rng;
    rng_init(&rng, 100 + (uint64_t)job);
    Net net;
    net_mlp(&net, "5-16-4", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), init_make(INIT_XAVIER_UNIFORM), 64, &rng);
    OptConfig adam = optim_defaults(OPT_ADAM);
    train_steps(&net, &t->tr, adam, 40, 32, &t->b[worker], &rng);
    memcpy(t->w[job], net.layers[0].linear.W, sizeof t->w[job]);
    net_free(&net);
}

Test(parallel, results_do_not_depend_on_the_worker_count) {
    Dataset ds;
    Rng rng;
    rng_init(&rng, 1);
    synth_blobs(&ds, 300, 4, 5, 1.0, &rng);
    static Train one, three;
    Subset all = subset_all(&ds);
    one.tr = three.tr = all;
    for (int w = 0; w < 3; w++) trainbuf_init(&one.b[w], 64, 5, 4), trainbuf_init(&three.b[w], 64, 5, 4);
    GemmBackend backends[2] = {GEMM_OWN, GEMM_BLAS};
    GemmBackend before = gemm_backend();
    for (int k = 0; k < 2; k++) {
        gemm_set_backend(backends[k]);
        parallel_run(JOBS, 1, train_job, &one, "one");
        parallel_run(JOBS, 3, train_job, &three, "three");
        cr_assert(memcmp(one.w, three.w, sizeof one.w) == 0, "%s: weights differ", gemm_backend_name(backends[k]));
    }
    gemm_set_backend(before);
    for (int w = 0; w < 3; w++) trainbuf_free(&one.b[w]), trainbuf_free(&three.b[w]);
    subset_free(&all);
    dataset_free(&ds);
}

Test(parallel, restores_the_blas_thread_count) {
    threads_set(2);
    Count c = {0};
    parallel_run(4, 2, count_job, &c, "count");
    cr_assert(eq(int, threads_get(), 2));
}
