/** # net.c */
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

void net_add_linear(Net *net, int in, int out, bool bias, Init init, Rng *rng) {
    Layer *l = push(net, LAYER_LINEAR, in, out);
    linear_init(&l->linear, in, out, bias);
    init_weights(l->linear.W, out, in, init, rng);
}

void net_add_act(Net *net, Activation act) {
    CHECK(net->nlayers > 0, "an activation needs a layer before it");
    int d = net->layers[net->nlayers - 1].out;
    push(net, LAYER_ACT, d, d)->act = act;
}

void net_add_dropout(Net *net, real p) {
    CHECK(net->nlayers > 0, "dropout needs a layer before it");
    int d = net->layers[net->nlayers - 1].out;
    dropout_init(&push(net, LAYER_DROPOUT, d, d)->dropout, p, (size_t)net->max_batch * d);
}

void net_add_norm(Net *net, NormKind kind) {
    CHECK(net->nlayers > 0, "a normalization needs a layer before it");
    int d = net->layers[net->nlayers - 1].out;
    norm_init(&push(net, LAYER_NORM, d, d)->norm, kind, d, net->max_batch);
}

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

void net_free(Net *net) {
    for (int i = 0; i < net->nlayers; i++) {
        Layer *l = &net->layers[i];
        if (l->kind == LAYER_LINEAR) linear_free(&l->linear);
        if (l->kind == LAYER_DROPOUT) dropout_free(&l->dropout);
        if (l->kind == LAYER_RES_BEGIN) free(l->res.skip);
        if (l->kind == LAYER_NORM) norm_free(&l->norm);
        free(l->y), free(l->dx);
    }
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
        case LAYER_LINEAR:
            linear_forward(l->y, x, l->linear.W, l->linear.b, N, l->in, l->out);
            break;
        case LAYER_ACT:
            act_forward(l->act, l->y, x, (size_t)N * l->out);
            break;
        case LAYER_DROPOUT:
            dropout_forward(&l->dropout, l->y, x, (size_t)N * l->out, training, rng);
            break;
        case LAYER_RES_BEGIN:   /* fwd: y = x (kept: RES_ADD reads it) */
            memcpy(l->y, x, (size_t)N * l->out * sizeof(real));
            break;
        case LAYER_RES_ADD: {   /* fwd: y = f(x) + x, with x the output of RES_BEGIN */
            const real *skip = net->layers[l->res.partner].y;
            for (size_t j = 0; j < (size_t)N * l->out; j++) l->y[j] = x[j] + skip[j];
            break;
        }
        case LAYER_NORM:
            norm_forward(&l->norm, l->y, x, N, training);
            break;
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
        case LAYER_LINEAR:
            linear_backward(want_dx ? l->dx : NULL, l->linear.dW, l->linear.db, dy, l->x,
                            l->linear.W, N, l->in, l->out);
            break;
        case LAYER_ACT:
            act_backward(l->act, l->dx, dy, l->x, l->y, (size_t)N * l->out);
            break;
        case LAYER_DROPOUT:
            dropout_backward(&l->dropout, l->dx, dy, (size_t)N * l->out);
            break;
        case LAYER_RES_ADD:     /* fwd: y = f(x) + x  ->  df = dy into the branch, dy along the skip */
            memcpy(l->dx, dy, (size_t)N * l->out * sizeof(real));
            memcpy(net->layers[l->res.partner].res.skip, dy, (size_t)N * l->out * sizeof(real));
            break;
        case LAYER_RES_BEGIN:   /* fwd: y = x, read by the branch and the skip  ->  dx = dy + skip */
            for (size_t j = 0; j < (size_t)N * l->out; j++) l->dx[j] = dy[j] + l->res.skip[j];
            break;
        case LAYER_NORM:
            norm_backward(&l->norm, want_dx ? l->dx : NULL, dy, N);
            break;
        default: CHECK(0, "unknown layer kind %d", (int)l->kind);
        }
        if (net->timing) net->timing[2 * i + 1] += nn_seconds() - t0;
        dy = l->dx;
    }
    return net->input_grad ? net->layers[0].dx : NULL;
}

int net_in(const Net *net) { return net->nlayers ? net->layers[0].in : 0; }
int net_out(const Net *net) { return net->nlayers ? net->layers[net->nlayers - 1].out : 0; }

int net_params(Net *net, Param *out, int max) {
    int n = 0;
    for (int i = 0; i < net->nlayers; i++) {
        Layer *l = &net->layers[i];
        CHECK(n + 2 <= max, "more than %d parameters", max);
        if (l->kind == LAYER_NORM) {   /* gains and shifts: no decay, by convention */
            out[n++] = (Param){l->norm.gamma, l->norm.dgamma, (size_t)l->out, false, "gamma"};
            if (l->norm.beta) out[n++] = (Param){l->norm.beta, l->norm.dbeta, (size_t)l->out, false, "beta"};
        }
        if (l->kind != LAYER_LINEAR) continue;
        size_t nw = (size_t)l->in * l->out;
        out[n++] = (Param){l->linear.W, l->linear.dW, nw, true, "W"};
        if (l->linear.b) out[n++] = (Param){l->linear.b, l->linear.db, (size_t)l->out, false, "b"};
    }
    return n;
}

void net_zero_grad(Net *net) {
    Param p[256];
    int n = net_params(net, p, 256);
    params_zero_grad(p, n);
}

size_t net_param_count(Net *net) {
    Param p[256];
    int n = net_params(net, p, 256);
    return params_count(p, n);
}

void net_describe(const Net *net, char *buf, size_t size) {
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < net->nlayers && used < size; i++) {
        const Layer *l = &net->layers[i];
        int w = 0;
        switch (l->kind) {
        case LAYER_LINEAR:
            w = snprintf(buf + used, size - used, "%sLinear(%d,%d)", i ? " " : "", l->in, l->out);
            break;
        case LAYER_ACT:
            w = snprintf(buf + used, size - used, "%s%s", i ? " " : "", act_name(l->act.kind));
            break;
        case LAYER_DROPOUT:
            w = snprintf(buf + used, size - used, "%sDropout(%g)", i ? " " : "", (double)l->dropout.p);
            break;
        case LAYER_RES_BEGIN: w = snprintf(buf + used, size - used, "%s[", i ? " " : ""); break;
        case LAYER_RES_ADD: w = snprintf(buf + used, size - used, " +x]"); break;
        case LAYER_NORM: w = snprintf(buf + used, size - used, "%s%s", i ? " " : "", norm_name(l->norm.kind)); break;
        default: break;
        }
        if (w > 0) used += (size_t)w;
    }
}
