/* parallel.c -- independent jobs on a few threads; see parallel.h. */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "nn.h"
#include "progress.h"
#include "threads.h"

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
    int blas_threads = threads_get();
    if (workers > 1) threads_set(1);
    pthread_t threads[PARALLEL_MAX_WORKERS];
    Worker w[PARALLEL_MAX_WORKERS];
    for (int i = 0; i < workers; i++) {
        w[i] = (Worker){&pool, i};
        if (i > 0) CHECK(pthread_create(&threads[i], NULL, work, &w[i]) == 0, "cannot start a thread");
    }
    work(&w[0]);   /* the calling thread is worker 0 */
    for (int i = 1; i < workers; i++) pthread_join(threads[i], NULL);
    progress_done(&pool.prog);
    if (workers > 1) threads_set(blas_threads);
    pthread_mutex_destroy(&pool.lock);
}

/* The helpers of parallel_split. Helper t (1..started) runs part t of each new generation if
 * there is one, and every helper, working or not, reports each generation done. So the caller
 * cannot publish the next generation while a helper might still be reading this one's parts, fn
 * and ctx: an idle helper that was slow to wake (a call with fewer parts, on a busy machine)
 * would otherwise read the *next* call's values, run its part, count it done twice, and let the
 * caller return while another helper was still at work. Likewise a helper started during a call
 * runs that call first, not the one before it (born[]). */
enum { SPLIT_MAX = 64, SPINS = 20000 };
static struct {
    pthread_mutex_t owner;         /* held by the one caller using the helpers */
    pthread_mutex_t mu;            /* with the condition variables, for sleeping and waking */
    pthread_cond_t wake, done;
    int started, parts;
    long born[SPLIT_MAX];          /* helper t's first generation is born[t] + 1 */
    SplitFn fn;
    void *ctx;
    _Atomic long generation;       /* bumped (under mu) when a new split is ready */
    _Atomic int pending;           /* helpers that have not yet finished this generation */
} split = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
           0, 0, {0}, NULL, NULL, 0, 0};

static inline void spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static void *helper(void *arg) {
    int id = (int)(intptr_t)arg;
    long seen = split.born[id];   /* the generation current at its start is not its to run */
    for (;;) {
        for (int i = 0; i < SPINS && atomic_load(&split.generation) == seen; i++) spin_pause();
        if (atomic_load(&split.generation) == seen) {
            pthread_mutex_lock(&split.mu);
            while (atomic_load(&split.generation) == seen) pthread_cond_wait(&split.wake, &split.mu);
            pthread_mutex_unlock(&split.mu);
        }
        seen++;   /* the next generation waits for this helper's report: there is no skipping one */
        if (id < split.parts) split.fn(split.ctx, id);
        if (atomic_fetch_sub(&split.pending, 1) == 1) {
            pthread_mutex_lock(&split.mu);
            pthread_cond_signal(&split.done);
            pthread_mutex_unlock(&split.mu);
        }
    }
    return NULL;
}

/* Calls fn(ctx, 0) here and fn(ctx, 1), ..., fn(ctx, parts - 1) on the helpers; false, calling
 * nothing, when another thread is using them. */
static bool parallel_split(int parts, SplitFn fn, void *ctx) {
    CHECK(parts >= 1 && parts <= SPLIT_MAX, "parts=%d", parts);
    if (parts == 1) {
        fn(ctx, 0);
        return true;
    }
    if (pthread_mutex_trylock(&split.owner) != 0) return false;
    while (split.started < parts - 1) {
        int id = split.started + 1;
        split.born[id] = atomic_load(&split.generation);
        pthread_t th;
        CHECK(pthread_create(&th, NULL, helper, (void *)(intptr_t)id) == 0, "cannot start a thread");
        pthread_detach(th);
        split.started++;
    }
    split.parts = parts, split.fn = fn, split.ctx = ctx;
    atomic_store(&split.pending, split.started);
    pthread_mutex_lock(&split.mu);
    atomic_fetch_add(&split.generation, 1);   /* publishes parts, fn and ctx */
    pthread_cond_broadcast(&split.wake);
    pthread_mutex_unlock(&split.mu);
    fn(ctx, 0);
    for (int i = 0; i < SPINS && atomic_load(&split.pending) > 0; i++) spin_pause();
    if (atomic_load(&split.pending) > 0) {
        pthread_mutex_lock(&split.mu);
        while (atomic_load(&split.pending) > 0) pthread_cond_wait(&split.done, &split.mu);
        pthread_mutex_unlock(&split.mu);
    }
    pthread_mutex_unlock(&split.owner);
    return true;
}

/* parallel_chunks: each of `parts` threads takes the next chunk not yet taken until none is left. */
typedef struct {
    _Atomic int next;
    int chunks;
    SplitFn fn;
    void *ctx;
} Chunks;

static void take_chunks(void *arg, int part) {
    (void)part;
    Chunks *c = arg;
    for (int k; (k = atomic_fetch_add(&c->next, 1)) < c->chunks;) c->fn(c->ctx, k);
}

void parallel_chunks(int chunks, int parts, SplitFn fn, void *ctx) {
    CHECK(chunks >= 0 && parts >= 1, "chunks=%d parts=%d", chunks, parts);
    Chunks c = {0, chunks, fn, ctx};
    if (parts > chunks) parts = chunks;
    if (parts > 1 && parallel_split(parts, take_chunks, &c)) return;
    take_chunks(&c, 0);   /* one part, or the helpers are busy: every chunk on this thread */
}

int parallel_threads(size_t n, size_t at_least) {
    int threads = threads_get();
    return n < at_least ? 1 : threads < 8 ? threads : 8;
}

void parallel_range(size_t n, int t, int parts, size_t *lo, size_t *hi) {
    *lo = n * (size_t)t / (size_t)parts;
    *hi = n * (size_t)(t + 1) / (size_t)parts;
}
