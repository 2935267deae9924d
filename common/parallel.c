/* parallel.c -- independent jobs on a few threads; see parallel.h. */
#include "parallel.h"

#include <pthread.h>

#include "gemm.h"
#include "nn.h"
#include "progress.h"

typedef struct {
    JobFn fn;
    void *ctx;
    int njobs, next, done;
    pthread_mutex_t lock;
    Progress prog;
} Pool;

typedef struct {
    Pool *pool;
    int worker;
} Worker;

static void *work(void *arg) {
    Worker *w = arg;
    Pool *p = w->pool;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        int job = p->next < p->njobs ? p->next++ : -1;
        pthread_mutex_unlock(&p->lock);
        if (job < 0) return NULL;
        p->fn(p->ctx, job, w->worker);
        pthread_mutex_lock(&p->lock);
        p->done++;
        progress_step(&p->prog, p->done, "%d of %d runs", p->done, p->njobs);
        pthread_mutex_unlock(&p->lock);
    }
}

void parallel_run(int njobs, int workers, JobFn fn, void *ctx, const char *label) {
    CHECK(workers >= 1 && workers <= PARALLEL_MAX_WORKERS, "workers=%d", workers);
    if (workers > njobs) workers = njobs > 0 ? njobs : 1;
    Pool pool = {.fn = fn, .ctx = ctx, .njobs = njobs};
    pthread_mutex_init(&pool.lock, NULL);
    progress_init(&pool.prog, label, njobs);
    gemm_backend();   /* read NN_GEMM now, before threads could race to do it */
    int blas_threads = gemm_get_threads();
    if (workers > 1) gemm_set_threads(1);
    pthread_t threads[PARALLEL_MAX_WORKERS];
    Worker w[PARALLEL_MAX_WORKERS];
    for (int i = 0; i < workers; i++) {
        w[i] = (Worker){&pool, i};
        if (i > 0) CHECK(pthread_create(&threads[i], NULL, work, &w[i]) == 0, "cannot start a thread");
    }
    work(&w[0]);   /* the calling thread is worker 0 */
    for (int i = 1; i < workers; i++) pthread_join(threads[i], NULL);
    progress_done(&pool.prog);
    if (workers > 1) gemm_set_threads(blas_threads);
    pthread_mutex_destroy(&pool.lock);
}
