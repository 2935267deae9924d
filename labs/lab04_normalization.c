/** # Normalization {#sec:lab04}
 *
 * **Question.** A deep net's layers feed each other: when the first layers' outputs drift in
 * scale, every layer above sees inputs of a size it was not tuned for. Normalization layers put
 * each layer's input back to a standard scale — but over *what*? BatchNorm [@ioffe2015batch]
 * averages each feature over the batch; LayerNorm [@ba2016layer] each sample over its features;
 * RMSNorm [@zhang2019root] divides each sample by its root mean square without centring it. This
 * lab builds all three in `common/norm.c` (with PyTorch's exact conventions, tested against it),
 * watches what they do to the signal through 15 layers, trains the same deep net with each at
 * three learning rates, varies the batch size, and breaks BatchNorm's evaluation mode on purpose.
 */
/* @fold the headers, and Config: the sizes of the experiments in full and quick mode */
#include <string.h>

#include "data.h"
#include "monitor.h"
#include "nnlab.h"
#include "sweep.h"
#include "train.h"

typedef struct {
    int train_n, val_n, test_n, epochs, seeds;
    double target;                 /* "converged": this validation accuracy */
    int nlr; double lr[3];         /* SGD learning rates, safe to too high */
    int bs_train_n, bs_epochs;     /* the batch-size study */
    int nbatch; int batch[4];
    int mismatch_epochs;           /* the BatchNorm net of the train/eval experiment */
} Config;

static const Config FULL = {.train_n = 10000, .val_n = 2000, .test_n = 10000, .epochs = 8, .seeds = 3,
                            .target = 0.85, .nlr = 3, .lr = {0.02, 0.2, 2}, .bs_train_n = 4000, .bs_epochs = 3,
                            .nbatch = 4, .batch = {2, 8, 32, 128}, .mismatch_epochs = 5};
static const Config QUICK = {.train_n = 1600, .val_n = 1000, .test_n = 2000, .epochs = 3, .seeds = 3,
                             .target = 0.75, .nlr = 3, .lr = {0.02, 0.2, 2}, .bs_train_n = 800, .bs_epochs = 2,
                             .nbatch = 4, .batch = {2, 8, 32, 128}, .mismatch_epochs = 3};
/* @end */

enum { EVAL = 500, CLASSES = 10, WIDTH = 256, DEPTH = 6, BATCH = 64, STACK = 15, NARMS = 4 };

/** ## The net
 *
 * `DEPTH` hidden layers of width 256, each Linear → (normalization) → ReLU, then a Linear layer
 * to the ten classes. He initialization throughout. A Linear layer followed by BatchNorm gets no
 * bias: BatchNorm subtracts the batch mean, which would cancel it (β takes its place).
 * Arm 0 has no normalization; arms 1–3 are `NORM_BATCH`, `NORM_LAYER`, `NORM_RMS`.
 */
static const char *arm_name(int arm) { return arm == 0 ? "none" : norm_name((NormKind)(arm - 1)); }

static void deep_net(Net *net, int arm, int depth, Init init, Rng *rng) {
    net_init(net, EVAL);
    int in = 784;
    for (int l = 0; l < depth; l++) {
        net_add_linear(net, in, WIDTH, arm != 1 + NORM_BATCH, init, rng);
        if (arm > 0) net_add_norm(net, (NormKind)(arm - 1));
        net_add_act(net, act_make(ACT_RELU));
        in = WIDTH;
    }
    net_add_linear(net, in, CLASSES, true, init_make(INIT_XAVIER_UNIFORM), rng);
}

/** ## The three normalizations
 *
 * All three turn each value $x$ into $\hat x = (x - \mu)\, s$ with $s = 1/\sqrt{\sigma^2 + \epsilon}$
 * (`mean`, `inv_std`, `xhat` in the code), then scale and shift it by learned parameters,
 * $y = \gamma \hat x + \beta$ (`gamma`, `beta`, one of each per feature). They differ only in
 * which numbers $\mu$ and $\sigma^2$ average over. For a batch `x` of shape [N, D]:
 * $$\text{BatchNorm:}\quad \mu_j = \frac1N \sum_i x_{ij}, \qquad
 *   \sigma^2_j = \frac1N \sum_i (x_{ij} - \mu_j)^2 \qquad\text{(each feature, over the batch)},$$
 * $$\text{LayerNorm:}\quad \mu_i = \frac1D \sum_j x_{ij}, \qquad
 *   \sigma^2_i = \frac1D \sum_j (x_{ij} - \mu_i)^2 \qquad\text{(each sample, over its features)},$$
 * $$\text{RMSNorm:}\quad \mu_i = 0, \qquad \sigma^2_i = \frac1D \sum_j x_{ij}^2
 *   \qquad\text{(no centring, and no } \beta\text{)}.$$
 * `norm_forward` computes the statistics, one per column or one per row, and applies them:
 *
 * @include common/norm.c:norm_forward
 *
 * BatchNorm's statistics depend on the batch, so evaluation cannot use them: a prediction would
 * change with the other images in its batch. During training it keeps running averages,
 * $\bar\mu \leftarrow (1 - m)\,\bar\mu + m\,\mu$ with momentum $m = 0.1$ (and the same for the
 * variance, unbiased: divided by $N - 1$), and evaluation normalizes with those:
 *
 * @include common/norm.c:batchnorm_forward
 *
 * LayerNorm and RMSNorm never look across the batch; they are the same function in training and
 * in evaluation:
 *
 * @include common/norm.c:rownorm_forward
 */
/** ## 1. The signal through 15 layers
 *
 * At initialization, a batch of 500 training images goes through a 15-layer ReLU stack with
 * PyTorch's default initialization — $U(\pm 1/\sqrt{\mathrm{fan\_in}})$, variance
 * $1/(3\,\mathrm{fan\_in})$, a sixth of He's $2/\mathrm{fan\_in}$ — and we record the mean and standard deviation after every ReLU. Without
 * normalization each layer shrinks the signal by the same factor (Lab 6 measures why); with any
 * of the three normalizations every layer starts again from unit scale.
 */
static bool section_depth(Lab *lab, const Subset *tr, TrainBuffers *b) {
    /* @fold opens depth.csv */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "depth.csv", path, sizeof path), "norm,layer,mean,std")) return false;
    /* @end */
    dataset_batch(tr->data, tr->idx, EVAL, b->x, b->y);
    double last[NARMS];
    for (int arm = 0; arm < NARMS; arm++) {
        Rng rng;
        rng_init(&rng, lab->seed);
        Net net;
        deep_net(&net, arm, STACK, init_make(INIT_TORCH_DEFAULT), &rng);
        net_forward(&net, b->x, EVAL, true, NULL);
        Monitor mon;   /* the instruments of monitor.h: mean and std after every activation */
        monitor_init(&mon, &net);
        monitor_activations(&mon);
        int layer = 0;
        for (int k = 0; k < mon.n; k++) {
            const LayerStat *s = &mon.stats[k];
            if (s->kind != LAYER_ACT) continue;
            csv_row(&csv, "sdgg", arm_name(arm), ++layer, s->mean, s->std);
            last[arm] = s->std;
        }
        monitor_free(&mon);
        net_free(&net);
    }
    /* @fold prints and records each normalization's std after the last layer, and the claim */
    if (!csv_close(&csv)) return false;
    for (int arm = 0; arm < NARMS; arm++) {
        printf("  %-10s std after layer %d: %.3g\n", arm_name(arm), STACK, last[arm]);
        char key[64];
        snprintf(key, sizeof key, "std15_%s", arm_name(arm));
        results_num(&lab->results, key, last[arm]);
    }
    claims_add(&lab->claims, "norm_keeps_signal", last[0] < 1e-3 && last[1] > 0.3 && last[1] < 3, last[1],
               "with the default initialization the signal after 15 ReLU layers has a std below 1e-3 without "
               "normalization and between 0.3 and 3 with BatchNorm [the std with BatchNorm]");
    /* @end */
    return true;
}

/** **The signal.** After 15 ReLU layers with PyTorch's default initialization the activations'
 * standard deviation has fallen to {{lab04:std15_none|sci}} without normalization, while BatchNorm
 * keeps it at {{lab04:std15_batchnorm|g3}}, LayerNorm at {{lab04:std15_layernorm|g3}} and RMSNorm
 * at {{lab04:std15_rmsnorm|g3}} (@fig:lab04-depth) — about what a ReLU leaves of a unit-variance
 * input, layer after layer.
 *
 * ![Standard deviation (left) and mean (right) of the activations after each layer of a 15-layer
 * ReLU stack at initialization (default initialization), with each normalization and
 * without.](lab04_depth){#fig:lab04-depth}
 */

/** ## 2. Training at three learning rates
 *
 * The 6-hidden-layer net on Fashion-MNIST with each normalization, trained with SGD (momentum 0.9,
 * batch 64, a constant learning rate) at three learning rates a factor of ten apart,
 * {{lab04:lr0|g2}}, {{lab04:lr1|g2}} and {{lab04:lr2|g2}}, for {{lab04:epochs}} epochs on
 * {{lab04:train_images|int}} images, {{lab04:seeds}} seeds each. We record the validation accuracy after every epoch, the epoch it first reaches the
 * target, how many seeds diverged, and the spread of the final training loss over seeds.
 *
 * The runs are independent, so they go side by side, one per core: `common/sweep.h` runs arms ×
 * seeds, and the lab says only how to train one run, `train_one`, from its arm's `Spec`.
 */
typedef struct {
    int norm;      /* 0: none, else 1 + NormKind (arm_name) */
    int batch;
    double lr;
    OptKind opt;   /* SGD gets momentum 0.9 */
} Spec;

typedef struct {
    const Lab *lab;
    const Subset *tr, *val;
    const Spec *spec;   /* [arms]: run k trains spec[runs[k].arm] */
    int train_n, epochs;
    double target;
} Plan;

static void train_one(void *ctx, SweepRun *run, TrainBuffers *b) {
    const Plan *p = ctx;
    const Spec *sp = &p->spec[run->arm];
    Rng rng;
    rng_init(&rng, p->lab->seed * 1000 + (uint64_t)run->seed);
    Net net;
    deep_net(&net, sp->norm, DEPTH, init_make(INIT_HE_NORMAL), &rng);
    OptConfig oc = optim_defaults(sp->opt);
    oc.lr = (real)sp->lr;
    if (sp->opt == OPT_SGD) oc.momentum = R(0.9);
    Subset tr = {p->tr->data, p->tr->idx, p->train_n};
    TrainConfig tc = {.name = "", .epochs = p->epochs, .batch = sp->batch, .opt = oc,
                      .sched = schedule_constant(sp->lr), .target_acc = p->target, .quiet = true};
    if (!train_classifier(&net, &tr, p->val, &tc, b, &rng, &run->r))
        CHECK(0, "a run that writes no file cannot fail");
    net_free(&net);
}

/** The grid: arm `a * nlr + l` is normalization `a` at learning rate `l`, and `sweep_run` trains
 * each arm with every seed. Each arm's seeds are then summarized by `sweep_arm`'s one rule: the
 * minimum, mean and maximum of the final validation accuracy, except that an arm with a diverged
 * seed has no accuracy at all (NaN, which the figures leave out and the tables print as such)
 * rather than a mean that hides the failure. */
static bool section_train(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val,
                          TrainBuffers *b, SweepArm arms[NARMS][3]) {
    int narms = NARMS * cfg->nlr, S = cfg->seeds;
    Spec spec[NARMS * 3];
    for (int a = 0; a < NARMS; a++)
        for (int l = 0; l < cfg->nlr; l++)
            spec[a * cfg->nlr + l] = (Spec){a, BATCH, cfg->lr[l], OPT_SGD};
    Plan plan = {lab, tr, val, spec, cfg->train_n, cfg->epochs, cfg->target};
    SweepRun *runs = sweep_alloc(narms, S);
    sweep_run(runs, narms * S, train_one, &plan, b, lab->threads, "normalization x learning rate");
    /* @fold opens lr_grid.csv and lr_bands.csv, prints the table's header */
    char path[512];
    Csv grid, bands;
    if (!csv_open(&grid, lab_path(lab, "lr_grid.csv", path, sizeof path),
                  "group,x,val_min,val_mean,val_max,diverged,epoch_to_target,loss_spread") ||
        !sweep_bands_open(&bands, lab_path(lab, "lr_bands.csv", path, sizeof path)))
        return false;
    printf("  %-10s %-6s %-26s %-9s %-18s %s\n", "norm", "lr", "final val acc (min-max)", "diverged",
           "epochs to target", "loss spread");
    /* @end */
    for (int a = 0; a < NARMS; a++)
        for (int l = 0; l < cfg->nlr; l++) {
            const SweepRun *seeds = &runs[(a * cfg->nlr + l) * S];
            SweepArm *arm = &arms[a][l];
            *arm = sweep_arm(seeds, S);
            double loss_spread = arm->loss.hi - arm->loss.lo;   /* NaN when a seed diverged */
            /* @fold writes the arm's row to lr_grid.csv and prints it */
            char reached[32];   /* a mean epoch, or why there is none */
            if (isfinite(arm->epoch_mean)) snprintf(reached, sizeof reached, "%.2g", arm->epoch_mean);
            else snprintf(reached, sizeof reached, "%s", arm->diverged ? "diverged" : "not every seed");
            csv_row(&grid, "sgfffdsf", arm_name(a), cfg->lr[l], arm->val.lo, arm->val.mean, arm->val.hi,
                    arm->diverged, reached, loss_spread);
            printf("  %-10s %-6g %.4f (%.4f-%.4f)  %d of %d    %-18s %.3g\n", arm_name(a), cfg->lr[l], arm->val.mean,
                   arm->val.lo, arm->val.hi, arm->diverged, S, reached, loss_spread);
            /* @end */
            if (l == 1)   /* the curves of the middle learning rate: each epoch's band over the seeds */
                sweep_bands_rows(&bands, arm_name(a), seeds, S, cfg->epochs);
        }
    /* @fold records the results, and the claim: at some rate the plain net fails while BatchNorm trains */
    if (!csv_close(&grid) || !csv_close(&bands)) return false;
    for (int a = 0; a < NARMS; a++)
        for (int l = 0; l < cfg->nlr; l++) {
            char key[64];
            snprintf(key, sizeof key, "%s_lr%d_val_acc", arm_name(a), l);
            results_num(&lab->results, key, arms[a][l].val.mean);
            snprintf(key, sizeof key, "%s_lr%d_diverged", arm_name(a), l);
            results_int(&lab->results, key, arms[a][l].diverged);
            snprintf(key, sizeof key, "%s_lr%d_epoch_to_target", arm_name(a), l);
            if (isfinite(arms[a][l].epoch_mean))   /* absent: not every seed got there */
                results_num(&lab->results, key, arms[a][l].epoch_mean);
        }
    for (int l = 0; l < cfg->nlr; l++) {
        char key[32];
        snprintf(key, sizeof key, "lr%d", l);
        results_num(&lab->results, key, cfg->lr[l]);
    }
    /* the highest learning rate at which no normalization fails (diverges, or stays below 50%) while
     * BatchNorm trains */
    int where = -1;
    for (int l = 0; l < cfg->nlr; l++) {
        bool none_fails = arms[0][l].diverged > 0 || !(arms[0][l].val.mean > 0.5);
        if (none_fails && arms[1][l].val.lo > 0.7) where = l;
    }
    results_num(&lab->results, "bn_rescues_lr", where >= 0 ? cfg->lr[where] : NAN);
    claims_add(&lab->claims, "bn_trains_where_none_fails", where >= 0, where >= 0 ? arms[1][where].val.mean : 0,
               "at some learning rate the net without normalization diverges or stays below 50% while every "
               "BatchNorm seed trains past 70% [BatchNorm's accuracy there]");
    /* @end */
    free(runs);
    return true;
}

/** **Learning rates.** @fig:lab04-lr shows the final validation accuracy of each arm at the three
 * learning rates. At {{lab04:lr0|g2}} every variant
 * trains: no normalization {{lab04:none_lr0_val_acc}}, BatchNorm {{lab04:batchnorm_lr0_val_acc}},
 * LayerNorm {{lab04:layernorm_lr0_val_acc}}, RMSNorm {{lab04:rmsnorm_lr0_val_acc}}. At
 * {{lab04:lr1|g2}} the net without normalization diverged in {{lab04:none_lr1_diverged}} of
 * {{lab04:seeds}} seeds, while BatchNorm reaches {{lab04:batchnorm_lr1_val_acc}}; LayerNorm
 * ({{lab04:layernorm_lr1_val_acc}}) and RMSNorm ({{lab04:rmsnorm_lr1_val_acc}}) fare worse here. At
 * {{lab04:lr2|g2}} nothing trains. @fig:lab04-curves follows the middle learning rate epoch by
 * epoch. @tbl:lab04-grid has the details: diverged seeds, the mean epoch at which validation
 * accuracy first reached {{lab04:target_acc|pct}} ("not every seed" when some seed never did), and the spread of
 * the final training loss over seeds.
 *
 * ![Final validation accuracy against the learning rate (SGD with momentum 0.9, constant rate),
 * min-max band over seeds; a thin dashed line in an arm's colour marks a learning rate at which
 * some seed of it diverged, and the arms are set slightly apart along the axis so that none hides
 * another.](lab04_lr){#fig:lab04-lr}
 *
 * ![Validation accuracy per epoch at the middle learning rate (left) and against training time
 * (right), min–max band over seeds. An arm with a diverged seed has no band and no line, and its
 * key entry says "(diverged)".](lab04_curves){#fig:lab04-curves}
 *
 * ```{.csv-table #tbl:lab04-grid file="lab04/lr_grid.csv"
 *    header="Norm.,Rate,Val. min,Val. mean,Val. max,Diverged,Epochs to target,Loss spread"
 *    digits="3" caption="Every normalization at every learning rate, {{lab04:seeds}} seeds each."}
 * ```
 */

/** ## 3. Batch size
 *
 * BatchNorm's statistics come from the batch: with 2 samples, the "mean" and "variance" of each
 * feature are those of two numbers — and then $\hat x = \pm 1$ exactly (up to $\epsilon$): each
 * feature says only which of the two samples is larger. What a sample's output is depends
 * entirely on which other sample shares its batch. Evaluation then uses running averages of these noisy estimates. LayerNorm
 * never looks across the batch. We train BatchNorm and LayerNorm nets with Adam (learning rate
 * $10^{-3}$) at the batch sizes of @fig:lab04-batch, from 2 up, each for {{lab04:bs_epochs}} epochs
 * on {{lab04:bs_train_images|int}} images.
 */
static bool section_batch(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val,
                          TrainBuffers *b, double acc[2][4]) {
    int narms = 2 * cfg->nbatch, S = cfg->seeds;
    Spec spec[2 * 4];   /* arm a * nbatch + i: BatchNorm (a = 0) or LayerNorm (a = 1) at batch size i */
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < cfg->nbatch; i++)
            spec[a * cfg->nbatch + i] = (Spec){1 + a, cfg->batch[i], 1e-3, OPT_ADAM};
    Plan plan = {lab, tr, val, spec, cfg->bs_train_n, cfg->bs_epochs, 0};
    SweepRun *runs = sweep_alloc(narms, S);
    sweep_run(runs, narms * S, train_one, &plan, b, lab->threads, "batch sizes");
    /* @fold opens batch_size.csv */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "batch_size.csv", path, sizeof path),
                  "group,x,val_min,val_mean,val_max,diverged,seconds_per_epoch"))
        return false;
    /* @end */
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < cfg->nbatch; i++) {
            SweepArm arm = sweep_arm(&runs[(a * cfg->nbatch + i) * S], S);
            acc[a][i] = arm.val.mean;
            /* @fold writes the row, prints it, records it */
            csv_row(&csv, "sdfffdf", arm_name(1 + a), cfg->batch[i], arm.val.lo, arm.val.mean, arm.val.hi, arm.diverged,
                    arm.seconds_per_epoch);
            printf("  %-10s batch %-4d validation accuracy %.4f (%.4f-%.4f)  %.2f s per epoch\n", arm_name(1 + a),
                   cfg->batch[i], arm.val.mean, arm.val.lo, arm.val.hi, arm.seconds_per_epoch);
            char key[64];
            snprintf(key, sizeof key, "%s_batch%d_val_acc", arm_name(1 + a), cfg->batch[i]);
            results_num(&lab->results, key, arm.val.mean);
            /* @end */
        }
    /* @fold records the cost of batch 2 against batch 32 for each, and the claim */
    if (!csv_close(&csv)) return false;
    /* batch 2 against batch 32 (index 0 and 2) */
    double bn_loss = acc[0][2] - acc[0][0], ln_loss = acc[1][2] - acc[1][0];
    results_num(&lab->results, "bn_batch2_cost", bn_loss);
    results_num(&lab->results, "ln_batch2_cost", ln_loss);
    claims_add(&lab->claims, "bn_needs_batches", bn_loss > 0.05 && ln_loss < bn_loss / 2, bn_loss,
               "at batch size 2 BatchNorm loses more than 5 points of validation accuracy against batch 32, "
               "LayerNorm less than half as much [BatchNorm's loss]");
    /* @end */
    free(runs);
    return true;
}

/** **Batch size.** With batches of 2 BatchNorm reaches {{lab04:batchnorm_batch2_val_acc}}
 * validation accuracy against {{lab04:batchnorm_batch32_val_acc}} with batches of 32; LayerNorm
 * {{lab04:layernorm_batch2_val_acc}} against {{lab04:layernorm_batch32_val_acc}}
 * (@fig:lab04-batch).
 * BatchNorm trains on statistics of two samples and is evaluated with running averages of those
 * noisy estimates; LayerNorm never notices the batch.
 *
 * ![Validation accuracy against the batch size, BatchNorm and LayerNorm.](lab04_batch){#fig:lab04-batch}
 */

/** ## 4. Train mode, eval mode
 *
 * A BatchNorm net behaves differently in evaluation: it must use the running statistics. Two
 * mistakes, measured on one trained BatchNorm net:
 *
 * 1. *Forgetting to switch*: evaluating in training mode, each test batch is normalized by its own
 *    statistics — harmless-looking with batches of 500, damaging with batches of 8 (and each such
 *    pass also overwrites the running statistics, which we save and restore).
 * 2. *Too few batches for the running statistics*: after training we reset them (mean 0,
 *    variance 1) and recompute them from $k$ batches. With momentum 0.1 one batch moves them only
 *    10% of the way; it takes a few dozen batches to forget the reset.
 */
static double accuracy_in_training_mode(Net *net, const Subset *s, TrainBuffers *b, int batch) {
    int correct = 0;
    for (int start = 0; start < s->n; start += batch) {
        int count = s->n - start < batch ? s->n - start : batch;
        if (count < 2) break;   /* BatchNorm cannot train-normalize a single sample */
        dataset_batch(s->data, s->idx + start, count, b->x, b->y);
        correct += count_correct(net_forward(net, b->x, count, true, NULL), b->y, count, CLASSES);
    }
    return (double)correct / s->n;
}

/* save or restore every BatchNorm layer's running statistics */
static void running_stats(Net *net, real *store, bool save) {
    /* @fold copies every BatchNorm layer's running mean and variance to store, or back from it */
    for (int i = 0; i < net->nlayers; i++) {
        Layer *l = &net->layers[i];
        if (l->kind != LAYER_NORM || l->norm.kind != NORM_BATCH) continue;
        size_t d = (size_t)l->out;
        if (save) memcpy(store, l->norm.running_mean, d * sizeof(real)), memcpy(store + d, l->norm.running_var, d * sizeof(real));
        else memcpy(l->norm.running_mean, store, d * sizeof(real)), memcpy(l->norm.running_var, store + d, d * sizeof(real));
        store += 2 * d;
    }
    /* @end */
}

/** The experiment trains one BatchNorm net, scores the test set in evaluation mode and twice in
 * training mode, then resets the running statistics and rebuilds them from $k$ training-mode
 * batches of 64 images, for $k$ from 1 to 100, scoring the test set after each. */
static bool section_mismatch(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val,
                             const Subset *test, TrainBuffers *b) {
    Rng rng;
    rng_init(&rng, lab->seed);
    Net net;
    deep_net(&net, 1 + NORM_BATCH, DEPTH, init_make(INIT_HE_NORMAL), &rng);
    OptConfig oc = optim_defaults(OPT_SGD);
    oc.lr = R(0.2), oc.momentum = R(0.9);
    TrainConfig tc = {.name = "batchnorm", .epochs = cfg->mismatch_epochs, .batch = BATCH, .opt = oc,
                      .sched = schedule_constant(0.2)};
    TrainResult r;
    if (!train_classifier(&net, tr, val, &tc, b, &rng, &r)) return false;
    real *saved = nn_calloc((size_t)2 * DEPTH * WIDTH, sizeof(real));
    running_stats(&net, saved, true);
    double eval_acc = evaluate(&net, test, b, NULL, NULL);
    double train500 = accuracy_in_training_mode(&net, test, b, 500);
    running_stats(&net, saved, false);
    double train8 = accuracy_in_training_mode(&net, test, b, 8);
    running_stats(&net, saved, false);
    /* @fold prints and records the three accuracies, opens running_stats.csv */
    printf("  test accuracy: evaluation mode %.4f; training mode, batches of 500: %.4f, of 8: %.4f\n", eval_acc,
           train500, train8);
    results_num(&lab->results, "bn_eval_acc", eval_acc);
    results_num(&lab->results, "bn_trainmode500_acc", train500);
    results_num(&lab->results, "bn_trainmode8_acc", train8);

    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "running_stats.csv", path, sizeof path), "group,x,val_min,val_mean,val_max"))
        return false;
    /* @end */
    const int ks[] = {1, 2, 5, 10, 20, 50, 100};
    double acc1 = NAN;
    for (int i = 0; i < 7; i++) {
        for (int l = 0; l < net.nlayers; l++)   /* reset, then k training-mode passes without backward */
            if (net.layers[l].kind == LAYER_NORM) {
                Norm *n = &net.layers[l].norm;
                for (int j = 0; j < n->d; j++) n->running_mean[j] = 0, n->running_var[j] = 1;
            }
        Batcher batches;
        batcher_init(&batches, tr, BATCH);
        batcher_shuffle(&batches, &rng);
        for (int k = 0; k < ks[i]; k++) {
            const int *idx;
            int count;
            if (!batcher_next(&batches, &idx, &count))   /* the epoch ran out: reshuffle */
                batcher_shuffle(&batches, &rng), batcher_next(&batches, &idx, &count);
            dataset_batch(tr->data, idx, count, b->x, b->y);
            net_forward(&net, b->x, count, true, NULL);
        }
        batcher_free(&batches);
        double acc = evaluate(&net, test, b, NULL, NULL);
        if (i == 0) acc1 = acc;
        /* @fold writes the row, prints it */
        csv_row(&csv, "sdfff", "recomputed_from_k_batches", ks[i], acc, acc, acc);
        printf("  running statistics from %3d batches: test accuracy %.4f\n", ks[i], acc);
        /* @end */
    }
    /* @fold writes the reference rows, records the result and the two claims */
    for (int i = 0; i < 7; i++) csv_row(&csv, "sdfff", "kept_from_training", ks[i], eval_acc, eval_acc, eval_acc);
    if (!csv_close(&csv)) return false;
    results_num(&lab->results, "bn_stats1_acc", acc1);
    claims_add(&lab->claims, "forgetting_eval_costs", train8 < eval_acc - 0.02, eval_acc - train8,
               "evaluating the BatchNorm net in training mode with batches of 8 costs more than 2 points of test "
               "accuracy [the cost]");
    claims_add(&lab->claims, "running_stats_need_batches", acc1 < eval_acc - 0.05, eval_acc - acc1,
               "running statistics from a single batch cost more than 5 points of test accuracy [the cost]");
    /* @end */
    free(saved);
    net_free(&net);
    return true;
}

/** **Train mode and eval mode.** The BatchNorm net scores {{lab04:bn_eval_acc}} on the test set in
 * evaluation mode. Evaluated by mistake in training mode it scores {{lab04:bn_trainmode500_acc}}
 * with batches of 500 — the mistake hides — and {{lab04:bn_trainmode8_acc}} with batches of 8.
 * Running statistics recomputed from a single batch give {{lab04:bn_stats1_acc}}
 * (@fig:lab04-running): with momentum 0.1, after $k$ batches the reset values still weigh
 * $0.9^k$.
 *
 * ![Test accuracy of the trained BatchNorm net when its running statistics are reset and
 * recomputed from $k$ training batches; dashed: with the statistics kept during
 * training.](lab04_running){#fig:lab04-running}
 */

/** ## 5. Two backward passes
 *
 * `norm_backward` uses the closed form; `batchnorm_backward_graph` walks the graph node by node.
 * They compute the same numbers (the tests hold them to each other and to PyTorch); here we time
 * them on a batch of 128 × 256.
 */
/** **The closed form, derived.** Take one group of $n$ values that share $\mu$ and $s$ (a
 * column of $n = N$ for BatchNorm, a row of $n = D$ otherwise) and write
 * $g_k = \gamma\, dy_k$ for the gradient arriving at $\hat x_k$. The parameters are easy,
 * $d\gamma = \sum_k dy_k\, \hat x_k$ and $d\beta = \sum_k dy_k$. For the input, every $\hat x_k$
 * depends on every $x_i$ of its group, through $\mu$ and through $\sigma^2$:
 * $$\frac{\partial \mu}{\partial x_i} = \frac1n, \qquad
 *   \frac{\partial \sigma^2}{\partial x_i} = \frac2n (x_i - \mu), \qquad
 *   \frac{\partial \hat x_k}{\partial x_i} = s\,[k = i] - \frac{s}{n}
 *   - (x_k - \mu)\,\frac{s^3}{2}\,\frac{2}{n}(x_i - \mu)
 *   = \frac{s}{n}(n\,[k = i] - 1 - \hat x_k \hat x_i).$$
 * Summing over $k$ with the weights $g_k$ gives the whole backward pass in one line,
 * $$dx_i = \sum_k g_k \frac{\partial \hat x_k}{\partial x_i}
 *   = \frac{s}{n}\left(n\, g_i - \sum_k g_k - \hat x_i \sum_k g_k\, \hat x_k\right),$$
 * two sums per group and one pass over the values. For RMSNorm ($\mu = 0$) the middle term
 * vanishes and the last is divided by $n$: $dx_i = s\,(g_i - \hat x_i \frac1n \sum_k g_k \hat x_k)$.
 * In evaluation mode BatchNorm's $\mu$ and $s$ are constants, and $dx_i = s\, g_i$.
 *
 * @include common/norm.c:norm_backward
 *
 * **Node by node.** The same gradient without the algebra: write the forward pass of one
 * feature as a chain of small steps — `mu`, `xmu = x - mu`, `sq = xmu^2`, `var`, `sqrtvar`,
 * `ivar = 1/sqrtvar`, `xhat = xmu * ivar` — and apply the chain rule to each, in reverse. `xmu`
 * feeds two nodes (`sq` and `xhat`), so its gradient is the sum of two; so is `x`'s (into `mu`
 * and into `xmu`). This is what an automatic-differentiation framework does, and it is a good
 * way to check the closed form:
 *
 * @include common/norm.c:batchnorm_backward_graph
 */
static void section_backward(Lab *lab) {
    enum { N = 128, D = WIDTH, REPS = 300 };
    Rng rng;
    rng_init(&rng, lab->seed);
    /* @fold allocates x, y, the upstream gradient g, the results dx1, dx2; x and g from N(0, 1) */
    real *x = nn_calloc((size_t)N * D, sizeof(real)), *y = nn_calloc((size_t)N * D, sizeof(real));
    real *g = nn_calloc((size_t)N * D, sizeof(real)), *dx1 = nn_calloc((size_t)N * D, sizeof(real));
    real *dx2 = nn_calloc((size_t)N * D, sizeof(real));
    for (int i = 0; i < N * D; i++) x[i] = (real)rng_normal(&rng), g[i] = (real)rng_normal(&rng);
    /* @end */
    Norm n;
    norm_init(&n, NORM_BATCH, D, N);
    norm_forward(&n, y, x, N, true);
    double t0 = nn_seconds();
    for (int r = 0; r < REPS; r++) norm_backward(&n, dx1, g, N);
    double closed = (nn_seconds() - t0) / REPS;
    t0 = nn_seconds();
    for (int r = 0; r < REPS; r++) batchnorm_backward_graph(&n, dx2, g, x, N);
    double graph = (nn_seconds() - t0) / REPS;
    /* @fold the largest difference between dx1 and dx2; records the times, the difference, the claim */
    double diff = 0, scale = 0;
    for (int i = 0; i < N * D; i++) diff = fmax(diff, fabs((double)dx1[i] - dx2[i])), scale = fmax(scale, fabs((double)dx1[i]));
    printf("  closed form %.1f us, graph %.1f us per backward pass; largest difference %.2g (of %.2g)\n",
           1e6 * closed, 1e6 * graph, diff, scale);
    results_num(&lab->results, "bn_backward_closed_us", 1e6 * closed);
    results_num(&lab->results, "bn_backward_graph_us", 1e6 * graph);
    results_num(&lab->results, "bn_backward_rel_diff", diff / scale);
    claims_add(&lab->claims, "backward_passes_agree", diff <= 1e-5 * scale, diff / scale,
               "the node-by-node and the closed-form BatchNorm backward agree to within 1e-5 of the gradient's "
               "size [the largest difference, relative]");
    /* @end */
    norm_free(&n);
    free(x), free(y), free(g), free(dx1), free(dx2);
}

/** **Two backward passes.** On a batch of 128 × 256 the closed form takes
 * {{lab04:bn_backward_closed_us|g3}} µs and the node-by-node pass {{lab04:bn_backward_graph_us|g3}} µs;
 * their results differ by {{lab04:bn_backward_rel_diff|sci}} of the gradient's size — rounding.
 * The closed form saves the recomputation and the extra passes over the batch, not any
 * arithmetic that matters at this size; a framework fuses it into one kernel.
 */

/** ## 6. Which one?
 *
 * The table the measurements fill in: for each normalization, at how many of the three learning
 * rates every seed trained (no divergence, above 50%), the best mean validation accuracy over
 * them, the accuracy at batch 2 and at batch 128 (BatchNorm and LayerNorm), and the time per
 * epoch at the lowest learning rate.
 */
static bool section_table(Lab *lab, const Config *cfg, SweepArm arms[NARMS][3], double bs[2][4]) {
    /* @fold opens choice.csv */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "choice.csv", path, sizeof path),
                  "norm,lrs_that_train,best_val_acc,batch2_val_acc,batch128_val_acc,seconds_per_epoch,same_in_eval"))
        return false;
    /* @end */
    for (int a = 0; a < NARMS; a++) {
        int trained = 0;
        double best = 0;
        for (int l = 0; l < cfg->nlr; l++) {
            trained += arms[a][l].diverged == 0 && arms[a][l].val.lo > 0.5;
            if (arms[a][l].val.mean > best) best = arms[a][l].val.mean;
        }
        /* @fold formats the batch-size columns, writes the row */
        char b2[32] = "not measured", b128[32] = "not measured";
        if (a == 1 || a == 2)
            snprintf(b2, sizeof b2, "%.3f", bs[a - 1][0]), snprintf(b128, sizeof b128, "%.3f", bs[a - 1][cfg->nbatch - 1]);
        csv_row(&csv, "sdfssfs", arm_name(a), trained, best, b2, b128, arms[a][0].seconds_per_epoch,
                a == 1 ? "no: running statistics" : "yes");
        /* @end */
    }
    if (!csv_close(&csv)) return false;
    results_num(&lab->results, "rms_vs_layer_seconds",
                arms[3][0].seconds_per_epoch / arms[2][0].seconds_per_epoch);
    return true;
}

/** @tbl:lab04-choice collects the measurements.
 *
 * ```{.csv-table #tbl:lab04-choice file="lab04/choice.csv"
 *    header="Norm.,Rates that trained,Best val.,Val. at batch 2,Val. at batch 128,s per epoch,Same in eval"
 *    digits="3" caption="The normalizations side by side, from this chapter's measurements."}
 * ```
 *
 * Use BatchNorm for a net trained with reasonably large batches where the fastest, most stable
 * training matters — it tolerated the highest learning rate here — and remember its two modes. Use
 * LayerNorm (or RMSNorm, which skips the centring: less arithmetic on paper, though here an epoch
 * with it took {{lab04:rms_vs_layer_seconds|g2}} times as long as with LayerNorm) when batches are
 * small or vary, when samples must be processed one at a time, or when train and eval must compute
 * the same function; that is why transformers use them.
 */

/** ## Putting it together */
static int run_lab(Lab *lab) {
    const Config *cfg = lab->quick ? &QUICK : &FULL;
    /* @fold loads Fashion-MNIST into tr, val and a test subset te; buffers per worker; the sizes */
    Dataset train, test;
    Rng split;
    rng_init(&split, lab->seed);
    Subset tr, val, rest;
    if (!data_fashion_split(&train, cfg->val_n, cfg->train_n, &split, "lab04", &tr, &val, &rest) ||
        !data_load(&test, "fashion-mnist", "t10k", "lab04"))
        return 1;
    Subset te = subset_range(&test, 0, cfg->test_n);
    test.mean = train.mean, test.std = train.std;
    TrainBuffers *b = trainbufs_new(lab->threads, EVAL, 784, CLASSES);   /* one per worker */
    results_int(&lab->results, "train_images", cfg->train_n);
    results_int(&lab->results, "epochs", cfg->epochs);
    results_int(&lab->results, "seeds", cfg->seeds);
    results_num(&lab->results, "target_acc", cfg->target);
    results_int(&lab->results, "bs_train_images", cfg->bs_train_n);
    results_int(&lab->results, "bs_epochs", cfg->bs_epochs);
    /* @end */

    SweepArm arms[NARMS][3];
    double bs[2][4];
    printf("\n1. The signal through %d ReLU layers at initialization\n", STACK);
    if (!section_depth(lab, &tr, &b[0])) return 1;
    printf("\n2. %d hidden layers of %d, SGD at three learning rates, "
           "%d epochs on %d images, %d seeds\n", DEPTH, WIDTH, cfg->epochs, cfg->train_n, cfg->seeds);
    if (!section_train(lab, cfg, &tr, &val, b, arms)) return 1;
    printf("\n3. Batch size (Adam, %d epochs on %d images)\n", cfg->bs_epochs, cfg->bs_train_n);
    if (!section_batch(lab, cfg, &tr, &val, b, bs)) return 1;
    printf("\n4. BatchNorm's train and eval modes\n");
    if (!section_mismatch(lab, cfg, &tr, &val, &te, &b[0])) return 1;
    printf("\n5. BatchNorm's two backward passes\n");
    section_backward(lab);
    if (!section_table(lab, cfg, arms, bs)) return 1;

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
    lab_start(&lab, argc, argv, "lab04", "Normalization", NULL, 0);
    return lab_run(&lab, run_lab);
}
#endif
/* @end */

/** ## In plain words
 *
 * A normalization layer rescales each value by statistics of a group it belongs to, then lets
 * the network choose its own scale and shift through $\gamma$ and $\beta$. BatchNorm's group is
 * a feature across the batch, LayerNorm's is a sample across its features, and RMSNorm is
 * LayerNorm without the centring. With any of them, the signal through a deep stack keeps its
 * size at initialization instead of shrinking layer by layer. BatchNorm let this net train at a
 * learning rate at which the plain net failed, but it needs batches large enough for their
 * statistics to mean something, and it computes a different function in evaluation, from running
 * averages that must have seen enough batches. LayerNorm and RMSNorm do the same thing in training
 * and evaluation and do not care about the batch size. The backward pass of all three is the
 * chain rule through $\mu$ and $\sigma^2$, and it simplifies to two sums per group.
 *
 * ::: {.claims lab="lab04"}
 * :::
 *
 * **What to try next.** Put the normalization after the ReLU instead of before it; give the
 * LayerNorm net a learning-rate warmup and see whether it then takes the middle rate; evaluate the
 * BatchNorm net one image at a time in evaluation mode and check that nothing changes.
 *
 * ## Exercises
 *
 * In the student edition (`make exercises`; the README says how to get it) the kernels below are
 * yours to write: each is marked `EXERCISE id` in its file, a program that reaches one unwritten
 * stops and names it, and `make grade EX=id` runs its tests (tests/grade/grade_lab4.c); `make grade
 * LAB=lab04`
 * grades the whole chapter.
 *
 * | exercise | what to write | hint |
 * |---|---|---|
 * | `batchnorm_forward` | `common/norm.c`: batch statistics per feature, running averages | biased variance to normalize, unbiased into `running_var`; $\epsilon$ inside the root |
 * | `batchnorm_eval` | evaluation mode, forward and backward | the running averages are constants: the backward is one product |
 * | `batchnorm_backward` | the closed-form backward pass | derive it from the node-by-node `batchnorm_backward_graph` |
 * | `layernorm_forward` | statistics per sample (a row) | average over the D features, not the batch |
 * | `layernorm_backward` | the closed form over a row | the same formula as BatchNorm's, along the other axis |
 * | `rmsnorm_forward` | the root mean square of a row | no centring: the mean is 0 |
 * | `rmsnorm_backward` | $dx = \mathrm{inv}\,(d\hat x - \hat x\,\overline{d\hat x\,\hat x})$ | one sum per row fewer than LayerNorm |
 *
 * **Questions to think about**, each with the run that answers it:
 *
 * 1. What happens when a BatchNorm net is evaluated in training mode by mistake? Section 4 measures
 *    it (`make lab04 QUICK=1`); predict the sign of the effect first.
 * 2. Why does LayerNorm not care about the batch size and BatchNorm does? Compare the batch-size
 *    figure, then check with `ARGS="--seed 2"`.
 * 3. Put $\epsilon$ outside the square root in `batchnorm_forward`: which grading test notices, and
 *    why only on small variances?
 */
