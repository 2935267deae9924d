/** # Optimizers and schedules {#sec:lab07}
 *
 * **Question.** Every net in this workbook so far was trained with one optimizer at one learning
 * rate, chosen once. How much does that choice matter, and what do the other choices — momentum,
 * per-parameter step sizes, a schedule that changes the rate as training goes — buy? This lab
 * first watches six optimizers walk down two 2-D surfaces where their paths can be drawn, then
 * trains the same MLP with each, then trains it under eight learning-rate schedules, and finally
 * puts the modern recipe together — He initialization, BatchNorm, dropout, AdamW, warm-up and
 * cosine decay, early stopping and augmentation — and takes it apart one ingredient at a time.
 *
 * The optimizers are `common/optim.c` and the schedules `common/schedule.c`; both follow
 * PyTorch's definitions exactly and their tests hold them to PyTorch's numbers.
 */
#include <string.h>

#include "data.h"
#include "nnlab.h"
#include "train.h"

/* fold: the configurations (full and quick) */
typedef struct {
    int quad_steps, rosen_steps;            /* the 2-D surfaces */
    int opt_train_n, opt_epochs;            /* six optimizers, and the learning-rate sweep */
    int sched_train_n, sched_epochs;        /* eight schedules */
    int recipe_train_n, recipe_epochs;      /* the recipe and the plain net, at full size */
    int ablate_train_n, ablate_epochs;      /* the ablation */
    int test_n, seeds;
    double target;                          /* "reached": this validation accuracy */
} Config;

/* Full mode is sized to stay under five minutes on a two-core AVX2 machine of 80 GFLOP/s. */
static const Config FULL = {60, 600, 12000, 4, 8000, 5, 55000, 13, 4000, 5, 10000, 3, 0.85};
static const Config QUICK = {60, 600, 2000, 3, 2000, 3, 3000, 12, 2000, 3, 2000, 3, 0.75};
/* end fold */

enum { VAL_N = 5000, EVAL = 500, CLASSES = 10, NOPT = 6, NLR = 3 };

/** ## The six optimizers
 *
 * With gradient $g$ and learning rate $\eta$ (the update rules of `optim.h`):
 *
 * - **SGD** steps against the gradient: $\theta \mathrel{-}= \eta g$. Along a narrow valley the
 *   gradient points mostly across it, so SGD zig-zags, and the learning rate that the steep
 *   direction tolerates is too small for the flat one.
 * - **Momentum** keeps a running sum $b = \mu b + g$ ($\mu = 0.9$) and steps along it: the
 *   components that flip sign cancel, those that agree add up — up to $1/(1-\mu) = 10\times$.
 * - **Nesterov** evaluates the momentum step one look ahead ($g + \mu b$), which damps overshoot.
 * - **RMSprop** divides each coordinate's step by a running root-mean-square of its gradients: a
 *   steep coordinate gets a small step, a flat one a large step.
 * - **Adam** combines both: momentum on $g$, RMSprop's scaling, and a bias correction for the
 *   first steps.
 * - **AdamW** is Adam with *decoupled* weight decay: $\theta \mathrel{*}= 1 - \eta\lambda$ apart
 *   from the adaptive step, so the decay is not divided away by $\sqrt{v}$.
 *
 * Each has a customary learning rate — the one a practitioner would try first, PyTorch's default
 * where it has one — which the table below holds for the MLP: 0.01 for the SGD family (the
 * default of `optim_defaults` and of PyTorch's examples), $10^{-3}$ for the Adams (PyTorch's
 * default) and for RMSprop (Keras's default; PyTorch's
 * `torch.optim.RMSprop` defaults to $10^{-2}$, which the sweep's three-times point approaches). The
 * 2-D surfaces get their own.
 */
/** **The updates in the code.** With `lr` for $\eta$, `momentum` for $\mu$ and `wd` for the
 * weight decay $\lambda$, SGD, momentum and Nesterov are one loop; `m` holds the running sum $b$,
 * which starts at the first gradient, as in PyTorch:
 *
 * @include common/optim.c:optim_step#OPT_SGD
 *
 * RMSprop keeps $v \leftarrow \alpha v + (1 - \alpha)\, g^2$ (`alpha` $= 0.99$) and steps
 * $\theta \mathrel{-}= \eta\, g / (\sqrt{v} + \epsilon)$:
 *
 * @include common/optim.c:optim_step#OPT_RMSPROP
 *
 * Adam keeps both running means, each started at zero, and corrects them for that start:
 * $$m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g, \qquad v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g^2,$$
 * $$\hat m_t = \frac{m_t}{1 - \beta_1^t}, \qquad \hat v_t = \frac{v_t}{1 - \beta_2^t}, \qquad
 *   \theta \mathrel{-}= \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}.$$
 * After the first step $m_1 = (1 - \beta_1)\, g$ is ten times too small and $\hat m_1 = g$ undoes
 * that; likewise $\hat v_1 = g^2$, so the first step moves every coordinate by about $\eta$. The
 * code folds the two corrections into scalars computed once per step in `optim_step`,
 * `step` $= \eta / (1 - \beta_1^t)$ and `inv_sqrt_bc2` $= 1/\sqrt{1 - \beta_2^t}$. AdamW differs
 * in one line: the weights shrink by the factor $1 - \eta\lambda$ (`shrink`) beside the adaptive
 * step, where Adam adds $\lambda\theta$ to the gradient and so divides the decay by $\sqrt{\hat v}$:
 *
 * @include common/optim.c:adam_update
 */
typedef struct {
    const char *name;
    OptKind kind;
    real momentum;
    bool nesterov;
    double mlp_lr;           /* the customary learning rate for the MLP */
    double quad_lr, rosen_lr;
} OptChoice;

static const OptChoice OPTS[NOPT] = {
    {"SGD", OPT_SGD, 0, false, 0.01, 0.1, 0.001},
    {"momentum", OPT_SGD, R(0.9), false, 0.01, 0.1, 0.001},
    {"Nesterov", OPT_SGD, R(0.9), true, 0.01, 0.1, 0.001},
    {"RMSprop", OPT_RMSPROP, 0, false, 0.001, 0.05, 0.01},
    {"Adam", OPT_ADAM, 0, false, 0.001, 0.3, 0.05},
    {"AdamW", OPT_ADAMW, 0, false, 0.001, 0.3, 0.05},
};

static OptConfig opt_config(const OptChoice *o, double lr) {
    OptConfig c = optim_defaults(o->kind);   /* PyTorch's defaults; AdamW's decay is 0.01 */
    c.lr = (real)lr, c.momentum = o->momentum, c.nesterov = o->nesterov;
    return c;
}

/** ## 1. Paths on two surfaces
 *
 * Two functions of $(x, y)$ whose minima we know:
 *
 * - the **ill-conditioned quadratic** $f = 0.1x^2 + 2y^2$, 20 times steeper across ($y$) than
 *   along ($x$), from $(-5, -2)$; minimum 0 at the origin;
 * - **Rosenbrock's valley** $f = (1-x)^2 + 100(y - x^2)^2$, a curved, flat-bottomed banana, from
 *   $(-1.2, 1)$; minimum 0 at $(1, 1)$.
 *
 * Each optimizer takes the same number of steps on each, through the library's `optim_step` —
 * the parameter is a 2-vector — and we record the path and the final value of $f$.
 */
typedef enum { QUAD, ROSEN, NSURF } Surface;
static const char *const SURF_NAME[NSURF] = {"quadratic", "rosenbrock"};

static double surface_f(Surface s, double x, double y, double *gx, double *gy) {
    if (s == QUAD) {
        *gx = 0.2 * x, *gy = 4 * y;
        return 0.1 * x * x + 2 * y * y;
    }
    double a = 1 - x, b = y - x * x;
    *gx = -2 * a - 400 * x * b, *gy = 200 * b;
    return a * a + 100 * b * b;
}

/* The surface on a grid, for its contour lines: "x y f" rows, a blank line after each scan. */
static bool write_grid(const Lab *lab, Surface s) {
    static const double box[NSURF][4] = {
        {-5.5, 5.5, -2.5, 2.5},   /* the quadratic: x from, to; y from, to */
        {-2, 2, -1, 3},           /* Rosenbrock */
    };
    char path[512], file[64];
    snprintf(file, sizeof file, "surface_%s.dat", SURF_NAME[s]);
    OutFile o;
    if (!out_open(&o, lab_path(lab, file, path, sizeof path))) return false;
    fprintf(o.f, "# x y f\n");
    enum { G = 120 };
    for (int i = 0; i <= G; i++) {
        for (int j = 0; j <= G; j++) {
            double x = box[s][0] + (box[s][1] - box[s][0]) * i / G, y = box[s][2] + (box[s][3] - box[s][2]) * j / G;
            double gx, gy;
            fprintf(o.f, "%.5g %.5g %.6g\n", x, y, surface_f(s, x, y, &gx, &gy));
        }
        fprintf(o.f, "\n");
    }
    if (!out_commit(&o)) return false;
    return true;
}

/* Walk steps steps of optimizer o on surface s; rows into csv; returns the final f. */
static double walk(Surface s, const OptChoice *o, int steps, Csv *csv) {
    real w[2] = {s == QUAD ? R(-5) : R(-1.2), s == QUAD ? R(-2) : R(1)}, g[2];
    Param p = {w, g, 2, true, "xy"};
    Optimizer opt;
    double lr = s == QUAD ? o->quad_lr : o->rosen_lr;
    optim_init(&opt, opt_config(o, lr), &p, 1);
    double f = 0;
    for (int t = 0; t <= steps; t++) {
        double gx, gy;
        f = surface_f(s, w[0], w[1], &gx, &gy);
        csv_row(csv, "ssdggg", SURF_NAME[s], o->name, t, (double)w[0], (double)w[1], f);
        if (t == steps || !isfinite(f)) break;
        g[0] = (real)gx, g[1] = (real)gy;
        optim_step(&opt, (real)lr);
    }
    optim_free(&opt);
    return f;
}

static bool section_surfaces(Lab *lab, const Config *cfg) {
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "paths.csv", path, sizeof path), "surface,optimizer,step,x,y,f")) return false;
    double final[NSURF][NOPT];
    for (int s = 0; s < NSURF; s++) {
        if (!write_grid(lab, (Surface)s)) return false;
        int steps = s == QUAD ? cfg->quad_steps : cfg->rosen_steps;
        printf("  %s, %d steps:", SURF_NAME[s], steps);
        for (int k = 0; k < NOPT; k++) {
            final[s][k] = walk((Surface)s, &OPTS[k], steps, &csv);
            printf(" %s %.3g%s", OPTS[k].name, final[s][k], k + 1 < NOPT ? "," : "\n");
            char key[64];
            snprintf(key, sizeof key, "%s_%s_final_f", SURF_NAME[s], OPTS[k].name);
            results_num(&lab->results, key, final[s][k]);
            snprintf(key, sizeof key, "%s_%s_lr", SURF_NAME[s], OPTS[k].name);
            results_num(&lab->results, key, s == QUAD ? OPTS[k].quad_lr : OPTS[k].rosen_lr);
        }
    }
    if (!csv_close(&csv)) return false;
    results_int(&lab->results, "quad_steps", cfg->quad_steps);
    results_int(&lab->results, "rosen_steps", cfg->rosen_steps);
    claims_add(&lab->claims, "momentum_crosses_the_valley", final[ROSEN][1] < final[ROSEN][0] / 10, final[ROSEN][1],
               "on Rosenbrock's valley momentum ends more than ten times lower than plain SGD in the same "
               "number of steps [momentum's final f]");
    claims_add(&lab->claims, "adaptive_handles_conditioning", final[QUAD][4] < final[QUAD][0], final[QUAD][4],
               "on the ill-conditioned quadratic Adam ends lower than SGD [Adam's final f]");
    return true;
}

/** ## The nets and their training
 *
 * Every training run below is one `Setup`: the architecture, whether it uses BatchNorm and
 * dropout, the initialization, the optimizer and its peak learning rate, the schedule, early
 * stopping and augmentation. The **plain net** is Lab 1's: 784-256-128-10, ReLU, He
 * initialization, Adam at $10^{-3}$, batch 64, a constant rate, nothing else.
 */
typedef struct {
    const char *name;
    int hidden[2];
    bool he, batchnorm;
    real dropout;
    OptConfig opt;
    SchedKind sched;
    int batch, patience;   /* early stopping on the validation accuracy */
    bool flip;
} Setup;

static Setup plain_setup(void) {
    return (Setup){"plain", {256, 128}, true, false, 0, optim_defaults(OPT_ADAM), SCHED_CONSTANT, 64, 0, false};
}

static void build_net(Net *net, const Setup *s, Rng *rng) {
    net_init(net, EVAL);
    int in = 784;
    Init init = s->he ? init_make(INIT_HE_NORMAL) : init_make(INIT_TORCH_DEFAULT);
    for (int l = 0; l < 2; l++) {
        net_add_linear(net, in, s->hidden[l], !s->batchnorm, init, rng);   /* BatchNorm's beta is the bias */
        if (s->batchnorm) net_add_norm(net, NORM_BATCH);
        net_add_act(net, act_make(ACT_RELU));
        if (s->dropout > 0) net_add_dropout(net, s->dropout);
        in = s->hidden[l];
    }
    net_add_linear(net, in, CLASSES, true, s->he ? init_make(INIT_XAVIER_UNIFORM) : init, rng);
}

/** The schedules, as the library defines them, for a run of `total` steps with `per_epoch` steps
 * per epoch and peak rate `lr`: step decay by 10× after each third; exponential decay to 1/100;
 * a linear warm-up from 1/10 over the first epoch (then constant); cosine to zero; the same
 * warm-up followed by cosine; one-cycle with `lr` as its maximum; and SGDR with restarts after
 * 1/7, 3/7 and 7/7 of the run (periods doubling). */
static Schedule make_schedule(SchedKind k, double lr, int total, int per_epoch) {
    switch (k) {
    case SCHED_CONSTANT: return schedule_constant(lr);
    case SCHED_STEP: return schedule_step(lr, (total + 2) / 3, 0.1);
    case SCHED_EXP: return schedule_exp(lr, pow(0.01, 1.0 / total));
    case SCHED_WARMUP: return schedule_warmup(lr, 0.1, per_epoch);
    case SCHED_COSINE: return schedule_cosine(lr, total, 0);
    case SCHED_WARMUP_COSINE: return schedule_warmup_cosine(lr, per_epoch, total, 0);
    case SCHED_ONECYCLE: return schedule_onecycle(lr, total);
    case SCHED_SGDR: return schedule_sgdr(lr, (total + 6) / 7, 2, 0);
    default: CHECK(0, "unknown schedule %d", (int)k);
    }
    return schedule_constant(lr);
}

typedef struct {
    Setup setup;
    int seed, train_n, epochs;
    TrainResult r;
    double test_acc;
} Job;

typedef struct {
    const Lab *lab;
    const Subset *tr, *val, *test;
    TrainBuffers *b;   /* [workers] */
    double target;
    Job *jobs;
} Batch;

static void train_job(void *ctx, int j, int worker) {
    Batch *bt = ctx;
    Job *job = &bt->jobs[j];
    const Setup *s = &job->setup;
    Rng rng;
    rng_init(&rng, bt->lab->seed * 1000 + (uint64_t)job->seed);
    Net net;
    build_net(&net, s, &rng);
    int per_epoch = (job->train_n + s->batch - 1) / s->batch;
    Subset tr = {bt->tr->data, bt->tr->idx, job->train_n};
    TrainConfig tc = {.name = "", .epochs = job->epochs, .batch = s->batch, .opt = s->opt,
                      .sched = make_schedule(s->sched, s->opt.lr, per_epoch * job->epochs, per_epoch),
                      .patience = s->patience, .stop_on_acc = true, .flip = s->flip, .target_acc = bt->target, .quiet = true};
    if (!train_classifier(&net, &tr, bt->val, &tc, &bt->b[worker], &rng, &job->r)) CHECK(0, "a run that writes no file cannot fail");
    job->test_acc = bt->test && !job->r.diverged ? evaluate(&net, bt->test, &bt->b[worker], NULL, NULL) : NAN;
    net_free(&net);
}

static void run_jobs(const Lab *lab, const Subset *tr, const Subset *val, const Subset *test, TrainBuffers *b,
                     double target, Job *jobs, int n, const char *label) {
    Batch bt = {lab, tr, val, test, b, target, jobs};
    parallel_run(n, lab->threads, train_job, &bt, label);
}

/* One arm's seeds: min, mean and max of the final validation (or test) accuracy, NAN when a seed
 * diverged; the mean epoch the target was reached (NAN unless every seed reached it) and the
 * latest. */
typedef struct {
    double lo, mean, hi;
    double test_lo, test_mean, test_hi;
    int diverged, reached;
    double epoch_mean, epoch_max, epoch_min;
} Arm;

static Arm summarize(const Job *j, int seeds) {
    Arm a = {INFINITY, 0, -INFINITY, INFINITY, 0, -INFINITY, 0, 0, 0, 0, INFINITY};
    for (int s = 0; s < seeds; s++) {
        const TrainResult *r = &j[s].r;
        a.diverged += r->diverged;
        double v = r->diverged ? NAN : r->final_val_acc, t = j[s].test_acc;
        a.lo = fmin(a.lo, v), a.hi = fmax(a.hi, v), a.mean += v / seeds;
        a.test_lo = fmin(a.test_lo, t), a.test_hi = fmax(a.test_hi, t), a.test_mean += t / seeds;
        if (r->epoch_reached) {
            a.reached++, a.epoch_mean += (double)r->epoch_reached / seeds;
            a.epoch_max = fmax(a.epoch_max, r->epoch_reached), a.epoch_min = fmin(a.epoch_min, r->epoch_reached);
        }
    }
    if (a.diverged) a.lo = a.mean = a.hi = a.test_lo = a.test_mean = a.test_hi = NAN;
    if (a.reached < seeds) a.epoch_mean = a.epoch_max = NAN;
    if (a.reached == 0) a.epoch_min = NAN;
    return a;
}

/* Per-epoch bands of arm name (seeds jobs) into csv: arm,epoch,val_min,val_mean,val_max,
 * mean_seconds,train_loss. Epochs after an early stop repeat the restored weights' accuracy. */
static void write_bands(Csv *csv, const char *name, const Job *j, int seeds, int epochs) {
    for (int e = 0; e < epochs; e++) {
        double lo = INFINITY, hi = -INFINITY, sum = 0, secs = 0, loss = 0;
        for (int s = 0; s < seeds; s++) {
            const TrainResult *r = &j[s].r;
            int k = e < r->epochs_run ? e : r->epochs_run - 1;
            double v = r->diverged ? NAN : e < r->epochs_run ? r->val_acc[e] : r->final_val_acc;
            lo = fmin(lo, v), hi = fmax(hi, v), sum += v / seeds;
            secs += r->elapsed[k] / seeds, loss += (r->diverged ? NAN : r->train_loss[k]) / seeds;
        }
        csv_row(csv, "sdfffff", name, e + 1, lo, sum, hi, secs, loss);
    }
}

/** ## 2. Six optimizers on the same MLP
 *
 * The plain net on Fashion-MNIST with each optimizer at its customary learning rate and at a
 * third and three times that (three seeds each, a constant rate, batch 64). For each we record
 * the validation accuracy after every epoch and the first epoch at which it reaches the target.
 */
static bool section_optimizers(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val, TrainBuffers *b) {
    static const double factor[NLR] = {1.0 / 3, 1, 3};
    int S = cfg->seeds, n = NOPT * NLR * S;
    Job *jobs = nn_calloc((size_t)n, sizeof(Job));
    for (int k = 0, i = 0; k < NOPT; k++)
        for (int l = 0; l < NLR; l++)
            for (int s = 0; s < S; s++) {
                Setup su = plain_setup();
                su.name = OPTS[k].name, su.opt = opt_config(&OPTS[k], OPTS[k].mlp_lr * factor[l]);
                jobs[i++] = (Job){.setup = su, .seed = s, .train_n = cfg->opt_train_n, .epochs = cfg->opt_epochs};
            }
    run_jobs(lab, tr, val, NULL, b, cfg->target, jobs, n, "six optimizers x three learning rates");
    char path[512];
    Csv grid, bands, best;
    if (!csv_open(&grid, lab_path(lab, "lr_sweep.csv", path, sizeof path),
                  "group,x,val_min,val_mean,val_max,diverged,epoch_to_target") ||
        !csv_open(&bands, lab_path(lab, "optimizer_bands.csv", path, sizeof path),
                  "arm,epoch,val_min,val_mean,val_max,mean_seconds,train_loss") ||
        !csv_open(&best, lab_path(lab, "optimizer_best.csv", path, sizeof path),
                  "optimizer,customary_lr,best_lr,val_min,val_mean,val_max,epoch_to_target"))
        return false;
    Arm at[NOPT][NLR];
    printf("  %-9s %-8s %-26s %s\n", "optimizer", "lr", "final val acc (min-max)", "epoch reaching target");
    for (int k = 0; k < NOPT; k++) {
        int bl = 1;
        for (int l = 0; l < NLR; l++) {
            const Job *j = jobs + (k * NLR + l) * S;
            Arm *a = &at[k][l];
            *a = summarize(j, S);
            char reached[32];
            if (isfinite(a->epoch_mean)) snprintf(reached, sizeof reached, "%.2g", a->epoch_mean);
            else snprintf(reached, sizeof reached, "%s", a->diverged ? "diverged" : "not every seed");
            double lr = OPTS[k].mlp_lr * factor[l];
            csv_row(&grid, "sgfffds", OPTS[k].name, lr, a->lo, a->mean, a->hi, a->diverged, reached);
            printf("  %-9s %-8.2g %.4f (%.4f-%.4f)  %s\n", OPTS[k].name, lr, a->mean, a->lo, a->hi, reached);
            if (a->mean > at[k][bl].mean || !isfinite(at[k][bl].mean)) bl = l;
        }
        const Arm *a = &at[k][bl];
        char reached[32] = "not every seed";
        if (isfinite(a->epoch_mean)) snprintf(reached, sizeof reached, "%.2g", a->epoch_mean);
        csv_row(&best, "sggfffs", OPTS[k].name, OPTS[k].mlp_lr, OPTS[k].mlp_lr * factor[bl], a->lo, a->mean, a->hi,
                reached);
        write_bands(&bands, OPTS[k].name, jobs + (k * NLR + 1) * S, S, cfg->opt_epochs);
        char key[64];
        snprintf(key, sizeof key, "%s_val_acc", OPTS[k].name);
        results_num(&lab->results, key, at[k][1].mean);
        snprintf(key, sizeof key, "%s_best_val_acc", OPTS[k].name);
        results_num(&lab->results, key, a->mean);
        snprintf(key, sizeof key, "%s_best_lr", OPTS[k].name);
        results_num(&lab->results, key, OPTS[k].mlp_lr * factor[bl]);
        snprintf(key, sizeof key, "%s_epoch_to_target", OPTS[k].name);
        if (isfinite(at[k][1].epoch_mean)) results_num(&lab->results, key, at[k][1].epoch_mean);
    }
    if (!csv_close(&grid) || !csv_close(&bands) || !csv_close(&best)) return false;
    results_int(&lab->results, "opt_train_images", cfg->opt_train_n);
    results_int(&lab->results, "opt_epochs", cfg->opt_epochs);
    /* Adam against SGD, each at its customary rate: every Adam seed reaches the target before any
     * SGD seed does (an SGD seed that never reaches it counts as one epoch past the budget). */
    const Arm *adam = &at[4][1], *sgd = &at[0][1];
    double sgd_first = isfinite(sgd->epoch_min) ? sgd->epoch_min : cfg->opt_epochs + 1;
    results_num(&lab->results, "sgd_first_epoch_to_target", sgd_first);
    results_int(&lab->results, "sgd_seeds_reaching_target", sgd->reached);
    results_num(&lab->results, "adam_last_epoch_to_target", adam->epoch_max);
    claims_add(&lab->claims, "adam_reaches_target_sooner", adam->reached == S && adam->epoch_max < sgd_first,
               adam->epoch_max,
               "at their customary learning rates every Adam seed reaches the target validation accuracy in fewer "
               "epochs than any SGD seed [Adam's latest epoch]");
    free(jobs);
    return true;
}

/** ## 3. Eight schedules
 *
 * First the schedules themselves: $\eta(t)$ for a run of `sched_epochs` epochs, computed by the
 * library's `schedule_lr` — the function the tests match to PyTorch's schedulers. Then the plain
 * net trained under each, with SGD (momentum 0.9, peak rate 0.05; the schedule is stepped every
 * batch), three seeds each.
 */
/** In the library every schedule is a function of the step $t$, with $\eta_0$ the base rate
 * (`lr`): step decay $\eta_0 \gamma^{\lfloor t/s \rfloor}$, exponential $\eta_0 \gamma^t$, a
 * linear warm-up from $f\eta_0$ (`start_factor`), and cosine annealing from $\eta_0$ to
 * $\eta_\text{min}$ over $T$ steps,
 * $$\eta(t) = \eta_\text{min} + \tfrac12 (\eta_0 - \eta_\text{min}) \left(1 + \cos \frac{\pi t}{T}\right).$$
 * One-cycle rises along half a cosine from $\eta_0/25$ to $\eta_0$ over the first 30% of the
 * steps and falls along another to $\eta_0/(25 \cdot 10^4)$; SGDR restarts the cosine after
 * $T_0$, $T_0 m$, $T_0 m^2$, ... steps (`t0`, `t_mult`):
 *
 * @include common/schedule.c:cosine_between,schedule_lr
 */
static const double SCHED_LR = 0.05;

static bool section_schedules(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val, TrainBuffers *b) {
    int S = cfg->seeds, per_epoch = (cfg->sched_train_n + 63) / 64, total = per_epoch * cfg->sched_epochs;
    char path[512];
    Csv lr_csv;
    if (!csv_open(&lr_csv, lab_path(lab, "schedules.csv", path, sizeof path), "schedule,epoch,lr")) return false;
    for (int k = 0; k < SCHED_NKINDS; k++) {
        Schedule sc = make_schedule((SchedKind)k, SCHED_LR, total, per_epoch);
        for (int t = 0; t < total; t++) csv_row(&lr_csv, "sgg", schedule_name((SchedKind)k), (double)t / per_epoch,
                                                schedule_lr(&sc, t));
    }
    if (!csv_close(&lr_csv)) return false;

    int n = SCHED_NKINDS * S;
    Job *jobs = nn_calloc((size_t)n, sizeof(Job));
    OptChoice momentum = OPTS[1];
    for (int k = 0, i = 0; k < SCHED_NKINDS; k++)
        for (int s = 0; s < S; s++) {
            Setup su = plain_setup();
            su.name = schedule_name((SchedKind)k), su.opt = opt_config(&momentum, SCHED_LR), su.sched = (SchedKind)k;
            jobs[i++] = (Job){.setup = su, .seed = s, .train_n = cfg->sched_train_n, .epochs = cfg->sched_epochs};
        }
    run_jobs(lab, tr, val, NULL, b, cfg->target, jobs, n, "eight schedules");
    Csv bands, table;
    if (!csv_open(&bands, lab_path(lab, "schedule_bands.csv", path, sizeof path),
                  "arm,epoch,val_min,val_mean,val_max,mean_seconds,train_loss") ||
        !csv_open(&table, lab_path(lab, "schedule_final.csv", path, sizeof path),
                  "schedule,val_min,val_mean,val_max,final_train_loss"))
        return false;
    Arm a[SCHED_NKINDS];
    for (int k = 0; k < SCHED_NKINDS; k++) {
        const Job *j = jobs + k * S;
        a[k] = summarize(j, S);
        double loss = 0;
        for (int s = 0; s < S; s++) loss += (j[s].r.diverged ? NAN : j[s].r.train_loss[j[s].r.epochs_run - 1]) / S;
        csv_row(&table, "sffff", schedule_name((SchedKind)k), a[k].lo, a[k].mean, a[k].hi, loss);
        write_bands(&bands, schedule_name((SchedKind)k), j, S, cfg->sched_epochs);
        printf("  %-14s final val acc %.4f (%.4f-%.4f), train loss %.4f\n", schedule_name((SchedKind)k), a[k].mean,
               a[k].lo, a[k].hi, loss);
        char key[64];
        snprintf(key, sizeof key, "sched_%s_val_acc", schedule_name((SchedKind)k));
        results_num(&lab->results, key, a[k].mean);
        snprintf(key, sizeof key, "sched_%s_train_loss", schedule_name((SchedKind)k));
        results_num(&lab->results, key, loss);
    }
    if (!csv_close(&bands) || !csv_close(&table)) return false;
    results_int(&lab->results, "sched_train_images", cfg->sched_train_n);
    results_int(&lab->results, "sched_epochs", cfg->sched_epochs);
    results_num(&lab->results, "sched_lr", SCHED_LR);
    const Arm *wc = &a[SCHED_WARMUP_COSINE], *c = &a[SCHED_CONSTANT];
    results_num(&lab->results, "warmup_cosine_gain", wc->mean - c->mean);
    claims_add(&lab->claims, "warmup_cosine_at_least_constant", wc->lo >= c->hi, wc->lo - c->hi,
               "every warm-up + cosine seed ends with at least the validation accuracy of the best constant-rate "
               "seed [the worst warm-up + cosine seed minus the best constant one]");
    free(jobs);
    return true;
}

/** ## 4. The modern recipe, and its ablation
 *
 * The recipe: a wider net (784-512-256-10), He initialization, BatchNorm before each ReLU,
 * dropout 0.1 after it, AdamW (peak rate $4\cdot 10^{-3}$, decay 0.05) with one epoch of linear
 * warm-up and a cosine decay to zero, batch 256, early stopping with a patience of 5 epochs on
 * the validation accuracy (the weights of the best epoch are kept), and
 * random left-right mirroring of the images (a shirt mirrored is still a shirt). Three seeds of
 * it train on all 55,000 training images (in full mode), and three seeds of the plain net next
 * to it; both are scored once on the test images.
 *
 * Then the ablation: each ingredient removed in turn — the rest unchanged — at a smaller scale
 * so that eight arms of three seeds fit the budget. "No He" means PyTorch's default
 * initialization; "no AdamW" means Adam without decay; "no schedule" a constant rate.
 */
enum { ING_NONE, ING_HE, ING_BN, ING_DROPOUT, ING_ADAMW, ING_SCHEDULE, ING_EARLY, ING_AUGMENT, NING };
static const char *const ING_NAME[NING] = {"full recipe", "no He init", "no BatchNorm", "no dropout",
                                           "no AdamW",    "no schedule", "no early stop", "no mirroring"};
static const char *const ING_KEY[NING] = {"full", "no_he", "no_bn", "no_dropout", "no_adamw", "no_schedule",
                                          "no_early_stop", "no_flip"};

static Setup recipe_setup(int without) {
    OptConfig oc = optim_defaults(OPT_ADAMW);
    oc.lr = R(4e-3), oc.weight_decay = R(0.05);
    Setup s = {"recipe", {512, 256}, true, true, R(0.1), oc, SCHED_WARMUP_COSINE, 256, 5, true};
    switch (without) {
    case ING_HE: s.he = false; break;
    case ING_BN: s.batchnorm = false; break;
    case ING_DROPOUT: s.dropout = 0; break;
    case ING_ADAMW: s.opt.kind = OPT_ADAM, s.opt.weight_decay = 0; break;
    case ING_SCHEDULE: s.sched = SCHED_CONSTANT; break;
    case ING_EARLY: s.patience = 0; break;
    case ING_AUGMENT: s.flip = false; break;
    default: break;
    }
    s.name = ING_KEY[without];
    return s;
}

static bool section_recipe(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val, const Subset *test,
                           TrainBuffers *b) {
    int S = cfg->seeds;
    char path[512];
    /* the recipe and the plain net, full size */
    Job *jobs = nn_calloc((size_t)2 * S, sizeof(Job));
    for (int s = 0; s < S; s++) {
        jobs[s] = (Job){.setup = recipe_setup(ING_NONE), .seed = s, .train_n = cfg->recipe_train_n,
                        .epochs = cfg->recipe_epochs};
        jobs[S + s] = (Job){.setup = plain_setup(), .seed = s, .train_n = cfg->recipe_train_n,
                            .epochs = cfg->recipe_epochs};
    }
    run_jobs(lab, tr, val, test, b, 0, jobs, 2 * S, "the recipe and the plain net");
    Arm recipe = summarize(jobs, S), plain = summarize(jobs + S, S);
    Csv bands;
    if (!csv_open(&bands, lab_path(lab, "recipe_bands.csv", path, sizeof path),
                  "arm,epoch,val_min,val_mean,val_max,mean_seconds,train_loss"))
        return false;
    write_bands(&bands, "recipe", jobs, S, cfg->recipe_epochs);
    write_bands(&bands, "plain", jobs + S, S, cfg->recipe_epochs);
    if (!csv_close(&bands)) return false;
    double stop = 0, secs = 0;
    for (int s = 0; s < S; s++) stop += (double)jobs[s].r.epochs_run / S, secs += jobs[s].r.seconds / S;
    printf("  recipe: test accuracy %.4f (%.4f-%.4f), %.1f epochs, %.0f s per run\n", recipe.test_mean, recipe.test_lo,
           recipe.test_hi, stop, secs);
    printf("  plain:  test accuracy %.4f (%.4f-%.4f)\n", plain.test_mean, plain.test_lo, plain.test_hi);
    results_num(&lab->results, "recipe_test_acc", recipe.test_mean);
    results_num(&lab->results, "recipe_test_min_acc", recipe.test_lo);
    results_num(&lab->results, "recipe_test_max_acc", recipe.test_hi);
    results_num(&lab->results, "recipe_val_acc", recipe.mean);
    results_num(&lab->results, "recipe_epochs_run", stop);
    results_num(&lab->results, "recipe_seconds", secs);
    results_num(&lab->results, "plain_test_acc", plain.test_mean);
    results_num(&lab->results, "plain_test_min_acc", plain.test_lo);
    results_num(&lab->results, "plain_test_max_acc", plain.test_hi);
    results_int(&lab->results, "recipe_train_images", cfg->recipe_train_n);
    results_int(&lab->results, "recipe_epochs", cfg->recipe_epochs);
    claims_add(&lab->claims, "recipe_beats_plain", recipe.test_lo > plain.test_hi, recipe.test_lo - plain.test_hi,
               "every seed of the recipe scores a higher test accuracy than every seed of the plain net [the "
               "recipe's worst minus the plain net's best]");
    if (!lab->quick)
        claims_add(&lab->claims, "recipe_reaches_90_5", recipe.test_mean >= 0.905, recipe.test_mean,
                   "the recipe reaches a test accuracy of at least 90.5% on Fashion-MNIST (mean over seeds) [its "
                   "test accuracy]");
    free(jobs);

    /* the ablation */
    int n = NING * S;
    jobs = nn_calloc((size_t)n, sizeof(Job));
    for (int k = 0, i = 0; k < NING; k++)
        for (int s = 0; s < S; s++)
            jobs[i++] = (Job){.setup = recipe_setup(k), .seed = s, .train_n = cfg->ablate_train_n,
                              .epochs = cfg->ablate_epochs};
    run_jobs(lab, tr, val, NULL, b, 0, jobs, n, "the ablation");
    Csv table;
    if (!csv_open(&table, lab_path(lab, "ablation.csv", path, sizeof path),
                  "setting,val_min,val_mean,val_max,change_points,epochs_run"))
        return false;
    Arm full = summarize(jobs, S);
    char effects[256] = "";   /* the removals whose seeds all end outside the full recipe's range */
    for (int k = 0; k < NING; k++) {
        const Job *j = jobs + k * S;
        Arm a = summarize(j, S);
        double epochs = 0;
        for (int s = 0; s < S; s++) epochs += (double)j[s].r.epochs_run / S;
        csv_row(&table, "sfffff", ING_NAME[k], a.lo, a.mean, a.hi, 100 * (a.mean - full.mean), epochs);
        printf("  %-14s val acc %.4f (%.4f-%.4f)  %+.4f\n", ING_NAME[k], a.mean, a.lo, a.hi, a.mean - full.mean);
        if (k && (a.hi < full.lo || a.lo > full.hi))
            snprintf(effects + strlen(effects), sizeof effects - strlen(effects), "%s%s (%+.1f points)",
                     *effects ? ", " : "", ING_NAME[k], 100 * (a.mean - full.mean));
        char key[64];
        snprintf(key, sizeof key, "ablate_%s_val_acc", ING_KEY[k]);
        results_num(&lab->results, key, a.mean);
        snprintf(key, sizeof key, "ablate_%s_change", ING_KEY[k]);
        if (k) results_num(&lab->results, key, a.mean - full.mean);
    }
    if (!csv_close(&table)) return false;
    results_str(&lab->results, "ablate_measured_effects", *effects ? effects : "none");
    results_int(&lab->results, "ablate_train_images", cfg->ablate_train_n);
    results_int(&lab->results, "ablate_epochs", cfg->ablate_epochs);
    free(jobs);
    return true;
}

/** ## Putting it together */
static int run_lab(Lab *lab) {
    const Config *cfg = lab->quick ? &QUICK : &FULL;
    Dataset train, test;   /* the data first: a missing file stops the lab before it writes anything */
    Rng split;
    rng_init(&split, lab->seed);
    Subset tr, val, rest;
    if (!data_fashion_split(&train, VAL_N, cfg->recipe_train_n, &split, "lab07", &tr, &val, &rest) ||
        !data_load(&test, "fashion-mnist", "t10k", "lab07"))
        return 1;
    printf("\n1. Six optimizers on two 2-D surfaces\n");
    if (!section_surfaces(lab, cfg)) return 1;

    Subset te = subset_range(&test, 0, cfg->test_n);
    test.mean = train.mean, test.std = train.std;
    TrainBuffers *b = trainbufs_new(lab->threads, EVAL, 784, CLASSES);   /* one per worker */
    results_num(&lab->results, "target_acc", cfg->target);
    results_int(&lab->results, "seeds", cfg->seeds);

    printf("\n2. Six optimizers, three learning rates each: %d epochs on %d images, %d seeds\n", cfg->opt_epochs,
           cfg->opt_train_n, cfg->seeds);
    if (!section_optimizers(lab, cfg, &tr, &val, b)) return 1;
    printf("\n3. Eight schedules (SGD, momentum 0.9, peak rate %g): %d epochs on %d images\n", SCHED_LR,
           cfg->sched_epochs, cfg->sched_train_n);
    if (!section_schedules(lab, cfg, &tr, &val, b)) return 1;
    printf("\n4. The recipe (%d epochs on %d images) against the plain net, then the ablation\n", cfg->recipe_epochs,
           cfg->recipe_train_n);
    if (!section_recipe(lab, cfg, &tr, &val, &te, b)) return 1;

    trainbufs_free(b, lab->threads);
    subset_free(&val), subset_free(&rest), subset_free(&te);
    dataset_free(&train), dataset_free(&test);
    return 0;
}

/* fold: main(): command-line flags */
#ifndef NN_NO_MAIN
int main(int argc, char **argv) {
    Lab lab;
    lab_start(&lab, argc, argv, "lab07", "Optimizers and schedules", NULL, 0);
    return lab_run(&lab, run_lab);
}
#endif
/* end fold */

/** ## Results
 *
 * **Paths.** @fig:lab07-paths shows the six optimizers on the two surfaces. On the quadratic,
 * SGD at learning rate {{lab07:quadratic_SGD_lr|g2}} crosses the steep $y$ direction at once and
 * then crawls along $x$: after {{lab07:quad_steps}} steps $f$ = {{lab07:quadratic_SGD_final_f|g3}}.
 * Momentum at the same rate overshoots across the valley, then builds speed along it and ends at
 * {{lab07:quadratic_momentum_final_f|sci}}; Nesterov's look-ahead damps the overshoot
 * ({{lab07:quadratic_Nesterov_final_f|sci}}). RMSprop and Adam rescale each coordinate and head
 * almost diagonally for the minimum (Adam {{lab07:quadratic_Adam_final_f|sci}}, RMSprop
 * {{lab07:quadratic_RMSprop_final_f|sci}}). On Rosenbrock's valley SGD, at the largest rate the
 * steep walls allow ({{lab07:rosenbrock_SGD_lr|g2}}), is still far from $(1, 1)$ after
 * {{lab07:rosen_steps}} steps ($f$ = {{lab07:rosenbrock_SGD_final_f|g3}}); momentum follows the
 * curved floor to {{lab07:rosenbrock_momentum_final_f|sci}}; Adam ends at
 * {{lab07:rosenbrock_Adam_final_f|sci}} and AdamW at {{lab07:rosenbrock_AdamW_final_f|sci}} —
 * its decay pulls toward the origin, so the point it settles at is not quite $f$'s minimum.
 *
 * ![Six optimizers on the ill-conditioned quadratic (left) and Rosenbrock's valley (right),
 * drawn over contour lines of $f$; a dot marks where each optimizer ended, the circle Rosenbrock's
 * start and the star its minimum. On Rosenbrock's valley the paths are drawn in reverse order, SGD's
 * on top; AdamW's path lies on Adam's except where its decay pulls it aside.](lab07_paths){#fig:lab07-paths}
 *
 * **Six optimizers on the MLP.** @fig:lab07-sweep shows the final validation accuracy after
 * {{lab07:opt_epochs}} epochs on {{lab07:opt_train_images|int}} images for each optimizer at its
 * three learning rates, and @tbl:lab07-best the best of each sweep. At their customary rates
 * Adam reaches {{lab07:Adam_val_acc}} and plain SGD {{lab07:SGD_val_acc}}; every Adam seed reached
 * {{lab07:target_acc|pct}} by epoch {{lab07:adam_last_epoch_to_target|int}}, while
 * {{lab07:sgd_seeds_reaching_target}} of the {{lab07:seeds}} SGD seeds reached it within the
 * {{lab07:opt_epochs}} epochs (@fig:lab07-optimizers). Momentum and Nesterov at the same rate do much better than SGD: the
 * momentum sum makes each step up to ten times larger, so they behave like SGD at ten times the
 * rate — which SGD itself, at three times its rate, only approaches (SGD's best of the sweep:
 * {{lab07:SGD_best_val_acc}} at {{lab07:SGD_best_lr|g2}}). RMSprop has no bias correction:
 * its first steps divide by a running average of $g^2$ that starts at zero, so they are far
 * larger than $\eta$ — compare its curve in @fig:lab07-optimizers with Adam's, which corrects
 * for exactly that.
 *
 * ![Final validation accuracy against the learning rate, each optimizer at a third of, at and
 * three times its customary rate (min–max band over seeds; the optimizers are set slightly apart
 * along the axis so that none hides another).](lab07_sweep){#fig:lab07-sweep}
 *
 * ```{.csv-table #tbl:lab07-best file="lab07/optimizer_best.csv"
 *    header="Optimizer,Customary rate,Best rate,Val. min,Val. mean,Val. max,Epochs to target"
 *    digits="3" caption="The best learning rate of each optimizer's sweep; the epoch column is the mean epoch at which validation accuracy reached the target at that rate."}
 * ```
 *
 * ![Validation accuracy per epoch (left) and against time (right), each optimizer at its
 * customary rate.](lab07_optimizers){#fig:lab07-optimizers}
 *
 * **Schedules.** @fig:lab07-schedules draws the eight schedules as the library computes them
 * over {{lab07:sched_epochs}} epochs, peak rate {{lab07:sched_lr|g2}}; @fig:lab07-schedule-curves
 * and @tbl:lab07-schedules show what training under each gives. A constant rate ends at
 * {{lab07:sched_constant_val_acc}}; warm-up followed by cosine decay at
 * {{lab07:sched_warmup_cosine_val_acc}}, plain cosine at {{lab07:sched_cosine_val_acc}}, one-cycle
 * at {{lab07:sched_onecycle_val_acc}}. The schedules that end with a small rate also end with a
 * lower training loss: the last epochs at a small rate average out the noise of the minibatch
 * gradients instead of bouncing on it. A warm-up alone (then constant) buys nothing at this
 * depth; its use is to protect the first steps of nets that are fragile at the start — deep ones,
 * or Adam's early steps — which the plain net is not.
 *
 * ![The eight schedules: the learning rate against the epoch, from `schedule_lr`.](lab07_schedules){#fig:lab07-schedules}
 *
 * ![Validation accuracy per epoch under each schedule (SGD with momentum 0.9).](lab07_schedule_curves){#fig:lab07-schedule-curves}
 *
 * ```{.csv-table #tbl:lab07-schedules file="lab07/schedule_final.csv"
 *    header="Schedule,Val. acc. (min),Val. acc. (mean),Val. acc. (max),Final train loss"
 *    digits="3" caption="The final validation accuracy and training loss under each schedule, three seeds each."}
 * ```
 *
 * **The recipe.** Trained on {{lab07:recipe_train_images|int}} images for up to
 * {{lab07:recipe_epochs}} epochs (they ran {{lab07:recipe_epochs_run|g3}} on average — early
 * stopping ends a run sooner only if validation accuracy stalls for 5 epochs, which the cosine
 * decay makes rare; {{lab07:recipe_seconds|s}} per run), the recipe scores
 * **{{lab07:recipe_test_acc}}** on the test set (seeds from {{lab07:recipe_test_min_acc}} to
 * {{lab07:recipe_test_max_acc}}), against {{lab07:plain_test_acc}}
 * ({{lab07:plain_test_min_acc}} to {{lab07:plain_test_max_acc}}) for the plain net trained as
 * long (@fig:lab07-recipe). For comparison, the Fashion-MNIST benchmark lists 87.0% for
 * scikit-learn's MLP and 90.0% for a 256-128-64 MLP [@xiao2017fashion]. The plain net's
 * validation accuracy peaks early and sags as it overfits; the recipe's keeps rising as the
 * cosine brings the rate down.
 *
 * ![Validation accuracy per epoch of the recipe and the plain net, three seeds each.](lab07_recipe){#fig:lab07-recipe}
 *
 * **The ablation.** @tbl:lab07-ablation removes one ingredient at a time
 * ({{lab07:ablate_epochs}} epochs on {{lab07:ablate_train_images|int}} images, three seeds each;
 * the change is against the full recipe's mean). Read it with the seed spread in mind: a change
 * smaller than the min–max range of the arms is not a measured effect. The removals whose seeds
 * all ended outside the full recipe's range: {{lab07:ablate_measured_effects|raw}}. The others are
 * within the noise at this scale, and some for a reason worth knowing: with BatchNorm after every
 * Linear layer the initialization's scale is normalized away, so He initialization matters little;
 * early stopping cannot help a run whose validation accuracy never stalls (the last column counts
 * the epochs run); and the regularizers — dropout, decay, mirroring — pay off over long training
 * on many images, where the plain net above overfits, not in a short run on few. The ablation
 * measures the ingredients one at a time at a small scale; the comparison with the plain net
 * measures them together at full scale.
 *
 * ```{.csv-table #tbl:lab07-ablation file="lab07/ablation.csv"
 *    header="Setting,Val. min,Val. mean,Val. max,Change (points),Epochs run"
 *    digits="3" caption="The recipe with one ingredient removed at a time."}
 * ```
 *
 * ::: {.claims lab="lab07"}
 * :::
 *
 * **What to try next.** Give SGD with momentum the recipe's schedule and compare it with AdamW
 * at the full scale; try the learning-rate finder of Lab 5 on the recipe net to choose its peak
 * rate; replace mirroring by the shifts of Lab 3 and see which augmentation suits clothing.
 *
 * ## Exercises
 *
 * In the student edition (`make exercises`; the README says how to get it) the kernels below are
 * yours to write: each is marked `EXERCISE id` in its file, a program that reaches one unwritten
 * stops and names it, and `make grade EX=id` runs its tests (tests/grade/grade_lab7.c); `make grade
 * LAB=lab07`
 * grades the whole chapter.
 *
 * | exercise | what to write | hint |
 * |---|---|---|
 * | `sgd` | `common/optim.c`: plain SGD with L2 weight decay | use the `lr` passed in: schedules pass theirs |
 * | `sgd_momentum` | momentum and Nesterov, PyTorch's form | update the buffer first; Nesterov steps along $g + \mu b$ |
 * | `rmsprop` | RMSprop | $\epsilon$ beside the root, not under it |
 * | `adam` | Adam with L2 in the gradient | bias corrections are folded into `step` and `inv_sqrt_bc2` |
 * | `adamw` | AdamW | shrink the weights first, then Adam on the raw gradient |
 * | `sched_cosine` | `common/schedule.c`: cosine annealing | reaches `eta_min` at step `total` |
 * | `sched_warmup` | linear warm-up | from `start_factor` lr at step 0 to lr at step `warmup` |
 * | `sched_warmup_cosine` | warm-up, then cosine | the cosine's clock starts when the warm-up ends |
 * | `sched_onecycle` | one-cycle | the peak is at step `pct_start * total - 1` |
 *
 * **Questions to think about**, each with the run that answers it:
 *
 * 1. Which optimizer is least sensitive to its learning rate? `make lab07 QUICK=1` sweeps them; try
 *    `ARGS="--seed 2"`.
 * 2. When does Adam's $\epsilon$ matter? The test `adam/eps_beside_the_root` uses a gradient of
 *    $10^{-8}$; what happens to the step of a parameter whose gradient is that small?
 * 3. Why warm up at all? Remove the warm-up from the recipe (set `warmup` to 0 in its schedule) and
 *    compare its curve.
 * 4. AdamW and Adam+L2 differ only in where the decay goes: after the grading tests pass, explain
 *    the difference in one sentence from `adamw/decay_is_decoupled`.
 */
