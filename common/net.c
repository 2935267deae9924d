/** # net.c — the layer array
 *
 * The first half builds a net (net_add_*). The second half is the layer kinds, one section each:
 * everything the net does with a layer of that kind — forward, backward, free, its parameters and
 * buffers, its spec (what a checkpoint stores, and how a layer is rebuilt from it) and its name —
 * sits in that kind's section. The dispatchers at the end are one `switch` each, with a `default`
 * that CHECKs. Adding a kind: README.md, "Adding a layer kind".
 */
#include "net.h"

#include <string.h>

void net_init(Net *net, int max_batch) {
    CHECK(max_batch > 0, "max_batch %d", max_batch);
    *net = (Net){.max_batch = max_batch};
}

static Layer *push(Net *net, LayerKind kind, int in, int out) {
    if (net->nlayers > 0)
        CHECK(net->layers[net->nlayers - 1].out == in, "layer %d takes %d features, previous gives %d",
              net->nlayers, in, net->layers[net->nlayers - 1].out);
    if (net->nlayers == net->cap) {
        int cap = net->cap ? 2 * net->cap : 8;
        Layer *grown = nn_calloc((size_t)cap, sizeof(Layer));
        if (net->nlayers) memcpy(grown, net->layers, (size_t)net->nlayers * sizeof(Layer));
        free(net->layers);
        net->layers = grown;
        net->cap = cap;
    }
    Layer *l = &net->layers[net->nlayers++];
    *l = (Layer){.kind = kind, .in = in, .out = out};
    l->y = nn_calloc((size_t)net->max_batch * out, sizeof(real));
    l->dx = nn_calloc((size_t)net->max_batch * in, sizeof(real));
    return l;
}

int net_arch_parse(const char *arch, int *dims, int max) {
    int n = 0;
    const char *p = arch;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v <= 0 || v > 1000000 || n == max) return 0;
        dims[n++] = (int)v;
        if (*end == '-') end++;
        else if (*end) return 0;
        p = end;
    }
    return n < 2 || p[-1] == '-' ? 0 : n;
}

bool net_mlp(Net *net, const char *arch, Activation act, Init hidden, Init output, int max_batch,
             Rng *rng) {
    int dims[64], n = net_arch_parse(arch, dims, 64);
    if (!n) return false;
    net_init(net, max_batch);
    for (int i = 0; i + 1 < n; i++) {
        bool last = i + 2 == n;
        net_add_linear(net, dims[i], dims[i + 1], true, last ? output : hidden, rng);
        if (!last) net_add_act(net, act);
    }
    return true;
}

/* A setting that names one of n kinds, as an index; -1 when it names none (a spec from a file may
 * hold any double, and converting an out-of-range one to an enum is undefined). */
static int kind_index(double v, int n) { return v >= 0 && v < n && v == (double)(int)v ? (int)v : -1; }

/* ---- Linear: y = x W^T + b (the kernels are in linear.c) ----------------------------------- */

void net_add_linear(Net *net, int in, int out, bool bias, Init init, Rng *rng) {
    Layer *l = push(net, LAYER_LINEAR, in, out);
    linear_init(&l->linear, in, out, bias);
    init_weights(l->linear.W, out, in, init, rng);
}

static void linear_layer_forward(Layer *l, const real *x, int N) {
    linear_forward(l->y, x, l->linear.W, l->linear.b, N, l->in, l->out);
}
static void linear_layer_backward(Layer *l, const real *dy, int N, bool want_dx) {
    linear_backward(want_dx ? l->dx : NULL, l->linear.dW, l->linear.db, dy, l->x, l->linear.W, N, l->in, l->out);
}
static int linear_layer_params(Layer *l, Param *out) {
    out[0] = (Param){l->linear.W, l->linear.dW, (size_t)l->in * l->out, true, "W"};
    if (!l->linear.b) return 1;
    out[1] = (Param){l->linear.b, l->linear.db, (size_t)l->out, false, "b"};
    return 2;
}
static LayerSpec linear_layer_spec(const Layer *l) {
    return (LayerSpec){LAYER_LINEAR, l->in, l->out, 1, {l->linear.b != NULL}};
}
static const char *linear_layer_build(Net *net, const LayerSpec *s) {
    if (s->set[0] != 0 && s->set[0] != 1) return "its bias flag is neither 0 nor 1";
    net_add_linear(net, s->in, s->out, s->set[0] == 1, init_make(INIT_ZEROS), NULL);
    return NULL;
}
static uint64_t linear_layer_values(const LayerSpec *s) {   /* W, b */
    return (uint64_t)s->in * (uint64_t)s->out + (s->set[0] == 1 ? (uint64_t)s->out : 0);
}
static int linear_layer_describe(const LayerSpec *s, bool full, char *buf, size_t size) {
    return snprintf(buf, size, "Linear(%d,%d%s)", s->in, s->out, full && s->set[0] == 0 ? ", no bias" : "");
}

/* ---- Activation: y = f(x) elementwise (activations.c) --------------------------------------- */

void net_add_act(Net *net, Activation act) {
    CHECK(net->nlayers > 0, "an activation needs a layer before it");
    int d = net->layers[net->nlayers - 1].out;
    push(net, LAYER_ACT, d, d)->act = act;
}

static LayerSpec act_layer_spec(const Layer *l) {
    return (LayerSpec){LAYER_ACT, l->in, l->out, 2, {l->act.kind, (double)l->act.alpha}};
}
static const char *act_layer_build(Net *net, const LayerSpec *s) {
    if (kind_index(s->set[0], ACT_NKINDS) < 0) return "its activation is unknown";
    if (!(fabs(s->set[1]) <= 1e6)) return "its alpha is not a number of sensible size";
    Activation a = {(ActKind)s->set[0], (real)s->set[1]};
    net_add_act(net, a);
    return NULL;
}
static int act_layer_describe(const LayerSpec *s, bool full, char *buf, size_t size) {
    const char *name = act_name((ActKind)kind_index(s->set[0], ACT_NKINDS));   /* "?" if none */
    if (full && s->set[0] == ACT_LEAKY_RELU) return snprintf(buf, size, "%s(alpha %g)", name, s->set[1]);
    return snprintf(buf, size, "%s", name);
}

/* ---- Dropout: y = x * mask in training, y = x in evaluation (dropout.c) --------------------- */

void net_add_dropout(Net *net, real p) {
    CHECK(net->nlayers > 0, "dropout needs a layer before it");
    int d = net->layers[net->nlayers - 1].out;
    dropout_init(&push(net, LAYER_DROPOUT, d, d)->dropout, p, (size_t)net->max_batch * d);
}

static LayerSpec dropout_layer_spec(const Layer *l) {
    return (LayerSpec){LAYER_DROPOUT, l->in, l->out, 1, {(double)l->dropout.p}};
}
static const char *dropout_layer_build(Net *net, const LayerSpec *s) {
    if (!(s->set[0] >= 0 && s->set[0] < 1)) return "its drop probability is outside [0, 1)";
    net_add_dropout(net, (real)s->set[0]);
    return NULL;
}
static int dropout_layer_describe(const LayerSpec *s, bool full, char *buf, size_t size) {
    (void)full;
    return snprintf(buf, size, "Dropout(%g)", s->set[0]);
}

/* ---- Residual block: RES_BEGIN ... RES_ADD computes y = x + f(x) ----------------------------- */

void net_add_residual_begin(Net *net) {
    CHECK(net->nlayers > 0, "a residual block needs a layer before it");
    int d = net->layers[net->nlayers - 1].out;
    Layer *l = push(net, LAYER_RES_BEGIN, d, d);
    l->res = (Residual){.partner = -1, .skip = nn_calloc((size_t)net->max_batch * d, sizeof(real))};
}

void net_add_residual_end(Net *net) {
    int begin = net->nlayers - 1;
    while (begin >= 0 && !(net->layers[begin].kind == LAYER_RES_BEGIN && net->layers[begin].res.partner < 0)) begin--;
    CHECK(begin >= 0, "net_add_residual_end without an open net_add_residual_begin");
    int d = net->layers[net->nlayers - 1].out;
    CHECK(d == net->layers[begin].out, "residual block maps %d features to %d", net->layers[begin].out, d);
    Layer *l = push(net, LAYER_RES_ADD, d, d);
    l->res = (Residual){.partner = begin};
    net->layers[begin].res.partner = net->nlayers - 1;
}

static void res_begin_forward(Layer *l, const real *x, int N) {   /* fwd: y = x (RES_ADD reads it) */
    memcpy(l->y, x, (size_t)N * l->out * sizeof(real));
}
static void res_add_forward(Net *net, Layer *l, const real *x, int N) {   /* fwd: y = f(x) + x */
    const real *skip = net->layers[l->res.partner].y;
    for (size_t j = 0; j < (size_t)N * l->out; j++) l->y[j] = x[j] + skip[j];
}
/* fwd: y = f(x) + x  ->  df = dy into the branch, dy along the skip */
static void res_add_backward(Net *net, Layer *l, const real *dy, int N) {
    memcpy(l->dx, dy, (size_t)N * l->out * sizeof(real));
    memcpy(net->layers[l->res.partner].res.skip, dy, (size_t)N * l->out * sizeof(real));
}
/* fwd: y = x, read by the branch and the skip  ->  dx = dy + skip */
static void res_begin_backward(Layer *l, const real *dy, int N) {
    for (size_t j = 0; j < (size_t)N * l->out; j++) l->dx[j] = dy[j] + l->res.skip[j];
}
static const char *res_layer_build(Net *net, const LayerSpec *s) {
    if (s->kind == LAYER_RES_BEGIN) {
        net_add_residual_begin(net);
        return NULL;
    }
    int begin = net->nlayers - 1;
    while (begin >= 0 && !(net->layers[begin].kind == LAYER_RES_BEGIN && net->layers[begin].res.partner < 0)) begin--;
    if (begin < 0) return "it closes a residual block that was never opened";
    if (net->layers[begin].out != s->in) return "its residual block does not keep the width";
    net_add_residual_end(net);
    return NULL;
}
static int res_layer_describe(const LayerSpec *s, bool full, char *buf, size_t size) {
    (void)full;
    return snprintf(buf, size, "%s", s->kind == LAYER_RES_BEGIN ? "[" : "+x]");
}

/* ---- Normalization: BatchNorm, LayerNorm, RMSNorm (norm.c) ---------------------------------- */

void net_add_norm(Net *net, NormKind kind) {
    CHECK(net->nlayers > 0, "a normalization needs a layer before it");
    int d = net->layers[net->nlayers - 1].out;
    norm_init(&push(net, LAYER_NORM, d, d)->norm, kind, d, net->max_batch);
}

static int norm_layer_params(Layer *l, Param *out) {   /* gains and shifts: no decay, by convention */
    out[0] = (Param){l->norm.gamma, l->norm.dgamma, (size_t)l->out, false, "gamma"};
    if (!l->norm.beta) return 1;
    out[1] = (Param){l->norm.beta, l->norm.dbeta, (size_t)l->out, false, "beta"};
    return 2;
}
static int norm_layer_buffers(Layer *l, Buffer *out) {   /* BatchNorm's running statistics */
    if (l->norm.kind != NORM_BATCH) return 0;
    out[0] = (Buffer){l->norm.running_mean, (size_t)l->out, "running_mean"};
    out[1] = (Buffer){l->norm.running_var, (size_t)l->out, "running_var"};
    return 2;
}
static LayerSpec norm_layer_spec(const Layer *l) {
    return (LayerSpec){LAYER_NORM, l->in, l->out, 3, {l->norm.kind, (double)l->norm.eps, (double)l->norm.momentum}};
}
static uint64_t norm_layer_values(const LayerSpec *s) {   /* gamma, beta; running mean and variance */
    int arrays = s->set[0] == NORM_RMS ? 1 : s->set[0] == NORM_BATCH ? 4 : 2;
    return (uint64_t)arrays * (uint64_t)s->out;
}
static const char *norm_layer_build(Net *net, const LayerSpec *s) {
    if (kind_index(s->set[0], NORM_NKINDS) < 0) return "its normalization is unknown";
    if (!(s->set[1] > 0 && s->set[1] < 1)) return "its eps is outside (0, 1)";
    if (!(s->set[2] >= 0 && s->set[2] <= 1)) return "its momentum is outside [0, 1]";
    net_add_norm(net, (NormKind)s->set[0]);
    Norm *n = &net->layers[net->nlayers - 1].norm;
    n->eps = (real)s->set[1], n->momentum = (real)s->set[2];
    return NULL;
}
static int norm_layer_describe(const LayerSpec *s, bool full, char *buf, size_t size) {
    const char *name = norm_name((NormKind)kind_index(s->set[0], NORM_NKINDS));   /* "?" if none */
    if (!full) return snprintf(buf, size, "%s", name);
    if (s->set[0] == NORM_BATCH) return snprintf(buf, size, "%s(%d, eps %g, momentum %g)", name, s->in, s->set[1], s->set[2]);
    return snprintf(buf, size, "%s(%d, eps %g)", name, s->in, s->set[1]);
}

/* ---- the dispatchers: one switch each --------------------------------------------------------- */

static void layer_free(Layer *l) {
    switch (l->kind) {
    case LAYER_LINEAR: linear_free(&l->linear); break;
    case LAYER_ACT: break;
    case LAYER_DROPOUT: dropout_free(&l->dropout); break;
    case LAYER_RES_BEGIN: free(l->res.skip); break;
    case LAYER_RES_ADD: break;
    case LAYER_NORM: norm_free(&l->norm); break;
    default: CHECK(0, "unknown layer kind %d", (int)l->kind);
    }
    free(l->y), free(l->dx);
}

void net_free(Net *net) {
    for (int i = 0; i < net->nlayers; i++) layer_free(&net->layers[i]);
    free(net->layers);
    *net = (Net){0};
}

const real *net_forward(Net *net, const real *x, int N, bool training, Rng *rng) {
    CHECK(N > 0 && N <= net->max_batch, "batch %d, net sized for %d", N, net->max_batch);
    net->N = N;
    for (int i = 0; i < net->nlayers; i++) {
        Layer *l = &net->layers[i];
        l->x = x;
        double t0 = net->timing ? nn_seconds() : 0;
        switch (l->kind) {
        case LAYER_LINEAR: linear_layer_forward(l, x, N); break;
        case LAYER_ACT: act_forward(l->act, l->y, x, (size_t)N * l->out); break;
        case LAYER_DROPOUT: dropout_forward(&l->dropout, l->y, x, (size_t)N * l->out, training, rng); break;
        case LAYER_RES_BEGIN: res_begin_forward(l, x, N); break;
        case LAYER_RES_ADD: res_add_forward(net, l, x, N); break;
        case LAYER_NORM: norm_forward(&l->norm, l->y, x, N, training); break;
        default: CHECK(0, "unknown layer kind %d", (int)l->kind);
        }
        if (net->timing) net->timing[2 * i] += nn_seconds() - t0;
        x = l->y;
    }
    return x;
}

const real *net_backward(Net *net, const real *dy) {
    int N = net->N;
    CHECK(N > 0, "backward before forward");
    for (int i = net->nlayers - 1; i >= 0; i--) {
        Layer *l = &net->layers[i];
        bool want_dx = i > 0 || net->input_grad;
        double t0 = net->timing ? nn_seconds() : 0;
        switch (l->kind) {
        case LAYER_LINEAR: linear_layer_backward(l, dy, N, want_dx); break;
        case LAYER_ACT: act_backward(l->act, l->dx, dy, l->x, l->y, (size_t)N * l->out); break;
        case LAYER_DROPOUT: dropout_backward(&l->dropout, l->dx, dy, (size_t)N * l->out); break;
        case LAYER_RES_ADD: res_add_backward(net, l, dy, N); break;
        case LAYER_RES_BEGIN: res_begin_backward(l, dy, N); break;
        case LAYER_NORM: norm_backward(&l->norm, want_dx ? l->dx : NULL, dy, N); break;
        default: CHECK(0, "unknown layer kind %d", (int)l->kind);
        }
        if (net->timing) net->timing[2 * i + 1] += nn_seconds() - t0;
        dy = l->dx;
    }
    return net->input_grad ? net->layers[0].dx : NULL;
}

int layer_params(Layer *l, Param *out) {
    switch (l->kind) {
    case LAYER_LINEAR: return linear_layer_params(l, out);
    case LAYER_NORM: return norm_layer_params(l, out);
    case LAYER_ACT: case LAYER_DROPOUT: case LAYER_RES_BEGIN: case LAYER_RES_ADD: return 0;
    default: CHECK(0, "unknown layer kind %d", (int)l->kind);
    }
    return 0;
}

int layer_buffers(Layer *l, Buffer *out) {
    switch (l->kind) {
    case LAYER_NORM: return norm_layer_buffers(l, out);
    case LAYER_LINEAR: case LAYER_ACT: case LAYER_DROPOUT: case LAYER_RES_BEGIN: case LAYER_RES_ADD: return 0;
    default: CHECK(0, "unknown layer kind %d", (int)l->kind);
    }
    return 0;
}

LayerSpec layer_spec(const Layer *l) {
    switch (l->kind) {
    case LAYER_LINEAR: return linear_layer_spec(l);
    case LAYER_ACT: return act_layer_spec(l);
    case LAYER_DROPOUT: return dropout_layer_spec(l);
    case LAYER_RES_BEGIN: case LAYER_RES_ADD: return (LayerSpec){l->kind, l->in, l->out, 0, {0}};
    case LAYER_NORM: return norm_layer_spec(l);
    default: CHECK(0, "unknown layer kind %d", (int)l->kind);
    }
    return (LayerSpec){0};
}

/* The number of settings each kind's spec carries. */
static int spec_nset(LayerKind k) {
    switch (k) {
    case LAYER_LINEAR: case LAYER_DROPOUT: return 1;
    case LAYER_ACT: return 2;
    case LAYER_NORM: return 3;
    case LAYER_RES_BEGIN: case LAYER_RES_ADD: return 0;
    default: return -1;   /* a kind from a file: refused by the caller */
    }
}

uint64_t layer_spec_values(const LayerSpec *s) {
    switch (s->kind) {
    case LAYER_LINEAR: return linear_layer_values(s);
    case LAYER_NORM: return norm_layer_values(s);
    case LAYER_ACT: case LAYER_DROPOUT: case LAYER_RES_BEGIN: case LAYER_RES_ADD: return 0;
    default: return 0;   /* an unknown kind from a file: net_add_spec refuses it */
    }
}

static int spec_describe(const LayerSpec *s, bool full, char *buf, size_t size) {
    switch (s->kind) {
    case LAYER_LINEAR: return linear_layer_describe(s, full, buf, size);
    case LAYER_ACT: return act_layer_describe(s, full, buf, size);
    case LAYER_DROPOUT: return dropout_layer_describe(s, full, buf, size);
    case LAYER_RES_BEGIN: case LAYER_RES_ADD: return res_layer_describe(s, full, buf, size);
    case LAYER_NORM: return norm_layer_describe(s, full, buf, size);
    default: return snprintf(buf, size, "a layer of unknown kind %d", (int)s->kind);
    }
}

void layer_spec_describe(const LayerSpec *s, char *buf, size_t size) { spec_describe(s, true, buf, size); }

const char *layer_kind_name(LayerKind kind) {
    static const char *const names[LAYER_NKINDS] = {"Linear", "activation", "Dropout", "residual begin",
                                                    "residual add", "normalization"};
    return kind >= 0 && kind < LAYER_NKINDS ? names[kind] : "unknown";
}

bool net_add_spec(Net *net, const LayerSpec *s, char *err, size_t errsize) {
    const char *why = NULL;
    int prev = net->nlayers ? net->layers[net->nlayers - 1].out : s->in;
    if (spec_nset(s->kind) < 0) why = "its kind is unknown";
    else if (s->nset != spec_nset(s->kind)) why = "it has the wrong number of settings";
    else if (s->in < 1 || s->in > NET_MAX_WIDTH || s->out < 1 || s->out > NET_MAX_WIDTH) why = "its width is absurd";
    else if (s->in != prev) why = "its input width differs from the previous layer's output";
    else if (s->kind != LAYER_LINEAR && s->in != s->out) why = "it changes the width but is not Linear";
    else if (s->kind != LAYER_LINEAR && net->nlayers == 0) why = "only a Linear layer can come first";
    else {
        switch (s->kind) {
        case LAYER_LINEAR: why = linear_layer_build(net, s); break;
        case LAYER_ACT: why = act_layer_build(net, s); break;
        case LAYER_DROPOUT: why = dropout_layer_build(net, s); break;
        case LAYER_RES_BEGIN: case LAYER_RES_ADD: why = res_layer_build(net, s); break;
        case LAYER_NORM: why = norm_layer_build(net, s); break;
        default: CHECK(0, "unknown layer kind %d", (int)s->kind);
        }
    }
    if (why) {
        char what[128];
        spec_describe(s, true, what, sizeof what);
        snprintf(err, errsize, "layer %d (%s) cannot be built: %s", net->nlayers + 1,
                 spec_nset(s->kind) < 0 ? "of an unknown kind" : what, why);
    }
    return why == NULL;
}

/* ---- the whole net ---------------------------------------------------------------------------- */

int net_in(const Net *net) { return net->nlayers ? net->layers[0].in : 0; }
int net_out(const Net *net) { return net->nlayers ? net->layers[net->nlayers - 1].out : 0; }

int net_nparams(const Net *net) {
    Param p[LAYER_MAX_PARAMS];
    int n = 0;
    for (int i = 0; i < net->nlayers; i++) n += layer_params(&net->layers[i], p);
    return n;
}

int net_params(Net *net, Param *out, int max) {
    int n = 0;
    for (int i = 0; i < net->nlayers; i++) {
        Param p[LAYER_MAX_PARAMS];
        int k = layer_params(&net->layers[i], p);
        CHECK(n + k <= max, "more than %d parameter arrays: size the list with net_nparams", max);
        for (int j = 0; j < k; j++) out[n++] = p[j];
    }
    return n;
}

Param *net_param_list(Net *net, int *n) {
    int count = net_nparams(net);
    Param *p = nn_calloc((size_t)count + 1, sizeof(Param));
    *n = net_params(net, p, count);
    return p;
}

int net_nbuffers(const Net *net) {
    Buffer b[LAYER_MAX_BUFFERS];
    int n = 0;
    for (int i = 0; i < net->nlayers; i++) n += layer_buffers(&net->layers[i], b);
    return n;
}

int net_buffers(Net *net, Buffer *out, int max) {
    int n = 0;
    for (int i = 0; i < net->nlayers; i++) {
        Buffer b[LAYER_MAX_BUFFERS];
        int k = layer_buffers(&net->layers[i], b);
        CHECK(n + k <= max, "more than %d buffers: size the list with net_nbuffers", max);
        for (int j = 0; j < k; j++) out[n++] = b[j];
    }
    return n;
}

/* Walks every parameter, then every buffer, copying to (dir > 0) or from (dir < 0) v. */
static size_t state_walk(Net *net, real *v, int dir) {
    size_t pos = 0;
    for (int i = 0; i < net->nlayers; i++) {
        Param p[LAYER_MAX_PARAMS];
        for (int j = 0, k = layer_params(&net->layers[i], p); j < k; pos += p[j].n, j++)
            if (dir > 0) memcpy(v + pos, p[j].w, p[j].n * sizeof(real));
            else if (dir < 0) memcpy(p[j].w, v + pos, p[j].n * sizeof(real));
    }
    for (int i = 0; i < net->nlayers; i++) {
        Buffer b[LAYER_MAX_BUFFERS];
        for (int j = 0, k = layer_buffers(&net->layers[i], b); j < k; pos += b[j].n, j++)
            if (dir > 0) memcpy(v + pos, b[j].w, b[j].n * sizeof(real));
            else if (dir < 0) memcpy(b[j].w, v + pos, b[j].n * sizeof(real));
    }
    return pos;
}

size_t net_state_count(Net *net) { return state_walk(net, NULL, 0); }
void net_state_copy(Net *net, real *dst) { state_walk(net, dst, 1); }
void net_state_restore(Net *net, const real *src) { state_walk(net, (real *)src, -1); }

void net_zero_grad(Net *net) {
    for (int i = 0; i < net->nlayers; i++) {
        Param p[LAYER_MAX_PARAMS];
        params_zero_grad(p, layer_params(&net->layers[i], p));
    }
}

size_t net_param_count(Net *net) {
    size_t n = 0;
    for (int i = 0; i < net->nlayers; i++) {
        Param p[LAYER_MAX_PARAMS];
        n += params_count(p, layer_params(&net->layers[i], p));
    }
    return n;
}

void net_describe(const Net *net, char *buf, size_t size) {
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < net->nlayers && used < size; i++) {
        const Layer *l = &net->layers[i];
        LayerSpec s = layer_spec(l);
        if (i > 0) used += (size_t)snprintf(buf + used, size - used, " ");   /* "[ Linear(6,6) +x]" */
        if (used < size) used += (size_t)spec_describe(&s, false, buf + used, size - used);
    }
}
