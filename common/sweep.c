/* sweep.c — arms × seeds side by side, and the one rule that summarizes them (sweep.h). */
#include "sweep.h"

#include <math.h>
#include <stdlib.h>

#include "nn.h"
#include "parallel.h"

const char *const SWEEP_BANDS_HEADER = "arm,epoch,val_min,val_mean,val_max,mean_seconds,train_loss";

Band band_of(const double *v, int n) {
    CHECK(n > 0, "a band of %d values", n);
    Band b = {v[0], 0, v[0], n, 0};
    double sum = 0;
    for (int i = 0; i < n; i++) {
        if (isnan(v[i])) b.diverged++;
        b.lo = fmin(b.lo, v[i]), b.hi = fmax(b.hi, v[i]), sum += v[i];
    }
    b.mean = sum / n;
    if (b.diverged) b.lo = b.mean = b.hi = NAN;
    return b;
}

SweepRun *sweep_alloc(int narms, int seeds) {
    CHECK(narms > 0 && seeds > 0, "a sweep of %d arms and %d seeds", narms, seeds);
    SweepRun *runs = nn_calloc((size_t)narms * (size_t)seeds, sizeof *runs);
    for (int k = 0; k < narms * seeds; k++) runs[k].arm = k / seeds, runs[k].seed = k % seeds, runs[k].test_acc = NAN;
    return runs;
}

typedef struct {
    SweepRun *runs;
    SweepFn fn;
    void *ctx;
    TrainBuffers *b;
} Sweep;

static void sweep_job(void *ctx, int job, int worker) {
    Sweep *s = ctx;
    double t0 = nn_seconds();
    s->fn(s->ctx, &s->runs[job], &s->b[worker]);
    s->runs[job].seconds = nn_seconds() - t0;
}

void sweep_run(SweepRun *runs, int n, SweepFn fn, void *ctx, TrainBuffers *b, int threads, const char *label) {
    Sweep s = {runs, fn, ctx, b};
    parallel_run(n, threads, sweep_job, &s, label);
}

SweepArm sweep_arm(const SweepRun *runs, int seeds) {
    CHECK(seeds > 0 && seeds <= 1024, "an arm of %d seeds", seeds);
    double val[1024], test[1024], loss[1024];
    SweepArm a = {.seeds = seeds, .epoch_min = INFINITY, .epoch_max = -INFINITY};
    for (int s = 0; s < seeds; s++) {
        const TrainResult *r = &runs[s].r;
        bool ok = !r->diverged && r->epochs_run > 0;
        val[s] = ok ? r->final_val_acc : NAN;
        test[s] = ok ? runs[s].test_acc : NAN;
        loss[s] = ok ? r->train_loss[r->epochs_run - 1] : NAN;
        a.diverged += r->diverged;
        if (r->epoch_reached) {
            a.reached++, a.epoch_mean += r->epoch_reached;
            a.epoch_min = fmin(a.epoch_min, r->epoch_reached), a.epoch_max = fmax(a.epoch_max, r->epoch_reached);
        }
        if (r->epochs_run > 0) a.seconds_per_epoch += runs[s].seconds / r->epochs_run / seeds;
    }
    a.val = band_of(val, seeds), a.test = band_of(test, seeds), a.loss = band_of(loss, seeds);
    a.epoch_mean = a.reached == seeds ? a.epoch_mean / seeds : NAN;
    if (a.reached < seeds) a.epoch_max = NAN;
    if (a.reached == 0) a.epoch_min = NAN;
    return a;
}

bool sweep_bands_open(Csv *csv, const char *path) { return csv_open(csv, path, SWEEP_BANDS_HEADER); }

void sweep_bands_rows(Csv *csv, const char *arm, const SweepRun *runs, int seeds, int epochs) {
    CHECK(seeds > 0 && seeds <= 1024, "an arm of %d seeds", seeds);
    for (int e = 0; e < epochs; e++) {
        double v[1024], secs = 0, loss = 0;
        for (int s = 0; s < seeds; s++) {
            const TrainResult *r = &runs[s].r;
            int k = e < r->epochs_run ? e : r->epochs_run - 1;   /* after an early stop: the last epoch */
            bool ok = !r->diverged && k >= 0;
            v[s] = !ok ? NAN : e < r->epochs_run ? r->val_acc[e] : r->final_val_acc;
            secs += (k >= 0 ? r->elapsed[k] : NAN) / seeds;
            loss += (ok ? r->train_loss[k] : NAN) / seeds;
        }
        Band b = band_of(v, seeds);
        csv_row(csv, "sdfffff", arm, e + 1, b.lo, b.mean, b.hi, secs, loss);
    }
}
