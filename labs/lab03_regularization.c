/** # The regularization sweep {#sec:lab03}
 *
 * **Question.** A network with far more parameters than training images can memorize them: its
 * training accuracy goes to 100% while its accuracy on new images stalls far below. Which of the
 * standard remedies — L2 and L1 penalties, weight decay, dropout, early stopping, data
 * augmentation — close that gap, by how much, and at what strength?
 *
 * The setting is built to overfit: {{lab03:train_images|int}} Fashion-MNIST images,
 * {{lab03:flipped_labels|int}} of them with a wrong label (we say why below), and a
 * 784-{{lab03:width|int}}-{{lab03:width|int}}-10 ReLU net ({{lab03:parameters|int}} parameters),
 * trained for {{lab03:epochs}} epochs with SGD (momentum {{lab03:momentum|g2}}, learning rate
 * {{lab03:sgd_lr|g2}} annealed to zero by a cosine schedule). Every strength is chosen on a
 * validation set of {{lab03:val_images|int}} images the net never trains on; the
 * {{lab03:test_images|int}}-image test set is used once per chosen setting, to report it. Every
 * setting is trained from {{lab03:seeds}} seeds (the same initializations for every setting, so
 * the comparisons are paired), and the figures show the min-max band over seeds.
 */
/* @fold the headers */
#include <string.h>

#include "data.h"
#include "nnlab.h"
#include "sweep.h"
#include "train.h"
/* @end */

/** The sizes and grids of the experiment, in the full run (`--quick`, which the tests use, runs
 * the same experiments smaller). `noise` is the fraction of training labels replaced by a wrong
 * one; `l2` is the grid of both penalties' strengths, to which 0 (no penalty) is always added;
 * `decay` the strengths put once into Adam's gradient and once into AdamW's decay; `drop` the
 * drop probabilities; `width` the hidden widths of the capacity sweep; `shift` the largest random
 * shifts of the augmentation, in pixels.
 */
/* @fold typedef Config: those fields, each grid with its length (nl2, ndecay, ...) */
typedef struct {
    int train_n, val_n, test_n, epochs, seeds, patience;
    double noise;                   /* fraction of training labels replaced by a wrong one */
    int nl2;    double l2[12];      /* L2 and L1 strengths (0 is always tried too) */
    int ndecay; double decay[8];    /* Adam + L2 against AdamW's decoupled decay */
    int ndrop;  double drop[8];     /* drop probabilities */
    int nwidth; int width[8];       /* hidden widths of the capacity sweep */
    int nshift; int shift[3];       /* augmentation: random shifts of up to this many pixels */
} Config;
/* @end */

static const Config FULL = {
    .train_n = 1000, .val_n = 2000, .test_n = 10000, .noise = 0.2,
    .epochs = 30, .seeds = 3, .patience = 8,
    .nl2 = 10, .l2 = {1e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1},
    .ndecay = 4, .decay = {1e-4, 1e-3, 1e-2, 1e-1},
    .ndrop = 7, .drop = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7},
    .nwidth = 6, .width = {4, 8, 16, 32, 64, 128},
    .nshift = 2, .shift = {1, 2},
};
/* @fold QUICK: the same experiments, smaller (the tests' configuration) */
static const Config QUICK = {
    .train_n = 300, .val_n = 1000, .test_n = 2000, .noise = 0.3,
    .epochs = 22, .seeds = 3, .patience = 6,
    .nl2 = 3, .l2 = {1e-3, 3e-2, 1e-1},
    .ndecay = 2, .decay = {1e-2, 1e-1},
    .ndrop = 2, .drop = {0.2, 0.5},
    .nwidth = 2, .width = {8, 64},
    .nshift = 2, .shift = {1, 2},
};
/* @end */

enum { BATCH = 50, EVAL = 500, CLASSES = 10, WIDTH = 256, MAX_SEEDS = 8 };
static const double SGD_LR = 0.05, MOMENTUM = 0.9, ADAM_LR = 1e-3;

/** ## Wrong labels on purpose
 *
 * Why the wrong labels? Fashion-MNIST's labels are nearly clean, and a net that memorizes a clean
 * training set loses little by it: in trial runs every regularizer moved test accuracy by less
 * than the spread between seeds. Real data sets are rarely that clean, and the damage
 * memorization does is clearest when there is something wrong to memorize
 * [@zhang2017understanding]. A fraction `noise` of the training images get a label drawn
 * uniformly from the other nine classes; validation (from the rest of the training file) and test
 * labels stay clean: they measure what the net learned about clothes, not about our noise. The
 * flipped images are kept apart, so we can also *count* what the net memorized: the share of them
 * it predicts with their wrong label.
 */
typedef struct {
    Subset tr, val, test;
    Subset flipped;   /* the training images whose label was replaced */
    /* @fold the workers, their scratch buffers, and a flag: a file could not be written */
    int workers;      /* runs side by side (--threads) */
    TrainBuffers *b;  /* [workers] scratch, one per worker */
    bool failed;      /* a file could not be written (the reason is printed): run_lab stops */
    /* @end */
} Data;

static void flip_labels(Data *d, double noise, Rng *rng) {
    Dataset *ds = (Dataset *)d->tr.data;
    int *idx = nn_calloc((size_t)d->tr.n, sizeof(int)), n = 0;
    for (int i = 0; i < d->tr.n; i++)
        if (rng_uniform(rng) < noise) {
            int j = d->tr.idx[i];
            ds->y[j] = (ds->y[j] + 1 + (int)rng_below(rng, CLASSES - 1)) % CLASSES;
            idx[n++] = j;
        }
    d->flipped = (Subset){ds, idx, n};
}

/** ## One training run
 *
 * A *setting* is everything that varies between runs: the optimizer, the penalties, the dropout
 * probability, the width, the augmentation and early stopping. Everything else — data, epochs,
 * schedule, initialization — is shared. Dropout layers, when the setting has them, follow each
 * hidden ReLU. The penalties are added to the gradients by the training loop (`train.c`): L2
 * for $\tfrac{\lambda}{2}\sum w^2$, L1 for $\lambda\sum|w|$, over the weights and not the biases.
 */
typedef struct {
    OptKind opt;
    double lr;
    double l2, l1, decay, drop;
    int width, shift, patience;
    bool curves;   /* evaluate every epoch (learning curves, early stopping) */
} Setting;

static Setting base_setting(void) {
    return (Setting){.opt = OPT_SGD, .lr = SGD_LR, .width = WIDTH};
}

static void build_net(Net *net, const Setting *st, Rng *rng) {
    net_init(net, EVAL);
    int in = 784;
    for (int l = 0; l < 2; l++) {
        net_add_linear(net, in, st->width, true, init_make(INIT_HE_NORMAL), rng);
        net_add_act(net, act_make(ACT_RELU));
        if (st->drop > 0) net_add_dropout(net, (real)st->drop);
        in = st->width;
    }
    net_add_linear(net, in, CLASSES, true, init_make(INIT_XAVIER_UNIFORM), rng);
}

/** A run trains one setting from seed number `s` — the seed alone fixes the initialization and
 * the order of the batches — and then measures what the chapter compares: accuracy and loss on
 * the training images (in evaluation mode, without augmentation) and on validation, the share of
 * the flipped labels learned, the share of weights within $10^{-3}$ of zero, and the test set
 * only when `test` is set. The training history goes to `r`.
 */
typedef struct {
    double train_acc, train_loss, val_acc, val_loss, test_acc;
    double memorized;   /* share of the relabelled training images predicted with their wrong label */
    double near_zero;   /* fraction of weights with |w| < 1e-3 */
    bool diverged;
} Outcome;

/* @fold near_zero_fraction(net): the share of the decaying weights (not the biases) with |w| < 1e-3 */
static double near_zero_fraction(Net *net) {
    int np;
    Param *p = net_param_list(net, &np);
    size_t zero = 0, n = 0;
    for (int i = 0; i < np; i++) {
        if (!p[i].decay) continue;
        for (size_t j = 0; j < p[i].n; j++) zero += fabs((double)p[i].w[j]) < 1e-3;
        n += p[i].n;
    }
    free(p);
    return (double)zero / (double)n;
}
/* @end */

static Outcome train_setting(const Lab *lab, const Config *cfg, const Data *d, const Setting *st, int s,
                             bool test, TrainBuffers *b, TrainResult *r) {
    Rng rng;
    rng_init(&rng, lab->seed * 1000 + (uint64_t)s);
    Net net;
    build_net(&net, st, &rng);
    OptConfig oc = optim_defaults(st->opt);
    oc.lr = (real)st->lr;
    if (st->opt == OPT_SGD) oc.momentum = (real)MOMENTUM;
    oc.weight_decay = (real)st->decay;
    long steps = (long)cfg->epochs * ((d->tr.n + BATCH - 1) / BATCH);
    TrainConfig tc = {.name = "", .epochs = cfg->epochs, .batch = BATCH, .opt = oc,
                      .sched = schedule_cosine(st->lr, (int)steps, 0), .shift = st->shift,
                      .l1 = (real)st->l1, .l2 = (real)st->l2,
                      .patience = st->patience, .quiet = true, .final_eval_only = !st->curves};
    Outcome o = {.test_acc = NAN};
    if (!train_classifier(&net, &d->tr, &d->val, &tc, b, &rng, r))
        CHECK(0, "a run that writes no file cannot fail");
    o.diverged = r->diverged;
    /* @fold measures the Outcome: accuracies, losses, near-zero share, wrong labels learned */
    if (o.diverged) {
        o.train_acc = o.train_loss = o.val_acc = o.val_loss = o.near_zero = o.memorized = NAN;
    } else {
        o.train_acc = evaluate(&net, &d->tr, b, &o.train_loss, NULL);
        o.val_acc = evaluate(&net, &d->val, b, &o.val_loss, NULL);
        o.near_zero = near_zero_fraction(&net);
        o.memorized = evaluate(&net, &d->flipped, b, NULL, NULL);
        if (test) o.test_acc = evaluate(&net, &d->test, b, NULL, NULL);
    }
    /* @end */
    net_free(&net);
    return o;
}

/** ## Many seeds, one row
 *
 * Each setting is trained from every seed, and the seeds of all the settings of a sweep run side
 * by side, one per core: `sweep_run` (`common/sweep.h`, the module every chapter's comparisons
 * use) runs them, run `k` being setting `k / seeds` with seed `k % seeds`; `train_one` does one,
 * and keeps its `Outcome` beside the run, at the same index.
 */
typedef struct {
    const Lab *lab;
    const Config *cfg;
    const Data *d;
    const Setting *settings;   /* [n], one per arm of the sweep */
    bool test;                 /* score the test set too */
    Outcome *out;              /* [n * seeds], indexed like the runs */
} Batch;

static void train_one(void *ctx, SweepRun *run, TrainBuffers *b) {
    const Batch *bt = ctx;
    Outcome *o = &bt->out[run->arm * bt->cfg->seeds + run->seed];
    *o = train_setting(bt->lab, bt->cfg, bt->d, &bt->settings[run->arm], run->seed, bt->test, b,
                       &run->r);
    run->test_acc = o->test_acc;
}

/* Trains settings[0..n) from every seed; their outcomes land in out[n * seeds]. Returns the runs
 * (the training histories), which the caller frees. */
static SweepRun *run_many(const Lab *lab, const Config *cfg, const Data *d, const Setting *settings,
                          int n, bool test, Outcome *out, const char *label) {
    CHECK(cfg->seeds <= MAX_SEEDS, "%d seeds, at most %d", cfg->seeds, MAX_SEEDS);
    SweepRun *runs = sweep_alloc(n, cfg->seeds);
    Batch batch = {lab, cfg, d, settings, test, out};
    sweep_run(runs, n * cfg->seeds, train_one, &batch, d->b, d->workers, label);
    return runs;
}

/** A *point* of a sweep summarizes one setting over its seeds: training, validation and test
 * accuracy as bands — minimum, mean and maximum, by `sweep.h`'s rule (`band_of`): a seed that
 * diverged leaves the setting no band at all, rather than a mean over the survivors that hides
 * the failure — and the mean losses, share of flipped labels learned and share of near-zero
 * weights. The strength with the best mean validation accuracy is chosen.
 */
typedef struct {
    double value;
    Band train, val, test;
    double train_loss, val_loss, near_zero, memorized;   /* means over the seeds */
    double test_seed[MAX_SEEDS];   /* test accuracy of each seed (NAN if not measured) */
    int seeds, diverged;
} Point;

/* @fold band(o, n, offsetof(Outcome, val_acc)): band_of over one field of n outcomes */
static Band band(const Outcome *o, int n, size_t field) {
    double v[MAX_SEEDS] = {0};
    for (int i = 0; i < n; i++) v[i] = *(const double *)((const char *)&o[i] + field);
    return band_of(v, n);
}
/* @end */

static Point summarize(const Outcome *o, int n, double value) {
    Point p = {.value = value, .seeds = n};
    p.train = band(o, n, offsetof(Outcome, train_acc));
    p.val = band(o, n, offsetof(Outcome, val_acc));
    p.test = band(o, n, offsetof(Outcome, test_acc));
    p.train_loss = band(o, n, offsetof(Outcome, train_loss)).mean;
    p.val_loss = band(o, n, offsetof(Outcome, val_loss)).mean;
    p.near_zero = band(o, n, offsetof(Outcome, near_zero)).mean;
    p.memorized = band(o, n, offsetof(Outcome, memorized)).mean;
    for (int s = 0; s < n; s++) p.diverged += o[s].diverged, p.test_seed[s] = o[s].test_acc;
    return p;
}

static Point measure(const Lab *lab, const Config *cfg, const Data *d, const Setting *st, double value,
                     bool test) {
    Outcome o[MAX_SEEDS];
    free(run_many(lab, cfg, d, st, 1, test, o, "seeds"));
    return summarize(o, cfg->seeds, value);
}

/* Whether p beats q on test from every initialization: the seeds are paired (seed s starts both
 * from the same weights), which compares like with like. */
static bool beats_every_seed(const Point *p, const Point *q) {
    bool all = p->seeds > 0;
    for (int s = 0; s < p->seeds; s++) all = all && p->test_seed[s] > q->test_seed[s];
    return all;
}

/* @fold the sweep's CSV row and printed line */
static const char *SWEEP_HEADER = "value,train_min,train_mean,train_max,val_min,val_mean,val_max,train_loss,val_loss,"
                                  "near_zero,memorized,base_train,base_val";

static void sweep_row(Csv *csv, const Point *p, const Point *base) {
    csv_row(csv, "gffffffffgfff", p->value, p->train.lo, p->train.mean, p->train.hi, p->val.lo, p->val.mean,
            p->val.hi, p->train_loss, p->val_loss, p->near_zero, p->memorized, base->train.mean, base->val.mean);
}

static void print_point(const char *what, const Point *p) {
    if (p->diverged) printf("  %-20s diverged in %d seeds\n", what, p->diverged);
    else
        printf("  %-20s train %.4f  val %.4f [%.4f, %.4f]  val loss %.3f  memorized %5.1f%%  near-zero %5.1f%%\n",
               what, p->train.mean, p->val.mean, p->val.lo, p->val.hi, p->val_loss, 100 * p->memorized,
               100 * p->near_zero);
}

static void print_test(const Point *p) {
    printf("  %-20s test %.4f [%.4f, %.4f]\n", "", p->test.mean, p->test.lo, p->test.hi);
}
/* @end */

/** ## 1. Overfitting on purpose
 *
 * Without any regularization the net, given enough epochs, comes to fit its training images
 * almost perfectly, wrong labels included. The validation loss reaches its minimum early and then climbs — the net grows ever more confident,
 * and on the images it gets wrong, confidently wrong — while validation accuracy stalls. The gap
 * between training and validation accuracy is what the rest of the chapter tries to close.
 */
static void section_overfit(Lab *lab, const Config *cfg, Data *d, Point *base) {
    Setting st = base_setting();
    st.curves = true;
    Outcome o[MAX_SEEDS];
    SweepRun *runs = run_many(lab, cfg, d, &st, 1, true, o, "no regularization");
    /* @fold writes the curves of all seeds, as bands per epoch (gap.csv) */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "gap.csv", path, sizeof path),
                  "epoch,train_min,train_mean,train_max,val_min,val_mean,val_max,train_loss,val_loss"))
        { d->failed = true; free(runs); return; }
    for (int e = 0; e < cfg->epochs; e++) {
        double tr[MAX_SEEDS] = {0}, va[MAX_SEEDS] = {0}, tl[MAX_SEEDS] = {0}, vl[MAX_SEEDS] = {0};
        for (int s = 0; s < cfg->seeds; s++) {
            const TrainResult *r = &runs[s].r;
            tr[s] = e < r->epochs_run ? r->train_acc[e] : NAN, va[s] = e < r->epochs_run ? r->val_acc[e] : NAN;
            tl[s] = r->train_loss[e], vl[s] = r->val_loss[e];
        }
        Band t = band_of(tr, cfg->seeds), v = band_of(va, cfg->seeds);
        csv_row(&csv, "dffffffff", e + 1, t.lo, t.mean, t.hi, v.lo, v.mean, v.hi, band_of(tl, cfg->seeds).mean,
                band_of(vl, cfg->seeds).mean);
    }
    if (!csv_close(&csv)) { d->failed = true; free(runs); return; }
    /* @end */
    *base = summarize(o, cfg->seeds, 0);
    double min_loss_epoch = 0;
    for (int s = 0; s < cfg->seeds; s++)
        min_loss_epoch += (double)runs[s].r.best_loss_epoch / cfg->seeds;
    free(runs);
    /* @fold prints the point; records the results and the claim */
    print_point("no regularization", base);
    printf("  %-20s test %.4f [%.4f, %.4f]; validation loss lowest at epoch %.1f (mean)\n", "", base->test.mean,
           base->test.lo, base->test.hi, min_loss_epoch);
    results_num(&lab->results, "noreg_train_acc", base->train.mean);
    results_num(&lab->results, "noreg_val_acc", base->val.mean);
    results_num(&lab->results, "noreg_test_acc", base->test.mean);
    results_num(&lab->results, "noreg_gap", base->train.mean - base->val.mean);
    results_num(&lab->results, "noreg_memorized", base->memorized);
    results_num(&lab->results, "noreg_min_loss_epoch", min_loss_epoch);
    claims_add(&lab->claims, "noreg_overfits", base->train.lo > 0.95 && base->train.mean - base->val.mean > 0.1,
               base->train.mean - base->val.mean,
               "without regularization every seed fits its training images, wrong labels included (above 95%), and "
               "validation accuracy trails training accuracy by more than 10 points [the gap]");
    /* @end */
}

/** Without regularization the net reaches {{lab03:noreg_train_acc}} training accuracy — it
 * learns {{lab03:noreg_memorized|pct}} of the wrong labels too — while validation accuracy stops
 * at {{lab03:noreg_val_acc}} (@fig:lab03-gap). The validation loss is lowest at epoch
 * {{lab03:noreg_min_loss_epoch|g2}} and climbs from there. Test accuracy:
 * {{lab03:noreg_test_acc}}.
 *
 * ![Training and validation accuracy (min-max band over seeds, mean line) and mean loss of the
 * unregularized net, per epoch. Training accuracy is measured on the labels as given, wrong ones
 * included.](lab03_gap){#fig:lab03-gap}
 */

/** ## 2. L2: a penalty on the weights' size
 *
 * Adding $\tfrac{\lambda}{2}\sum w^2$ to the loss adds $\lambda w$ to each weight's gradient: every
 * step pulls the weights towards zero, so a weight stays large only if the data keep pushing it.
 * We sweep $\lambda$ from {{lab03:l2_min|sci}} to {{lab03:l2_max|sci}} on a log grid. Too little
 * does nothing; too much and the net cannot fit even its training images. The chosen $\lambda$ is
 * the one with the best mean validation accuracy, and only then is it trained once more per seed
 * to read the test set. In symbols, for the weights $w_j$ that decay (biases and normalization
 * parameters do not):
 * $$L_\lambda = L + \frac{\lambda}{2} \sum_j w_j^2, \qquad
 *   \frac{\partial L_\lambda}{\partial w_j} = \frac{\partial L}{\partial w_j} + \lambda\, w_j .$$
 * `penalty_l2` adds $\lambda w$ to each such gradient, after the backward pass and before the
 * optimizer's step, and returns the penalty itself for the loss curve:
 *
 * @include common/optim.c:penalty_l2
 *
 * With plain SGD the step is then $w \leftarrow w - \eta\,(g + \lambda w) = (1 - \eta\lambda)\,w -
 * \eta g$: the penalty shrinks every weight by the factor $1 - \eta\lambda$ per step, which is
 * why it is also called *weight decay*, and why the optimizer's own `weight_decay` (`wd`, as in
 * PyTorch) is the same update for SGD: it adds `wd * w[i]` to the gradient. With momentum $\mu$
 * the step follows the buffer $m \leftarrow \mu m + g$ instead of $g$ (the L1 section comes back
 * to it):
 *
 * @include common/optim.c:optim_step#OPT_SGD
 */
/** A sweep turns one knob of a setting over a grid of values, all seeds of all values side by
 * side, and returns the value with the best mean validation accuracy — or $-1$ when none beats
 * the base setting (no regularization), which is measured once and shared by every sweep.
 */
typedef enum { KNOB_L2, KNOB_L1, KNOB_DECAY, KNOB_DROP, KNOB_WIDTH } Knob;
static const char *const KNOB_NAMES[] = {"L2 lambda", "L1 lambda", "decay", "dropout p", "width"};

static int sweep(const Lab *lab, const Config *cfg, Data *d, Setting st, Knob knob, const double *values,
                 int n, const Point *base, const char *file, Point *points) {
    /* @fold opens the sweep's CSV; its first row is the base (value 0) */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, file, path, sizeof path), SWEEP_HEADER)) { d->failed = true; return -1; }
    if (knob != KNOB_WIDTH) sweep_row(&csv, base, base);
    /* @end */
    Setting *settings = nn_calloc((size_t)n, sizeof(Setting));
    Outcome *o = nn_calloc((size_t)n * cfg->seeds, sizeof(Outcome));
    for (int i = 0; i < n; i++) {
        double v = values[i];
        settings[i] = st;
        switch (knob) {
        case KNOB_L2: settings[i].l2 = v; break;
        case KNOB_L1: settings[i].l1 = v; break;
        case KNOB_DECAY: settings[i].decay = v; break;
        case KNOB_DROP: settings[i].drop = v; break;
        case KNOB_WIDTH: settings[i].width = (int)v; break;
        }
    }
    free(run_many(lab, cfg, d, settings, n, false, o, KNOB_NAMES[knob]));
    int best = -1;
    double best_val = base->val.mean;
    for (int i = 0; i < n; i++) {
        points[i] = summarize(o + (size_t)i * cfg->seeds, cfg->seeds, values[i]);
        /* @fold prints the point and writes its row */
        char what[64];
        snprintf(what, sizeof what, "%s = %g", KNOB_NAMES[knob], values[i]);
        print_point(what, &points[i]);
        sweep_row(&csv, &points[i], base);
        /* @end */
        if (points[i].val.mean > best_val) best_val = points[i].val.mean, best = i;
    }
    /* @fold closes the CSV (the width sweep's base, the widest net, is its last row) and frees */
    free(settings), free(o);
    if (knob == KNOB_WIDTH) sweep_row(&csv, base, base);
    if (!csv_close(&csv)) { d->failed = true; return -1; }
    /* @end */
    return best;
}

/** The chosen value is trained once more from every seed, and only this time is the test set read
 * (if no value beat the base, the base is the choice):
 */
static Point choose_and_test(const Lab *lab, const Config *cfg, Data *d, Setting st, int best,
                             const Point *points, const Point *base, const char *what) {
    if (best < 0) {
        printf("  chosen %s: none beats no regularization on validation\n", what);
        return *base;
    }
    Point p = measure(lab, cfg, d, &st, points[best].value, true);
    /* @fold prints the choice */
    printf("  chosen %s %g: validation %.4f, test %.4f [%.4f, %.4f]\n", what, p.value, p.val.mean, p.test.mean,
           p.test.lo, p.test.hi);
    /* @end */
    return p;
}

/* @fold records the chosen setting's results under key */
static void report_choice(Lab *lab, const char *key, const Point *chosen) {
    char k[64];
    snprintf(k, sizeof k, "best_%s_memorized", key);
    results_num(&lab->results, k, chosen->memorized);
    snprintf(k, sizeof k, "best_%s_val_acc", key);
    results_num(&lab->results, k, chosen->val.mean);
    snprintf(k, sizeof k, "best_%s_test_acc", key);
    results_num(&lab->results, k, chosen->test.mean);
    snprintf(k, sizeof k, "best_%s_test_min", key);
    results_num(&lab->results, k, chosen->test.lo);
}
/* @end */

static double section_l2(Lab *lab, const Config *cfg, Data *d, const Point *base, Point *chosen,
                         Point *pts) {
    int best = sweep(lab, cfg, d, base_setting(), KNOB_L2, cfg->l2, cfg->nl2, base, "sweep_l2.csv", pts);
    Setting st = base_setting();
    st.l2 = best >= 0 ? cfg->l2[best] : 0;
    *chosen = choose_and_test(lab, cfg, d, st, best, pts, base, "L2 lambda");
    /* @fold records the results and the claims (the chosen strength helps; the largest underfits) */
    report_choice(lab, "l2", chosen);
    results_num(&lab->results, "best_l2_lambda", st.l2);
    const Point *most = &pts[cfg->nl2 - 1];
    results_num(&lab->results, "max_l2_lambda", most->value);
    results_num(&lab->results, "max_l2_train_acc", most->train.mean);
    results_num(&lab->results, "max_l2_val_acc", most->val.mean);
    results_int(&lab->results, "l2_choice_at_edge", best == cfg->nl2 - 1);
    results_str(&lab->results, "l2_edge_words", best == cfg->nl2 - 1
                ? "the largest value of the grid, so the best strength may lie beyond it"
                : "inside the grid");
    claims_add(&lab->claims, "l2_helps", beats_every_seed(chosen, base), chosen->test.mean - base->test.mean,
               "the L2 strength chosen on validation raises test accuracy above no regularization from every "
               "initialization [the gain in mean test accuracy]");
    claims_add(&lab->claims, "too_much_l2_underfits", most->train.mean < base->train.mean - 0.05,
               most->train.mean - base->train.mean,
               "at the largest lambda the net no longer fits its training images: training accuracy falls more "
               "than 5 points [the change in training accuracy]");
    /* @end */
    return st.l2;
}

/** @fig:lab03-l2 shows the sweep from end to end. Small $\lambda$ changes nothing; as $\lambda$
 * grows the net stops learning most wrong labels. The chosen $\lambda$ = {{lab03:best_l2_lambda|g2}}
 * is {{lab03:l2_edge_words|raw}}; there the net learns {{lab03:best_l2_memorized|pct}} of the
 * wrong labels, and validation accuracy is {{lab03:best_l2_val_acc}}. At the grid's largest
 * $\lambda$, {{lab03:max_l2_lambda|g2}}, training accuracy falls to {{lab03:max_l2_train_acc}}
 * (validation {{lab03:max_l2_val_acc}}): the penalty now holds back the right labels too. At the
 * chosen strength the test accuracy is {{lab03:best_l2_test_acc}}, against
 * {{lab03:noreg_test_acc}} without.
 *
 * ![The L2 sweep: accuracy against $\lambda$ (left; dotted, no regularization) and the share of
 * wrong labels learned and of weights within $10^{-3}$ of zero (right).](lab03_l2){#fig:lab03-l2}
 */

/** ## 3. Decoupled weight decay is not L2
 *
 * With SGD, the L2 penalty and weight decay are the same update. With Adam they are not: Adam
 * divides each gradient by a running estimate of its size, so the penalty's pull $\lambda w$ is
 * rescaled with everything else, and weights whose gradients are large are barely decayed.
 * AdamW [@loshchilov2019decoupled] instead shrinks every weight by $1-\eta\lambda$ each step,
 * outside the adaptive step. The same number $\lambda$ therefore means different things: we train
 * with Adam (learning rate {{lab03:adam_lr|g2}}) and put the same strengths once into the
 * gradient, once into AdamW's decay. Side by side, with $\mathrm{Adam}(g) = \eta\, \hat m /
 * (\sqrt{\hat v} + \epsilon)$ the adaptive step computed from the gradients $g$:
 * $$\text{Adam + L2:}\quad w \leftarrow w - \mathrm{Adam}(g + \lambda w), \qquad
 *   \text{AdamW:}\quad w \leftarrow (1 - \eta\lambda)\, w - \mathrm{Adam}(g).$$
 * In the first, $\lambda w$ enters $\hat m$ and is divided by $\sqrt{\hat v}$ like the rest of
 * the gradient; where $g$ is large, the decay is a small part of a normalized step. In the
 * second, the shrink is applied to the weight itself, at the same rate for every weight. In the
 * library the two are the two loops of `adam_update` (`wd` is $\lambda$ and `shrink`
 * $= 1 - \eta\lambda$; `step` and `inv_sqrt_bc2` fold in the bias corrections of $\hat m$ and
 * $\hat v$):
 *
 * @include common/optim.c:adam_update
 */
static void section_decay(Lab *lab, const Config *cfg, Data *d) {
    Setting adam = base_setting();
    adam.opt = OPT_ADAM, adam.lr = ADAM_LR;
    Point base = measure(lab, cfg, d, &adam, 0, false);
    print_point("Adam, no penalty", &base);
    Point l2[8], decoupled[8];
    sweep(lab, cfg, d, adam, KNOB_L2, cfg->decay, cfg->ndecay, &base, "sweep_adam_l2.csv", l2);
    Setting adamw = adam;
    adamw.opt = OPT_ADAMW;
    sweep(lab, cfg, d, adamw, KNOB_DECAY, cfg->decay, cfg->ndecay, &base, "sweep_adamw.csv", decoupled);
    /* @fold writes decay.csv (both sweeps side by side); records the results and the claim */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "decay.csv", path, sizeof path),
                  "lambda,l2_train,l2_val_min,l2_val_mean,l2_val_max,decay_train,decay_val_min,decay_val_mean,"
                  "decay_val_max,base_train,base_val"))
        { d->failed = true; return; }
    for (int i = 0; i < cfg->ndecay; i++)
        csv_row(&csv, "gffffffffff", cfg->decay[i], l2[i].train.mean, l2[i].val.lo, l2[i].val.mean, l2[i].val.hi,
                decoupled[i].train.mean, decoupled[i].val.lo, decoupled[i].val.mean, decoupled[i].val.hi,
                base.train.mean, base.val.mean);
    if (!csv_close(&csv)) { d->failed = true; return; }
    int k = cfg->ndecay - 1;
    results_num(&lab->results, "decay_lambda", cfg->decay[k]);
    results_num(&lab->results, "adam_base_train_acc", base.train.mean);
    results_num(&lab->results, "adam_l2_train_acc", l2[k].train.mean);
    results_num(&lab->results, "adamw_train_acc", decoupled[k].train.mean);
    results_num(&lab->results, "adam_l2_val_acc", l2[k].val.mean);
    results_num(&lab->results, "adamw_val_acc", decoupled[k].val.mean);
    claims_add(&lab->claims, "decay_is_not_l2",
               fabs(l2[k].train.mean - decoupled[k].train.mean) > 0.05,
               l2[k].train.mean - decoupled[k].train.mean,
               "at the largest lambda, Adam with the L2 penalty and AdamW with the same decay end more than 5 "
               "points apart in training accuracy [Adam+L2 minus AdamW]");
    /* @end */
}

/** With Adam, at $\lambda$ = {{lab03:decay_lambda|g2}} the L2 penalty brings training accuracy
 * down to {{lab03:adam_l2_train_acc}} while AdamW's decay leaves it at {{lab03:adamw_train_acc}},
 * hardly different from Adam with neither ({{lab03:adam_base_train_acc}}) — @fig:lab03-decay.
 * AdamW's shrink factor per step is $1-\eta\lambda$ with $\eta$ = {{lab03:adam_lr|g2}}: the same
 * number means a far weaker pull. Moving from Adam to AdamW, one has to retune $\lambda$, and the
 * right value is typically orders of magnitude larger than the L2 strength it replaces (PyTorch's
 * AdamW defaults to $10^{-2}$).
 *
 * ![Adam with the L2 penalty against AdamW with the same decay strength: training accuracy (left),
 * validation accuracy (right).](lab03_decay){#fig:lab03-decay}
 */

/** ## 4. L1: a penalty that makes zeros
 *
 * The L1 penalty $\lambda\sum|w|$ adds $\lambda\,\mathrm{sign}(w)$ to each weight's gradient, the
 * same size for every weight whatever its size. At $w = 0$, where $|w|$ has no derivative, the
 * library takes 0 (a subgradient, as PyTorch's `sign` does):
 *
 * @include common/optim.c:penalty_l1
 *
 * With plain SGD that is a pull of $\eta\lambda$ per step towards zero ($\eta$ the learning
 * rate). With momentum $\mu$ the optimizer steps along the buffer $m \leftarrow \mu m + g$ (the
 * SGD case of `optim_step`, printed with L2), which sums the gradients it has seen, so a pull that
 * keeps its sign adds up to
 * $$\eta\lambda\,(1 + \mu + \mu^2 + \dots) = \frac{\eta\lambda}{1-\mu}$$
 * per step — with $\mu$ = {{lab03:momentum|g2}}, ten times $\eta\lambda$. Small weights do not
 * just shrink: they reach zero and stay there, oscillating within a step of it. L2's pull
 * $\eta\lambda w$ fades as the weight shrinks, so it makes weights small but not zero. We sweep
 * the same grid as for L2 and count the weights within $10^{-3}$ of zero.
 */
static double section_l1(Lab *lab, const Config *cfg, Data *d, const Point *base,
                         const Point *l2_at_same, Point *chosen) {
    Point pts[12];
    int best = sweep(lab, cfg, d, base_setting(), KNOB_L1, cfg->l2, cfg->nl2, base, "sweep_l1.csv", pts);
    double lambda = best >= 0 ? cfg->l2[best] : 0;
    Setting st = base_setting();
    st.l1 = lambda;
    *chosen = choose_and_test(lab, cfg, d, st, best, pts, base, "L1 lambda");
    double l1_nz = best >= 0 ? pts[best].near_zero : base->near_zero;
    double l2_nz = best >= 0 ? l2_at_same[best].near_zero : base->near_zero;
    /* @fold records the results and the claim (a third of the weights near zero, five times L2's) */
    results_num(&lab->results, "best_l1_test_acc", chosen->test.mean);
    results_num(&lab->results, "best_l1_lambda", lambda);
    results_num(&lab->results, "best_l1_val_acc", best >= 0 ? pts[best].val.mean : base->val.mean);
    results_num(&lab->results, "best_l1_near_zero", best >= 0 ? pts[best].near_zero : base->near_zero);
    results_num(&lab->results, "noreg_near_zero", base->near_zero);
    results_num(&lab->results, "best_l1_l2_near_zero", l2_nz);
    printf("  near-zero weights: %.1f%% without a penalty, %.1f%% with L1 lambda %g, %.1f%% with L2 at the same lambda\n",
           100 * base->near_zero, 100 * l1_nz, lambda, 100 * l2_nz);
    claims_add(&lab->claims, "l1_sparsifies", best >= 0 && l1_nz > 1.0 / 3 && l1_nz > 5 * l2_nz, l1_nz,
               "at the L1 strength chosen on validation more than a third of the weights are within 1e-3 of zero, "
               "over five times as many as with L2 at the same lambda [the fraction]");
    /* @end */
    return lambda;
}

/** The chosen L1 strength, $\lambda$ = {{lab03:best_l1_lambda|g2}}, reaches validation accuracy
 * {{lab03:best_l1_val_acc}} with {{lab03:best_l1_near_zero|pct}} of the weights within $10^{-3}$
 * of zero; L2 at the same $\lambda$ leaves {{lab03:best_l1_l2_near_zero|pct}} there, and no
 * penalty {{lab03:noreg_near_zero|pct}} (@fig:lab03-l1); its test accuracy is
 * {{lab03:best_l1_test_acc}}. A large part of the net is switched off, and it generalizes at least
 * as well as the whole of it did.
 *
 * ![The L1 sweep, drawn like @fig:lab03-l2.](lab03_l1){#fig:lab03-l1}
 */

/** ## 5. Dropout
 *
 * During training, dropout zeroes each hidden unit with probability $p$ and scales the survivors
 * by $1/(1-p)$ [@srivastava2014dropout]; in evaluation it does nothing. No unit can rely on any
 * particular other unit being there, so the net cannot build the fragile co-adaptations that
 * memorize single images. For each value $x_i$ the layer draws $u_i$ uniformly from $[0, 1)$ and
 * keeps the mask it applied:
 * $$m_i = \frac{[\,u_i \ge p\,]}{1-p}, \qquad y_i = m_i\, x_i, \qquad
 *   \mathbb{E}[y_i] = (1-p)\cdot\frac{x_i}{1-p} + p\cdot 0 = x_i .$$
 * Scaling during training (*inverted* dropout) keeps every unit's expected output what it will
 * be in evaluation, when all units are there and $y = x$: nothing needs rescaling at test time.
 * The backward pass is the same product, since $\partial y_i / \partial x_i = m_i$:
 * $$dx_i = m_i\, dy_i .$$
 *
 * @include common/dropout.c:dropout_forward,dropout_backward
 *
 * We sweep $p$ from {{lab03:drop_min|g2}} to {{lab03:drop_max|g2}}.
 */
static double section_dropout(Lab *lab, const Config *cfg, Data *d, const Point *base, Point *chosen) {
    Point pts[8];
    int best = sweep(lab, cfg, d, base_setting(), KNOB_DROP, cfg->drop, cfg->ndrop, base,
                     "sweep_dropout.csv", pts);
    Setting st = base_setting();
    st.drop = best >= 0 ? cfg->drop[best] : 0;
    *chosen = choose_and_test(lab, cfg, d, st, best, pts, base, "dropout p");
    /* @fold records the results and the claim (the chosen p helps from every seed) */
    report_choice(lab, "dropout", chosen);
    results_num(&lab->results, "best_dropout_p", st.drop);
    claims_add(&lab->claims, "dropout_helps", beats_every_seed(chosen, base), chosen->test.mean - base->test.mean,
               "the dropout probability chosen on validation raises test accuracy above no regularization from every "
               "initialization [the gain in mean test accuracy]");
    /* @end */
    return st.drop;
}

/** The chosen drop probability is {{lab03:best_dropout_p|g2}}: validation
 * {{lab03:best_dropout_val_acc}}, test {{lab03:best_dropout_test_acc}}, and
 * {{lab03:best_dropout_memorized|pct}} of the wrong labels learned (@fig:lab03-dropout). Larger $p$
 * slows learning so much that {{lab03:epochs}} epochs are not enough, and at this learning rate
 * the noisiest settings can even diverge: a probability at which a seed diverged has no point in
 * the figure, only a grey dashed line.
 *
 * ![The dropout sweep, drawn like @fig:lab03-l2 (dotted, no dropout); a grey dashed line marks a
 * probability at which a seed diverged.](lab03_dropout){#fig:lab03-dropout}
 */

/** ## 6. Capacity: from underfitting to overfitting
 *
 * The other way to control overfitting is the model's size. A net with
 * {{lab03:narrow_width|int}} hidden units per layer cannot even fit its
 * {{lab03:train_images|int}} training images — it *underfits*: training and validation accuracy
 * are both low and close. As the width grows, training accuracy reaches 100% and the gap opens.
 * The L2 sweep shows the same two ends from the other side: large $\lambda$ underfits, small
 * $\lambda$ overfits.
 */
static void section_width(Lab *lab, const Config *cfg, Data *d, const Point *base) {
    Point pts[8];
    double w[8];
    for (int i = 0; i < cfg->nwidth; i++) w[i] = cfg->width[i];
    Point wide = *base;
    wide.value = WIDTH;
    sweep(lab, cfg, d, base_setting(), KNOB_WIDTH, w, cfg->nwidth, &wide, "sweep_width.csv", pts);
    /* @fold records the results and the claim (the narrowest net underfits) */
    results_int(&lab->results, "narrow_width", cfg->width[0]);
    results_num(&lab->results, "narrow_train_acc", pts[0].train.mean);
    results_num(&lab->results, "narrow_val_acc", pts[0].val.mean);
    results_num(&lab->results, "narrow_gap", pts[0].train.mean - pts[0].val.mean);
    results_num(&lab->results, "narrow_gap_points", 100 * (pts[0].train.mean - pts[0].val.mean));
    claims_add(&lab->claims, "narrow_underfits",
               pts[0].train.mean < base->train.mean - 0.05 &&
                   pts[0].train.mean - pts[0].val.mean < 0.5 * (base->train.mean - base->val.mean),
               pts[0].train.mean - pts[0].val.mean,
               "the narrowest net underfits: its training accuracy is more than 5 points below the wide net's and "
               "its train-validation gap less than half as large [its gap]");
    /* @end */
}

/** With {{lab03:narrow_width}} hidden units per layer the net underfits: training accuracy
 * {{lab03:narrow_train_acc}}, validation {{lab03:narrow_val_acc}}, a gap of only
 * {{lab03:narrow_gap_points|g2}} percentage points. Wider nets fit more of the training set, wrong
 * labels included (@fig:lab03-width); validation accuracy gains little past a few dozen units.
 *
 * ![Accuracy and wrong labels learned against the hidden width (no regularization; dotted, the
 * {{lab03:width|int}}-wide net of the other sections, the sweep's last point).](lab03_width){#fig:lab03-width}
 */

/** ## 7. Early stopping
 *
 * The cheapest regularizer is to stop: watch the validation loss after every epoch, keep a copy
 * of the weights whenever it reaches a new low, and once it has not improved for a few epochs
 * (the *patience*), stop and put the best weights back. The net keeps what it learned before it
 * started memorizing. With $L_\text{val}(e)$ the validation loss after epoch $e$, the loop keeps,
 * after each epoch $e$,
 * $$\texttt{best\_epoch} = \arg\min_{e' \le e} L_\text{val}(e'), \qquad
 *   \texttt{since\_best} = e - \texttt{best\_epoch},$$
 * and stops after the first epoch at which $\texttt{since\_best} = \texttt{patience}$, with the
 * weights of $\texttt{best\_epoch}$. Only a strictly lower loss is a new best (a NaN never is),
 * and a patience of 0 never stops. The bookkeeping is `early_stop_update`, which answers
 * `EARLY_BEST`, `EARLY_WAIT` or `EARLY_STOP`:
 *
 * @include common/train.c:early_stop_init,early_stop_update
 *
 * and the training loop (`train_classifier`) acts on its answer after each epoch's evaluation:
 * a copy of every parameter and buffer of the net at a new best, and at the stop that copy put
 * back and evaluated again.
 *
 * @include common/train.c:early_stop_keep_best
 *
 * We compare it with the unregularized run trained to the end, seed by seed.
 */
static Point section_early(Lab *lab, const Config *cfg, Data *d, const Point *base) {
    Setting st = base_setting();
    st.curves = true, st.patience = cfg->patience;
    /* @fold opens early_stopping.csv */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "early_stopping.csv", path, sizeof path),
                  "seed,stopped_epoch,best_epoch,best_val_loss,last_val_loss,test_acc"))
        { d->failed = true; return *base; }
    /* @end */
    Outcome o[MAX_SEEDS];
    double stop = 0, best_loss = 0;
    SweepRun *runs = run_many(lab, cfg, d, &st, 1, true, o, "early stopping");
    for (int s = 0; s < cfg->seeds; s++) {
        const TrainResult *r = &runs[s].r;
        /* @fold writes the seed's row: where it stopped, its best epoch, the losses, its test accuracy */
        csv_row(&csv, "dddfff", s, r->epochs_run, r->best_loss_epoch, r->best_val_loss, r->val_loss[r->epochs_run - 1],
                o[s].test_acc);
        /* @end */
        stop += (double)r->epochs_run / cfg->seeds, best_loss += r->best_val_loss / cfg->seeds;
    }
    free(runs);
    if (!csv_close(&csv)) { d->failed = true; return *base; }
    Band test = band(o, cfg->seeds, offsetof(Outcome, test_acc));
    /* @fold prints the comparison; records the results and the claim */
    printf("  stopped at epoch %.1f of %d (mean); validation loss %.3f at the best epoch vs %.3f at the end without "
           "stopping; test %.4f vs %.4f\n", stop, cfg->epochs, best_loss, base->val_loss, test.mean, base->test.mean);
    results_num(&lab->results, "early_stop_epoch", stop);
    results_num(&lab->results, "early_best_val_loss", best_loss);
    results_num(&lab->results, "noreg_last_val_loss", base->val_loss);
    results_num(&lab->results, "early_test_acc", test.mean);
    results_num(&lab->results, "early_test_gain", test.mean - base->test.mean);
    claims_add(&lab->claims, "early_stops_early", stop < cfg->epochs && best_loss < base->val_loss, stop,
               "early stopping ends every run before the last epoch, with a lower validation loss than training "
               "to the end [the mean stopping epoch]");
    /* @end */
    return summarize(o, cfg->seeds, 0);
}

/** Early stopping (patience {{lab03:patience}} epochs) stops at epoch
 * {{lab03:early_stop_epoch|g3}} on average, keeping weights whose validation loss is
 * {{lab03:early_best_val_loss|g3}} (the mean of the table's best validation losses), against
 * {{lab03:noreg_last_val_loss|g3}} for the unregularized net after the last of its
 * {{lab03:epochs}} epochs; test accuracy {{lab03:early_test_acc}} against {{lab03:noreg_test_acc}}
 * (@tbl:lab03-early).
 *
 * ```{.csv-table #tbl:lab03-early file="lab03/early_stopping.csv"
 *    header="Seed,Stopped at epoch,Best epoch,Best validation loss,Validation loss at the stop,Test acc."
 *    digits="3" caption="Early stopping, seed by seed. Validation loss at the stop: the run's own loss after the epoch at which patience ran out, before the best weights are put back (not the unregularized net's)."}
 * ```
 */

/** ## 8. Data augmentation
 *
 * More data is the best regularizer, and augmentation makes more from what there is: each time an
 * image is used, it is shifted by a random number of pixels (up to 1, or up to 2) in each
 * direction. A fully connected net has no notion that a shifted coat is still a coat, so every
 * shift is, to it, a new image — and the flipped labels now come with many slightly different
 * images, which are much harder to memorize.
 */
static int section_augment(Lab *lab, const Config *cfg, Data *d, const Point *base, Point *chosen) {
    Setting sts[3];
    Outcome o[3 * MAX_SEEDS];
    for (int i = 0; i < cfg->nshift; i++) sts[i] = base_setting(), sts[i].shift = cfg->shift[i];
    free(run_many(lab, cfg, d, sts, cfg->nshift, true, o, "augmentation"));
    Point pts[3];
    int best = -1;
    double best_val = base->val.mean;
    for (int i = 0; i < cfg->nshift; i++) {
        pts[i] = summarize(o + i * cfg->seeds, cfg->seeds, cfg->shift[i]);
        /* @fold prints the point; records its results */
        char what[32], key[64];
        snprintf(what, sizeof what, "shifts up to %d px", cfg->shift[i]);
        print_point(what, &pts[i]);
        print_test(&pts[i]);
        snprintf(key, sizeof key, "shift%d_val_acc", cfg->shift[i]);
        results_num(&lab->results, key, pts[i].val.mean);
        snprintf(key, sizeof key, "shift%d_test_acc", cfg->shift[i]);
        results_num(&lab->results, key, pts[i].test.mean);
        snprintf(key, sizeof key, "shift%d_train_acc", cfg->shift[i]);
        results_num(&lab->results, key, pts[i].train.mean);
        /* @end */
        if (pts[i].val.mean > best_val) best_val = pts[i].val.mean, best = i;
    }
    *chosen = best >= 0 ? pts[best] : *base;
    int shift = best >= 0 ? cfg->shift[best] : 0;
    /* @fold records the results and the claim (the chosen shift helps from every seed) */
    results_int(&lab->results, "best_shift", shift);
    char words[64];
    if (shift == 0) snprintf(words, sizeof words, "none: no shift beat the unshifted net");
    else snprintf(words, sizeof words, "up to %d pixel%s", shift, shift == 1 ? "" : "s");
    results_str(&lab->results, "best_shift_words", words);
    results_num(&lab->results, "best_shift_test_acc", chosen->test.mean);
    claims_add(&lab->claims, "augmentation_helps", beats_every_seed(chosen, base), chosen->test.mean - base->test.mean,
               "the shift chosen on validation raises test accuracy above no regularization from every initialization "
               "[the gain in mean test accuracy]");
    /* @end */
    return shift;
}

/** Shifts of up to 1 pixel give test accuracy {{lab03:shift1_test_acc}}, up to 2 pixels
 * {{lab03:shift2_test_acc}}; the shift chosen on validation is {{lab03:best_shift_words|raw}}.
 */

/** ## 9. Everything together
 *
 * Each regularizer was tuned alone, against an unregularized net. Stacking L2, dropout and the
 * shifts at those strengths (L1 is not included), with early stopping on top, is the obvious
 * next step — and we measure it. But each
 * one was strong enough *on its own* to hold the net back from the flipped labels; together
 * they may hold it back from the true ones too. So we also tune the combination as a
 * combination: a small grid around the chosen values (L2 at the chosen $\lambda$ or a third of
 * it, with or without the chosen dropout, with or without the chosen shifts), chosen on
 * validation like everything else. Every point of this grid stops early: the combination always
 * includes early stopping, so it is never compared with itself trained to the end.
 */
static Point section_combined(Lab *lab, const Config *cfg, Data *d, const Point *base, Setting chosen,
                              Point *stacked_out) {
    chosen.curves = true, chosen.patience = cfg->patience;
    Point stacked = measure(lab, cfg, d, &chosen, 0, true);
    *stacked_out = stacked;
    /* @fold prints the stacked point */
    print_point("all stacked", &stacked);
    print_test(&stacked);
    /* @end */
    Setting sts[8];
    int n = 0;
    for (int k = 1; k < 8; k++) {   /* k = 0 is the stacked setting, measured above */
        if (((k & 2) && chosen.drop == 0) || ((k & 4) && chosen.shift == 0)) continue;   /* a repeat */
        sts[n] = chosen;
        sts[n].l2 = (k & 1) ? chosen.l2 / 3 : chosen.l2;
        sts[n].drop = (k & 2) ? 0 : chosen.drop;
        sts[n].shift = (k & 4) ? 0 : chosen.shift;
        n++;
    }
    Outcome *o = nn_calloc((size_t)n * cfg->seeds, sizeof(Outcome));
    free(run_many(lab, cfg, d, sts, n, false, o, "combinations"));
    Point best = {.val = {.mean = -1}};
    Setting best_st = chosen;
    for (int i = 0; i < n; i++) {
        Point p = summarize(o + (size_t)i * cfg->seeds, cfg->seeds, 0);
        /* @fold prints the point */
        char what[64];
        snprintf(what, sizeof what, "L2 %.2g p %.1f s %d", sts[i].l2, sts[i].drop, sts[i].shift);
        print_point(what, &p);
        /* @end */
        if (p.val.mean > best.val.mean) best = p, best_st = sts[i];
    }
    free(o);
    if (stacked.val.mean >= best.val.mean) best = stacked, best_st = chosen;
    else best = measure(lab, cfg, d, &best_st, 0, true);
    /* @fold prints the choice; records the results and the claim (it beats no regularization) */
    printf("  chosen combination: L2 %g, dropout %g, shifts %d, early stopping\n", best_st.l2, best_st.drop,
           best_st.shift);
    print_point("combined", &best);
    print_test(&best);
    results_num(&lab->results, "stacked_train_acc", stacked.train.mean);
    results_num(&lab->results, "stacked_val_acc", stacked.val.mean);
    results_num(&lab->results, "stacked_test_acc", stacked.test.mean);
    results_num(&lab->results, "combined_l2_lambda", best_st.l2);
    results_num(&lab->results, "combined_dropout_p", best_st.drop);
    results_int(&lab->results, "combined_shift", best_st.shift);
    char words[64];
    if (best_st.shift == 0) snprintf(words, sizeof words, "no shifts");
    else snprintf(words, sizeof words, "shifts of up to %d pixel%s", best_st.shift, best_st.shift == 1 ? "" : "s");
    results_str(&lab->results, "combined_shift_words", words);
    results_num(&lab->results, "combined_train_acc", best.train.mean);
    results_num(&lab->results, "combined_val_acc", best.val.mean);
    results_num(&lab->results, "combined_test_acc", best.test.mean);
    results_num(&lab->results, "combined_test_min", best.test.lo);
    results_num(&lab->results, "combined_memorized", best.memorized);
    claims_add(&lab->claims, "combined_beats_noreg", beats_every_seed(&best, base), best.test.mean - base->test.mean,
               "the combination tuned on validation beats no regularization on test from every initialization "
               "[its gain in mean test accuracy]");
    /* @end */
    return best;
}

/** With L2, dropout and the shifts stacked at the strengths chosen for each alone, and early
 * stopping on top (no L1), training accuracy falls to {{lab03:stacked_train_acc}} and test accuracy is
 * {{lab03:stacked_test_acc}}. Tuned together, the combination with the best validation accuracy
 * is L2 $\lambda$ = {{lab03:combined_l2_lambda|g2}}, dropout {{lab03:combined_dropout_p|g2}} and
 * {{lab03:combined_shift_words|raw}}, with early stopping: validation accuracy
 * {{lab03:combined_val_acc}}, test {{lab03:combined_test_acc}}, having learned
 * {{lab03:combined_memorized|pct}} of the wrong labels. On validation it is
 * {{lab03:combined_vs_single|raw}}.
 */

/** ## The summary
 *
 * One row per regularizer at its chosen strength, then every one stacked and the combination
 * tuned together: training accuracy (on the labels as given, flipped ones included), how many
 * flipped labels the net learned, and validation and test accuracy. The recommendation is chosen
 * like every strength was: on validation, among all the rows — and the combination's lead, too,
 * is read on validation, over the best single regularizer.
 */
enum { ROW_NONE, ROW_L2, ROW_L1, ROW_DROPOUT, ROW_EARLY, ROW_SHIFT, ROW_STACKED, ROW_TOGETHER, NROWS };

/* @fold writes summary.csv and prints it as a table */
static bool summary(const Lab *lab, const Point *rows, const char *const *names, int n) {
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "summary.csv", path, sizeof path),
                  "setting,train_acc,memorized,val_acc,test_min,test_mean,test_max"))
        return false;
    printf("\n  %-26s %8s %10s %8s %8s  %s\n", "setting", "train", "memorized", "val", "test", "test min-max");
    for (int i = 0; i < n; i++) {
        const Point *p = &rows[i];
        csv_row(&csv, "sffffff", names[i], p->train.mean, p->memorized, p->val.mean, p->test.lo, p->test.mean,
                p->test.hi);
        printf("  %-26s %7.2f%% %9.1f%% %7.2f%% %7.2f%%  %.2f-%.2f%%\n", names[i], 100 * p->train.mean,
               100 * p->memorized, 100 * p->val.mean, 100 * p->test.mean, 100 * p->test.lo, 100 * p->test.hi);
    }
    if (!csv_close(&csv)) return false;
    return true;
}
/* @end */

static void recommend(Lab *lab, const Point *rows) {
    int pick = ROW_NONE;
    double best_single_val = -1;
    for (int i = 0; i < NROWS; i++) {
        if (rows[i].val.mean > rows[pick].val.mean) pick = i;
        if (i >= ROW_L2 && i <= ROW_SHIFT) best_single_val = fmax(best_single_val, rows[i].val.mean);
    }
    double lead = 100 * (rows[ROW_TOGETHER].val.mean - best_single_val);   /* in percentage points */
    /* @fold records the choice and the lead, in numbers and in words */
    static const char *const PICK_WORDS[NROWS] = {
        "no regularization", "L2 alone", "L1 alone", "dropout alone", "early stopping alone",
        "shifts alone", "every regularizer stacked", "the combination tuned together"};
    results_str(&lab->results, "val_choice", PICK_WORDS[pick]);
    results_num(&lab->results, "val_choice_val_acc", rows[pick].val.mean);
    results_num(&lab->results, "val_choice_test_acc", rows[pick].test.mean);
    results_num(&lab->results, "combined_val_lead_points", lead);
    results_num(&lab->results, "combined_val_abs_lead_points", fabs(lead));
    char words[128];
    if (fabs(lead) < 0.05) snprintf(words, sizeof words, "level with the best single regularizer");
    else snprintf(words, sizeof words, "%.2g percentage points %s the best single regularizer", fabs(lead),
                  lead > 0 ? "ahead of" : "behind");
    results_str(&lab->results, "combined_vs_single", words);
    /* @end */
}

/** Chosen on validation among all the rows of @tbl:lab03-summary, the recommendation of this
 * run is {{lab03:val_choice|raw}} (validation {{lab03:val_choice_val_acc}}, test
 * {{lab03:val_choice_test_acc}}). The differences between the best rows are within the spread
 * between seeds: most of the gain is there with the best single regularizer, and the rest is not
 * worth much tuning.
 *
 * ```{.csv-table #tbl:lab03-summary file="lab03/summary.csv"
 *    header="Setting,Train,Wrong labels,Val.,Test min,mean,max"
 *    digits="4" caption="Each regularizer at the strength chosen on validation (L2 and L1: λ; dropout: p; shifts: up to so many pixels), all stacked (L2, dropout, shifts and early stopping; not L1), and the combination tuned together; {{lab03:seeds}} seeds each. Test accuracy is a count of whole images out of {{lab03:test_images}}, so seeds can agree on it to within an image or two even when their validation accuracies differ. Train: accuracy on the labels as given; wrong labels: the share of the flipped labels learned; accuracies as fractions."}
 * ```
 */

/** ## Putting it together
 *
 * `run_lab` loads the data, flips the labels, and runs the sections in order on the same data;
 * the strengths chosen for L2, dropout and the shifts feed "Everything together", and every
 * section's chosen point is a row of the summary.
 */
/* @fold run_lab(): loads the data, flips the labels, runs the sections, the summary, the recommendation */
static double noise_flag = -1;   /* --noise: replaces the configuration's label noise */

static int run_lab(Lab *lab) {
    /* @fold loads train_n images (a fraction noise of their labels flipped), val_n and test_n clean ones */
    Config config = lab->quick ? QUICK : FULL;
    if (noise_flag >= 0) config.noise = noise_flag;
    const Config *cfg = &config;
    Dataset train, test;
    Rng split;
    rng_init(&split, lab->seed);
    Subset tr, val, rest;
    if (!data_fashion_split(&train, cfg->val_n, cfg->train_n, &split, "lab03", &tr, &val, &rest) ||
        !data_load(&test, "fashion-mnist", "t10k", "lab03"))
        return 1;
    Data d = {.tr = tr, .val = val, .test = subset_range(&test, 0, cfg->test_n)};
    flip_labels(&d, cfg->noise, &split);
    test.mean = train.mean, test.std = train.std;
    d.workers = lab->threads;
    d.b = trainbufs_new(d.workers, EVAL, 784, CLASSES);
    dataset_summary(&d.tr, "  train", stdout);
    printf("  %d of the %d training labels (%.1f%%) replaced by a wrong one\n", d.flipped.n, d.tr.n,
           100.0 * d.flipped.n / d.tr.n);
    dataset_summary(&d.val, "  validation", stdout);
    dataset_summary(&d.test, "  test", stdout);
    results_int(&lab->results, "train_images", cfg->train_n);
    results_int(&lab->results, "flipped_labels", d.flipped.n);
    results_num(&lab->results, "label_noise", cfg->noise);
    results_int(&lab->results, "val_images", cfg->val_n);
    results_int(&lab->results, "test_images", cfg->test_n);
    results_int(&lab->results, "epochs", cfg->epochs);
    results_int(&lab->results, "seeds", cfg->seeds);
    results_int(&lab->results, "patience", cfg->patience);
    results_int(&lab->results, "width", WIDTH);
    results_int(&lab->results, "parameters", (784 + 1) * WIDTH + (WIDTH + 1) * WIDTH + (WIDTH + 1) * CLASSES);
    results_num(&lab->results, "sgd_lr", SGD_LR);
    results_num(&lab->results, "momentum", MOMENTUM);
    results_num(&lab->results, "adam_lr", ADAM_LR);
    results_num(&lab->results, "l2_min", cfg->l2[0]);
    results_num(&lab->results, "l2_max", cfg->l2[cfg->nl2 - 1]);
    results_num(&lab->results, "drop_min", cfg->drop[0]);
    results_num(&lab->results, "drop_max", cfg->drop[cfg->ndrop - 1]);
    /* @end */
    Point rows[NROWS], l2pts[12];
    Setting chosen = base_setting();
    /* @fold runs the sections in order, each under its heading (a file not written stops the lab) */
    printf("\n1. Overfitting on purpose: 784-%d-%d-10, %d epochs, %d seeds\n", WIDTH, WIDTH, cfg->epochs, cfg->seeds);
    section_overfit(lab, cfg, &d, &rows[ROW_NONE]);
    if (d.failed) return 1;   /* the reason is printed */
    const Point *base = &rows[ROW_NONE];
    printf("\n2. L2 penalty (SGD)\n");
    chosen.l2 = section_l2(lab, cfg, &d, base, &rows[ROW_L2], l2pts);
    if (d.failed) return 1;
    printf("\n3. Adam + L2 against AdamW's decoupled decay\n");
    section_decay(lab, cfg, &d);
    if (d.failed) return 1;
    printf("\n4. L1 penalty (SGD)\n");
    double l1 = section_l1(lab, cfg, &d, base, l2pts, &rows[ROW_L1]);
    if (d.failed) return 1;
    printf("\n5. Dropout\n");
    chosen.drop = section_dropout(lab, cfg, &d, base, &rows[ROW_DROPOUT]);
    if (d.failed) return 1;
    printf("\n6. Capacity: hidden width\n");
    section_width(lab, cfg, &d, base);
    if (d.failed) return 1;
    printf("\n7. Early stopping (patience %d)\n", cfg->patience);
    rows[ROW_EARLY] = section_early(lab, cfg, &d, base);
    if (d.failed) return 1;
    printf("\n8. Data augmentation\n");
    chosen.shift = section_augment(lab, cfg, &d, base, &rows[ROW_SHIFT]);
    if (d.failed) return 1;
    printf("\n9. Combined\n");
    rows[ROW_TOGETHER] = section_combined(lab, cfg, &d, base, chosen, &rows[ROW_STACKED]);
    if (d.failed) return 1;
    /* @end */
    /* @fold writes the summary (one row per setting, named with its strength), recommends, frees */
    char names[NROWS][64];
    snprintf(names[ROW_NONE], 64, "none");
    snprintf(names[ROW_L2], 64, "L2 \u03bb %g", chosen.l2);   /* \u03bb: lambda */
    snprintf(names[ROW_L1], 64, "L1 \u03bb %g", l1);
    snprintf(names[ROW_DROPOUT], 64, "dropout %g", chosen.drop);
    snprintf(names[ROW_EARLY], 64, "early stopping");
    snprintf(names[ROW_SHIFT], 64, "shifts \u2264 %d px", chosen.shift);   /* \u2264: at most */
    snprintf(names[ROW_STACKED], 64, "all stacked");
    snprintf(names[ROW_TOGETHER], 64, "tuned together");
    const char *np[NROWS];
    for (int i = 0; i < NROWS; i++) np[i] = names[i];
    if (!summary(lab, rows, np, NROWS)) return 1;
    recommend(lab, rows);
    trainbufs_free(d.b, d.workers);
    subset_free(&val), subset_free(&rest), subset_free(&d.test), subset_free(&d.flipped);
    dataset_free(&train), dataset_free(&test);
    /* @end */
    return 0;
}
/* @end */

/* @fold main(): command-line flags */
#ifndef NN_NO_MAIN
int main(int argc, char **argv) {
    Lab lab;
    CliOpt extra[] = {{"--noise", CLI_REAL, &noise_flag, "fraction of training labels made wrong (default 0.2)", 0, 0.9}};
    lab_start(&lab, argc, argv, "lab03", "The regularization sweep", extra, 1);
    return lab_run(&lab, run_lab);
}
#endif
/* @end */

/** ## In plain words
 *
 * A net with many more weights than training images learns them all, wrong labels included, and
 * its validation loss climbs while its training loss falls. L2 adds $\lambda w$ to each weight's
 * gradient and so shrinks large weights; L1 adds $\lambda\,\mathrm{sign}(w)$, a constant pull that
 * drives many weights to exactly zero. With Adam the two are not weight decay: AdamW shrinks the
 * weights outside the adaptive step, and the same $\lambda$ means a different strength. Inverted
 * dropout zeroes units at random in training and scales the survivors by $1/(1-p)$, so that
 * evaluation needs no change. Early stopping keeps the weights of the epoch with the lowest
 * validation loss and stops once patience runs out; augmentation makes each image a little
 * different every time it is seen. Every strength is chosen on the validation set, and the test
 * set is read once per chosen setting; regularizers stacked at the strengths chosen for each
 * alone can hold the net back too far, so a combination is tuned as a combination.
 *
 * ::: {.claims lab="lab03"}
 * :::
 *
 * **What to try next.** Run `make lab03 ARGS="--noise 0"`: with clean labels, how much of each
 * gain survives? Add L2 to the dropout net; try dropout on the input pixels;
 * give the augmented runs twice the epochs.
 *
 * ## Exercises
 *
 * In the student edition (`make exercises`; the README says how to get it) the kernels below are
 * yours to write: each is marked `EXERCISE id` in its file, a program that reaches one unwritten
 * stops and names it, and `make grade EX=id` runs its tests (tests/grade/grade_lab3.c); `make grade
 * LAB=lab03`
 * grades the whole chapter.
 *
 * | exercise | what to write | hint |
 * |---|---|---|
 * | `penalty_l2` | `common/optim.c`: $\tfrac\lambda2\sum w^2$ and its gradient | only parameters with `.decay` set; add to the gradient, do not replace it |
 * | `penalty_l1` | `common/optim.c`: $\lambda\sum|w|$ and its subgradient | the subgradient at $w = 0$ is 0 |
 * | `dropout_forward` | `common/dropout.c`: inverted dropout in training | one `rng_uniform` per value; drop when $u < p$; scale the kept by $1/(1-p)$ |
 * | `dropout_backward` | `common/dropout.c`: $dx = dy \cdot$ mask | the mask already holds the scale |
 * | `early_stop` | `common/train.c`: early stopping's bookkeeping of the best epoch | strictly lower is better; a NaN never is; patience 0 never stops |
 *
 * **Questions to think about**, each with the run that answers it:
 *
 * 1. With clean labels, how much of each regularizer's gain survives? `make lab03 ARGS="--noise 0"`.
 * 2. Why does L1 make weights exactly zero and L2 does not? Look at the L1 sweep, then give
 *    `penalty_l1` the sign $+1$ at zero and run `make grade EX=penalty_l1`.
 * 3. Why does inverted dropout need no rescaling at evaluation? The grading test
 *    `keeps_the_expected_value` of `dropout_forward` measures the mean.
 * 4. Does the best dropout rate depend on the seed? `make lab03 ARGS="--seed 5"`.
 */
