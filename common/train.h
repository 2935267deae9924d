/** # train.h — the training loop the labs share
 *
 * One epoch visits every training sample once, in a fresh random order, in minibatches. Each step
 * is the four lines every training loop in this workbook shares:
 *
 *     optim_zero_grad(&opt);                      // gradients accumulate: clear them
 *     logits = net_forward(net, x, n, true, rng); // training mode: dropout on
 *     loss = xent_forward(...); xent_backward(...);
 *     net_backward(net, dlogits);  optim_step(&opt, lr);
 *
 * After each epoch the network is evaluated on the validation set in evaluation mode. A loss that
 * is not finite stops the run, which is then recorded as *diverged* — never plotted as a number.
 *
 * Two regularizers live in the loop because they need it: explicit L1/L2 penalties are added to the
 * loss's gradient after backward (on the parameters that decay: weights, not biases), and early
 * stopping watches the validation loss (or, with `stop_on_acc`, the accuracy), keeps a copy of the
 * best weights, stops after `patience` epochs without improvement and puts the best weights back.
 * "Weights" means the whole state of the model: its parameters and its buffers (BatchNorm's
 * running statistics), so the restored net evaluates exactly as it did at its best epoch.
 *
 * A run can be stopped and started again: with `state` set, the loop writes its whole state at the
 * end of every epoch (the net, the optimizer's moments and step count, the epoch, the schedule's
 * position, the random generator, the batch order, the early-stopping record and the curves so
 * far: checkpoint.h); with `resume` it starts from that file when there is one. A run stopped after
 * epoch k and resumed writes the same curve CSV and ends with the same weights, to the bit, as the
 * run that was never stopped.
 */
#ifndef NN_TRAIN_H
#define NN_TRAIN_H

#include "data.h"
#include "net.h"
#include "output.h"
#include "schedule.h"

enum { TRAIN_MAX_EPOCHS = 256 };

/* Scratch for one batch, allocated once. */
typedef struct {
    int max_batch, d, classes;
    real *x;        /* [max_batch, d] inputs */
    int *y;         /* [max_batch] labels */
    real *probs;    /* [max_batch, classes] softmax, then the loss gradient */
    real *scratch;  /* [d] for the shift augmentation */
} TrainBuffers;

void trainbuf_init(TrainBuffers *b, int max_batch, int d, int classes);
void trainbuf_free(TrainBuffers *b);
/* n sets of buffers, one per worker of parallel_run (parallel.h); free with trainbufs_free. */
TrainBuffers *trainbufs_new(int n, int max_batch, int d, int classes);
void trainbufs_free(TrainBuffers *b, int n);

/* Accuracy of net on s (evaluation mode, batches of max_batch); the mean loss into *loss and
 * counts[true*classes + predicted] += 1 when they are not NULL. */
double evaluate(Net *net, const Subset *s, TrainBuffers *b, double *loss, int *counts);

typedef struct {
    const char *name;        /* progress label */
    int epochs, batch;
    OptConfig opt;
    Schedule sched;          /* the learning rate, stepped every batch */
    int shift;               /* random image shifts of up to this many pixels (0: none) */
    bool flip;               /* random left-right mirroring of images */
    const char *curve_csv;   /* per-epoch CSV path, or NULL */
    const char *checkpoint;  /* keep the best-validation weights here, or NULL */
    double target_acc;       /* record the first epoch whose validation accuracy reaches this */
    real l1, l2;             /* penalties lambda*sum|w| and (lambda/2)*sum w^2 in the loss (0: none) */
    int patience;            /* early stopping on the validation loss (0: train every epoch) */
    bool stop_on_acc;        /* ... on the validation accuracy instead */
    bool quiet;              /* no progress output at all (runs in parallel: parallel.h reports) */
    const char *monitor_csv; /* per-layer instruments (monitor.h) into this CSV, or NULL */
    int monitor_every;       /* ... every this many steps (default 10) */
    bool final_eval_only;    /* evaluate on val after the last epoch only (sweeps); needs no curve
                                CSV and no patience, and leaves the other epochs' val_* NAN */
    const char *state;       /* the whole training state, written at the end of every epoch, or NULL */
    bool resume;             /* start from `state` when that file exists */
    int halt_after;          /* stop after this epoch's state is written, as if the process had been
                                killed there: the curve CSV is not committed (0: never) */
} TrainConfig;

/* Early stopping's bookkeeping of the best epoch. The loop calls early_stop_update once per epoch
 * with the value it watches (the validation loss, or minus the accuracy: lower is better). */
typedef struct {
    int patience;            /* epochs without a new best before stopping; 0: never stop */
    double best;             /* the lowest value seen (INFINITY before the first) */
    int best_epoch;          /* the epoch it was seen at (0 before the first) */
    int since_best;          /* epochs since then */
} EarlyStop;

typedef enum { EARLY_WAIT, EARLY_BEST, EARLY_STOP } EarlyVerdict;

void early_stop_init(EarlyStop *es, int patience);
/* EARLY_BEST when `watched` is strictly below the best so far (the caller keeps a copy of the
 * weights); EARLY_STOP when `patience` epochs in a row have brought no new best (the caller puts the
 * best weights back); else EARLY_WAIT. A NaN is never a new best. */
EarlyVerdict early_stop_update(EarlyStop *es, double watched, int epoch);

typedef struct {
    int epochs_run;          /* completed epochs */
    double train_loss[TRAIN_MAX_EPOCHS], train_acc[TRAIN_MAX_EPOCHS];
    double val_loss[TRAIN_MAX_EPOCHS], val_acc[TRAIN_MAX_EPOCHS];
    double elapsed[TRAIN_MAX_EPOCHS];   /* seconds since the start, at the end of each epoch */
    double lr[TRAIN_MAX_EPOCHS];        /* the learning rate of each epoch's last step */
    double best_val_acc, final_val_acc, final_train_acc, seconds;
    int best_epoch;
    int epoch_reached;       /* first epoch with val_acc >= target_acc; 0 if never */
    double best_val_loss;    /* the lowest validation loss, at epoch best_loss_epoch */
    int best_loss_epoch;
    bool stopped_early;      /* patience ran out: the weights are those of best_loss_epoch (or of
                                best_epoch, with stop_on_acc) */
    bool diverged;
    long diverged_step;      /* the step whose loss was not finite */
    int resumed_from;        /* the epoch a resumed run started after (0: it started afresh) */
    bool halted;             /* stopped by halt_after */
} TrainResult;

/* Train net on tr, evaluating on val after every epoch. Writes the curve CSV (columns epoch,
 * train_loss, train_acc, val_loss, val_acc, lr, seconds), the checkpoint and the state when asked.
 * The train loss recorded is the data loss (cross-entropy) without the penalties, so runs with
 * different penalties can be compared. Returns false only when a file could not be written or a
 * state could not be resumed (the reason is printed, in one sentence). */
bool train_classifier(Net *net, const Subset *tr, const Subset *val, const TrainConfig *cfg,
                      TrainBuffers *b, Rng *rng, TrainResult *r);

/* `steps` training steps with a constant learning rate (opt.lr) on minibatches of tr, reshuffled
 * whenever they run out; no evaluation. Returns the loss of the last step. */
double train_steps(Net *net, const Subset *tr, OptConfig opt, int steps, int batch, TrainBuffers *b, Rng *rng);

#endif
