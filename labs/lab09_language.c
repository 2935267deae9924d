/** # Characters and embeddings {#sec:lab09}
 *
 * **Question.** An MLP reads pixels; can it read *symbols*? Given the letters of a word so far,
 * what is the next one — and what does a network add to simply counting?
 *
 * This chapter builds a character-level language model in the order the ideas arrived. First a
 * table of counts: how often each letter follows each other letter (a *bigram* model), turned into
 * probabilities, scored by the negative log-likelihood (NLL) of words it has not seen. Then the
 * same model as a one-layer network trained by gradient descent, where an L2 penalty plays the role
 * of the table's smoothing. Then the piece that makes categorical inputs cheap, the **embedding**
 * (`common/embedding.c`), and with it the neural language model of Bengio et al. (*A Neural
 * Probabilistic Language Model*, JMLR 2003): three letters of context, each a learned
 * 10-dimensional vector, one hidden layer. Last, eight letters of context, read either as one
 * flat vector or fused pairwise in three stages as WaveNet does (van den Oord et al., *WaveNet: A
 * Generative Model for Raw Audio*, 2016) — and what each model writes when we let it invent
 * words.
 *
 * The data are the English words of Debian's `wamerican` word list (installed by `make deps`,
 * checked by `make data`): lower-case a–z words only, so no capitals (proper names) and no
 * possessives. Every word is framed by a boundary symbol `.` that starts and ends it, so the
 * alphabet has 27 symbols and "cat" is the sequence `. c a t .`: four predictions (c after `.`,
 * a after c, t after a, the end after t).
 */
/* @fold the headers, and Config: the sizes of the experiment in full and quick mode */
#include <errno.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "embedding.h"
#include "nnlab.h"

extern char **environ;

typedef struct {
    int train_words;     /* training words used by the networks (0: all of them) */
    int dev_words;       /* dev words used everywhere (0: all of them) */
    int points;          /* quarter epochs of training of the language models (an evaluation after each) */
    int emb2d_points;    /* ... of the model with 2-D embeddings (section 6) */
    int gd_steps;        /* full-batch gradient-descent steps of the one-hot network */
    int seeds;
    int samples;         /* words sampled from each model to count real ones */
} Config;

static const Config FULL = {.train_words = 0, .dev_words = 0, .points = 4, .emb2d_points = 4, .gd_steps = 3000,
                            .seeds = 3, .samples = 1000};
static const Config QUICK = {.train_words = 4000, .dev_words = 1000, .points = 4, .emb2d_points = 4,
                             .gd_steps = 1500, .seeds = 3, .samples = 1000};
/* @end */

/* @fold the sizes: V = 27 symbols, BATCH = 128, EMB = 10, HIDDEN = 200, HIER_HIDDEN = 67, ... */
enum {
    V = 27,            /* symbols: the boundary '.' (0) and a..z (1..26) */
    MAXLEN = 32,       /* longest word kept (the list's longest is 22 letters); samples are cut here */
    BATCH = 128, EVAL = 1000,
    EMB = 10,          /* embedding dimensions */
    HIDDEN = 200,      /* the MLP's hidden width */
    HIER_HIDDEN = 67,  /* the hierarchical net's width: its parameter count matches the flat MLP's */
    SPLIT_SEED = 2003, /* the train/dev/test split is fixed, whatever --seed says */
    MAX_POINTS = 32,   /* evaluations per run */
    PER_EPOCH = 4,     /* evaluations per epoch */
    MAXCTX = 8,        /* the longest context */
    NALPHA = 5,
};
/* @end */
static const double ALPHAS[NALPHA] = {0, 0.01, 0.1, 1, 10};
static const double LAMBDAS[NALPHA] = {0, 1e-6, 1e-5, 1e-4, 1e-3};

static int sym(char c) { return c == '.' ? 0 : c - 'a' + 1; }
static char chr(int s) { return s == 0 ? '.' : (char)('a' + s - 1); }

/** **The data.** `make data` links the word list into `data/words/` and checks its SHA-256 against
 * `labs/words.sha256`. Here the lab keeps the lines made of the letters a–z alone, sorts and
 * deduplicates them, and splits them 80/10/10 into training, development ("dev") and test words
 * by a shuffle with a fixed seed. Every choice below — the smoothing strength, the penalty, the
 * architecture — is made on dev; test is read once, by the bigram table at the end of
 * section 1.
 */
/* @fold Words (n words); contains(): binary search; load_words(): the lines of a-z only */

typedef struct {
    char **w;   /* [n] words, pointers into one buffer */
    int n;
} Words;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool contains(const Words *sorted, const char *word) {
    return bsearch(&word, sorted->w, (size_t)sorted->n, sizeof(char *), cmp_str) != NULL;
}

static bool load_words(const char *path, char **buf, Words *all, int *lines) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "lab09: %s: cannot open (%s); run `make data` to fetch the word list\n", path,
                strerror(errno));
        return false;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    *buf = nn_calloc((size_t)size + 1, 1);
    size_t got = fread(*buf, 1, (size_t)size, f);
    fclose(f);
    (*buf)[got] = '\0';
    int cap = 1024;
    all->w = nn_calloc((size_t)cap, sizeof(char *)), all->n = 0, *lines = 0;
    for (char *line = *buf; *line;) {
        char *end = strchr(line, '\n');
        if (end) *end = '\0';
        (*lines)++;
        size_t len = strlen(line);
        bool ok = len > 0 && len < MAXLEN;
        for (size_t i = 0; ok && i < len; i++) ok = line[i] >= 'a' && line[i] <= 'z';
        if (ok) {
            if (all->n == cap) {
                char **grown = realloc(all->w, 2 * (size_t)cap * sizeof(char *));
                if (!grown) { fprintf(stderr, "out of memory\n"); exit(1); }
                all->w = grown, cap *= 2;
            }
            all->w[all->n++] = line;
        }
        if (!end) break;
        line = end + 1;
    }
    if (all->n < 100) {
        fprintf(stderr, "lab09: %s holds %d lower-case words, not a word list; run `make data`\n", path, all->n);
        return false;
    }
    return true;
}
/* @end */

/* @fold split_words(): sorted, deduplicated, shuffled 80/10/10; symbols_of(): the predictions */
/* Sorted and deduplicated all; then train, dev and test from a seeded shuffle (80/10/10). */
static void split_words(Words *all, Words *train, Words *dev, Words *test) {
    qsort(all->w, (size_t)all->n, sizeof(char *), cmp_str);
    int k = 0;
    for (int i = 0; i < all->n; i++)
        if (k == 0 || strcmp(all->w[i], all->w[k - 1]) != 0) all->w[k++] = all->w[i];
    all->n = k;
    int *order = nn_calloc((size_t)k, sizeof(int));
    for (int i = 0; i < k; i++) order[i] = i;
    Rng rng;
    rng_init(&rng, SPLIT_SEED);
    rng_shuffle(&rng, order, k);
    int ntr = k * 8 / 10, ndev = k / 10;
    Words *part[3] = {train, dev, test};
    int size[3] = {ntr, ndev, k - ntr - ndev};
    for (int p = 0, at = 0; p < 3; at += size[p], p++) {
        part[p]->n = size[p];
        part[p]->w = nn_calloc((size_t)size[p], sizeof(char *));
        for (int i = 0; i < size[p]; i++) part[p]->w[i] = all->w[order[at + i]];
    }
    free(order);
}

static long symbols_of(const Words *w) {   /* predictions: each letter and the end */
    long n = 0;
    for (int i = 0; i < w->n; i++) n += (long)strlen(w->w[i]) + 1;
    return n;
}
/* @end */

/** ## 1. Counting
 *
 * A model of the next symbol given the previous $T$ is a table: for every context $c$ (one of
 * $27^T$) the counts $N_{c,s}$ of each next symbol $s$ in the training words. Normalizing a row
 * gives the probabilities, and **add-$\alpha$ smoothing** pretends every pair was seen $\alpha$ extra times:
 * $$P(s \mid c) = \frac{N_{c,s} + \alpha}{\sum_{s'} N_{c,s'} + 27\,\alpha}.$$
 * The model is scored by the mean negative log-likelihood of the symbols of words it did not
 * count, $\mathrm{NLL} = -\frac1M \sum_{m} \ln P(s_m \mid c_m)$ — the cross-entropy of earlier
 * chapters with the table in place of a network. Knowing nothing (every symbol $1/27$) scores
 * $\ln 27 \approx 3.30$: the line to beat. With $\alpha = 0$ a pair never seen in training has
 * probability 0, and one such pair in dev makes the NLL infinite; a little $\alpha$ buys finite
 * surprise for everything at the price of a little probability taken from what was seen. $\alpha$ is
 * the ancestor of regularization, chosen on dev like any strength.
 *
 * The same two functions serve $T = 1$ (the bigram table, $27 \times 27$) and $T = 3$ (section 4's
 * context: $27^4$ entries). The context is the last $T$ symbols read as a base-27 number $c$; a
 * word starts with $T$ boundary symbols ($c = 0$), and each symbol $s$ read shifts the oldest out:
 * $$c \leftarrow (27\,c + s) \;\mathrm{mod}\; 27^T, \qquad \text{the count of } (c, s) \text{ in row } c,\ \text{column } s.$$
 * `ngram_nll` walks the words the same way and adds $-\ln P(s \mid c)$ with the smoothed
 * probability above; a probability of 0 makes it infinite, as it should.
 */
/* @fold ipow27(T): 27^T, the number of contexts of T symbols */
static size_t ipow27(int T) {
    size_t p = 1;
    while (T-- > 0) p *= V;
    return p;
}
/* @end */

/* counts[27^T, 27] += the (context, next) pairs of every word in w. */
static void ngram_count(uint32_t *counts, const Words *w, int T) {
    size_t nctx = ipow27(T);
    for (int i = 0; i < w->n; i++) {
        size_t ctx = 0;
        for (const char *p = w->w[i];; p++) {
            int s = *p ? sym(*p) : 0;
            counts[ctx * V + s]++;
            if (!*p) break;
            ctx = (ctx * V + (size_t)s) % nctx;
        }
    }
}

/* The mean NLL of the words w under the smoothed table of counts (rows summed in rowsum);
 * INFINITY when a symbol gets probability 0. *unseen (if not NULL) counts the predictions whose
 * context never occurred in training. */
static double ngram_nll(const uint32_t *counts, const uint64_t *rowsum, int T, double alpha, const Words *w,
                        long *unseen) {
    size_t nctx = ipow27(T);
    double nll = 0;
    long m = 0, never = 0;
    for (int i = 0; i < w->n; i++) {
        size_t ctx = 0;
        for (const char *p = w->w[i];; p++) {
            int s = *p ? sym(*p) : 0;
            m++, never += rowsum[ctx] == 0;
            double prob = (counts[ctx * V + s] + alpha) / ((double)rowsum[ctx] + V * alpha);
            nll -= prob > 0 ? log(prob) : -INFINITY;   /* 0/0 (unseen context, alpha 0) is a 0 too */
            if (!*p) break;
            ctx = (ctx * V + (size_t)s) % nctx;
        }
    }
    if (unseen) *unseen = never;
    return nll / (double)m;
}

/* @fold unseen_contexts(): dev predictions whose T-symbol context training never saw; row_sums() */
/* Of the predictions in dev, how many have a T-symbol context that never occurs in train?
 * For long contexts no table fits in memory (27^8, about 2.8e11, contexts), so each
 * context is a base-27 number and the training ones are sorted and searched. */
static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static uint64_t *context_codes(const Words *w, int T, long *n) {
    *n = symbols_of(w);
    uint64_t *code = nn_calloc((size_t)*n, sizeof(uint64_t)), nctx = ipow27(T);
    long k = 0;
    for (int i = 0; i < w->n; i++) {
        uint64_t ctx = 0;
        for (const char *p = w->w[i];; p++) {
            code[k++] = ctx;
            if (!*p) break;
            ctx = (ctx * V + (uint64_t)sym(*p)) % nctx;
        }
    }
    return code;
}

static long unseen_contexts(const Words *train, const Words *dev, int T) {
    long ntr, ndev, unseen = 0;
    uint64_t *tr = context_codes(train, T, &ntr), *dv = context_codes(dev, T, &ndev);
    qsort(tr, (size_t)ntr, sizeof *tr, cmp_u64);
    for (long i = 0; i < ndev; i++) unseen += !bsearch(&dv[i], tr, (size_t)ntr, sizeof *tr, cmp_u64);
    free(tr), free(dv);
    return unseen;
}

static void row_sums(uint64_t *rowsum, const uint32_t *counts, size_t nctx) {
    for (size_t c = 0; c < nctx; c++) {
        rowsum[c] = 0;
        for (int s = 0; s < V; s++) rowsum[c] += counts[c * V + s];
    }
}
/* @end */

/** **Result.** Of the list's {{lab09:lines}} lines, {{lab09:words}} are distinct lower-case words;
 * the split gives {{lab09:train_words}} training, {{lab09:dev_words}} dev and
 * {{lab09:test_words}} test words, that is {{lab09:train_symbols}} training and
 * {{lab09:dev_symbols}} dev predictions. @fig:lab09-bigram is the table. Its first row is how
 * words begin, its first column how they end; the pale row is *q*, which is followed by *u*
 * and almost nothing else. {{lab09:zero_pairs}} of the 729 pairs never occur in the training
 * words, and {{lab09:unseen_dev_pairs}} dev predictions use one of them — enough for $\alpha = 0$ to
 * give a dev NLL that is **{{lab09:alpha0_dev_nll}}**. The best $\alpha$ on dev is
 * {{lab09:best_alpha}}, with a dev NLL of **{{lab09:bigram_dev_nll}}** nats per symbol against
 * the uniform model's {{lab09:uniform_nll}}; the test words, read once with that $\alpha$, score
 * {{lab09:bigram_test_nll}}. With {{lab09:train_symbols|int}} training predictions for 729 cells, the
 * table is well filled and smoothing moves the NLL only in the third decimal (@fig:lab09-smoothing,
 * left): $\alpha$ matters where counts are few, as they will be for longer contexts.
 *
 * ![The bigram table of the training words: how often each symbol (column) follows each symbol
 * (row), log colour scale; `.` is the boundary, white cells never occur.](lab09_bigram){#fig:lab09-bigram}
 */

/** ## 2. The same model as a network
 *
 * Feed the previous symbol as a one-hot vector $x = e_i$ into a Linear layer without bias,
 * $W$ `[27, 27]`, and the logits $z = x W^\top$ are column $i$ of $W$: a free row of 27 numbers
 * per context, turned into probabilities by the softmax. Trained by gradient descent on the
 * cross-entropy, this network can represent exactly the count model's table (with
 * $z = \ln P$), and its loss minimum *is* the $\alpha = 0$ table's training NLL.
 *
 * There is a shortcut that is also an insight. Over the whole training set the loss is
 * $$L = -\frac1M \sum_{i,s} N_{i,s}\, \ln \mathrm{softmax}(z_i)_s,\qquad
 *   \frac{\partial L}{\partial z_i} = \frac{1}{M}\Big(\textstyle\sum_s N_{i,s}\;p_i - N_{i,\cdot}\Big),$$
 * so the network sees the data only through the bigram counts: a full-batch step needs the
 * 27 × 27 table, not the $M$ one-hot rows. We run the network on the 27 one-hot rows (the
 * identity matrix) and feed back the gradient above; the lab checks once that it equals the
 * gradient of the literal batch of all $M$ one-hot training pairs.
 *
 * Where the shortcut comes from: for one pair $(i, s)$ of a batch of $M$, the library's
 * cross-entropy gradient is $(p_i - e_s)/M$ (Lab 1 derives it; `smoothing` is 0 here):
 *
 * @include common/loss.c:xent_backward
 *
 * All $N_{i,s}$ pairs with the same previous symbol $i$ share the logits $z_i$, so their
 * gradients add up, and with the row sum $N_i = \sum_s N_{i,s}$ (`rowsum`)
 * $$\frac{\partial L}{\partial z_i} = \frac1M \sum_s N_{i,s}\,(p_i - e_s) = \frac1M\big(N_i\, p_i - N_{i,\cdot}\big),$$
 * the formula above, which `onehot_net_step` computes from the table. It vanishes where
 * $p_i = N_{i,\cdot}/N_i$: the minimum is the $\alpha = 0$ table, row by row, as claimed.
 *
 * An L2 penalty $\frac\lambda2 \lVert W\rVert^2$ pulls every logit towards 0, that is every row
 * towards the uniform distribution — what $\alpha$ does to the table. We train at each λ and read the
 * dev NLL next to the NLL against $\alpha$.
 */
typedef struct {
    Net net;             /* Linear(27 -> 27), no bias */
    real eye[V * V];     /* the 27 one-hot inputs */
    real probs[V * V];   /* softmax of the logits, then the gradient */
} OneHotNet;

static void onehot_net_init(OneHotNet *o, Rng *rng) {
    net_init(&o->net, V);
    net_add_linear(&o->net, V, V, false, init_value(INIT_NORMAL, R(0.01)), rng);
    for (int i = 0; i < V * V; i++) o->eye[i] = i / V == i % V;
}

/* @fold onehot_net_probs(): probs [27, 27], the softmax of each row of the 27 inputs' logits */
/* probs[27,27] = softmax over each row of the logits of the 27 one-hot inputs. */
static const real *onehot_net_probs(OneHotNet *o) {
    const real *z = net_forward(&o->net, o->eye, V, false, NULL);
    for (int i = 0; i < V; i++) {
        const real *zr = z + i * V;
        real *pr = o->probs + i * V;
        real mx = zr[0], sum = 0;
        for (int s = 1; s < V; s++) mx = fmax(mx, zr[s]);
        for (int s = 0; s < V; s++) sum += (pr[s] = exp(zr[s] - mx));
        for (int s = 0; s < V; s++) pr[s] /= sum;
    }
    return o->probs;
}
/* @end */

/** One step: the probabilities of the 27 rows, the loss and its gradient from the counts as
 * above, the network's backward pass (Lab 1's Linear layer: $dW = dz^\top I = dz$), then the
 * penalty, which adds $\lambda W$ to the gradient — the derivative of $\frac\lambda2 \lVert W \rVert^2$
 * — and the SGD step. */
/* One full-batch step: the gradient from the counts (above), the L2 penalty, SGD. Returns L. */
static double onehot_net_step(OneHotNet *o, Optimizer *opt, const uint32_t *counts, const uint64_t *rowsum,
                              double M, real lambda) {
    optim_zero_grad(opt);
    const real *p = onehot_net_probs(o);
    double loss = 0;
    for (int i = 0; i < V * V; i++) loss -= counts[i] ? counts[i] * log((double)p[i]) : 0;
    for (int i = 0; i < V; i++)   /* dL/dz_i = (N_i. p_i - N_i) / M */
        for (int s = 0; s < V; s++)
            o->probs[i * V + s] = (real)((rowsum[i] * (double)p[i * V + s] - counts[i * V + s]) / M);
    net_backward(&o->net, o->probs);
    if (lambda > 0) penalty_l2(opt->params, opt->nparams, lambda);
    optim_step(opt, opt->cfg.lr);
    return loss / M;
}

/* @fold onehot_net_nll(): the mean NLL of a list of words under the network's current table */
/* The mean NLL of w under the network's current table. */
static double onehot_net_nll(OneHotNet *o, const Words *w) {
    const real *p = onehot_net_probs(o);
    double nll = 0;
    long m = 0;
    for (int i = 0; i < w->n; i++) {
        int prev = 0;
        for (const char *c = w->w[i];; c++) {
            int s = *c ? sym(*c) : 0;
            m++, nll -= log((double)p[prev * V + s]);
            if (!*c) break;
            prev = s;
        }
    }
    return nll / (double)m;
}
/* @end */

/* @fold the check of the shortcut: the literal one-hot batch of every training pair, in chunks */
static double onehot_shortcut_check(OneHotNet *o, const Words *train, const uint32_t *counts,
                                    const uint64_t *rowsum, double M) {
    enum { CHUNK = 4096 };
    Net big;   /* the same weights, sized for a chunk of one-hot rows */
    Rng rng;
    rng_init(&rng, 1);
    net_init(&big, CHUNK);
    net_add_linear(&big, V, V, false, init_make(INIT_ZEROS), &rng);
    memcpy(big.layers[0].linear.W, o->net.layers[0].linear.W, sizeof(real) * V * V);
    real *x = nn_calloc((size_t)CHUNK * V, sizeof(real)), *probs = nn_calloc((size_t)CHUNK * V, sizeof(real));
    int *prev = nn_calloc(CHUNK, sizeof(int)), *next = nn_calloc(CHUNK, sizeof(int));
    net_zero_grad(&big);
    int n = 0;
    for (int i = 0; i < train->n; i++) {
        int p = 0;
        for (const char *c = train->w[i];; c++) {
            int s = *c ? sym(*c) : 0;
            prev[n] = p, next[n] = s, n++;
            bool last = !*c && i == train->n - 1;
            if (n == CHUNK || last) {   /* forward the chunk, backward with dlogits = (p - y) / M */
                onehot_encode(x, prev, n, V);
                const real *z = net_forward(&big, x, n, true, NULL);
                xent_forward(probs, z, next, n, V, 0);
                xent_backward(probs, probs, next, n, V, 0);
                for (int j = 0; j < n * V; j++) probs[j] *= (real)(n / M);
                net_backward(&big, probs);
                n = 0;
            }
            if (!*c) break;
            p = s;
        }
    }
    /* the shortcut's gradient at the same weights */
    const real *p = onehot_net_probs(o);
    real dz[V * V];
    for (int i = 0; i < V; i++)
        for (int s = 0; s < V; s++) dz[i * V + s] = (real)((rowsum[i] * (double)p[i * V + s] - counts[i * V + s]) / M);
    net_zero_grad(&o->net);
    net_backward(&o->net, dz);
    double worst = 0, scale = 0;
    for (int i = 0; i < V * V; i++) {
        worst = fmax(worst, fabs((double)big.layers[0].linear.dW[i] - o->net.layers[0].linear.dW[i]));
        scale = fmax(scale, fabs((double)o->net.layers[0].linear.dW[i]));
    }
    net_zero_grad(&o->net);
    free(x), free(probs), free(prev), free(next);
    net_free(&big);
    return worst / scale;
}
/* @end */

/** The check of the shortcut (folded above) copies the weights into a network sized for
 * chunks of 4,096 one-hot rows, runs every training pair through it with the library's
 * cross-entropy, accumulating the gradient chunk by chunk (each scaled to the batch of all $M$),
 * and compares the result with the gradient from the counts at the same weights.
 *
 * **Result.** After {{lab09:gd_steps}} full-batch steps (SGD, learning rate 50, momentum 0.9)
 * the one-hot network's training NLL is {{lab09:onehot_train_nll}}, against the $\alpha = 0$ table's
 * minimum of {{lab09:bigram_train_nll}}; with λ chosen on dev ({{lab09:best_lambda|g2}}) its dev
 * NLL is **{{lab09:onehot_dev_nll}}**, the table's {{lab09:bigram_dev_nll}}. At
 * initialization, the gradient from the counts and the gradient of the literal batch of all
 * training pairs agreed to {{lab09:shortcut_rel_diff|sci}} (relative; float sums in another
 * order). @fig:lab09-smoothing sets the two knobs side by side: both pull towards the uniform
 * distribution, both cost training NLL, and past a point both cost dev NLL too. They are not the
 * same knob — $\alpha$ adds the same fake counts to every row, so it matters most for rare rows,
 * while λ penalizes large logits everywhere, so their scales differ. Note also that the network
 * at λ = 0 never gives an infinite NLL: gradient descent pushes the logit of a never-seen pair
 * towards $-\infty$ but never gets there in finitely many steps, so stopping early is itself a
 * little smoothing.
 *
 * ![Left: the bigram table's NLL against the add-$\alpha$ smoothing; right: the one-hot network's NLL
 * against its L2 penalty λ. Dotted lines: the value at 0 (no smoothing, no penalty), where
 * $\alpha = 0$ gives an infinite dev NLL.](lab09_smoothing){#fig:lab09-smoothing}
 */

/** ## 3. Embeddings
 *
 * A one-hot vector times a matrix picks a row. For 27 symbols that is cheap enough to do
 * literally, but a vocabulary of 50,000 words would make every input a 50,000-wide vector of
 * zeros and every product 50,000 times more work than needed. An **embedding layer** stores the
 * matrix as a table $C$ `[V, D]` and does the lookup directly (`common/embedding.c`). Write the
 * batch of symbols `idx` `[N]` as one-hot rows $X$ `[N, V]`, row $n$ being $e_{\mathrm{idx}[n]}$.
 * The product $Y = XC$ is a Linear layer without bias, so its backward pass is Lab 1's,
 * $dC = X^\top dY$. Both collapse, because $X$ has a single 1 per row:
 * $$Y_{n\cdot} = \sum_v X_{nv}\, C_{v\cdot} = C_{\mathrm{idx}[n]\,\cdot}, \qquad
 *   dC_{v\cdot} = \sum_n X_{nv}\, dY_{n\cdot} = \sum_{n:\ \mathrm{idx}[n] = v} dY_{n\cdot} .$$
 * The forward pass is a row lookup, $D$ numbers copied per position; the backward pass a
 * scatter-add: rows nobody used get nothing, and a symbol used twice in a batch collects both
 * gradients, exactly what $X^\top dY$ sums.
 *
 * @include common/embedding.c:embedding_forward,embedding_backward
 *
 * The one-hot route builds $X$ and multiplies, $V \cdot D$ multiply-adds per position instead of
 * $D$ copies:
 *
 * @include common/embedding.c:onehot_encode
 *
 * `embedding_vs_onehot` checks that the two give the same numbers on a batch of training contexts,
 * and times both, forward and backward, the fastest of five repeats. The one-hot route is a
 * Linear layer's two products, each one `gemm` call: $Y_1 = XC$ forward and $dC_1 = X^\top dY$
 * backward (the `true` transposes $X$).
 */
/* @fold EmbeddingCheck: the largest differences, and the fastest times of the two */
typedef struct {
    double value_diff, grad_diff;          /* largest |difference| (gradients: relative to the largest) */
    double lookup_seconds, onehot_seconds; /* one forward + backward, fastest of the repeats */
} EmbeddingCheck;
/* @end */

static EmbeddingCheck embedding_vs_onehot(const int *idx, int N, Rng *rng) {
    /* @fold e: 27 x 10; y, y1 [N, EMB] the two outputs; dy random; x [N, 27] */
    Embedding e;
    embedding_init(&e, V, EMB, rng);
    real *y = nn_calloc((size_t)N * EMB, sizeof(real)), *y1 = nn_calloc((size_t)N * EMB, sizeof(real));
    real *dy = nn_calloc((size_t)N * EMB, sizeof(real)), *x = nn_calloc((size_t)N * V, sizeof(real));
    real dC1[V * EMB];
    for (size_t i = 0; i < (size_t)N * EMB; i++) dy[i] = (real)rng_normal(rng);
    EmbeddingCheck r = {0, 0, INFINITY, INFINITY};
    /* @end */
    for (int rep = 0; rep < 5; rep++) {
        /* @fold zeroes dC; starts the clock */
        memset(e.dC, 0, sizeof(real) * V * EMB);
        double t0 = nn_seconds();
        /* @end */
        embedding_forward(y, idx, e.C, N, EMB);                     /* y = C[idx] */
        embedding_backward(e.dC, dy, idx, N, EMB);                  /* dC += scatter(dy) */
        double t1 = nn_seconds();
        onehot_encode(x, idx, N, V);                                /* x [N, 27] */
        gemm(false, false, N, EMB, V, 1, x, V, e.C, EMB, 0, y1, EMB);  /* y1 = x C */
        gemm(true, false, V, EMB, N, 1, x, V, dy, EMB, 0, dC1, EMB);   /* dC1 = x^T dy */
        double t2 = nn_seconds();
        /* @fold keeps the fastest times */
        r.lookup_seconds = fmin(r.lookup_seconds, t1 - t0);
        r.onehot_seconds = fmin(r.onehot_seconds, t2 - t1);
        /* @end */
    }
    /* @fold the largest differences of the values and (relative) of the gradients; frees */
    for (size_t i = 0; i < (size_t)N * EMB; i++) r.value_diff = fmax(r.value_diff, fabs((double)y[i] - y1[i]));
    double scale = 0;   /* the gradient difference relative to the largest gradient entry */
    for (int i = 0; i < V * EMB; i++) r.grad_diff = fmax(r.grad_diff, fabs((double)e.dC[i] - dC1[i]));
    for (int i = 0; i < V * EMB; i++) scale = fmax(scale, fabs((double)dC1[i]));
    r.grad_diff /= scale;
    free(y), free(y1), free(dy), free(x);
    embedding_free(&e);
    /* @end */
    return r;
}

/** **Result.** On a minibatch of 128 contexts the lookup and the one-hot product give the same
 * values to the bit (largest difference {{lab09:emb_value_diff}}) and the same gradients to
 * {{lab09:emb_grad_diff|sci}} of the largest entry: the scatter-add sums the same numbers as
 * $x^\top dy$, in another order. Timed on {{lab09:lookups}} lookups (forward and backward,
 * fastest of five), the lookup is {{lab09:lookup_speedup|g2}} times faster than building the
 * one-hot rows and multiplying. The one-hot route does $V = 27$ times the arithmetic and must
 * also write and read the one-hot rows, but its products run at the speed of `gemm`, while the
 * lookup only moves memory; the ratio depends on the machine and on what else it is doing. The
 * gradient check of a small hierarchical model (the net of section 5, with every layer narrow) in double, every parameter from the
 * embedding table up, gives a worst relative error of {{lab09:gradcheck_max_rel_err}}.
 */

/** ## 4. A neural language model
 *
 * Bengio et al.'s model reads the previous $T = 3$ symbols, looks each up in
 * one shared embedding table $C$ `[27, 10]`, concatenates the three vectors into one input of 30
 * numbers, and puts one tanh hidden layer of 200 units (with BatchNorm [@ioffe2015batch] before
 * the tanh, so its Linear layer has no bias) and a softmax over the 27 symbols on top:
 * $$h = \tanh\big(\mathrm{BN}([C_{c_1}, C_{c_2}, C_{c_3}]\, W_1^\top)\big),\qquad
 *   p = \mathrm{softmax}(h W_2^\top + b_2).$$
 * The count model with the same context would need a table of $27^4 = 531{,}441$ entries; most
 * contexts are rare or never seen, and the table knows nothing about a context it has not seen.
 * The network shares what it learns: letters that behave alike get nearby vectors, so what it
 * learned after "str" helps after "spr".
 *
 * The embedding sits in front of the library's `Net` as straight-line calls: the lookup's output
 * `[N*T, 10]` *is* the concatenated input `[N, T*10]` in memory, since row $n$ of the latter is
 * rows $nT, \dots, nT + T - 1$ of the former side by side, and the `Net`'s input gradient
 * (`input_grad`) flows back into the scatter-add the same way. The hidden layer starts with He's
 * initialization at tanh's gain $5/3$ (Lab 6), the output layer with a gain of 0.1, so that the
 * first logits are small and the loss starts near $\ln 27$ (the check of Lab 1).
 *
 * One `CharNet` serves this model and the next section's hierarchical one: an embedding table
 * and one `Net` per stage (this model has a single stage; the next has three). `charnet_init`
 * builds the stages — Linear without bias, BatchNorm, tanh, and on the last one the output layer
 * to the 27 logits; `charnet_forward` looks the contexts up and
 * runs the stages, halving the rows at each; `charnet_backward` runs them in reverse and ends in
 * the scatter-add.
 */
typedef enum { ARCH_FLAT, ARCH_HIER } Arch;

typedef struct {
    Arch arch;
    int T, E, H;
    Embedding emb;
    Net stage[3];      /* flat: one Net; hierarchical: one per fusion stage */
    int nstages;
    real *e;           /* [max_batch * T, E] the embedded contexts */
} CharNet;

static void charnet_init(CharNet *m, Arch arch, int T, int E, int H, int max_batch, Rng *rng) {
    *m = (CharNet){.arch = arch, .T = T, .E = E, .H = H};
    embedding_init(&m->emb, V, E, rng);
    m->e = nn_calloc((size_t)max_batch * T * E, sizeof(real));
    Init hidden = init_make(INIT_HE_NORMAL), out = init_make(INIT_XAVIER_UNIFORM);
    hidden.gain = R(5.0 / 3);   /* tanh's gain */
    out.gain = R(0.1);          /* small logits: the loss starts near ln 27 */
    /* @fold nstages: 1 for the flat net, log2 T (3 for T = 8) for the hierarchical one */
    m->nstages = arch == ARCH_FLAT ? 1 : 0;
    if (arch == ARCH_HIER)
        for (int t = T; t > 1; t /= 2) m->nstages++;
    /* @end */
    int in = arch == ARCH_FLAT ? T * E : 2 * E, rows = arch == ARCH_FLAT ? max_batch : max_batch * T / 2;
    for (int k = 0; k < m->nstages; k++, rows /= 2, in = 2 * H) {
        Net *s = &m->stage[k];
        net_init(s, rows);
        s->input_grad = true;   /* its dx feeds the stage below, or the embedding */
        net_add_linear(s, in, H, false, hidden, rng);
        net_add_norm(s, NORM_BATCH);
        net_add_act(s, act_make(ACT_TANH));
        if (k == m->nstages - 1) net_add_linear(s, H, V, true, out, rng);
    }
}

/* @fold charnet_free() */
static void charnet_free(CharNet *m) {
    embedding_free(&m->emb);
    for (int k = 0; k < m->nstages; k++) net_free(&m->stage[k]);
    free(m->e);
    *m = (CharNet){0};
}
/* @end */

/* ctx: [N, T] symbols; returns the logits [N, 27]. */
static const real *charnet_forward(CharNet *m, const int *ctx, int N, bool training) {
    embedding_forward(m->e, ctx, m->emb.C, N * m->T, m->E);   /* [N*T, E] = [N, T*E] */
    const real *h = m->e;
    int rows = m->arch == ARCH_FLAT ? N : N * m->T / 2;       /* hierarchical: pairs of positions */
    for (int k = 0; k < m->nstages; k++, rows /= 2) h = net_forward(&m->stage[k], h, rows, training, NULL);
    return h;
}

/* dlogits: [N, 27] for the last forward; accumulates every parameter's gradient. */
static void charnet_backward(CharNet *m, const int *ctx, int N, const real *dlogits) {
    const real *d = dlogits;
    for (int k = m->nstages - 1; k >= 0; k--) d = net_backward(&m->stage[k], d);
    embedding_backward(m->emb.dC, d, ctx, N * m->T, m->E);   /* d: [N*T, E] */
}

/* @fold charnet_params(): the embedding table and every stage's parameters, for the optimizer */
static int charnet_params(CharNet *m, Param *p, int max) {
    int n = 0;
    p[n++] = embedding_param(&m->emb);
    for (int k = 0; k < m->nstages; k++) n += net_params(&m->stage[k], p + n, max - n);
    return n;
}
/* @end */

/* @fold Examples (ctx[T] -> next); examples_sample(); charnet_nll(): the mean NLL, eval mode */
typedef struct {
    int T, n;
    int *ctx;   /* [n, T] */
    int *y;     /* [n] */
} Examples;

static void examples_make(Examples *ex, const Words *w, int T) {
    ex->T = T, ex->n = (int)symbols_of(w);
    ex->ctx = nn_calloc((size_t)ex->n * T, sizeof(int));
    ex->y = nn_calloc((size_t)ex->n, sizeof(int));
    int k = 0;
    for (int i = 0; i < w->n; i++) {
        int window[MAXCTX] = {0};   /* the last T symbols, boundary-padded */
        for (const char *p = w->w[i];; p++) {
            int s = *p ? sym(*p) : 0;
            memcpy(ex->ctx + (size_t)k * T, window, sizeof(int) * T);
            ex->y[k++] = s;
            memmove(window, window + 1, sizeof(int) * (T - 1));
            window[T - 1] = s;
            if (!*p) break;
        }
    }
}

static void examples_free(Examples *ex) { free(ex->ctx), free(ex->y); }

/* The first n examples of a shuffled copy (a fixed sample of the training set). */
static Examples examples_sample(const Examples *ex, int n, Rng *rng) {
    Examples s = {ex->T, n < ex->n ? n : ex->n, NULL, NULL};
    int *order = nn_calloc((size_t)ex->n, sizeof(int));
    for (int i = 0; i < ex->n; i++) order[i] = i;
    rng_shuffle(rng, order, ex->n);
    s.ctx = nn_calloc((size_t)s.n * s.T, sizeof(int)), s.y = nn_calloc((size_t)s.n, sizeof(int));
    for (int i = 0; i < s.n; i++) {
        memcpy(s.ctx + (size_t)i * s.T, ex->ctx + (size_t)order[i] * s.T, sizeof(int) * s.T);
        s.y[i] = ex->y[order[i]];
    }
    free(order);
    return s;
}

/* The mean NLL of the examples in evaluation mode (BatchNorm's running averages). */
static double charnet_nll(CharNet *m, const Examples *ex, real *probs) {
    double nll = 0;
    for (int at = 0; at < ex->n; at += EVAL) {
        int n = ex->n - at < EVAL ? ex->n - at : EVAL;
        const real *z = charnet_forward(m, ex->ctx + (size_t)at * ex->T, n, false);
        nll += (double)xent_forward(probs, z, ex->y + at, n, V, 0) * n;
    }
    return nll / ex->n;
}
/* @end */

/** Training is the loop of every chapter — zero_grad, forward, loss, backward, step — over
 * shuffled minibatches of 128 contexts, with Adam [@kingma2015adam] and a cosine learning-rate
 * schedule from 3e-3 down to a hundredth of it over the whole run. After each quarter epoch
 * (`per_point` steps) we measure the dev NLL and the NLL of a fixed sample of (at most 10,000)
 * training examples, both in evaluation mode: BatchNorm then normalizes with the running
 * averages it kept during training rather than with the statistics of the batch (Lab 4), so a
 * context's prediction does not depend on the others evaluated with it. The loss is Lab 1's
 * fused softmax and cross-entropy: `xent_forward` writes the probabilities into `probs`, and
 * `xent_backward` overwrites them with the gradient $(p - e_y)/N$, which `charnet_backward` takes
 * down to the embedding table. */
/* @fold Job: one run's settings (arch, T, E, H, seed, points), data, net and curves */
typedef struct {
    Arch arch;
    int T, E, H, seed, points;
    const Examples *train, *train_sample, *dev;
    CharNet net;                     /* kept after training, for sampling and drawing */
    double train_nll[MAX_POINTS], dev_nll[MAX_POINTS];   /* after each quarter epoch */
    double seconds;
    size_t params;
} Job;
/* @end */

static void train_job(void *ctx_, int j, int worker) {
    /* @fold job: the j-th of the array */
    (void)worker;
    Job *job = &((Job *)ctx_)[j];
    /* @end */
    Rng rng;
    rng_init(&rng, (uint64_t)job->seed);
    CharNet *m = &job->net;
    charnet_init(m, job->arch, job->T, job->E, job->H, EVAL, &rng);
    /* @fold Adam (learning rate 3e-3), the cosine schedule over all steps, the buffers */
    Param params[16];
    int np = charnet_params(m, params, 16);
    job->params = params_count(params, np);
    OptConfig oc = optim_defaults(OPT_ADAM);
    oc.lr = R(3e-3);
    Optimizer opt;
    optim_init(&opt, oc, params, np);
    const Examples *tr = job->train;
    int per_point = tr->n / BATCH / PER_EPOCH > 0 ? tr->n / BATCH / PER_EPOCH : 1;   /* steps */
    Schedule sched = schedule_cosine(oc.lr, per_point * job->points, oc.lr / 100);
    int *order = nn_calloc((size_t)tr->n, sizeof(int)), *ctx = nn_calloc((size_t)BATCH * job->T, sizeof(int));
    int *y = nn_calloc(BATCH, sizeof(int));
    real *probs = nn_calloc((size_t)EVAL * V, sizeof(real));
    for (int i = 0; i < tr->n; i++) order[i] = i;
    double t0 = nn_seconds();
    /* @end */
    long step = 0;
    int pos = tr->n;   /* where the next minibatch starts in this pass's order */
    for (int point = 0; point < job->points; point++) {
        for (int k = 0; k < per_point; k++, step++) {
            /* @fold ctx [BATCH, T], y [BATCH]: the next minibatch of a shuffled pass */
            if (pos + BATCH > tr->n) rng_shuffle(&rng, order, tr->n), pos = 0;   /* a new pass */
            for (int i = 0; i < BATCH; i++, pos++) {
                memcpy(ctx + i * job->T, tr->ctx + (size_t)order[pos] * job->T, sizeof(int) * job->T);
                y[i] = tr->y[order[pos]];
            }
            /* @end */
            optim_zero_grad(&opt);
            const real *z = charnet_forward(m, ctx, BATCH, true);
            xent_forward(probs, z, y, BATCH, V, 0);
            xent_backward(probs, probs, y, BATCH, V, 0);
            charnet_backward(m, ctx, BATCH, probs);
            optim_step(&opt, (real)schedule_lr(&sched, step));
        }
        job->train_nll[point] = charnet_nll(m, job->train_sample, probs);
        job->dev_nll[point] = charnet_nll(m, job->dev, probs);
        /* @fold prints the point */
        printf("    %s, %d symbols, %d-D embedding, seed %d: %.2f epochs, dev NLL %.4f\n",
               job->arch == ARCH_HIER ? "hierarchical" : "flat MLP", job->T, job->E, job->seed,
               (point + 1.0) / PER_EPOCH, job->dev_nll[point]);
        /* @end */
    }
    /* @fold the time; frees */
    job->seconds = nn_seconds() - t0;
    free(order), free(ctx), free(y), free(probs);
    optim_free(&opt);
    /* @end */
}

/* @fold the gradient check of the hierarchical model in double (lab09_f64 --gradcheck-only) */
typedef struct {
    CharNet *m;
    const int *ctx;
    const real *G;
    int N;
} CharProbe;

static double char_probe(void *c_) {
    CharProbe *c = c_;
    const real *z = charnet_forward(c->m, c->ctx, c->N, true);
    double f = 0;
    for (int i = 0; i < c->N * V; i++) f += (double)z[i] * c->G[i];
    return f;
}

/* Every parameter of a small hierarchical model (embedding, three fused stages with BatchNorm)
 * against central differences, in training mode; returns the worst relative error. */
static double gradcheck_hier(uint64_t seed) {
    enum { N = 5, T = 8, E = 3, H = 4 };
    Rng rng;
    rng_init(&rng, seed);
    CharNet m;
    charnet_init(&m, ARCH_HIER, T, E, H, N, &rng);
    int ctx[N * T];
    real G[N * V];
    for (int i = 0; i < N * T; i++) ctx[i] = rng_below(&rng, V);
    for (int i = 0; i < N * V; i++) G[i] = (real)rng_normal(&rng);
    Param p[16];
    int np = charnet_params(&m, p, 16);
    params_zero_grad(p, np);
    charnet_forward(&m, ctx, N, true);
    charnet_backward(&m, ctx, N, G);
    CharProbe c = {&m, ctx, G, N};
    double worst = 0;
    for (int k = 0; k < np; k++) {
        GradCheck r = gradcheck(char_probe, &c, p[k].w, p[k].g, p[k].n, 0, 1e-4);
        worst = fmax(worst, r.max_rel_err);
    }
    charnet_free(&m);
    return worst;
}

/* The worst relative error, or -1 (the reason printed) when the double twin cannot be run. */
static double gradcheck_in_double(const Lab *lab) {
    if (sizeof(real) == sizeof(double)) return gradcheck_hier(lab->seed);
    char self[1024], twin[1100], seed[32], line[128];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) { fprintf(stderr, "lab09: cannot find its own path\n"); return -1; }
    self[len] = '\0';
    snprintf(twin, sizeof twin, "%s_f64", self);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)lab->seed);
    char *argv[] = {twin, "--gradcheck-only", "--seed", seed, "--out", (char *)lab->out, NULL};
    int fd[2];
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status;
    double worst = -1;
    fflush(stdout);
    if (pipe(fd) != 0) { fprintf(stderr, "lab09: cannot make a pipe\n"); return -1; }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    bool ok = posix_spawn(&pid, twin, &fa, NULL, argv, environ) == 0;
    close(fd[1]);
    FILE *f = fdopen(fd[0], "r");
    while (ok && f && fgets(line, sizeof line, f)) sscanf(line, "gradcheck %lf", &worst);
    if (f) fclose(f);
    posix_spawn_file_actions_destroy(&fa);
    if (!ok || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || worst < 0) {
        fprintf(stderr, "lab09: the double-precision gradient check (%s) failed; run `make` to build it\n", twin);
        return -1;
    }
    return worst;
}
/* @end */

/** **Result: three symbols of context.** @fig:lab09-mlp follows the MLP through
 * its training (epochs: {{lab09:epochs|g2}}), three seeds. Its dev NLL ends at
 * **{{lab09:mlp_dev_nll}}** (mean of {{lab09:seeds}} seeds), below the bigram table's
 * {{lab09:bigram_dev_nll}}: three letters say more about the next than one does. The
 * training and dev curves stay close together — {{lab09:mlp_params}} parameters cannot
 * memorize {{lab09:train_symbols}} predictions; if anything the model underfits.
 *
 * ![Bengio's MLP (3 symbols of context): NLL on a fixed sample of training examples and on dev,
 * min–max over three seeds.](lab09_mlp){#fig:lab09-mlp}
 *
 * The count model with the same context is a table of {{lab09:table4_entries}} entries, of which
 * the training words fill {{lab09:table4_filled}}: mostly empty indeed. But English spelling
 * visits few three-letter contexts — {{lab09:contexts3_seen}} of the 19,683 occur in training —
 * and visits them often, so only {{lab09:unseen_ctx_dev}} dev predictions
 * ({{lab09:unseen_ctx_dev_share|pct}}) have a context the table never saw. Smoothed with
 * $\alpha =$ {{lab09:count4_alpha}}, the table scores {{lab09:count4_dev_nll}} on dev: with this much
 * data and this short a context, counting is hard to beat, and our small MLP does not (see the
 * claims). The table's reach ends as the context grows: with eight symbols,
 * {{lab09:unseen_ctx8_dev_share|pct}} of dev predictions have a context never seen in training,
 * and the table would need $27^9 \approx 7.6 \cdot 10^{12}$ entries. There only a model that
 * shares what it learns between contexts has anything to say.
 */

/** ## 5. Hierarchical context
 *
 * With $T = 8$ symbols a flat MLP squashes all eight vectors into its first layer at once. A
 * WaveNet-like net fuses them gradually: stage 1 reads neighbouring *pairs*
 * of embeddings (8 → 4 positions), stage 2 pairs of those (4 → 2), stage 3 the last pair (2 → 1),
 * each stage Linear → BatchNorm → tanh. Fusing pairs is free in memory: the rows of a stage's
 * output `[N*4, H]` read as `[N*2, 2H]` are exactly the concatenated neighbouring pairs, so each
 * stage is an ordinary `Net` run on more rows than there are words. BatchNorm then averages over
 * all those rows — every (word, position) pair counts as a sample of the batch, as it should,
 * since the stage applies the same weights at every position.
 *
 * The width of the hierarchical net is chosen for a fair fight. With $V = 27$ symbols, $E = 10$
 * dimensions, BatchNorm's scale and shift (two per unit) and no bias in the Linear layer before
 * it, the flat MLP of width $H$ on $T$ symbols and the hierarchical net of width $H'$ have
 * $$P_\text{flat} = VE + TE\,H + 2H + HV + V, \qquad
 *   P_\text{hier} = VE + 2E\,H' + 2\,(2H' \cdot H') + 3 \cdot 2H' + H'V + V$$
 * parameters (the embedding table, the stages, the output layer); $H = 200$ and $H' = 67$ give
 * {{lab09:flat8_params}} and {{lab09:hier8_params}}, within 2% of each other.
 *
 * In the code this is the `CharNet` above with `arch = ARCH_HIER`: `charnet_forward` runs stage
 * $k$ on $N \cdot T / 2^{k+1}$ rows, and `charnet_backward` returns through the same rows. It
 * trains in the same `train_job`, side by side with a flat MLP that reads the same eight symbols
 * through one hidden layer of 200 units, and with the 3-symbol MLP of the previous section.
 */

/** **Result: eight symbols, flat or hierarchical.** @fig:lab09-context shows the dev NLL of the
 * three architectures. The flat MLP ({{lab09:flat8_params}} parameters) ends at
 * {{lab09:flat8_dev_nll}}, the hierarchical net ({{lab09:hier8_params}} parameters) at
 * **{{lab09:hier8_dev_nll}}** (means of three seeds) — both below the 3-symbol MLP's
 * {{lab09:mlp_dev_nll}}: the longer context helps. At the same parameter count, fusing pairs
 * step by step spends the parameters on small matrices applied at every position, where the flat
 * net spends most of them on one wide first layer; the claims below say whether the
 * hierarchical net is ahead for every seed. It pays in time: each word's first stage runs at
 * four positions, so a step does more arithmetic than the flat net's.
 *
 * ![Dev NLL of the 3-symbol MLP, the flat 8-symbol MLP and the hierarchical 8-symbol net at a
 * matched parameter count, min–max over three seeds.](lab09_context){#fig:lab09-context}
 */

/** ## 6. What the models learned
 *
 * A language model is also a generator: start from the boundary, draw the next symbol from
 * $P(\cdot \mid \text{context})$, append it, repeat until the boundary comes back. We draw from
 * the uniform model, the bigram table, the 3-symbol MLP and the hierarchical 8-symbol net, all
 * with the same seed, and count how many of {{lab09:samples|int}} samples are words of the list — and how many of
 * those are dev or test words, which the model never saw: those it did not copy but *invented*,
 * correctly.
 *
 * `sample_word` keeps the last eight symbols (boundaries at the start); the table reads the
 * last one, a network its last $T$, the uniform model none. `draw` turns one uniform number $u$
 * into a symbol: the first $s$ whose cumulative probability $p_0 + \dots + p_s$ exceeds $u$,
 * which happens with probability $p_s$.
 */
/* @fold Model: a table, a network or neither (uniform); draw(): inverts the cumulative sum */
typedef struct {
    const real *table;   /* bigram: [27, 27] probabilities; NULL: a network, or uniform */
    CharNet *net;        /* NULL: table or uniform */
} Model;

static int draw(const real *p, Rng *rng) {
    double u = rng_uniform(rng), c = 0;
    for (int s = 0; s < V; s++)
        if ((c += p[s]) > u) return s;
    return V - 1;
}
/* @end */

/* One word into out[MAXLEN + 1] ("" when the first draw is the boundary). Returns its length;
 * a word reaching MAXLEN letters is cut there. */
static int sample_word(const Model *m, char *out, real *probs, Rng *rng) {
    int ctx[8] = {0}, len = 0;
    /* @fold uniform [27]: 1/27 for every symbol */
    real uniform[V];
    for (int s = 0; s < V; s++) uniform[s] = R(1.0) / V;
    /* @end */
    while (len < MAXLEN) {
        const real *p = uniform;
        if (m->table) {
            p = m->table + ctx[7] * V;
        } else if (m->net) {
            int T = m->net->T;
            const real *z = charnet_forward(m->net, ctx + 8 - T, 1, false);
            int dummy = 0;
            xent_forward(probs, z, &dummy, 1, V, 0);
            p = probs;
        }
        int s = draw(p, rng);
        if (s == 0) break;
        out[len++] = chr(s);
        memmove(ctx, ctx + 1, 7 * sizeof(int));
        ctx[7] = s;
    }
    out[len] = '\0';
    return len;
}

/* @fold sample_stats(): n samples of a model; the shares of words, held-out words, long, short */
typedef struct {
    double real_words, held_out;   /* shares of the samples */
    double long_real;              /* share of the samples of LONG letters or more that are words */
    double mean_length;            /* letters per sample */
    double short_share;            /* share of the samples with one or two letters */
} SampleStats;

enum { LONG = 4 };

static SampleStats sample_stats(const Model *m, int n, const Words *all, const Words *train, char (*first)[MAXLEN + 1],
                                int nfirst, real *probs, uint64_t seed) {
    Rng rng;
    rng_init(&rng, seed);
    int in_list = 0, new_words = 0, nlong = 0, long_in_list = 0, nshort = 0;
    long letters = 0;
    char w[MAXLEN + 1];
    for (int i = 0; i < n; i++) {
        int len = sample_word(m, w, probs, &rng);
        if (i < nfirst) memcpy(first[i], w, sizeof w);
        bool word = contains(all, w);
        if (word) in_list++, new_words += !contains(train, w);
        if (len >= LONG) nlong++, long_in_list += word;
        letters += len, nshort += len >= 1 && len <= 2;
    }
    return (SampleStats){(double)in_list / n, (double)new_words / n, nlong ? (double)long_in_list / nlong : 0,
                         (double)letters / n, (double)nshort / n};
}
/* @end */

/** **Result.** Twenty samples from each model, with the same seed (@tbl:lab09-samples). The
 * uniform model spells noise; the bigram table gets letter pairs right and little else; the
 * networks write things that look like English words, and sometimes are.
 *
 * ```{.csv-table #tbl:lab09-samples file="lab09/samples.csv"
 *    header="#,uniform,bigram,MLP (3),hierarchical (8)"
 *    caption="Twenty words sampled from each model (the same seed for each; cut after 16 letters)."}
 * ```
 *
 * Of {{lab09:samples|int}} samples, {{lab09:uniform_real_words|pct}} of the uniform model's are words of the
 * list, {{lab09:bigram_real_words|pct}} of the bigram table's, {{lab09:mlp_real_words|pct}} of
 * the MLP's and {{lab09:hier_real_words|pct}} of the hierarchical net's; words it never saw (dev
 * or test words) are {{lab09:bigram_held_out|pct}}, {{lab09:mlp_held_out|pct}} and
 * {{lab09:hier_held_out|pct}} of the samples of the last three. Read these shares with care: the
 * list holds every single letter and many two-letter words, and the bigram table, which cannot
 * know how long a word has been, writes many of them — {{lab09:bigram_short|pct}} of its samples
 * have one or two letters, against {{lab09:mlp_short|pct}} of the MLP's and
 * {{lab09:hier_short|pct}} of the hierarchical net's (the mean lengths are
 * {{lab09:bigram_mean_length|g2}}, {{lab09:mlp_mean_length|g2}} and
 * {{lab09:hier_mean_length|g2}} letters). Counting only samples of four letters or more, the
 * share that are words is {{lab09:bigram_long_real|pct}} for the bigram table,
 * {{lab09:mlp_long_real|pct}} for the MLP and {{lab09:hier_long_real|pct}} for the hierarchical
 * net.
 *
 * The MLP trained with 2-dimensional embeddings (dev NLL {{lab09:emb2d_dev_nll}}, against
 * {{lab09:mlp_dev_nll}} with 10 dimensions) can be drawn (@fig:lab09-embedding): each symbol at
 * its learned vector. Nothing told the network which letters are vowels; look where they are.
 *
 * ![The embedding table of an MLP trained with 2-dimensional embeddings: each symbol at its
 * vector (vowels and *y* in orange, the boundary `.` in black).](lab09_embedding){#fig:lab09-embedding}
 */

/** ## Putting it together
 *
 * `run_lab` runs the sections in order. The folded lines write the CSV files the figures and
 * tables read, record every number the text quotes (`results.csv`) and judge the claims
 * (`claims.csv`); what is left is the experiment itself. */
/* @fold record(), write_bands(): the min, mean and max over seeds of each point, final_dev() */
static void record(Lab *lab, const char *key, double v) { results_num(&lab->results, key, v); }

static void write_bands(Csv *csv, const char *arm, const Job *jobs, int seeds, bool train) {
    for (int p = 0; p < jobs[0].points; p++) {
        double lo = INFINITY, hi = -INFINITY, mean = 0;
        for (int s = 0; s < seeds; s++) {
            double v = train ? jobs[s].train_nll[p] : jobs[s].dev_nll[p];
            lo = fmin(lo, v), hi = fmax(hi, v), mean += v / seeds;
        }
        csv_row(csv, "sdgggg", arm, p + 1, (p + 1.0) / PER_EPOCH, lo, mean, hi);
    }
}

static double final_dev(const Job *j) { return j->dev_nll[j->points - 1]; }
/* @end */

static int run_lab(Lab *lab) {
    const Config *cfg = lab->quick ? &QUICK : &FULL;
    /* @fold loads and splits the word list (if missing: stops); mtrain, mdev, mtest: predictions */
    char path[512], text[512];
    Csv csv;

    /* The data first: a missing file stops the lab before any work is done. */
    const char *root = getenv("NN_DATA") ? getenv("NN_DATA") : "data";
    char file[512], *buf = NULL;
    snprintf(file, sizeof file, "%s/words/american-english", root);
    Words all, train, dev, test;
    int lines;
    if (!load_words(file, &buf, &all, &lines)) return 1;
    int kept = all.n;
    split_words(&all, &train, &dev, &test);
    if (cfg->dev_words && cfg->dev_words < dev.n) dev.n = cfg->dev_words;   /* quick mode: fewer */
    long mtrain = symbols_of(&train), mdev = symbols_of(&dev), mtest = symbols_of(&test);
    printf("\nThe data: %s\n", file);
    printf("  %d lines, %d of them lower-case a-z words, %d distinct\n", lines, kept, all.n);
    printf("  split (seed %d): %d train / %d dev / %d test words; %ld / %ld / %ld predictions\n", SPLIT_SEED,
           train.n, dev.n, test.n, mtrain, mdev, mtest);
    record(lab, "lines", lines), record(lab, "words", all.n), record(lab, "train_words", train.n);
    record(lab, "dev_words", dev.n), record(lab, "test_words", test.n);
    record(lab, "train_symbols", (double)mtrain), record(lab, "dev_symbols", (double)mdev);
    /* @end */

    /** **1. Counting.** Count the pairs, score every $\alpha$ on the training and the dev words,
     * keep the best on dev, and read the test words once with it. */
    /* @fold prints the heading */
    printf("\n1. Counting: the 27 x 27 bigram table\n");
    /* @end */
    uint32_t bigram[V * V] = {0};
    uint64_t rows[V];
    ngram_count(bigram, &train, 1);
    row_sums(rows, bigram, V);
    /* @fold bigram.csv; zero_pairs (of 729); uniform = ln 27; alpha_train, alpha_dev */
    if (!csv_open(&csv, lab_path(lab, "bigram.csv", path, sizeof path), "prev,next,count,prev_sym,next_sym")) return 1;
    for (int i = 0; i < V; i++)
        for (int s = 0; s < V; s++) {
            char a[2] = {chr(i), 0}, b[2] = {chr(s), 0};
            csv_row(&csv, "dddss", i, s, (int)bigram[i * V + s], a, b);
        }
    if (!csv_close(&csv)) return 1;
    int zero_pairs = 0;
    for (int i = 0; i < V * V; i++) zero_pairs += bigram[i] == 0;
    double uniform = log((double)V);
    double alpha_dev[NALPHA], alpha_train[NALPHA];
    int best_a = 0;
    long unseen_dev_pairs = 0;
    /* @end */
    for (int a = 0; a < NALPHA; a++) {
        alpha_train[a] = ngram_nll(bigram, rows, 1, ALPHAS[a], &train, NULL);
        alpha_dev[a] = ngram_nll(bigram, rows, 1, ALPHAS[a], &dev, NULL);
        if (alpha_dev[a] < alpha_dev[best_a]) best_a = a;
        /* @fold prints the row */
        printf("  alpha %-5g  train NLL %.4f   dev NLL %.4f\n", ALPHAS[a], alpha_train[a], alpha_dev[a]);
        /* @end */
    }
    double bigram_test = ngram_nll(bigram, rows, 1, ALPHAS[best_a], &test, NULL);   /* read once */
    /* @fold counts the dev predictions with an unseen pair; prints, records, judges the claim */
    for (int i = 0; i < dev.n; i++) {   /* dev predictions whose pair has count 0 */
        int prev = 0;
        for (const char *c = dev.w[i];; c++) {
            int s = *c ? sym(*c) : 0;
            unseen_dev_pairs += bigram[prev * V + s] == 0;
            if (!*c) break;
            prev = s;
        }
    }
    printf("  uniform model: ln 27 = %.4f; %d of 729 pairs never occur in training; %ld dev predictions use one\n",
           uniform, zero_pairs, unseen_dev_pairs);
    printf("  alpha chosen on dev: %g (dev NLL %.4f); test NLL, read once: %.4f\n", ALPHAS[best_a], alpha_dev[best_a],
           bigram_test);
    record(lab, "uniform_nll", uniform), record(lab, "zero_pairs", zero_pairs);
    record(lab, "unseen_dev_pairs", (double)unseen_dev_pairs);
    record(lab, "best_alpha", ALPHAS[best_a]), record(lab, "bigram_dev_nll", alpha_dev[best_a]);
    record(lab, "bigram_train_nll", alpha_train[0]), record(lab, "bigram_test_nll", bigram_test);
    results_str(&lab->results, "alpha0_dev_nll", isinf(alpha_dev[0]) ? "infinite" : "finite");
    claims_add(&lab->claims, "alpha0_infinite", isinf(alpha_dev[0]), (double)unseen_dev_pairs,
               "with $\\alpha = 0$ the bigram table gives an infinite dev NLL: some dev pair never occurs in training "
               "[dev predictions with an unseen pair]");
    printf("\n2. The same model as a network: one-hot x W[27,27], softmax, full-batch gradient descent\n");
    /* @end */

    /** **2. The one-hot network**, trained from the same start at each $\lambda$; the shortcut is
     * checked once, at the first start. */
    /* @fold lambda_train, lambda_dev: the NLL at each lambda */
    double lambda_dev[NALPHA], lambda_train[NALPHA];
    int best_l = 0;
    double shortcut = 0;
    /* @end */
    for (int l = 0; l < NALPHA; l++) {
        /* @fold o: the same start at every lambda; opt: SGD, learning rate 50, momentum 0.9 */
        Rng rng;
        rng_init(&rng, lab->seed);
        OneHotNet o;
        onehot_net_init(&o, &rng);
        int np;
        Param *p = net_param_list(&o.net, &np);
        OptConfig oc = optim_defaults(OPT_SGD);
        oc.lr = R(50), oc.momentum = R(0.9);
        Optimizer opt;
        optim_init(&opt, oc, p, np);
        /* @end */
        if (l == 0) shortcut = onehot_shortcut_check(&o, &train, bigram, rows, (double)mtrain);   /* at init */
        for (int step = 0; step < cfg->gd_steps; step++)
            onehot_net_step(&o, &opt, bigram, rows, (double)mtrain, (real)LAMBDAS[l]);
        lambda_train[l] = onehot_net_nll(&o, &train);
        lambda_dev[l] = onehot_net_nll(&o, &dev);
        if (lambda_dev[l] < lambda_dev[best_l]) best_l = l;
        /* @fold prints the row; frees */
        printf("  lambda %-6g train NLL %.4f   dev NLL %.4f\n", LAMBDAS[l], lambda_train[l], lambda_dev[l]);
        optim_free(&opt), free(p);
        net_free(&o.net);
        /* @end */
    }
    /* @fold prints; smoothing.csv (alpha and lambda against NLL); records; judges the claim */
    printf("  the gradient from the counts equals the literal one-hot batch's to %.1e (relative)\n", shortcut);
    printf("  lambda chosen on dev: %g (dev NLL %.4f) against the table's %.4f at alpha %g\n", LAMBDAS[best_l],
           lambda_dev[best_l], alpha_dev[best_a], ALPHAS[best_a]);
    if (!csv_open(&csv, lab_path(lab, "smoothing.csv", path, sizeof path), "method,value,train_nll,dev_nll")) return 1;
    for (int a = 0; a < NALPHA; a++) {
        char v[32];
        csv_format_num(v, sizeof v, alpha_dev[a], 'g');
        csv_row(&csv, "sggs", "alpha", ALPHAS[a], alpha_train[a], isinf(alpha_dev[a]) ? "infinite" : v);
    }
    for (int l = 0; l < NALPHA; l++) csv_row(&csv, "sggg", "lambda", LAMBDAS[l], lambda_train[l], lambda_dev[l]);
    if (!csv_close(&csv)) return 1;
    record(lab, "onehot_train_nll", lambda_train[0]), record(lab, "onehot_dev_nll", lambda_dev[best_l]);
    record(lab, "best_lambda", LAMBDAS[best_l]), record(lab, "shortcut_rel_diff", shortcut);
    record(lab, "gd_steps", cfg->gd_steps);
    double gap = fabs(lambda_dev[best_l] - alpha_dev[best_a]);
    claims_add(&lab->claims, "onehot_reaches_counts", gap < 0.01 && fabs(lambda_train[0] - alpha_train[0]) < 0.01, gap,
               "the one-hot network reaches the count model's NLL within 0.01, on training (λ = 0 against $\\alpha = 0$) "
               "and on dev (each with its strength chosen on dev) [the dev gap]");
    printf("\n3. Embeddings: a lookup against one-hot x table\n");
    /* @end */
    /** **3. Embeddings:** the lookup against the one-hot product, once on a minibatch for the values
     * and once on many contexts for the time; then the gradient check, in the double build. */
    /* @fold the examples with 3 symbols of context: full3 (every training word), dev3 */
    Examples tr3, dev3, full3;
    examples_make(&full3, &train, 3);
    examples_make(&dev3, &dev, 3);
    /* @end */
    {
        /* @fold rng; N: the first 65,536 contexts (or all), 3 symbols each */
        Rng rng;
        rng_init(&rng, lab->seed);
        int N = full3.n < 65536 ? full3.n : 65536;   /* the first contexts, 3 symbols each */
        /* @end */
        EmbeddingCheck ec = embedding_vs_onehot(full3.ctx, BATCH * 3, &rng);   /* one minibatch */
        EmbeddingCheck timed = embedding_vs_onehot(full3.ctx, N * 3, &rng);
        ec.lookup_seconds = timed.lookup_seconds, ec.onehot_seconds = timed.onehot_seconds;
        /* @fold prints, records, judges the two claims */
        printf("  one minibatch (%d lookups): largest difference %g in values, %.2g in gradients (relative)\n",
               BATCH * 3, ec.value_diff, ec.grad_diff);
        printf("  %d lookups of 10 numbers, timed:\n", N * 3);
        printf("  forward + backward: lookup %.3f ms, one-hot x table %.3f ms (%.0fx)\n", 1e3 * ec.lookup_seconds,
               1e3 * ec.onehot_seconds, ec.onehot_seconds / ec.lookup_seconds);
        record(lab, "emb_value_diff", ec.value_diff), record(lab, "emb_grad_diff", ec.grad_diff);
        record(lab, "lookup_seconds", ec.lookup_seconds), record(lab, "onehot_seconds", ec.onehot_seconds);
        record(lab, "lookup_speedup", ec.onehot_seconds / ec.lookup_seconds), record(lab, "lookups", N * 3);
        claims_add(&lab->claims, "embedding_equals_onehot", ec.value_diff == 0 && ec.grad_diff <= 1e-6, ec.grad_diff,
                   "the embedding lookup gives exactly what one-hot × table gives (largest difference 0 in values, "
                   "at most 1e-6 in gradients) [the largest gradient difference]");
        claims_add(&lab->claims, "embedding_faster", ec.lookup_seconds < ec.onehot_seconds,
                   ec.onehot_seconds / ec.lookup_seconds,
                   "the lookup and scatter-add take less time than building the one-hot rows and multiplying "
                   "[how many times less]");
        /* @end */
    }
    double worst = gradcheck_in_double(lab);
    if (worst < 0) return 1;
    /* @fold prints, records, judges the claim */
    printf("  gradient check of a small hierarchical model (embedding + 3 fused stages with BatchNorm), double: %.1e\n",
           worst);
    record(lab, "gradcheck_max_rel_err", worst);
    claims_add(&lab->claims, "gradcheck", worst < 1e-7, worst,
               "every parameter gradient of the hierarchical model — embedding, fused stages, BatchNorm over the "
               "fused rows — agrees with central differences below 1e-7 in double [the worst relative error]");
    /* @end */

    /* @fold tr3, tr8, dev8: the examples at contexts 3 and 8; sample3, sample8 (<= 10,000) */
    /* the training words the networks use (all of them in full mode) */
    Words used = train;
    if (cfg->train_words && cfg->train_words < train.n) used.n = cfg->train_words;
    Examples tr8, dev8;
    examples_make(&tr3, &used, 3), examples_make(&tr8, &used, 8), examples_make(&dev8, &dev, 8);
    Rng srng;
    rng_init(&srng, lab->seed);
    int nsample = dev3.n < 10000 ? dev3.n : 10000;   /* the training NLL is measured on this many */
    Examples sample3 = examples_sample(&tr3, nsample, &srng), sample8 = examples_sample(&tr8, nsample, &srng);
    printf("\n4. and 5. Neural language models: %d training words, %g epoch(s), %d seeds each, batch %d\n", used.n,
           (double)cfg->points / PER_EPOCH, cfg->seeds, BATCH);
    /* @end */
    /** **4. and 5. The language models:** three seeds each of the hierarchical net and the flat
     * MLP on eight symbols and of the MLP on three, and one MLP with 2-dimensional embeddings for
     * the picture of section 6, all trained side by side by `parallel_run`, the longest runs first
     * so that both cores stay busy to the end. Each job is independent and writes only its own
     * slot, so the numbers do not depend on the number of threads. The count model at context 3 is
     * built afterwards, in the folded lines. */
    enum { HIER8, FLAT8, MLP3, NGROUPS };   /* the longest runs first, so both cores stay busy to the end */
    /* @fold jobs: each group's settings (architecture, context, width, seed, data); j2: the 2-D MLP */
    int S = cfg->seeds, njobs = NGROUPS * S + 1;
    Job *jobs = nn_calloc((size_t)njobs, sizeof(Job));
    /* @fold the names of the groups, for the printout and the bands */
    const char *names[NGROUPS] = {"hierarchical (8 symbols)", "flat MLP (8 symbols)", "MLP (3 symbols)"};
    /* @end */
    for (int g = 0; g < NGROUPS; g++)
        for (int s = 0; s < S; s++)
            jobs[g * S + s] = (Job){.arch = g == HIER8 ? ARCH_HIER : ARCH_FLAT, .T = g == MLP3 ? 3 : 8, .E = EMB,
                                    .H = g == HIER8 ? HIER_HIDDEN : HIDDEN, .seed = (int)lab->seed * 100 + s,
                                    .points = cfg->points, .train = g == MLP3 ? &tr3 : &tr8,
                                    .train_sample = g == MLP3 ? &sample3 : &sample8, .dev = g == MLP3 ? &dev3 : &dev8};
    Job *j2 = &jobs[NGROUPS * S];   /* the MLP with 2-D embeddings, for the picture of section 6 */
    *j2 = (Job){.arch = ARCH_FLAT, .T = 3, .E = 2, .H = HIDDEN, .seed = (int)lab->seed * 100, .points = cfg->emb2d_points,
                .train = &tr3, .train_sample = &sample3, .dev = &dev3};
    /* @end */
    parallel_run(njobs, lab->threads, train_job, jobs, "language models");
    /* @fold prints the runs; mlp_curves.csv and context_bands.csv (min, mean, max over seeds) */
    for (int g = NGROUPS - 1; g >= 0; g--)
        for (int s = 0; s < S; s++) {
            const Job *j = &jobs[g * S + s];
            printf("  %-24s seed %d: %6zu parameters, dev NLL by quarter epoch", names[g], j->seed, j->params);
            for (int p = 0; p < j->points; p++) printf(" %.3f", j->dev_nll[p]);
            printf("  (%.0f s)\n", j->seconds);
        }
    if (!csv_open(&csv, lab_path(lab, "mlp_curves.csv", path, sizeof path), "arm,point,epoch,nll_min,nll_mean,nll_max"))
        return 1;
    write_bands(&csv, "training (sample)", &jobs[MLP3 * S], S, true);
    write_bands(&csv, "dev", &jobs[MLP3 * S], S, false);
    if (!csv_close(&csv)) return 1;
    if (!csv_open(&csv, lab_path(lab, "context_bands.csv", path, sizeof path), "arm,point,epoch,nll_min,nll_mean,nll_max"))
        return 1;
    for (int g = NGROUPS - 1; g >= 0; g--) write_bands(&csv, names[g], &jobs[g * S], S, false);
    if (!csv_close(&csv)) return 1;
    /* @end */

    /* @fold the 27^4 count table, unseen contexts; means over seeds; prints, records, claims */
    /* the count model at the same context: 27^4 entries */
    size_t n4 = ipow27(4);
    uint32_t *c4 = nn_calloc(n4, sizeof(uint32_t));
    uint64_t *r4 = nn_calloc(n4 / V, sizeof(uint64_t));
    ngram_count(c4, &train, 3);
    row_sums(r4, c4, n4 / V);
    size_t filled = 0, seen_ctx = 0;
    for (size_t i = 0; i < n4; i++) filled += c4[i] > 0;
    for (size_t c = 0; c < n4 / V; c++) seen_ctx += r4[c] > 0;
    long unseen_ctx = 0;
    double c4_dev = INFINITY, c4_alpha = 0;
    for (int a = 0; a < NALPHA; a++) {
        double d = ngram_nll(c4, r4, 3, ALPHAS[a], &dev, a == 0 ? &unseen_ctx : NULL);
        if (d < c4_dev) c4_dev = d, c4_alpha = ALPHAS[a];
    }
    free(c4), free(r4);
    long unseen8 = unseen_contexts(&train, &dev, 8);
    /* the means and margins over seeds; prints, records, judges the claims */
    double mlp_mean = 0, flat_mean = 0, hier_mean = 0, margin = INFINITY, mlp_best = INFINITY, hier_gap = INFINITY;
    bool ordered = uniform > alpha_dev[best_a];
    for (int s = 0; s < S; s++) {
        double m3 = final_dev(&jobs[MLP3 * S + s]), h8 = final_dev(&jobs[HIER8 * S + s]);
        double f8 = final_dev(&jobs[FLAT8 * S + s]);
        mlp_mean += m3 / S, flat_mean += f8 / S, hier_mean += h8 / S;
        ordered = ordered && alpha_dev[best_a] > m3 && m3 > h8;
        margin = fmin(margin, fmin(alpha_dev[best_a] - m3, m3 - h8));
        mlp_best = fmin(mlp_best, m3), hier_gap = fmin(hier_gap, f8 - h8);
    }
    printf("  the count model at context 3: %zu of %zu table entries filled; %zu of %zu contexts seen;\n", filled, n4,
           seen_ctx, n4 / V);
    printf("    %ld of %ld dev predictions (%.1f%%) have a context never seen in training; dev NLL %.4f at alpha %g\n",
           unseen_ctx, mdev, 100.0 * unseen_ctx / mdev, c4_dev, c4_alpha);
    printf("  at context 8: %ld of %ld dev predictions (%.1f%%) have a context never seen in training\n", unseen8, mdev,
           100.0 * unseen8 / mdev);
    printf("  final dev NLL, mean of %d seeds: MLP (3) %.4f, flat (8) %.4f, hierarchical (8) %.4f\n", S, mlp_mean,
           flat_mean, hier_mean);
    record(lab, "table4_entries", (double)n4), record(lab, "table4_filled", (double)filled);
    record(lab, "contexts3_seen", (double)seen_ctx), record(lab, "unseen_ctx_dev", (double)unseen_ctx);
    record(lab, "unseen_ctx_dev_share", (double)unseen_ctx / mdev), record(lab, "count4_dev_nll", c4_dev);
    record(lab, "count4_alpha", c4_alpha), record(lab, "unseen_ctx8_dev_share", (double)unseen8 / mdev);
    record(lab, "mlp_dev_nll", mlp_mean), record(lab, "flat8_dev_nll", flat_mean), record(lab, "hier8_dev_nll", hier_mean);
    record(lab, "mlp_train_nll", jobs[MLP3 * S].train_nll[cfg->points - 1]);
    record(lab, "mlp_params", (double)jobs[MLP3 * S].params), record(lab, "flat8_params", (double)jobs[FLAT8 * S].params);
    record(lab, "hier8_params", (double)jobs[HIER8 * S].params), record(lab, "epochs", (double)cfg->points / PER_EPOCH);
    record(lab, "seeds", S), record(lab, "nn_train_words", used.n);
    double secs = 0;
    for (int j = 0; j < njobs; j++) secs += jobs[j].seconds;
    record(lab, "train_seconds", secs);
    claims_add(&lab->claims, "nll_order", ordered, margin,
               "dev NLL orders uniform > bigram > MLP (3 symbols) > hierarchical (8 symbols), for every seed "
               "[the smallest margin]");
    claims_add(&lab->claims, "hier_beats_flat", hier_gap > 0, hier_gap,
               "at the same parameter count and context (8 symbols), the hierarchical net ends below the flat MLP "
               "on dev, seed by seed [the smallest gap]");
    claims_add(&lab->claims, "table4_strong", c4_dev < mlp_best, mlp_best - c4_dev,
               "at 3 symbols of context the smoothed count table scores a lower dev NLL than the MLP, every seed: "
               "nearly every dev context occurs in training [the gap to the best seed]");
    printf("\n6. What the models learned: %d samples each\n", cfg->samples);
    /* @end */
    /** **6. Sampling** from the uniform model, the bigram table (its probabilities at the $\alpha$
     * chosen on dev), the 3-symbol MLP and the hierarchical net, with the same seed each. */
    /* @fold table: the bigram probabilities; sorted_train; names; shown: SHOW samples each */
    real table[V * V], probs[V];   /* the bigram table at the alpha chosen on dev */
    for (int i = 0; i < V; i++)
        for (int s = 0; s < V; s++)
            table[i * V + s] = (real)((bigram[i * V + s] + ALPHAS[best_a]) / (rows[i] + V * ALPHAS[best_a]));
    Words sorted_train = {nn_calloc((size_t)train.n, sizeof(char *)), train.n};
    memcpy(sorted_train.w, train.w, sizeof(char *) * train.n);
    qsort(sorted_train.w, (size_t)train.n, sizeof(char *), cmp_str);
    enum { NMODELS = 4, SHOW = 20, SHOWN = 16 };
    const char *mkeys[NMODELS] = {"uniform", "bigram", "mlp", "hier"};
    static char shown[NMODELS][SHOW][MAXLEN + 1];
    /* @end */
    Model models[NMODELS] = {
        {.table = NULL}, {.table = table}, {.net = &jobs[MLP3 * S].net}, {.net = &jobs[HIER8 * S].net},
    };
    SampleStats st[NMODELS];
    for (int k = 0; k < NMODELS; k++) {
        st[k] = sample_stats(&models[k], cfg->samples, &all, &sorted_train, shown[k], SHOW, probs, lab->seed);
        /* @fold prints and records */
        printf("  %-8s %5.1f%% words of the list, %4.1f%% held-out words, %4.1f%% of those with %d+ letters, "
               "%.1f letters:", mkeys[k], 100 * st[k].real_words, 100 * st[k].held_out, 100 * st[k].long_real, LONG,
               st[k].mean_length);
        for (int i = 0; i < 8; i++) printf(" %s", shown[k][i]);
        printf(" ...\n");
        snprintf(text, sizeof text, "%s_real_words", mkeys[k]);
        record(lab, text, st[k].real_words);
        snprintf(text, sizeof text, "%s_held_out", mkeys[k]);
        record(lab, text, st[k].held_out);
        snprintf(text, sizeof text, "%s_long_real", mkeys[k]);
        record(lab, text, st[k].long_real);
        snprintf(text, sizeof text, "%s_mean_length", mkeys[k]);
        record(lab, text, st[k].mean_length);
        snprintf(text, sizeof text, "%s_short", mkeys[k]);
        record(lab, text, st[k].short_share);
        /* @end */
    }
    /* @fold samples.csv, the claim, embedding2d.csv */
    if (!csv_open(&csv, lab_path(lab, "samples.csv", path, sizeof path), "n,uniform,bigram,mlp,hier")) return 1;
    for (int i = 0; i < SHOW; i++) {   /* words longer than SHOWN letters are cut, with "..." */
        for (int k = 0; k < NMODELS; k++)
            if (strlen(shown[k][i]) > SHOWN) strcpy(shown[k][i] + SHOWN, "...");
        csv_row(&csv, "dssss", i + 1, shown[0][i], shown[1][i], shown[2][i], shown[3][i]);
    }
    if (!csv_close(&csv)) return 1;
    record(lab, "samples", cfg->samples);
    claims_add(&lab->claims, "mlp_samples_real", st[2].long_real > st[1].long_real, st[2].long_real - st[1].long_real,
               "among samples of four letters or more, the MLP's are words of the list more often than the bigram "
               "table's (counting all samples, the bigram's many one- and two-letter samples win) "
               "[the difference in share]");

    if (!csv_open(&csv, lab_path(lab, "embedding2d.csv", path, sizeof path), "symbol,x,y")) return 1;
    for (int s = 0; s < V; s++) {
        char a[2] = {chr(s), 0};
        csv_row(&csv, "sgg", a, (double)j2->net.emb.C[s * 2], (double)j2->net.emb.C[s * 2 + 1]);
    }
    if (!csv_close(&csv)) return 1;
    record(lab, "emb2d_dev_nll", final_dev(j2)), record(lab, "emb2d_epochs", (double)cfg->emb2d_points / PER_EPOCH);
    /* @end */

    /* @fold the summary; frees */
    printf("\nSummary (dev NLL, nats per symbol)\n");
    printf("  %-34s %.4f\n", "uniform (ln 27)", uniform);
    printf("  %-34s %.4f (alpha %g; test %.4f)\n", "bigram counts", alpha_dev[best_a], ALPHAS[best_a], bigram_test);
    printf("  %-34s %.4f (lambda %g)\n", "one-hot network", lambda_dev[best_l], LAMBDAS[best_l]);
    printf("  %-34s %.4f (alpha %g)\n", "4-gram counts (context 3)", c4_dev, c4_alpha);
    printf("  %-34s %.4f\n", "MLP, context 3", mlp_mean);
    printf("  %-34s %.4f\n", "flat MLP, context 8", flat_mean);
    printf("  %-34s %.4f\n", "hierarchical, context 8", hier_mean);

    for (int j = 0; j < njobs; j++) charnet_free(&jobs[j].net);
    free(jobs);
    examples_free(&tr3), examples_free(&dev3), examples_free(&full3), examples_free(&tr8), examples_free(&dev8);
    examples_free(&sample3), examples_free(&sample8);
    free(sorted_train.w), free(train.w), free(dev.w), free(test.w), free(all.w), free(buf);
    /* @end */
    return 0;
}

/* @fold main(): command-line flags, the --gradcheck-only mode of the double build */
#ifndef NN_NO_MAIN
int main(int argc, char **argv) {
    Lab lab;
    bool gradcheck_only = false;
    CliOpt extra[] = {{"--gradcheck-only", CLI_BOOL, &gradcheck_only,
                       "only print the gradient check's worst error (used by the double build)", 0, 0}};
    lab_start(&lab, argc, argv, "lab09", "Characters and embeddings", extra, 1);
    if (gradcheck_only) {
        printf("gradcheck %.17g\n", gradcheck_hier(lab.seed));
        keyvalues_free(&lab.results);
        return 0;
    }
    return lab_run(&lab, run_lab);
}
#endif
/* @end */

/** ## In plain words
 *
 * - A language model predicts the next symbol; its negative log-likelihood on unseen text is
 *   its score, and $\ln 27$ is what knowing nothing scores.
 * - Counting is a model. Its table grows as $27^{T+1}$ with the context, and a pair it never saw
 *   gets probability zero, an infinite NLL: smoothing ($\alpha$) fixes that, and it is regularization
 *   by another name — an L2 penalty on a one-hot network does the same job.
 * - A one-hot input times a matrix is a row lookup. An embedding layer does the lookup directly
 *   and scatter-adds the gradient back into the rows that were used.
 * - A network with embeddings shares what it learns between similar contexts; that is what lets
 *   it use long contexts a table cannot hold. Where the table *can* be filled (three letters,
 *   every training word counted), counting remains a strong baseline.
 * - Long contexts can be read flat or fused pairwise in stages; BatchNorm then averages over
 *   every position of every word in the batch.
 *
 * ::: {.claims lab="lab09"}
 * :::
 *
 * **What to try next.** Train longer (`FULL.points`) and watch whether the MLP catches the
 * 4-gram table; give the MLP a wider hidden layer or 20-dimensional embeddings; sample with a
 * *temperature* (divide the logits by $\tau$ before the softmax) and see the words get safer as
 * $\tau$ falls; replace the hierarchical net's pairs by triples (context 9); run
 * `build/bin/lab09 --seed 2` and see which numbers move.
 */
