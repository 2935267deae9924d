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
 * through {{lab06:depth}} layers for seven initializers, the symmetry that constant weights never
 * break, whether a 10-layer net trains, how residual connections change the picture, and the
 * recipe's trick of initializing the last layer's bias.
 */
/* @fold the headers */
#include <string.h>

#include "data.h"
#include "monitor.h"
#include "nnlab.h"
#include "sweep.h"
#include "train.h"
/* @end */

/** The sizes of the experiments, in full mode and in quick mode (`make lab06 QUICK=1`): */
typedef struct {
    int train_n;       /* Fashion-MNIST training images used */
    int epochs;        /* "does it train" and the residual comparison */
    int seeds;
    int sym_steps;     /* training steps of the symmetry experiment */
} Config;

static const Config FULL = {.train_n = 10000, .epochs = 4, .seeds = 3, .sym_steps = 200};
static const Config QUICK = {.train_n = 1500, .epochs = 2, .seeds = 3, .sym_steps = 40};

enum { BATCH = 64, EVAL = 500, CLASSES = 10 };
enum { DEPTH = 20, WIDTH = 64, SIGNAL_N = 500, GRAD_BATCH = 256 };
static const double SGD_LR = 0.01;   /* with momentum 0.9: the deep nets' optimizer */

/* @fold NamedInit: the seven initializers of the comparisons, by name */
typedef struct {
    const char *name;
    Init init;
} NamedInit;
/* @end */

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
 * **Where the variances come from.** A unit of a Linear layer sums `fan_in` products,
 * $y_o = \sum_{i=1}^{\mathrm{fan\_in}} W_{oi}\, x_i$. With independent weights of mean 0 and
 * variance $\sigma^2 = \mathrm{Var}(w)$, drawn independently of the inputs, each product has
 * variance $\mathrm{E}[W_{oi}^2]\,\mathrm{E}[x_i^2] = \sigma^2 q$ with $q = \mathrm{E}[x_i^2]$ the
 * inputs' second moment ($q = \mathrm{Var}(x)$ when they have mean 0), and the products are
 * uncorrelated, so their variances add:
 * $$\mathrm{Var}(y_o) = \sum_{i=1}^{\mathrm{fan\_in}} \mathrm{Var}(W_{oi}\, x_i)
 *   = \mathrm{fan\_in}\; \mathrm{Var}(w)\; q .$$
 * The signal keeps its size from layer to layer when the next layer's input has the same second
 * moment $q$ again. That depends on the activation between the layers:
 *
 * - **Linear near 0** (tanh for small inputs): the next input has $q' \approx \mathrm{Var}(y)$,
 *   and $q' = q$ asks for $\mathrm{fan\_in}\,\sigma^2 = 1$: **LeCun**'s
 *   $\sigma^2 = 1/\mathrm{fan\_in}$.
 * - **ReLU** keeps the positive half of a symmetric $y$:
 *   $q' = \mathrm{E}[\max(0, y)^2] = \tfrac12 \mathrm{Var}(y)$, and $q' = q$ asks for
 *   $\tfrac12\,\mathrm{fan\_in}\,\sigma^2 = 1$: **He**'s $\sigma^2 = 2/\mathrm{fan\_in}$.
 *
 * The gradient flows backwards through $W^\top$: $dx_i = \sum_o W_{oi}\, dy_o$ sums `fan_out`
 * products, so by the same argument $\mathrm{Var}(dx_i) = \mathrm{fan\_out}\,\sigma^2\,
 * \mathrm{Var}(dy_o)$, which asks for $\sigma^2 = 1/\mathrm{fan\_out}$. A layer with
 * $\mathrm{fan\_in} \ne \mathrm{fan\_out}$ cannot satisfy both; **Xavier** takes the compromise
 * $$\sigma^2_\text{LeCun} = \frac{1}{\mathrm{fan\_in}}, \qquad
 *   \sigma^2_\text{Xavier} = \frac{2}{\mathrm{fan\_in} + \mathrm{fan\_out}}, \qquad
 *   \sigma^2_\text{He} = \frac{2}{\mathrm{fan\_in}} .$$
 * A uniform $U(-a, a)$ has variance $\int_{-a}^{a} \frac{w^2}{2a}\,dw = a^2/3$, so each uniform
 * form draws from $a = \sqrt{3\,\sigma^2}$: Xavier's
 * $a = \sqrt{6 / (\mathrm{fan\_in} + \mathrm{fan\_out})}$, He's $a = \sqrt{6/\mathrm{fan\_in}}$.
 * PyTorch's default for a Linear layer, $a = 1/\sqrt{\mathrm{fan\_in}}$, has variance
 * $1/(3\,\mathrm{fan\_in})$: a sixth of He's.
 *
 * In the code the factor that depends on the activation is a *gain* $g$, and the standard
 * deviation is $g/\sqrt{\mathrm{fan\_in}}$: $g = \sqrt2$ for He (`init_make`). A LeakyReLU with
 * slope $\alpha$ keeps $\mathrm{E}[f(y)^2] = \frac{1 + \alpha^2}{2}\,\mathrm{Var}(y)$, hence
 * $g = \sqrt{2/(1 + \alpha^2)}$; tanh's $5/3$ is PyTorch's empirical choice (`init_gain`):
 *
 * @include common/init.c:init_make,init_gain
 *
 * `init_scale` turns the scheme into one number, the standard deviation of a normal or the
 * half-width $a$ of a uniform, and `init_weights` draws every weight from it:
 *
 * @include common/init.c:init_scale
 *
 * @include common/init.c:init_weights
 *
 * **Orthogonal** weights keep the size of *every* input, not only on average. If the columns of
 * a tall $W$ are orthonormal, $W^\top W = I$ and
 * $$\lVert W x \rVert^2 = x^\top W^\top W x = \lVert x \rVert^2 :$$
 * every singular value is 1, so no direction is stretched or shrunk, forwards or (through
 * $W^\top$) backwards. A gain $g$ scales every length by $g$; with $g = \sqrt2$ it makes up for the
 * half that each ReLU removes, as He's variance does. The columns come from Gaussian ones by
 * Gram–Schmidt: take away from column $v_j$ its projections on the columns already done, then
 * normalize,
 * $$u_j = v_j - \sum_{p < j} (q_p^\top v_j)\, q_p, \qquad q_j = u_j / \lVert u_j \rVert .$$
 *
 * @include common/init.c:orthogonal
 */

/** ## The signal through depth
 *
 * No training yet: a batch of {{lab06:signal_n}} standard Gaussian inputs goes through
 * {{lab06:depth}} layers of width {{lab06:width}}, and after each activation we record the mean
 * and the standard deviation of all its outputs, and how many units are zero for the whole batch
 * (dead before training even starts). Orthogonal initialization uses the ReLU gain $\sqrt2$ in the
 * ReLU stack, like He; in the tanh stack every scheme uses its plain form, where Xavier's variance
 * is the one that keeps tanh's linear region. The instruments are those of `monitor.h` (Lab 5).
 */
static void signal_stack(Lab *lab, Csv *csv, ActKind act, const real *x0, int n,
                         double std_last[NINITS]) {
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
        Monitor mon;   /* after each activation: mean, std, dead units */
        monitor_init(&mon, &net);
        monitor_activations(&mon);
        for (int l = 0; l < DEPTH; l++) {
            const LayerStat *s = &mon.stats[2 * l + 1];   /* rows: Linear, activation, ... */
            /* @fold writes the layer's row to signal.csv; keeps the std after the last layer */
            csv_row(csv, "ssdffd", act_name(act), ni.name, l + 1, s->mean, s->std, (int)lround(s->dead * WIDTH));
            if (l == DEPTH - 1) std_last[k] = s->std;
            /* @end */
        }
        monitor_free(&mon);
        net_free(&net);
    }
}

/** Both stacks see the same input, $x \sim N(0, 1)$ entry by entry, so $q = 1$ at the bottom and
 * any other value at the top is what the stack did to it. Every net is built from the lab's seed,
 * so the seven initializers differ only in how they scale (or replace) the same random draws: */
static bool section_signal(Lab *lab) {
    real *x = nn_calloc((size_t)SIGNAL_N * WIDTH, sizeof(real));
    Rng rng;
    rng_init(&rng, lab->seed + 7);
    for (int i = 0; i < SIGNAL_N * WIDTH; i++) x[i] = (real)rng_normal(&rng);
    /* @fold opens signal.csv */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "signal.csv", path, sizeof path), "activation,init,layer,mean,std,dead")) return false;
    /* @end */
    double relu_std[NINITS], tanh_std[NINITS];
    signal_stack(lab, &csv, ACT_RELU, x, SIGNAL_N, relu_std);
    signal_stack(lab, &csv, ACT_TANH, x, SIGNAL_N, tanh_std);
    /* @fold closes the CSV, prints and records the std at the last layer, and the four claims */
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
    /* @end */
    free(x);
    return true;
}

/** **What the signal does.** @fig:lab06-signal follows the standard deviation of the activations
 * through the two stacks. In the ReLU stack He initialization keeps it at
 * {{lab06:relu_std20_he|g3}} after {{lab06:depth}} layers and orthogonal (with the ReLU gain) at
 * {{lab06:relu_std20_orthogonal|g3}}; Xavier's variance, right for tanh, loses half the second
 * moment at every ReLU and ends at {{lab06:relu_std20_xavier|sci}}; LeCun's likewise at
 * {{lab06:relu_std20_lecun|sci}}. (With $\mathrm{fan\_in} = \mathrm{fan\_out}$ the two are the same
 * variance, $1/\mathrm{fan\_in}$, and differ only by their random draws.) Weights of std 0.01
 * shrink the signal to {{lab06:relu_std20_small|sci}}; weights of std 1 blow it up to
 * {{lab06:relu_std20_large|sci}}. Zero weights give exactly zero everywhere, which a log axis
 * cannot show; the figure leaves them out. In the tanh stack Xavier keeps
 * {{lab06:tanh_std20_xavier|g3}}: tanh's slope is below 1 away from 0, so even the right variance
 * loses a little at every layer.
 *
 * ![Standard deviation of the activations after each layer of a {{lab06:depth}}-layer,
 * width-{{lab06:width}} stack: ReLU
 * (left) and tanh (right); above, every initializer but zero on the whole range, below, the four
 * that keep the scale, magnified.](lab06_signal){#fig:lab06-signal}
 */

/** ## Symmetry
 *
 * If every weight starts at the same value, every hidden unit computes the same function, gets
 * the same gradient and takes the same step: they stay identical forever, and a layer of 32 units
 * is worth one. We train 784-32-32-10 nets with zero, constant (0.01) and He weights for
 * {{lab06:sym_steps}} steps of SGD and measure the largest difference between any two units'
 * incoming weights in the first hidden layer. (With constant weights, floating-point rounding —
 * the BLAS sums different columns in different orders — can make units differ in the last bits;
 * nothing larger ever appears.)
 */
static double unit_spread(const Linear *l) {
    double worst = 0;   /* max over units u and inputs i of |W[u,i] - W[0,i]| */
    for (int u = 1; u < l->out; u++)
        for (int i = 0; i < l->in; i++)
            worst = fmax(worst, fabs((double)l->W[(size_t)u * l->in + i] - (double)l->W[i]));
    return worst;
}

/** Why the units stay equal: in backward, the first layer's weight gradient is
 * $$dW_1 = dZ_1^\top X, \qquad dZ_1 = (dY_2\, W_2) \odot f'(Z_1),$$
 * with $Z_1$ the first layer's pre-activations and $dY_2$ the gradient at the second layer's
 * output. If the first layer's units are copies (equal rows of $W_1$, equal biases), the columns
 * of $Z_1$ are equal; if every column of $W_2$ is the same too, so are the columns of
 * $dY_2 W_2$, hence of $dZ_1$, and every row of $dW_1$ is the same: each unit takes the same step
 * and stays a copy, and $dW_2 = dY_2^\top f(Z_1)$ keeps $W_2$'s columns equal as well. Zero
 * weights are worse still: $W_2 = 0$ makes $dZ_1 = 0$, and the first layer gets no gradient at
 * all. */
static void section_symmetry(Lab *lab, const Config *cfg, const Subset *tr, TrainBuffers *b) {
    const Init inits[3] = {init_make(INIT_ZEROS), init_value(INIT_CONSTANT, R(0.01)),
                           init_make(INIT_HE_NORMAL)};
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
        /* @fold prints and records the spread */
        printf("  %-9s largest difference between hidden units' weights after %d steps: %.3g\n", names[k],
               cfg->sym_steps, spread[k]);
        char key[64];
        snprintf(key, sizeof key, "symmetry_spread_%s", names[k]);
        results_num(&lab->results, key, spread[k]);
        /* @end */
        net_free(&net);
    }
    /* @fold the claims: zero and constant stay identical (to 1e-6), He's differ by over 0.1 */
    claims_add(&lab->claims, "symmetry_never_breaks", spread[0] == 0 && spread[1] < 1e-6, fmax(spread[0], spread[1]),
               "with zero or constant initialization the first-layer units remain identical after training, to "
               "within rounding (1e-6) [the largest difference]");
    claims_add(&lab->claims, "random_breaks_symmetry", spread[2] > 0.1, spread[2],
               "He's random weights differ between units by more than 0.1 [the largest difference]");
    /* @end */
}

/** **What symmetry does.** After training, the largest difference between two first-layer units is
 * {{lab06:symmetry_spread_zero|g2}} for zero weights and {{lab06:symmetry_spread_constant|sci}}
 * for constant ones — rounding, nothing more — against {{lab06:symmetry_spread_he|g3}} for He's
 * random weights. The zero net's spread is exactly 0 because, as derived above, its first layer
 * never receives a gradient; the constant net's units did receive one, the same for every unit.
 */

/** ## Does it train?
 *
 * A 10-layer ReLU net (784-128×9-10) on Fashion-MNIST, trained with SGD (momentum 0.9, learning
 * rate {{lab06:sgd_lr}}) from each of the seven initializations, {{lab06:seeds}} seeds each, for
 * {{lab06:epochs}} epochs on {{lab06:train_images}} images. A run whose loss stops being a number
 * is recorded as diverged and drawn as a gap, not as a number. The last layer of the He and
 * orthogonal nets is Xavier-uniform, as no ReLU follows it:
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
    if (init.kind == INIT_HE_NORMAL || init.kind == INIT_ORTHOGONAL)
        out = init_make(INIT_XAVIER_UNIFORM);
    net_add_linear(net, 128, CLASSES, true, out, rng);
}

/** The runs are independent, so they go side by side (`sweep.h`, one per core): `train_one` trains
 * arm `run->arm` — its initializer, with or without residual blocks — with seed `run->seed`. Its
 * random stream depends on the seed alone, so seed $s$ of every arm sees the same order of
 * training images, whichever core runs it. */
typedef struct {
    const Lab *lab;
    const Config *cfg;
    const Subset *tr, *val;
    Init init[NINITS];       /* arm k's initializer */
    bool residual[NINITS];   /* arm k's net has residual blocks */
} Arms;

static void train_one(void *ctx, SweepRun *run, TrainBuffers *b) {
    const Arms *c = ctx;
    Init init = c->init[run->arm];
    if (init.kind == INIT_ORTHOGONAL) init.gain = sqrt(R(2));   /* the ReLU gain, as above */
    Rng rng;
    rng_init(&rng, c->lab->seed * 1000 + (uint64_t)run->seed);
    Net net;
    deep_net(&net, init, c->residual[run->arm], &rng);
    OptConfig oc = optim_defaults(OPT_SGD);
    oc.lr = (real)SGD_LR, oc.momentum = R(0.9);
    TrainConfig tc = {.name = "", .epochs = c->cfg->epochs, .batch = BATCH, .opt = oc,
                      .sched = schedule_constant(SGD_LR), .quiet = true};
    bool ok = train_classifier(&net, c->tr, c->val, &tc, b, &rng, &run->r);
    CHECK(ok, "a run that writes no file cannot fail");
    net_free(&net);
}

/** `sweep_arm` summarizes each arm's seeds by one rule: the minimum, mean and maximum of the final
 * validation accuracy — none at all (NaN) if a seed diverged, rather than a mean over the
 * survivors that hides the failure — and how many seeds diverged. `sweep_bands_rows` writes the
 * same band for every epoch, which @fig:lab06-train draws. */
static bool section_train(Lab *lab, const Config *cfg, Arms *arms, TrainBuffers *b) {
    int S = cfg->seeds;
    for (int k = 0; k < NINITS; k++) arms->init[k] = named_inits(k).init, arms->residual[k] = 0;
    SweepRun *runs = sweep_alloc(NINITS, S);   /* runs[k * S + s]: initializer k, seed s */
    sweep_run(runs, NINITS * S, train_one, arms, b, lab->threads, "seven initializers");
    SweepArm arm[NINITS];
    for (int k = 0; k < NINITS; k++) arm[k] = sweep_arm(&runs[k * S], S);
    /* @fold writes init_bands.csv, records each arm's accuracy and its diverged seeds */
    char path[512];
    Csv bands;
    if (!sweep_bands_open(&bands, lab_path(lab, "init_bands.csv", path, sizeof path))) return false;
    for (int k = 0; k < NINITS; k++) {
        sweep_bands_rows(&bands, named_inits(k).name, &runs[k * S], S, cfg->epochs);
        double acc = arm[k].val.mean;
        printf("  %-11s final validation accuracy %s%.4f%s\n", named_inits(k).name, isfinite(acc) ? "" : "(diverged) ",
               isfinite(acc) ? acc : 0.0, arm[k].diverged ? " (some seeds diverged)" : "");
        char key[64];
        snprintf(key, sizeof key, "train10_%s_val_acc", named_inits(k).name);
        results_num(&lab->results, key, acc);
        snprintf(key, sizeof key, "train10_%s_diverged", named_inits(k).name);
        results_int(&lab->results, key, arm[k].diverged);
    }
    if (!csv_close(&bands)) return false;
    /* @end */
    /* @fold the claims: zero stays below 20%; He trains past 60%, 10 points above std 0.01 */
    double zero = arm[0].val.mean, small = arm[1].val.mean, he = arm[4].val.mean;
    claims_add(&lab->claims, "zero_does_not_learn", zero < 0.2, zero,
               "the 10-layer net initialized with zeros stays at chance level (below 20% validation accuracy) "
               "[its accuracy]");
    claims_add(&lab->claims, "he_trains", he > small + 0.1 && he > 0.6, he,
               "from He initialization the 10-layer net trains (above 60%, and 10 points above std-0.01 weights) "
               "[He's accuracy]");
    /* @end */
    free(runs);
    return true;
}

/** **What training shows.** @fig:lab06-train shows the 10-layer net on {{lab06:train_images}}
 * images over {{lab06:epochs}} epochs. Final validation accuracy: zero
 * {{lab06:train10_zero_val_acc}}, std 0.01 {{lab06:train10_small_val_acc}}, Xavier
 * {{lab06:train10_xavier_val_acc}}, LeCun {{lab06:train10_lecun_val_acc}}, He
 * {{lab06:train10_he_val_acc}}, orthogonal {{lab06:train10_orthogonal_val_acc}}. Weights of std 1
 * diverged in {{lab06:train10_large_diverged}} of {{lab06:seeds}} seeds; a diverged arm is
 * recorded as such and has no line. Compare the order with @fig:lab06-signal: the initializers
 * that keep the ReLU signal through depth (He, orthogonal) train fastest, those whose signal
 * shrinks layer by layer (Xavier, LeCun) start slowly, and std 0.01 and zero do not start.
 *
 * ![Validation accuracy of a 10-layer ReLU net trained from seven initializations (min-max band
 * over seeds, mean line): per epoch (left) and against time (right).](lab06_train){#fig:lab06-train}
 */

/** ## Residual connections
 *
 * PyTorch's default Linear initialization draws from $U(\pm 1/\sqrt{\mathrm{fan\_in}})$: variance
 * $1/(3\,\mathrm{fan\_in})$, a sixth of what a ReLU layer needs. In a plain stack the signal and the
 * gradient shrink by that factor at every layer. A residual block computes $x + f(x)$ instead of
 * $f(x)$: even when $f$ is small the block passes $x$ on, and in backward the skip path hands the
 * gradient to the layers below unchanged,
 * $$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\Big(I + \frac{\partial f}{\partial x}\Big)
 *   \quad\text{for}\quad y = x + f(x).$$
 * We build the 10-layer net both ways with the default initialization, compare the gradient
 * reaching every layer — the RMS of $\partial L/\partial x$ at each Linear layer's input, the
 * signal backpropagation carries down — and train both. (The *weight* gradient $dY^\top X$
 * multiplies that signal by the layer's input, which shrinks going up while the backward signal
 * shrinks going down, so weight gradients can look healthy in a net that does not learn: measure
 * the backward signal.) `backward_signal` runs one forward and backward pass on a batch of
 * {{lab06:grad_batch}} images and keeps both RMS values for each Linear layer:
 */
static int backward_signal(Net *net, TrainBuffers *b, int n, double *rms, double *wrms) {
    net_zero_grad(net);
    const real *logits = net_forward(net, b->x, n, true, NULL);
    xent_forward(b->probs, logits, b->y, n, CLASSES, 0);
    xent_backward(b->probs, b->probs, b->y, n, CLASSES, 0);
    net_backward(net, b->probs);
    int nlin = 0;
    for (int i = 0; i < net->nlayers; i++) {
        Layer *l = &net->layers[i];
        if (l->kind != LAYER_LINEAR) continue;
        double s = 0, w = 0;
        for (size_t j = 0; j < (size_t)l->in * l->out; j++)
            w += (double)l->linear.dW[j] * l->linear.dW[j];
        for (size_t j = 0; j < (size_t)n * l->in; j++) s += (double)l->dx[j] * l->dx[j];
        rms[nlin] = nlin ? sqrt(s / ((double)n * l->in)) : NAN;   /* layer 1's input: the image */
        wrms[nlin] = sqrt(w / ((double)l->in * l->out));
        nlin++;
    }
    return nlin;
}

/** Both nets are built from the lab's seed, so they start with the same weights and differ only by
 * the skips. As in Lab 2 the ratio compares the first and the last hidden-to-hidden (128×128)
 * layer; then both nets are trained, side by side like the initializers: */
static bool section_residual(Lab *lab, const Config *cfg, Arms *arms, TrainBuffers *b) {
    /* @fold opens residual_gradients.csv; names the two nets */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "residual_gradients.csv", path, sizeof path), "net,layer,grad_rms,weight_grad_rms"))
        return false;
    const char *names[2] = {"plain", "residual"};
    /* @end */
    double ratio[2];
    dataset_batch(arms->tr->data, arms->tr->idx, GRAD_BATCH, b[0].x, b[0].y);   /* both nets */
    for (int r = 0; r < 2; r++) {
        Rng rng;
        rng_init(&rng, lab->seed);
        Net net;
        deep_net(&net, init_make(INIT_TORCH_DEFAULT), r == 1, &rng);
        double rms[16] = {0}, wrms[16] = {0};
        int nlin = backward_signal(&net, &b[0], GRAD_BATCH, rms, wrms);
        ratio[r] = rms[1] / rms[nlin - 2];   /* first / last 128x128 layer */
        /* @fold writes the net's rows to residual_gradients.csv */
        for (int l = 0; l < nlin; l++) csv_row(&csv, "sdgg", names[r], l + 1, rms[l], wrms[l]);
        /* @end */
        net_free(&net);
    }
    /* then both nets are trained, side by side like the initializers */
    int S = cfg->seeds;
    arms->init[0] = arms->init[1] = init_make(INIT_TORCH_DEFAULT);
    arms->residual[0] = false, arms->residual[1] = true;
    SweepRun *runs = sweep_alloc(2, S);
    sweep_run(runs, 2 * S, train_one, arms, b, lab->threads, "plain and residual");
    double acc[2] = {sweep_arm(&runs[0], S).val.mean, sweep_arm(&runs[S], S).val.mean};
    /* @fold writes residual_bands.csv, records the ratios and accuracies, and two claims */
    Csv bands;
    if (!csv_close(&csv) || !sweep_bands_open(&bands, lab_path(lab, "residual_bands.csv", path, sizeof path))) return false;
    for (int r = 0; r < 2; r++) {
        sweep_bands_rows(&bands, names[r], &runs[r * S], S, cfg->epochs);
        printf("  %-9s gradient ratio first/last hidden layer %.3g; final validation accuracy %.4f\n", names[r],
               ratio[r], acc[r]);
    }
    if (!csv_close(&bands)) return false;
    results_num(&lab->results, "plain_grad_ratio", ratio[0]);
    results_num(&lab->results, "residual_grad_ratio", ratio[1]);
    results_num(&lab->results, "plain_val_acc", acc[0]);
    results_num(&lab->results, "residual_val_acc", acc[1]);
    claims_add(&lab->claims, "residual_keeps_gradient", ratio[1] > 0.1 && ratio[0] < 0.01, ratio[1],
               "with the default initialization the plain stack's first hidden layer gets under 1% of the last "
               "one's gradient, the residual stack's more than 10% [the residual ratio]");
    claims_add(&lab->claims, "residual_trains_better", acc[1] > acc[0], acc[1] - acc[0],
               "the residual net reaches a higher validation accuracy than the plain one [the difference]");
    /* @end */
    free(runs);
    return true;
}

/** **What the skips do.** With PyTorch's default initialization the gradient reaching the first
 * hidden layer of the plain stack is only {{lab06:plain_grad_ratio|sci}} of what reaches the last
 * one; with residual blocks the ratio is {{lab06:residual_grad_ratio|g3}} (@fig:lab06-resgrad).
 * The plain net ends at {{lab06:plain_val_acc}} validation accuracy, the residual one at
 * {{lab06:residual_val_acc}} (@fig:lab06-residual): the same weights, the same initialization,
 * and only the identity path added.
 *
 * ![The gradient reaching each Linear layer of the 10-layer net with default initialization,
 * plain and residual.](lab06_resgrad){#fig:lab06-resgrad}
 *
 * ![Validation accuracy of the plain and the residual net, default initialization (min-max band
 * over seeds, mean line).](lab06_residual){#fig:lab06-residual}
 */

/** ## The last layer's bias
 *
 * From the recipe [@karpathy2019recipe]: if the classes are imbalanced, set the output bias to the
 * log of the class frequencies. Then the network starts out predicting the prior, and its first
 * steps are not spent learning it. On a training subset where class 0 has half of the images and
 * the other nine share the rest, the loss at initialization with a zero bias is near $\ln 10$
 * (a small last layer gives nearly uniform probabilities); with $b_c = \log p_c$ the softmax of
 * near-zero logits plus $b$ is $p$ itself, and the expected loss is the entropy of the prior,
 * $$-\sum_c p_c \log p_c = H(p) .$$
 */
static void section_bias(Lab *lab, const Subset *tr, TrainBuffers *b) {
    /* @fold builds imb: every class-0 image of tr, then other images until class 0 is half */
    const Dataset *ds = tr->data;
    int *idx = nn_calloc((size_t)tr->n, sizeof(int)), n0 = 0, n = 0;
    for (int i = 0; i < tr->n; i++)
        if (ds->y[tr->idx[i]] == 0) idx[n++] = tr->idx[i], n0++;
    for (int i = 0; i < tr->n && n < 2 * n0; i++)
        if (ds->y[tr->idx[i]] != 0) idx[n++] = tr->idx[i];
    Subset imb = {ds, idx, n};
    /* @end */
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
        net_mlp(&net, "784-128-10", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), out, EVAL,
                &rng);
        if (withbias)
            for (int c = 0; c < CLASSES; c++)
                net.layers[2].linear.b[c] = (real)log(fmax(prior[c], 1e-6));   /* b_c = log p_c */
        evaluate(&net, &imb, b, &loss[withbias], NULL);
        net_free(&net);
    }
    /* @fold prints and records the two losses, the entropy and the share of class 0, and the claim */
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
    /* @end */
}

/** **What the bias does.** On the imbalanced subset (class 0 is {{lab06:class0_share|pct}} of the
 * images) the loss at initialization is {{lab06:init_loss_zero_bias|g4}} with a zero bias and
 * {{lab06:init_loss_prior_bias|g4}} with the log-prior bias, against the prior's entropy of
 * {{lab06:prior_entropy|g4}}: the bias alone removes what the first steps would otherwise spend.
 */

/** ## Putting it together */
static int run_lab(Lab *lab) {
    const Config *cfg = lab->quick ? &QUICK : &FULL;
    /* @fold loads Fashion-MNIST into tr and val; one set of buffers per worker */
    Dataset train;
    Rng split;
    rng_init(&split, lab->seed);
    Subset tr, val, rest;
    if (!data_fashion_split(&train, 5000, cfg->train_n, &split, "lab06", &tr, &val, &rest)) return 1;
    TrainBuffers *b = trainbufs_new(lab->threads, EVAL, 784, CLASSES);   /* one per worker */
    /* @end */
    Arms arms = {.lab = lab, .cfg = cfg, .tr = &tr, .val = &val};

    printf("\n1. The signal through %d layers of width %d\n", DEPTH, WIDTH);
    if (!section_signal(lab)) return 1;
    printf("\n2. Symmetry\n");
    section_symmetry(lab, cfg, &tr, &b[0]);
    printf("\n3. Does a 10-layer net train? %d epochs on %d images, %d seeds\n", cfg->epochs,
           cfg->train_n, cfg->seeds);
    if (!section_train(lab, cfg, &arms, b)) return 1;
    printf("\n4. Residual connections\n");
    if (!section_residual(lab, cfg, &arms, b)) return 1;
    printf("\n5. The last layer's bias\n");
    section_bias(lab, &tr, &b[0]);

    /* @fold records this mode's sizes, frees everything */
    results_int(&lab->results, "epochs", cfg->epochs);
    results_int(&lab->results, "train_images", cfg->train_n);
    results_int(&lab->results, "seeds", cfg->seeds);
    results_int(&lab->results, "depth", DEPTH);
    results_int(&lab->results, "width", WIDTH);
    results_int(&lab->results, "signal_n", SIGNAL_N);
    results_int(&lab->results, "grad_batch", GRAD_BATCH);
    results_int(&lab->results, "sym_steps", cfg->sym_steps);
    results_num(&lab->results, "sgd_lr", SGD_LR);
    trainbufs_free(b, lab->threads);
    subset_free(&val), subset_free(&rest);
    dataset_free(&train);
    /* @end */
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

/** ## In plain words
 *
 * A Linear layer multiplies the variance of its input by $\mathrm{fan\_in}\,\mathrm{Var}(w)$, and a
 * deep net applies that factor once per layer, so anything but 1 shrinks or blows up the signal
 * geometrically — forwards and, through $W^\top$, backwards. The initializers are the choices of
 * $\mathrm{Var}(w)$ that make the factor 1: $1/\mathrm{fan\_in}$ (LeCun) for an activation that is
 * linear near 0, $2/\mathrm{fan\_in}$ (He) for a ReLU that throws away half the second moment,
 * Xavier's compromise between the forward and the backward pass, and orthogonal weights that keep
 * every length exactly. With the wrong one the signal through {{lab06:depth}} ReLU layers fell to
 * {{lab06:relu_std20_small|sci}} or grew to {{lab06:relu_std20_large|sci}}, and a 10-layer net that
 * starts that way trains slowly, diverges or not at all. Weights that start equal stay equal,
 * so randomness is what lets the units of a layer become different. Residual connections give the
 * gradient a path that no layer can shrink, which is why very deep nets train even from a poor
 * initialization. And the last layer's bias can start at the log of the class frequencies, so that
 * the first steps are not spent learning the prior.
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
