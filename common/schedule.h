/** # schedule.h — learning-rate schedules as pure functions of the step
 *
 * `schedule_lr(s, t)` is the learning rate to use at step (or epoch) `t` = 0, 1, 2, ... — no
 * hidden counter, so a schedule can be plotted, tested and resumed by calling it. Each matches the
 * PyTorch scheduler named beside it (tests/golden/SEMANTICS.md):
 *
 * | kind | PyTorch | $\eta(t)$ |
 * |---|---|---|
 * | constant | — | $\eta_0$ |
 * | step | StepLR | $\eta_0 \gamma^{\lfloor t/s \rfloor}$ |
 * | exp | ExponentialLR | $\eta_0 \gamma^t$ |
 * | warmup | LinearLR | $\eta_0 (f + (1-f)\min(t,W)/W)$ |
 * | cosine | CosineAnnealingLR | $\eta_{min} + \tfrac12(\eta_0-\eta_{min})(1+\cos(\pi t/T))$ |
 * | warmup_cosine | LinearLR then cosine | warm-up for $W$ steps, then cosine over $T-W$ |
 * | onecycle | OneCycleLR | cosine from $\eta_{max}/25$ up to $\eta_{max}$ at $0.3T-1$, down to $\eta_{max}/25/10^4$ at $T-1$ |
 * | sgdr | CosineAnnealingWarmRestarts | cosine restarted after $T_0$, $T_0 T_{mult}$, ... steps |
 */
#ifndef NN_SCHEDULE_H
#define NN_SCHEDULE_H

#include <stdbool.h>

typedef enum {
    SCHED_CONSTANT,
    SCHED_STEP,
    SCHED_EXP,
    SCHED_WARMUP,
    SCHED_COSINE,
    SCHED_WARMUP_COSINE,
    SCHED_ONECYCLE,
    SCHED_SGDR,
    SCHED_NKINDS
} SchedKind;

typedef struct {
    SchedKind kind;
    double lr;            /* base learning rate; OneCycle's max_lr */
    double gamma;         /* step, exp */
    int step_size;        /* step */
    int total;            /* cosine's T, warmup_cosine's and onecycle's total steps */
    int warmup;           /* warmup, warmup_cosine: steps of the linear ramp */
    double start_factor;  /* warmup, warmup_cosine: the ramp starts at start_factor * lr */
    double eta_min;       /* cosine, warmup_cosine, sgdr */
    int t0, t_mult;       /* sgdr */
    double pct_start, div_factor, final_div;   /* onecycle: 0.3, 25, 1e4 */
} Schedule;

Schedule schedule_constant(double lr);
Schedule schedule_step(double lr, int step_size, double gamma);
Schedule schedule_exp(double lr, double gamma);
Schedule schedule_warmup(double lr, double start_factor, int warmup);
Schedule schedule_cosine(double lr, int total, double eta_min);
Schedule schedule_warmup_cosine(double lr, int warmup, int total, double eta_min);
Schedule schedule_onecycle(double max_lr, int total);
Schedule schedule_sgdr(double lr, int t0, int t_mult, double eta_min);

double schedule_lr(const Schedule *s, long t);
const char *schedule_name(SchedKind k);
bool schedule_parse(const char *name, SchedKind *out);

#endif
