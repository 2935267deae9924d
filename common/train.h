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
} TrainConfig;

typedef struct {
    int epochs_run;          /* completed epochs */
    double train_loss[TRAIN_MAX_EPOCHS], train_acc[TRAIN_MAX_EPOCHS];
    double val_loss[TRAIN_MAX_EPOCHS], val_acc[TRAIN_MAX_EPOCHS];
    double elapsed[TRAIN_MAX_EPOCHS];   /* seconds since the start, at the end of each epoch */
    double best_val_acc, final_val_acc, final_train_acc, seconds;
    int best_epoch;
    int epoch_reached;       /* first epoch with val_acc >= target_acc; 0 if never */
    double best_val_loss;    /* the lowest validation loss, at epoch best_loss_epoch */
    int best_loss_epoch;
    bool stopped_early;      /* patience ran out: the weights are those of best_loss_epoch (or of
                                best_epoch, with stop_on_acc) */
    bool diverged;
    long diverged_step;      /* the step whose loss was not finite */
} TrainResult;

/* Train net on tr, evaluating on val after every epoch. Writes the curve CSV (columns epoch,
 * train_loss, train_acc, val_loss, val_acc, lr, seconds) and the checkpoint when asked. The train
 * loss recorded is the data loss (cross-entropy) without the penalties, so runs with different
 * penalties can be compared. Returns false only when a file could not be written (the reason is
 * printed). */
bool train_classifier(Net *net, const Subset *tr, const Subset *val, const TrainConfig *cfg,
                      TrainBuffers *b, Rng *rng, TrainResult *r);

/* `steps` training steps with a constant learning rate (opt.lr) on minibatches of tr, reshuffled
 * whenever they run out; no evaluation. Returns the loss of the last step. */
double train_steps(Net *net, const Subset *tr, OptConfig opt, int steps, int batch, TrainBuffers *b, Rng *rng);

#endif
