/** # optim.h — optimizers, gradient clipping and explicit penalties
 *
 * An optimizer updates a list of parameters from their gradients. A `Param` is a pointer to the
 * values, a pointer to the gradients, a length, and whether weight decay and penalties apply (by
 * convention: weights yes, biases and normalization gains no).
 *
 * Every update follows PyTorch exactly (tests/golden/SEMANTICS.md), so the 5-step trajectories in the tests
 * match PyTorch's to float precision. With gradient $g$, parameter $\theta$, step $t$:
 * - **SGD**: $g \mathrel{+}= \lambda\theta$; momentum buffer $b = \mu b + g$ (first step $b = g$);
 *   $\theta \mathrel{-}= \eta b$, or with Nesterov $\theta \mathrel{-}= \eta(g + \mu b)$.
 * - **RMSprop**: $v = \alpha v + (1-\alpha) g^2$; $\theta \mathrel{-}= \eta g/(\sqrt v + \epsilon)$.
 * - **Adam**: $m = \beta_1 m + (1-\beta_1) g$, $v = \beta_2 v + (1-\beta_2) g^2$,
 *   $\theta \mathrel{-}= \eta\,\hat m/(\sqrt{\hat v} + \epsilon)$ with $\hat m = m/(1-\beta_1^t)$,
 *   $\hat v = v/(1-\beta_2^t)$. Its weight decay is L2: $g \mathrel{+}= \lambda\theta$.
 * - **AdamW**: decoupled decay: $\theta \mathrel{*}= 1 - \eta\lambda$ first, then Adam on the raw $g$.
 */
#ifndef NN_OPTIM_H
#define NN_OPTIM_H

#include "nn.h"

typedef struct {
    real *w, *g;    /* values and gradients, [n] each */
    size_t n;
    bool decay;     /* weight decay, L1 and L2 apply to this parameter */
    const char *name;
} Param;

typedef enum { OPT_SGD, OPT_RMSPROP, OPT_ADAM, OPT_ADAMW, OPT_NKINDS } OptKind;

typedef struct {
    OptKind kind;
    real lr, weight_decay;
    real momentum;  bool nesterov;   /* SGD */
    real alpha;                      /* RMSprop's smoothing */
    real beta1, beta2;               /* Adam(W) */
    real eps;                        /* RMSprop, Adam(W) */
} OptConfig;

typedef struct {
    OptConfig cfg;
    Param *params;   /* a copy of the list */
    int nparams;
    real **m, **v;   /* per parameter: momentum / first moment, second moment (NULL if unused) */
    long t;          /* steps taken */
} Optimizer;

OptConfig optim_defaults(OptKind kind);    /* PyTorch's defaults; SGD gets lr 0.01 */
void optim_init(Optimizer *o, OptConfig cfg, const Param *params, int nparams);
void optim_free(Optimizer *o);
/* One update with learning rate lr (from a schedule; pass o->cfg.lr for a constant one). */
void optim_step(Optimizer *o, real lr);
void optim_zero_grad(Optimizer *o);
const char *optim_name(OptKind k);
bool optim_parse(const char *name, OptKind *out);

void params_zero_grad(Param *p, int n);
size_t params_count(const Param *p, int n);   /* total number of reals */
double params_grad_norm(const Param *p, int n);
/* Copy every parameter's values into dst [params_count], and back. */
void params_copy(real *dst, const Param *p, int n);
void params_restore(Param *p, int n, const real *src);

/* Scale all gradients so that their global L2 norm is at most max_norm; returns the norm before. */
double clip_grad_norm(Param *p, int n, double max_norm);
/* L2 penalty (lambda/2) sum w^2 over decaying parameters: adds lambda*w to g, returns the term. */
double penalty_l2(Param *p, int n, real lambda);
/* L1 penalty lambda sum |w|: adds lambda*sign(w) to g, returns the term. */
double penalty_l1(Param *p, int n, real lambda);

#endif
