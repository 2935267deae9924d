/** # From one neuron to universal approximation {#sec:lab00}
 *
 * **Question.** What can one artificial neuron learn, what can it never learn, and what does a
 * layer of them — with a nonlinearity between the layers — buy?
 *
 * A neuron takes inputs $x \in \mathbb{R}^D$, forms a weighted sum and passes it through a
 * function $f$:
 * $$z = w \cdot x + b, \qquad a = f(z).$$
 * With a step for $f$ it is Rosenblatt's perceptron [@rosenblatt1958perceptron]; with the
 * sigmoid $\sigma(z) = 1/(1+e^{-z})$ it is logistic regression. Either way the boundary between
 * "yes" and "no", the set $w \cdot x + b = 0$, is a straight line (a hyperplane in $D$
 * dimensions). This chapter measures what follows from that, in five steps: a single neuron on a
 * set a line can split and on XOR, which no line splits; a deep stack of Linear layers *without*
 * a nonlinearity, which is still one line; one hidden layer fitting $\sin 3x$ as it widens, the
 * universal approximation theorem in action [@cybenko1989approximation; @hornik1991approximation];
 * which output unit and loss go with which task; and a loss of our own, the Huber loss
 * [@huber1964robust], against outliers.
 *
 * Everything here runs in seconds on synthetic data, seeded: 2-D points for classification and
 * $y = \sin 3x + \varepsilon$ for regression. Lab 1 picks up where this chapter stops, with a
 * multi-layer perceptron on real images.
 */
/* @fold the headers, and Config: the sizes of the experiment in full and quick mode */
#include <string.h>

#include "data.h"
#include "nnlab.h"

/* The two sizes of the experiment: --quick (tests, make lab00 QUICK=1) and full. */
typedef struct {
    int separable_n;     /* points in the linearly separable set */
    int neuron_steps;    /* gradient-descent steps of the logistic neuron */
    int xor_epochs;      /* perceptron epochs on XOR (4 points each) */
    int xor_steps;       /* logistic-neuron and hidden-layer steps on XOR */
    int lines;           /* random lines tried on XOR */
    int depth_train;     /* training points per set in section 2 (the test set has 1,000) */
    int depth_steps;
    int uat_train;       /* samples of sin 3x in section 3 */
    int uat_steps;
    int uat_widest;      /* the widths run are 1, 2, 4, 8, 16, 64, 256 up to this one */
    int huber_train;     /* samples in section 5, 10% of them corrupted */
    int huber_steps;
} Config;

static const Config FULL = {.separable_n = 200, .neuron_steps = 2000, .xor_epochs = 1000, .xor_steps = 4000,
                            .lines = 100000, .depth_train = 400, .depth_steps = 1500, .uat_train = 256,
                            .uat_steps = 1500, .uat_widest = 256, .huber_train = 256, .huber_steps = 1500};
static const Config QUICK = {.separable_n = 200, .neuron_steps = 2000, .xor_epochs = 200, .xor_steps = 2000,
                             .lines = 20000, .depth_train = 300, .depth_steps = 1000, .uat_train = 256,
                             .uat_steps = 2000, .uat_widest = 64, .huber_train = 128, .huber_steps = 1500};
/* @end */

enum { D = 2, SEEDS = 3, MAX_BATCH = 1024, TEST_N = 1000 };

/* @fold stream(): each section and seed draws from its own random stream */
/* Each section and seed draws from its own stream, so changing one section changes no other. */
static uint64_t stream(const Lab *lab, int section, int seed) {
    return lab->seed * 1000 + (uint64_t)(section * 100 + seed);
}
/* @end */

/** ## One neuron
 *
 * The first data set is linearly separable by construction: points uniform in $[-1, 1]^2$,
 * labelled by the side of the line $0.8 x_1 + 0.6 x_2 = 0.1$ they fall on, with every point
 * closer than 0.1 to that line redrawn — so some line separates the classes with a margin of at
 * least 0.1. The set has {{lab00:separable_n|int}} points.
 *
 * **The perceptron.** Rosenblatt's rule visits the points in turn and, for each one on the wrong
 * side of the current line (or on it), moves the line towards it:
 * $$w \leftarrow w + t\,x, \qquad b \leftarrow b + t, \qquad t = \pm 1 \text{ the point's class}.$$
 * There is no loss and no learning rate. Novikoff's theorem [@novikoff1962convergence] says
 * that on a set separable with margin $\gamma$ the rule stops after at most $(R/\gamma)^2$
 * mistakes, where $R$ bounds the length of the inputs (with the constant 1 that multiplies $b$
 * appended). We count the mistakes and compute the bound from the data.
 */
static const double TRUE_W[D] = {0.8, 0.6}, TRUE_C = 0.1, MARGIN = 0.1;

/* @fold make_separable(): N points uniform in [-1, 1]^2, classed by the line, none within MARGIN */
/* x: [N, D] uniform in [-1,1]^2, y: [N] in {0, 1} by the side of TRUE_W . x = TRUE_C */
static void make_separable(real *x, int *y, int N, Rng *rng) {
    for (int n = 0; n < N; n++) {
        double a, b, m;
        do {
            a = rng_uniform_range(rng, -1, 1), b = rng_uniform_range(rng, -1, 1);
            m = TRUE_W[0] * a + TRUE_W[1] * b - TRUE_C;
        } while (fabs(m) < MARGIN);
        x[n * D] = (real)a, x[n * D + 1] = (real)b;
        y[n] = m > 0;
    }
}
/* @end */

/* The four XOR points (0,0) (0,1) (1,0) (1,1) with classes 0 1 1 0. */
static void make_xor(real *x, int *y) {
    for (int n = 0; n < 4; n++) x[n * D] = (real)(n >> 1), x[n * D + 1] = (real)(n & 1), y[n] = (n >> 1) ^ (n & 1);
}

/* A neuron's pre-activation z = w . x + b; it answers class 1 when z > 0. */
static real neuron(const real *w, real b, const real *x) { return w[0] * x[0] + w[1] * x[1] + b; }

/* @fold neuron_accuracy(): the share of the N points x on their class's side of the line */
static double neuron_accuracy(const real *w, real b, const real *x, const int *y, int N) {
    int correct = 0;
    for (int n = 0; n < N; n++) correct += (neuron(w, b, x + n * D) > 0) == (y[n] == 1);
    return (double)correct / N;
}
/* @end */

typedef struct {
    real w[D], b;
    int updates, epochs;
    bool converged;          /* an epoch without a mistake */
    double best_acc;         /* the best accuracy after any update */
    real best_w[D], best_b;  /* the line that had it */
} Perceptron;

static Perceptron perceptron_train(const real *x, const int *y, int N, int max_epochs) {
    Perceptron p = {0};
    p.best_acc = neuron_accuracy(p.w, p.b, x, y, N);
    for (int epoch = 1; epoch <= max_epochs && !p.converged; epoch++) {
        int mistakes = 0;
        for (int n = 0; n < N; n++) {
            const real *xn = x + n * D;
            real t = y[n] ? R(1) : R(-1);
            if (t * neuron(p.w, p.b, xn) > 0) continue;   /* right side: leave the line alone */
            p.w[0] += t * xn[0], p.w[1] += t * xn[1], p.b += t;
            p.updates++, mistakes++;
            /* @fold keeps the best accuracy so far and its line (on XOR the rule never stops) */
            double acc = neuron_accuracy(p.w, p.b, x, y, N);
            if (acc > p.best_acc) p.best_acc = acc, memcpy(p.best_w, p.w, sizeof p.w), p.best_b = p.b;
            /* @end */
        }
        p.epochs = epoch;
        p.converged = mistakes == 0;
    }
    return p;
}

/** Why the rule stops. Write $\tilde x_n = (x_n, 1)$ and $\tilde w = (w, b)$, so that the
 * update is $\tilde w \leftarrow \tilde w + t_n \tilde x_n$, and let $u$ be a unit vector that
 * separates the set with margin $\gamma$: $t_n\, u \cdot \tilde x_n \ge \gamma$ for every $n$,
 * and $\lVert \tilde x_n \rVert \le R$. Starting from $\tilde w = 0$, each mistake moves
 * $\tilde w$ at least $\gamma$ further along $u$, while its squared length grows by at most $R^2$,
 * because a mistake means $t_n\, \tilde w \cdot \tilde x_n \le 0$:
 * $$u \cdot \tilde w \;\text{grows by}\; t_n\, u \cdot \tilde x_n \ge \gamma, \qquad
 *   \lVert \tilde w \rVert^2 \;\text{grows by}\; 2\, t_n\, \tilde w \cdot \tilde x_n + \lVert \tilde x_n \rVert^2 \le R^2 .$$
 * After $k$ mistakes, $k\gamma \le u \cdot \tilde w \le \lVert \tilde w \rVert \le \sqrt{k}\,R$,
 * so $k \le (R/\gamma)^2$. `novikoff_bound` computes $\gamma$ and $R$ for the direction we built
 * the set from (any separating $u$ gives a valid bound; this one is known):
 */

/* Novikoff's bound (R/gamma)^2 for the data, with the separating direction we built the set
 * from: u = (TRUE_W, -TRUE_C) / |.|, gamma = min_n t_n u . (x_n, 1), R = max_n |(x_n, 1)|. */
static double novikoff_bound(const real *x, const int *y, int N) {
    double norm = sqrt(TRUE_W[0] * TRUE_W[0] + TRUE_W[1] * TRUE_W[1] + TRUE_C * TRUE_C);
    double gamma = INFINITY, r = 0;
    for (int n = 0; n < N; n++) {
        double a = x[n * D], b = x[n * D + 1], t = y[n] ? 1 : -1;
        gamma = fmin(gamma, t * (TRUE_W[0] * a + TRUE_W[1] * b - TRUE_C) / norm);
        r = fmax(r, sqrt(a * a + b * b + 1));
    }
    return (r / gamma) * (r / gamma);
}

/** **The logistic neuron.** Replace the step by the sigmoid and the rule by gradient descent on
 * the binary cross-entropy, $L = -\frac1N \sum_n \left[t_n \log \sigma(z_n) + (1-t_n)\log(1 -
 * \sigma(z_n))\right]$ with $t_n \in \{0, 1\}$. Its gradient with respect to each logit is
 * simply $dz_n = \partial L / \partial z_n = (\sigma(z_n) - t_n)/N$ (section 4 derives it and
 * prints the library's code, `bce_logits_forward` and `bce_logits_backward` in `common/loss.c`).
 * Each weight reaches the loss through every $z_n = w \cdot x_n + b$, so the chain rule sums over
 * the points:
 * $$\frac{\partial L}{\partial w} = \sum_n dz_n\, x_n, \qquad
 *   \frac{\partial L}{\partial b} = \sum_n dz_n, \qquad
 *   w \leftarrow w - \mathrm{lr}\,\frac{\partial L}{\partial w}, \quad b \leftarrow b - \mathrm{lr}\,\frac{\partial L}{\partial b}.$$
 * That is the whole backward pass of one neuron, and the loop below is forward (`z`), loss,
 * backward (`dz`, then `dw` and `db`), step, repeated {{lab00:neuron_steps|int}} times on the
 * separable set from $w = 0$, $b = 0$ at learning rate 2.
 */
typedef struct {
    real w[D], b;
    double loss, acc, best_acc;
} Logistic;

static Logistic logistic_train(const real *x, const int *y, int N, int steps, real lr, const real *w0, real b0) {
    /* @fold z, dz [N]: the logits and their gradient; t [N]: the targets as reals */
    real *z = nn_calloc((size_t)N, sizeof(real)), *dz = nn_calloc((size_t)N, sizeof(real));
    real *t = nn_calloc((size_t)N, sizeof(real));   /* [N] targets as reals */
    for (int n = 0; n < N; n++) t[n] = (real)y[n];
    /* @end */
    Logistic m = {.w = {w0[0], w0[1]}, .b = b0};
    m.best_acc = neuron_accuracy(m.w, m.b, x, y, N);
    for (int step = 0; step < steps; step++) {
        for (int n = 0; n < N; n++) z[n] = neuron(m.w, m.b, x + n * D);
        m.loss = bce_logits_forward(z, t, (size_t)N);
        bce_logits_backward(dz, z, t, (size_t)N);
        /* fwd: z_n = w . x_n + b  ->  dw = sum_n dz_n x_n,  db = sum_n dz_n */
        real dw[D] = {0, 0}, db = 0;
        for (int n = 0; n < N; n++) dw[0] += dz[n] * x[n * D], dw[1] += dz[n] * x[n * D + 1], db += dz[n];
        m.w[0] -= lr * dw[0], m.w[1] -= lr * dw[1], m.b -= lr * db;
        m.best_acc = fmax(m.best_acc, neuron_accuracy(m.w, m.b, x, y, N));
    }
    m.acc = neuron_accuracy(m.w, m.b, x, y, N);
    /* @fold frees */
    free(z), free(dz), free(t);
    /* @end */
    return m;
}

/** **XOR.** Four points, $(0,0), (1,1)$ in class 0 and $(0,1), (1,0)$ in class 1. A line through
 * the square can put at most three of them on their correct sides, so no single neuron can
 * exceed 75% — however it is trained. We do not take that on trust: we run the perceptron for
 * many epochs, the logistic neuron from three random starts ({{lab00:xor_steps|int}} steps each),
 * and a brute-force search over random lines, and record the best accuracy any of them ever
 * reaches.
 *
 * **One hidden layer** of a few units removes the limit: the hidden units draw several lines,
 * and the output unit combines their verdicts. The network below is 2-4-1, tanh in the hidden
 * layer and one sigmoid output unit, trained with Adam on the same binary cross-entropy. From
 * here on networks are the library's `Net` (`common/net.c`): an array of layers, each with its
 * own forward and backward function. `net_forward` hands each layer the previous layer's output;
 * `net_backward` walks the layers from the last to the first, and each layer's input gradient
 * `dx` becomes the upstream gradient `dy` of the layer below — the chain rule, one layer at a
 * time. The kinds of layer this chapter does not use (dropout, normalization, residual
 * connections) and the timing lines belong to later chapters; Lab 1 derives the Linear layer's
 * pair.
 *
 * @include common/net.c:net_forward,net_backward
 *
 * Every net of this chapter trains with the same few lines of `train_net`: zero the gradients,
 * forward, loss, backward, step, on the whole training set at once (full batch), with Adam and a
 * learning rate that falls along a cosine. Only the loss changes between the tasks of this
 * chapter, and section 4 explains the choice.
 */
typedef enum { LOSS_BCE, LOSS_MSE, LOSS_HUBER } LossKind;

/* @fold net_predict(): the outputs of a 1-output net for x [N, in], in evaluation mode */
/* Outputs of a 1-output net for x [N, in], evaluation mode, in chunks of the net's max batch. */
static void net_predict(Net *net, const real *x, int N, real *out) {
    int in = net_in(net);
    for (int s = 0; s < N; s += net->max_batch) {
        int count = N - s < net->max_batch ? N - s : net->max_batch;
        const real *z = net_forward(net, x + (size_t)s * in, count, false, NULL);
        memcpy(out + s, z, (size_t)count * sizeof(real));
    }
}
/* @end */

/* Full-batch training of a net with one output on x [N, in], t [N]: Adam, the learning rate
 * falling from lr to lr/100 along a cosine. Returns the final training loss. */
static double train_net(Net *net, const real *x, const real *t, int N, LossKind loss, real delta, int steps,
                        real lr) {
    /* @fold Adam over the net's parameters, the cosine schedule, dz [N] for the loss gradient */
    CHECK(net_out(net) == 1 && N <= net->max_batch, "one output and N <= %d", net->max_batch);
    int np;
    Param *params = net_param_list(net, &np);
    Optimizer opt;
    OptConfig cfg = optim_defaults(OPT_ADAM);
    cfg.lr = lr;
    optim_init(&opt, cfg, params, np);
    Schedule sched = schedule_cosine(lr, steps, lr / 100);
    real *dz = nn_calloc((size_t)N, sizeof(real));   /* [N] the loss gradient */
    /* @end */
    double value = 0;
    for (int step = 0; step < steps; step++) {
        optim_zero_grad(&opt);
        const real *z = net_forward(net, x, N, true, NULL);   /* [N, 1] */
        switch (loss) {
        case LOSS_BCE: value = bce_logits_forward(z, t, N), bce_logits_backward(dz, z, t, N); break;
        case LOSS_MSE: value = mse_forward(z, t, N), mse_backward(dz, z, t, N); break;
        case LOSS_HUBER: value = huber_forward(z, t, N, delta), huber_backward(dz, z, t, N, delta); break;
        }
        net_backward(net, dz);
        optim_step(&opt, (real)schedule_lr(&sched, step));
    }
    /* @fold frees */
    free(dz);
    optim_free(&opt), free(params);
    /* @end */
    return value;
}

/* @fold binary_accuracy(): the share of x a one-logit net classifies right (class 1 when z > 0) */
/* Accuracy of a one-logit classifier: class 1 when z > 0. */
static double binary_accuracy(Net *net, const real *x, const int *y, int N, real *z) {
    net_predict(net, x, N, z);
    int correct = 0;
    for (int n = 0; n < N; n++) correct += (z[n] > 0) == (y[n] == 1);
    return (double)correct / N;
}
/* @end */

static void build_xor_net(Net *net, Rng *rng) {
    net_mlp(net, "2-4-1", act_make(ACT_TANH), init_make(INIT_XAVIER_NORMAL), init_make(INIT_XAVIER_UNIFORM),
            MAX_BATCH, rng);
}

/* @fold csv_line(): a line w . x + b = 0 clipped to a square, as two CSV rows of end points */
/* A line w . x + b = 0 clipped to the box [lo, hi]^2, as two end points (a row each). */
static void csv_line(Csv *csv, const char *panel, const char *kind, const real *w, real b, double lo, double hi) {
    double pts[4][2];
    int k = 0;
    double w0 = w[0], w1 = w[1];
    for (int side = 0; side < 2; side++) {
        double c = side ? hi : lo;
        if (fabs(w1) > 1e-12) {   /* x1 = c: x2 = -(w0 c + b)/w1 */
            double v = -(w0 * c + b) / w1;
            if (v >= lo && v <= hi && k < 4) pts[k][0] = c, pts[k][1] = v, k++;
        }
        if (fabs(w0) > 1e-12) {   /* x2 = c */
            double v = -(w1 * c + b) / w0;
            if (v >= lo && v <= hi && k < 4) pts[k][0] = v, pts[k][1] = c, k++;
        }
    }
    if (k < 2) return;   /* the line misses the box */
    csv_row(csv, "ssggd", panel, kind, pts[0][0], pts[0][1], 0);
    csv_row(csv, "ssggd", panel, kind, pts[k - 1][0], pts[k - 1][1], 0);
}
/* @end */

/** The section's experiment: the perceptron and the logistic neuron on the separable set; on
 * XOR, every single neuron we can train and the best of many random lines; then the 2-4-1 net
 * from three seeds. */
/* @fold NeuronResult: the numbers section 1 measures */
typedef struct {
    int perceptron_updates, perceptron_epochs;
    double perceptron_acc, bound, logistic_acc, logistic_loss;
    double xor_perceptron, xor_logistic, xor_lines, xor_hidden_min;
} NeuronResult;
/* @end */

static bool section_neuron(Lab *lab, const Config *cfg, NeuronResult *out) {
    /* @fold the separable set: x [N, D], y [N] */
    NeuronResult r = {0};
    Rng rng;
    rng_init(&rng, stream(lab, 1, 0));
    int N = cfg->separable_n;
    real *x = nn_calloc((size_t)N * D, sizeof(real));
    int *y = nn_calloc((size_t)N, sizeof(int));
    make_separable(x, y, N, &rng);
    /* @end */

    Perceptron p = perceptron_train(x, y, N, 1000);
    real zero[D] = {0, 0};
    Logistic lg = logistic_train(x, y, N, cfg->neuron_steps, R(2), zero, 0);
    /* @fold keeps the numbers and Novikoff's bound, prints them; the points and lines into neuron.csv */
    r.perceptron_updates = p.updates, r.perceptron_epochs = p.epochs;
    r.perceptron_acc = p.converged ? neuron_accuracy(p.w, p.b, x, y, N) : 0;
    r.bound = novikoff_bound(x, y, N);
    r.logistic_acc = lg.acc, r.logistic_loss = lg.loss;
    printf("  separable set, %d points\n", N);
    printf("    perceptron: %d mistakes corrected in %d epochs, accuracy %.1f%% (Novikoff's bound: %.0f)\n",
           p.updates, p.epochs, 100 * r.perceptron_acc, r.bound);
    printf("    logistic neuron: %d steps, loss %.4f, accuracy %.1f%%\n", cfg->neuron_steps, lg.loss, 100 * lg.acc);

    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "neuron.csv", path, sizeof path), "panel,kind,x1,x2,value")) return false;
    for (int n = 0; n < N; n++) csv_row(&csv, "ssggd", "separable", "point", (double)x[n * D], (double)x[n * D + 1], y[n]);
    csv_line(&csv, "separable", "perceptron", p.w, p.b, -1.05, 1.05);
    csv_line(&csv, "separable", "logistic", lg.w, lg.b, -1.05, 1.05);
    /* @end */

    /* XOR: every single neuron we can train, and random lines */
    real xx[4 * D];
    int xy[4];
    make_xor(xx, xy);
    Perceptron xp = perceptron_train(xx, xy, 4, cfg->xor_epochs);
    r.xor_perceptron = xp.best_acc;
    for (int s = 0; s < SEEDS; s++) {
        real w0[D] = {(real)rng_normal(&rng), (real)rng_normal(&rng)};
        Logistic xl = logistic_train(xx, xy, 4, cfg->xor_steps, R(0.5), w0, (real)rng_normal(&rng));
        r.xor_logistic = fmax(r.xor_logistic, xl.best_acc);
    }
    /* @fold r.xor_lines: the best of cfg->lines random lines (w, b standard normal), and that line */
    real line_w[D] = {0, 0}, line_b = 0;   /* the best random line, drawn in the figure */
    for (int i = 0; i < cfg->lines; i++) {
        real w[D] = {(real)rng_normal(&rng), (real)rng_normal(&rng)}, b = (real)rng_normal(&rng);
        double acc = neuron_accuracy(w, b, xx, xy, 4);
        if (acc > r.xor_lines) r.xor_lines = acc, memcpy(line_w, w, sizeof w), line_b = b;
    }
    /* @end */
    /* @fold prints the three; the XOR points and the best line into neuron.csv */
    printf("  XOR, best accuracy ever reached by one neuron:\n");
    printf("    perceptron, %d epochs: %.0f%%\n", cfg->xor_epochs, 100 * r.xor_perceptron);
    printf("    logistic neuron, %d random starts x %d steps: %.0f%%\n", SEEDS, cfg->xor_steps, 100 * r.xor_logistic);
    printf("    %d random lines: %.0f%%\n", cfg->lines, 100 * r.xor_lines);

    for (int n = 0; n < 4; n++) csv_row(&csv, "ssggd", "xor", "point", (double)xx[n * D], (double)xx[n * D + 1], xy[n]);
    csv_line(&csv, "xor", "best_line", line_w, line_b, -0.5, 1.5);
    /* @end */

    /* one hidden layer: 2-4-1, three seeds; the first seed's decision region goes into the figure */
    real t[4], z[4];
    for (int n = 0; n < 4; n++) t[n] = (real)xy[n];
    r.xor_hidden_min = 1;
    /* @fold opens neuron_grid.csv */
    Csv grid;
    if (!csv_open(&grid, lab_path(lab, "neuron_grid.csv", path, sizeof path), "x1,x2,p")) return false;
    /* @end */
    for (int s = 0; s < SEEDS; s++) {
        Rng nr;
        rng_init(&nr, stream(lab, 1, 10 + s));
        Net net;
        build_xor_net(&net, &nr);
        double loss = train_net(&net, xx, t, 4, LOSS_BCE, 0, cfg->xor_steps, R(0.05));
        double acc = binary_accuracy(&net, xx, xy, 4, z);
        r.xor_hidden_min = fmin(r.xor_hidden_min, acc);
        /* @fold prints the run; the first seed's P(class 1) on an 81 x 81 grid, into neuron_grid.csv */
        printf("    2-4-1 tanh net, seed %d: loss %.2e, accuracy %.0f%%\n", s, loss, 100 * acc);
        if (s == 0) {
            enum { G = 81 };
            real gx[G * D], gz[G];
            for (int j = 0; j < G; j++) {
                for (int i = 0; i < G; i++) gx[i * D] = (real)(-0.5 + 2.0 * i / (G - 1)), gx[i * D + 1] = (real)(-0.5 + 2.0 * j / (G - 1));
                net_predict(&net, gx, G, gz);
                for (int i = 0; i < G; i++) csv_row(&grid, "ggf", (double)gx[i * D], (double)gx[i * D + 1], (double)sigmoid_stable(gz[i]));
            }
        }
        /* @end */
        net_free(&net);
    }
    /* @fold closes the files, frees */
    if (!csv_close(&csv) || !csv_close(&grid)) return false;
    free(x), free(y);
    /* @end */
    *out = r;
    return true;
}

/** **Measured.** On the separable set (@fig:lab00-neuron, left) the perceptron stops after
 * {{lab00:perceptron_epochs}} passes, having corrected {{lab00:perceptron_updates}} mistakes —
 * Novikoff's bound for this data is {{lab00:novikoff_bound|int}} — with every point on its side.
 * The logistic neuron separates the set as well ({{lab00:logistic_neuron_acc}}) and puts its line
 * in a different place: the perceptron stops at the first line that makes no mistake, while the
 * cross-entropy keeps pushing the line away from the points nearest to it.
 *
 * On XOR (@fig:lab00-neuron, right) the best accuracy any single neuron ever reached was
 * {{lab00:xor_perceptron_best_acc}} for the perceptron over {{lab00:xor_epochs}} epochs,
 * {{lab00:xor_logistic_best_acc}} for the logistic neuron, and {{lab00:xor_lines_best_acc}} for the
 * best of {{lab00:xor_lines}} random lines: three of four, never four. The 2-4-1 net gets all four
 * ({{lab00:xor_hidden_acc}} for its worst seed); its decision region, shaded, is a diagonal band
 * between two boundaries, which no single line can draw.
 *
 * ![One neuron. Left: the separable set (blue circles class 0, orange dots class 1) with the
 * perceptron's and the logistic neuron's lines. Right: XOR, with the best of the random lines
 * (three of four right) over the decision region of a 2-4-1 tanh net, shaded by its probability of
 * class 1.](lab00_neuron){#fig:lab00-neuron}
 */

/** ## Depth without a nonlinearity is one matrix
 *
 * Stack five Linear layers with nothing between them:
 * $$z = W_5(W_4(W_3(W_2(W_1 x + b_1) + b_2) + b_3) + b_4) + b_5 = \underbrace{W_5 W_4 W_3 W_2 W_1}_{A}\,x
 *   + \underbrace{W_5 W_4 W_3 W_2 b_1 + \dots + b_5}_{a}.$$
 * However many layers, the network computes $Ax + a$: one Linear layer, one line as its
 * decision boundary. Its extra parameters change how gradient descent moves through the space of
 * lines, never which lines it can reach. We check both halves. `collapse` multiplies out the
 * layers of a trained identity-activation net (in double) and we compare $Ax + a$ with the net's
 * own output on every test point; then the net is trained on two sets a line cannot split — two
 * interleaved half-moons and a two-armed spiral (`common/data.c`) — next to plain logistic
 * regression (a 2-1 net) and the same five layers with ReLU between them. Same data
 * ({{lab00:depth_train|int}} training points per set), same Adam (learning rate 0.01, full batch,
 * {{lab00:depth_steps|int}} steps), three seeds each; accuracy is measured on 1,000 fresh points.
 * Logistic regression gets five times the steps: its loss is convex, so with enough steps it
 * reaches the best line it can — the fair mark for the identity net to beat.
 */
typedef enum { MODEL_LOGISTIC, MODEL_LINEAR5, MODEL_RELU5, NMODELS } Model;
/* @fold the models' names in the CSV files and the table */
static const char *const MODEL_NAMES[NMODELS] = {"logistic", "linear5", "relu5"};
static const char *const MODEL_LABELS[NMODELS] = {"logistic regression (2-1)", "5 Linear layers, no activation",
                                                  "5 Linear layers with ReLU"};
/* @end */

static void build_model(Net *net, Model m, Rng *rng) {
    Init out = init_make(INIT_XAVIER_UNIFORM);
    if (m == MODEL_LOGISTIC) net_mlp(net, "2-1", act_make(ACT_IDENTITY), out, out, MAX_BATCH, rng);
    if (m == MODEL_LINEAR5)
        net_mlp(net, "2-16-16-16-16-1", act_make(ACT_IDENTITY), init_make(INIT_XAVIER_NORMAL), out, MAX_BATCH, rng);
    if (m == MODEL_RELU5)
        net_mlp(net, "2-16-16-16-16-1", act_make(ACT_RELU), init_make(INIT_HE_NORMAL), out, MAX_BATCH, rng);
}

/** `collapse` multiplies the layers out. After the first $k$ Linear layers the net computes
 * $A_k x + a_k$, starting from $A_0 = I$ and $a_0 = 0$; layer $k$ maps that to
 * $W_k (A_{k-1} x + a_{k-1}) + b_k$, so
 * $$A_k = W_k A_{k-1}, \qquad a_k = W_k a_{k-1} + b_k ,$$
 * and after the last layer $A = A_5$ and $a = a_5$. The products are taken in double, so that
 * the comparison measures the net's float rounding and not our own.
 */
/* The map of an identity-activation net, multiplied out: z = A x + a, A [out, in], a [out], in
 * double. Walks the Linear layers: A <- W A, a <- W a + b, starting from A = I, a = 0. */
enum { MAX_WIDTH = 64 };
static void collapse(const Net *net, double *A, double *a) {
    double cur[MAX_WIDTH * MAX_WIDTH], next[MAX_WIDTH * MAX_WIDTH];
    double vcur[MAX_WIDTH] = {0}, vnext[MAX_WIDTH];
    int in = net_in(net), rows = in;
    CHECK(in <= MAX_WIDTH, "input width %d", in);
    for (int i = 0; i < in * in; i++) cur[i] = i % (in + 1) == 0;   /* the identity */
    for (int k = 0; k < net->nlayers; k++) {
        const Layer *l = &net->layers[k];
        /* @fold skips the activations (checked to be identities); checks l is a Linear layer that fits */
        if (l->kind == LAYER_ACT) {
            CHECK(l->act.kind == ACT_IDENTITY, "collapse needs identity activations");
            continue;
        }
        CHECK(l->kind == LAYER_LINEAR && l->out <= MAX_WIDTH && l->in == rows, "a Linear layer of width <= %d",
              MAX_WIDTH);
        /* @end */
        const real *W = l->linear.W, *b = l->linear.b;   /* [out, in], [out] */
        for (int o = 0; o < l->out; o++) {
            vnext[o] = b ? (double)b[o] : 0;
            for (int i = 0; i < l->in; i++) vnext[o] += (double)W[o * l->in + i] * vcur[i];
            for (int j = 0; j < in; j++) {
                double s = 0;
                for (int i = 0; i < l->in; i++) s += (double)W[o * l->in + i] * cur[i * in + j];
                next[o * in + j] = s;
            }
        }
        rows = l->out;
        memcpy(cur, next, sizeof(double) * (size_t)rows * in);
        memcpy(vcur, vnext, sizeof(double) * (size_t)rows);
    }
    memcpy(A, cur, sizeof(double) * (size_t)rows * in);
    memcpy(a, vcur, sizeof(double) * (size_t)rows);
}

/* @fold collapse_error(): the largest |net(x) - (A x + a)|, relative to the largest |A x + a| */
/* The largest |net(x) - (A x + a)| over x [N, 2], relative to the largest |net(x)|. */
static double collapse_error(Net *net, const real *x, int N, real *z) {
    double A[MAX_WIDTH * D], a[MAX_WIDTH];
    collapse(net, A, a);
    net_predict(net, x, N, z);
    double worst = 0, scale = 0;
    for (int n = 0; n < N; n++) {
        double ref = A[0] * x[n * D] + A[1] * x[n * D + 1] + a[0];
        worst = fmax(worst, fabs((double)z[n] - ref));
        scale = fmax(scale, fabs(ref));
    }
    return worst / scale;
}
/* @end */

/** The two sets come from `common/data.c`. In the moons, class 0 is the upper half of the unit
 * circle and class 1 the lower half of a unit circle centred at $(1, 0.5)$, so that each hooks
 * into the other; in the spirals, arm $k$'s points move out from the centre (radius $r$ from 0 to
 * 1) while their angle turns by 4 radians, the two arms half a turn apart. Both add Gaussian
 * noise (standard deviation 0.15 here: to the points, or to the spirals' angle).
 *
 * @include common/data.c:synth_moons,synth_spiral
 */
enum { NSETS = 2 };
/* @fold make_set(): set 0 the moons, set 1 the spirals (common/data.c), noise 0.15 */
static const char *const SET_NAMES[NSETS] = {"moons", "spirals"};

static void make_set(Dataset *ds, int set, int n, Rng *rng) {
    if (set == 0) synth_moons(ds, n, 0.15, rng);
    else synth_spiral(ds, n / 2, 2, 0.15, rng);
}
/* @end */

/* @fold DepthResult (what section 2 measures) and DepthJobs (the runs' shared data) */
typedef struct {
    double acc[NSETS][NMODELS][SEEDS], train_acc[NSETS][NMODELS][SEEDS];
    double collapse[NSETS][SEEDS];   /* the identity net's largest relative difference from A x + a */
    double collapse_worst;
} DepthResult;

enum { GRID = 101 };   /* the decision regions are drawn on a GRID x GRID grid over [-1.1, 1.1]^2 */

/* The 18 runs (set x model x seed) are independent: parallel_run trains them side by side, each
 * writing only its own slots, so the results do not depend on the number of threads. */
typedef struct {
    const Config *cfg;
    const Lab *lab;
    Dataset tr[NSETS], te[NSETS];
    real *t[NSETS];                    /* [n] training labels as reals */
    real *grid;                        /* [GRID*GRID, D] */
    real *region[NMODELS];             /* [GRID*GRID] P(class 1) on the spirals, seed 0 */
    DepthResult *r;
} DepthJobs;
/* @end */

/** The comparison is 2 sets × 3 models × 3 seeds = 18 runs, independent of each other.
 * `depth_job` is one of them: build the model, train it, measure it on the training and the test
 * points, and for the identity net compare the net with its product matrix. `parallel_run`
 * (`common/parallel.c`) runs the jobs side by side on the machine's cores; each writes only its
 * own slots of the result, so the numbers do not depend on how many threads ran. Sections 3 and
 * 5 are organized the same way.
 */
static void depth_job(void *ctx, int job, int worker) {
    /* @fold the job's set, model and seed; tr, te its data; z [GRID * GRID] the net's outputs */
    (void)worker;
    DepthJobs *d = ctx;
    int set = job / (NMODELS * SEEDS), m = job / SEEDS % NMODELS, s = job % SEEDS;
    const Dataset *tr = &d->tr[set], *te = &d->te[set];
    real *z = nn_calloc(GRID * GRID, sizeof(real));   /* the net's outputs */
    /* @end */
    Rng rng;
    rng_init(&rng, stream(d->lab, 2, 10 + s));
    Net net;
    build_model(&net, (Model)m, &rng);
    /* logistic regression is convex and cheap: it gets 5 times the steps, to be sure it has
     * converged to the best line it can find */
    int steps = m == MODEL_LOGISTIC ? 5 * d->cfg->depth_steps : d->cfg->depth_steps;
    train_net(&net, tr->x, d->t[set], tr->n, LOSS_BCE, 0, steps, R(0.01));
    d->r->train_acc[set][m][s] = binary_accuracy(&net, tr->x, tr->y, tr->n, z);
    d->r->acc[set][m][s] = binary_accuracy(&net, te->x, te->y, te->n, z);
    if (m == MODEL_LINEAR5) d->r->collapse[set][s] = collapse_error(&net, te->x, te->n, z);
    /* @fold the first seed's decision region on the spirals, for the figure; frees */
    if (set == 1 && s == 0) net_predict(&net, d->grid, GRID * GRID, d->region[m]);
    net_free(&net);
    free(z);
    /* @end */
}

static bool section_depth(Lab *lab, const Config *cfg, DepthResult *r) {
    /* @fold the data: each set's training and 1,000 test points; the grid of the regions */
    DepthJobs d = {.cfg = cfg, .lab = lab, .r = r};
    for (int set = 0; set < NSETS; set++) {
        Rng drng;
        rng_init(&drng, stream(lab, 2, set));
        make_set(&d.tr[set], set, cfg->depth_train, &drng);
        make_set(&d.te[set], set, TEST_N, &drng);
        d.t[set] = nn_calloc((size_t)d.tr[set].n, sizeof(real));
        for (int n = 0; n < d.tr[set].n; n++) d.t[set][n] = (real)d.tr[set].y[n];
    }
    d.grid = nn_calloc(GRID * GRID * D, sizeof(real));
    for (int j = 0; j < GRID; j++)
        for (int i = 0; i < GRID; i++) {
            real *g = d.grid + (j * GRID + i) * D;
            g[0] = (real)(-1.1 + 2.2 * i / (GRID - 1)), g[1] = (real)(-1.1 + 2.2 * j / (GRID - 1));
        }
    for (int m = 0; m < NMODELS; m++) d.region[m] = nn_calloc(GRID * GRID, sizeof(real));
    /* @end */
    parallel_run(NSETS * NMODELS * SEEDS, lab->threads, depth_job, &d, "depth");

    /* @fold the worst collapse error; four CSV files, results.csv, the printed table */
    char path[512];
    Csv csv, grid, pts;
    if (!csv_open(&csv, lab_path(lab, "depth_runs.csv", path, sizeof path), "set,model,seed,train_acc,test_acc") ||
        !csv_open(&grid, lab_path(lab, "depth.csv", path, sizeof path), "model,x1,x2,p") ||
        !csv_open(&pts, lab_path(lab, "depth_points.csv", path, sizeof path), "x1,x2,label"))
        return false;
    r->collapse_worst = 0;
    for (int set = 0; set < NSETS; set++)
        for (int m = 0; m < NMODELS; m++)
            for (int s = 0; s < SEEDS; s++) {
                csv_row(&csv, "ssdff", SET_NAMES[set], MODEL_NAMES[m], s, r->train_acc[set][m][s], r->acc[set][m][s]);
                if (m == MODEL_LINEAR5) r->collapse_worst = fmax(r->collapse_worst, r->collapse[set][s]);
            }
    for (int m = 0; m < NMODELS; m++)
        for (int k = 0; k < GRID * GRID; k++)
            csv_row(&grid, "sggf", MODEL_NAMES[m], (double)d.grid[k * D], (double)d.grid[k * D + 1],
                    (double)sigmoid_stable(d.region[m][k]));
    for (int n = 0; n < d.tr[1].n; n++) csv_row(&pts, "ggd", (double)d.tr[1].x[n * D], (double)d.tr[1].x[n * D + 1], d.tr[1].y[n]);
    if (!csv_close(&csv) || !csv_close(&grid) || !csv_close(&pts)) return false;
    for (int set = 0; set < NSETS; set++) dataset_free(&d.tr[set]), dataset_free(&d.te[set]), free(d.t[set]);
    for (int m = 0; m < NMODELS; m++) free(d.region[m]);
    free(d.grid);

    Csv table;
    if (!csv_open(&table, lab_path(lab, "depth_table.csv", path, sizeof path), "set,model,acc_min,acc_mean,acc_max"))
        return false;
    printf("  %-8s %-32s %s\n", "set", "model", "test accuracy, 3 seeds (min / mean / max)");
    for (int set = 0; set < NSETS; set++)
        for (int m = 0; m < NMODELS; m++) {
            const double *a = r->acc[set][m];
            double lo = fmin(a[0], fmin(a[1], a[2])), hi = fmax(a[0], fmax(a[1], a[2])), mean = (a[0] + a[1] + a[2]) / 3;
            char pct[3][16];
            snprintf(pct[0], 16, "%.1f", 100 * lo), snprintf(pct[1], 16, "%.1f", 100 * mean), snprintf(pct[2], 16, "%.1f", 100 * hi);
            csv_row(&table, "sssss", SET_NAMES[set], MODEL_LABELS[m], pct[0], pct[1], pct[2]);
            printf("  %-8s %-32s %5.1f%% / %5.1f%% / %5.1f%%\n", SET_NAMES[set], MODEL_LABELS[m], 100 * lo, 100 * mean,
                   100 * hi);
            char key[64];
            snprintf(key, sizeof key, "%s_%s_acc", SET_NAMES[set], MODEL_NAMES[m]);
            results_num(&lab->results, key, mean);
        }
    if (!csv_close(&table)) return false;
    printf("  identity stack vs its product matrix: largest difference %.2e of the largest output\n", r->collapse_worst);
    /* @end */
    return true;
}

/** **Measured.** The product of the five weight matrices reproduces the
 * identity net's outputs to {{lab00:collapse_rel_diff|sci}} of the largest output — rounding in
 * float, nothing more. Accuracy agrees (@tbl:lab00-depth): over both sets and all seeds, the
 * identity net's largest gain over logistic regression is {{lab00:linear5_gain|pct}} (one of the
 * 1,000 test points is 0.1%), while the same layers with ReLU beat every linear model by at least
 * {{lab00:relu5_margin|pct}}.
 * @fig:lab00-depth shows why on the spirals: two straight boundaries and one that follows the arms.
 *
 * ```{.csv-table #tbl:lab00-depth file="lab00/depth_table.csv"
 *    header="Set,Model,Test accuracy min (%),mean (%),max (%)"
 *    caption="Test accuracy on 1,000 fresh points, three seeds."}
 * ```
 *
 * ![Decision regions on the spirals (first seed), shaded by the predicted probability of class 1,
 * with the training points.](lab00_depth){#fig:lab00-depth}
 */

/** ## Universal approximation, seen
 *
 * The universal approximation theorem [@cybenko1989approximation; @hornik1991approximation;
 * @leshno1993multilayer] says: for any continuous $g$ on a closed interval (a compact set, in
 * general) and any tolerance $\epsilon > 0$, there is a width $H$ and weights such that one hidden
 * layer,
 * $$\hat g(x) = \sum_{j=1}^{H} v_j\, f(w_j x + b_j) + c,$$
 * stays within $\epsilon$ of $g$ everywhere on the interval — for any nonlinearity $f$ that is
 * not a polynomial, tanh and ReLU included. For ReLU it is easy to see: each unit adds a kink at
 * $x = -b_j/w_j$, so $H$ units make a piecewise-linear curve with $H$ kinks, and enough kinks
 * follow any continuous curve.
 *
 * The theorem promises that the weights *exist*. It says nothing about how to find them
 * (gradient descent may not), how many samples pin them down, or what the network does outside
 * the interval. We fit $\sin 3x$ on $[-1, 1]$ from noisy samples ($\varepsilon \sim
 * \mathcal N(0, 0.1^2)$) with one hidden layer of tanh or ReLU units, of each of the widths 1, 2,
 * 4, 8, 16, 64 and 256 that does not exceed {{lab00:uat_widest}}, trained for
 * {{lab00:uat_steps|int}} steps on the mean squared error ("Which output and which loss" prints it), three seeds each,
 * and measure the MSE on the training samples and on 1,000 fresh noisy samples.
 *
 * No fit can beat the noise on fresh samples. A fresh target is $y = \sin 3x + \varepsilon$ with
 * $\varepsilon$ independent of the fit $\hat g$, so the cross term averages to zero and
 * $$\mathbb E\big[(\hat g(x) - y)^2\big] = \mathbb E\big[(\hat g(x) - \sin 3x)^2\big] + \mathbb E[\varepsilon^2]
 *   \;\ge\; \sigma^2 = 0.01 ,$$
 * with equality only for $\hat g = \sin 3x$. That is the *noise floor*, which we measure as the
 * held-out MSE of $\sin 3x$ itself (about $0.1^2$, up to the sampling of 1,000 points). On the
 * training samples a fit can go below it, but only by following their noise. The samples, from
 * `common/data.c` (`noise` is $\sigma$):
 *
 * @include common/data.c:synth_regression
 *
 * One choice in the setup follows the ReLU picture above: the hidden units' biases start so
 * that each unit's kink (or, for tanh, its centre) lies at a random point $c_j$ of $[-1, 1]$,
 * rather than all at $x = 0$ as zero biases would put them:
 * $$w_j x + b_j = 0 \;\text{at}\; x = -\frac{b_j}{w_j}, \qquad\text{so}\qquad b_j = -w_j c_j
 *   \;\text{puts it at}\; x = c_j, \quad c_j \sim \mathcal U[-1, 1].$$
 * `build_regressor` does that after the library has drawn the weights; `uat_job` is one run:
 * one activation, one width, one seed, trained on the samples and measured on them and on the
 * fresh points.
 */
static const int WIDTHS[] = {1, 2, 4, 8, 16, 64, 256};
enum { NWIDTHS = sizeof WIDTHS / sizeof WIDTHS[0], NACTS = 2 };
static const ActKind UAT_ACTS[NACTS] = {ACT_TANH, ACT_RELU};
static const double NOISE = 0.1;
/* @fold FIT_WIDTHS: the widths whose curves are drawn */
static const int FIT_WIDTHS[] = {1, 4, 16};   /* the curves drawn, and the widest */
enum { NFIT = sizeof FIT_WIDTHS / sizeof FIT_WIDTHS[0] + 1, CURVE_N = 401 };
/* @end */

/* 1-H-1 with activation k; first-layer He weights, biases placing each unit at a random point. */
static void build_regressor(Net *net, int H, ActKind k, Rng *rng) {
    char arch[32];
    snprintf(arch, sizeof arch, "1-%d-1", H);
    net_mlp(net, arch, act_make(k), init_make(INIT_HE_NORMAL), init_make(INIT_XAVIER_UNIFORM), MAX_BATCH, rng);
    Linear *first = &net->layers[0].linear;
    for (int j = 0; j < H; j++) first->b[j] = -first->W[j] * (real)rng_uniform_range(rng, -1, 1);
}

static double mse_of(const real *pred, const real *target, int N) {
    return (double)mse_forward(pred, target, (size_t)N);
}

/* @fold UatResult (the errors section 3 measures) and UatJobs (the runs' shared data) */
typedef struct {
    int nwidths;                        /* widths run: WIDTHS[0 .. nwidths-1] */
    double train[NACTS][NWIDTHS][SEEDS], heldout[NACTS][NWIDTHS][SEEDS];
    double floor;                       /* held-out MSE of sin 3x itself */
    double train_floor;                 /* the same on the training samples */
    double inside[NACTS], outside[NACTS];   /* widest net, seed 0: MSE against sin 3x on [-1,1] and beyond */
} UatResult;

typedef struct {
    const Config *cfg;
    const Lab *lab;
    const Dataset *tr, *te;
    const real *cx;                      /* [CURVE_N] where the curves are drawn */
    real (*curves)[NFIT][CURVE_N];       /* [NACTS][NFIT][CURVE_N] */
    int widest;
    UatResult *r;
} UatJobs;
/* @end */

static void uat_job(void *ctx, int job, int worker) {
    /* @fold u, the shared data; the job's activation a, width w, seed s; z [TEST_N] the net's outputs */
    (void)worker;
    UatJobs *u = ctx;
    int nw = u->widest + 1, a = job / (nw * SEEDS), w = job / SEEDS % nw, s = job % SEEDS;
    real *z = nn_calloc(TEST_N, sizeof(real));
    /* @end */
    Rng rng;
    rng_init(&rng, stream(u->lab, 3, 10 + s));
    Net net;
    build_regressor(&net, WIDTHS[w], UAT_ACTS[a], &rng);
    train_net(&net, u->tr->x, u->tr->target, u->tr->n, LOSS_MSE, 0, u->cfg->uat_steps, R(0.01));
    net_predict(&net, u->tr->x, u->tr->n, z);
    u->r->train[a][w][s] = mse_of(z, u->tr->target, u->tr->n);
    net_predict(&net, u->te->x, u->te->n, z);
    u->r->heldout[a][w][s] = mse_of(z, u->te->target, u->te->n);
    /* @fold the first seed's curves; the widest net's error inside [-1, 1] and beyond; frees */
    for (int f = 0; f < NFIT - 1; f++)
        if (s == 0 && WIDTHS[w] == FIT_WIDTHS[f]) net_predict(&net, u->cx, CURVE_N, u->curves[a][f]);
    if (s == 0 && w == u->widest) {   /* the widest net, inside and outside [-1, 1] */
        real *c = u->curves[a][NFIT - 1];
        net_predict(&net, u->cx, CURVE_N, c);
        double in = 0, out = 0;
        int nin = 0, nout = 0;
        for (int i = 0; i < CURVE_N; i++) {
            double e = (double)c[i] - sin(3 * (double)u->cx[i]);
            if (fabs((double)u->cx[i]) <= 1) in += e * e, nin++;
            else out += e * e, nout++;
        }
        u->r->inside[a] = in / nin, u->r->outside[a] = out / nout;
    }
    net_free(&net);
    free(z);
    /* @end */
}

static bool section_uat(Lab *lab, const Config *cfg, UatResult *r) {
    /* @fold the data: tr (cfg->uat_train samples) and te (TEST_N) of sin 3x + noise */
    Rng drng;
    rng_init(&drng, stream(lab, 3, 0));
    Dataset tr, te;
    synth_regression(&tr, cfg->uat_train, NOISE, &drng);
    synth_regression(&te, TEST_N, NOISE, &drng);
    /* @end */
    /* the noise floor: the MSE of sin 3x itself against the noisy samples */
    real *clean = nn_calloc(TEST_N, sizeof(real));
    for (int n = 0; n < TEST_N; n++) clean[n] = (real)sin(3 * (double)te.x[n]);
    r->floor = mse_of(clean, te.target, TEST_N);
    for (int n = 0; n < tr.n; n++) clean[n] = (real)sin(3 * (double)tr.x[n]);
    r->train_floor = mse_of(clean, tr.target, tr.n);
    /* @fold the points where the curves are drawn (x on [-2, 2]); how many widths this mode runs */
    /* the curves: x on [-2, 2], of which [-1, 1] is the data's interval */
    static real curves[NACTS][NFIT][CURVE_N];
    real cx[CURVE_N];
    for (int i = 0; i < CURVE_N; i++) cx[i] = (real)(-2 + 4.0 * i / (CURVE_N - 1));
    r->nwidths = 0;
    while (r->nwidths < NWIDTHS && WIDTHS[r->nwidths] <= cfg->uat_widest) r->nwidths++;
    int widest = r->nwidths - 1;
    UatJobs u = {cfg, lab, &tr, &te, cx, curves, widest, r};
    /* @end */
    parallel_run(NACTS * r->nwidths * SEEDS, lab->threads, uat_job, &u, "widths");

    /* @fold the CSV files (width, fits, fits_data), the printed table, frees */
    char path[512];
    Csv csv, fits, data;
    if (!csv_open(&csv, lab_path(lab, "width.csv", path, sizeof path),
                  "activation,width,train_min,train_mean,train_max,heldout_min,heldout_mean,heldout_max,noise_floor") ||
        !csv_open(&fits, lab_path(lab, "fits.csv", path, sizeof path), "activation,width,x,fit,true") ||
        !csv_open(&data, lab_path(lab, "fits_data.csv", path, sizeof path), "x,y"))
        return false;
    printf("  noise floor (held-out MSE of sin 3x itself): %.4f\n", r->floor);
    printf("  %-6s %6s   %-28s %s\n", "", "width", "training MSE (min-max)", "held-out MSE (min-max)");
    for (int a = 0; a < NACTS; a++)
        for (int w = 0; w <= widest; w++) {
            const double *p = r->train[a][w], *q = r->heldout[a][w];
            double pl = fmin(p[0], fmin(p[1], p[2])), ph = fmax(p[0], fmax(p[1], p[2]));
            double ql = fmin(q[0], fmin(q[1], q[2])), qh = fmax(q[0], fmax(q[1], q[2]));
            csv_row(&csv, "sdggggggg", act_name(UAT_ACTS[a]), WIDTHS[w], pl, (p[0] + p[1] + p[2]) / 3, ph, ql,
                    (q[0] + q[1] + q[2]) / 3, qh, r->floor);
            printf("  %-6s %6d   %.4f - %.4f             %.4f - %.4f\n", act_name(UAT_ACTS[a]), WIDTHS[w], pl, ph, ql, qh);
        }
    for (int a = 0; a < NACTS; a++)   /* one block of CURVE_N rows per activation and width */
        for (int f = 0; f < NFIT; f++)
            for (int i = 0; i < CURVE_N; i++)
                csv_row(&fits, "sdggg", act_name(UAT_ACTS[a]), f < NFIT - 1 ? FIT_WIDTHS[f] : WIDTHS[widest],
                        (double)cx[i], (double)curves[a][f][i], sin(3 * (double)cx[i]));
    for (int n = 0; n < tr.n; n++) csv_row(&data, "gg", (double)tr.x[n], (double)tr.target[n]);
    if (!csv_close(&csv) || !csv_close(&fits) || !csv_close(&data)) return false;
    for (int a = 0; a < NACTS; a++)
        printf("  %s, width %d: MSE against sin 3x %.2e on [-1, 1], %.2e on [-2, -1] and [1, 2]\n", act_name(UAT_ACTS[a]),
               WIDTHS[widest], r->inside[a], r->outside[a]);
    free(clean);
    dataset_free(&tr), dataset_free(&te);
    /* @end */
    return true;
}

/** **Measured.** @fig:lab00-width plots the mean squared error against the width.
 * The held-out error (mean of three seeds) falls from {{lab00:tanh_heldout_w1|g3}} (tanh) and
 * {{lab00:relu_heldout_w1|g3}} (ReLU) at width 1 to {{lab00:tanh_heldout_widest|g3}} and
 * {{lab00:relu_heldout_widest|g3}} at width {{lab00:uat_widest}}, against a noise floor of
 * {{lab00:noise_floor|g3}}; the best seed comes within 10% of the floor at width
 * {{lab00:tanh_floor_width}} (tanh) and {{lab00:relu_floor_width}} (ReLU), and more units buy
 * nothing after that: once the net follows $\sin 3x$, what remains is the noise, which no model
 * can predict. On its own {{lab00:uat_train_n}} samples the widest tanh net reaches a training
 * error of {{lab00:tanh_train_widest|g3}}, while $\sin 3x$ itself scores
 * {{lab00:train_noise|g3}} there: a fit below that mark has begun to follow the noise of its
 * samples — the overfitting Lab 3 studies.
 * At small widths the seeds disagree: the ReLU nets of 4 units end between
 * {{lab00:relu_heldout_w4_min|g2}} and {{lab00:relu_heldout_w4_max|g2}}. Good weights exist
 * for all of them (the best seed shows it); not every run finds them.
 *
 * ![Training and held-out MSE against the hidden layer's width, log–log: the mean of three seeds,
 * and a band from the lowest to the highest; the dashed line is the noise
 * floor.](lab00_width){#fig:lab00-width}
 *
 * @fig:lab00-fits shows the fitted curves of the first seed, and what the theorem leaves out.
 * Width 1 can draw only one tanh step or one ReLU kink; the widest net is on the curve. Outside
 * $[-1, 1]$, where there were no samples, the fits go their own way: tanh units saturate, so the
 * tanh net flattens out; ReLU units are linear beyond their last kink, so the ReLU net continues in
 * a straight line. The widest nets' error against $\sin 3x$ is {{lab00:tanh_inside_mse|sci}} (tanh)
 * and {{lab00:relu_inside_mse|sci}} (ReLU) inside the interval and {{lab00:tanh_outside_mse|g2}}
 * and {{lab00:relu_outside_mse|g2}} outside it. Approximation is a promise about the interval, not
 * about the function.
 *
 * ![Fits of sin 3x (dashed) by one hidden layer of 1, 4 and 16 units and the widest, first seed,
 * on $[-2, 2]$; the training samples (grey) lie in $[-1, 1]$, outside the shaded
 * strips.](lab00_fits){#fig:lab00-fits}
 */

/** ## Which output and which loss
 *
 * The hidden layers are the same whatever the task; the last layer and the loss are not. Each
 * pairing below is chosen so that the loss's gradient with respect to the last layer's raw
 * output is the same simple expression, *prediction minus target* — up to a constant factor: the
 * MSE row carries a 2, because MSE is written, as in PyTorch's `MSELoss`, without the
 * $\tfrac12$ that would cancel it (the table below):
 *
 * | task | output unit | loss | $\partial \ell / \partial z$ |
 * |---|---|---|---|
 * | regression | linear, $\hat y = z$ | MSE, $(\hat y - y)^2$ | $2(\hat y - y)$ |
 * | binary classification | one sigmoid unit, $p = \sigma(z)$ | binary cross-entropy on the logit $z$ | $\sigma(z) - y$ |
 * | $C$ classes | $C$ units, $p = \mathrm{softmax}(z)$ | cross-entropy on the logits | $p - \mathrm{onehot}(y)$ |
 *
 * : The output unit and the loss for each task, and the gradient they give at the raw output $z$.
 *
 * For the binary case: with $\ell = -y \log \sigma(z) - (1-y)\log(1-\sigma(z))$ and
 * $\sigma'(z) = \sigma(z)(1 - \sigma(z))$,
 * $$\frac{\partial \ell}{\partial z} = -y\,(1 - \sigma(z)) + (1-y)\,\sigma(z) = \sigma(z) - y.$$
 * A sigmoid output trained with MSE instead would carry the extra factor $\sigma'(z)$, which
 * vanishes exactly when the unit is confidently wrong. (Two softmax outputs are the same model as
 * one sigmoid output: $\mathrm{softmax}(z_1, z_2)_2 = \sigma(z_2 - z_1)$.)
 *
 * In code every loss is a pair of functions over a batch of $n$ outputs: the forward pass
 * returns the mean loss, and the backward pass writes the gradient of that mean with respect to
 * each output, so the $1/n$ of the mean appears in every gradient. For the regression row,
 * $L = \frac1n \sum_i (\hat y_i - y_i)^2$ and
 * $$\frac{\partial L}{\partial \hat y_i} = \frac{2}{n}\,(\hat y_i - y_i):$$
 *
 * @include common/loss.c:mse_forward,mse_backward
 *
 * The loss is computed from the logit, never from $p$. Written out,
 * $-\log \sigma(z) = \log(1 + e^{-z})$ and $-\log(1-\sigma(z)) = \log(1 + e^{z})$, and both are
 * covered by one expression in which `exp` sees only $-|z|$:
 * $$\ell(z, y) = \max(z, 0) - z\,y + \log\!\left(1 + e^{-|z|}\right),$$
 * computed with `log1p` — the form of PyTorch's `BCEWithLogitsLoss` and of `bce_logits_forward`
 * in `common/loss.c`. The naive route, $p = \sigma(z)$ first and then $\log p$ or $\log(1-p)$,
 * fails in float as soon as $p$ rounds to exactly 1 (from $z \approx 17$ on) or $e^{-z}$
 * overflows ($z < -88$). The library's pair, with the gradient $(\sigma(z_i) - y_i)/n$ and a
 * sigmoid that, too, never exponentiates a positive number ($\sigma(z) = e^{z} / (1 + e^{z})$ for
 * $z < 0$):
 *
 * @include common/loss.c:sigmoid_stable,bce_logits_forward,bce_logits_backward
 *
 * The table below computes the loss both ways in float for confidently wrong logits, against
 * the exact value in long double.
 */
static const double STAB_Z[] = {5, 10, 17, 20, 50, 100, 200};
enum { NSTAB = sizeof STAB_Z / sizeof STAB_Z[0] };

/* -log(1 - sigma(z)) the naive way, in float: the loss of logit z for target 0. */
static float naive_bce_target0(float z) {
    float p = 1.0f / (1.0f + expf(-z));
    return -logf(1.0f - p);
}

/* @fold StabilityResult: the stable form's worst relative error, the naive infinities */
typedef struct {
    double stable_worst;   /* largest relative error of the stable form */
    int naive_infinite;    /* how many naive values are not finite */
} StabilityResult;
/* @end */

/** For each logit (target 0, so the exact loss is $\log(1 + e^{z}) = z + \log(1 + e^{-z})$) the
 * section computes the exact value in long double, the stable form written out in float (so that
 * it is float even in the double build), the library's `bce_logits_forward`, and the naive
 * route; it keeps the stable forms' largest relative error and counts the naive infinities. */
static bool section_stability(Lab *lab, StabilityResult *out) {
    StabilityResult r = {0, 0};
    /* @fold opens stability.csv */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "stability.csv", path, sizeof path), "z,exact,naive,stable")) return false;
    /* @end */
    for (int i = 0; i < NSTAB; i++) {
        /* target 0 with logit z: the loss is log(1 + e^z) = z + log1p(e^-z) */
        long double zl = STAB_Z[i], exact = zl + log1pl(expl(-zl));
        float z = (float)STAB_Z[i], t = 0, stable;
        /* the kernel itself, in float whatever the build */
        stable = z + log1pf(expf(-z)) - z * t;
        real zr = (real)z, tr = 0;
        double lib = (double)bce_logits_forward(&zr, &tr, 1);
        float naive = naive_bce_target0(z);
        /* @fold the row of stability.csv, printed too */
        char e[32], nv[32], st[32];
        snprintf(e, sizeof e, "%.9Lg", exact);
        if (isfinite(naive)) snprintf(nv, sizeof nv, "%.6g", (double)naive);
        else snprintf(nv, sizeof nv, "inf");
        snprintf(st, sizeof st, "%.6g", lib);
        csv_row(&csv, "gsss", STAB_Z[i], e, nv, st);
        printf("  z = %5.0f  exact %-14s naive %-10s stable %s\n", STAB_Z[i], e, nv, st);
        /* @end */
        r.stable_worst = fmax(r.stable_worst, fabs(lib - (double)exact) / (double)exact);
        r.stable_worst = fmax(r.stable_worst, fabs((double)stable - (double)exact) / (double)exact);
        r.naive_infinite += !isfinite(naive);
    }
    if (!csv_close(&csv)) return false;
    *out = r;
    return true;
}

/** **Measured.** Computed the naive way in float, the loss of a confidently wrong logit becomes
 * infinite long before the exact value is large (@tbl:lab00-stability); one such sample makes the
 * whole batch's loss infinite and its gradient meaningless. The stable form is within
 * {{lab00:bce_stable_rel_err|sci}} of the exact value at every logit.
 *
 * ```{.csv-table #tbl:lab00-stability file="lab00/stability.csv"
 *    header="Logit z (target 0),Exact loss (long double),Naive in float,Stable in float"
 *    caption="Binary cross-entropy of a confidently wrong logit, computed two ways."}
 * ```
 */

/** ## A loss of your own: Huber
 *
 * MSE squares the residual $d = \hat y - y$, so a target that is off by 3 pulls on the fit nine
 * times harder than one off by 1; a few wild targets can drag a whole curve. The Huber loss
 * [@huber1964robust] keeps the square near zero and turns linear beyond a threshold $\delta$:
 * $$\ell_\delta(d) = \begin{cases} \tfrac12 d^2 & |d| < \delta \\ \delta\,(|d| - \tfrac12\delta) & \text{otherwise,}\end{cases}
 *   \qquad \ell_\delta'(d) = \mathrm{clamp}(d, -\delta, \delta).$$
 * The two pieces meet with equal value and slope at $|d| = \delta$, so the gradient is
 * continuous, and no single target can pull with a force above $\delta$. A new loss is two plain
 * functions — `huber_forward` and `huber_backward` in `common/loss.c`, with PyTorch's
 * `HuberLoss(delta)` semantics — plus a test against PyTorch's numbers and a gradient check in
 * double (`tests/test_loss.c`); nothing else in the library changes. Residual by residual, the
 * forward pass takes the branch of $\ell_\delta$, the backward pass clamps, and both divide by $n$
 * for the mean:
 *
 * @include common/loss.c:huber_forward,huber_backward
 *
 * The experiment: 10% of the {{lab00:huber_train|int}} training targets of $\sin 3x$ are
 * corrupted by adding a value uniform in $[2, 4]$ — spikes in one direction, as a faulty sensor
 * might produce. A 1-32-1 tanh net is trained for {{lab00:huber_steps|int}} steps on the
 * corrupted data with MSE, and with Huber at $\delta = 1$ (PyTorch's
 * default) and $\delta = 0.2$ (twice the noise level, so that every corrupted target and only a
 * few clean ones reach the linear part). Each fit is scored on 1,000 *clean* held-out points,
 * $\sin 3x$ exactly.
 */
enum { NHUBER = 3 };
static const LossKind HUBER_LOSSES[NHUBER] = {LOSS_MSE, LOSS_HUBER, LOSS_HUBER};
static const double HUBER_DELTAS[NHUBER] = {0, 1.0, 0.2};
enum { HUBER_BEST = 2, HUBER_WIDTH = 32 };
/* @fold the losses' names; HuberResult and HuberJobs (the runs' shared data) */
static const char *const HUBER_NAMES[NHUBER] = {"mse", "huber_1", "huber_02"};
static const char *const HUBER_LABELS[NHUBER] = {"MSE", "Huber, delta = 1", "Huber, delta = 0.2"};

typedef struct {
    double clean[NHUBER][SEEDS];   /* MSE against sin 3x on held-out points */
} HuberResult;

typedef struct {
    const Config *cfg;
    const Lab *lab;
    Dataset tr[SEEDS];                 /* each seed's corrupted training set */
    const real *cx, *cy;               /* [TEST_N] clean held-out points */
    const real *fx;                    /* [CURVE_N] where the fits are drawn */
    real (*fits)[CURVE_N];             /* [NHUBER][CURVE_N], seed 0 */
    HuberResult *r;
} HuberJobs;
/* @end */

/** One run of the experiment: one seed and one loss. The net starts from the same weights for
 * every loss of a seed, so the three fits differ only by what the loss did. */
static void huber_job(void *ctx, int job, int worker) {
    /* @fold the job's seed s and loss l; tr its corrupted data; z [TEST_N] the net's outputs */
    (void)worker;
    HuberJobs *h = ctx;
    int s = job / NHUBER, l = job % NHUBER;
    const Dataset *tr = &h->tr[s];
    real *z = nn_calloc(TEST_N, sizeof(real));
    /* @end */
    Rng rng;
    rng_init(&rng, stream(h->lab, 5, 10 + s));   /* the same initial weights for every loss */
    Net net;
    build_regressor(&net, HUBER_WIDTH, ACT_TANH, &rng);
    train_net(&net, tr->x, tr->target, tr->n, HUBER_LOSSES[l], (real)HUBER_DELTAS[l], h->cfg->huber_steps, R(0.01));
    net_predict(&net, h->cx, TEST_N, z);
    h->r->clean[l][s] = mse_of(z, h->cy, TEST_N);
    /* @fold the first seed's fit for the figure; frees */
    if (s == 0) net_predict(&net, h->fx, CURVE_N, h->fits[l]);
    net_free(&net);
    free(z);
    /* @end */
}

static bool section_huber(Lab *lab, const Config *cfg, HuberResult *r) {
    /* @fold the clean held-out points (cx, cy = sin 3x) and where the fits are drawn */
    static real cx[TEST_N], cy[TEST_N], fx[CURVE_N], fits[NHUBER][CURVE_N];
    for (int n = 0; n < TEST_N; n++) cx[n] = (real)(-1 + 2.0 * (n + 0.5) / TEST_N), cy[n] = (real)sin(3 * (double)cx[n]);
    for (int i = 0; i < CURVE_N; i++) fx[i] = (real)(-1 + 2.0 * i / (CURVE_N - 1));
    /* @end */
    HuberJobs h = {.cfg = cfg, .lab = lab, .cx = cx, .cy = cy, .fx = fx, .fits = fits, .r = r};
    bool *bad = nn_calloc((size_t)cfg->huber_train, sizeof(bool));   /* seed 0's corrupted targets */
    /* @fold each seed's data: sin 3x + noise, 10% of the targets spiked by U[2, 4] */
    for (int s = 0; s < SEEDS; s++) {
        Rng drng;
        rng_init(&drng, stream(lab, 5, s));
        Dataset *tr = &h.tr[s];
        synth_regression(tr, cfg->huber_train, NOISE, &drng);
        /* corrupt 10% of the targets, chosen at random: add a spike uniform in [2, 4] */
        int *idx = nn_calloc((size_t)tr->n, sizeof(int));
        for (int n = 0; n < tr->n; n++) idx[n] = n;
        rng_shuffle(&drng, idx, tr->n);
        for (int k = 0; k < tr->n / 10; k++) {
            tr->target[idx[k]] += (real)rng_uniform_range(&drng, 2, 4);
            if (s == 0) bad[idx[k]] = true;
        }
        free(idx);
    }
    /* @end */
    parallel_run(SEEDS * NHUBER, lab->threads, huber_job, &h, "huber");

    /* @fold the CSV files (huber, huber_data, huber_table), results.csv and the printed table */
    char path[512];
    Csv fit, data, table;
    if (!csv_open(&fit, lab_path(lab, "huber.csv", path, sizeof path), "x,true,mse,huber") ||
        !csv_open(&data, lab_path(lab, "huber_data.csv", path, sizeof path), "x,y,outlier") ||
        !csv_open(&table, lab_path(lab, "huber_table.csv", path, sizeof path), "loss,clean_min,clean_mean,clean_max"))
        return false;
    for (int n = 0; n < h.tr[0].n; n++) csv_row(&data, "ggd", (double)h.tr[0].x[n], (double)h.tr[0].target[n], bad[n]);
    for (int i = 0; i < CURVE_N; i++)
        csv_row(&fit, "gggg", (double)fx[i], sin(3 * (double)fx[i]), (double)fits[0][i], (double)fits[HUBER_BEST][i]);
    for (int s = 0; s < SEEDS; s++) dataset_free(&h.tr[s]);
    free(bad);
    printf("  %-20s %s\n", "loss", "MSE against clean sin 3x, 3 seeds (min / mean / max)");
    for (int l = 0; l < NHUBER; l++) {
        const double *c = r->clean[l];
        double lo = fmin(c[0], fmin(c[1], c[2])), hi = fmax(c[0], fmax(c[1], c[2])), mean = (c[0] + c[1] + c[2]) / 3;
        csv_row(&table, "sggg", HUBER_LABELS[l], lo, mean, hi);
        printf("  %-20s %.4f / %.4f / %.4f\n", HUBER_LABELS[l], lo, mean, hi);
        char key[64];
        snprintf(key, sizeof key, "%s_clean_mse", HUBER_NAMES[l]);
        results_num(&lab->results, key, mean);
    }
    if (!csv_close(&fit) || !csv_close(&data) || !csv_close(&table)) return false;
    /* @end */
    return true;
}

/** **Measured.** With a tenth of the targets spiked, the MSE fit bends up towards the spikes, and the
 * Huber fit stays on the clean curve (@fig:lab00-huber). Measured on clean held-out points
 * (@tbl:lab00-huber), Huber with $\delta = 0.2$ is {{lab00:huber_gain|g3}} times better than MSE
 * even for its least favourable seed. PyTorch's default $\delta = 1$ helps less: each spike still
 * pulls with a force of 1, five times what $\delta = 0.2$ allows, so the threshold belongs with
 * the noise level of the clean data, not with a default.
 *
 * ![Regression with 10% of the targets corrupted (orange): the MSE fit and the Huber fit
 * ($\delta$ = 0.2) against the clean curve (dashed), first seed.](lab00_huber){#fig:lab00-huber}
 *
 * ```{.csv-table #tbl:lab00-huber file="lab00/huber_table.csv" digits="4"
 *    header="Loss,Clean MSE min,mean,max"
 *    caption="Error against the clean curve on 1,000 held-out points, three seeds."}
 * ```
 */

/** ## Putting it together
 *
 * `run_lab` runs the sections in order, writes each number it reports into `results.csv`, and
 * judges each claim of this chapter against the measurement (`claims.csv`). The claims are
 * listed at the end of the chapter, each with the number that decided it; the folded lines below
 * hold the code that computes those numbers. */
/* @fold min3(), max3(), mean3() over the three seeds */
static double min3(const double *v) { return fmin(v[0], fmin(v[1], v[2])); }
static double max3(const double *v) { return fmax(v[0], fmax(v[1], v[2])); }
static double mean3(const double *v) { return (v[0] + v[1] + v[2]) / 3; }
/* @end */

static int run_lab(Lab *lab) {
    const Config *cfg = lab->quick ? &QUICK : &FULL;
    /* @fold where the results and the claims go; prints the section's heading, starts the clock */
    Results *res = &lab->results;
    Claims *cl = &lab->claims;
    char text[256];

    double t0 = nn_seconds();
    printf("\n1. One neuron\n");
    /* @end */
    NeuronResult nr;
    if (!section_neuron(lab, cfg, &nr)) return 1;   /* a file could not be written: the reason is printed */
    /* @fold records the results of section 1 and judges its five claims; the next heading and clock */
    results_num(res, "neuron_seconds", nn_seconds() - t0);
    results_int(res, "perceptron_updates", nr.perceptron_updates);
    results_int(res, "perceptron_epochs", nr.perceptron_epochs);
    results_num(res, "novikoff_bound", nr.bound);
    results_num(res, "perceptron_acc", nr.perceptron_acc);
    results_num(res, "logistic_neuron_acc", nr.logistic_acc);
    double xor_single = fmax(nr.xor_perceptron, fmax(nr.xor_logistic, nr.xor_lines));
    results_num(res, "xor_perceptron_best_acc", nr.xor_perceptron);
    results_num(res, "xor_logistic_best_acc", nr.xor_logistic);
    results_num(res, "xor_lines_best_acc", nr.xor_lines);
    results_int(res, "xor_lines", cfg->lines);
    results_int(res, "xor_epochs", cfg->xor_epochs);
    results_num(res, "xor_hidden_acc", nr.xor_hidden_min);
    claims_add(cl, "perceptron_separates", nr.perceptron_acc == 1, nr.perceptron_acc,
               "the perceptron stops with every point of the separable set on its correct side [its accuracy]");
    claims_add(cl, "perceptron_novikoff", nr.perceptron_updates <= nr.bound, nr.perceptron_updates,
               "the perceptron makes no more mistakes than Novikoff's bound $(R/\\gamma)^2$ allows [its mistakes]");
    claims_add(cl, "logistic_separates", nr.logistic_acc == 1, nr.logistic_acc,
               "the logistic neuron, trained by gradient descent, also separates the set [its accuracy]");
    claims_add(cl, "xor_single_neuron", xor_single <= 0.75, xor_single,
               "no single neuron gets more than 3 of the 4 XOR points right: not the perceptron, not the logistic "
               "neuron, not the best of the random lines [the best accuracy any reached]");
    claims_add(cl, "xor_hidden_layer", nr.xor_hidden_min == 1, nr.xor_hidden_min,
               "a 2-4-1 net with one tanh hidden layer classifies all four XOR points, for every seed [the lowest "
               "accuracy]");


    printf("\n2. Depth without a nonlinearity\n");
    t0 = nn_seconds();
    /* @end */
    DepthResult dr;
    if (!section_depth(lab, cfg, &dr)) return 1;
    /* @fold records the results of section 2 and judges its three claims; the next heading and clock */
    results_num(res, "depth_seconds", nn_seconds() - t0);
    results_num(res, "collapse_rel_diff", dr.collapse_worst);
    double gain = -1, relu_margin = 1;
    for (int set = 0; set < NSETS; set++) {
        for (int s = 0; s < SEEDS; s++) gain = fmax(gain, dr.acc[set][MODEL_LINEAR5][s] - dr.acc[set][MODEL_LOGISTIC][s]);
        double best_linear = fmax(max3(dr.acc[set][MODEL_LOGISTIC]), max3(dr.acc[set][MODEL_LINEAR5]));
        relu_margin = fmin(relu_margin, min3(dr.acc[set][MODEL_RELU5]) - best_linear);
    }
    results_num(res, "linear5_gain", gain);
    results_num(res, "relu5_margin", relu_margin);
    claims_add(cl, "collapse_exact", dr.collapse_worst < 1e-5, dr.collapse_worst,
               "the product of the identity net's five weight matrices reproduces every output of the net to float "
               "precision (below 1e-5 of the largest output) [the largest difference]");
    claims_add(cl, "linear5_no_better", gain <= 0.01, gain,
               "the five-layer identity net does not beat logistic regression on either set, for any seed (by more "
               "than 1 point of accuracy) [the largest gain]");
    claims_add(cl, "relu5_better", relu_margin > 0.05, relu_margin,
               "with ReLU between the same five layers, every seed beats every linear model by more than 5 points, "
               "on both sets [the smallest margin]");


    printf("\n3. Universal approximation: sin 3x with one hidden layer\n");
    t0 = nn_seconds();
    /* @end */
    static UatResult ur;
    if (!section_uat(lab, cfg, &ur)) return 1;
    /* @fold records the results of section 3 and judges its three claims; the next heading */
    results_num(res, "uat_seconds", nn_seconds() - t0);
    results_num(res, "noise_floor", ur.floor);
    results_num(res, "train_noise", ur.train_floor);
    results_int(res, "uat_train_n", cfg->uat_train);
    /* "Falls up to a point", measured on the best of the three seeds (the theorem speaks of weights
     * that exist, not of the ones a run finds): the held-out MSE falls from width 1 to 4 to 16, and
     * the point is the first width within 10% of the noise floor. */
    int widest = ur.nwidths - 1;
    results_int(res, "uat_widest", WIDTHS[widest]);
    bool falls = true, near_floor = true, wild = true;
    double worst_ratio = 0, fall = INFINITY, extrap = INFINITY;
    for (int a = 0; a < NACTS; a++) {
        const char *an = act_name(UAT_ACTS[a]);
        char key[64];
        double w1 = min3(ur.heldout[a][0]), w4 = min3(ur.heldout[a][2]), w16 = min3(ur.heldout[a][4]);
        int point = 0;
        while (point < widest && min3(ur.heldout[a][point]) > 1.1 * ur.floor) point++;
        falls = falls && w1 > w4 && w4 > w16 && min3(ur.heldout[a][point]) <= 1.1 * ur.floor && WIDTHS[point] <= 16;
        snprintf(key, sizeof key, "%s_floor_width", an);
        results_int(res, key, WIDTHS[point]);
        fall = fmin(fall, w1 / w16);
        double ratio = max3(ur.heldout[a][widest]) / ur.floor;
        worst_ratio = fmax(worst_ratio, ratio);
        near_floor = near_floor && ratio < 1.2;
        extrap = fmin(extrap, ur.outside[a] / ur.inside[a]);
        wild = wild && ur.outside[a] > 10 * ur.inside[a];
        /* fold: results.csv keys for each activation and width: held-out and training MSE, inside and outside */
        for (int w = 0; w <= widest; w++) {
            snprintf(key, sizeof key, "%s_heldout_w%d", an, WIDTHS[w]);
            results_num(res, key, mean3(ur.heldout[a][w]));
            snprintf(key, sizeof key, "%s_train_w%d", an, WIDTHS[w]);
            results_num(res, key, mean3(ur.train[a][w]));
        }
        snprintf(key, sizeof key, "%s_heldout_widest", an);
        results_num(res, key, mean3(ur.heldout[a][widest]));
        snprintf(key, sizeof key, "%s_train_widest", an);
        results_num(res, key, mean3(ur.train[a][widest]));
        snprintf(key, sizeof key, "%s_heldout_w4_min", an);
        results_num(res, key, min3(ur.heldout[a][2]));
        snprintf(key, sizeof key, "%s_heldout_w4_max", an);
        results_num(res, key, max3(ur.heldout[a][2]));
        snprintf(key, sizeof key, "%s_inside_mse", an);
        results_num(res, key, ur.inside[a]);
        snprintf(key, sizeof key, "%s_outside_mse", an);
        results_num(res, key, ur.outside[a]);
        /* end fold */
    }
    results_num(res, "uat_fall", fall);
    results_num(res, "uat_widest_over_floor", worst_ratio);
    claims_add(cl, "uat_falls", falls, fall,
               "for tanh and ReLU alike, the best seed's held-out MSE falls from width 1 to 4 to 16 and comes within "
               "10% of the noise floor by width 16 at the latest [the smaller fall from width 1 to 16]");
    snprintf(text, sizeof text, "the widest nets (%d units) reach the noise floor: held-out MSE within 20%% of that of "
             "sin 3x itself, for every seed [the worst ratio to the floor]", WIDTHS[widest]);
    claims_add(cl, "uat_noise_floor", near_floor, worst_ratio, text);
    claims_add(cl, "uat_extrapolation", wild, extrap,
               "beyond the samples' interval (from -1 to 1) the widest fits miss sin 3x by more than 10 times "
               "their error inside it [the smaller ratio]");


    printf("\n4. Which loss: binary cross-entropy on logits, stable and naive, in float\n");
    /* @end */
    StabilityResult sr;
    if (!section_stability(lab, &sr)) return 1;
    /* @fold records the results of section 4 and judges its claim; the next heading and clock */
    results_num(res, "bce_stable_rel_err", sr.stable_worst);
    results_int(res, "bce_naive_infinite", sr.naive_infinite);
    snprintf(text, sizeof text,
             "the stable form stays within 1e-6 of the exact loss at every logit up to 200, while the naive "
             "form returns infinity at %d of the %d [its largest relative error]", sr.naive_infinite, NSTAB);
    claims_add(cl, "bce_stable", sr.stable_worst < 1e-6 && sr.naive_infinite > 0, sr.stable_worst, text);


    printf("\n5. A loss of your own: Huber against 10%% outliers\n");
    t0 = nn_seconds();
    /* @end */
    HuberResult hr;
    if (!section_huber(lab, cfg, &hr)) return 1;
    /* @fold records the results of section 5 and judges its two claims */
    results_num(res, "huber_seconds", nn_seconds() - t0);
    double worst_gain = INFINITY;
    for (int s = 0; s < SEEDS; s++) worst_gain = fmin(worst_gain, hr.clean[0][s] / hr.clean[HUBER_BEST][s]);
    results_num(res, "huber_gain", worst_gain);
    claims_add(cl, "huber_beats_mse", worst_gain > 1, worst_gain,
               "with 10% of the targets corrupted, Huber ($\\delta$ = 0.2) fits the clean curve better than MSE, for "
               "every seed [the smallest ratio of MSE's error to Huber's]");
    bool both = true;
    for (int s = 0; s < SEEDS; s++) both = both && hr.clean[1][s] < hr.clean[0][s];
    claims_add(cl, "huber_default_beats_mse", both, mean3(hr.clean[0]) / mean3(hr.clean[1]),
               "even at PyTorch's default $\\delta$ = 1, Huber beats MSE for every seed [the ratio of the means]");

    /* @end */
    /* @fold prints the summary; records the configuration the prose quotes */
    printf("\nSummary\n");
    printf("  %-46s %d mistakes (bound %.0f)\n", "perceptron on the separable set", nr.perceptron_updates, nr.bound);
    printf("  %-46s %.0f%% (2-4-1 net: %.0f%%)\n", "XOR, best single neuron", 100 * xor_single, 100 * nr.xor_hidden_min);
    printf("  %-46s %.1e\n", "identity stack vs its product matrix", dr.collapse_worst);
    printf("  %-46s %.1f%% / %.1f%% / %.1f%%\n", "spirals: logistic / linear5 / relu5", 100 * mean3(dr.acc[1][0]),
           100 * mean3(dr.acc[1][1]), 100 * mean3(dr.acc[1][2]));
    snprintf(text, sizeof text, "sin 3x held-out MSE, width 1 / %d (tanh)", WIDTHS[widest]);
    printf("  %-46s %.4f / %.4f (floor %.4f)\n", text, mean3(ur.heldout[0][0]), mean3(ur.heldout[0][widest]), ur.floor);
    printf("  %-46s %.4f / %.4f\n", "clean MSE under outliers, MSE / Huber 0.2", mean3(hr.clean[0]),
           mean3(hr.clean[HUBER_BEST]));
    results_int(res, "separable_n", cfg->separable_n), results_int(res, "neuron_steps", cfg->neuron_steps);
    results_int(res, "xor_steps", cfg->xor_steps), results_int(res, "depth_train", cfg->depth_train);
    results_int(res, "depth_steps", cfg->depth_steps), results_int(res, "uat_steps", cfg->uat_steps);
    results_int(res, "huber_train", cfg->huber_train), results_int(res, "huber_steps", cfg->huber_steps);
    /* @end */
    return 0;
}

/* @fold main(): command-line flags */
#ifndef NN_NO_MAIN
int main(int argc, char **argv) {
    Lab lab;
    lab_start(&lab, argc, argv, "lab00", "From one neuron to universal approximation", NULL, 0);
    return lab_run(&lab, run_lab);
}
#endif
/* @end */

/** ## In plain words
 *
 * One neuron draws one line (a hyperplane in more dimensions): $w \cdot x + b = 0$ splits "yes"
 * from "no", and when some line separates the data with a margin, the perceptron finds one within
 * $(R/\gamma)^2$ mistakes. No line gets more than three of the four XOR points, however it is
 * trained or searched for. Stacking Linear layers without a nonlinearity buys nothing, since the
 * product of the layers is one matrix and the boundary is still one line. With a nonlinearity
 * between the layers, one hidden layer wide enough follows any continuous curve on an interval —
 * but the theorem only says such weights exist: not every run finds them, and nothing is
 * promised outside the interval. Pair the output unit with its loss so that the gradient at the
 * raw output is prediction minus target (twice that for MSE), and compute the loss from the logit, never from the
 * probability. A loss is two small functions, forward and backward; Huber's caps the pull of any
 * one target at $\delta$, so a few wild targets cannot drag the fit as they drag MSE's.
 *
 * ::: {.claims lab="lab00"}
 * :::
 *
 * **What to try next.** Give the corrupted targets of section 5 both signs and see whether MSE
 * still bends; make the XOR net 2-2-1 and count the seeds it fails on; widen the interval of
 * section 3 to $[-3, 3]$ and find the width at which tanh catches up with $\sin 3x$ again.
 */
