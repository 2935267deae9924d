/** # loss.h — softmax cross-entropy and mean squared error
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

int argmax(const real *x, int n);                                     /* first maximum */
int count_correct(const real *scores, const int *labels, int N, int C);  /* argmax == label */

#endif
