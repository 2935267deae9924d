/** # dropout.c */
#include "dropout.h"

#include <string.h>

#include "exercise.h"

void dropout_init(Dropout *d, real p, size_t max_n) {
    CHECK(p >= 0 && p < 1, "drop probability %g outside [0, 1)", (double)p);
    *d = (Dropout){.p = p, .mask = nn_calloc(max_n, sizeof(real))};
}

void dropout_free(Dropout *d) {
    free(d->mask);
    *d = (Dropout){0};
}

/** ## Dropout
 * fwd: y = x * m, with m = [u > p] / (1-p) in training and m = 1 in evaluation
 * n: number of values (N*d) */
void dropout_forward(Dropout *d, real *y, const real *x, size_t n, bool training, Rng *rng) {
    d->active = training && d->p > 0;
    if (!d->active) {
        if (y != x) memmove(y, x, n * sizeof(real));
        return;
    }
    CHECK(rng, "dropout in training needs an Rng");
    /* >>> exercise dropout_forward | Lab 3, "5. Dropout" | task: inverted dropout: for each i draw u = rng_uniform(rng) (one draw per value, in order); mask[i] = 0 when u < p, else 1/(1-p); y = x * mask */
    real keep = R(1) / (R(1) - d->p);
    for (size_t i = 0; i < n; i++) {
        d->mask[i] = rng_uniform(rng) < (double)d->p ? R(0) : keep;
        y[i] = x[i] * d->mask[i];
    }
    /* === stub
    exercise_todo("dropout_forward");
    <<< exercise */
}

/* fwd: y = x * m  ->  dx = dy * m */
void dropout_backward(const Dropout *d, real *dx, const real *dy, size_t n) {
    if (!d->active) {
        if (dx != dy) memmove(dx, dy, n * sizeof(real));
        return;
    }
    /* >>> exercise dropout_backward | Lab 3, "5. Dropout" | task: dx = dy * the mask the last forward pass kept in d->mask */
    for (size_t i = 0; i < n; i++) dx[i] = dy[i] * d->mask[i];
    /* === stub
    exercise_todo("dropout_backward");
    <<< exercise */
}
