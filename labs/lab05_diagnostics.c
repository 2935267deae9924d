/** # Training diagnostics {#sec:lab05}
 *
 * **Question.** Neural-net training fails silently: a wrong learning rate, a forgotten line, a
 * data set in the wrong order — the program runs, the loss is a number, and the model is bad.
 * How do you tell what went wrong? This lab breaks training on purpose, nine ways, and measures
 * each failure's *fingerprint* with the instruments of `common/monitor.c`: per-layer gradient
 * norms, the update-to-weight ratio, the fractions of dead and saturated units, the step where the
 * loss stopped being a number. Then it applies the standard fix and measures again. A learning-rate
 * finder and an executable checklist (`build/bin/lab05 --check`) close the chapter, after the
 * course notes [@cs231n] and the recipe [@karpathy2019recipe].
 */
/* @fold the headers, and Config: the sizes of the experiment in full and quick mode */
#include <string.h>

#include "data.h"
#include "monitor.h"
#include "nnlab.h"
#include "train.h"

typedef struct {
    int train_n, val_n;      /* Fashion-MNIST training and validation images */
    int steps;               /* training steps of every run but the overfitting pair */
    int overfit_n, overfit_steps;   /* the overfitting pair: its images and steps */
    int finder_steps;        /* the learning-rate finder's longest sweep */
} Config;

static const Config FULL = {.train_n = 10000, .val_n = 2000, .steps = 400, .overfit_n = 500, .overfit_steps = 1500,
                            .finder_steps = 300};
static const Config QUICK = {.train_n = 3000, .val_n = 1000, .steps = 150, .overfit_n = 300, .overfit_steps = 500,
                             .finder_steps = 150};
/* @end */

enum { BATCH = 64, EVAL = 500, CLASSES = 10, MAX_STEPS = 2000, EVERY = 10 };

/** ## The loop, with every mistake as a switch
 *
 * The training loop of this chapter is written out, not taken from `train.c`, because three of
 * the failures are mistakes *in the loop*: it can forget `zero_grad`, walk the data in its stored
 * order, and evaluate with dropout still on. A `Setting` holds the switches and the
 * hyperparameters; everything not in it is shared: SGD with momentum 0.9 unless Adam is asked for,
 * batches of 64, Fashion-MNIST.
 */
typedef struct {
    const char *arch;        /* "784-128-128-10" */
    ActKind act;
    Init init;
    OptKind opt;
    double lr, clip, dropout, l2;
    bool norm;               /* BatchNorm after every hidden Linear layer */
    int steps;
    const Subset *tr;        /* the training set (sorted by label for the shuffle failure) */
    bool zero_grad, shuffle, eval_mode;
} Setting;

/** A run returns its fingerprint: the loss of every step, and what the instruments read. */
typedef struct {
    double loss[MAX_STEPS];  /* per step; NAN after divergence */
    long diverged_step;      /* 0: never */
    double init_loss;        /* loss of the first batch, before any step */
    double final_loss;       /* mean loss of the last 10 steps (NAN if diverged) */
    double train_acc, val_acc;
    double val_acc_again;    /* a second evaluation, same weights */
    double update_ratio;     /* median over measured steps of the mean over Linear layers */
    double grad_first, grad_last;   /* |dW| of the first and last Linear layer, last measured step */
    double grad_growth;      /* |dW| of the first layer, last measured step / first measured step */
    double dead, saturated;  /* largest over hidden activation layers, at the end, on a val. batch */
} Outcome;

/** ### The instruments
 *
 * The loss is one number for the whole net; the instruments of `common/monitor.c` read each layer.
 * For a Linear layer with weights $W$ and gradient $dW = \partial L / \partial W$, both measured
 * by the Frobenius norm $\|A\| = \sqrt{\sum_{oi} A_{oi}^2}$:
 *
 * - the **gradient norm** $\|dW\|$: how strongly the loss pulls on the layer. Compared across
 *   layers it shows a gradient that vanishes (or explodes) on its way down the stack;
 * - the **update ratio**, the size of the step the optimizer actually took against the size of the
 *   weights,
 *   $$\rho = \frac{\|W_{t+1} - W_t\|}{\|W_{t+1}\|}, \qquad \text{plain SGD: } \rho = \frac{\eta\,\|dW\|}{\|W_{t+1}\|}.$$
 *   The CS231n notes' rule of thumb [@cs231n] is $\rho \approx 10^{-3}$: far below, the layer is
 *   not learning; far above, it is thrashing. The ratio measures the step, not the gradient, so
 *   it is right for Adam and momentum too, whose steps are not $\eta\,dW$.
 *
 * To measure the step, the monitor copies every $W$ just before `optim_step` and compares after it:
 *
 * @include common/monitor.c:monitor_before_step,monitor_after_step
 *
 * For an activation layer with outputs $y_{nu}$ on a batch of $N$ samples and $d$ units:
 *
 * - the **dead fraction**, the share of units that output zero for every sample,
 *   $\frac1d \#\{u : y_{nu} = 0 \text{ for all } n\}$. A dead ReLU unit passes no gradient
 *   ($dx = dy \odot [x > 0]$ is zero for all of its inputs), so nothing will revive it;
 * - the **saturated fraction**, the share of outputs where a sigmoid is below 0.01 or above 0.99
 *   (or a tanh beyond $\pm 0.99$): there the derivative $\sigma(1 - \sigma)$ is below 0.01 and
 *   the gradient through the unit almost vanishes.
 *
 * @include common/monitor.c:activation_stats
 */
/* @fold build(): the MLP of st->arch; its output layer Xavier with gain 0.1, so the loss starts near ln C */
static void build(Net *net, const Setting *st, Rng *rng) {
    int dims[16], n = net_arch_parse(st->arch, dims, 16);
    CHECK(n, "architecture '%s'", st->arch);   /* --check validated it */
    net_init(net, EVAL);
    for (int i = 0; i + 1 < n; i++) {
        bool last = i + 2 == n;
        /* the output layer: Xavier scaled by 0.1, so the logits start near zero and the loss near
         * ln C (the recipe's "init well") - unless the setting is the std-1 failure, which has
         * std-1 weights everywhere */
        Init out = init_make(INIT_XAVIER_UNIFORM);
        out.gain = R(0.1);
        if (st->init.kind == INIT_NORMAL) out = st->init;
        net_add_linear(net, dims[i], dims[i + 1], !(st->norm && !last), last ? out : st->init, rng);
        if (last) break;
        if (st->norm) net_add_norm(net, NORM_BATCH);
        net_add_act(net, act_make(st->act));
        if (st->dropout > 0) net_add_dropout(net, (real)st->dropout);
    }
}
/* @end */

/** Accuracy on a set runs the net forward in evaluation mode — unless the setting forgets to
 * switch (`eval_mode` false), and dropout keeps sampling masks. */
static double accuracy(Net *net, const Subset *s, TrainBuffers *b, bool eval_mode, Rng *rng) {
    int correct = 0;
    for (int start = 0; start < s->n; start += EVAL) {
        int count = s->n - start < EVAL ? s->n - start : EVAL;
        dataset_batch(s->data, s->idx + start, count, b->x, b->y);
        const real *logits = net_forward(net, b->x, count, !eval_mode, rng);   /* training = !eval_mode */
        correct += count_correct(logits, b->y, count, CLASSES);
    }
    return (double)correct / s->n;
}

/* @fold cmp_double(): the order of two doubles, for qsort */
static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
/* @end */

/** The loop itself. Every `EVERY` = 10 steps the monitor brackets `optim_step`; the run keeps the
 * mean update ratio over the Linear layers, the gradient norms of the first and last Linear layer,
 * and how much the first one has grown since step 0. A loss or a weight that is not a finite
 * number ends the run: it has diverged. The switches sit where the mistakes would: `shuffle`
 * decides whether the batcher draws a new order every epoch; `zero_grad` whether the gradients are
 * cleared before every backward pass (the broken loop clears them once, at the start); `l2` and
 * `clip` change the gradient between the backward pass and the step; `eval_mode` acts after the
 * loop, in `accuracy`. */
static Outcome run(const Setting *st, const Subset *val, TrainBuffers *b, uint64_t seed) {
    Outcome o = {.grad_growth = NAN};
    /* @fold builds the net, its optimizer (SGD, momentum 0.9; or Adam), the monitor, the batcher */
    Rng rng;
    rng_init(&rng, seed);
    Net net;
    build(&net, st, &rng);
    int np;
    Param *params = net_param_list(&net, &np);
    OptConfig oc = optim_defaults(st->opt);
    oc.lr = (real)st->lr;
    if (st->opt == OPT_SGD) oc.momentum = R(0.9);
    Optimizer opt;
    optim_init(&opt, oc, params, np);
    Monitor mon;
    monitor_init(&mon, &net);
    double ratios[MAX_STEPS / EVERY + 1], first_grad = NAN;
    int nratios = 0;
    Batcher batches;
    batcher_init(&batches, st->tr, BATCH);
    /* @end */
    if (st->shuffle) batcher_shuffle(&batches, &rng);
    if (st->zero_grad == false) optim_zero_grad(&opt);   /* once, at the start: the bug is not repeating */
    for (int step = 0; step < st->steps; step++) {
        const int *idx;
        int count;
        if (!batcher_next(&batches, &idx, &count)) {   /* an epoch is over */
            if (st->shuffle) batcher_shuffle(&batches, &rng);   /* (batcher_next has rewound) */
            batcher_next(&batches, &idx, &count);
        }
        dataset_batch(st->tr->data, idx, count, b->x, b->y);
        if (st->zero_grad) optim_zero_grad(&opt);
        const real *logits = net_forward(&net, b->x, count, true, &rng);
        real loss = xent_forward(b->probs, logits, b->y, count, CLASSES, 0);
        if (step == 0) o.init_loss = loss;
        if (!isfinite(loss)) {
            o.diverged_step = step + 1;
            break;
        }
        o.loss[step] = loss;
        xent_backward(b->probs, b->probs, b->y, count, CLASSES, 0);
        net_backward(&net, b->probs);
        if (st->l2 > 0) penalty_l2(params, np, (real)st->l2);
        if (st->clip > 0) clip_grad_norm(params, np, st->clip);
        bool watch = step % EVERY == 0;
        if (watch) monitor_before_step(&mon);
        optim_step(&opt, (real)st->lr);
        if (watch) {
            monitor_after_step(&mon);
            /* @fold keeps the mean update ratio, the first and last |dW| and the first one's growth */
            double sum = 0;
            int nl = 0;
            const LayerStat *firstl = NULL, *lastl = NULL;
            for (int k = 0; k < mon.n; k++)
                if (mon.stats[k].kind == LAYER_LINEAR) {
                    sum += mon.stats[k].update_ratio, nl++;
                    if (!firstl) firstl = &mon.stats[k];
                    lastl = &mon.stats[k];
                }
            ratios[nratios++] = sum / nl;
            o.grad_first = firstl->grad_norm, o.grad_last = lastl->grad_norm;
            if (step == 0) first_grad = firstl->grad_norm;
            o.grad_growth = o.grad_first / first_grad;
            /* @end */
            if (!mon.finite) {
                o.diverged_step = step + 1;
                break;
            }
        }
    }
    /** After the last step: the final loss is the mean of the last ten steps, the update ratio the
     * median of those measured; then, unless the run diverged, the accuracies — validation twice,
     * on the same weights, which agree unless dropout is still on — and the dead and saturated
     * units of each hidden layer on one validation batch, the largest share kept. */
    /* @fold the steps after a divergence marked NaN; the final loss; the median update ratio */
    for (int s = o.diverged_step ? (int)o.diverged_step - 1 : st->steps; s < st->steps; s++) o.loss[s] = NAN;
    o.final_loss = 0;
    int tail = st->steps < 10 ? st->steps : 10;
    for (int s = st->steps - tail; s < st->steps; s++) o.final_loss += o.loss[s] / tail;
    qsort(ratios, (size_t)nratios, sizeof(double), cmp_double);
    o.update_ratio = nratios ? ratios[nratios / 2] : NAN;
    /* @end */
    if (o.diverged_step) {
        o.train_acc = o.val_acc = o.val_acc_again = o.dead = o.saturated = NAN;
    } else {
        Subset tr_eval = {st->tr->data, st->tr->idx, st->tr->n < 2000 ? st->tr->n : 2000};
        o.train_acc = accuracy(&net, &tr_eval, b, true, &rng);
        o.val_acc = accuracy(&net, val, b, st->eval_mode, &rng);
        o.val_acc_again = accuracy(&net, val, b, st->eval_mode, &rng);
        /* dead and saturated units on one validation batch, in evaluation mode */
        dataset_batch(val->data, val->idx, EVAL, b->x, b->y);
        net_forward(&net, b->x, EVAL, false, NULL);
        monitor_activations(&mon);
        /* @fold the largest dead and saturated fractions over the hidden activation layers */
        for (int k = 0; k + 1 < mon.n; k++) {
            if (mon.stats[k].kind != LAYER_ACT) continue;
            o.dead = fmax(o.dead, mon.stats[k].dead);
            if (isfinite(mon.stats[k].saturated)) o.saturated = fmax(o.saturated, mon.stats[k].saturated);
        }
        /* @end */
    }
    /* @fold frees the batcher, the monitor, the optimizer and the net */
    batcher_free(&batches);
    monitor_free(&mon);
    optim_free(&opt), free(params);
    net_free(&net);
    /* @end */
    return o;
}
/** ## Nine failures and their fixes
 *
 * Each failure is a `Setting` that differs from a healthy baseline in one place, and each fix
 * changes that place back — or applies the standard remedy. The healthy baseline is a
 * 784-128-128-10 ReLU net, He initialization, SGD with momentum 0.9 at learning rate 0.01.
 * The same seed trains the broken and the fixed run, so their curves start from the same weights.
 */
typedef enum {
    F_LR_HIGH, F_LR_LOW, F_VANISHING, F_OVERFIT, F_DEAD, F_BAD_INIT, F_NO_ZERO_GRAD, F_NO_SHUFFLE,
    F_DROPOUT_EVAL, F_COUNT
} Failure;

/* @fold FAILURE_NAMES, the names in the files; Data, the configuration and the sets a run may use */
static const char *const FAILURE_NAMES[F_COUNT] = {
    "lr-too-high", "lr-too-low", "vanishing", "overfitting", "dead-relu", "bad-init", "no-zero-grad", "no-shuffle",
    "dropout-at-eval"};

typedef struct {
    const Config *cfg;
    const Subset *tr, *sorted, *small, *val;
} Data;
/* @end */

static Setting healthy(const Config *cfg, const Data *d) {
    return (Setting){.arch = "784-128-128-10", .act = ACT_RELU, .init = init_make(INIT_HE_NORMAL),
                     .opt = OPT_SGD, .lr = 0.01, .steps = cfg->steps, .tr = d->tr,
                     .zero_grad = true, .shuffle = true, .eval_mode = true};
}

/** Each case of the switch below is one failure, and `fixed` turns it into its fix. */
/* The broken setting (fixed = false) or its fix (fixed = true). */
static Setting failure_setting(Failure f, bool fixed, const Config *cfg, const Data *d) {
    Setting s = healthy(cfg, d);
    switch (f) {
    case F_LR_HIGH: s.lr = fixed ? 0.01 : 2; break;      /* fix: a sane rate (or clipping) */
    case F_LR_LOW: s.lr = fixed ? 0.01 : 1e-6; break;
    case F_VANISHING:                                    /* 10 sigmoid layers; fix: ReLU + He */
        s.arch = "784-128-128-128-128-128-128-128-128-128-10";
        s.act = fixed ? ACT_RELU : ACT_SIGMOID;
        s.init = fixed ? init_make(INIT_HE_NORMAL) : init_make(INIT_XAVIER_NORMAL);
        break;
    case F_OVERFIT:                                      /* few images, wide net; fix: dropout + L2 */
        s.arch = "784-512-512-10", s.tr = d->small, s.steps = cfg->overfit_steps;
        if (fixed) s.dropout = 0.5, s.l2 = 0.05;
        break;
    case F_DEAD:                                         /* Adam far too fast; fix: LeakyReLU */
        s.opt = OPT_ADAM, s.lr = 0.1;
        if (fixed) s.act = ACT_LEAKY_RELU;
        break;
    case F_BAD_INIT:
        s.init = fixed ? init_make(INIT_HE_NORMAL) : init_value(INIT_NORMAL, R(1));
        break;
    case F_NO_ZERO_GRAD: s.zero_grad = fixed; break;
    case F_NO_SHUFFLE:                                   /* the data sorted by label */
        s.tr = d->sorted, s.shuffle = fixed;
        break;
    case F_DROPOUT_EVAL: s.dropout = 0.5, s.eval_mode = fixed; break;
    default: break;
    }
    return s;
}

/* @fold failure_job(): the eighteen runs on the workers; failure f's pair with seed seed * 1000 + f */
typedef struct {
    const Data *d;
    const Lab *lab;
    TrainBuffers *b;
    Outcome *out;   /* [F_COUNT][2] */
} Batch;

static void failure_job(void *ctx, int job, int worker) {
    Batch *bt = ctx;
    Setting st = failure_setting((Failure)(job / 2), job % 2 == 1, bt->d->cfg, bt->d);
    bt->out[job] = run(&st, bt->d->val, &bt->b[worker], bt->lab->seed * 1000 + (uint64_t)(job / 2));
}

/* @end */

/* @fold symptom(), CAUSES[], FIXES[]: the words of the table, with each symptom's measurement */
/* A symptom line for the table: what was measured, as words and a number. */
static void symptom(char *buf, size_t size, Failure f, const Outcome *o) {
    if (o->diverged_step && f != F_NO_ZERO_GRAD) {
        snprintf(buf, size, "loss not a number at step %ld", o->diverged_step);
        return;
    }
    switch (f) {
    case F_LR_HIGH: snprintf(buf, size, "val. acc. %.1f%%", 100 * o->val_acc); break;
    case F_LR_LOW: snprintf(buf, size, "update ratio %.1e; loss %.3f, then %.3f", o->update_ratio, o->init_loss,
                            o->final_loss); break;
    case F_VANISHING: snprintf(buf, size, "first/last layer gradient %.1e; val. acc. %.1f%%", o->grad_first / o->grad_last,
                               100 * o->val_acc); break;
    case F_OVERFIT: snprintf(buf, size, "train %.1f%% vs val. %.1f%%", 100 * o->train_acc, 100 * o->val_acc); break;
    case F_DEAD: snprintf(buf, size, "%.0f%% of units dead; val. acc. %.1f%%", 100 * o->dead, 100 * o->val_acc); break;
    case F_BAD_INIT: snprintf(buf, size, "loss at init %.3g (ln 10 = 2.30)", o->init_loss); break;
    case F_NO_ZERO_GRAD:
        if (o->diverged_step) snprintf(buf, size, "gradient grew %.3g-fold, then the loss was not a number at step %ld",
                                       o->grad_growth, o->diverged_step);
        else snprintf(buf, size, "gradient grew %.3g-fold; val. acc. %.1f%%", o->grad_growth, 100 * o->val_acc);
        break;
    case F_NO_SHUFFLE: snprintf(buf, size, "val. acc. %.1f%%", 100 * o->val_acc); break;
    case F_DROPOUT_EVAL: snprintf(buf, size, "val. acc. %.2f%%, then %.2f%% on the same weights", 100 * o->val_acc,
                                  100 * o->val_acc_again); break;
    default: buf[0] = '\0';
    }
}

static const char *const CAUSES[F_COUNT] = {
    "learning rate too high", "learning rate too low", "sigmoid gradients vanish through 10 layers",
    "a wide net memorizes a small training set", "a too-fast Adam pushes ReLU units negative for good",
    "weights of std 1: every layer multiplies the signal", "gradients accumulate across steps",
    "batches hold one class each, in order", "evaluation samples a new dropout mask each time"};
static const char *const FIXES[F_COUNT] = {
    "lower the rate (or clip gradients)", "raise the rate (learning-rate finder)", "ReLU and He initialization",
    "dropout 0.5 and L2", "LeakyReLU", "He initialization", "optim_zero_grad before each backward",
    "shuffle every epoch", "evaluate in evaluation mode"};
/* @end */

/** The section runs the eighteen settings — nine failures, each broken and fixed — side by side,
 * and writes what it measured. */
static bool section_failures(Lab *lab, const Data *d, TrainBuffers *b) {
    Outcome *o = nn_calloc(2 * F_COUNT, sizeof(Outcome));
    Batch bt = {d, lab, b, o};
    parallel_run(2 * F_COUNT, lab->threads, failure_job, &bt, "failures and fixes");
    /* @fold writes the losses to curves.csv, the symptoms and fixes to symptoms.csv; prints them */
    const Config *cfg = d->cfg;
    char path[512];
    Csv curves, table;
    if (!csv_open(&curves, lab_path(lab, "curves.csv", path, sizeof path), "failure,variant,step,loss") ||
        !csv_open(&table, lab_path(lab, "symptoms.csv", path, sizeof path), "failure,symptom,cause,fix,after_fix"))
        return false;
    for (int f = 0; f < F_COUNT; f++) {
        int steps = failure_setting((Failure)f, false, cfg, d).steps;
        for (int v = 0; v < 2; v++)
            for (int s = 0; s < steps; s += steps > 500 ? 5 : 1)
                csv_row(&curves, "ssdf", FAILURE_NAMES[f], v ? "fixed" : "broken", s + 1, o[2 * f + v].loss[s]);
        char before[160], after[160];
        symptom(before, sizeof before, (Failure)f, &o[2 * f]);
        symptom(after, sizeof after, (Failure)f, &o[2 * f + 1]);
        csv_row(&table, "sssss", FAILURE_NAMES[f], before, CAUSES[f], FIXES[f], after);
        printf("  %-16s %s\n  %-16s fixed (%s): %s\n", FAILURE_NAMES[f], before, "", FIXES[f], after);
    }
    if (!csv_close(&curves) || !csv_close(&table)) return false;
    /* @end */

    /* @fold records the results and the claims */
    const Outcome *br = o, *fx = o + 1;   /* br[2*f], fx[2*f] */
#define B(f) (&br[2 * (f)])
#define X(f) (&fx[2 * (f)])
    results_int(&lab->results, "lr_high_diverged_step", (int)B(F_LR_HIGH)->diverged_step);
    results_num(&lab->results, "lr_high_fixed_val_acc", X(F_LR_HIGH)->val_acc);
    results_num(&lab->results, "lr_low_update_ratio", B(F_LR_LOW)->update_ratio);
    results_num(&lab->results, "lr_fixed_update_ratio", X(F_LR_LOW)->update_ratio);
    results_num(&lab->results, "vanishing_grad_ratio", B(F_VANISHING)->grad_first / B(F_VANISHING)->grad_last);
    results_num(&lab->results, "vanishing_val_acc", B(F_VANISHING)->val_acc);
    results_num(&lab->results, "vanishing_fixed_grad_ratio", X(F_VANISHING)->grad_first / X(F_VANISHING)->grad_last);
    results_num(&lab->results, "vanishing_fixed_val_acc", X(F_VANISHING)->val_acc);
    results_num(&lab->results, "overfit_train_acc", B(F_OVERFIT)->train_acc);
    results_num(&lab->results, "overfit_val_acc", B(F_OVERFIT)->val_acc);
    results_num(&lab->results, "overfit_fixed_train_acc", X(F_OVERFIT)->train_acc);
    results_num(&lab->results, "overfit_fixed_val_acc", X(F_OVERFIT)->val_acc);
    results_num(&lab->results, "dead_fraction", B(F_DEAD)->dead);
    results_num(&lab->results, "dead_val_acc", B(F_DEAD)->val_acc);
    results_num(&lab->results, "dead_fixed_fraction", X(F_DEAD)->dead);
    results_num(&lab->results, "dead_fixed_val_acc", X(F_DEAD)->val_acc);
    results_num(&lab->results, "bad_init_loss", B(F_BAD_INIT)->init_loss);
    results_num(&lab->results, "good_init_loss", X(F_BAD_INIT)->init_loss);
    results_num(&lab->results, "bad_init_final_loss", B(F_BAD_INIT)->final_loss);
    results_num(&lab->results, "bad_init_dead", B(F_BAD_INIT)->dead);
    results_num(&lab->results, "bad_init_val_acc", B(F_BAD_INIT)->val_acc);
    results_num(&lab->results, "no_zero_grad_growth", B(F_NO_ZERO_GRAD)->grad_growth);
    results_int(&lab->results, "no_zero_grad_diverged_step", (int)B(F_NO_ZERO_GRAD)->diverged_step);
    results_num(&lab->results, "zero_grad_growth", X(F_NO_ZERO_GRAD)->grad_growth);
    results_num(&lab->results, "no_shuffle_val_acc", B(F_NO_SHUFFLE)->val_acc);
    results_num(&lab->results, "shuffle_val_acc", X(F_NO_SHUFFLE)->val_acc);
    results_num(&lab->results, "dropout_eval_val_acc", B(F_DROPOUT_EVAL)->val_acc);
    results_num(&lab->results, "dropout_eval_val_acc_again", B(F_DROPOUT_EVAL)->val_acc_again);
    results_num(&lab->results, "eval_mode_val_acc", X(F_DROPOUT_EVAL)->val_acc);
    /* the settings themselves, for the text */
    results_num(&lab->results, "lr_healthy", healthy(cfg, d).lr);
    results_num(&lab->results, "lr_high", failure_setting(F_LR_HIGH, false, cfg, d).lr);
    results_num(&lab->results, "lr_low", failure_setting(F_LR_LOW, false, cfg, d).lr);
    results_num(&lab->results, "dead_lr", failure_setting(F_DEAD, false, cfg, d).lr);

    claims_add(&lab->claims, "lr_high_nan", B(F_LR_HIGH)->diverged_step > 0 && B(F_LR_HIGH)->diverged_step <= 50 &&
                                                X(F_LR_HIGH)->val_acc > 0.7,
               (double)B(F_LR_HIGH)->diverged_step,
               "at learning rate 2 the loss stops being a number within 50 steps; at 0.01 the same net passes 70% "
               "[the step]");
    claims_add(&lab->claims, "lr_low_tiny_updates",
               B(F_LR_LOW)->update_ratio < 1e-4 && X(F_LR_LOW)->update_ratio > 1e-3 &&
                   B(F_LR_LOW)->final_loss > 0.9 * B(F_LR_LOW)->init_loss,
               B(F_LR_LOW)->update_ratio,
               "at learning rate 1e-6 the update-to-weight ratio stays below 1e-4 (above 1e-3 at 0.01) and the loss "
               "falls by less than 10% [the median ratio]");
    double vr = B(F_VANISHING)->grad_first / B(F_VANISHING)->grad_last;
    claims_add(&lab->claims, "vanishing_gradients", vr < 1e-3 && X(F_VANISHING)->val_acc > B(F_VANISHING)->val_acc + 0.2,
               vr,
               "in the 10-layer sigmoid net the first layer's gradient is below 1e-3 of the last one's, and ReLU with "
               "He initialization trains it at least 20 points better [the ratio]");
    claims_add(&lab->claims, "overfitting_gap",
               B(F_OVERFIT)->train_acc - B(F_OVERFIT)->val_acc > 0.15 &&
                   X(F_OVERFIT)->train_acc - X(F_OVERFIT)->val_acc < B(F_OVERFIT)->train_acc - B(F_OVERFIT)->val_acc,
               B(F_OVERFIT)->train_acc - B(F_OVERFIT)->val_acc,
               "on its few hundred training images the wide net's training accuracy exceeds validation by more "
               "than 15 points; dropout and L2 narrow the gap [the gap]");
    claims_add(&lab->claims, "dead_relus", B(F_DEAD)->dead > 0.5 && X(F_DEAD)->dead < 0.05, B(F_DEAD)->dead,
               "Adam at learning rate 0.1 leaves more than half of some layer's ReLU units dead; with LeakyReLU "
               "under 5% [the dead fraction]");
    claims_add(&lab->claims, "bad_init_loss", B(F_BAD_INIT)->init_loss > 10 * log(CLASSES) &&
                                                  fabs(X(F_BAD_INIT)->init_loss - log(CLASSES)) < 0.5,
               B(F_BAD_INIT)->init_loss,
               "with weights of std 1 the loss at initialization is more than ten times ln 10; with He initialization "
               "it is within 0.5 of ln 10 [the loss]");
    claims_add(&lab->claims, "no_zero_grad", B(F_NO_ZERO_GRAD)->diverged_step > 0 || B(F_NO_ZERO_GRAD)->grad_growth > 10,
               B(F_NO_ZERO_GRAD)->grad_growth,
               "without zero_grad the gradient grows more than tenfold or the run diverges [the growth]");
    claims_add(&lab->claims, "no_shuffle", B(F_NO_SHUFFLE)->val_acc < 0.5 && X(F_NO_SHUFFLE)->val_acc > 0.7,
               B(F_NO_SHUFFLE)->val_acc,
               "walking label-sorted data in order leaves validation accuracy below 50%; shuffled, above 70% "
               "[the accuracy]");
    claims_add(&lab->claims, "dropout_at_eval",
               B(F_DROPOUT_EVAL)->val_acc < X(F_DROPOUT_EVAL)->val_acc - 0.01 &&
                   B(F_DROPOUT_EVAL)->val_acc != B(F_DROPOUT_EVAL)->val_acc_again,
               X(F_DROPOUT_EVAL)->val_acc - B(F_DROPOUT_EVAL)->val_acc,
               "evaluating with dropout on costs more than a point of validation accuracy and gives a different "
               "answer each time [the cost]");
#undef B
#undef X
    /* @end */
    free(o);
    return true;
}

/** **What the instruments saw.** @fig:lab05-fixes shows the training loss of every broken run
 * next to its fix ({{lab05:steps}} steps; the overfitting pair {{lab05:overfit_steps}} steps on
 * {{lab05:overfit_images}} images), and @tbl:lab05-symptoms lists what the instruments measured.
 * In order:
 *
 * - *Learning rate too high* ({{lab05:lr_high|g2}}): the loss stops being a number at step
 *   {{lab05:lr_high_diverged_step}}. At {{lab05:lr_healthy|g2}} the same net reaches
 *   {{lab05:lr_high_fixed_val_acc}}.
 * - *Too low* ({{lab05:lr_low|g2}}): nothing fails, nothing happens. The update ratio is
 *   {{lab05:lr_low_update_ratio|sci}}, against {{lab05:lr_fixed_update_ratio|sci}} at
 *   {{lab05:lr_healthy|g2}} — the CS231n notes' "about $10^{-3}$" [@cs231n] is the healthy order
 *   of magnitude.
 * - *Vanishing gradients*: in the 10-layer sigmoid net the first layer gets
 *   {{lab05:vanishing_grad_ratio|sci}} of the last layer's gradient and validation accuracy stays at
 *   {{lab05:vanishing_val_acc}}; ReLU with He initialization: ratio
 *   {{lab05:vanishing_fixed_grad_ratio|g2}}, accuracy {{lab05:vanishing_fixed_val_acc}}.
 * - *Overfitting*: {{lab05:overfit_train_acc}} training against {{lab05:overfit_val_acc}}
 *   validation accuracy. Dropout and L2 narrow the gap ({{lab05:overfit_fixed_train_acc}} against
 *   {{lab05:overfit_fixed_val_acc}}); the change in validation accuracy is one run against one, not
 *   a measured effect. Lab 3 measures when they buy validation accuracy.
 * - *Dead ReLUs*: Adam at {{lab05:dead_lr|g2}} leaves {{lab05:dead_fraction|pct}} of a layer's
 *   units dead, and validation accuracy at {{lab05:dead_val_acc}}. LeakyReLU keeps every unit alive
 *   ({{lab05:dead_fixed_fraction|pct}} dead) and reaches {{lab05:dead_fixed_val_acc}}: better, but
 *   the rate is still too high — the fingerprint says *what* broke; the cause may need a second fix.
 * - *Bad initialization* (std 1): the loss on the first batch is {{lab05:bad_init_loss|g3}}
 *   instead of $\ln 10 \approx 2.30$; with He initialization (and a small output layer) it is
 *   {{lab05:good_init_loss|g3}}. The broken run's first steps are enormous, and its loss then
 *   settles on a flat plateau (the last ten steps average {{lab05:bad_init_final_loss|g3}}), near
 *   $\ln 10$ — the loss of a net that gives every class about the same probability whatever the
 *   image: up to {{lab05:bad_init_dead|pct}} of a hidden layer's units are dead, and validation
 *   accuracy is {{lab05:bad_init_val_acc}}. A loss stuck at $\ln C$ is the fingerprint of a net that
 *   has stopped using its input.
 * - *No zero_grad*: every step adds its gradient to all the previous ones; the first layer's
 *   gradient grows {{lab05:no_zero_grad_growth|g3}}-fold, against {{lab05:zero_grad_growth|g3}}-fold
 *   in the correct loop. The loss wanders far above the correct loop's.
 * - *No shuffle* on data sorted by label: each batch holds one class, the net learns to predict
 *   whatever class it saw last, and the training loss saw-tooths. Validation accuracy:
 *   {{lab05:no_shuffle_val_acc}}; shuffled: {{lab05:shuffle_val_acc}}.
 * - *Dropout left on at evaluation*: the training curves are identical — the bug is not in
 *   training. Validation accuracy is {{lab05:dropout_eval_val_acc|pct}}, and
 *   {{lab05:dropout_eval_val_acc_again|pct}} the second time on the same weights; in evaluation mode
 *   {{lab05:eval_mode_val_acc}}, every time.
 *
 * Four of these fingerprints follow from a line of algebra each.
 *
 * *Why std-1 weights start at an enormous loss.* A Linear layer $a = h W^\top$ with
 * independent weights of variance $\sigma_w^2$ gives each output the mean square
 * $\mathrm{E}[a^2] = n_{\text{in}}\, \sigma_w^2\, \mathrm{E}[h^2]$, and ReLU keeps half of it,
 * $\mathrm{E}[\mathrm{ReLU}(a)^2] = \frac12 \mathrm{E}[a^2]$. So every ReLU layer multiplies the
 * mean square of the signal by $n_{\text{in}} \sigma_w^2 / 2$: by 1 with He's
 * $\sigma_w^2 = 2 / n_{\text{in}}$ (Lab 6), by $n_{\text{in}} / 2$ with $\sigma_w = 1$. From
 * standardized inputs (mean square 1) through the 784-128-128-10 net the logits reach a mean square
 * of $784 \cdot 64 \cdot 64 \approx 3 \times 10^6$, a standard deviation near 1,800, and the loss
 * $\log \sum_c e^{z_c} - z_y \approx \max_c z_c - z_y$ is of the same order (measured:
 * {{lab05:bad_init_loss|g3}}), where a fresh net should say $\ln 10$.
 *
 * *Why ten sigmoid layers starve the first one.* Backward through a sigmoid layer multiplies the
 * gradient by $\sigma'(a) = \sigma(a)\,(1 - \sigma(a)) \le \frac14$, elementwise, and then by
 * $W$. Xavier's $\sigma_w^2 = 2 / (n_{\text{in}} + n_{\text{out}})$ makes the multiplication by a
 * 128 × 128 $W$ keep the mean square, so what is left is the derivative: at least a factor of 4 per
 * layer, and nine sigmoid layers lie between the last Linear layer and the first,
 * $$\frac{\|dW_1\|}{\|dW_{10}\|} \lesssim \left(\tfrac14\right)^9 \approx 4 \times 10^{-6},$$
 * to compare with the {{lab05:vanishing_grad_ratio|sci}} the instruments measured (the output
 * layer's small initialization and the different sizes of the two layers' inputs enter the ratio
 * too). ReLU's derivative is 1 wherever the unit is on.
 *
 * *Why a fast Adam kills ReLU units.* Adam divides each parameter's step by the root of its own
 * squared-gradient average (Lab 7), so every weight moves by about the learning rate per step
 * whatever its gradient: at {{lab05:dead_lr|g2}}, about twice the typical first-layer weight of a
 * He-initialized net, $\sqrt{2/784} \approx 0.05$. A few such steps can leave a unit's
 * pre-activation $a$ negative for every image; then $[a > 0]$ is zero for the whole batch, no
 * gradient reaches the unit's weights, and nothing moves it back. LeakyReLU's slope below zero
 * keeps a gradient flowing.
 *
 * *Why a forgotten `zero_grad` grows the gradient.* Backward passes add into `dW` (Lab 1: a
 * weight used twice collects both contributions), so without the clearing the optimizer at step
 * $t$ sees the sum of every gradient so far,
 * $$G_t = \sum_{s \le t} g_s \qquad\text{instead of}\qquad g_t .$$
 * Where successive gradients point the same way, $\|G_t\|$ grows like $t$; the oversized steps
 * that follow make the gradients themselves larger, and momentum adds up the $G_t$ once more.
 *
 * ![Training loss per step of each broken run (orange) and its fix (blue), log scale, each panel
 * on its own range; dotted: $\ln 10$, the loss of a uniform guess. A run that diverged stops. In
 * the last panel the two runs are the same: the bug is in evaluation.](lab05_fixes){#fig:lab05-fixes}
 *
 * ```{.csv-table #tbl:lab05-symptoms file="lab05/symptoms.csv"
 *    header="Failure,Symptom (measured),Cause,Fix,After the fix (measured)"
 *    caption="Symptom, cause and fix, from this chapter's measurements."}
 * ```
 *
 * *Why dropout at evaluation answers differently each time.* The dropout layer draws a fresh mask
 * whenever it runs in training mode; in evaluation mode it passes its input through unchanged.
 * Evaluation with `training` left true is a random network:
 *
 * @include common/dropout.c:dropout_forward
 *
 * **Clipping**, the other remedy for a rate too high, is a switch of the loop (`clip`) that no
 * setting above turns on; it is yours to try. When the global norm of all gradients,
 * $\|g\| = \sqrt{\sum_p \sum_j g_{pj}^2}$ over every parameter $p$, exceeds a bound $c$, every
 * gradient is scaled by the same factor,
 * $$g \leftarrow g \cdot \frac{c}{\|g\| + 10^{-6}},$$
 * so the step keeps its direction and loses only its length:
 *
 * @include common/optim.c:clip_grad_norm
 */

/** ## The learning-rate finder
 *
 * Train from scratch while the learning rate grows exponentially, from $10^{-5}$ to 10 over a few
 * hundred steps, and watch the loss [@smith2017cyclical]. At first the rate is too small to
 * matter; then the loss falls faster and faster; then it turns and explodes. The loss is smoothed
 * (an exponential moving average with bias correction) and the run stops when it exceeds four
 * times its minimum. In symbols, step $t$ of $T$ trains at rate $\eta_t$ and smooths the loss
 * $L_t$ into $s_t$:
 * $$\eta_t = \eta_{\min} \left(\frac{\eta_{\max}}{\eta_{\min}}\right)^{t/(T-1)}, \qquad
 *   a_t = 0.9\, a_{t-1} + 0.1\, L_t, \qquad s_t = \frac{a_t}{1 - 0.9^{t+1}},$$
 * with $a_{-1} = 0$; the division undoes the pull toward that zero start (Adam's bias correction,
 * Lab 7). The suggestion is the rate at the minimum of $s_t$ divided by ten: well inside the
 * region where the loss was falling, not at the edge where it turns. We then train at the
 * suggested rate to see that it works.
 */
static bool section_finder(Lab *lab, const Data *d, TrainBuffers *b) {
    const Config *cfg = d->cfg;
    Setting st = healthy(cfg, d);
    /* @fold builds the healthy net, SGD with momentum 0.9, and a shuffled batcher */
    Rng rng;
    rng_init(&rng, lab->seed);
    Net net;
    build(&net, &st, &rng);
    int np;
    Param *params = net_param_list(&net, &np);
    OptConfig oc = optim_defaults(OPT_SGD);
    oc.momentum = R(0.9);
    Optimizer opt;
    optim_init(&opt, oc, params, np);
    Batcher batches;
    batcher_init(&batches, d->tr, BATCH);
    batcher_shuffle(&batches, &rng);
    /* @end */
    double lo = 1e-5, hi = 10, avg = 0, best = INFINITY, best_lr = NAN;
    double lrs[MAX_STEPS], raw[MAX_STEPS], smooth[MAX_STEPS];
    int n = 0;
    for (int t = 0; t < cfg->finder_steps; t++) {
        double lr = lo * pow(hi / lo, (double)t / (cfg->finder_steps - 1));
        const int *idx;
        int count;
        if (!batcher_next(&batches, &idx, &count))   /* an epoch is over */
            batcher_shuffle(&batches, &rng), batcher_next(&batches, &idx, &count);
        dataset_batch(d->tr->data, idx, count, b->x, b->y);
        optim_zero_grad(&opt);
        const real *logits = net_forward(&net, b->x, count, true, &rng);
        real loss = xent_forward(b->probs, logits, b->y, count, CLASSES, 0);
        if (!isfinite(loss)) break;
        avg = 0.9 * avg + 0.1 * loss;
        double sm = avg / (1 - pow(0.9, t + 1));   /* bias-corrected moving average */
        lrs[n] = lr, raw[n] = loss, smooth[n] = sm, n++;
        if (sm < best) best = sm, best_lr = lr;
        if (sm > 4 * best) break;
        xent_backward(b->probs, b->probs, b->y, count, CLASSES, 0);
        net_backward(&net, b->probs);
        optim_step(&opt, (real)lr);
    }
    double suggested = best_lr / 10;
    /* @fold writes lr_finder.csv; frees the net, its optimizer and the batcher */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "lr_finder.csv", path, sizeof path), "step,lr,loss,smoothed,suggested")) return false;
    for (int i = 0; i < n; i++) csv_row(&csv, "dgffg", i + 1, lrs[i], raw[i], smooth[i], suggested);
    if (!csv_close(&csv)) return false;
    batcher_free(&batches);
    optim_free(&opt), free(params);
    net_free(&net);
    /* @end */
    /* train at the suggestion */
    st.lr = suggested;
    Outcome o = run(&st, d->val, b, lab->seed * 1000 + 99);
    /* @fold prints and records the results and the claim */
    printf("  smoothed loss lowest at learning rate %.3g; suggested %.3g; %d steps at it: validation %.4f\n", best_lr,
           suggested, cfg->steps, o.val_acc);
    results_num(&lab->results, "finder_min_lr", best_lr);
    results_num(&lab->results, "finder_suggested_lr", suggested);
    results_num(&lab->results, "finder_val_acc", o.val_acc);
    claims_add(&lab->claims, "finder_suggests_a_working_rate", suggested > 1e-3 && suggested < 1 && o.val_acc > 0.7,
               suggested,
               "the finder suggests a rate between 1e-3 and 1, between the too-low and too-high failures, and the "
               "net trains at it past 70% [the suggested rate]");
    /* @end */
    return true;
}

/** The finder (@fig:lab05-finder) finds the smoothed loss lowest at a rate of
 * {{lab05:finder_min_lr|g2}} and suggests {{lab05:finder_suggested_lr|g2}}: between the
 * too-low ({{lab05:lr_low|g2}}) and too-high ({{lab05:lr_high|g2}}) failures (the healthy
 * baseline trains at {{lab05:lr_healthy|g2}}). Trained at the suggestion for
 * {{lab05:steps}} steps the net reaches {{lab05:finder_val_acc}} validation accuracy.
 *
 * ![The learning-rate finder: the loss while the rate grows exponentially, and the suggested rate
 * (a tenth of the rate at the smoothed minimum).](lab05_finder){#fig:lab05-finder}
 */

/** ## The checklist
 *
 * The sanity checks of the course notes and the recipe, made executable. Each is measured on a
 * fresh net of the given architecture, and passes or fails. `build/bin/lab05 --check` runs them on
 * any MLP (`--arch 784-64-10 --act tanh --init xavier_normal --lr 0.1`, for instance) and exits 1
 * if any fails; the lab runs them on the healthy net and on one with std-1 weights, and writes the
 * list that becomes the workbook's debugging-checklist appendix. The seven checks, each with its
 * pass rule:
 *
 * 1. *Loss at initialization*: the cross-entropy of the fresh net on a validation batch is within
 *    0.5 of $\ln C$.
 * 2. *Overfit one batch*: 200 Adam steps on the same 32 images bring the loss below 0.05.
 * 3. *The loss falls* at the rate, ten times it and a tenth of it: 100 steps each, none diverges,
 *    and the last ten losses average below 90% of the first.
 * 4. *Update ratios*: the median $\rho$ of those 100 steps lies between $10^{-4}$ and $10^{-2}$.
 * 5. *No dead or saturated layers* at initialization: under half of each.
 * 6. *Every layer gets a gradient*: the norms are finite, and the first Linear layer's is above
 *    $10^{-3}$ of the last one's.
 * 7. *Validation tracks training*: after the 100 steps, the two accuracies differ by under 10
 *    points.
 */
/* @fold CHECKS[]: each check's name, how it is measured, its pass rule (the appendix lists them) */
typedef struct {
    const char *what, *how, *pass;
} Check;

static const Check CHECKS[] = {
    {"Loss at initialization", "cross-entropy of a fresh net on a batch", "within 0.5 of ln C (2.30 for 10 classes)"},
    {"Overfit one batch", "200 Adam steps on the same 32 images", "loss below 0.05"},
    {"Loss falls at lr, lr x 10 and lr / 10", "100 steps at each rate", "no divergence; the last 10 losses average below 90% of the first"},
    {"Update ratios", "norm of the step over norm of W, every Linear layer, median over 100 steps", "between 1e-4 and 1e-2"},
    {"No dead or saturated layers at initialization", "activations on a validation batch", "under 50% dead, under 50% saturated"},
    {"Every layer gets a gradient", "gradient norms of the first and last Linear layer", "finite, and first/last above 1e-3"},
    {"Validation tracks training", "accuracy after 100 steps, both in evaluation mode", "gap under 10 points"},
};
enum { NCHECKS = sizeof CHECKS / sizeof *CHECKS };
/* @end */

/** `checklist` measures each check on fresh nets of the setting's architecture, activation,
 * initialization and learning rate. The loss at initialization and the dead and saturated
 * fractions need no training; overfitting one batch is 200 Adam steps on 32 images; the rest read
 * the instruments of `run` after 100 steps at the rate, ten times it and a tenth of it. */
/* Run the checks on st (arch, act, init, lr); pass[i] and a measured value per check. */
static int checklist(const Setting *base, const Data *d, TrainBuffers *b, uint64_t seed,
                     bool pass[NCHECKS], double value[NCHECKS]) {
    Setting st = *base;
    /* 1 and 5: a fresh net */
    /* @fold builds the net from the seed, its monitor, and one validation batch in b */
    Rng rng;
    rng_init(&rng, seed);
    Net net;
    build(&net, &st, &rng);
    Monitor mon;
    monitor_init(&mon, &net);
    dataset_batch(d->val->data, d->val->idx, EVAL, b->x, b->y);
    /* @end */
    const real *logits = net_forward(&net, b->x, EVAL, false, NULL);
    value[0] = xent_forward(b->probs, logits, b->y, EVAL, CLASSES, 0);
    pass[0] = fabs(value[0] - log(CLASSES)) < 0.5;
    monitor_activations(&mon);
    double dead = 0, sat = 0;
    /* @fold dead, sat: the largest dead and saturated fractions over the activation layers */
    for (int k = 0; k < mon.n; k++)
        if (mon.stats[k].kind == LAYER_ACT) {
            dead = fmax(dead, mon.stats[k].dead);
            if (isfinite(mon.stats[k].saturated)) sat = fmax(sat, mon.stats[k].saturated);
        }
    /* @end */
    value[4] = fmax(dead, sat);
    pass[4] = dead < 0.5 && sat < 0.5;
    /* @fold frees the monitor and the net */
    monitor_free(&mon);
    net_free(&net);
    /* @end */
    /* 2: one batch of 32, Adam */
    /* @fold the same fresh net again, Adam at its defaults, the first 32 training images in b */
    rng_init(&rng, seed);
    build(&net, &st, &rng);
    int np;
    Param *params = net_param_list(&net, &np);
    Optimizer opt;
    optim_init(&opt, optim_defaults(OPT_ADAM), params, np);
    dataset_batch(d->tr->data, d->tr->idx, 32, b->x, b->y);
    /* @end */
    real loss = NAN;
    /* @fold 200 steps of Adam at 1e-3 on those 32 images; loss: the last step's */
    for (int t = 0; t < 200; t++) {
        optim_zero_grad(&opt);
        loss = xent_forward(b->probs, net_forward(&net, b->x, 32, true, &rng), b->y, 32, CLASSES, 0);
        xent_backward(b->probs, b->probs, b->y, 32, CLASSES, 0);
        net_backward(&net, b->probs);
        optim_step(&opt, R(1e-3));
    }
    /* @end */
    value[1] = loss;
    pass[1] = loss < 0.05;
    /* @fold frees the optimizer and the net */
    optim_free(&opt), free(params);
    net_free(&net);
    /* @end */
    /* 3, 4, 6, 7: 100 steps at lr, lr x 10, lr / 10 */
    st.steps = 100;
    Outcome o[3];
    const double scale[3] = {1, 10, 0.1};
    pass[2] = true, value[2] = 0;
    for (int i = 0; i < 3; i++) {
        Setting s = st;
        s.lr = st.lr * scale[i];
        o[i] = run(&s, d->val, b, seed);
        double ratio = o[i].final_loss / o[i].init_loss;
        pass[2] = pass[2] && !o[i].diverged_step && ratio < 0.9;
        value[2] = fmax(value[2], o[i].diverged_step ? INFINITY : ratio);
    }
    value[3] = o[0].update_ratio;
    pass[3] = o[0].update_ratio > 1e-4 && o[0].update_ratio < 1e-2;
    value[5] = o[0].grad_first / o[0].grad_last;
    pass[5] = isfinite(value[5]) && value[5] > 1e-3;
    value[6] = o[0].train_acc - o[0].val_acc;
    pass[6] = isfinite(value[6]) && fabs(value[6]) < 0.1;
    int passed = 0;
    for (int i = 0; i < NCHECKS; i++) passed += pass[i];
    return passed;
}

/* @fold print_checks(): one line per check, PASS or FAIL, with its measured value */
static void print_checks(const bool pass[NCHECKS], const double value[NCHECKS]) {
    for (int i = 0; i < NCHECKS; i++) {
        char v[32];
        if (isfinite(value[i])) snprintf(v, sizeof v, "%.3g", value[i]);
        else snprintf(v, sizeof v, "not a number");
        printf("  %s  %-46s measured %-12s (pass: %s)\n", pass[i] ? "PASS" : "FAIL", CHECKS[i].what, v, CHECKS[i].pass);
    }
}
/* @end */

/** The lab runs the list twice: on the healthy net, and on the same net with std-1 weights. */

static bool section_checklist(Lab *lab, const Data *d, TrainBuffers *b) {
    Setting good = healthy(d->cfg, d), bad = good;
    bad.init = init_value(INIT_NORMAL, R(1));
    bool pg[NCHECKS], pb[NCHECKS];
    double vg[NCHECKS], vb[NCHECKS];
    int ng = checklist(&good, d, b, lab->seed, pg, vg);
    /* @fold prints the healthy net's checks */
    printf("  the healthy net (%s, He initialization, SGD at %g):\n", good.arch, good.lr);
    print_checks(pg, vg);
    /* @end */
    int nb = checklist(&bad, d, b, lab->seed, pb, vb);
    /* @fold prints the std-1 net's checks, writes checklist.csv, records the results and the claim */
    printf("  the same net with weights of std 1:\n");
    print_checks(pb, vb);
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "checklist.csv", path, sizeof path), "check,how,pass,healthy,std1_weights"))
        return false;
    for (int i = 0; i < NCHECKS; i++)
        csv_row(&csv, "sssss", CHECKS[i].what, CHECKS[i].how, CHECKS[i].pass, pg[i] ? "pass" : "FAIL",
                pb[i] ? "pass" : "FAIL");
    if (!csv_close(&csv)) return false;
    results_int(&lab->results, "checks", NCHECKS);
    results_int(&lab->results, "checks_passed_healthy", ng);
    results_int(&lab->results, "checks_passed_std1", nb);
    claims_add(&lab->claims, "checklist_separates", ng == NCHECKS && nb <= NCHECKS - 2, nb,
               "the healthy net passes every check; the net with std-1 weights fails at least two [how many it "
               "passes]");
    /* @end */
    return true;
}

/** The checklist (the appendix "[A debugging checklist](#sec:checklist)") passes
 * {{lab05:checks_passed_healthy}} of {{lab05:checks}} checks on the healthy net, and
 * {{lab05:checks_passed_std1}} on the same net with std-1 weights; the appendix's table shows
 * which checks the std-1 net fails. Every check costs at most a few hundred steps: run it before
 * the long run, not after.
 */

/** ## Putting it together
 *
 * `run_lab` loads the data — Fashion-MNIST's training images, a validation split, a small set for
 * the overfitting pair, and the same training images sorted by label for the shuffle failure —
 * and runs the three sections. */
static int run_lab(Lab *lab) {
    const Config *cfg = lab->quick ? &QUICK : &FULL;
    /* @fold loads the data into the four sets of Data d; buffers for each worker; records the sizes */
    Dataset train;
    Rng split;
    rng_init(&split, lab->seed);
    Subset tr, val, rest;
    if (!data_fashion_split(&train, cfg->val_n, cfg->train_n, &split, "lab05", &tr, &val, &rest)) return 1;
    Subset small = {&train, rest.idx, cfg->overfit_n};
    /* the same images sorted by label, for the failure that forgets to shuffle */
    int *sorted_idx = nn_calloc((size_t)tr.n, sizeof(int)), n = 0;
    for (int c = 0; c < CLASSES; c++)
        for (int i = 0; i < tr.n; i++)
            if (train.y[tr.idx[i]] == c) sorted_idx[n++] = tr.idx[i];
    Subset sorted = {&train, sorted_idx, n};
    Data d = {cfg, &tr, &sorted, &small, &val};
    TrainBuffers *b = trainbufs_new(lab->threads, EVAL, 784, CLASSES);   /* one per worker */
    results_int(&lab->results, "train_images", cfg->train_n);
    results_int(&lab->results, "steps", cfg->steps);
    results_int(&lab->results, "overfit_images", cfg->overfit_n);
    results_int(&lab->results, "overfit_steps", cfg->overfit_steps);
    /* @end */

    printf("\n1. Nine failures and their fixes (%d steps each; overfitting %d steps on %d images)\n",
           cfg->steps, cfg->overfit_steps, cfg->overfit_n);
    if (!section_failures(lab, &d, b)) return 1;
    printf("\n2. The learning-rate finder\n");
    if (!section_finder(lab, &d, &b[0])) return 1;
    printf("\n3. The checklist\n");
    if (!section_checklist(lab, &d, &b[0])) return 1;

    /* @fold frees everything */
    trainbufs_free(b, lab->threads);
    free(sorted_idx);
    subset_free(&val), subset_free(&rest);
    dataset_free(&train);
    /* @end */
    return 0;
}

/* @fold main(): command-line flags, and --check on any MLP */
#ifndef NN_NO_MAIN
static int run_check(Lab *lab, const char *arch, const char *act, const char *init, double lr) {
    Setting st = {.arch = arch, .opt = OPT_SGD, .lr = lr, .zero_grad = true, .shuffle = true, .eval_mode = true};
    Activation a;
    if (!act_parse(act, &a)) {
        fprintf(stderr, "lab05: --act %s is not an activation (try relu, tanh, sigmoid, gelu).\n", act);
        return 2;
    }
    st.act = a.kind;
    if (!init_parse(init, &st.init)) {
        fprintf(stderr, "lab05: --init %s is not an initialization (try he_normal, xavier_normal, normal).\n", init);
        return 2;
    }
    if (st.init.kind == INIT_NORMAL || st.init.kind == INIT_UNIFORM) st.init.value = R(1);
    Rng rng;
    rng_init(&rng, 1);
    int dims[16], n = net_arch_parse(arch, dims, 16);
    if (n == 0 || dims[0] != 784 || dims[n - 1] != CLASSES) {
        fprintf(stderr, "lab05: --arch %s must look like 784-128-10: Fashion-MNIST's 784 inputs to 10 classes.\n", arch);
        return 2;
    }
    const Config *cfg = lab->quick ? &QUICK : &FULL;
    Dataset train;
    Subset tr, val, rest;
    if (!data_fashion_split(&train, cfg->val_n, cfg->train_n, &rng, "lab05", &tr, &val, &rest)) return 1;
    Data d = {cfg, &tr, &tr, &tr, &val};
    st.tr = &tr;
    TrainBuffers b;
    trainbuf_init(&b, EVAL, 784, CLASSES);
    bool pass[NCHECKS];
    double value[NCHECKS];
    int passed = checklist(&st, &d, &b, lab->seed, pass, value);
    printf("checklist for %s, %s, %s, SGD (momentum 0.9) at %g:\n", arch, act, init, lr);
    print_checks(pass, value);
    printf("%d of %d checks pass\n", passed, NCHECKS);
    trainbuf_free(&b);
    subset_free(&val), subset_free(&rest);
    dataset_free(&train);
    return passed == NCHECKS ? 0 : 1;
}

int main(int argc, char **argv) {
    Lab lab;
    bool check = false;
    const char *arch = "784-128-128-10", *act = "relu", *init = "he_normal";
    double lr = 0.01;
    CliOpt extra[] = {
        {"--check", CLI_BOOL, &check, "run the debugging checklist on one MLP and exit (0: every check passes)", 0, 0},
        {"--arch", CLI_STRING, &arch, "the MLP for --check (default 784-128-128-10)", 0, 0},
        {"--act", CLI_STRING, &act, "its activation for --check (default relu)", 0, 0},
        {"--init", CLI_STRING, &init, "its hidden initialization for --check (default he_normal)", 0, 0},
        {"--lr", CLI_REAL, &lr, "its SGD learning rate for --check (default 0.01)", 1e-9, 100},
    };
    lab_start(&lab, argc, argv, "lab05", "Training diagnostics", extra, 5);
    if (check) {
        int status = run_check(&lab, arch, act, init, lr);
        keyvalues_free(&lab.results), keyvalues_free(&lab.claims);
        return status;
    }
    return lab_run(&lab, run_lab);
}
#endif
/* @end */

/** ## In plain words
 *
 * A broken training run rarely crashes; it trains badly, and the loss alone does not say why. Look
 * inside, layer by layer: gradient norms show a signal that vanishes on its way down the stack,
 * the update ratio $\|\Delta W\| / \|W\|$ shows a rate that is too small (far below
 * $10^{-3}$) or too large, and the dead and saturated fractions show units that have stopped
 * passing gradient. A loss at initialization far from $\ln C$ means the weights start too large;
 * a loss stuck at $\ln C$ means the net has stopped using its input. Some bugs live in the loop,
 * not in the model: a forgotten `zero_grad`, data walked in order, dropout left on at evaluation —
 * the last one shows up only as an accuracy that changes when you measure it twice. Fix one thing
 * at a time and measure again, because a fingerprint says what broke, not always why. Before any
 * long run, spend a minute on the checklist: the loss at initialization, one batch overfitted, and
 * a learning rate from the finder.
 *
 * ::: {.claims lab="lab05"}
 * :::
 *
 * **What to try next.** Run `build/bin/lab05 --check` on your own architecture, and on a
 * deliberately broken one (`--act sigmoid --arch 784-64-64-64-64-64-64-10`); add gradient clipping
 * to the too-high learning rate and see how far it goes; forget `zero_grad` with Adam instead of
 * SGD.
 *
 * ## Exercises
 *
 * In the student edition (`make exercises`; the README says how to get it) the kernels below are
 * yours to write: each is marked `EXERCISE id` in its file, a program that reaches one unwritten
 * stops and names it, and `make grade EX=id` runs its tests (tests/grade/grade_lab5.c); `make grade
 * LAB=lab05`
 * grades the whole chapter.
 *
 * | exercise | what to write | hint |
 * |---|---|---|
 * | `clip_grad_norm` | `common/optim.c`: scale all gradients to a global norm of at most `max_norm` | one norm over every parameter; PyTorch divides by norm + 1e-6 |
 *
 * **Questions to think about**, each with the run that answers it:
 *
 * 1. What does a net that cannot train look like to the checklist? `build/bin/lab05 --check --act
 *    sigmoid --arch 784-64-64-64-64-64-64-10`.
 * 2. How high a learning rate survives with clipping? `build/bin/lab05 --check --lr 1` with and
 *    without clipping in the loop.
 * 3. Does the learning-rate finder's choice change with the initialization? `build/bin/lab05
 *    --check --init xavier_normal`.
 */
