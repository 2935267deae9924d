/** # Activation functions {#sec:lab02}
 *
 * **Question.** The nonlinearity between two Linear layers is one line of code. Does the choice
 * matter — for accuracy, for speed, and for whether a deep network learns at all?
 *
 * Without a nonlinearity a stack of Linear layers collapses into one Linear map. With one, every
 * layer's backward pass multiplies the upstream gradient by the activation's derivative:
 * $$\frac{\partial L}{\partial x} = \left(\frac{\partial L}{\partial y} \odot f'(z)\right) W,$$
 * so through $L$ layers the gradient picks up $L$ factors of $f'$. If $f' \le 1/4$ everywhere —
 * the sigmoid's derivative peaks at $1/4$ — the gradient reaching the first layer shrinks
 * geometrically with depth. This lab measures that, and everything else that follows from the
 * shape of $f$: six activations — sigmoid, tanh, ReLU, LeakyReLU, GELU
 * [@hendrycks2016gelu] and SiLU [@ramachandran2017searching] — on the same network, data, optimizer
 * and seeds.
 */
/* @fold the headers */
#include <string.h>

#include "data.h"
#include "nnlab.h"
#include "sweep.h"
#include "train.h"
/* @end */

/** The sizes of the experiments, in full mode and in quick mode (`make lab02 QUICK=1`): */
typedef struct {
    int train_n;        /* Fashion-MNIST training images used (of 55,000) */
    int epochs;         /* for the six-activation comparison */
    int seeds;          /* per arm */
    int grad_steps;     /* training steps between the two gradient measurements */
    int dead_epochs;    /* for the dead-unit experiment */
} Config;

static const Config FULL = {.train_n = 12000, .epochs = 5, .seeds = 3, .grad_steps = 200,
                            .dead_epochs = 2};
static const Config QUICK = {.train_n = 1500, .epochs = 2, .seeds = 3, .grad_steps = 20,
                             .dead_epochs = 1};

enum { BATCH = 64, EVAL = 500, CLASSES = 10, WIDTH = 128, GRAD_BATCH = 256 };
static const double TARGET = 0.85;   /* the validation accuracy whose first epoch we record */

static const ActKind KINDS[] = {ACT_SIGMOID, ACT_TANH, ACT_RELU,
                                ACT_LEAKY_RELU, ACT_GELU, ACT_SILU};
enum { NKINDS = sizeof KINDS / sizeof KINDS[0] };

/* The customary initializer: He for the ReLU family (GELU and SiLU behave like ReLU for large
 * inputs), Xavier for the saturating sigmoid and tanh (Glorot and Bengio 2010; He et al.
 * 2015). */
static Init customary_init(ActKind k) {
    return init_make(k == ACT_SIGMOID || k == ACT_TANH ? INIT_XAVIER_NORMAL : INIT_HE_NORMAL);
}

/** ## The shapes
 *
 * First the functions themselves, drawn by the library's own kernels: `act_forward` for $f$ and
 * `act_backward` with an upstream gradient of 1 for $f'$. The same numbers check the code: each
 * derivative is compared with a central difference of $f$ (away from the kinks at 0). GELU has
 * an exact form, $x\,\Phi(x)$ with the Gaussian CDF $\Phi$, and a cheaper tanh approximation; we
 * measure how far apart they are.
 *
 * **The sigmoid and tanh.** The library's sigmoid never takes the exponential of a positive
 * number, so it cannot overflow: for $x < 0$ it uses $e^{x}/(1 + e^{x})$, the same value as
 * $1/(1 + e^{-x})$ multiplied through by $e^{x}$:
 *
 * @include common/activations.c:sigmoid
 *
 * Each activation's backward pass multiplies the upstream gradient `dy` by $f'$ at the point the
 * forward pass saw. For the sigmoid and tanh the derivative is cheapest in terms of the output
 * $y$ that the forward pass already computed. With $u = e^{-x}$,
 * $$\sigma(x) = \frac{1}{1 + u}, \qquad
 *   \sigma'(x) = \frac{u}{(1 + u)^2} = \frac{1}{1 + u}\cdot\frac{u}{1 + u} = \sigma(x)\,(1 - \sigma(x)) = y\,(1 - y),$$
 * $$\tanh x = \frac{\sinh x}{\cosh x}, \qquad
 *   \tanh'(x) = \frac{\cosh^2 x - \sinh^2 x}{\cosh^2 x} = 1 - \tanh^2 x = 1 - y^2 .$$
 * So the sigmoid's derivative is at most $\frac14$ (at $y = \frac12$), tanh's at most 1 (at
 * $y = 0$), and both vanish as $|x|$ grows and $y$ saturates. In the code `dx` is `dy` times
 * exactly these factors (its comments write `s(x)` for $\sigma(x)$):
 *
 * @include common/activations.c:act_backward#ACT_SIGMOID,act_backward#ACT_TANH
 *
 * **The ReLU family.** ReLU and LeakyReLU are piecewise linear, so their derivatives are
 * constants on each side of 0:
 * $$\mathrm{ReLU}(x) = \max(0, x), \quad \mathrm{ReLU}'(x) = [x > 0]; \qquad
 *   \mathrm{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}, \quad
 *   \mathrm{LeakyReLU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}$$
 * with $\alpha$ = `a.alpha` = 0.01. At $x = 0$ there is no derivative; the code takes the
 * negative side, as PyTorch does. Note that the backward pass needs the input $x$ (its sign), not
 * the output:
 *
 * @include common/activations.c:act_backward#ACT_RELU,act_backward#ACT_LEAKY_RELU
 *
 * **GELU and SiLU** multiply $x$ by a smooth gate — the Gaussian CDF $\Phi$, the sigmoid $\sigma$
 * — instead of ReLU's hard gate $[x > 0]$. The forward pass of GELU writes
 * $\Phi(x) = \frac12\,(1 + \mathrm{erf}(x/\sqrt2)) = \frac12\,\mathrm{erfc}(-x/\sqrt2)$, which
 * loses no digits to cancellation when $x$ is very negative:
 *
 * @include common/activations.c:act_forward#ACT_GELU
 *
 * The product rule, with the Gaussian density $\varphi = \Phi'$ and $\sigma' = \sigma(1-\sigma)$
 * from above, gives their derivatives:
 * $$\mathrm{GELU}(x) = x\,\Phi(x), \quad
 *   \mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x), \quad \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}},$$
 * $$\mathrm{SiLU}(x) = x\,\sigma(x), \quad
 *   \mathrm{SiLU}'(x) = \sigma(x) + x\,\sigma(x)(1 - \sigma(x)) = \sigma(x)\,(1 + x\,(1 - \sigma(x))).$$
 * The second terms, $x\,\varphi(x)$ and $x\,\sigma(1-\sigma)$, are positive for $x > 0$, but the
 * gates $\Phi$ and $\sigma$ are below 1, so a derivative exceeds 1 only where the second term
 * outweighs the gate's shortfall ($\Phi + x\,\varphi > 1$ for GELU): for $x$ above about 0.75
 * (GELU) and 1.28 (SiLU), peaking near 1.13 and 1.10, before settling to 1. As
 * $\Phi(-x) = 1 - \Phi(x)$, $\sigma(-x) = 1 - \sigma(x)$ and the second terms are odd,
 * $f'(x) + f'(-x) = 1$ for both: they dip below 0 exactly for $x$ below about $-0.75$ and $-1.28$. Unlike the sigmoid's, these derivatives need the input $x$; the
 * code recomputes the gate from it:
 *
 * @include common/activations.c:act_backward#ACT_GELU,act_backward#ACT_SILU
 *
 * The error function costs more than a `tanh`, so GELU's paper [@hendrycks2016gelu] also gives an
 * approximation (the one GPT-2 used):
 * $$\mathrm{GELU}(x) \approx \frac{x}{2}\Big(1 + \tanh\Big(\sqrt{2/\pi}\,\big(x + 0.044715\,x^3\big)\Big)\Big),$$
 * which has $\Phi$'s value and slope at 0; the constant 0.044715 was fitted so that the two
 * curves agree further out. The section measures how far they are apart:
 *
 * @include common/activations.c:act_forward#ACT_GELU_TANH
 *
 * **The check.** A central difference has error
 * $\frac{f(x+h) - f(x-h)}{2h} - f'(x) = \frac{h^2}{6} f'''(\xi)$, about $10^{-5}$ at
 * $h = 0.01$, plus the rounding of $f$ in `float` divided by $2h$. Near the kinks of ReLU and
 * LeakyReLU at 0 there is no derivative to agree with, so those points are skipped:
 */
static double derivative_error(Activation a, const real *x, const real *df, int n) {
    double worst = 0;
    for (int i = 0; i < n; i++) {
        if (fabs((double)x[i]) < 0.02) continue;   /* the kink of the ReLU family at 0 */
        real xp = x[i] + R(0.01), xm = x[i] - R(0.01), fp, fm;
        act_forward(a, &fp, &xp, 1);
        act_forward(a, &fm, &xm, 1);
        double numeric = ((double)fp - (double)fm) / ((double)xp - (double)xm);
        worst = fmax(worst, fabs(numeric - (double)df[i]));
    }
    return worst;
}

/** He's initializer (Lab 6) assumes that the activation keeps half of the second moment of a
 * unit-variance input, as ReLU does: $\mathrm{E}[\max(0, z)^2] = \frac12$ for $z \sim N(0, 1)$.
 * For the rest of the family we compute $\mathrm{E}[f(z)^2] = \int f(z)^2 \varphi(z)\,dz$ by the
 * midpoint rule on $[-8, 8]$ (the Gaussian tail beyond adds less than $10^{-13}$): */
static double second_moment(ActKind k) {
    enum { M = 4000 };
    double m2 = 0;
    for (int i = 0; i < M; i++) {
        double z = -8 + 16 * (i + 0.5) / M;
        real zr = (real)z, fz;
        act_forward(act_make(k), &fz, &zr, 1);
        double density = exp(-z * z / 2) / sqrt(2 * 3.14159265358979323846);
        m2 += (double)fz * (double)fz * density * 16.0 / M;
    }
    return m2;
}

/** The section evaluates all six on a grid of 201 points from $-5$ to 5: */
static bool section_shapes(Lab *lab) {
    enum { N = 201 };
    real x[N], y[N], ones[N];
    real f[NKINDS][N], df[NKINDS][N];
    for (int i = 0; i < N; i++) x[i] = R(-5) + R(0.05) * (real)i, ones[i] = 1;
    double worst = 0;
    for (int k = 0; k < NKINDS; k++) {
        Activation a = act_make(KINDS[k]);
        act_forward(a, f[k], x, N);
        act_backward(a, df[k], ones, x, f[k], N);   /* f'(x): the backward pass with dy = 1 */
        worst = fmax(worst, derivative_error(a, x, df[k], N));
    }
    /* @fold records GELU's and SiLU's largest f' and where; the ReLU family's second moments */
    for (int k = 4; k < 6; k++) {
        int at = 0;
        for (int i = 1; i < N; i++)
            if (df[k][i] > df[k][at]) at = i;
        char key[64];
        snprintf(key, sizeof key, "%s_dmax", act_name(KINDS[k]));
        results_num(&lab->results, key, (double)df[k][at]);
        snprintf(key, sizeof key, "%s_dmax_at", act_name(KINDS[k]));
        results_num(&lab->results, key, (double)x[at]);
    }
    for (int k = 2; k < NKINDS; k++) {
        char key[64];
        snprintf(key, sizeof key, "%s_second_moment", act_name(KINDS[k]));
        results_num(&lab->results, key, second_moment(KINDS[k]));
    }
    /* @end */
    act_forward(act_make(ACT_GELU_TANH), y, x, N);   /* the tanh approximation vs exact f[4] */
    double gap = 0, gap_at = 0;
    for (int i = 0; i < N; i++) {
        double g = fabs((double)y[i] - (double)f[4][i]);
        if (g > gap) gap = g, gap_at = x[i];
    }
    /* @fold writes shapes.csv (x, f, f', the GELU gap); records the results and two claims */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "shapes.csv", path, sizeof path),
                  "x,sigmoid,tanh,relu,leakyrelu,gelu,silu,d_sigmoid,d_tanh,d_relu,d_leakyrelu,d_gelu,d_silu,gelu_tanh_gap"))
        return false;
    for (int i = 0; i < N; i++)
        csv_row(&csv, "gggggggggggggg", (double)x[i], (double)f[0][i], (double)f[1][i], (double)f[2][i],
                (double)f[3][i], (double)f[4][i], (double)f[5][i], (double)df[0][i], (double)df[1][i],
                (double)df[2][i], (double)df[3][i], (double)df[4][i], (double)df[5][i],
                (double)y[i] - (double)f[4][i]);
    if (!csv_close(&csv)) return false;
    printf("  derivatives vs central differences: worst gap %.2e\n", worst);
    printf("  exact vs tanh GELU: largest gap %.2e at x = %.2f\n", gap, gap_at);
    results_num(&lab->results, "derivative_max_error", worst);
    results_num(&lab->results, "gelu_gap_max", gap);
    results_num(&lab->results, "gelu_gap_at", fabs(gap_at));
    claims_add(&lab->claims, "derivatives", worst < 1e-3, worst,
               "each activation's backward pass matches a central difference of its forward pass to 1e-3 "
               "[the largest difference]");
    claims_add(&lab->claims, "gelu_gap", gap < 5e-4, gap,
               "the tanh approximation of GELU stays within 5e-4 of the exact form for x from -5 to 5 [the largest gap]");
    /* @end */
    return true;
}

/** **What the shapes show.** @fig:lab02-shapes draws the six functions and their derivatives as
 * the library computes them. Every derivative agrees with a central difference of its function to
 * {{lab02:derivative_max_error}}. The sigmoid's derivative never exceeds 1/4; tanh's reaches 1 at
 * the origin but, like the sigmoid's, falls to zero on both sides. ReLU's and LeakyReLU's
 * derivative is exactly 1 for every positive input; GELU's and SiLU's tend to 1 for large inputs
 * but overshoot it on the way, to {{lab02:gelu_dmax|g3}} (GELU, at $x$ = {{lab02:gelu_dmax_at|g2}})
 * and {{lab02:silu_dmax|g3}} (SiLU, at $x$ = {{lab02:silu_dmax_at|g2}}), and near zero both are about
 * 1/2. Exact and approximate GELU differ by at most {{lab02:gelu_gap_max}}, at
 * $|x|$ = {{lab02:gelu_gap_at|g2}}. The second moments $\mathrm{E}[f(z)^2]$ matter in the deep
 * nets below: ReLU keeps {{lab02:relu_second_moment|g2}}, GELU {{lab02:gelu_second_moment|g2}} and
 * SiLU only {{lab02:silu_second_moment|g2}}.
 *
 * ![The six activations (top) and their derivatives (bottom), computed by `act_forward` and
 * `act_backward`: sigmoid and tanh on the left, the ReLU family on the right (its functions on a
 * narrower range; LeakyReLU's slope of 0.01 below zero is too small to see at this
 * scale).](lab02_shapes){#fig:lab02-shapes}
 */

/** ## Same network, six activations
 *
 * One architecture, 784-256-128-10; one optimizer, Adam at its default $10^{-3}$, batch
 * {{lab02:batch}}; the same {{lab02:train_images}} Fashion-MNIST training images,
 * {{lab02:epochs}} epochs and {{lab02:seeds}} seeds for every activation; only the nonlinearity
 * (and its customary initializer) changes. The last layer starts small, so that the loss at
 * initialization is near $\ln 10$ (Lab 1):
 */
static void build(Net *net, const char *arch, ActKind k, Rng *rng) {
    Init out = init_make(INIT_XAVIER_UNIFORM);
    out.gain = R(0.1);   /* a small last layer: loss at init near ln 10 (Lab 1) */
    bool built = net_mlp(net, arch, act_make(k), customary_init(k), out, EVAL, rng);
    CHECK(built, "bad architecture %s", arch);   /* the lab's own constants: a programmer error */
}

/** The runs are independent, so they go side by side (`sweep.h`, one per core): `train_one`
 * trains arm `run->arm` — the activation `KINDS[arm]` — with seed `run->seed`, and scores the
 * test set. Its random stream depends on the seed alone, so seed $s$ of every activation sees the
 * same order of training images, and the results do not depend on which core ran it. For each
 * run we keep the validation accuracy after every epoch (`run->r`), the test accuracy and the
 * time. */
typedef struct {
    const Lab *lab;
    const Config *cfg;
    const Subset *tr, *val, *test;
    double *dead;   /* the dead-unit section: the never-active fraction of each run */
} Ctx;

static void train_one(void *ctx, SweepRun *run, TrainBuffers *b) {
    const Ctx *c = ctx;
    Rng rng;
    rng_init(&rng, c->lab->seed * 1000 + (uint64_t)run->seed);   /* the same for every arm */
    Net net;
    build(&net, "784-256-128-10", KINDS[run->arm], &rng);
    OptConfig opt = optim_defaults(OPT_ADAM);
    TrainConfig tc = {.name = act_name(KINDS[run->arm]), .epochs = c->cfg->epochs, .batch = BATCH,
                      .opt = opt, .sched = schedule_constant(opt.lr), .target_acc = TARGET,
                      .quiet = true};
    bool ok = train_classifier(&net, c->tr, c->val, &tc, b, &rng, &run->r);
    CHECK(ok, "a run that writes no file cannot fail");
    run->test_acc = run->r.diverged ? NAN : evaluate(&net, c->test, b, NULL, NULL);
    net_free(&net);
}

/** `sweep_arm` summarizes each activation's seeds by one rule: the minimum, mean and maximum of
 * the test accuracy, the mean epoch of reaching the target (only if every seed reached it), and
 * the seconds per epoch. Which activation wins is decided by the bands: A beats B only when A's
 * worst seed is above B's best. We name the best activation by mean and ask whether its band
 * clears the sigmoid's. */
static bool section_compare(Lab *lab, const Config *cfg, Ctx *ctx, TrainBuffers *b) {
    int S = cfg->seeds;
    SweepRun *runs = sweep_alloc(NKINDS, S);   /* runs[k * S + s]: activation k, seed s */
    sweep_run(runs, NKINDS * S, train_one, ctx, b, lab->threads, "six activations");
    SweepArm arm[NKINDS];
    for (int k = 0; k < NKINDS; k++) arm[k] = sweep_arm(&runs[k * S], S);
    /* @fold writes activation_bands.csv and activation_table.csv, records the test accuracies */
    char path[512];
    Csv bands, table;
    if (!sweep_bands_open(&bands, lab_path(lab, "activation_bands.csv", path, sizeof path)) ||
        !csv_open(&table, lab_path(lab, "activation_table.csv", path, sizeof path),
                  "activation,test_min,test_mean,test_max,epochs_to_85,epoch_seconds"))
        return false;
    printf("\n  %-10s %-24s %-14s %s\n", "activation", "test accuracy min-max", "epochs to 85%", "s/epoch");
    for (int k = 0; k < NKINDS; k++) {
        const SweepArm *a = &arm[k];
        sweep_bands_rows(&bands, act_name(KINDS[k]), &runs[k * S], S, cfg->epochs);
        char reached[32];   /* epochs to 85%: the mean over seeds; "never" if a seed did not get there */
        if (isfinite(a->epoch_mean)) snprintf(reached, sizeof reached, "%.1f", a->epoch_mean);
        else snprintf(reached, sizeof reached, "never");
        csv_row(&table, "sfffsf", act_name(KINDS[k]), a->test.lo, a->test.mean, a->test.hi, reached,
                a->seconds_per_epoch);
        printf("  %-10s %.4f - %.4f            %-14s %.2f\n", act_name(KINDS[k]), a->test.lo, a->test.hi, reached,
               a->seconds_per_epoch);
        char key[64];
        snprintf(key, sizeof key, "%s_test_acc", act_name(KINDS[k]));
        results_num(&lab->results, key, a->test.mean);
        snprintf(key, sizeof key, "%s_test_acc_min", act_name(KINDS[k]));
        results_num(&lab->results, key, a->test.lo);
        snprintf(key, sizeof key, "%s_test_acc_max", act_name(KINDS[k]));
        results_num(&lab->results, key, a->test.hi);
    }
    if (!csv_close(&bands) || !csv_close(&table)) return false;
    /* @end */
    int best = 0;
    for (int k = 1; k < NKINDS; k++)
        if (arm[k].test.mean > arm[best].test.mean) best = k;
    double margin = arm[best].test.lo - arm[0].test.hi;   /* its worst seed - sigmoid's best */
    /* @fold records the best activation, the margin, and the claim (margin > 0) */
    results_str(&lab->results, "best_activation", act_name(KINDS[best]));
    results_num(&lab->results, "best_vs_sigmoid_margin", margin);
    char text[256];
    snprintf(text, sizeof text,
             "the best activation by mean test accuracy, %s, beats sigmoid: its worst seed is above sigmoid's best "
             "[the margin between the bands]", act_name(KINDS[best]));
    claims_add(&lab->claims, "best_beats_sigmoid", best != 0 && margin > 0, margin, text);
    /* @end */
    free(runs);
    return true;
}

/** **What the comparison shows.** @fig:lab02-bands shows validation accuracy per epoch, the band
 * spanning the {{lab02:seeds}} seeds of each activation, and the same curves against training
 * time. @tbl:lab02-table gives the test accuracies ({{lab02:epochs}} epochs on
 * {{lab02:train_images}} images), the epochs each needed to reach {{lab02:target_pct}}%
 * validation accuracy ("never" if a seed did not get there), and the seconds per epoch — the
 * price of `exp` and `erf`. The sigmoid's best seed reaches {{lab02:sigmoid_test_acc_max}} test
 * accuracy; the worst seed of the best activation by mean, {{lab02:best_activation}}, lies
 * {{lab02:best_vs_sigmoid_margin|g2}} above that (a positive margin: the bands do not overlap).
 * Whether the other five separate is for their bands to say; the chapter claims no order among
 * them.
 *
 * ![Validation accuracy of the same 784-256-128-10 net with six activations: per epoch, with the
 * min-max band over seeds (left), and against training time (right).](lab02_bands){#fig:lab02-bands}
 *
 * ```{.csv-table #tbl:lab02-table file="lab02/activation_table.csv"
 *    header="Activation,Test acc. (min),Test acc. (mean),Test acc. (max),Epochs to 85%,Seconds per epoch"
 *    digits="3" caption="Six activations on Fashion-MNIST: test accuracy over the seeds, epochs to the target, time."}
 * ```
 */

/** ## Vanishing gradients, measured
 *
 * Now the deep nets: 10 and 20 hidden layers of width 128, each activation with its customary
 * initializer. For one batch of {{lab02:grad_batch}} training images we run forward and backward
 * and record, for every Linear layer, the root-mean-square of its weight gradient — first at
 * initialization, then after {{lab02:grad_steps}} steps of training. If the first layer's
 * gradient is a thousand times smaller than the last layer's, then under plain SGD, whose step is
 * the learning rate times the gradient, the first layers barely move: the network learns only at
 * its top. Adam, which trains the nets of this chapter, divides each parameter's step by a running
 * root-mean-square of that parameter's own gradients, so it undoes a moderate shrinkage; but a
 * gradient far below Adam's $\epsilon = 10^{-8}$ gives a step proportional to the gradient again.
 * The ratio goes into `results.csv`, taken between the first and the last *hidden-to-hidden*
 * layer (both 128x128), so that the different shapes of the input layer (784 inputs) and the
 * output layer (10 outputs) do not enter it; the figure shows the whole profile.
 */
static void grad_profile(Net *net, const real *x, const int *y, int n, TrainBuffers *b,
                         double *rms, int *nlin) {
    net_zero_grad(net);
    const real *logits = net_forward(net, x, n, true, NULL);
    xent_forward(b->probs, logits, y, n, CLASSES, 0);
    xent_backward(b->probs, b->probs, y, n, CLASSES, 0);
    net_backward(net, b->probs);
    *nlin = 0;
    for (int i = 0; i < net->nlayers; i++) {
        Layer *l = &net->layers[i];
        if (l->kind != LAYER_LINEAR) continue;
        size_t m = (size_t)l->in * l->out;
        double s = 0;
        for (size_t j = 0; j < m; j++) s += (double)l->linear.dW[j] * l->linear.dW[j];
        rms[(*nlin)++] = sqrt(s / (double)m);
    }
}

/** `grad_profile` is one step of Lab 1's training without the update: forward, the loss gradient
 * $p - y$ at the logits (`xent_backward`), and `net_backward`, which leaves each Linear layer's
 * $dW = dY^\top X$ in `linear.dW`. Of each it keeps one number, the root-mean-square
 * $$\mathrm{RMS}(dW) = \Big(\frac{1}{\mathrm{in}\cdot\mathrm{out}} \sum_{o,i} dW_{oi}^2\Big)^{1/2} .$$
 * Every net is built from the lab's seed, so all six activations start from the same random draws,
 * scaled by their initializers; each is measured, trained for {{lab02:grad_steps}} steps of Adam,
 * and measured again: */
static bool section_gradients(Lab *lab, const Config *cfg, const Subset *tr, TrainBuffers *b) {
    /* @fold opens gradient_norms.csv, loads the batch x, y, prints the table's header */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "gradient_norms.csv", path, sizeof path),
                  "activation,depth,phase,layer,grad_rms"))
        return false;
    real *x = nn_calloc((size_t)GRAD_BATCH * 784, sizeof(real));
    int y[GRAD_BATCH];
    dataset_batch(tr->data, tr->idx, GRAD_BATCH, x, y);
    printf("\n  %-10s %-8s %-22s %s\n", "activation", "layers", "first/last at init", "after training");
    /* @end */
    const int depths[2] = {10, 20};
    for (int d = 0; d < 2; d++)
        for (int k = 0; k < NKINDS; k++) {
            Rng rng;
            rng_init(&rng, lab->seed);
            char arch[512] = "784";
            for (int l = 0; l < depths[d]; l++) strcat(arch, "-128");
            strcat(arch, "-10");
            Net net;
            build(&net, arch, KINDS[k], &rng);
            double rms[2][64];
            int nlin = 0;
            grad_profile(&net, x, y, GRAD_BATCH, b, rms[0], &nlin);
            /* some steps of Adam on the training set, then measure again */
            train_steps(&net, tr, optim_defaults(OPT_ADAM), cfg->grad_steps, BATCH, b, &rng);
            grad_profile(&net, x, y, GRAD_BATCH, b, rms[1], &nlin);
            /* layers 2 .. nlin-1 are the 128x128 ones: compare the first and the last of them */
            double r0 = rms[0][1] / rms[0][nlin - 2], r1 = rms[1][1] / rms[1][nlin - 2];
            /* @fold writes the profiles, records r0 and r1; the claims on r0 at 20 layers */
            for (int p = 0; p < 2; p++)
                for (int l = 0; l < nlin; l++)
                    csv_row(&csv, "sdsdg", act_name(KINDS[k]), depths[d], p ? "trained" : "init", l + 1, rms[p][l]);
            printf("  %-10s %-8d %-22.3g %.3g\n", act_name(KINDS[k]), depths[d], r0, r1);
            char key[64];
            snprintf(key, sizeof key, "%s_%d_ratio_init", act_name(KINDS[k]), depths[d]);
            results_num(&lab->results, key, r0);
            snprintf(key, sizeof key, "%s_%d_ratio_trained", act_name(KINDS[k]), depths[d]);
            results_num(&lab->results, key, r1);
            if (depths[d] == 20 && KINDS[k] == ACT_SIGMOID)
                claims_add(&lab->claims, "sigmoid_vanishes", r0 < 1e-3, r0,
                           "in the 20-layer sigmoid net the first hidden-to-hidden layer's RMS weight gradient is more than "
                           "1000 times smaller than the last hidden-to-hidden layer's at initialization "
                           "[the ratio first/last]");
            if (depths[d] == 20 && KINDS[k] == ACT_RELU)
                claims_add(&lab->claims, "relu_keeps_gradient", r0 > 0.1 && r0 < 10, r0,
                           "in the 20-layer ReLU net with He initialization the first and last hidden-to-hidden layers' "
                           "RMS weight gradients stay within a factor 10 of each other [the ratio first/last]");
            /* @end */
            net_free(&net);
        }
    /* @fold frees x, closes the CSV */
    free(x);
    if (!csv_close(&csv)) return false;
    /* @end */
    return true;
}

/** **What the profiles show.** @fig:lab02-gradients shows the gradient of every layer of the
 * 20-layer nets. At initialization the RMS weight gradient of the sigmoid net's first
 * hidden-to-hidden layer is only {{lab02:sigmoid_20_ratio_init|sci}} of that of its last
 * hidden-to-hidden layer (10 layers:
 * {{lab02:sigmoid_10_ratio_init|sci}}), and training does not repair it
 * ({{lab02:sigmoid_20_ratio_trained|sci}}). The same ratio is {{lab02:relu_20_ratio_init|g3}} for
 * ReLU, {{lab02:tanh_20_ratio_init|g3}} for tanh and {{lab02:gelu_20_ratio_init|g3}} for GELU.
 * The SiLU net's gradients start far below the others' in every layer — its first-to-last
 * ratio, {{lab02:silu_20_ratio_init|g3}}, is healthy, but the whole profile sits low. The second
 * moments measured in the first section say why: He initialization is derived for ReLU, which
 * keeps half of a unit-variance input's second moment; SiLU keeps only
 * {{lab02:silu_second_moment|g2}} of it, GELU {{lab02:gelu_second_moment|g2}}. Compounded over 20
 * layers, SiLU's signal shrinks on the way up and its gradient on the way down, and each weight
 * gradient, the product of a layer's input and the gradient arriving from above, carries both
 * losses; GELU loses less and sits only a little below ReLU.
 *
 * ![RMS weight gradient of every Linear layer of the 20-layer nets, at initialization (left) and
 * after training (right), log scale. The SiLU net starts low in every layer: SiLU keeps less of
 * the signal's second moment than the ReLU that He initialization assumes.](lab02_gradients){#fig:lab02-gradients}
 */

/** ## Dead ReLUs
 *
 * A ReLU unit whose pre-activation is negative for every input outputs zero, gets zero gradient
 * ($\mathrm{ReLU}'(x) = 0$ for $x \le 0$, above), and never recovers: it is dead. Large updates
 * can push a unit there. We train the 784-256-128-10 net with ReLU and with LeakyReLU at a modest
 * (Adam {{lab02:lr_modest|g2}}) and a high ({{lab02:lr_high|g2}}) learning rate (epochs:
 * {{lab02:dead_epochs}}; seeds: {{lab02:seeds}} each), and count the hidden units whose
 * pre-activation is $\le 0$ for every image of the validation set. A LeakyReLU unit in that state
 * still passes $\alpha = 0.01$ of its gradient, so it can come back; a ReLU unit cannot.
 */
/** `dead_fraction` runs the validation set through the trained net in batches and marks, for each
 * of the 256 + 128 hidden units, whether its pre-activation — `l->x`, the input the activation
 * layer kept — was ever positive; the units never marked are dead. For ReLU and LeakyReLU alike
 * the pre-activation is positive exactly when the output is, so one test serves both. */
static double dead_fraction(Net *net, const Subset *val, TrainBuffers *b) {
    /* ever[u]: unit u's pre-activation was positive for some image (both activation layers, in a row) */
    bool ever[256 + 128] = {false};
    for (int start = 0; start < val->n; start += b->max_batch) {
        int count = val->n - start < b->max_batch ? val->n - start : b->max_batch;
        dataset_batch(val->data, val->idx + start, count, b->x, b->y);
        net_forward(net, b->x, count, false, NULL);
        int offset = 0;
        for (int i = 0; i < net->nlayers; i++) {
            Layer *l = &net->layers[i];
            if (l->kind != LAYER_ACT) continue;
            for (int n = 0; n < count; n++)
                for (int u = 0; u < l->out; u++)
                    ever[offset + u] |= l->x[(size_t)n * l->out + u] > 0;
            offset += l->out;
        }
    }
    int dead = 0;
    for (int u = 0; u < 256 + 128; u++) dead += !ever[u];
    return dead / (double)(256 + 128);
}

/** Four arms — ReLU and LeakyReLU, each at the two rates — run side by side like the comparison's;
 * arm $a$ is activation $\lfloor a/2 \rfloor$ at rate $a \bmod 2$: */
static const ActKind DEAD_KINDS[2] = {ACT_RELU, ACT_LEAKY_RELU};
static const real DEAD_LRS[2] = {R(1e-3), R(1e-2)};

static void train_dead(void *ctx, SweepRun *run, TrainBuffers *b) {
    const Ctx *c = ctx;
    ActKind kind = DEAD_KINDS[run->arm / 2];
    real lr = DEAD_LRS[run->arm % 2];
    Rng rng;
    rng_init(&rng, c->lab->seed * 1000 + 500 + (uint64_t)run->seed);
    Net net;
    build(&net, "784-256-128-10", kind, &rng);
    OptConfig opt = optim_defaults(OPT_ADAM);
    opt.lr = lr;
    TrainConfig tc = {.name = act_name(kind), .epochs = c->cfg->dead_epochs, .batch = BATCH,
                      .opt = opt, .sched = schedule_constant(lr), .quiet = true};
    bool ok = train_classifier(&net, c->tr, c->val, &tc, b, &rng, &run->r);
    CHECK(ok, "a run that writes no file cannot fail");
    double *dead = &c->dead[run->arm * c->cfg->seeds + run->seed];
    *dead = run->r.diverged ? NAN : dead_fraction(&net, c->val, b);
    net_free(&net);
}

/** Each arm's fractions over the seeds become a band (`band_of`: minimum, mean, maximum; no band
 * if a seed diverged). A high rate kills units when its band lies wholly above the modest rate's. */
static bool section_dead(Lab *lab, const Config *cfg, Ctx *ctx, TrainBuffers *b) {
    int S = cfg->seeds;
    SweepRun *runs = sweep_alloc(4, S);
    ctx->dead = nn_calloc((size_t)4 * S, sizeof(double));
    sweep_run(runs, 4 * S, train_dead, ctx, b, lab->threads, "dead units");
    Band dead[4];   /* relu at 1e-3, relu at 1e-2, leakyrelu at 1e-3, leakyrelu at 1e-2 */
    for (int a = 0; a < 4; a++) dead[a] = band_of(&ctx->dead[a * S], S);
    /* @fold writes dead_units.csv, records the means and the claim (dead[1].lo > dead[0].hi) */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "dead_units.csv", path, sizeof path), "activation,lr,seed,dead_fraction,val_acc"))
        return false;
    printf("\n  %-10s %-8s %s\n", "activation", "lr", "never-positive units (per seed)");
    for (int a = 0; a < 4; a++) {
        printf("  %-10s %-8g", act_name(DEAD_KINDS[a / 2]), (double)DEAD_LRS[a % 2]);
        for (int s = 0; s < S; s++) {
            csv_row(&csv, "sgdff", act_name(DEAD_KINDS[a / 2]), (double)DEAD_LRS[a % 2], s, ctx->dead[a * S + s],
                    runs[a * S + s].r.final_val_acc);
            printf(" %5.1f%%", 100 * ctx->dead[a * S + s]);
        }
        printf("\n");
    }
    if (!csv_close(&csv)) return false;
    results_num(&lab->results, "relu_dead_low_lr", dead[0].mean);
    results_num(&lab->results, "relu_dead_high_lr", dead[1].mean);
    results_num(&lab->results, "leaky_dead_high_lr", dead[3].mean);
    results_num(&lab->results, "leaky_dead_low_lr", dead[2].mean);
    claims_add(&lab->claims, "high_lr_kills_relus", dead[1].lo > dead[0].hi, dead[1].mean,
               "every ReLU run at the high learning rate ends with more never-active units than every run "
               "at the modest one [the mean fraction at the high rate]");
    /* @end */
    /* @fold frees the runs and the fractions */
    free(ctx->dead), free(runs);
    ctx->dead = NULL;
    /* @end */
    return true;
}

/** **What the counts show.** At Adam's modest rate {{lab02:relu_dead_low_lr|pct}} of the ReLU units
 * never turn on over the whole validation set; at the high rate {{lab02:relu_dead_high_lr|pct}} do.
 * For LeakyReLU the same fractions are {{lab02:leaky_dead_low_lr|pct}} and
 * {{lab02:leaky_dead_high_lr|pct}}, but such a unit still passes 1% of its gradient, so it is not
 * stuck for good. @tbl:lab02-dead lists every run.
 *
 * ```{.csv-table #tbl:lab02-dead file="lab02/dead_units.csv"
 *    header="Activation,Learning rate,Seed,Never-active fraction,Validation acc." digits="3"
 *    caption="Hidden units whose pre-activation is never positive on the validation set, per run."}
 * ```
 */

/** ## Putting it together */
static int run_lab(Lab *lab) {
    const Config *cfg = lab->quick ? &QUICK : &FULL;
    /* @fold loads Fashion-MNIST: tr, val, test (standardized by tr); buffers b, one per worker */
    Dataset train, test_set;
    Rng split;
    rng_init(&split, lab->seed);
    Subset tr, val, rest;
    if (!data_fashion_split(&train, 5000, cfg->train_n, &split, "lab02", &tr, &val, &rest) ||
        !data_load(&test_set, "fashion-mnist", "t10k", "lab02"))
        return 1;
    Subset test = subset_all(&test_set);
    test_set.mean = train.mean, test_set.std = train.std;
    dataset_summary(&tr, "Fashion-MNIST training subset", stdout);
    TrainBuffers *b = trainbufs_new(lab->threads, EVAL, 784, CLASSES);   /* one per worker */
    /* @end */
    Ctx ctx = {.lab = lab, .cfg = cfg, .tr = &tr, .val = &val, .test = &test};

    printf("\n1. Shapes\n");
    if (!section_shapes(lab)) return 1;
    printf("\n2. Same net, six activations: %d epochs on %d images, %d seeds each\n", cfg->epochs,
           cfg->train_n, cfg->seeds);
    if (!section_compare(lab, cfg, &ctx, b)) return 1;
    printf("\n3. Gradient norms through 10 and 20 hidden layers\n");
    if (!section_gradients(lab, cfg, &tr, &b[0])) return 1;
    printf("\n4. Dead units: ReLU vs LeakyReLU at two learning rates\n");
    if (!section_dead(lab, cfg, &ctx, b)) return 1;

    /* @fold records this mode's sizes, frees everything */
    results_int(&lab->results, "epochs", cfg->epochs);
    results_int(&lab->results, "train_images", cfg->train_n);
    results_int(&lab->results, "seeds", cfg->seeds);
    results_int(&lab->results, "batch", BATCH);
    results_int(&lab->results, "grad_batch", GRAD_BATCH);
    results_int(&lab->results, "grad_steps", cfg->grad_steps);
    results_int(&lab->results, "dead_epochs", cfg->dead_epochs);
    results_int(&lab->results, "target_pct", (long)lround(100 * TARGET));
    results_num(&lab->results, "lr_modest", (double)DEAD_LRS[0]);
    results_num(&lab->results, "lr_high", (double)DEAD_LRS[1]);
    trainbufs_free(b, lab->threads);
    subset_free(&rest), subset_free(&val), subset_free(&test);
    dataset_free(&train), dataset_free(&test_set);
    /* @end */
    return 0;
}

/* fold: main(): command-line flags */
#ifndef NN_NO_MAIN
int main(int argc, char **argv) {
    Lab lab;
    lab_start(&lab, argc, argv, "lab02", "Activation functions", NULL, 0);
    return lab_run(&lab, run_lab);
}
#endif
/* end fold */

/** ## In plain words
 *
 * Without a nonlinearity a stack of Linear layers is one Linear map; the activation is what lets
 * depth compute something new. In the backward pass every layer multiplies the gradient by $f'$
 * at the point the forward pass saw, so the size of the derivative decides whether a gradient
 * survives depth. The sigmoid's derivative is at most 1/4, and through 20 layers its first
 * hidden layer got only {{lab02:sigmoid_20_ratio_init|sci}} of the last one's gradient: a deep
 * sigmoid net learns only at its top. ReLU's derivative is exactly 1 wherever the unit is on, and
 * with He initialization its gradients stayed within a factor of ten from bottom to top. GELU and
 * SiLU are smooth ReLUs whose derivatives overshoot 1 a little; they cost more per epoch, and
 * whether they buy accuracy is for bands over seeds to decide, not a single run. A ReLU unit that
 * is negative for every input is dead for good, and a high learning rate makes more of them;
 * LeakyReLU's small slope lets such a unit come back. So start with ReLU or LeakyReLU and He
 * initialization, and keep the sigmoid out of the hidden layers of a deep net.
 *
 * ::: {.claims lab="lab02"}
 * :::
 *
 * **What to try next.** Give SiLU's initializer the gain $1/\sqrt{\mathrm{E}[f(z)^2]}$ instead of
 * He's $\sqrt2$ and see whether its profile in @fig:lab02-gradients rises to ReLU's; train the
 * 20-layer sigmoid net with plain SGD instead of Adam and watch its first layers stay where they
 * started; run the dead-unit experiment for more epochs at the high rate and see whether the
 * LeakyReLU units come back.
 *
 * ## Exercises
 *
 * In the student edition (`make exercises`; the README says how to get it) the kernels below are
 * yours to write: each is marked `EXERCISE id` in its file, a program that reaches one unwritten
 * stops and names it, and `make grade EX=id` runs its tests (tests/grade/grade_lab2.c); `make grade
 * LAB=lab02`
 * grades the whole chapter.
 *
 * | exercise | what to write | hint |
 * |---|---|---|
 * | `act_sigmoid_backward` | `common/activations.c`: $dx = dy\,y(1-y)$ | write it with the output y, which the forward pass kept |
 * | `act_tanh_backward` | $dx = dy\,(1 - y^2)$ | the same trick as the sigmoid |
 * | `act_relu_backward` | $dx = dy\,[x > 0]$ | at $x = 0$ PyTorch passes nothing |
 * | `act_leaky_relu_backward` | $dx = dy$ or $\alpha\,dy$ | `a.alpha` holds the slope; $x = 0$ takes the negative side |
 * | `act_gelu_backward` | $dx = dy\,(\Phi(x) + x\,\varphi(x))$ | the product rule; $\Phi(x) = \tfrac12\,\mathrm{erfc}(-x/\sqrt2)$ |
 * | `act_silu_backward` | $dx = dy\,\sigma(x)(1 + x(1 - \sigma(x)))$ | the product rule on $x\,\sigma(x)$ |
 *
 * **Questions to think about**, each with the run that answers it:
 *
 * 1. Which activations lose their gradient through depth? `make lab02 QUICK=1` draws the profiles;
 *    try `ARGS="--seed 3"` to see whether the order holds.
 * 2. Why can the sigmoid and tanh derivatives use the output y, while GELU and SiLU need the input x?
 * 3. Swap the GELU exercise for the derivative of its tanh approximation: `make grade
 *    EX=act_gelu_backward` says how far apart the two are.
 */
