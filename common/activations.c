/** # activations.c */
#include "activations.h"

#include <string.h>

#include "exercise.h"

/* sqrt(2/pi) and 1/sqrt(2), 1/sqrt(2 pi), written out so no M_PI is needed. */
#define SQRT_2_OVER_PI R(0.79788456080286535588)
#define INV_SQRT2 R(0.70710678118654752440)
#define INV_SQRT_2PI R(0.39894228040143267794)
#define GELU_C R(0.044715)

/* Stable sigmoid: exp of a non-positive number never overflows. */
static inline real sigmoid(real x) {
    if (x >= 0) return R(1) / (R(1) + exp(-x));
    real e = exp(x);
    return e / (R(1) + e);
}

void act_forward(Activation a, real *y, const real *x, size_t n) {
    switch (a.kind) {
    case ACT_IDENTITY:
        if (y != x) memmove(y, x, n * sizeof(real));
        break;
    case ACT_SIGMOID:
        for (size_t i = 0; i < n; i++) y[i] = sigmoid(x[i]);
        break;
    case ACT_TANH:
        for (size_t i = 0; i < n; i++) y[i] = tanh(x[i]);
        break;
    case ACT_RELU:
        for (size_t i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : R(0);
        break;
    case ACT_LEAKY_RELU:
        for (size_t i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : a.alpha * x[i];
        break;
    case ACT_GELU:
        /* 1 + erf(z) = erfc(-z): the same number, without cancellation for large negative x */
        for (size_t i = 0; i < n; i++) y[i] = R(0.5) * x[i] * erfc(-x[i] * INV_SQRT2);
        break;
    case ACT_GELU_TANH:
        for (size_t i = 0; i < n; i++) {
            real v = x[i];
            y[i] = R(0.5) * v * (R(1) + tanh(SQRT_2_OVER_PI * (v + GELU_C * v * v * v)));
        }
        break;
    case ACT_SILU:
        for (size_t i = 0; i < n; i++) y[i] = x[i] * sigmoid(x[i]);
        break;
    default: CHECK(0, "unknown activation %d", (int)a.kind);
    }
}

void act_backward(Activation a, real *dx, const real *dy, const real *x, const real *y, size_t n) {
    switch (a.kind) {
    case ACT_IDENTITY:   /* fwd: y = x  ->  dx = dy */
        if (dx != dy) memmove(dx, dy, n * sizeof(real));
        break;
    case ACT_SIGMOID:
        /* >>> exercise act_sigmoid_backward | Lab 2, "The shapes" | task: dx = dy times the derivative of the sigmoid, written with its output y */
        /* fwd: y = s(x)  ->  dx = dy * y(1-y) */
        for (size_t i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (R(1) - y[i]);
        /* === stub
        (void)y;
        exercise_todo("act_sigmoid_backward");
        <<< exercise */
        break;
    case ACT_TANH:
        /* >>> exercise act_tanh_backward | Lab 2, "The shapes" | task: dx = dy times the derivative of tanh, written with its output y */
        /* fwd: y = tanh x  ->  dx = dy * (1 - y^2) */
        for (size_t i = 0; i < n; i++) dx[i] = dy[i] * (R(1) - y[i] * y[i]);
        /* === stub
        (void)y;
        exercise_todo("act_tanh_backward");
        <<< exercise */
        break;
    case ACT_RELU:
        /* >>> exercise act_relu_backward | Lab 2, "The shapes" | task: dx = dy where x > 0, else 0 */
        /* fwd: y = max(0,x)  ->  dx = dy * [x > 0] */
        /* dy[i] is read whatever the sign: a select, not a branch the processor would mispredict
         * half the time on inputs of random sign */
        for (size_t i = 0; i < n; i++) {
            real d = dy[i];
            dx[i] = x[i] > 0 ? d : R(0);
        }
        /* === stub
        exercise_todo("act_relu_backward");
        <<< exercise */
        break;
    case ACT_LEAKY_RELU:
        /* >>> exercise act_leaky_relu_backward | Lab 2, "The shapes" | task: dx = dy where x > 0, else a.alpha dy */
        /* fwd: y = x > 0 ? x : a x  ->  dx = dy * (x > 0 ? 1 : a) */
        for (size_t i = 0; i < n; i++) {
            real d = dy[i];
            dx[i] = x[i] > 0 ? d : a.alpha * d;
        }
        /* === stub
        exercise_todo("act_leaky_relu_backward");
        <<< exercise */
        break;
    case ACT_GELU:
        /* >>> exercise act_gelu_backward | Lab 2, "The shapes" | task: dx = dy (Phi(x) + x phi(x)), the exact (erf) GELU, with INV_SQRT2 and INV_SQRT_2PI */
        /* fwd: y = x Phi(x)  ->  dx = dy * (Phi(x) + x phi(x)) */
        for (size_t i = 0; i < n; i++) {
            real v = x[i];
            real cdf = R(0.5) * erfc(-v * INV_SQRT2);
            real pdf = INV_SQRT_2PI * exp(R(-0.5) * v * v);
            dx[i] = dy[i] * (cdf + v * pdf);
        }
        /* === stub
        exercise_todo("act_gelu_backward");
        <<< exercise */
        break;
    case ACT_GELU_TANH:  /* fwd: y = x/2 (1 + tanh u), u = c1 (x + c2 x^3)
                          * ->  dx = dy * (1/2 (1 + tanh u) + x/2 (1 - tanh^2 u) c1 (1 + 3 c2 x^2)) */
        for (size_t i = 0; i < n; i++) {
            real v = x[i];
            real t = tanh(SQRT_2_OVER_PI * (v + GELU_C * v * v * v));
            real du = SQRT_2_OVER_PI * (R(1) + R(3) * GELU_C * v * v);
            dx[i] = dy[i] * (R(0.5) * (R(1) + t) + R(0.5) * v * (R(1) - t * t) * du);
        }
        break;
    case ACT_SILU:
        /* >>> exercise act_silu_backward | Lab 2, "The shapes" | task: dx = dy times the derivative of x sigmoid(x) */
        /* fwd: y = x s(x)  ->  dx = dy * s(x) (1 + x (1 - s(x))) */
        for (size_t i = 0; i < n; i++) {
            real s = sigmoid(x[i]);
            dx[i] = dy[i] * s * (R(1) + x[i] * (R(1) - s));
        }
        /* === stub
        exercise_todo("act_silu_backward");
        <<< exercise */
        break;
    default: CHECK(0, "unknown activation %d", (int)a.kind);
    }
}

static const char *const names[ACT_NKINDS] = {"identity", "sigmoid",   "tanh", "relu",
                                               "leakyrelu", "gelu", "gelu_tanh", "silu"};

const char *act_name(ActKind k) { return k >= 0 && k < ACT_NKINDS ? names[k] : "?"; }

Activation act_make(ActKind k) { return (Activation){k, R(0.01)}; }

bool act_parse(const char *name, Activation *out) {
    for (int k = 0; k < ACT_NKINDS; k++)
        if (strcmp(name, names[k]) == 0) { *out = act_make((ActKind)k); return true; }
    return false;
}

/** Softmax: $y_c = e^{x_c - m} / \sum_{c'} e^{x_{c'} - m}$ with $m = \max_c x_c$; subtracting the
 * maximum changes nothing mathematically and keeps every `exp` at most 1. */
void softmax_forward(real *y, const real *x, int N, int C) {
    /* >>> exercise softmax_forward | Lab 1, "Backpropagation, verified" | task: each row of y = the softmax of the row of x (N rows of C), stable: subtract the row maximum before exp */
    for (int n = 0; n < N; n++) {
        const real *xr = x + (size_t)n * C;
        real *yr = y + (size_t)n * C;
        real m = xr[0];
        for (int c = 1; c < C; c++) m = xr[c] > m ? xr[c] : m;
        real sum = 0;
        for (int c = 0; c < C; c++) sum += (yr[c] = exp(xr[c] - m));
        for (int c = 0; c < C; c++) yr[c] /= sum;
    }
    /* === stub
    (void)y, (void)x, (void)N, (void)C;
    exercise_todo("softmax_forward");
    <<< exercise */
}
