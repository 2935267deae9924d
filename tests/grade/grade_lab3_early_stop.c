/** Grading tests of early stopping's bookkeeping (Lab 3, "7. Early stopping"): early_stop_update
 * in common/train.c. Expected values: sequences of epochs worked out by hand. */
#include "grade.h"

#include "train.h"

typedef struct {
    double watched;
    EarlyVerdict want;
    int best_epoch;
} Epoch;

static const char *verdict(EarlyVerdict v) {
    return v == EARLY_BEST ? "EARLY_BEST" : v == EARLY_STOP ? "EARLY_STOP" : v == EARLY_WAIT ? "EARLY_WAIT" : "?";
}

static void run(int patience, const Epoch *e, int n, const char *what) {
    EarlyStop es;
    early_stop_init(&es, patience);
    for (int i = 0; i < n; i++) {
        EarlyVerdict v = early_stop_update(&es, e[i].watched, i + 1);
        cr_assert(v == e[i].want, "early_stop_update: %s, epoch %d (watched %g, patience %d): expected %s, got %s",
                  what, i + 1, e[i].watched, patience, verdict(e[i].want), verdict(v));
        cr_assert(es.best_epoch == e[i].best_epoch, "early_stop_update: %s: best_epoch after epoch %d: expected %d, got %d",
                  what, i + 1, e[i].best_epoch, es.best_epoch);
    }
}

Test(early_stop, a_new_best_and_patience) {
    const Epoch e[] = {{2.0, EARLY_BEST, 1}, {1.5, EARLY_BEST, 2}, {1.7, EARLY_WAIT, 2},
                       {1.6, EARLY_WAIT, 2}, {1.8, EARLY_STOP, 2}};
    run(3, e, 5, "a loss that stops improving after epoch 2");
}

Test(early_stop, equal_is_not_better) {
    const Epoch e[] = {{1.0, EARLY_BEST, 1}, {1.0, EARLY_WAIT, 1}, {1.0, EARLY_STOP, 1}};
    run(2, e, 3, "the same loss three times");
}

Test(early_stop, a_new_best_resets_the_count) {
    const Epoch e[] = {{3.0, EARLY_BEST, 1}, {3.1, EARLY_WAIT, 1}, {2.9, EARLY_BEST, 3},
                       {3.0, EARLY_WAIT, 3}, {3.0, EARLY_STOP, 3}};
    run(2, e, 5, "patience 2, a new best at epoch 3");
}

Test(early_stop, nan_is_never_a_best) {
    const Epoch e[] = {{NAN, EARLY_WAIT, 0}, {0.5, EARLY_BEST, 2}, {NAN, EARLY_WAIT, 2}, {0.7, EARLY_STOP, 2}};
    run(2, e, 4, "a diverged epoch (NaN)");
}

Test(early_stop, patience_zero_never_stops) {
    Epoch e[12];
    for (int i = 0; i < 12; i++) e[i] = (Epoch){1.0 + i, i == 0 ? EARLY_BEST : EARLY_WAIT, 1};
    run(0, e, 12, "patience 0 and a loss that only grows");
}

Test(early_stop, keeps_the_best_value) {
    EarlyStop es;
    early_stop_init(&es, 5);
    const double w[5] = {0.9, 0.4, 0.6, 0.3, 0.35};
    for (int i = 0; i < 5; i++) early_stop_update(&es, w[i], i + 1);
    cr_assert(es.best == 0.3, "early_stop_update: best after the losses 0.9 0.4 0.6 0.3 0.35: expected 0.3, got %g", es.best);
    cr_assert(es.since_best == 1, "early_stop_update: since_best one epoch after the best: expected 1, got %d", es.since_best);
}
