/** # activations.h — elementwise nonlinearities and softmax
 *
 * An activation is applied to every element independently, so forward and backward are loops over
 * `n` values; the shape of the array does not matter. Backward needs the derivative at the input
 * `x`; some derivatives are cheapest from the output `y` (sigmoid: $y(1-y)$; tanh: $1-y^2$), so
 * both are passed in. Both are kept by the layer anyway: `x` is the previous layer's output and
 * `y` this layer's.
 *
 * | kind | $f(x)$ | $f'(x)$ |
 * |---|---|---|
 * | sigmoid | $\sigma(x) = 1/(1+e^{-x})$ | $\sigma(x)(1-\sigma(x))$ |
 * | tanh | $\tanh x$ | $1-\tanh^2 x$ |
 * | ReLU | $\max(0,x)$ | $[x>0]$ |
 * | LeakyReLU($\alpha$) | $x$ if $x>0$ else $\alpha x$ | $1$ if $x>0$ else $\alpha$ |
 * | GELU | $x\,\Phi(x) = \tfrac12 x(1+\mathrm{erf}(x/\sqrt2))$ | $\Phi(x) + x\,\varphi(x)$ |
 * | GELU (tanh) | $\tfrac12 x(1+\tanh(\sqrt{2/\pi}(x+0.044715x^3)))$ | see the code |
 * | SiLU | $x\,\sigma(x)$ | $\sigma(x)(1+x(1-\sigma(x)))$ |
 *
 * At a kink we follow PyTorch: ReLU'(0) = 0 and LeakyReLU'(0) = $\alpha$.
 */
#ifndef NN_ACTIVATIONS_H
#define NN_ACTIVATIONS_H

#include "nn.h"

typedef enum {
    ACT_IDENTITY,
    ACT_SIGMOID,
    ACT_TANH,
    ACT_RELU,
    ACT_LEAKY_RELU,
    ACT_GELU,       /* exact, with erf */
    ACT_GELU_TANH,  /* the tanh approximation */
    ACT_SILU,
    ACT_NKINDS
} ActKind;

typedef struct {
    ActKind kind;
    real alpha;   /* LeakyReLU's negative slope (0.01 by default) */
} Activation;

/* y[n] = f(x[n]); y may equal x (in place). */
void act_forward(Activation a, real *y, const real *x, size_t n);
/* dx[n] = dy[n] * f'(x[n]), with y = f(x) from the forward pass. dx may equal dy. */
void act_backward(Activation a, real *dx, const real *dy, const real *x, const real *y, size_t n);

const char *act_name(ActKind k);                 /* "relu", "gelu", ... */
bool act_parse(const char *name, Activation *out);
Activation act_make(ActKind k);                  /* with the default alpha */

/* Row-wise softmax, stable: subtracts each row's maximum before exp. y may equal x.
 * x, y: [N, C] */
void softmax_forward(real *y, const real *x, int N, int C);

#endif
