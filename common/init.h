/** # init.h — weight initializers
 *
 * A weight matrix `W` is `[fan_out, fan_in]` (see linear.h). Each scheme picks the scale so that
 * the variance of the signal neither grows nor shrinks from layer to layer (Lab 06 measures it):
 *
 * | scheme | distribution | scale |
 * |---|---|---|
 * | Xavier/Glorot uniform | $U(-a, a)$ | $a = g\sqrt{6/(\text{fan\_in}+\text{fan\_out})}$ |
 * | Xavier/Glorot normal | $N(0, s^2)$ | $s = g\sqrt{2/(\text{fan\_in}+\text{fan\_out})}$ |
 * | He/Kaiming normal | $N(0, s^2)$ | $s = g/\sqrt{\text{fan\_in}}$, $g = \sqrt2$ for ReLU |
 * | He/Kaiming uniform | $U(-a, a)$ | $a = g\sqrt{3/\text{fan\_in}}$ |
 * | LeCun normal | $N(0, s^2)$ | $s = 1/\sqrt{\text{fan\_in}}$ |
 * | orthogonal | $g\,Q$ | $Q$ from the QR factorization of a Gaussian matrix |
 * | PyTorch's Linear default | $U(-a, a)$ | $a = 1/\sqrt{\text{fan\_in}}$ |
 *
 * The gain $g$ depends on the activation that follows: 1 for linear and sigmoid, 5/3 for tanh,
 * $\sqrt2$ for ReLU, $\sqrt{2/(1+\alpha^2)}$ for LeakyReLU($\alpha$) (`init_gain`).
 */
#ifndef NN_INIT_H
#define NN_INIT_H

#include "activations.h"
#include "rng.h"

typedef enum {
    INIT_ZEROS,
    INIT_CONSTANT,       /* every weight = value */
    INIT_NORMAL,         /* N(0, value^2) */
    INIT_UNIFORM,        /* U(-value, value) */
    INIT_XAVIER_UNIFORM,
    INIT_XAVIER_NORMAL,
    INIT_HE_NORMAL,
    INIT_HE_UNIFORM,
    INIT_LECUN_NORMAL,
    INIT_ORTHOGONAL,
    INIT_TORCH_DEFAULT,
    INIT_NKINDS
} InitKind;

typedef struct {
    InitKind kind;
    real value;   /* the constant, std or bound of the three plain kinds */
    real gain;    /* multiplies the scale of the scaled kinds */
} Init;

Init init_make(InitKind kind);           /* with the scheme's customary gain (He: sqrt 2) */
Init init_value(InitKind kind, real v);  /* INIT_CONSTANT / NORMAL / UNIFORM with their value */
real init_gain(Activation a);
/* The std (normal kinds) or bound (uniform kinds) that `init` gives for these fans. */
real init_scale(Init init, int fan_in, int fan_out);
/* Fill W[fan_out, fan_in]. */
void init_weights(real *W, int fan_out, int fan_in, Init init, Rng *rng);
const char *init_name(InitKind k);
bool init_parse(const char *name, Init *out);

#endif
