/** # norm.c — the three normalizations; the math is in norm.h. */
#include "norm.h"

#include <string.h>

#include "exercise.h"

static const char *const names[NORM_NKINDS] = {"batchnorm", "layernorm", "rmsnorm"};

const char *norm_name(NormKind kind) { return kind >= 0 && kind < NORM_NKINDS ? names[kind] : "?"; }

void norm_init(Norm *n, NormKind kind, int d, int max_batch) {
    CHECK(kind >= 0 && kind < NORM_NKINDS, "norm kind %d", (int)kind);
    CHECK(d > 0 && max_batch > 0, "d %d, max_batch %d", d, max_batch);
    *n = (Norm){.kind = kind, .d = d, .max_batch = max_batch, .eps = R(1e-5), .momentum = R(0.1)};
    n->gamma = nn_calloc((size_t)d, sizeof(real));
    n->dgamma = nn_calloc((size_t)d, sizeof(real));
    for (int j = 0; j < d; j++) n->gamma[j] = 1;
    if (kind != NORM_RMS) {
        n->beta = nn_calloc((size_t)d, sizeof(real));
        n->dbeta = nn_calloc((size_t)d, sizeof(real));
    }
    if (kind == NORM_BATCH) {
        n->running_mean = nn_calloc((size_t)d, sizeof(real));
        n->running_var = nn_calloc((size_t)d, sizeof(real));
        for (int j = 0; j < d; j++) n->running_var[j] = 1;
    }
    int stats = kind == NORM_BATCH ? d : max_batch;
    n->acc = nn_calloc((size_t)2 * d, sizeof(double));
    n->xhat = nn_calloc((size_t)max_batch * d, sizeof(real));
    n->mean = nn_calloc((size_t)stats, sizeof(real));
    n->inv_std = nn_calloc((size_t)stats, sizeof(real));
}

void norm_free(Norm *n) {
    free(n->gamma), free(n->beta), free(n->dgamma), free(n->dbeta);
    free(n->running_mean), free(n->running_var);
    free(n->xhat), free(n->mean), free(n->inv_std), free(n->acc);
    *n = (Norm){0};
}

/** ## Forward
 * BatchNorm, training:  mu_j = mean_i x_ij,  var_j = mean_i (x_ij - mu_j)^2   (per column)
 * BatchNorm, eval:      mu_j, var_j = running averages
 * LayerNorm:            mu_i = mean_j x_ij,  var_i = mean_j (x_ij - mu_i)^2   (per row)
 * RMSNorm:              mu_i = 0,            var_i = mean_j x_ij^2            (per row)
 * then xhat = (x - mu) / sqrt(var + eps), y = gamma * xhat + beta.  Sums in double. */
static void batchnorm_forward(Norm *n, const real *x, int N, bool training) {
    int D = n->d;
    n->batch_stats = training;
    if (!training) {
        /* >>> exercise batchnorm_eval | Lab 4, "4. Train mode, eval mode" | task: evaluation mode: mean and inv_std of each feature j from the running averages (inv_std = 1 / sqrt(var + eps)) */
        for (int j = 0; j < D; j++)
            n->mean[j] = n->running_mean[j], n->inv_std[j] = R(1) / sqrt(n->running_var[j] + n->eps);
        /* === stub
        exercise_todo("batchnorm_eval");
        <<< exercise */
        return;
    }
    CHECK(N >= 2, "BatchNorm in training needs at least 2 samples per batch, got %d", N);
    /* >>> exercise batchnorm_forward | Lab 4, "The net" | task: for each feature j (a column of x [N,D]): mean and biased variance over the batch into n->mean[j], n->inv_std[j] = 1 / sqrt(var + eps); running_mean and running_var (unbiased) move a fraction n->momentum towards them */
    /* per-feature sums, accumulated row by row (the batch is stored row-major) */
    double *s = n->acc, *ss = n->acc + D;
    memset(n->acc, 0, (size_t)2 * D * sizeof(double));
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) s[j] += x[(size_t)i * D + j];
    for (int j = 0; j < D; j++) s[j] /= N;   /* now the means */
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            double c = x[(size_t)i * D + j] - s[j];
            ss[j] += c * c;
        }
    for (int j = 0; j < D; j++) {
        double mu = s[j], var = ss[j] / N;   /* biased: what normalizes */
        n->mean[j] = (real)mu, n->inv_std[j] = (real)(1 / sqrt(var + n->eps));
        real m = n->momentum;
        n->running_mean[j] = (R(1) - m) * n->running_mean[j] + m * (real)mu;
        n->running_var[j] = (R(1) - m) * n->running_var[j] + m * (real)(ss[j] / (N - 1));   /* unbiased */
    }
    /* === stub
    (void)x, (void)D;
    exercise_todo("batchnorm_forward");
    <<< exercise */
}

static void rownorm_forward(Norm *n, const real *x, int N) {
    int D = n->d;
    for (int i = 0; i < N; i++) {
        const real *r = x + (size_t)i * D;
        if (n->kind == NORM_LAYER) {
            /* >>> exercise layernorm_forward | Lab 4, "The net" | task: for row r of x (one sample, D features): its mean into n->mean[i] and n->inv_std[i] = 1 / sqrt(biased variance + eps) */
            double s = 0, ss = 0;
            for (int j = 0; j < D; j++) s += r[j];
            double mu = s / D;
            for (int j = 0; j < D; j++) ss += (r[j] - mu) * (r[j] - mu);
            n->mean[i] = (real)mu, n->inv_std[i] = (real)(1 / sqrt(ss / D + n->eps));
            /* === stub
            (void)r;
            exercise_todo("layernorm_forward");
            <<< exercise */
        } else {
            /* >>> exercise rmsnorm_forward | Lab 4, "The net" | task: for row r of x: no centring (n->mean[i] = 0) and n->inv_std[i] = 1 / sqrt(mean of r^2 + eps) */
            double ss = 0;
            for (int j = 0; j < D; j++) ss += (double)r[j] * r[j];
            n->mean[i] = 0, n->inv_std[i] = (real)(1 / sqrt(ss / D + n->eps));
            /* === stub
            (void)r;
            exercise_todo("rmsnorm_forward");
            <<< exercise */
        }
    }
}

void norm_forward(Norm *n, real *y, const real *x, int N, bool training) {
    CHECK(N > 0 && N <= n->max_batch, "batch %d, norm sized for %d", N, n->max_batch);
    int D = n->d;
    bool per_column = n->kind == NORM_BATCH;
    if (per_column) batchnorm_forward(n, x, N, training);
    else rownorm_forward(n, x, N);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            size_t k = (size_t)i * D + j;
            int s = per_column ? j : i;
            n->xhat[k] = (x[k] - n->mean[s]) * n->inv_std[s];
            y[k] = n->gamma[j] * n->xhat[k] + (n->beta ? n->beta[j] : R(0));
        }
}

/** ## Backward, closed form
 * dgamma_j += sum dy*xhat,  dbeta_j += sum dy,  dxhat = gamma * dy; over the n values of each
 * averaged group (a column for BatchNorm, a row otherwise):
 *   centred (Batch, Layer):  dx = inv_std/n * (n dxhat - sum dxhat - xhat * sum(dxhat xhat))
 *   RMSNorm:                 dx = inv_std   * (dxhat - xhat * mean(dxhat xhat))
 *   BatchNorm in eval:       dx = inv_std * dxhat   (the statistics are constants) */
void norm_backward(Norm *n, real *dx, const real *dy, int N) {
    int D = n->d;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            size_t k = (size_t)i * D + j;
            n->dgamma[j] += dy[k] * n->xhat[k];
            if (n->dbeta) n->dbeta[j] += dy[k];
        }
    if (!dx) return;
    if (n->kind == NORM_BATCH) {
        if (!n->batch_stats) {
            /* >>> exercise batchnorm_eval | Lab 4, "4. Train mode, eval mode" | task: backward in evaluation mode, where mean and inv_std are constants: dx = dy gamma inv_std */
            for (int i = 0; i < N; i++)
                for (int j = 0; j < D; j++) {
                    size_t k = (size_t)i * D + j;
                    dx[k] = dy[k] * n->gamma[j] * n->inv_std[j];
                }
            /* === stub
            exercise_todo("batchnorm_eval");
            <<< exercise */
            return;
        }
        /* >>> exercise batchnorm_backward | Lab 4, "5. Two backward passes" | task: the closed form, per feature j over the N values of its column: dx = inv_std/N (N dxhat - sum dxhat - xhat sum(dxhat xhat)), dxhat = gamma dy | points: 3 */
        double *s = n->acc, *sx = n->acc + D;   /* per feature: sum dxhat, sum dxhat*xhat */
        memset(n->acc, 0, (size_t)2 * D * sizeof(double));
        for (int i = 0; i < N; i++)
            for (int j = 0; j < D; j++) {
                size_t k = (size_t)i * D + j;
                double g = n->gamma[j] * dy[k];
                s[j] += g, sx[j] += g * n->xhat[k];
            }
        for (int i = 0; i < N; i++)
            for (int j = 0; j < D; j++) {
                size_t k = (size_t)i * D + j;
                dx[k] = (real)(n->inv_std[j] / N * (N * (double)(n->gamma[j] * dy[k]) - s[j] - n->xhat[k] * sx[j]));
            }
        /* === stub
        exercise_todo("batchnorm_backward");
        <<< exercise */
        return;
    }
    for (int i = 0; i < N; i++) {
        const real *g = dy + (size_t)i * D, *xh = n->xhat + (size_t)i * D;
        real *out = dx + (size_t)i * D, inv = n->inv_std[i];
        if (n->kind == NORM_RMS) {
            /* >>> exercise rmsnorm_backward | Lab 4, "The net" | task: for row i (g = dy, xh = xhat, inv = inv_std of the row): out = inv (dxhat - xhat mean(dxhat xhat)), dxhat = gamma g */
            double sx = 0;
            for (int j = 0; j < D; j++) sx += (double)(n->gamma[j] * g[j]) * xh[j];
            for (int j = 0; j < D; j++) {
                double dxh = n->gamma[j] * g[j];
                out[j] = (real)(inv * (dxh - xh[j] * sx / D));
            }
            /* === stub
            (void)g, (void)xh, (void)out, (void)inv;
            exercise_todo("rmsnorm_backward");
            <<< exercise */
        } else {
            /* >>> exercise layernorm_backward | Lab 4, "The net" | task: for row i (g = dy, xh = xhat, inv = inv_std of the row): out = inv/D (D dxhat - sum dxhat - xhat sum(dxhat xhat)), dxhat = gamma g | points: 3 */
            double s = 0, sx = 0;
            for (int j = 0; j < D; j++) s += n->gamma[j] * g[j], sx += (double)(n->gamma[j] * g[j]) * xh[j];
            for (int j = 0; j < D; j++) {
                double dxh = n->gamma[j] * g[j];
                out[j] = (real)(inv / D * (D * dxh - s - xh[j] * sx));
            }
            /* === stub
            (void)g, (void)xh, (void)out, (void)inv;
            exercise_todo("layernorm_backward");
            <<< exercise */
        }
    }
}

/** ## BatchNorm backward, node by node
 * The forward pass of one feature (a column of n = N values) as a chain of simple nodes:
 *     mu = mean(x);  xmu = x - mu;  sq = xmu^2;  var = mean(sq);  sqrtvar = sqrt(var + eps);
 *     ivar = 1/sqrtvar;  xhat = xmu * ivar;  y = gamma * xhat + beta
 * and its backward, one node at a time in reverse, each a line of the chain rule. xmu takes two
 * paths (into sq, and into xhat), so its gradient is the sum of two; x likewise (into mu, and
 * into xmu). The closed form above is this, simplified on paper. */
void batchnorm_backward_graph(Norm *n, real *dx, const real *dy, const real *x, int N) {
    CHECK(n->kind == NORM_BATCH && n->batch_stats, "the graph backward is BatchNorm's, in training mode");
    CHECK(dx, "the graph backward needs dx");
    int D = n->d;
    for (int j = 0; j < D; j++) {
        /* recompute the forward nodes of this column */
        double mu = 0, var = 0;
        for (int i = 0; i < N; i++) mu += x[(size_t)i * D + j];
        mu /= N;
        for (int i = 0; i < N; i++) var += (x[(size_t)i * D + j] - mu) * (x[(size_t)i * D + j] - mu);
        var /= N;
        double sqrtvar = sqrt(var + n->eps), ivar = 1 / sqrtvar;
        /* y = gamma*xhat + beta */
        double dgamma = 0, dbeta = 0, divar = 0;
        for (int i = 0; i < N; i++) {
            size_t k = (size_t)i * D + j;
            double xmu = x[k] - mu, xhat = xmu * ivar;
            dbeta += dy[k], dgamma += dy[k] * xhat;
            double dxhat = dy[k] * n->gamma[j];
            divar += dxhat * xmu;            /* xhat = xmu * ivar: the ivar path */
            dx[k] = (real)(dxhat * ivar);    /* ... and the xmu path: dxmu1, kept in dx for now */
        }
        n->dgamma[j] += (real)dgamma, n->dbeta[j] += (real)dbeta;
        double dsqrtvar = -divar / (sqrtvar * sqrtvar);   /* ivar = 1/sqrtvar */
        double dvar = 0.5 / sqrt(var + n->eps) * dsqrtvar;   /* sqrtvar = sqrt(var + eps) */
        double dsq = dvar / N;                               /* var = mean(sq): each sq gets 1/N */
        double dmu = 0;
        for (int i = 0; i < N; i++) {
            size_t k = (size_t)i * D + j;
            double xmu = x[k] - mu;
            double dxmu = dx[k] + 2 * xmu * dsq;   /* sq = xmu^2: the second path into xmu */
            dx[k] = (real)dxmu;                     /* xmu = x - mu: x's first path */
            dmu -= dxmu;                            /* ... and mu's */
        }
        for (int i = 0; i < N; i++) dx[(size_t)i * D + j] += (real)(dmu / N);   /* mu = mean(x) */
    }
}
