/** # net.h — a network is an array of layers
 *
 * Each layer is a tagged union: a `kind` and the struct for that kind. `net_forward` and
 * `net_backward` walk the array with one `switch` each — no function pointers, so the whole
 * network's arithmetic can be read in one screen of `net.c`.
 *
 * Memory: every layer owns its output `y` `[max_batch, out]` and its input gradient `dx`
 * `[max_batch, in]`, allocated once by the builder. The input `x` a layer saw is the previous
 * layer's `y` (or the caller's batch), so it is kept as a pointer, not copied: backward needs it
 * (Linear: $dW = dy^\top x$; activations: $f'(x)$).
 *
 *     Net net;
 *     net_mlp(&net, "784-256-128-10", act_make(ACT_RELU), init_make(INIT_HE_NORMAL),
 *             init_make(INIT_XAVIER_UNIFORM), 64, &rng);
 *     const real *logits = net_forward(&net, x, N, true, &rng);    // [N, 10]
 *     ... loss gradient dlogits [N, 10] ...
 *     net_backward(&net, dlogits);
 */
#ifndef NN_NET_H
#define NN_NET_H

#include "activations.h"
#include "dropout.h"
#include "init.h"
#include "linear.h"
#include "norm.h"
#include "optim.h"
#include "rng.h"

typedef enum { LAYER_LINEAR, LAYER_ACT, LAYER_DROPOUT, LAYER_RES_BEGIN, LAYER_RES_ADD, LAYER_NORM, LAYER_NKINDS } LayerKind;

/* What one layer may hold, at most: trained parameters (Linear's W and b, a norm's gamma and beta)
 * and buffers — state that is not trained but is part of the model, such as BatchNorm's running
 * mean and variance. Checkpoints and early stopping keep both. */
enum { LAYER_MAX_PARAMS = 2, LAYER_MAX_BUFFERS = 2, LAYER_MAX_SETTINGS = 3 };

typedef struct {
    real *w;            /* [n] */
    size_t n;
    const char *name;
} Buffer;

/* A layer's architecture: its kind, widths and settings (Linear: has a bias; activation: kind and
 * alpha; dropout: p; norm: kind, eps, momentum). It is what a checkpoint stores about a layer, and
 * all a net needs to rebuild it (net_add_spec). */
enum { NET_MAX_WIDTH = 1 << 24 };   /* a wider layer in a file is taken for corruption */

typedef struct {
    LayerKind kind;
    int in, out;
    int nset;
    double set[LAYER_MAX_SETTINGS];
} LayerSpec;

/* A residual block y = x + f(x) in the flat layer array: RES_BEGIN marks the block's input x (its
 * forward is the identity), the layers of f follow, and RES_ADD adds x back:
 *     ... RES_BEGIN  Linear  ReLU  Linear  RES_ADD ...
 * Backward: RES_ADD sends dy both into f and, through `skip`, straight to RES_BEGIN, which adds
 * the two: dx = dy_through_f + dy. The skip path is why gradients reach early layers. */
typedef struct {
    int partner;   /* index of the matching RES_BEGIN / RES_ADD layer */
    real *skip;    /* RES_BEGIN only: [max_batch, d] the gradient that came along the skip path */
} Residual;

typedef struct {
    LayerKind kind;
    int in, out;          /* features in and out */
    union {
        Linear linear;
        Activation act;
        Dropout dropout;
        Residual res;
        Norm norm;        /* BatchNorm, LayerNorm or RMSNorm (norm.h) */
    };
    const real *x;        /* [N, in]  the input of the last forward pass (not owned) */
    real *y;              /* [max_batch, out] output */
    real *dx;             /* [max_batch, in]  gradient with respect to the input */
} Layer;

typedef struct {
    Layer *layers;
    int nlayers, cap;
    int max_batch;
    int N;                /* batch size of the last forward pass */
    bool input_grad;      /* compute the first layer's dx too (gradient checks); default off */
    double *timing;       /* when set (not owned, [2 * nlayers]): each layer's forward seconds are
                             added to timing[2i], its backward seconds to timing[2i+1] (Lab 08) */
} Net;

void net_init(Net *net, int max_batch);
void net_free(Net *net);
void net_add_linear(Net *net, int in, int out, bool bias, Init init, Rng *rng);
void net_add_act(Net *net, Activation act);
void net_add_dropout(Net *net, real p);
void net_add_norm(Net *net, NormKind kind);   /* over the previous layer's features; gamma, beta do not decay */
void net_add_residual_begin(Net *net);
void net_add_residual_end(Net *net);   /* closes the innermost open block; in and out widths must agree */
/* An MLP from an architecture string such as "784-256-128-10": Linear layers with the given
 * activation between them (none after the last), hidden layers initialized with `hidden`, the
 * output layer with `output`, biases zero. Returns false (and builds nothing) if `arch` is not
 * at least two positive integers joined by '-'. */
/* The widths of an architecture string into dims[max]; returns how many, or 0 if `arch` is not
 * at least two positive integers joined by '-' (or has more than max). */
int net_arch_parse(const char *arch, int *dims, int max);
bool net_mlp(Net *net, const char *arch, Activation act, Init hidden, Init output, int max_batch,
             Rng *rng);

/* x: [N, in of the first layer]; returns the last layer's output [N, out]. `training` and `rng`
 * are for the layers that behave differently in training (dropout, batch norm). */
const real *net_forward(Net *net, const real *x, int N, bool training, Rng *rng);
/* dy: [N, out of the last layer], for the N of the last forward. Accumulates parameter gradients;
 * returns the gradient with respect to the input when input_grad is set, else NULL. */
const real *net_backward(Net *net, const real *dy);

/* Adds the layer a spec describes. Unlike the net_add_* functions (whose misuse is a programmer
 * error and CHECKs), a spec may come from a file: a bad one is refused with one sentence in err
 * and nothing is added. */
bool net_add_spec(Net *net, const LayerSpec *s, char *err, size_t errsize);
LayerSpec layer_spec(const Layer *l);
/* How many values (parameters and buffers) a layer built from this spec holds; what a checkpoint
 * stores for it. Widths are at most NET_MAX_WIDTH, so this cannot overflow. */
uint64_t layer_spec_values(const LayerSpec *s);
/* "BatchNorm(256, eps 1e-05, momentum 0.1)": a spec in words, for messages. */
void layer_spec_describe(const LayerSpec *s, char *buf, size_t size);
const char *layer_kind_name(LayerKind kind);
/* A layer's parameters into out[LAYER_MAX_PARAMS] and buffers into out[LAYER_MAX_BUFFERS];
 * each returns how many. */
int layer_params(Layer *l, Param *out);
int layer_buffers(Layer *l, Buffer *out);

int net_in(const Net *net);
int net_out(const Net *net);
/* How many parameter arrays the net has (W and b of each Linear, gamma and beta of each norm). */
int net_nparams(const Net *net);
/* Lists every parameter (W then b, layer by layer) into out[max]; returns how many. max must be
 * at least net_nparams(net): size the array from it, e.g.
 *     Param *p = nn_calloc(net_nparams(net), sizeof *p);  int np = net_params(net, p, net_nparams(net)); */
int net_params(Net *net, Param *out, int max);
/* The same list, allocated to fit (the caller frees it): `int np; Param *p = net_param_list(net, &np);` */
Param *net_param_list(Net *net, int *n);
int net_nbuffers(const Net *net);
int net_buffers(Net *net, Buffer *out, int max);
/* The whole state of the model, parameters then buffers, as one vector of net_state_count reals:
 * what early stopping keeps of its best epoch. */
size_t net_state_count(Net *net);
void net_state_copy(Net *net, real *dst);
void net_state_restore(Net *net, const real *src);
void net_zero_grad(Net *net);
size_t net_param_count(Net *net);
/* Describe the net in one line, e.g. "Linear(784,256) ReLU Linear(256,10)". */
void net_describe(const Net *net, char *buf, size_t size);

#endif
