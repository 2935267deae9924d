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
/* @fold the headers, and Config: the sizes of the experiments in full and quick mode */
#include <string.h>

#include "data.h"
#include "nnlab.h"
#include "sweep.h"
#include "train.h"

typedef struct {
    int quad_steps, rosen_steps;            /* the 2-D surfaces */
    int opt_train_n, opt_epochs;            /* six optimizers, and the learning-rate sweep */
    int sched_train_n, sched_epochs;        /* eight schedules */
    int recipe_train_n, recipe_epochs;      /* the recipe and the plain net, at full size */
    int ablate_train_n, ablate_epochs;      /* the ablation */
    int test_n, seeds;
    double target;                          /* "reached": a validation accuracy every optimizer reaches
                                               within the budget at its customary rate (else no epoch
                                               to compare) */
} Config;

/* Full mode is sized to stay under five minutes on a two-core AVX2 machine of 80 GFLOP/s. */
static const Config FULL = {.quad_steps = 60, .rosen_steps = 600, .opt_train_n = 12000, .opt_epochs = 4,
                            .sched_train_n = 8000, .sched_epochs = 5, .recipe_train_n = 55000, .recipe_epochs = 13,
                            .ablate_train_n = 4000, .ablate_epochs = 5, .test_n = 10000, .seeds = 3, .target = 0.80};
static const Config QUICK = {.quad_steps = 60, .rosen_steps = 600, .opt_train_n = 2000, .opt_epochs = 3,
                             .sched_train_n = 2000, .sched_epochs = 3, .recipe_train_n = 3000, .recipe_epochs = 12,
                             .ablate_train_n = 2000, .ablate_epochs = 3, .test_n = 2000, .seeds = 3, .target = 0.75};
/* @end */

enum { VAL_N = 5000, EVAL = 500, CLASSES = 10, NOPT = 6, NLR = 3 };

/** ## The six optimizers
 *
 * Every optimizer here turns the gradient $g$ of a parameter $\theta$ into a step, with learning
 * rate $\eta$. In the code (`common/optim.c`) they are `w` for $\theta$, `grad` for $g$, `lr` for
 * $\eta$, `momentum` for $\mu$, `wd` for the weight decay $\lambda$, and `m`, `v` for the running
 * averages an optimizer keeps per parameter.
 *
 * **SGD** steps against the gradient, $\theta \leftarrow \theta - \eta\, g$ (with L2 decay,
 * $g = \nabla L + \lambda\theta$). Along a narrow valley the gradient points mostly across it, so
 * SGD zig-zags, and the learning rate that the steep direction tolerates is too small for the
 * flat one. **Momentum** keeps a running sum of the gradients and steps along it:
 * $$m \leftarrow \mu\, m + g, \qquad \theta \leftarrow \theta - \eta\, m,$$
 * with $m = g$ at the first step, as in PyTorch. Components that flip sign from step to step
 * cancel in $m$; those that agree add up, to $g/(1 - \mu)$ — ten times $g$ at $\mu = 0.9$.
 * **Nesterov** applies the gradient where momentum is about to carry $\theta$. PyTorch's form
 * (and ours) rewrites that look-ahead so that it needs no second gradient: after the same update
 * of $m$ it steps along the gradient plus the momentum it is about to add,
 * $$m \leftarrow \mu\, m + g, \qquad \theta \leftarrow \theta - \eta\,(g + \mu\, m),$$
 * which damps the overshoot of plain momentum. The three are one loop:
 *
 * @include common/optim.c:optim_step#OPT_SGD
 *
 * **RMSprop** divides each coordinate's step by a running root-mean-square of its gradients, so a
 * steep coordinate gets a small step and a flat one a large step ($\alpha = 0.99$, `alpha`):
 * $$v \leftarrow \alpha\, v + (1 - \alpha)\, g^2, \qquad \theta \leftarrow \theta - \eta\, \frac{g}{\sqrt{v} + \epsilon}.$$
 *
 * @include common/optim.c:optim_step#OPT_RMSPROP
 *
 * **Adam** combines the two: a running mean of $g$ (momentum) and of $g^2$ (RMSprop's scale),
 * each started at zero and corrected for that start ($\beta_1 = 0.9$, $\beta_2 = 0.999$ at step $t$):
 * $$m \leftarrow \beta_1 m + (1 - \beta_1)\, g, \qquad v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2,$$
 * $$\hat m = \frac{m}{1 - \beta_1^t}, \qquad \hat v = \frac{v}{1 - \beta_2^t}, \qquad
 *   \theta \leftarrow \theta - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}.$$
 * After the first step $m = (1 - \beta_1)\, g$ is ten times too small and $\hat m = g$ undoes
 * that; likewise $\hat v = g^2$, so the first step moves every coordinate by about $\eta$. The
 * corrections $1 - \beta^t$ are the same for every parameter, so `optim_step` computes them once
 * per step (its counter `o->t` is $t$), as `bc1` and `bc2`,
 * and the update folds them into two scalars, `step` $= \eta / (1 - \beta_1^t)$ and
 * `inv_sqrt_bc2` $= 1/\sqrt{1 - \beta_2^t}$, since
 * $$\eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}
 *   = \frac{\eta}{1 - \beta_1^t} \cdot \frac{m}{\sqrt{v} \,/ \sqrt{1 - \beta_2^t} + \epsilon}
 *   = \texttt{step} \cdot \frac{m}{\sqrt{v}\cdot\texttt{inv\_sqrt\_bc2} + \epsilon}:$$
 * one square root and one division per parameter. **AdamW** differs in
 * one line: it *decouples* the decay from the gradient [@loshchilov2019decoupled]. Adam with L2 adds $\lambda\theta$ to $g$,
 * and the adaptive step then divides the decay by $\sqrt{\hat v}$ like everything else; AdamW
 * shrinks the weights directly and runs Adam on the raw gradient,
 * $$\theta \leftarrow (1 - \eta\lambda)\,\theta, \qquad \text{then Adam's step with } g = \nabla L :$$
 *
 * @include common/optim.c:adam_update
 *
 * **The state each one keeps.** SGD keeps nothing besides the weights and their gradients;
 * momentum and Nesterov keep one array the size of the parameters ($m$), RMSprop one ($v$), Adam
 * and AdamW two ($m$ and $v$). For a net of $P$ parameters Adam's memory is $4P$ numbers — weights,
 * gradients, $m$, $v$ — against SGD's $2P$, and every step reads and writes all of them (Lab 8
 * measures what that costs). `optim_init` allocates exactly those:
 *
 * @include common/optim.c:optim_init
 *
 * Each has a customary learning rate — the one a practitioner would try first, PyTorch's default
 * where it has one — which the table below holds for the MLP: $10^{-2}$ for the SGD family (the
 * default of `optim_defaults` and of PyTorch's examples), $10^{-3}$ for the Adams (PyTorch's
 * default) and for RMSprop (Keras's default; PyTorch's `torch.optim.RMSprop` defaults to
 * $10^{-2}$, which the sweep's three-times point approaches). The library's defaults are
 * PyTorch's, RMSprop's $10^{-2}$ included:
 *
 * @include common/optim.c:optim_defaults
 *
 * The 2-D surfaces get rates of their own, in the last two columns of the `OPTS` array.
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

/* @fold write_grid(lab, s): writes surface_NAME.dat, f on a 121 x 121 grid for the contour lines */
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
/* @end */

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
    /* @fold opens paths.csv */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "paths.csv", path, sizeof path), "surface,optimizer,step,x,y,f")) return false;
    /* @end */
    double final[NSURF][NOPT];
    for (int s = 0; s < NSURF; s++) {
        if (!write_grid(lab, (Surface)s)) return false;
        int steps = s == QUAD ? cfg->quad_steps : cfg->rosen_steps;
        printf("  %s, %d steps:", SURF_NAME[s], steps);   /* then each optimizer's final f */
        for (int k = 0; k < NOPT; k++) {
            final[s][k] = walk((Surface)s, &OPTS[k], steps, &csv);
            /* @fold prints and records the final f and the learning rate */
            printf(" %s %.3g%s", OPTS[k].name, final[s][k], k + 1 < NOPT ? "," : "\n");
            char key[64];
            snprintf(key, sizeof key, "%s_%s_final_f", SURF_NAME[s], OPTS[k].name);
            results_num(&lab->results, key, final[s][k]);
            snprintf(key, sizeof key, "%s_%s_lr", SURF_NAME[s], OPTS[k].name);
            results_num(&lab->results, key, s == QUAD ? OPTS[k].quad_lr : OPTS[k].rosen_lr);
            /* @end */
        }
    }
    /* @fold records the step counts and the two claims */
    if (!csv_close(&csv)) return false;
    results_int(&lab->results, "quad_steps", cfg->quad_steps);
    results_int(&lab->results, "rosen_steps", cfg->rosen_steps);
    claims_add(&lab->claims, "momentum_crosses_the_valley", final[ROSEN][1] < final[ROSEN][0] / 10, final[ROSEN][1],
               "on Rosenbrock's valley momentum ends more than ten times lower than plain SGD in the same "
               "number of steps [momentum's final f]");
    claims_add(&lab->claims, "adaptive_handles_conditioning", final[QUAD][4] < final[QUAD][0], final[QUAD][4],
               "on the ill-conditioned quadratic Adam ends lower than SGD [Adam's final f]");
    /* @end */
    return true;
}

/** **What the paths show.** @fig:lab07-paths shows the six optimizers on the two surfaces. On the
 * quadratic, SGD at learning rate {{lab07:quadratic_SGD_lr|g2}} crosses the steep $y$ direction at
 * once and then crawls along $x$: after {{lab07:quad_steps}} steps $f$ =
 * {{lab07:quadratic_SGD_final_f|g3}}. Momentum at the same rate overshoots across the valley, then
 * builds speed along it and ends at {{lab07:quadratic_momentum_final_f|sci}}; Nesterov's look-ahead
 * damps the overshoot ({{lab07:quadratic_Nesterov_final_f|sci}}). RMSprop and Adam rescale each
 * coordinate and head almost diagonally for the minimum (Adam {{lab07:quadratic_Adam_final_f|sci}},
 * RMSprop {{lab07:quadratic_RMSprop_final_f|sci}}). On Rosenbrock's valley SGD, at the largest rate
 * the steep walls allow ({{lab07:rosenbrock_SGD_lr|g2}}), is still far from $(1, 1)$ after
 * {{lab07:rosen_steps}} steps ($f$ = {{lab07:rosenbrock_SGD_final_f|g3}}); momentum follows the
 * curved floor to {{lab07:rosenbrock_momentum_final_f|sci}}; Adam ends at
 * {{lab07:rosenbrock_Adam_final_f|sci}} and AdamW at {{lab07:rosenbrock_AdamW_final_f|sci}} — its
 * decay pulls toward the origin, so the point it settles at is not quite $f$'s minimum.
 *
 * ![Six optimizers on the ill-conditioned quadratic (left) and Rosenbrock's valley (right),
 * drawn over contour lines of $f$; a dot marks where each optimizer ended, the circle Rosenbrock's
 * start and the star its minimum. On Rosenbrock's valley the paths are drawn in reverse order, SGD's
 * on top; AdamW's path lies on Adam's except where its decay pulls it aside.](lab07_paths){#fig:lab07-paths}
 */

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
    return (Setup){"plain", {256, 128}, true, false, 0, optim_defaults(OPT_ADAM), SCHED_CONSTANT, 64, 0,
                   false};
}

static void build_net(Net *net, const Setup *s, Rng *rng) {
    net_init(net, EVAL);
    int in = 784;
    Init init = s->he ? init_make(INIT_HE_NORMAL) : init_make(INIT_TORCH_DEFAULT);
    for (int l = 0; l < 2; l++) {
        net_add_linear(net, in, s->hidden[l], !s->batchnorm, init, rng);   /* BatchNorm's beta: bias */
        if (s->batchnorm) net_add_norm(net, NORM_BATCH);
        net_add_act(net, act_make(ACT_RELU));
        if (s->dropout > 0) net_add_dropout(net, s->dropout);
        in = s->hidden[l];
    }
    net_add_linear(net, in, CLASSES, true, s->he ? init_make(INIT_XAVIER_UNIFORM) : init, rng);
}

/** The sections on the optimizers, the schedules and the recipe compare *arms* — an optimizer at
 * a learning rate, a schedule, the recipe with one ingredient removed — each trained with several
 * seeds, side by side on the cores, through `common/sweep.h`. The lab says only how to train one run: `train_one` builds the net of
 * its arm's `Setup`, seeded by the run's seed alone (so no number depends on which core ran it),
 * and trains it with the arm's optimizer and schedule. `sweep_arm` then summarizes each arm's
 * seeds by one rule: the minimum, mean and maximum of the final validation accuracy, none at all
 * if a seed diverged.
 */
static Schedule make_schedule(SchedKind k, double lr, int total, int per_epoch);   /* defined in "Eight schedules" */

typedef struct {
    const Lab *lab;
    const Subset *tr, *val, *test;   /* test: NULL unless the runs are scored on it */
    const Setup *setup;              /* [arms]: run k trains setup[runs[k].arm] */
    int train_n, epochs;
    double target;                   /* the validation accuracy whose first epoch is recorded */
} Plan;

static void train_one(void *ctx, SweepRun *run, TrainBuffers *b) {
    const Plan *p = ctx;
    const Setup *s = &p->setup[run->arm];
    Rng rng;
    rng_init(&rng, p->lab->seed * 1000 + (uint64_t)run->seed);
    Net net;
    build_net(&net, s, &rng);
    int per_epoch = (p->train_n + s->batch - 1) / s->batch;
    Subset tr = {p->tr->data, p->tr->idx, p->train_n};
    TrainConfig tc = {.name = "", .epochs = p->epochs, .batch = s->batch, .opt = s->opt,
                      .sched = make_schedule(s->sched, s->opt.lr, per_epoch * p->epochs, per_epoch),
                      .patience = s->patience, .stop_on_acc = true, .flip = s->flip,
                      .target_acc = p->target, .quiet = true};
    if (!train_classifier(&net, &tr, p->val, &tc, b, &rng, &run->r))
        CHECK(0, "a run that writes no file cannot fail");
    if (p->test && !run->r.diverged) run->test_acc = evaluate(&net, p->test, b, NULL, NULL);
    net_free(&net);
}

/** ## 2. Six optimizers on the same MLP
 *
 * The plain net on Fashion-MNIST with each optimizer at its customary learning rate and at a
 * third and three times that ({{lab07:seeds}} seeds each, a constant rate, batch 64),
 * {{lab07:opt_epochs}} epochs on {{lab07:opt_train_images|int}} images. For each we record the
 * validation accuracy after every epoch and the first epoch at which it reaches the target,
 * {{lab07:target_acc|pct}}.
 */
static bool section_optimizers(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val,
                               TrainBuffers *b) {
    static const double factor[NLR] = {1.0 / 3, 1, 3};
    int S = cfg->seeds;
    Setup setup[NOPT * NLR];   /* arm k * NLR + l: optimizer k at factor[l] times its customary rate */
    for (int k = 0; k < NOPT; k++)
        for (int l = 0; l < NLR; l++) {
            Setup *su = &setup[k * NLR + l];
            *su = plain_setup();
            su->name = OPTS[k].name, su->opt = opt_config(&OPTS[k], OPTS[k].mlp_lr * factor[l]);
        }
    Plan plan = {lab, tr, val, NULL, setup, cfg->opt_train_n, cfg->opt_epochs, cfg->target};
    SweepRun *runs = sweep_alloc(NOPT * NLR, S);
    sweep_run(runs, NOPT * NLR * S, train_one, &plan, b, lab->threads,
              "six optimizers x three learning rates");
    /* @fold opens lr_sweep.csv, optimizer_bands.csv and optimizer_best.csv, prints the table's header */
    char path[512];
    Csv grid, bands, best;
    if (!csv_open(&grid, lab_path(lab, "lr_sweep.csv", path, sizeof path),
                  "group,x,val_min,val_mean,val_max,diverged,epoch_to_target") ||
        !sweep_bands_open(&bands, lab_path(lab, "optimizer_bands.csv", path, sizeof path)) ||
        !csv_open(&best, lab_path(lab, "optimizer_best.csv", path, sizeof path),
                  "optimizer,customary_lr,best_lr,val_min,val_mean,val_max,epoch_to_target"))
        return false;
    printf("  %-9s %-8s %-26s %s\n", "optimizer", "lr", "final val acc (min-max)", "epoch reaching target");
    /* @end */
    SweepArm at[NOPT][NLR];
    for (int k = 0; k < NOPT; k++) {
        for (int l = 0; l < NLR; l++) at[k][l] = sweep_arm(&runs[(k * NLR + l) * S], S);
        int bl = 1;   /* the best rate: the customary one, unless another has a higher mean */
        for (int l = 0; l < NLR; l++)
            if (at[k][l].val.mean > at[k][bl].val.mean || !isfinite(at[k][bl].val.mean)) bl = l;
        /* the curves of the customary rate, per epoch */
        sweep_bands_rows(&bands, OPTS[k].name, &runs[(k * NLR + 1) * S], S, cfg->opt_epochs);
        /* @fold writes the three rates' rows to lr_sweep.csv, the best's to optimizer_best.csv; records */
        for (int l = 0; l < NLR; l++) {
            const SweepArm *a = &at[k][l];
            char reached[32];
            if (isfinite(a->epoch_mean)) snprintf(reached, sizeof reached, "%.2g", a->epoch_mean);
            else snprintf(reached, sizeof reached, "%s", a->diverged ? "diverged" : "not every seed");
            double lr = OPTS[k].mlp_lr * factor[l];
            csv_row(&grid, "sgfffds", OPTS[k].name, lr, a->val.lo, a->val.mean, a->val.hi, a->diverged, reached);
            printf("  %-9s %-8.2g %.4f (%.4f-%.4f)  %s\n", OPTS[k].name, lr, a->val.mean, a->val.lo, a->val.hi, reached);
        }
        const SweepArm *a = &at[k][bl];
        char reached[32] = "not every seed";
        if (isfinite(a->epoch_mean)) snprintf(reached, sizeof reached, "%.2g", a->epoch_mean);
        csv_row(&best, "sggfffs", OPTS[k].name, OPTS[k].mlp_lr, OPTS[k].mlp_lr * factor[bl], a->val.lo, a->val.mean,
                a->val.hi, reached);
        char key[64];
        snprintf(key, sizeof key, "%s_val_acc", OPTS[k].name);
        results_num(&lab->results, key, at[k][1].val.mean);
        snprintf(key, sizeof key, "%s_best_val_acc", OPTS[k].name);
        results_num(&lab->results, key, a->val.mean);
        snprintf(key, sizeof key, "%s_best_lr", OPTS[k].name);
        results_num(&lab->results, key, OPTS[k].mlp_lr * factor[bl]);
        snprintf(key, sizeof key, "%s_epoch_to_target", OPTS[k].name);
        if (isfinite(at[k][1].epoch_mean)) results_num(&lab->results, key, at[k][1].epoch_mean);
        /* @end */
    }
    /* @fold closes the files; records the sizes, Adam's and SGD's epochs to the target, and the claim */
    if (!csv_close(&grid) || !csv_close(&bands) || !csv_close(&best)) return false;
    results_int(&lab->results, "opt_train_images", cfg->opt_train_n);
    results_int(&lab->results, "opt_epochs", cfg->opt_epochs);
    /* Adam against SGD, each at its customary rate: every Adam seed reaches the target before any
     * SGD seed does (an SGD seed that never reaches it counts as one epoch past the budget). */
    const SweepArm *adam = &at[4][1], *sgd = &at[0][1];
    double sgd_first = isfinite(sgd->epoch_min) ? sgd->epoch_min : cfg->opt_epochs + 1;
    results_num(&lab->results, "sgd_first_epoch_to_target", sgd_first);
    results_int(&lab->results, "sgd_seeds_reaching_target", sgd->reached);
    results_num(&lab->results, "adam_last_epoch_to_target", adam->epoch_max);
    claims_add(&lab->claims, "adam_reaches_target_sooner", adam->reached == S && adam->epoch_max < sgd_first,
               adam->epoch_max,
               "at their customary learning rates every Adam seed reaches the target validation accuracy in fewer "
               "epochs than any SGD seed [Adam's latest epoch]");
    /* @end */
    free(runs);
    return true;
}

/** **What the optimizers did.** @fig:lab07-sweep shows the final validation accuracy for each
 * optimizer at its three learning rates, and @tbl:lab07-best the best of each sweep. At their
 * customary rates Adam reaches {{lab07:Adam_val_acc}} and plain SGD {{lab07:SGD_val_acc}}; every
 * Adam seed reached {{lab07:target_acc|pct}} by epoch {{lab07:adam_last_epoch_to_target|int}},
 * while {{lab07:sgd_seeds_reaching_target}} of the {{lab07:seeds}} SGD seeds reached it within the
 * {{lab07:opt_epochs}} epochs (@fig:lab07-optimizers). Momentum and Nesterov at the same rate do
 * much better than SGD: the momentum sum makes each step up to ten times larger, so they behave
 * like SGD at ten times the rate — beyond SGD's own sweep, which stops at three times its rate
 * (SGD's best of the sweep: {{lab07:SGD_best_val_acc}} at {{lab07:SGD_best_lr|g2}}). RMSprop has
 * no bias correction: its first steps divide by a running average of $g^2$ that starts at zero,
 * so they are far larger than $\eta$ — compare its curve in @fig:lab07-optimizers with Adam's,
 * which corrects for exactly that.
 *
 * ![Final validation accuracy against the learning rate, each optimizer at a third of, at and
 * three times its customary rate (min–max band over seeds; the optimizers are set slightly apart
 * along the axis so that none hides another).](lab07_sweep){#fig:lab07-sweep}
 *
 * ```{.csv-table #tbl:lab07-best file="lab07/optimizer_best.csv"
 *    header="Optimizer,Customary rate,Best rate,Val. min,Val. mean,Val. max,Epochs to target"
 *    digits="3" caption="The best learning rate of each optimizer's sweep; the last column is the mean epoch at which validation accuracy reached the target at that rate."}
 * ```
 *
 * ![Validation accuracy per epoch (left) and against time (right), each optimizer at its
 * customary rate.](lab07_optimizers){#fig:lab07-optimizers}
 */

/** ## 3. Eight schedules
 *
 * A schedule sets the learning rate $\eta(t)$ of step $t$; `train_classifier` asks for it before
 * every batch. First the schedules themselves, $\eta(t)$ over a run of {{lab07:sched_epochs}}
 * epochs, computed by the library's `schedule_lr` — the function the tests match to PyTorch's
 * schedulers. Then the plain net trained under each, with SGD (momentum 0.9, peak rate
 * {{lab07:sched_lr|g2}}), {{lab07:seeds}} seeds each, {{lab07:sched_epochs}} epochs on
 * {{lab07:sched_train_images|int}} images.
 *
 * With $\eta_0$ the base rate (`lr`), $T$ the run's length in steps (`total`) and $W$ the
 * warm-up's (`warmup`), the four simple ones are: **constant**, $\eta(t) = \eta_0$; **step
 * decay** by a factor $\gamma$ every $s$ steps (`gamma`, `step_size`) and **exponential decay**,
 * $$\eta(t) = \eta_0\, \gamma^{\lfloor t/s \rfloor}, \qquad \eta(t) = \eta_0\, \gamma^t;$$
 * and a **linear warm-up** from $f\eta_0$ (`start_factor`) to $\eta_0$ over the first $W$ steps,
 * then constant,
 * $$\eta(t) = \eta_0 \left(f + (1 - f) \min\!\left(\frac{t}{W}, 1\right)\right).$$
 *
 * The other four are built from half a period of a cosine — slow at first, fastest in the middle,
 * gentle at the end. `cosine_between(from, to, pct)` goes from `from` at `pct` = 0 to `to` at 1.
 * **Cosine annealing** goes from $\eta_0$ down to $\eta_\text{min}$ (`eta_min`) over the $T$
 * steps; **warm-up, then cosine** runs the warm-up (from $f = 0$) for $t < W$ and then the cosine
 * over the remaining $T - W$ steps, its clock started at the warm-up's end:
 * $$\eta(t) = \eta_\text{min} + \tfrac12 (\eta_0 - \eta_\text{min}) \left(1 + \cos \frac{\pi t}{T}\right),
 *   \qquad \eta(t) = \eta_\text{min} + \tfrac12 (\eta_0 - \eta_\text{min})
 *   \left(1 + \cos \frac{\pi\,(t - W)}{T - W}\right) \quad (t \ge W).$$
 * **One-cycle** [@smith2018disciplined] rises along half a cosine from $\eta_0/25$ (`div_factor`)
 * to its peak $\eta_0$ at step $p = 0.3\,T - 1$ (`pct_start`), then falls along another to
 * $\eta_0/(25 \cdot 10^4)$ (`final_div`) at step $T - 1$. **SGDR**, warm restarts
 * [@loshchilov2017sgdr], runs the cosine from $\eta_0$ to $\eta_\text{min}$ over $T_0$ steps
 * (`t0`), then restarts it for a period $m$ times as long (`t_mult`): cycle $i$ lasts
 * $T_0\, m^i$ steps, and $t$ is counted from the start of its cycle.
 *
 * `schedule_lr` computes all eight, one `case` each; the helper `cosine_between` is the half
 * cosine of the last four:
 *
 * @include common/schedule.c:cosine_between,schedule_lr
 *
 * The lab sets each schedule's parameters from the run's length: step decay by 10× after each
 * third; exponential decay to 1/100 at the end; a linear warm-up from 1/10 over the first epoch
 * (then constant); cosine to zero; the same warm-up from zero followed by cosine; one-cycle with
 * `lr` as its maximum; and SGDR with restarts after 1/7 and 3/7 of the run (periods doubling).
 */
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

static const double SCHED_LR = 0.05;

static bool section_schedules(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val,
                              TrainBuffers *b) {
    int S = cfg->seeds, per_epoch = (cfg->sched_train_n + 63) / 64;   /* batch 64 */
    int total = per_epoch * cfg->sched_epochs;
    /* @fold writes schedules.csv: every schedule's rate at every step, against the epoch */
    char path[512];
    Csv lr_csv;
    if (!csv_open(&lr_csv, lab_path(lab, "schedules.csv", path, sizeof path), "schedule,epoch,lr")) return false;
    for (int k = 0; k < SCHED_NKINDS; k++) {
        Schedule sc = make_schedule((SchedKind)k, SCHED_LR, total, per_epoch);
        for (int t = 0; t < total; t++) csv_row(&lr_csv, "sgg", schedule_name((SchedKind)k), (double)t / per_epoch,
                                                schedule_lr(&sc, t));
    }
    if (!csv_close(&lr_csv)) return false;
    /* @end */
    Setup setup[SCHED_NKINDS];   /* arm k: the plain net, SGD with momentum, under schedule k */
    for (int k = 0; k < SCHED_NKINDS; k++) {
        setup[k] = plain_setup();
        setup[k].name = schedule_name((SchedKind)k), setup[k].sched = (SchedKind)k;
        setup[k].opt = opt_config(&OPTS[1], SCHED_LR);
    }
    Plan plan = {lab, tr, val, NULL, setup, cfg->sched_train_n, cfg->sched_epochs, cfg->target};
    SweepRun *runs = sweep_alloc(SCHED_NKINDS, S);
    sweep_run(runs, SCHED_NKINDS * S, train_one, &plan, b, lab->threads, "eight schedules");
    /* @fold opens schedule_bands.csv and schedule_final.csv */
    Csv bands, table;
    if (!sweep_bands_open(&bands, lab_path(lab, "schedule_bands.csv", path, sizeof path)) ||
        !csv_open(&table, lab_path(lab, "schedule_final.csv", path, sizeof path),
                  "schedule,val_min,val_mean,val_max,final_train_loss"))
        return false;
    /* @end */
    SweepArm a[SCHED_NKINDS];
    for (int k = 0; k < SCHED_NKINDS; k++) {
        a[k] = sweep_arm(&runs[k * S], S);
        sweep_bands_rows(&bands, schedule_name((SchedKind)k), &runs[k * S], S, cfg->sched_epochs);
        /* @fold writes the final accuracy and training loss to schedule_final.csv, records them */
        const char *name = schedule_name((SchedKind)k);
        csv_row(&table, "sffff", name, a[k].val.lo, a[k].val.mean, a[k].val.hi, a[k].loss.mean);
        printf("  %-14s final val acc %.4f (%.4f-%.4f), train loss %.4f\n", name, a[k].val.mean, a[k].val.lo,
               a[k].val.hi, a[k].loss.mean);
        char key[64];
        snprintf(key, sizeof key, "sched_%s_val_acc", name);
        results_num(&lab->results, key, a[k].val.mean);
        snprintf(key, sizeof key, "sched_%s_train_loss", name);
        results_num(&lab->results, key, a[k].loss.mean);
        /* @end */
    }
    /* @fold closes the files; records the sizes, and the claim: warm-up + cosine against a constant rate */
    if (!csv_close(&bands) || !csv_close(&table)) return false;
    results_int(&lab->results, "sched_train_images", cfg->sched_train_n);
    results_int(&lab->results, "sched_epochs", cfg->sched_epochs);
    results_num(&lab->results, "sched_lr", SCHED_LR);
    const SweepArm *wc = &a[SCHED_WARMUP_COSINE], *c = &a[SCHED_CONSTANT];
    results_num(&lab->results, "warmup_cosine_gain", wc->val.mean - c->val.mean);
    claims_add(&lab->claims, "warmup_cosine_at_least_constant", wc->val.lo >= c->val.hi, wc->val.lo - c->val.hi,
               "every warm-up + cosine seed ends with at least the validation accuracy of the best constant-rate "
               "seed [the worst warm-up + cosine seed minus the best constant one]");
    /* @end */
    free(runs);
    return true;
}

/** **What the schedules did.** @fig:lab07-schedules draws the eight schedules as the library
 * computes them; @fig:lab07-schedule-curves and @tbl:lab07-schedules show what training under
 * each gives. A constant rate ends at {{lab07:sched_constant_val_acc}}; warm-up followed by cosine
 * decay at {{lab07:sched_warmup_cosine_val_acc}}, plain cosine at {{lab07:sched_cosine_val_acc}},
 * one-cycle at {{lab07:sched_onecycle_val_acc}}. The schedules that end with a small rate also end
 * with a lower training loss (constant: {{lab07:sched_constant_train_loss|g3}}, cosine:
 * {{lab07:sched_cosine_train_loss|g3}}): the last epochs at a small rate average out the noise of
 * the minibatch gradients instead of bouncing on it. A warm-up alone (then constant) buys nothing
 * at this depth; its use is to protect the first steps of nets that are fragile at the start —
 * deep ones, or Adam's early steps — which the plain net is not.
 *
 * ![The eight schedules: the learning rate against the epoch, from `schedule_lr`.](lab07_schedules){#fig:lab07-schedules}
 *
 * ![Validation accuracy per epoch under each schedule (SGD with momentum 0.9).](lab07_schedule_curves){#fig:lab07-schedule-curves}
 *
 * ```{.csv-table #tbl:lab07-schedules file="lab07/schedule_final.csv"
 *    header="Schedule,Val. min,Val. mean,Val. max,Final train loss"
 *    digits="3" caption="The final validation accuracy and training loss under each schedule, {{lab07:seeds}} seeds each."}
 * ```
 */

/** ## 4. The modern recipe, and its ablation
 *
 * The recipe: a wider net (784-512-256-10), He initialization, BatchNorm before each ReLU,
 * dropout 0.1 after it, AdamW (peak rate $4\cdot 10^{-3}$, decay 0.05) with one epoch of linear
 * warm-up and a cosine decay to zero, batch 256, early stopping with a patience of 5 epochs on
 * the validation accuracy (the weights of the best epoch are kept), and random left-right
 * mirroring of the images (a shirt mirrored is still a shirt) — all of it in `recipe_setup`
 * below. {{lab07:seeds}} seeds of it train on {{lab07:recipe_train_images|int}} training images,
 * and as many seeds of the plain net next to it; both are scored once on the test images.
 */
enum { ING_NONE, ING_HE, ING_BN, ING_DROPOUT, ING_ADAMW, ING_SCHEDULE, ING_EARLY, ING_AUGMENT, NING };
/* @fold ING_NAME, ING_KEY: each ingredient's name for the table and key for the results */
static const char *const ING_NAME[NING] = {"full recipe", "no He init", "no BatchNorm", "no dropout",
                                           "no AdamW",    "no schedule", "no early stop", "no mirroring"};
static const char *const ING_KEY[NING] = {"full", "no_he", "no_bn", "no_dropout", "no_adamw", "no_schedule",
                                          "no_early_stop", "no_flip"};
/* @end */

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

static bool section_recipe(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val,
                           const Subset *test, TrainBuffers *b) {
    int S = cfg->seeds;
    Setup setup[2] = {recipe_setup(ING_NONE), plain_setup()};   /* arm 0: the recipe; 1: the plain net */
    Plan plan = {lab, tr, val, test, setup, cfg->recipe_train_n, cfg->recipe_epochs, 0};
    SweepRun *runs = sweep_alloc(2, S);
    sweep_run(runs, 2 * S, train_one, &plan, b, lab->threads, "the recipe and the plain net");
    SweepArm recipe = sweep_arm(runs, S), plain = sweep_arm(runs + S, S);
    /* @fold writes recipe_bands.csv; records the test accuracies, epochs and seconds, and the claims */
    double stop = 0, secs = 0;   /* the recipe's epochs run (early stopping) and seconds, mean over seeds */
    for (int s = 0; s < S; s++) stop += (double)runs[s].r.epochs_run / S, secs += runs[s].r.seconds / S;
    char path[512];
    Csv bands;
    if (!sweep_bands_open(&bands, lab_path(lab, "recipe_bands.csv", path, sizeof path))) return false;
    sweep_bands_rows(&bands, "recipe", runs, S, cfg->recipe_epochs);
    sweep_bands_rows(&bands, "plain", runs + S, S, cfg->recipe_epochs);
    if (!csv_close(&bands)) return false;
    printf("  recipe: test accuracy %.4f (%.4f-%.4f), %.1f epochs, %.0f s per run\n", recipe.test.mean,
           recipe.test.lo, recipe.test.hi, stop, secs);
    printf("  plain:  test accuracy %.4f (%.4f-%.4f)\n", plain.test.mean, plain.test.lo, plain.test.hi);
    results_num(&lab->results, "recipe_test_acc", recipe.test.mean);
    results_num(&lab->results, "recipe_test_min_acc", recipe.test.lo);
    results_num(&lab->results, "recipe_test_max_acc", recipe.test.hi);
    results_num(&lab->results, "recipe_val_acc", recipe.val.mean);
    results_num(&lab->results, "recipe_epochs_run", stop);
    results_num(&lab->results, "recipe_seconds", secs);
    results_num(&lab->results, "plain_test_acc", plain.test.mean);
    results_num(&lab->results, "plain_test_min_acc", plain.test.lo);
    results_num(&lab->results, "plain_test_max_acc", plain.test.hi);
    results_int(&lab->results, "recipe_train_images", cfg->recipe_train_n);
    results_int(&lab->results, "recipe_epochs", cfg->recipe_epochs);
    claims_add(&lab->claims, "recipe_beats_plain", recipe.test.lo > plain.test.hi, recipe.test.lo - plain.test.hi,
               "every seed of the recipe scores a higher test accuracy than every seed of the plain net [the "
               "recipe's worst minus the plain net's best]");
    if (!lab->quick)
        claims_add(&lab->claims, "recipe_reaches_90_5", recipe.test.mean >= 0.905, recipe.test.mean,
                   "the recipe reaches a test accuracy of at least 90.5% on Fashion-MNIST (mean over seeds) [its "
                   "test accuracy]");
    /* @end */
    free(runs);
    return true;
}

/** **What the recipe did.** Trained on {{lab07:recipe_train_images|int}} images for up to
 * {{lab07:recipe_epochs}} epochs (they ran {{lab07:recipe_epochs_run|g3}} on average — early
 * stopping ends a run sooner only if validation accuracy stalls for the patience of 5 epochs,
 * which the cosine decay makes rare; {{lab07:recipe_seconds|s}} per run), the recipe scores
 * **{{lab07:recipe_test_acc}}** on the test set (seeds from {{lab07:recipe_test_min_acc}} to
 * {{lab07:recipe_test_max_acc}}), against {{lab07:plain_test_acc}} ({{lab07:plain_test_min_acc}}
 * to {{lab07:plain_test_max_acc}}) for the plain net trained as long (@fig:lab07-recipe). For
 * comparison, the Fashion-MNIST benchmark lists 87.0% for scikit-learn's MLP and 90.0% for a
 * 256-128-64 MLP [@xiao2017fashion]. The plain net's validation accuracy peaks early and sags as
 * it overfits; the recipe's keeps rising as the cosine brings the rate down. This chapter was built
 * to reach 90.5% with the recipe, and did when it trained for more epochs; the full run is now cut
 * to the epochs that fit five minutes on the slower machines this workbook is built on; in a full
 * build, a claim at the end of the chapter says whether the recipe still gets there in them.
 *
 * ![Validation accuracy per epoch of the recipe and the plain net, {{lab07:seeds}} seeds
 * each.](lab07_recipe){#fig:lab07-recipe}
 *
 * **The ablation** removes each ingredient in turn — the rest unchanged — at a smaller scale, so
 * that eight arms of {{lab07:seeds}} seeds fit the budget: {{lab07:ablate_epochs}} epochs on
 * {{lab07:ablate_train_images|int}} images. "No He" means PyTorch's default initialization; "no
 * AdamW" means Adam without decay; "no schedule" a constant rate.
 */
static bool section_ablation(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val,
                             TrainBuffers *b) {
    int S = cfg->seeds;
    Setup setup[NING];   /* arm k: the recipe without ingredient k (arm 0: the full recipe) */
    for (int k = 0; k < NING; k++) setup[k] = recipe_setup(k);
    Plan plan = {lab, tr, val, NULL, setup, cfg->ablate_train_n, cfg->ablate_epochs, 0};
    SweepRun *runs = sweep_alloc(NING, S);
    sweep_run(runs, NING * S, train_one, &plan, b, lab->threads, "the ablation");
    /* @fold opens ablation.csv */
    char path[512];
    Csv table;
    if (!csv_open(&table, lab_path(lab, "ablation.csv", path, sizeof path),
                  "setting,val_min,val_mean,val_max,change_points,epochs_run"))
        return false;
    /* @end */
    SweepArm full = sweep_arm(runs, S);
    char effects[256] = "";   /* the removals whose seeds all end outside the full recipe's range */
    for (int k = 0; k < NING; k++) {
        SweepArm a = sweep_arm(&runs[k * S], S);
        double change = a.val.mean - full.val.mean;
        bool measured = k && (a.val.hi < full.val.lo || a.val.lo > full.val.hi);   /* every seed out */
        /* @fold names a measured change in effects; writes the row (change in points, epochs run) */
        if (measured)
            snprintf(effects + strlen(effects), sizeof effects - strlen(effects), "%s%s (%+.1f points)",
                     *effects ? ", " : "", ING_NAME[k], 100 * change);
        double epochs = 0;
        for (int s = 0; s < S; s++) epochs += (double)runs[k * S + s].r.epochs_run / S;
        csv_row(&table, "sfffff", ING_NAME[k], a.val.lo, a.val.mean, a.val.hi, 100 * change, epochs);
        printf("  %-14s val acc %.4f (%.4f-%.4f)  %+.4f\n", ING_NAME[k], a.val.mean, a.val.lo, a.val.hi, change);
        char key[64];
        snprintf(key, sizeof key, "ablate_%s_val_acc", ING_KEY[k]);
        results_num(&lab->results, key, a.val.mean);
        snprintf(key, sizeof key, "ablate_%s_change", ING_KEY[k]);
        if (k) results_num(&lab->results, key, change);
        /* @end */
    }
    /* @fold closes the file, records the measured effects and the sizes */
    if (!csv_close(&table)) return false;
    results_str(&lab->results, "ablate_measured_effects", *effects ? effects : "none");
    results_int(&lab->results, "ablate_train_images", cfg->ablate_train_n);
    results_int(&lab->results, "ablate_epochs", cfg->ablate_epochs);
    /* @end */
    free(runs);
    return true;
}

/** **What the ablation showed.** @tbl:lab07-ablation gives each arm's validation accuracy and
 * its change against the full recipe's mean, in percentage points. Read it with the seed spread
 * in mind: a change smaller than the min–max range of the arms is not a measured effect. The
 * removals whose seeds all ended outside the full recipe's range: {{lab07:ablate_measured_effects|raw}}.
 * The others are within the noise at this scale, and some for a reason worth knowing: with
 * BatchNorm after every Linear layer the initialization's scale is normalized away, so He
 * initialization matters little; early stopping cannot help a run whose validation accuracy never
 * stalls (the last column counts the epochs run); and the regularizers — dropout, decay,
 * mirroring — pay off over long training on many images, where the plain net above overfits, not
 * in a short run on few. The ablation measures the ingredients one at a time at a small scale; the
 * comparison with the plain net measures them together at full scale.
 *
 * ```{.csv-table #tbl:lab07-ablation file="lab07/ablation.csv"
 *    header="Setting,Val. min,Val. mean,Val. max,Change (points),Epochs run"
 *    digits="3" caption="The recipe with one ingredient removed at a time; the change is in percentage points against the full recipe's mean."}
 * ```
 */

/** ## Putting it together */
static int run_lab(Lab *lab) {
    const Config *cfg = lab->quick ? &QUICK : &FULL;
    /* @fold loads Fashion-MNIST: the training split tr, the validation set val, the test set */
    Dataset train, test;   /* the data first: a missing file stops the lab before it writes anything */
    Rng split;
    rng_init(&split, lab->seed);
    Subset tr, val, rest;
    if (!data_fashion_split(&train, VAL_N, cfg->recipe_train_n, &split, "lab07", &tr, &val, &rest) ||
        !data_load(&test, "fashion-mnist", "t10k", "lab07"))
        return 1;
    /* @end */
    printf("\n1. Six optimizers on two 2-D surfaces\n");
    if (!section_surfaces(lab, cfg)) return 1;

    /* @fold the test subset te, standardized as the training set; buffers per worker; the sizes */
    Subset te = subset_range(&test, 0, cfg->test_n);
    test.mean = train.mean, test.std = train.std;
    TrainBuffers *b = trainbufs_new(lab->threads, EVAL, 784, CLASSES);   /* one per worker */
    results_num(&lab->results, "target_acc", cfg->target);
    results_int(&lab->results, "seeds", cfg->seeds);
    /* @end */

    /* @fold prints the section's title */
    printf("\n2. Six optimizers, three learning rates each: %d epochs on %d images, %d seeds\n", cfg->opt_epochs,
           cfg->opt_train_n, cfg->seeds);
    /* @end */
    if (!section_optimizers(lab, cfg, &tr, &val, b)) return 1;
    /* @fold prints the section's title */
    printf("\n3. Eight schedules (SGD, momentum 0.9, peak rate %g): %d epochs on %d images\n", SCHED_LR,
           cfg->sched_epochs, cfg->sched_train_n);
    /* @end */
    if (!section_schedules(lab, cfg, &tr, &val, b)) return 1;
    /* @fold prints the section's title */
    printf("\n4. The recipe (%d epochs on %d images) against the plain net, then the ablation\n", cfg->recipe_epochs,
           cfg->recipe_train_n);
    /* @end */
    if (!section_recipe(lab, cfg, &tr, &val, &te, b)) return 1;
    if (!section_ablation(lab, cfg, &tr, &val, b)) return 1;

    /* @fold frees everything */
    trainbufs_free(b, lab->threads);
    subset_free(&val), subset_free(&rest), subset_free(&te);
    dataset_free(&train), dataset_free(&test);
    /* @end */
    return 0;
}

/* @fold main(): command-line flags */
#ifndef NN_NO_MAIN
int main(int argc, char **argv) {
    Lab lab;
    lab_start(&lab, argc, argv, "lab07", "Optimizers and schedules", NULL, 0);
    return lab_run(&lab, run_lab);
}
#endif
/* @end */

/** ## In plain words
 *
 * An optimizer turns gradients into steps, and optimizers differ in how large a step each
 * direction gets. Momentum sums the gradients over steps, so that a zig-zag across a valley
 * cancels while the drift along it adds up; Nesterov takes the same sum with a look-ahead that
 * overshoots less. RMSprop and Adam divide each parameter's step by the size of its recent
 * gradients, so that every coordinate moves at about the same pace whatever its scale; Adam's
 * bias corrections keep its first steps at about $\eta$. AdamW applies weight decay as a plain
 * shrinking of the weights, outside that division, so that it acts the same on every weight. A
 * schedule changes the rate during the run — large early to move fast, small late so that the
 * noise of the minibatch gradients averages out — and the run's last epochs at a small rate are
 * where it pays. Finally, the ingredients of a modern recipe are worth measuring one at a time,
 * and a removal is a measured effect only when its seeds' band separates from the full recipe's.
 * At a small scale that rule can find removals that help: a regularizer that pays over long
 * training can cost a short run, and even the recipe's schedule, whose first epoch is warm-up, may
 * cost a run this short although a decay helped SGD with momentum in the schedules section. What
 * the recipe buys as a whole is measured against the plain net, at full scale.
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
 * | `sgd_momentum` | momentum and Nesterov, PyTorch's form | update the buffer first; Nesterov steps along $g + \mu m$ |
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
