/** # optim.c */
#include "optim.h"

#include "exercise.h"
#include "parallel.h"

#include <string.h>

static const char *const names[OPT_NKINDS] = {"sgd", "rmsprop", "adam", "adamw"};

const char *optim_name(OptKind k) { return k >= 0 && k < OPT_NKINDS ? names[k] : "?"; }

bool optim_parse(const char *name, OptKind *out) {
    for (int k = 0; k < OPT_NKINDS; k++)
        if (strcmp(name, names[k]) == 0) { *out = (OptKind)k; return true; }
    return false;
}

OptConfig optim_defaults(OptKind kind) {
    OptConfig c = {.kind = kind, .alpha = R(0.99), .beta1 = R(0.9), .beta2 = R(0.999),
                   .eps = R(1e-8)};
    switch (kind) {
    case OPT_SGD: c.lr = R(0.01); break;
    case OPT_RMSPROP: c.lr = R(0.01); break;
    case OPT_ADAM: c.lr = R(1e-3); break;
    case OPT_ADAMW: c.lr = R(1e-3); c.weight_decay = R(0.01); break;
    default: CHECK(0, "unknown optimizer %d", (int)kind);
    }
    return c;
}

void optim_init(Optimizer *o, OptConfig cfg, const Param *params, int nparams) {
    *o = (Optimizer){.cfg = cfg, .nparams = nparams};
    o->params = nn_calloc((size_t)nparams, sizeof(Param));
    memcpy(o->params, params, (size_t)nparams * sizeof(Param));
    bool need_m = cfg.kind != OPT_RMSPROP && (cfg.kind != OPT_SGD || cfg.momentum != 0);
    bool need_v = cfg.kind != OPT_SGD;
    o->m = nn_calloc((size_t)nparams, sizeof(real *));
    o->v = nn_calloc((size_t)nparams, sizeof(real *));
    for (int i = 0; i < nparams; i++) {
        if (need_m) o->m[i] = nn_calloc(params[i].n, sizeof(real));
        if (need_v) o->v[i] = nn_calloc(params[i].n, sizeof(real));
    }
}

void optim_free(Optimizer *o) {
    for (int i = 0; i < o->nparams; i++) free(o->m[i]), free(o->v[i]);
    free(o->m), free(o->v), free(o->params);
    *o = (Optimizer){0};
}

/* Adam and AdamW on one parameter. The two loops differ only in where the decay goes; each is one
 * branch-free loop the compiler vectorizes — this step is a quarter of a small net's training time
 * otherwise (Lab 8 measures it). As in PyTorch, theta -= (lr/bc1) m / (sqrt(v)/sqrt(bc2) + eps):
 * one square root and one division per parameter, the bias corrections folded into two scalars.
 * On x86-64 it is compiled twice, for AVX2 (8 floats per instruction) and for the baseline
 * (4), and the loader picks the one the processor runs. (Not under ThreadSanitizer: the
 * loader calls the picker before ThreadSanitizer has started, and it crashes.) */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("avx2", "default")))
#endif
static void adam_update(const OptConfig *c, real *restrict w, const real *restrict grad, real *restrict m,
                        real *restrict v, size_t n, real lr, real wd, real bc1, real bc2) {
    const real b1 = c->beta1, b2 = c->beta2, eps = c->eps, shrink = R(1) - lr * wd;
    const real step = lr / bc1, inv_sqrt_bc2 = R(1) / (real)sqrt((double)bc2);
    if (c->kind == OPT_ADAMW) {
        /* >>> exercise adamw | Lab 7, "The six optimizers" | task: AdamW on w[0..n): shrink w by (1 - lr wd) first, then Adam on the raw gradient (as in the Adam exercise) */
        for (size_t i = 0; i < n; i++) {
            real g = grad[i];
            w[i] *= shrink;                                  /* decoupled decay */
            m[i] = b1 * m[i] + (R(1) - b1) * g;
            v[i] = b2 * v[i] + (R(1) - b2) * g * g;
            w[i] -= step * m[i] / (sqrt(v[i]) * inv_sqrt_bc2 + eps);
        }
        /* === stub
        (void)shrink;
        exercise_todo("adamw");
        <<< exercise */
    } else {
        /* >>> exercise adam | Lab 7, "The six optimizers" | task: Adam on w[0..n): g = grad + wd w; m, v moving averages of g and g^2; w -= lr mhat / (sqrt(vhat) + eps), where lr/bc1 = step and 1/sqrt(bc2) = inv_sqrt_bc2 fold in the bias corrections | points: 3 */
        for (size_t i = 0; i < n; i++) {
            real g = grad[i] + wd * w[i];                    /* L2 in the gradient */
            m[i] = b1 * m[i] + (R(1) - b1) * g;
            v[i] = b2 * v[i] + (R(1) - b2) * g * g;
            w[i] -= step * m[i] / (sqrt(v[i]) * inv_sqrt_bc2 + eps);
        }
        /* === stub
        (void)w, (void)grad, (void)m, (void)v, (void)n, (void)b1, (void)b2, (void)eps, (void)step, (void)inv_sqrt_bc2;
        exercise_todo("adam");
        <<< exercise */
    }
}

/* Adam's update split over the cores: chunk t of T updates the t-th range of every parameter, and
 * the threads take the chunks as they come (parallel_chunks). Each number is updated by the same
 * operations either way, so the result is the same to the bit; the update is memory-bound (four
 * arrays of every weight), and two cores move twice the bytes. */
typedef struct {
    Optimizer *o;
    real lr, bc1, bc2;
    int parts;
} AdamSplit;

static void adam_part(void *ctx, int t) {
    AdamSplit *a = ctx;
    const Optimizer *o = a->o;
    for (int p = 0; p < o->nparams; p++) {
        size_t lo, hi;
        parallel_range(o->params[p].n, t, a->parts, &lo, &hi);
        real wd = o->params[p].decay ? o->cfg.weight_decay : R(0);
        adam_update(&o->cfg, o->params[p].w + lo, o->params[p].g + lo, o->m[p] + lo, o->v[p] + lo, hi - lo, a->lr,
                    wd, a->bc1, a->bc2);
    }
}

void optim_step(Optimizer *o, real lr) {
    const OptConfig *c = &o->cfg;
    o->t++;
    /* Adam's bias corrections, 1 - beta^t, in double: beta2^t creeps slowly from 1 */
    real bc1 = (real)(1.0 - pow((double)c->beta1, (double)o->t));
    real bc2 = (real)(1.0 - pow((double)c->beta2, (double)o->t));
    int threads = parallel_threads(params_count(o->params, o->nparams), (size_t)1 << 16);
    if ((c->kind == OPT_ADAM || c->kind == OPT_ADAMW) && threads > 1) {
        AdamSplit a = {o, lr, bc1, bc2, 4 * threads};
        parallel_chunks(a.parts, threads, adam_part, &a);
        return;
    }
    for (int p = 0; p < o->nparams; p++) {
        real *w = o->params[p].w;
        const real *grad = o->params[p].g;
        real *m = o->m[p], *v = o->v[p];
        real wd = o->params[p].decay ? c->weight_decay : R(0);
        size_t n = o->params[p].n;
        switch (c->kind) {
        case OPT_SGD:
            if (!m) {
                /* >>> exercise sgd | Lab 7, "The six optimizers" | task: plain SGD on w[0..n): g = grad + wd w (L2 weight decay), w -= lr g */
                for (size_t i = 0; i < n; i++) {
                    real g = grad[i] + wd * w[i];
                    w[i] -= lr * g;
                }
                /* === stub
                exercise_todo("sgd");
                <<< exercise */
            } else {
                /* >>> exercise sgd_momentum | Lab 7, "The six optimizers" | task: SGD with momentum c->momentum (PyTorch's): g = grad + wd w; buffer m = g on the first step (o->t == 1), else mu m + g; step along m, or along g + mu m with c->nesterov */
                for (size_t i = 0; i < n; i++) {
                    real g = grad[i] + wd * w[i];
                    m[i] = o->t == 1 ? g : c->momentum * m[i] + g;
                    g = c->nesterov ? g + c->momentum * m[i] : m[i];
                    w[i] -= lr * g;
                }
                /* === stub
                exercise_todo("sgd_momentum");
                <<< exercise */
            }
            break;
        case OPT_RMSPROP:
            /* >>> exercise rmsprop | Lab 7, "The six optimizers" | task: g = grad + wd w; v = alpha v + (1 - alpha) g^2; w -= lr g / (sqrt(v) + eps) (c->alpha, c->eps) */
            for (size_t i = 0; i < n; i++) {
                real g = grad[i] + wd * w[i];
                v[i] = c->alpha * v[i] + (R(1) - c->alpha) * g * g;
                w[i] -= lr * g / (sqrt(v[i]) + c->eps);
            }
            /* === stub
            exercise_todo("rmsprop");
            <<< exercise */
            break;
        case OPT_ADAM:
        case OPT_ADAMW:
            adam_update(c, w, grad, m, v, n, lr, wd, bc1, bc2);
            break;
        default: CHECK(0, "unknown optimizer %d", (int)c->kind);
        }
    }
}

/* Zeroing is split like Adam's update: chunk t of `parts` clears the t-th range of every gradient. */
typedef struct {
    Param *p;
    int n, parts;
} ZeroSplit;

static void zero_part(void *ctx, int t) {
    ZeroSplit *z = ctx;
    for (int i = 0; i < z->n; i++) {
        size_t lo, hi;
        parallel_range(z->p[i].n, t, z->parts, &lo, &hi);
        memset(z->p[i].g + lo, 0, (hi - lo) * sizeof(real));
    }
}

void params_zero_grad(Param *p, int n) {
    int threads = parallel_threads(params_count(p, n), (size_t)1 << 16);
    ZeroSplit z = {p, n, threads > 1 ? 4 * threads : 1};
    parallel_chunks(z.parts, threads, zero_part, &z);
}

void optim_zero_grad(Optimizer *o) { params_zero_grad(o->params, o->nparams); }

size_t params_count(const Param *p, int n) {
    size_t total = 0;
    for (int i = 0; i < n; i++) total += p[i].n;
    return total;
}

void params_copy(real *dst, const Param *p, int n) {
    for (int i = 0; i < n; i++) memcpy(dst, p[i].w, p[i].n * sizeof(real)), dst += p[i].n;
}

void params_restore(Param *p, int n, const real *src) {
    for (int i = 0; i < n; i++) memcpy(p[i].w, src, p[i].n * sizeof(real)), src += p[i].n;
}

double params_grad_norm(const Param *p, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++)
        for (size_t j = 0; j < p[i].n; j++) sum += (double)p[i].g[j] * (double)p[i].g[j];
    return sqrt(sum);
}

double clip_grad_norm(Param *p, int n, double max_norm) {
    /* >>> exercise clip_grad_norm | Lab 5, "Nine failures and their fixes" | task: the global L2 norm of all gradients; when above max_norm, scale every gradient by max_norm / (norm + 1e-6) (PyTorch's guard); return the norm before */
    double norm = params_grad_norm(p, n);
    if (norm > max_norm) {
        real scale = (real)(max_norm / (norm + 1e-6));   /* PyTorch's 1e-6 guard */
        for (int i = 0; i < n; i++)
            for (size_t j = 0; j < p[i].n; j++) p[i].g[j] *= scale;
    }
    return norm;
    /* === stub
    (void)p, (void)n, (void)max_norm;
    exercise_todo("clip_grad_norm");
    <<< exercise */
}

double penalty_l2(Param *p, int n, real lambda) {
    double sum = 0;
    /* >>> exercise penalty_l2 | Lab 3, "2. L2: a penalty on the weights' size" | task: over the parameters with .decay set: sum += w^2 and g += d/dw of (lambda/2) w^2 */
    for (int i = 0; i < n; i++) {
        if (!p[i].decay) continue;
        for (size_t j = 0; j < p[i].n; j++) {
            sum += (double)p[i].w[j] * (double)p[i].w[j];
            p[i].g[j] += lambda * p[i].w[j];   /* d/dw (lambda/2) w^2 */
        }
    }
    /* === stub
    (void)p, (void)n;
    exercise_todo("penalty_l2");
    <<< exercise */
    return 0.5 * (double)lambda * sum;
}

double penalty_l1(Param *p, int n, real lambda) {
    double sum = 0;
    /* >>> exercise penalty_l1 | Lab 3, "4. L1: a penalty that makes zeros" | task: over the parameters with .decay set: sum += |w| and g += lambda sign(w), the subgradient 0 at w = 0 */
    for (int i = 0; i < n; i++) {
        if (!p[i].decay) continue;
        for (size_t j = 0; j < p[i].n; j++) {
            real w = p[i].w[j];
            sum += fabs((double)w);
            p[i].g[j] += w > 0 ? lambda : w < 0 ? -lambda : R(0);   /* subgradient 0 at 0 */
        }
    }
    /* === stub
    (void)p, (void)n;
    exercise_todo("penalty_l1");
    <<< exercise */
    return (double)lambda * sum;
}
