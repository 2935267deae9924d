/** # Initialization and depth {#sec:lab06}
 *
 * **Question.** Before the first step of training, the weights are random numbers. How random —
 * and does it matter, if the optimizer will change them anyway?
 *
 * Each Linear layer multiplies its input by a matrix with `fan_in` columns. If every weight has
 * variance $\sigma^2$ and the inputs have second moment $q$, each output has variance
 * $\mathrm{fan\_in}\,\sigma^2 q$. Through $L$ layers this factor is applied $L$ times: unless it is
 * 1, the signal shrinks to nothing or blows up geometrically — forwards, and by the same argument
 * the gradient backwards. Xavier initialization [@glorot2010understanding] picks
 * $\sigma^2 = 2/(\mathrm{fan\_in} + \mathrm{fan\_out})$ for activations that are linear near 0
 * (tanh); He initialization [@he2015delving] picks $\sigma^2 = 2/\mathrm{fan\_in}$ because a ReLU
 * zeroes half its inputs and so halves the second moment. This lab measures all of it: the signal
 * through 20 layers for seven initializers, the symmetry that constant weights never break,
 * whether a 10-layer net trains, how residual connections change the picture, and the recipe's
 * trick of initializing the last layer's bias.
 */
#include <string.h>

#include "data.h"
#include "monitor.h"
#include "nnlab.h"
#include "train.h"

typedef struct {
    int train_n;       /* Fashion-MNIST training images used */
    int epochs;        /* "does it train" and the residual comparison */
    int seeds;
    int sym_steps;     /* training steps of the symmetry experiment */
} Config;

static const Config FULL = {10000, 4, 3, 200};
static const Config QUICK = {1500, 2, 3, 40};

enum { BATCH = 64, EVAL = 500, CLASSES = 10, DEPTH = 20, WIDTH = 64 };

typedef struct {
    const char *name;
    Init init;
} NamedInit;

static NamedInit named_inits(int k) {
    switch (k) {
    case 0: return (NamedInit){"zero", init_make(INIT_ZEROS)};
    case 1: return (NamedInit){"small", init_value(INIT_NORMAL, R(0.01))};
    case 2: return (NamedInit){"large", init_value(INIT_NORMAL, R(1))};
    case 3: return (NamedInit){"xavier", init_make(INIT_XAVIER_NORMAL)};
    case 4: return (NamedInit){"he", init_make(INIT_HE_NORMAL)};
    case 5: return (NamedInit){"lecun", init_make(INIT_LECUN_NORMAL)};
    default: return (NamedInit){"orthogonal", init_make(INIT_ORTHOGONAL)};
    }
}
enum { NINITS = 7 };

/** ## The initializers
 *
 * Where the variances come from. A unit of a Linear layer sums `fan_in` products,
 * $y_o = \sum_{i=1}^{\mathrm{fan\_in}} W_{oi}\, x_i$. With independent weights of mean 0 and
 * variance $\sigma^2$, and inputs of second moment $q = \mathrm{E}[x_i^2]$,
 * $$\mathrm{Var}(y_o) = \sum_i \mathrm{Var}(W_{oi}\, x_i) = \mathrm{fan\_in}\; \sigma^2 q .$$
 * A ReLU keeps the positive half of a symmetric $y$, so the next layer's input has
 * $q' = \mathrm{E}[\max(0, y)^2] = \tfrac12 \mathrm{Var}(y)$, and the second moment stays put
 * from layer to layer when $\tfrac12\, \mathrm{fan\_in}\, \sigma^2 = 1$:
 * $$\sigma^2_\text{He} = \frac{2}{\mathrm{fan\_in}}, \qquad
 *   \sigma^2_\text{LeCun} = \frac{1}{\mathrm{fan\_in}}, \qquad
 *   \sigma^2_\text{Xavier} = \frac{2}{\mathrm{fan\_in} + \mathrm{fan\_out}} .$$
 * LeCun's has no halving, for an activation that is nearly linear near 0, like tanh;
 * Xavier's is the compromise between the forward condition ($1/\mathrm{fan\_in}$) and the same
 * argument for the gradient flowing backwards through $W^\top$ ($1/\mathrm{fan\_out}$). A uniform
 * $U(-a, a)$ has variance $a^2/3$, so each uniform form draws from $a = \sqrt3\, \sigma$: Xavier's
 * $a = \sqrt{6 / (\mathrm{fan\_in} + \mathrm{fan\_out})}$. PyTorch's default for a Linear layer,
 * $a = 1/\sqrt{\mathrm{fan\_in}}$, has variance $1/(3\,\mathrm{fan\_in})$: a sixth of He's. In the
 * code the factor 2 is a gain, $\sqrt2$ for He (`init_make`); `init_scale` returns the standard
 * deviation of a normal or the half-width $a$ of a uniform, and `init_weights` draws from it:
 *
 * @include common/init.c:init_scale,init_weights
 */

/** ## The signal through depth
 *
 * No training yet: a batch of 500 standard Gaussian inputs goes through 20 layers of width 64,
 * and after each activation we record the mean and the standard deviation of all its outputs,
 * and how many units are zero for the whole batch (dead before training even starts). Orthogonal
 * initialization uses the ReLU gain $\sqrt2$ in the ReLU stack, like He; in the tanh stack every
 * scheme uses its plain form, where Xavier's variance is the one that keeps tanh's linear region.
 */
static void signal_stack(Lab *lab, Csv *csv, ActKind act, const real *x0, int n, double std_last[NINITS]) {
    Rng rng;
    rng_init(&rng, lab->seed);
    for (int k = 0; k < NINITS; k++) {
        NamedInit ni = named_inits(k);
        if (act == ACT_RELU && ni.init.kind == INIT_ORTHOGONAL) ni.init.gain = sqrt(R(2));
        Net net;
        net_init(&net, n);
        for (int l = 0; l < DEPTH; l++) {
            net_add_linear(&net, WIDTH, WIDTH, false, ni.init, &rng);
            net_add_act(&net, act_make(act));
        }
        net_forward(&net, x0, n, false, NULL);
        Monitor mon;   /* the instruments of monitor.h: after each activation, mean, std, dead units */
        monitor_init(&mon, &net);
        monitor_activations(&mon);
        for (int l = 0; l < DEPTH; l++) {
            const LayerStat *s = &mon.stats[2 * l + 1];   /* rows: Linear, activation, Linear, ... */
            csv_row(csv, "ssdffd", act_name(act), ni.name, l + 1, s->mean, s->std, (int)lround(s->dead * WIDTH));
            if (l == DEPTH - 1) std_last[k] = s->std;
        }
        monitor_free(&mon);
        net_free(&net);
    }
}

static bool section_signal(Lab *lab) {
    enum { N = 500 };
    real *x = nn_calloc((size_t)N * WIDTH, sizeof(real));
    Rng rng;
    rng_init(&rng, lab->seed + 7);
    for (int i = 0; i < N * WIDTH; i++) x[i] = (real)rng_normal(&rng);
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "signal.csv", path, sizeof path), "activation,init,layer,mean,std,dead")) return false;
    double relu_std[NINITS], tanh_std[NINITS];
    signal_stack(lab, &csv, ACT_RELU, x, N, relu_std);
    signal_stack(lab, &csv, ACT_TANH, x, N, tanh_std);
    if (!csv_close(&csv)) return false;
    printf("  %-11s %-22s %s\n", "init", "ReLU std at layer 20", "tanh std at layer 20");
    for (int k = 0; k < NINITS; k++) {
        printf("  %-11s %-22.3g %.3g\n", named_inits(k).name, relu_std[k], tanh_std[k]);
        char key[64];
        snprintf(key, sizeof key, "relu_std20_%s", named_inits(k).name);
        results_num(&lab->results, key, relu_std[k]);
        snprintf(key, sizeof key, "tanh_std20_%s", named_inits(k).name);
        results_num(&lab->results, key, tanh_std[k]);
    }
    claims_add(&lab->claims, "he_keeps_relu_signal", relu_std[4] > 0.1 && relu_std[4] < 10, relu_std[4],
               "with He initialization the ReLU stack's output at layer 20 keeps a standard deviation between "
               "0.1 and 10 [the std at layer 20]");
    claims_add(&lab->claims, "xavier_shrinks_relu", relu_std[3] < 0.1 * relu_std[4], relu_std[3] / relu_std[4],
               "with Xavier initialization the ReLU signal at layer 20 is less than a tenth of He's "
               "[the ratio Xavier/He]");
    claims_add(&lab->claims, "extremes_fail", relu_std[1] < 1e-10 && relu_std[2] > 1e6, relu_std[2],
               "weights of std 0.01 shrink the ReLU signal below 1e-10 by layer 20 and weights of std 1 blow it "
               "past 1e6 [the std with std-1 weights]");
    claims_add(&lab->claims, "xavier_keeps_tanh", tanh_std[3] > 0.1, tanh_std[3],
               "in the tanh stack Xavier initialization keeps the output std above 0.1 at layer 20 [the std]");
    free(x);
    return true;
}

/** ## Symmetry
 *
 * If every weight starts at the same value, every hidden unit computes the same function, gets
 * the same gradient and takes the same step: they stay identical forever, and a layer of 32 units
 * is worth one. We train 784-32-32-10 nets with zero, constant (0.01) and He weights and measure the
 * largest difference between any two units' incoming weights in the first hidden layer. (With
 * constant weights, floating-point rounding — the BLAS sums different columns in different orders
 * — can make units differ in the last bits; nothing larger ever appears.)
 */
static double unit_spread(const Linear *l) {
    double worst = 0;   /* max over units u and inputs i of |W[u,i] - W[0,i]| */
    for (int u = 1; u < l->out; u++)
        for (int i = 0; i < l->in; i++)
            worst = fmax(worst, fabs((double)l->W[(size_t)u * l->in + i] - (double)l->W[i]));
    return worst;
}

static void section_symmetry(Lab *lab, const Config *cfg, const Subset *tr, TrainBuffers *b) {
    const Init inits[3] = {init_make(INIT_ZEROS), init_value(INIT_CONSTANT, R(0.01)), init_make(INIT_HE_NORMAL)};
    const char *names[3] = {"zero", "constant", "he"};
    double spread[3];
    for (int k = 0; k < 3; k++) {
        Rng rng;
        rng_init(&rng, lab->seed);
        Net net;
        net_init(&net, EVAL);
        net_add_linear(&net, 784, 32, true, inits[k], &rng);
        net_add_act(&net, act_make(ACT_RELU));
        net_add_linear(&net, 32, 32, true, inits[k], &rng);
        net_add_act(&net, act_make(ACT_RELU));
        net_add_linear(&net, 32, CLASSES, true, inits[k], &rng);
        OptConfig oc = optim_defaults(OPT_SGD);
        oc.lr = R(0.05), oc.momentum = R(0.9);
        train_steps(&net, tr, oc, cfg->sym_steps, BATCH, b, &rng);
        spread[k] = unit_spread(&net.layers[0].linear);
        printf("  %-9s largest difference between hidden units' weights after %d steps: %.3g\n", names[k],
               cfg->sym_steps, spread[k]);
        char key[64];
        snprintf(key, sizeof key, "symmetry_spread_%s", names[k]);
        results_num(&lab->results, key, spread[k]);
        net_free(&net);
    }
    claims_add(&lab->claims, "symmetry_never_breaks", spread[0] == 0 && spread[1] < 1e-6, fmax(spread[0], spread[1]),
               "with zero or constant initialization the first-layer units remain identical after training, to "
               "within rounding (1e-6) [the largest difference]");
    claims_add(&lab->claims, "random_breaks_symmetry", spread[2] > 0.1, spread[2],
               "He's random weights differ between units by more than 0.1 [the largest difference]");
}

/** ## Does it train?
 *
 * A 10-layer ReLU net (784-128×9-10) on Fashion-MNIST, trained with SGD (momentum 0.9, learning
 * rate 0.01) from each of the seven initializations, three seeds each. A run whose loss stops
 * being a number is recorded as diverged and drawn as a gap, not as a number.
 */
static void deep_net(Net *net, Init init, bool residual, Rng *rng) {
    net_init(net, EVAL);
    net_add_linear(net, 784, 128, true, init, rng);
    net_add_act(net, act_make(ACT_RELU));
    for (int l = 0; l < 8; l++) {
        if (residual) net_add_residual_begin(net);
        net_add_linear(net, 128, 128, true, init, rng);
        net_add_act(net, act_make(ACT_RELU));
        if (residual) net_add_residual_end(net);
    }
    Init out = init;
    if (init.kind == INIT_HE_NORMAL || init.kind == INIT_ORTHOGONAL) out = init_make(INIT_XAVIER_UNIFORM);
    net_add_linear(net, 128, CLASSES, true, out, rng);
}

static double mean3(const double *v, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += v[i];
    return s / n;
}

/* Train one arm over seeds; write its band rows; return the mean final validation accuracy (NAN if
 * every seed diverged) and count diverged seeds. */
static double train_arm(const char *arm, Init init, bool residual, const Config *cfg, const Lab *lab, const Subset *tr,
                        const Subset *val, TrainBuffers *b, Csv *bands, int *diverged) {
    double acc[3][TRAIN_MAX_EPOCHS], loss[3][TRAIN_MAX_EPOCHS], secs[3][TRAIN_MAX_EPOCHS], final[3];
    *diverged = 0;
    if (init.kind == INIT_ORTHOGONAL) init.gain = sqrt(R(2));   /* the ReLU gain, as in the signal test */
    for (int s = 0; s < cfg->seeds; s++) {
        Rng rng;
        rng_init(&rng, lab->seed * 1000 + (uint64_t)s);
        Net net;
        deep_net(&net, init, residual, &rng);
        OptConfig oc = optim_defaults(OPT_SGD);
        oc.lr = R(0.01), oc.momentum = R(0.9);
        char name[64];
        snprintf(name, sizeof name, "%s seed %d", arm, s);
        TrainConfig tc = {.name = name, .epochs = cfg->epochs, .batch = BATCH, .opt = oc, .sched = schedule_constant(0.01)};
        TrainResult r;
        if (!train_classifier(&net, tr, val, &tc, b, &rng, &r)) CHECK(0, "a run that writes no file cannot fail");
        *diverged += r.diverged;
        for (int e = 0; e < cfg->epochs; e++) {
            bool ran = e < r.epochs_run && !(r.diverged && e == r.epochs_run - 1);
            acc[s][e] = ran ? r.val_acc[e] : NAN;
            loss[s][e] = ran ? r.train_loss[e] : NAN;
            secs[s][e] = ran ? r.elapsed[e] : NAN;
        }
        final[s] = acc[s][cfg->epochs - 1];
        net_free(&net);
    }
    for (int e = 0; e < cfg->epochs; e++) {
        double lo = INFINITY, hi = -INFINITY, sum = 0, lsum = 0, tsum = 0;
        int ok = 0;
        for (int s = 0; s < cfg->seeds; s++)
            if (isfinite(acc[s][e])) lo = fmin(lo, acc[s][e]), hi = fmax(hi, acc[s][e]), sum += acc[s][e],
                                     lsum += loss[s][e], tsum += secs[s][e], ok++;
        /* a seed that diverged makes the band "diverged": no number is drawn for it */
        if (ok < cfg->seeds) lo = hi = sum = lsum = tsum = NAN, ok = 1;
        csv_row(bands, "sdfffff", arm, e + 1, lo, sum / ok, hi, tsum / ok, lsum / ok);
    }
    return mean3(final, cfg->seeds);
}

static bool section_train(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val, TrainBuffers *b) {
    char path[512];
    Csv bands;
    if (!csv_open(&bands, lab_path(lab, "init_bands.csv", path, sizeof path),
                  "init,epoch,val_min,val_mean,val_max,mean_seconds,train_loss"))
        return false;
    double acc[NINITS];
    int div[NINITS];
    for (int k = 0; k < NINITS; k++) {
        acc[k] = train_arm(named_inits(k).name, named_inits(k).init, false, cfg, lab, tr, val, b, &bands, &div[k]);
        printf("  %-11s final validation accuracy %s%.4f%s\n", named_inits(k).name, isfinite(acc[k]) ? "" : "(diverged) ",
               isfinite(acc[k]) ? acc[k] : 0.0, div[k] ? " (some seeds diverged)" : "");
        char key[64];
        snprintf(key, sizeof key, "train10_%s_val_acc", named_inits(k).name);
        results_num(&lab->results, key, acc[k]);
        snprintf(key, sizeof key, "train10_%s_diverged", named_inits(k).name);
        results_int(&lab->results, key, div[k]);
    }
    if (!csv_close(&bands)) return false;
    claims_add(&lab->claims, "zero_does_not_learn", acc[0] < 0.2, acc[0],
               "the 10-layer net initialized with zeros stays at chance level (below 20% validation accuracy) "
               "[its accuracy]");
    claims_add(&lab->claims, "he_trains", acc[4] > acc[1] + 0.1 && acc[4] > 0.6, acc[4],
               "from He initialization the 10-layer net trains (above 60%, and 10 points above std-0.01 weights) "
               "[He's accuracy]");
    return true;
}

/** ## Residual connections
 *
 * PyTorch's default Linear initialization draws from $U(\pm 1/\sqrt{\mathrm{fan\_in}})$: variance
 * $1/(3\,\mathrm{fan\_in})$, a sixth of what a ReLU layer needs. In a plain stack the signal and the
 * gradient shrink by that factor at every layer. A residual block computes $x + f(x)$ instead of
 * $f(x)$: even when $f$ is small the block passes $x$ on, and in backward the skip path hands the
 * gradient to the layers below unchanged. We build the 10-layer net both ways with the default
 * initialization, compare the gradient reaching every layer — the RMS of $\partial L/\partial x$
 * at each Linear layer's input, the signal backpropagation carries down — and train both.
 * (The *weight* gradient $dy^\top x$ multiplies that signal by the layer's input, which shrinks
 * going up while the backward signal shrinks going down, so weight gradients can look healthy in
 * a net that does not learn: measure the backward signal.)
 */
static bool section_residual(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val, TrainBuffers *b) {
    char path[512];
    Csv csv, bands;
    if (!csv_open(&csv, lab_path(lab, "residual_gradients.csv", path, sizeof path), "net,layer,grad_rms,weight_grad_rms") ||
        !csv_open(&bands, lab_path(lab, "residual_bands.csv", path, sizeof path),
                  "net,epoch,val_min,val_mean,val_max,mean_seconds,train_loss"))
        return false;
    double ratio[2], acc[2];
    const char *names[2] = {"plain", "residual"};
    for (int r = 0; r < 2; r++) {
        Rng rng;
        rng_init(&rng, lab->seed);
        /* the same 256 images for both nets (training the first one reuses b->x, so reload) */
        dataset_batch(tr->data, tr->idx, 256, b->x, b->y);
        Net net;
        deep_net(&net, init_make(INIT_TORCH_DEFAULT), r == 1, &rng);
        net_zero_grad(&net);
        const real *logits = net_forward(&net, b->x, 256, true, NULL);
        xent_forward(b->probs, logits, b->y, 256, CLASSES, 0);
        xent_backward(b->probs, b->probs, b->y, 256, CLASSES, 0);
        net_backward(&net, b->probs);
        double rms[16];   /* RMS of dL/dx at each Linear layer's input (the first has none: NAN) */
        int nlin = 0;
        for (int i = 0; i < net.nlayers; i++) {
            Layer *l = &net.layers[i];
            if (l->kind != LAYER_LINEAR) continue;
            double s = 0, w = 0;
            for (size_t j = 0; j < (size_t)l->in * l->out; j++) w += (double)l->linear.dW[j] * l->linear.dW[j];
            for (size_t j = 0; j < (size_t)256 * l->in; j++) s += (double)l->dx[j] * l->dx[j];
            rms[nlin] = nlin ? sqrt(s / (256.0 * l->in)) : NAN;
            csv_row(&csv, "sdgg", names[r], nlin + 1, rms[nlin], sqrt(w / ((double)l->in * l->out)));
            nlin++;
        }
        ratio[r] = rms[1] / rms[nlin - 2];   /* first / last 128x128 layer */
        net_free(&net);
        int div;
        acc[r] = train_arm(names[r], init_make(INIT_TORCH_DEFAULT), r == 1, cfg, lab, tr, val, b, &bands, &div);
        printf("  %-9s gradient ratio first/last hidden layer %.3g; final validation accuracy %.4f\n", names[r],
               ratio[r], acc[r]);
    }
    if (!csv_close(&csv) || !csv_close(&bands)) return false;
    results_num(&lab->results, "plain_grad_ratio", ratio[0]);
    results_num(&lab->results, "residual_grad_ratio", ratio[1]);
    results_num(&lab->results, "plain_val_acc", acc[0]);
    results_num(&lab->results, "residual_val_acc", acc[1]);
    claims_add(&lab->claims, "residual_keeps_gradient", ratio[1] > 0.1 && ratio[0] < 0.01, ratio[1],
               "with the default initialization the plain stack's first hidden layer gets under 1% of the last "
               "one's gradient, the residual stack's more than 10% [the residual ratio]");
    claims_add(&lab->claims, "residual_trains_better", acc[1] > acc[0], acc[1] - acc[0],
               "the residual net reaches a higher validation accuracy than the plain one [the difference]");
    return true;
}

/** ## The last layer's bias
 *
 * From the recipe [@karpathy2019recipe]: if the classes are imbalanced, set the output bias to the
 * log of the class frequencies. Then the network starts out predicting the prior, and its first
 * steps are not spent learning it. On a training subset where class 0 has 50% of the images and
 * the other nine share the rest, the loss at initialization with a zero bias is near $\ln 10$; with
 * $b_c = \log p_c$ it is near the entropy of the prior, $H(p) = -\sum_c p_c \log p_c$.
 */
static void section_bias(Lab *lab, const Subset *tr, TrainBuffers *b) {
    /* an imbalanced subset: every class-0 image of tr, then others until class 0 is half */
    const Dataset *ds = tr->data;
    int *idx = nn_calloc((size_t)tr->n, sizeof(int)), n0 = 0, n = 0;
    for (int i = 0; i < tr->n; i++)
        if (ds->y[tr->idx[i]] == 0) idx[n++] = tr->idx[i], n0++;
    for (int i = 0; i < tr->n && n < 2 * n0; i++)
        if (ds->y[tr->idx[i]] != 0) idx[n++] = tr->idx[i];
    Subset imb = {ds, idx, n};
    double prior[CLASSES] = {0}, entropy = 0;
    for (int i = 0; i < n; i++) prior[ds->y[idx[i]]] += 1.0 / n;
    for (int c = 0; c < CLASSES; c++)
        if (prior[c] > 0) entropy -= prior[c] * log(prior[c]);
    double loss[2];
    for (int withbias = 0; withbias < 2; withbias++) {
        Rng rng;
        rng_init(&rng, lab->seed);
        Net net;
        Init out = init_make(INIT_XAVIER_UNIFORM);
        out.gain = R(0.1);
        net_mlp(&net, "784-128-10", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), out, EVAL, &rng);
        if (withbias)
            for (int c = 0; c < CLASSES; c++) net.layers[2].linear.b[c] = (real)log(fmax(prior[c], 1e-6));
        evaluate(&net, &imb, b, &loss[withbias], NULL);
        net_free(&net);
    }
    printf("  class 0 is %.0f%% of %d images; entropy of the prior %.4f\n", 100 * prior[0], n, entropy);
    printf("  loss at initialization: zero bias %.4f, log-prior bias %.4f (ln 10 = %.4f)\n", loss[0], loss[1], log(10.0));
    results_num(&lab->results, "prior_entropy", entropy);
    results_num(&lab->results, "init_loss_zero_bias", loss[0]);
    results_num(&lab->results, "init_loss_prior_bias", loss[1]);
    results_num(&lab->results, "class0_share", prior[0]);
    claims_add(&lab->claims, "prior_bias", fabs(loss[1] - entropy) < 0.05 && loss[1] < loss[0] - 0.1, loss[1],
               "initializing the output bias to the log prior brings the initial loss to within 0.05 of the prior's "
               "entropy, well below the zero-bias loss [the initial loss]");
    free(idx);
}


/** ## Putting it together */
static int run_lab(Lab *lab) {
    const Config *cfg = lab->quick ? &QUICK : &FULL;
    Dataset train;
    Rng split;
    rng_init(&split, lab->seed);
    Subset tr, val, rest;
    if (!data_fashion_split(&train, 5000, cfg->train_n, &split, "lab06", &tr, &val, &rest)) return 1;
    TrainBuffers b;
    trainbuf_init(&b, EVAL, 784, CLASSES);

    printf("\n1. The signal through %d layers of width %d\n", DEPTH, WIDTH);
    if (!section_signal(lab)) return 1;
    printf("\n2. Symmetry\n");
    section_symmetry(lab, cfg, &tr, &b);
    printf("\n3. Does a 10-layer net train? %d epochs on %d images, %d seeds\n", cfg->epochs, cfg->train_n, cfg->seeds);
    if (!section_train(lab, cfg, &tr, &val, &b)) return 1;
    printf("\n4. Residual connections\n");
    if (!section_residual(lab, cfg, &tr, &val, &b)) return 1;
    printf("\n5. The last layer's bias\n");
    section_bias(lab, &tr, &b);
    results_int(&lab->results, "epochs", cfg->epochs);
    results_int(&lab->results, "train_images", cfg->train_n);
    results_int(&lab->results, "seeds", cfg->seeds);

    trainbuf_free(&b);
    subset_free(&val), subset_free(&rest);
    dataset_free(&train);
    return 0;
}

/* fold: main(): command-line flags */
#ifndef NN_NO_MAIN
int main(int argc, char **argv) {
    Lab lab;
    lab_start(&lab, argc, argv, "lab06", "Initialization and depth", NULL, 0);
    return lab_run(&lab, run_lab);
}
#endif
/* end fold */

/** ## Results
 *
 * **The signal through depth.** @fig:lab06-signal follows the standard deviation of the
 * activations through the two 20-layer stacks. In the ReLU stack He initialization keeps it at
 * {{lab06:relu_std20_he|g3}} after twenty layers and orthogonal (with the ReLU gain) at
 * {{lab06:relu_std20_orthogonal|g3}}; Xavier's variance, right for tanh, loses half the second
 * moment at every ReLU and ends at {{lab06:relu_std20_xavier|sci}}; LeCun's likewise at
 * {{lab06:relu_std20_lecun|sci}}. Weights of std 0.01 shrink the signal to
 * {{lab06:relu_std20_small|sci}}; weights of std 1 blow it up to {{lab06:relu_std20_large|sci}}.
 * Zero weights give exactly zero everywhere, which a log axis cannot show; the figure leaves them out. In the tanh stack Xavier
 * keeps {{lab06:tanh_std20_xavier|g3}}.
 *
 * ![Standard deviation of the activations after each layer of a 20-layer, width-64 stack: ReLU
 * (left) and tanh (right); above, every initializer but zero on the whole range, below, the four
 * that keep the scale, magnified.](lab06_signal){#fig:lab06-signal}
 *
 * **Symmetry.** After training, the largest difference between two first-layer units is
 * {{lab06:symmetry_spread_zero|g2}} for zero weights and {{lab06:symmetry_spread_constant|sci}}
 * for constant ones — rounding, nothing more — against {{lab06:symmetry_spread_he|g3}} for He's
 * random weights.
 *
 * **Does it train?** @fig:lab06-train shows the 10-layer net on {{lab06:train_images}} images
 * over {{lab06:epochs}} epochs. Final validation accuracy: zero {{lab06:train10_zero_val_acc}},
 * std 0.01 {{lab06:train10_small_val_acc}}, Xavier {{lab06:train10_xavier_val_acc}}, LeCun
 * {{lab06:train10_lecun_val_acc}}, He {{lab06:train10_he_val_acc}}, orthogonal
 * {{lab06:train10_orthogonal_val_acc}}. Weights of std 1 diverged in
 * {{lab06:train10_large_diverged}} of {{lab06:seeds}} seeds; a diverged run is recorded as such
 * and has no line.
 *
 * ![Validation accuracy of a 10-layer ReLU net trained from seven initializations (min-max band
 * over seeds, mean line): per epoch (left) and against time (right).](lab06_train){#fig:lab06-train}
 *
 * **Residual connections.** With PyTorch's default initialization the gradient reaching the
 * first hidden layer of the plain stack is {{lab06:plain_grad_ratio|sci}} of what reaches the last
 * one; with residual blocks the ratio is {{lab06:residual_grad_ratio|g3}} (@fig:lab06-resgrad).
 * The plain net ends at {{lab06:plain_val_acc}} validation accuracy, the residual one at
 * {{lab06:residual_val_acc}} (@fig:lab06-residual).
 *
 * ![The gradient reaching each Linear layer of the 10-layer net with default initialization,
 * plain and residual.](lab06_resgrad){#fig:lab06-resgrad}
 *
 * ![Validation accuracy of the plain and the residual net, default
 * initialization.](lab06_residual){#fig:lab06-residual}
 *
 * **The last layer's bias.** On the imbalanced subset (class 0 is
 * {{lab06:class0_share|pct}} of the images) the loss at initialization is
 * {{lab06:init_loss_zero_bias|g4}} with a zero bias and {{lab06:init_loss_prior_bias|g4}} with the
 * log-prior bias, against the prior's entropy of {{lab06:prior_entropy|g4}}.
 *
 * ::: {.claims lab="lab06"}
 * :::
 *
 * **What to try next.** Initialize the tanh stack with He and watch it saturate; make the ReLU
 * stack 50 layers deep; give the residual branches a smaller initialization and see how deep a
 * plain SGD can then go.
 *
 * ## Exercises
 *
 * In the student edition (`make exercises`; the README says how to get it) the kernels below are
 * yours to write: each is marked `EXERCISE id` in its file, a program that reaches one unwritten
 * stops and names it, and `make grade EX=id` runs its tests (tests/grade/grade_lab6.c); `make grade
 * LAB=lab06`
 * grades the whole chapter.
 *
 * | exercise | what to write | hint |
 * |---|---|---|
 * | `init_xavier` | `common/init.c`: Xavier/Glorot scales | the variance `2 / (fan_in + fan_out)`; a uniform on $[-a, a]$ has variance $a^2/3$ |
 * | `init_he` | `common/init.c`: He/Kaiming scales | the variance `gain^2 / fan_in` |
 * | `init_orthogonal` | `common/init.c`: Gram–Schmidt on a Gaussian matrix | subtract the projections on the columns already done, normalize; a wide W is the transpose |
 *
 * **Questions to think about**, each with the run that answers it:
 *
 * 1. Which initializers keep the signal through 20 layers, and for which activation? `make lab06
 *    QUICK=1`, then `ARGS="--seed 4"`.
 * 2. Why does PyTorch fix the signs of R's diagonal in the orthogonal initializer? (Without it the
 *    distribution of Q is not uniform over orthogonal matrices.)
 * 3. Give He the fan_out instead of the fan_in: which layer of the 784-wide net suffers most?
 */
