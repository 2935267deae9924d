/** # monitor.h — instruments for a training run
 *
 * Training fails silently: the loss is one number, and many different failures leave it looking
 * the same. The instruments look inside, per layer:
 *
 * - for every Linear layer: the weight norm $\|W\|$, the gradient norm $\|\partial L/\partial W\|$,
 *   and the **update ratio** $\|\Delta W\| / \|W\|$ of the last optimizer step — the rule of thumb
 *   of the CS231n notes is about $10^{-3}$: far below, the layer is not learning; far above, it is thrashing;
 * - for every activation layer, over the last forward batch: the mean and standard deviation of
 *   its outputs, the **saturated** fraction (sigmoid outputs below 0.01 or above 0.99, tanh outputs
 *   beyond ±0.99: the derivative there is nearly zero) and the **dead** fraction (units whose
 *   output is zero for every sample of the batch: a ReLU that passes no gradient at all).
 *
 * Use: `monitor_init` once; each time a step is to be measured, `monitor_before_step` just before
 * `optim_step` (it copies the weights) and `monitor_after_step` just after. `train_classifier`
 * does this every `monitor_every` steps when its configuration has a monitor.
 */
#ifndef NN_MONITOR_H
#define NN_MONITOR_H

#include "net.h"
#include "output.h"

typedef struct {
    int layer;                 /* index in net->layers */
    LayerKind kind;
    double weight_norm, grad_norm, update_ratio;   /* Linear layers (else NAN) */
    double mean, std, saturated, dead;             /* activation layers (else NAN) */
} LayerStat;

typedef struct {
    Net *net;
    int n;                     /* rows: one per Linear and per activation layer */
    LayerStat *stats;          /* [n] */
    real **before;             /* [n] a copy of each Linear layer's W before the step (else NULL) */
    bool finite;               /* every weight finite after the last step */
} Monitor;

void monitor_init(Monitor *m, Net *net);
void monitor_free(Monitor *m);
void monitor_before_step(Monitor *m);
/* Fill stats from the weights, their gradients and the last forward pass. */
void monitor_after_step(Monitor *m);

/* The activation statistics alone, from the last forward pass (no step needed). */
void monitor_activations(Monitor *m);

/* CSV: "step,layer,kind,weight_norm,grad_norm,update_ratio,mean,std,saturated,dead", one row per
 * stat: "-" where a column does not apply to the layer, "diverged" where a value is not finite. */
extern const char *const MONITOR_CSV_HEADER;
void monitor_csv_rows(const Monitor *m, Csv *csv, long step);

#endif
