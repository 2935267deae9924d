/** # parallel.h — independent runs side by side
 *
 * The runs of a sweep share nothing but read-only data: each has its own network, optimizer,
 * random stream and scratch buffers. On small matrices (a batch of 50 through a 256-wide layer)
 * a multi-threaded GEMM spends much of its time waiting, so one run per core, each with a
 * single-threaded GEMM, does about twice the work per second on two cores.
 *
 *     parallel_run(njobs, workers, job_fn, &ctx, "L2 sweep");
 *
 * calls `job_fn(&ctx, job, worker)` for every job in [0, njobs) on `workers` threads; `worker`
 * (in [0, workers)) picks the scratch that thread may use. A job writes only its own results, and
 * its random stream depends on the job, never on which thread ran it or when — so the results,
 * and the CSV files made from them, are the same for any number of workers. While jobs run, the
 * GEMM uses one thread; afterwards its thread count is restored. On a terminal a status line
 * counts the finished jobs.
 */
#ifndef NN_PARALLEL_H
#define NN_PARALLEL_H

#include <stdbool.h>
#include <stddef.h>

typedef void (*JobFn)(void *ctx, int job, int worker);

enum { PARALLEL_MAX_WORKERS = 64 };

void parallel_run(int njobs, int workers, JobFn fn, void *ctx, const char *label);

/* ## One computation split over cores
 * `parallel_chunks(chunks, parts, fn, ctx)` calls fn(ctx, k) once for every chunk k in
 * [0, chunks), on the calling thread and up to parts - 1 helper threads, and returns when all
 * are done: each takes the next chunk left until none is. On a shared machine one core is
 * sometimes paused for a while; with a fixed split the other would then wait for its half, with
 * chunks it takes over the rest. A chunk must not depend on which thread runs it, nor on the
 * others' order. The helpers are started on first use and kept; between calls they spin briefly,
 * then sleep (on a virtual machine waking a sleeping core costs tens of microseconds, as much as
 * a small matrix product). Every helper started so far answers every call, even one with fewer
 * parts, so no helper can still be reading a call when the next one begins (`make race` checks
 * this under ThreadSanitizer). One caller at a time: if another thread is using the helpers,
 * every chunk runs on the calling thread. The own GEMM, Adam's update, zero_grad and dataset_batch
 * use it, with `parallel_threads` threads. */
typedef void (*SplitFn)(void *ctx, int chunk);
void parallel_chunks(int chunks, int parts, SplitFn fn, void *ctx);
/* Whether parallel_chunks uses OpenMP (built with -fopenmp and NN_SPLIT=omp) instead of the
 * helpers above (NN_SPLIT=threads, the default), and a switch for `bench_gemm epoch`, which times
 * both in one run. Measured that way, OpenMP's epoch was slower in every pair (README, NN_SPLIT),
 * so the helpers stay the default. */
bool parallel_split_omp(void);
void parallel_set_split_omp(bool omp);

/* Threads for one pass over n numbers: the GEMM's thread count (at most 8) from `at_least` numbers
 * up, below that 1 — handing work over costs more than it saves. */
int parallel_threads(size_t n, size_t at_least);

/* Chunk t of `parts` of a range of n numbers is [*lo, *hi): equal shares, the remainder spread. */
void parallel_range(size_t n, int t, int parts, size_t *lo, size_t *hi);

#endif
