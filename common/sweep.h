/** # sweep.h — arms × seeds, side by side, summarized by one rule
 *
 * A sweep compares *arms* (an activation, a normalization, an optimizer, a regularizer's
 * strength, ...) and runs each arm with several *seeds*, because one run of a network says little:
 * two arms differ only when their bands of seeds do not overlap. The runs share nothing but
 * read-only data, so they go side by side, one per core (`parallel.h`):
 *
 *     SweepRun *runs = sweep_alloc(narms, seeds);      // runs[arm * seeds + seed]
 *     sweep_run(runs, narms * seeds, train_one, &ctx, buffers, lab->threads, "activations");
 *     SweepArm a = sweep_arm(&runs[arm * seeds], seeds);
 *     sweep_bands_rows(&csv, "relu", &runs[arm * seeds], seeds, epochs);
 *
 * `train_one(ctx, run, b)` trains arm `run->arm` with seed `run->seed` on the scratch `b` of the
 * worker that runs it, and fills `run->r` (and `run->test_acc` if it scores a test set). Its
 * random stream must depend on the arm and the seed only, never on the worker: then the results,
 * and every CSV made from them, are the same for any number of threads.
 *
 * **The rule for diverged runs.** A seed that diverged has no accuracy. An arm with a diverged seed
 * gets no band at all — minimum, mean and maximum are NaN, which CSVs write as "diverged", plots
 * leave out and tables print as such — instead of a mean over the survivors that hides the
 * failure. `diverged` counts the seeds that did.
 */
#ifndef NN_SWEEP_H
#define NN_SWEEP_H

#include <stdbool.h>

#include "output.h"
#include "train.h"

/* Minimum, mean and maximum of n values; all three NaN when any value is NaN (a diverged seed),
 * and `diverged` counts those. */
typedef struct {
    double lo, mean, hi;
    int n, diverged;
} Band;

Band band_of(const double *v, int n);

/* One run of a sweep: which arm and seed, and what training produced. */
typedef struct {
    int arm, seed;
    TrainResult r;
    double test_acc;   /* NaN unless the run function scores a test set */
    double seconds;    /* wall time of the run (sweep_run measures it) */
} SweepRun;

/* Trains one run: arm run->arm, seed run->seed, scratch b; fills run->r (and run->test_acc). */
typedef void (*SweepFn)(void *ctx, SweepRun *run, TrainBuffers *b);

/* narms × seeds runs, run k = arm k / seeds, seed k % seeds, test_acc NaN. Free with free(). */
SweepRun *sweep_alloc(int narms, int seeds);

/* Runs runs[0..n) side by side on `threads` workers; b holds one TrainBuffers per worker. On a
 * terminal a status line named `label` counts the finished runs. */
void sweep_run(SweepRun *runs, int n, SweepFn fn, void *ctx, TrainBuffers *b, int threads, const char *label);

/* The summary of one arm's seeds (runs[0..seeds), one arm): */
typedef struct {
    Band val;              /* final validation accuracy (NaN: a seed diverged) */
    Band test;             /* test accuracy (NaN when not scored or a seed diverged) */
    Band loss;             /* final training loss */
    int seeds, diverged;   /* seeds, and how many diverged */
    int reached;           /* seeds whose validation accuracy reached the run's target */
    double epoch_mean;     /* mean epoch of reaching it: NaN unless every seed reached it */
    double epoch_min, epoch_max;   /* earliest (NaN if none reached) and latest (NaN unless all) */
    double seconds_per_epoch;      /* mean over seeds of run seconds / epochs run */
} SweepArm;

SweepArm sweep_arm(const SweepRun *runs, int seeds);

/* The band CSV that plots/bands.gp reads, one row per arm and epoch:
 * arm,epoch,val_min,val_mean,val_max,mean_seconds,train_loss — the band of validation accuracy
 * over the seeds after each epoch, the mean time since the start, the mean training loss. A run
 * that stopped early counts with its restored weights' accuracy in the epochs after it stopped;
 * a diverged seed makes the arm's band NaN ("diverged") at every epoch. */
extern const char *const SWEEP_BANDS_HEADER;
bool sweep_bands_open(Csv *csv, const char *path);
void sweep_bands_rows(Csv *csv, const char *arm, const SweepRun *runs, int seeds, int epochs);

#endif
