/** # loss.c */
#include "loss.h"

#include "exercise.h"

real xent_forward(real *probs, const real *logits, const int *labels, int N, int C, real smoothing) {
    double total = 0;   /* the batch sum, in double: N terms of similar size */
    for (int n = 0; n < N; n++) {
        const real *z = logits + (size_t)n * C;
        real *p = probs + (size_t)n * C;
        CHECK(labels[n] >= 0 && labels[n] < C, "label %d outside [0,%d)", labels[n], C);
        /* >>> exercise xent_forward | Lab 1, "Backpropagation, verified" | task: for row n: probs = softmax(z) (stable), add the loss (1-smoothing)(lse - z[label]) + smoothing/C sum_c (lse - z[c]) to total; lse = log sum exp z | points: 3 */
        real m = z[0];
        for (int c = 1; c < C; c++) m = z[c] > m ? z[c] : m;
        real sum = 0;
        for (int c = 0; c < C; c++) sum += (p[c] = exp(z[c] - m));
        real lse = m + log(sum);
        for (int c = 0; c < C; c++) p[c] /= sum;
        /* -sum_c t_c log p_c with t = (1-eps) onehot + eps/C */
        real smooth = 0;
        if (smoothing != 0) {
            for (int c = 0; c < C; c++) smooth += lse - z[c];
            smooth *= smoothing / (real)C;
        }
        total += (double)((R(1) - smoothing) * (lse - z[labels[n]]) + smooth);
        /* === stub
        (void)z, (void)p, (void)smoothing;
        exercise_todo("xent_forward");
        <<< exercise */
    }
    return (real)(total / N);
}

void xent_backward(real *dlogits, const real *probs, const int *labels, int N, int C,
                   real smoothing) {
    /* >>> exercise xent_backward | Lab 1, "Backpropagation, verified" | task: dlogits = (probs - t) / N, t the one-hot label smoothed to (1-smoothing) onehot + smoothing/C */
    real inv_n = R(1) / (real)N, off = smoothing / (real)C;
    for (int n = 0; n < N; n++) {
        const real *p = probs + (size_t)n * C;
        real *d = dlogits + (size_t)n * C;
        for (int c = 0; c < C; c++) {
            real t = off + (c == labels[n] ? R(1) - smoothing : R(0));
            d[c] = (p[c] - t) * inv_n;
        }
    }
    /* === stub
    (void)dlogits, (void)probs, (void)labels, (void)N, (void)C, (void)smoothing;
    exercise_todo("xent_backward");
    <<< exercise */
}

real mse_forward(const real *pred, const real *target, size_t n) {
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double d = (double)pred[i] - (double)target[i];
        total += d * d;
    }
    return (real)(total / (double)n);
}

void mse_backward(real *dpred, const real *pred, const real *target, size_t n) {
    real scale = R(2) / (real)n;
    for (size_t i = 0; i < n; i++) dpred[i] = scale * (pred[i] - target[i]);
}

/* sigma(z) = 1/(1+e^-z) for z >= 0, and e^z/(1+e^z) for z < 0: exp never sees a positive
 * argument, so neither form overflows. */
real sigmoid_stable(real z) {
    if (z >= 0) return R(1) / (R(1) + exp(-z));
    real e = exp(z);
    return e / (R(1) + e);
}

real bce_logits_forward(const real *logits, const real *targets, size_t n) {
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        real z = logits[i], y = targets[i];
        /* -y log sigma(z) - (1-y) log(1 - sigma(z))  =  max(z,0) - z y + log(1 + e^-|z|) */
        total += (double)((z > 0 ? z : R(0)) - z * y + log1p(exp(-fabs(z))));
    }
    return (real)(total / (double)n);
}

void bce_logits_backward(real *dlogits, const real *logits, const real *targets, size_t n) {
    /* fwd: l = mean(max(z,0) - z y + log(1 + e^-|z|))  ->  dl/dz = (sigma(z) - y) / n */
    real inv_n = R(1) / (real)n;
    for (size_t i = 0; i < n; i++) dlogits[i] = (sigmoid_stable(logits[i]) - targets[i]) * inv_n;
}

real huber_forward(const real *pred, const real *target, size_t n, real delta) {
    CHECK(delta > 0, "Huber's delta must be positive, not %g", (double)delta);
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double d = (double)pred[i] - (double)target[i], a = fabs(d);
        total += a < delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
    }
    return (real)(total / (double)n);
}

void huber_backward(real *dpred, const real *pred, const real *target, size_t n, real delta) {
    /* fwd: l = 0.5 d^2 (|d| < delta), delta (|d| - delta/2) (else)  ->  dl/dd = clamp(d, -delta, delta) */
    real inv_n = R(1) / (real)n;
    for (size_t i = 0; i < n; i++) {
        real d = pred[i] - target[i];
        dpred[i] = (d < -delta ? -delta : d > delta ? delta : d) * inv_n;
    }
}

int argmax(const real *x, int n) {
    int best = 0;
    for (int i = 1; i < n; i++)
        if (x[i] > x[best]) best = i;
    return best;
}

int count_correct(const real *scores, const int *labels, int N, int C) {
    int correct = 0;
    for (int n = 0; n < N; n++) correct += argmax(scores + (size_t)n * C, C) == labels[n];
    return correct;
}
