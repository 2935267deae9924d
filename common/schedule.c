/** # schedule.c */
#include "schedule.h"

#include <math.h>
#include <string.h>

#include "exercise.h"
#include "nn.h"

static const double PI = 3.14159265358979323846;

static const char *const names[SCHED_NKINDS] = {"constant", "step",          "exp",      "warmup",
                                                "cosine",   "warmup_cosine", "onecycle", "sgdr"};

const char *schedule_name(SchedKind k) { return k >= 0 && k < SCHED_NKINDS ? names[k] : "?"; }

bool schedule_parse(const char *name, SchedKind *out) {
    for (int k = 0; k < SCHED_NKINDS; k++)
        if (strcmp(name, names[k]) == 0) { *out = (SchedKind)k; return true; }
    return false;
}

Schedule schedule_constant(double lr) { return (Schedule){.kind = SCHED_CONSTANT, .lr = lr}; }
Schedule schedule_step(double lr, int step_size, double gamma) {
    return (Schedule){.kind = SCHED_STEP, .lr = lr, .step_size = step_size, .gamma = gamma};
}
Schedule schedule_exp(double lr, double gamma) {
    return (Schedule){.kind = SCHED_EXP, .lr = lr, .gamma = gamma};
}
Schedule schedule_warmup(double lr, double start_factor, int warmup) {
    return (Schedule){.kind = SCHED_WARMUP, .lr = lr, .start_factor = start_factor, .warmup = warmup};
}
Schedule schedule_cosine(double lr, int total, double eta_min) {
    return (Schedule){.kind = SCHED_COSINE, .lr = lr, .total = total, .eta_min = eta_min};
}
Schedule schedule_warmup_cosine(double lr, int warmup, int total, double eta_min) {
    return (Schedule){.kind = SCHED_WARMUP_COSINE, .lr = lr, .warmup = warmup, .total = total,
                      .eta_min = eta_min, .start_factor = 0.0};
}
Schedule schedule_onecycle(double max_lr, int total) {
    return (Schedule){.kind = SCHED_ONECYCLE, .lr = max_lr, .total = total, .pct_start = 0.3,
                      .div_factor = 25, .final_div = 1e4};
}
Schedule schedule_sgdr(double lr, int t0, int t_mult, double eta_min) {
    return (Schedule){.kind = SCHED_SGDR, .lr = lr, .t0 = t0, .t_mult = t_mult, .eta_min = eta_min};
}

/* Half a cosine from `from` (pct = 0) to `to` (pct = 1). */
static double cosine_between(double from, double to, double pct) {
    return to + 0.5 * (from - to) * (1.0 + cos(PI * pct));
}

double schedule_lr(const Schedule *s, long t) {
    CHECK(t >= 0, "negative step %ld", t);
    switch (s->kind) {
    case SCHED_CONSTANT: return s->lr;
    case SCHED_STEP: return s->lr * pow(s->gamma, (double)(t / s->step_size));
    case SCHED_EXP: return s->lr * pow(s->gamma, (double)t);
    case SCHED_WARMUP: {
        /* >>> exercise sched_warmup | Lab 7, "3. Eight schedules" | task: PyTorch's LinearLR: from start_factor lr at t = 0 linearly to lr at t = warmup, then lr */
        double frac = t >= s->warmup ? 1.0 : (double)t / s->warmup;
        return s->lr * (s->start_factor + (1.0 - s->start_factor) * frac);
        /* === stub
        exercise_todo("sched_warmup");
        <<< exercise */
    }
    case SCHED_COSINE:
        /* >>> exercise sched_cosine | Lab 7, "3. Eight schedules" | task: PyTorch's CosineAnnealingLR: eta_min + (lr - eta_min)(1 + cos(pi t / total)) / 2 */
        return s->eta_min + 0.5 * (s->lr - s->eta_min) * (1.0 + cos(PI * ((double)t / s->total)));
        /* === stub
        exercise_todo("sched_cosine");
        <<< exercise */
    case SCHED_WARMUP_COSINE:
        /* >>> exercise sched_warmup_cosine | Lab 7, "4. The modern recipe, and its ablation" | task: a linear warm-up from start_factor lr over the first warmup steps, then half a cosine (cosine_between) from lr to eta_min over the remaining total - warmup steps, eta_min after */
        if (t < s->warmup)
            return s->lr * (s->start_factor + (1.0 - s->start_factor) * (double)t / s->warmup);
        return cosine_between(s->lr, s->eta_min,
                              fmin(1.0, (double)(t - s->warmup) / (s->total - s->warmup)));
        /* === stub
        exercise_todo("sched_warmup_cosine");
        <<< exercise */
    case SCHED_ONECYCLE: {
        /* >>> exercise sched_onecycle | Lab 7, "3. Eight schedules" | task: PyTorch's OneCycleLR (cosine): from lr/div_factor up to lr at step pct_start total - 1, then down to lr/div_factor/final_div at step total - 1 (cosine_between) */
        double initial = s->lr / s->div_factor, final = initial / s->final_div;
        double peak = s->pct_start * s->total - 1.0, end = s->total - 1.0;
        if ((double)t <= peak) return cosine_between(initial, s->lr, (double)t / peak);
        return cosine_between(s->lr, final, fmin(1.0, ((double)t - peak) / (end - peak)));
        /* === stub
        exercise_todo("sched_onecycle");
        <<< exercise */
    }
    case SCHED_SGDR: {
        /* find the cycle that contains t: cycle i lasts t0 * t_mult^i steps */
        long start = 0, period = s->t0;
        while (t >= start + period) {
            start += period;
            period *= s->t_mult;
        }
        return cosine_between(s->lr, s->eta_min, (double)(t - start) / (double)period);
    }
    default: CHECK(0, "unknown schedule %d", (int)s->kind);
    }
    return 0;
}
