/** # loss.h — softmax cross-entropy, binary cross-entropy, mean squared error, Huber
 *
 * **Cross-entropy on logits.** For a row of logits $z \in \mathbb{R}^C$ and a target distribution
 * $t$ (one-hot, or with label smoothing $\varepsilon$: $t = (1-\varepsilon)\,\mathrm{onehot} +
 * \varepsilon/C$),
 * $$\ell = -\sum_c t_c \log p_c, \qquad \log p_c = z_c - \log\textstyle\sum_{c'} e^{z_{c'}},$$
 * averaged over the batch. The log-sum-exp is computed after subtracting the row maximum, so no
 * `exp` overflows, and $\log p$ comes straight from the logits (never `log(softmax)`, which loses
 * everything when $p$ underflows). Fusing softmax and the loss gives the famous gradient
 * $$\frac{\partial L}{\partial z} = \frac{p - t}{N}.$$
 *
 * **MSE** is the mean over all `n` elements of $(\hat y - y)^2$; its gradient is
 * $2(\hat y - y)/n$.
 *
 * **Binary cross-entropy on logits** (PyTorch's `BCEWithLogitsLoss`, mean reduction): one logit
 * $z$ per sample, $p = \sigma(z)$, a target $y \in [0, 1]$,
 * $$\ell = -y \log \sigma(z) - (1-y) \log(1 - \sigma(z)) = \max(z, 0) - z y + \log(1 + e^{-|z|}),$$
 * the right-hand form being the one that never overflows (`exp` only ever sees $-|z| \le 0$) and
 * never takes the log of a probability that has rounded to 0. Its gradient is again "prediction
 * minus target": $\partial L / \partial z = (\sigma(z) - y)/n$.
 *
 * **Huber** (PyTorch's `HuberLoss(delta)`, mean reduction): with $d = \hat y - y$,
 * $\ell = \tfrac12 d^2$ for $|d| < \delta$ and $\delta(|d| - \tfrac12\delta)$ beyond: quadratic
 * near zero like MSE, linear in the tails like the absolute error, so one wild target pulls
 * with a force of at most $\delta$. Gradient: $\mathrm{clamp}(d, -\delta, \delta)/n$.
 */
#ifndef NN_LOSS_H
#define NN_LOSS_H

#include "nn.h"

/* Returns the mean loss; writes the softmax probabilities (needed by backward) to probs.
 * probs, logits: [N,C]; labels: [N], each in [0, C). */
real xent_forward(real *probs, const real *logits, const int *labels, int N, int C, real smoothing);
/* dlogits[N,C] = (probs - target) / N. dlogits may equal probs. */
void xent_backward(real *dlogits, const real *probs, const int *labels, int N, int C,
                   real smoothing);

real mse_forward(const real *pred, const real *target, size_t n);
void mse_backward(real *dpred, const real *pred, const real *target, size_t n);

/* Mean binary cross-entropy of logits[n] against targets[n] (each in [0, 1]). */
real bce_logits_forward(const real *logits, const real *targets, size_t n);
/* dlogits[n] = (sigmoid(logits) - targets) / n. */
void bce_logits_backward(real *dlogits, const real *logits, const real *targets, size_t n);
/* The logistic function, computed without overflow for any z. */
real sigmoid_stable(real z);

/* Mean Huber loss of pred[n] against target[n] with threshold delta > 0. */
real huber_forward(const real *pred, const real *target, size_t n, real delta);
/* dpred[n] = clamp(pred - target, -delta, delta) / n. */
void huber_backward(real *dpred, const real *pred, const real *target, size_t n, real delta);

int argmax(const real *x, int n);                                     /* first maximum */
int count_correct(const real *scores, const int *labels, int N, int C);  /* argmax == label */

#endif
