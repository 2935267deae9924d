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
#include <string.h>

#include "data.h"
#include "nnlab.h"
#include "train.h"

typedef struct {
    int train_n;        /* Fashion-MNIST training images used (of 55,000) */
    int epochs;         /* for the six-activation comparison */
    int seeds;          /* per arm */
    int grad_steps;     /* training steps between the two gradient measurements */
    int dead_epochs;    /* for the dead-unit experiment */
} Config;

static const Config FULL = {12000, 5, 3, 200, 2};
static const Config QUICK = {1500, 2, 3, 20, 1};

enum { BATCH = 64, EVAL = 500, CLASSES = 10, WIDTH = 128 };

static const ActKind KINDS[] = {ACT_SIGMOID, ACT_TANH, ACT_RELU, ACT_LEAKY_RELU, ACT_GELU, ACT_SILU};
enum { NKINDS = sizeof KINDS / sizeof KINDS[0] };

/* The customary initializer: He for the ReLU family (GELU and SiLU behave like ReLU for large
 * inputs), Xavier for the saturating sigmoid and tanh (Glorot and Bengio 2010; He et al. 2015). */
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
 */
/** **The derivatives.** Each activation's backward pass multiplies the upstream gradient by
 * $f'$ at the point the forward pass saw. For the sigmoid and tanh the derivative is cheapest in
 * terms of the output $y$ that the forward pass already computed:
 * $$\sigma(x) = \frac{1}{1 + e^{-x}}, \quad \sigma'(x) = \frac{e^{-x}}{(1 + e^{-x})^2}
 *   = \sigma(x)\,(1 - \sigma(x)) = y\,(1 - y), \qquad \tanh'(x) = 1 - \tanh^2 x = 1 - y^2 .$$
 * So the sigmoid's derivative is at most $\frac14$ (at $y = \frac12$), tanh's at most 1, and
 * both vanish as $|x|$ grows:
 *
 * @include common/activations.c:act_backward#ACT_SIGMOID,act_backward#ACT_TANH
 *
 * The ReLU family is piecewise linear: $f'(x) = [x > 0]$ for ReLU, and 1 or $\alpha$ (`alpha`,
 * 0.01) for LeakyReLU. GELU and SiLU multiply $x$ by a smooth gate — the Gaussian CDF $\Phi$,
 * the sigmoid — and the product rule gives
 * $$\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x), \quad \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}},
 *   \qquad \mathrm{SiLU}'(x) = \sigma(x) + x\,\sigma(x)(1 - \sigma(x))
 *   = \sigma(x)\,(1 + x\,(1 - \sigma(x))).$$
 * Both exceed 1 a little for moderate positive $x$ and dip slightly below 0 for some negative $x$:
 *
 * @include common/activations.c:act_backward#ACT_RELU,act_backward#ACT_LEAKY_RELU,act_backward#ACT_GELU,act_backward#ACT_SILU
 */
static bool section_shapes(Lab *lab) {
    enum { N = 201 };
    real x[N], y[N], ones[N];
    real f[NKINDS][N], df[NKINDS][N];
    for (int i = 0; i < N; i++) x[i] = R(-5) + R(0.05) * (real)i, ones[i] = 1;
    double worst = 0;
    for (int k = 0; k < NKINDS; k++) {
        Activation a = act_make(KINDS[k]);
        act_forward(a, f[k], x, N);
        act_backward(a, df[k], ones, x, f[k], N);
        /* central difference of f, h = 0.01, skipping the kink of the ReLU family at 0 */
        for (int i = 0; i < N; i++) {
            if (fabs((double)x[i]) < 0.02) continue;
            real xp = x[i] + R(0.01), xm = x[i] - R(0.01), fp, fm;
            act_forward(a, &fp, &xp, 1);
            act_forward(a, &fm, &xm, 1);
            double numeric = ((double)fp - (double)fm) / ((double)xp - (double)xm);
            worst = fmax(worst, fabs(numeric - (double)df[k][i]));
        }
    }
    /* GELU's and SiLU's derivatives overshoot 1: where, and by how much */
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
    /* E[f(z)^2] for z ~ N(0, 1), by the midpoint rule on [-8, 8] (ReLU's is 1/2) */
    for (int k = 2; k < NKINDS; k++) {
        enum { M = 4000 };
        double m2 = 0;
        for (int i = 0; i < M; i++) {
            double z = -8 + 16 * (i + 0.5) / M;
            real zr = (real)z, fz;
            act_forward(act_make(KINDS[k]), &fz, &zr, 1);
            m2 += (double)fz * (double)fz * exp(-z * z / 2) / sqrt(2 * 3.14159265358979323846) * 16.0 / M;
        }
        char key[64];
        snprintf(key, sizeof key, "%s_second_moment", act_name(KINDS[k]));
        results_num(&lab->results, key, m2);
    }
    act_forward(act_make(ACT_GELU_TANH), y, x, N);
    double gap = 0, gap_at = 0;
    for (int i = 0; i < N; i++) {
        double g = fabs((double)y[i] - (double)f[4][i]);
        if (g > gap) gap = g, gap_at = x[i];
    }
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
    return true;
}

/** ## Same network, six activations
 *
 * One architecture, 784-256-128-10; one optimizer, Adam at $10^{-3}$, batch 64; the same
 * Fashion-MNIST training images, epochs and three seeds for every activation; only the
 * nonlinearity (and its customary initializer) changes. For each activation we keep the
 * validation accuracy after every epoch for all seeds — the band between the lowest and the
 * highest seed is what the figures draw — plus the test accuracy and the seconds per epoch.
 */
typedef struct {
    double val[3][TRAIN_MAX_EPOCHS], elapsed[3][TRAIN_MAX_EPOCHS];
    double test[3];
    int reached[3];   /* first epoch with 85% validation accuracy, 0 if never */
} Arm;

static void build(Net *net, const char *arch, ActKind k, Rng *rng) {
    Init out = init_make(INIT_XAVIER_UNIFORM);
    out.gain = R(0.1);   /* a small last layer: loss at init near ln 10 (Lab 1) */
    bool built = net_mlp(net, arch, act_make(k), customary_init(k), out, EVAL, rng);
    CHECK(built, "bad architecture %s", arch);   /* the lab's own constants: a programmer error */
}

static double band_min(const double *v, int n) {
    double m = v[0];
    for (int i = 1; i < n; i++) m = fmin(m, v[i]);
    return m;
}
static double band_max(const double *v, int n) {
    double m = v[0];
    for (int i = 1; i < n; i++) m = fmax(m, v[i]);
    return m;
}
static double mean(const double *v, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += v[i];
    return s / n;
}

static bool section_compare(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val,
                            const Subset *test, TrainBuffers *b, Arm *arms) {
    for (int k = 0; k < NKINDS; k++) {
        for (int s = 0; s < cfg->seeds; s++) {
            Rng rng;
            rng_init(&rng, lab->seed * 1000 + (uint64_t)s);   /* seed s of every arm: same data order */
            Net net;
            build(&net, "784-256-128-10", KINDS[k], &rng);
            char name[64];
            snprintf(name, sizeof name, "%s seed %d", act_name(KINDS[k]), s);
            OptConfig opt = optim_defaults(OPT_ADAM);
            TrainConfig tc = {.name = name, .epochs = cfg->epochs, .batch = BATCH, .opt = opt,
                              .sched = schedule_constant(opt.lr), .target_acc = 0.85};
            TrainResult r;
            if (!train_classifier(&net, tr, val, &tc, b, &rng, &r)) return false;
            for (int e = 0; e < cfg->epochs; e++) arms[k].val[s][e] = r.val_acc[e], arms[k].elapsed[s][e] = r.elapsed[e];
            arms[k].test[s] = r.diverged ? NAN : evaluate(&net, test, b, NULL, NULL);
            arms[k].reached[s] = r.epoch_reached;
            net_free(&net);
        }
    }
    /* bands per epoch, and the summary table */
    char path[512];
    Csv bands, table;
    if (!csv_open(&bands, lab_path(lab, "activation_bands.csv", path, sizeof path),
                  "activation,epoch,val_min,val_mean,val_max,mean_seconds") ||
        !csv_open(&table, lab_path(lab, "activation_table.csv", path, sizeof path),
                  "activation,test_min,test_mean,test_max,epochs_to_85,epoch_seconds"))
        return false;
    printf("\n  %-10s %-24s %-14s %s\n", "activation", "test accuracy min-max", "epochs to 85%", "s/epoch");
    for (int k = 0; k < NKINDS; k++) {
        Arm *a = &arms[k];
        for (int e = 0; e < cfg->epochs; e++) {
            double v[3] = {0}, t[3] = {0};
            for (int s = 0; s < cfg->seeds; s++) v[s] = a->val[s][e], t[s] = a->elapsed[s][e];
            csv_row(&bands, "sdffff", act_name(KINDS[k]), e + 1, band_min(v, cfg->seeds), mean(v, cfg->seeds),
                    band_max(v, cfg->seeds), mean(t, cfg->seeds));
        }
        /* epochs to 85%: the mean over seeds that reached it; "never" if a seed did not */
        double reach = 0;
        bool all = true;
        for (int s = 0; s < cfg->seeds; s++) all = all && a->reached[s] > 0, reach += a->reached[s];
        double per_epoch = 0;   /* seconds per epoch, averaged over seeds (it includes evaluation) */
        for (int s = 0; s < cfg->seeds; s++) per_epoch += a->elapsed[s][cfg->epochs - 1] / cfg->epochs / cfg->seeds;
        char reached[32];
        if (all) snprintf(reached, sizeof reached, "%.1f", reach / cfg->seeds);
        else snprintf(reached, sizeof reached, "never");
        csv_row(&table, "sfffsf", act_name(KINDS[k]), band_min(a->test, cfg->seeds), mean(a->test, cfg->seeds),
                band_max(a->test, cfg->seeds), reached, per_epoch);
        printf("  %-10s %.4f - %.4f            %-14s %.2f\n", act_name(KINDS[k]), band_min(a->test, cfg->seeds),
               band_max(a->test, cfg->seeds), reached, per_epoch);
        char key[64];
        snprintf(key, sizeof key, "%s_test_acc", act_name(KINDS[k]));
        results_num(&lab->results, key, mean(a->test, cfg->seeds));
        snprintf(key, sizeof key, "%s_test_acc_min", act_name(KINDS[k]));
        results_num(&lab->results, key, band_min(a->test, cfg->seeds));
        snprintf(key, sizeof key, "%s_test_acc_max", act_name(KINDS[k]));
        results_num(&lab->results, key, band_max(a->test, cfg->seeds));
    }
    if (!csv_close(&bands) || !csv_close(&table)) return false;

    /* Which activation wins is decided by the bands: A beats B only when A's worst seed is above
     * B's best. We report the best activation by mean and whether its band clears sigmoid's. */
    int best = 0;
    for (int k = 1; k < NKINDS; k++)
        if (mean(arms[k].test, cfg->seeds) > mean(arms[best].test, cfg->seeds)) best = k;
    results_str(&lab->results, "best_activation", act_name(KINDS[best]));
    double margin = band_min(arms[best].test, cfg->seeds) - band_max(arms[0].test, cfg->seeds);
    results_num(&lab->results, "best_vs_sigmoid_margin", margin);
    char text[256];
    snprintf(text, sizeof text,
             "the best activation by mean test accuracy, %s, beats sigmoid: its worst seed is above sigmoid's best "
             "[the margin between the bands]", act_name(KINDS[best]));
    claims_add(&lab->claims, "best_beats_sigmoid", best != 0 && margin > 0, margin, text);
    return true;
}

/** ## Vanishing gradients, measured
 *
 * Now the deep nets: 10 and 20 hidden layers of width 128, each activation with its customary
 * initializer. For one batch of 256 training images we run forward and backward and record, for
 * every Linear layer, the root-mean-square of its weight gradient — first at initialization, then
 * after some steps of training. If the first layer's gradient is a thousand times smaller than the
 * last layer's, then under plain SGD, whose step is the learning rate times the gradient, the
 * first layers barely move: the network learns only at its top. Adam, which trains the nets of
 * this chapter, divides each parameter's step by a running root-mean-square of that parameter's
 * own gradients, so it undoes a moderate shrinkage; but a gradient far below Adam's
 * $\epsilon = 10^{-8}$ gives a step proportional to the gradient again. The ratio goes
 * into `results.csv`, taken between the first and the last *hidden-to-hidden* layer (both
 * 128x128), so that the different shapes of the input layer (784 inputs) and the output layer
 * (10 outputs) do not enter it; the figure shows the whole profile.
 */
static void grad_profile(Net *net, const real *x, const int *y, int n, TrainBuffers *b, double *rms, int *nlin) {
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

static bool section_gradients(Lab *lab, const Config *cfg, const Subset *tr, TrainBuffers *b) {
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "gradient_norms.csv", path, sizeof path),
                  "activation,depth,phase,layer,grad_rms"))
        return false;
    enum { NB = 256 };
    real *x = nn_calloc((size_t)NB * 784, sizeof(real));
    int y[NB];
    dataset_batch(tr->data, tr->idx, NB, x, y);
    const int depths[2] = {10, 20};
    printf("\n  %-10s %-8s %-22s %s\n", "activation", "layers", "first/last at init", "after training");
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
            grad_profile(&net, x, y, NB, b, rms[0], &nlin);
            /* some steps of Adam on the training set, then measure again */
            train_steps(&net, tr, optim_defaults(OPT_ADAM), cfg->grad_steps, BATCH, b, &rng);
            grad_profile(&net, x, y, NB, b, rms[1], &nlin);
            for (int p = 0; p < 2; p++)
                for (int l = 0; l < nlin; l++)
                    csv_row(&csv, "sdsdg", act_name(KINDS[k]), depths[d], p ? "trained" : "init", l + 1, rms[p][l]);
            /* layers 2 .. nlin-1 are the 128x128 ones: compare the first and the last of them */
            double r0 = rms[0][1] / rms[0][nlin - 2], r1 = rms[1][1] / rms[1][nlin - 2];
            printf("  %-10s %-8d %-22.3g %.3g\n", act_name(KINDS[k]), depths[d], r0, r1);
            char key[64];
            snprintf(key, sizeof key, "%s_%d_ratio_init", act_name(KINDS[k]), depths[d]);
            results_num(&lab->results, key, r0);
            snprintf(key, sizeof key, "%s_%d_ratio_trained", act_name(KINDS[k]), depths[d]);
            results_num(&lab->results, key, r1);
            if (depths[d] == 20 && KINDS[k] == ACT_SIGMOID)
                claims_add(&lab->claims, "sigmoid_vanishes", r0 < 1e-3, r0,
                           "in the 20-layer sigmoid net the first layer's gradient is more than 1000 times smaller "
                           "than the last layer's at initialization [the ratio first/last]");
            if (depths[d] == 20 && KINDS[k] == ACT_RELU)
                claims_add(&lab->claims, "relu_keeps_gradient", r0 > 0.1 && r0 < 10, r0,
                           "in the 20-layer ReLU net with He initialization the first and last layers' gradients "
                           "stay within a factor 10 of each other [the ratio first/last]");
            net_free(&net);
        }
    free(x);
    if (!csv_close(&csv)) return false;
    return true;
}

/** ## Dead ReLUs
 *
 * A ReLU unit whose pre-activation is negative for every input outputs zero, gets zero gradient,
 * and never recovers: it is dead. Large updates can push a unit there. We train the 784-256-128-10
 * net with ReLU and with LeakyReLU at a modest (Adam $10^{-3}$) and a high ($10^{-2}$) learning rate,
 * three seeds each, and count the hidden units whose pre-activation is $\le 0$ for every image of
 * the validation set. A LeakyReLU unit in that state still passes $0.01$ of its gradient, so it
 * can come back; a ReLU unit cannot.
 */
static double dead_fraction(Net *net, const Subset *val, TrainBuffers *b) {
    /* ever_active[u] over the hidden units of both activation layers */
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
                for (int u = 0; u < l->out; u++) ever[offset + u] |= l->x[(size_t)n * l->out + u] > 0;
            offset += l->out;
        }
    }
    int dead = 0;
    for (int u = 0; u < 256 + 128; u++) dead += !ever[u];
    return dead / (double)(256 + 128);
}

static bool section_dead(Lab *lab, const Config *cfg, const Subset *tr, const Subset *val, TrainBuffers *b) {
    const ActKind kinds[2] = {ACT_RELU, ACT_LEAKY_RELU};
    const real lrs[2] = {R(1e-3), R(1e-2)};
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "dead_units.csv", path, sizeof path), "activation,lr,seed,dead_fraction,val_acc"))
        return false;
    double frac[2][2][3];
    printf("\n  %-10s %-8s %s\n", "activation", "lr", "never-positive units (per seed)");
    for (int k = 0; k < 2; k++)
        for (int l = 0; l < 2; l++) {
            printf("  %-10s %-8g", act_name(kinds[k]), (double)lrs[l]);
            for (int s = 0; s < cfg->seeds; s++) {
                Rng rng;
                rng_init(&rng, lab->seed * 1000 + 500 + (uint64_t)s);
                Net net;
                build(&net, "784-256-128-10", kinds[k], &rng);
                OptConfig opt = optim_defaults(OPT_ADAM);
                opt.lr = lrs[l];
                char name[64];
                snprintf(name, sizeof name, "%s lr %g seed %d", act_name(kinds[k]), (double)lrs[l], s);
                TrainConfig tc = {.name = name, .epochs = cfg->dead_epochs, .batch = BATCH, .opt = opt,
                                  .sched = schedule_constant(lrs[l])};
                TrainResult r;
                if (!train_classifier(&net, tr, val, &tc, b, &rng, &r)) return false;
                frac[k][l][s] = r.diverged ? NAN : dead_fraction(&net, val, b);
                csv_row(&csv, "sgdff", act_name(kinds[k]), (double)lrs[l], s, frac[k][l][s], r.final_val_acc);
                printf(" %5.1f%%", 100 * frac[k][l][s]);
                net_free(&net);
            }
            printf("\n");
        }
    if (!csv_close(&csv)) return false;
    double relu_low = mean(frac[0][0], cfg->seeds), relu_high = mean(frac[0][1], cfg->seeds);
    double leaky_high = mean(frac[1][1], cfg->seeds);
    results_num(&lab->results, "relu_dead_low_lr", relu_low);
    results_num(&lab->results, "relu_dead_high_lr", relu_high);
    results_num(&lab->results, "leaky_dead_high_lr", leaky_high);
    results_num(&lab->results, "leaky_dead_low_lr", mean(frac[1][0], cfg->seeds));
    claims_add(&lab->claims, "high_lr_kills_relus", band_min(frac[0][1], cfg->seeds) > band_max(frac[0][0], cfg->seeds),
               relu_high, "every ReLU run at the high learning rate ends with more never-active units than every run "
               "at the modest one [the mean fraction at the high rate]");
    return true;
}


/** ## Putting it together */
static int run_lab(Lab *lab) {
    const Config *cfg = lab->quick ? &QUICK : &FULL;
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
    TrainBuffers b;
    trainbuf_init(&b, EVAL, 784, CLASSES);

    printf("\n1. Shapes\n");
    if (!section_shapes(lab)) return 1;
    printf("\n2. Same net, six activations: %d epochs on %d images, %d seeds each\n", cfg->epochs, cfg->train_n,
           cfg->seeds);
    static Arm arms[NKINDS];
    if (!section_compare(lab, cfg, &tr, &val, &test, &b, arms)) return 1;
    printf("\n3. Gradient norms through 10 and 20 hidden layers\n");
    if (!section_gradients(lab, cfg, &tr, &b)) return 1;
    printf("\n4. Dead units: ReLU vs LeakyReLU at two learning rates\n");
    if (!section_dead(lab, cfg, &tr, &val, &b)) return 1;
    results_int(&lab->results, "epochs", cfg->epochs);
    results_int(&lab->results, "train_images", cfg->train_n);
    results_int(&lab->results, "seeds", cfg->seeds);

    trainbuf_free(&b);
    subset_free(&rest), subset_free(&val), subset_free(&test);
    dataset_free(&train), dataset_free(&test_set);
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

/** ## Results
 *
 * **Shapes.** @fig:lab02-shapes draws the six functions and their derivatives as the library
 * computes them. Every derivative agrees with a central difference of its function to
 * {{lab02:derivative_max_error}}. The sigmoid's derivative never exceeds 1/4; tanh's reaches 1 at
 * the origin but, like the sigmoid's, falls to zero on both sides. ReLU's and LeakyReLU's
 * derivative is exactly 1 for every positive input; GELU's and SiLU's tend to 1 for large inputs
 * but overshoot it on the way, to {{lab02:gelu_dmax|g3}} (GELU, at $x$ = {{lab02:gelu_dmax_at|g2}})
 * and {{lab02:silu_dmax|g3}} (SiLU, at $x$ = {{lab02:silu_dmax_at|g2}}), and near zero both are about
 * 1/2. Exact and approximate GELU differ by at most {{lab02:gelu_gap_max}}, at
 * $|x|$ = {{lab02:gelu_gap_at|g2}}.
 *
 * ![The six activations (top) and their derivatives (bottom), computed by `act_forward` and
 * `act_backward`: sigmoid and tanh on the left, the ReLU family on the right (its functions on a
 * narrower range; LeakyReLU's slope of 0.01 below zero is too small to see at this
 * scale).](lab02_shapes){#fig:lab02-shapes}
 *
 * **Same net, six activations.** @fig:lab02-bands shows validation accuracy per epoch, the band
 * spanning the {{lab02:seeds}} seeds of each activation, and the same curves against training
 * time. @tbl:lab02-table gives the test accuracies ({{lab02:epochs}} epochs on
 * {{lab02:train_images}} images), the epochs each needed to reach 85% validation accuracy, and the
 * seconds per epoch — the price of `exp` and `erf`.
 *
 * ![Validation accuracy of the same 784-256-128-10 net with six activations: per epoch, with the
 * min-max band over seeds (left), and against training time (right).](lab02_bands){#fig:lab02-bands}
 *
 * ```{.csv-table #tbl:lab02-table file="lab02/activation_table.csv"
 *    header="Activation,Test acc. (min),Test acc. (mean),Test acc. (max),Epochs to 85%,Seconds per epoch"
 *    digits="3" caption="Six activations on Fashion-MNIST, three seeds each."}
 * ```
 *
 * **Vanishing gradients.** @fig:lab02-gradients shows the gradient of every layer of the
 * 20-layer nets. At initialization the sigmoid net's first hidden-to-hidden layer gets
 * {{lab02:sigmoid_20_ratio_init|sci}} times the gradient of the last one (10 layers:
 * {{lab02:sigmoid_10_ratio_init|sci}}), and training does not repair it
 * ({{lab02:sigmoid_20_ratio_trained|sci}}). The same ratio is {{lab02:relu_20_ratio_init|g3}} for
 * ReLU, {{lab02:tanh_20_ratio_init|g3}} for tanh and {{lab02:gelu_20_ratio_init|g3}} for GELU.
 * The SiLU net's gradients start far below the others' in every layer — its first-to-last
 * ratio, {{lab02:silu_20_ratio_init|g3}}, is healthy, but the whole profile sits low. He
 * initialization is derived for ReLU, which keeps half of a unit-variance input's second moment;
 * SiLU keeps only {{lab02:silu_second_moment|g2}} of it, GELU {{lab02:gelu_second_moment|g2}}.
 * Compounded over 20 layers, SiLU's signal shrinks on the way up and its gradient on the way down,
 * and each weight gradient, the product of a layer's input and the gradient arriving from above,
 * carries both losses; GELU loses less and sits only a little below ReLU.
 *
 * ![RMS weight gradient of every Linear layer of the 20-layer nets, at initialization (left) and
 * after training (right), log scale.](lab02_gradients){#fig:lab02-gradients}
 *
 * **Dead units.** At Adam's modest rate {{lab02:relu_dead_low_lr|pct}} of the ReLU units never turn
 * on over the whole validation set; at the high rate {{lab02:relu_dead_high_lr|pct}} do. For LeakyReLU
 * the same fractions are {{lab02:leaky_dead_low_lr|pct}} and {{lab02:leaky_dead_high_lr|pct}}, but such a
 * unit still passes 1% of its gradient, so it is not stuck for good. @tbl:lab02-dead lists every
 * run.
 *
 * ```{.csv-table #tbl:lab02-dead file="lab02/dead_units.csv"
 *    header="Activation,Learning rate,Seed,Never-active fraction,Validation acc." digits="3"
 *    caption="Hidden units whose pre-activation is never positive on the validation set."}
 * ```
 *
 * ::: {.claims lab="lab02"}
 * :::
 *
 * **Recommendations.** Start with ReLU (or LeakyReLU) and He initialization: it keeps its
 * gradients through depth, and @tbl:lab02-table shows what it costs per epoch next to GELU and
 * SiLU. Whether the smoother GELU and SiLU buy accuracy on a given problem is for bands like those
 * of @fig:lab02-bands to say: this chapter claims only what separated. Avoid the sigmoid in the
 * hidden layers of a deep net: its gradients vanish. If many units die, lower the learning rate
 * or switch to LeakyReLU.
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
 * | `act_silu_backward` | $dx = dy\,s(x)(1 + x(1 - s(x)))$ | the product rule on $x\,s(x)$ |
 *
 * **Questions to think about**, each with the run that answers it:
 *
 * 1. Which activations lose their gradient through depth? `make lab02 QUICK=1` draws the profiles;
 *    try `ARGS="--seed 3"` to see whether the order holds.
 * 2. Why can the sigmoid and tanh derivatives use the output y, while GELU and SiLU need the input x?
 * 3. Swap the GELU exercise for the derivative of its tanh approximation: `make grade
 *    EX=act_gelu_backward` says how far apart the two are.
 */
