/** # gradcheck.c */
#include "gradcheck.h"

#include <string.h>

#include "exercise.h"

double rel_error(double a, double n) {
    double denom = fabs(a) + fabs(n);
    return fabs(a - n) / (denom > 1e-8 ? denom : 1e-8);
}

GradCheck gradcheck(double (*fn)(void *ctx), void *ctx, real *p, const real *analytic, size_t n,
                    size_t limit, double h) {
    GradCheck r = {0};
    size_t stride = limit > 0 && limit < n ? n / limit : 1;
    for (size_t i = 0; i < n; i += stride) {
        double numeric;   /* d fn / d p[i], from fn at points around p[i] */
        /* >>> exercise gradcheck_central | Lab 1, "Backpropagation, verified" | task: numeric = d fn / d p[i] by central differences (fn(ctx) evaluates at the current p; the solution uses (8(f(+h) - f(-h)) - (f(+2h) - f(-2h))) / 12h), and leave p[i] as it was */
        real saved = p[i];
        double f[4];   /* f(p - 2h), f(p - h), f(p + h), f(p + 2h) */
        const double at[4] = {-2 * h, -h, h, 2 * h};
        for (int k = 0; k < 4; k++) {
            p[i] = (real)((double)saved + at[k]);
            f[k] = fn(ctx);
        }
        p[i] = saved;
        numeric = (8 * (f[2] - f[1]) - (f[3] - f[0])) / (12 * h);
        /* === stub
        (void)fn, (void)ctx, (void)p, (void)h;
        exercise_todo("gradcheck_central");
        <<< exercise */
        double a = (double)analytic[i];
        double e = rel_error(a, numeric);
        if (e > r.max_rel_err || r.checked == 0) {
            r.max_rel_err = e;
            r.worst = i;
            r.analytic = a;
            r.numeric = numeric;
        }
        if (fabs(a) > r.max_abs_grad) r.max_abs_grad = fabs(a);
        r.checked++;
    }
    return r;
}

GradCheck gradcheck_merge(GradCheck a, GradCheck b) {
    GradCheck r = a.max_rel_err >= b.max_rel_err ? a : b;
    r.max_abs_grad = fmax(a.max_abs_grad, b.max_abs_grad);
    r.checked = a.checked + b.checked;
    return r;
}

typedef struct {
    Activation act;
    real *x, y;
    real g;
} ActCtx;

static double act_objective(void *ctx) {
    ActCtx *c = ctx;
    act_forward(c->act, &c->y, c->x, 1);
    return (double)c->y * (double)c->g;
}

GradCheck gradcheck_activation(Activation a, real *x, const real *g, int n, double h) {
    GradCheck r = {0};
    for (int i = 0; i < n; i++) {
        real y, dx;
        act_forward(a, &y, x + i, 1);
        act_backward(a, &dx, g + i, x + i, &y, 1);
        ActCtx c = {a, x + i, 0, g[i]};
        r = gradcheck_merge(r, gradcheck(act_objective, &c, x + i, &dx, 1, 0, h));
    }
    return r;
}

typedef struct {
    Net *net;
    const real *x;   /* [N, in] */
    const real *G;   /* [N, out] */
    int N;
} NetCtx;

static double net_objective(void *ctx) {
    NetCtx *c = ctx;
    const real *y = net_forward(c->net, c->x, c->N, true, NULL);
    double sum = 0;
    for (size_t i = 0; i < (size_t)c->N * net_out(c->net); i++) sum += (double)y[i] * (double)c->G[i];
    return sum;
}

GradCheck gradcheck_net(Net *net, const real *x, int N, size_t limit, Rng *rng) {
    size_t nin = (size_t)N * net_in(net), nout = (size_t)N * net_out(net);
    real *xc = nn_calloc(nin, sizeof(real)), *G = nn_calloc(nout, sizeof(real));
    memcpy(xc, x, nin * sizeof(real));
    for (size_t i = 0; i < nout; i++) G[i] = (real)rng_normal(rng);
    NetCtx ctx = {net, xc, G, N};

    /* analytic gradients: one forward, one backward with dy = G */
    int np;
    Param *params = net_param_list(net, &np);
    bool saved_flag = net->input_grad;
    net->input_grad = true;
    params_zero_grad(params, np);
    net_forward(net, xc, N, true, NULL);
    const real *dx_net = net_backward(net, G);
    real *dx = nn_calloc(nin, sizeof(real));
    memcpy(dx, dx_net, nin * sizeof(real));

    double h = sizeof(real) == sizeof(double) ? 1e-4 : 1e-2;
    GradCheck r = gradcheck(net_objective, &ctx, xc, dx, nin, limit, h);
    for (int p = 0; p < np; p++) {
        /* forward passes leave parameter gradients alone, so .g still holds the analytic values */
        r = gradcheck_merge(r, gradcheck(net_objective, &ctx, params[p].w, params[p].g, params[p].n,
                                         limit, h));
    }
    net->input_grad = saved_flag;
    free(xc), free(G), free(dx), free(params);
    return r;
}
