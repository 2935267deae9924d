/** # gradcheck.h — is the backward pass right?
 *
 * Compare each analytic derivative with a central difference. The two-point formula
 * $(f(\theta + h e_i) - f(\theta - h e_i))/2h$ has an error of order $h^2$ from truncation and
 * $\epsilon |f| / h$ from rounding, and in double the two balance near 1e-7 relative for the
 * small gradient entries of a real network — right at the threshold we want to test. The
 * five-point central difference
 * $$\frac{\partial f}{\partial \theta_i} \approx
 *   \frac{8\,(f(\theta + h e_i) - f(\theta - h e_i)) - (f(\theta + 2h e_i) - f(\theta - 2h e_i))}{12h}$$
 * cancels the $h^2$ term too (error of order $h^4$), so a larger $h = 10^{-4}$ can be used and
 * rounding drops far below the threshold. We report the worst *relative error* as CS231n defines it:
 * $$\mathrm{rel}(a, n) = \frac{|a - n|}{\max(10^{-8}, |a| + |n|)}.$$
 * Rules of thumb (in double): above 1e-2 the gradient is wrong; below 1e-4 is fine near a kink
 * such as ReLU's; 1e-7 or less is right. The check is only meaningful in the double build of the
 * library, where the difference quotient is accurate to about 1e-10.
 *
 * A whole network is checked through the scalar $f = \sum_{n,j} y_{nj}\, G_{nj}$ for a fixed
 * random "upstream gradient" $G$, so that backward is called with $dy = G$ exactly as in training.
 */
#ifndef NN_GRADCHECK_H
#define NN_GRADCHECK_H

#include "net.h"

typedef struct {
    double max_rel_err;   /* worst relative error over the checked entries */
    size_t worst;         /* index of the worst entry */
    double analytic, numeric;   /* the two values at the worst entry */
    double max_abs_grad;  /* largest |analytic| seen: 0 means the check proved nothing */
    size_t checked;
} GradCheck;

double rel_error(double a, double n);

/* Check analytic[i] = d f / d p[i] for every i (or `limit` evenly spaced entries when limit > 0
 * and smaller than n). f(ctx) must recompute the scalar from the current p. p is restored. */
GradCheck gradcheck(double (*fn)(void *ctx), void *ctx, real *p, const real *analytic, size_t n,
                    size_t limit, double h);

/* Check an activation's backward at the points x[n] with upstream gradient g[n]. Elementwise:
 * entry i depends on x_i alone, so each entry is checked through its own term f(x_i) g_i;
 * summing all n terms would bury small derivatives (LeakyReLU's 0.01) under the rounding of the
 * large ones. x is restored. */
GradCheck gradcheck_activation(Activation a, real *x, const real *g, int n, double h);

/* Merge two results: the worse error wins. */
GradCheck gradcheck_merge(GradCheck a, GradCheck b);

/* Check every parameter and the input of `net` on the batch x[N, in] with a random upstream
 * gradient drawn from rng. `limit` as above, per array. */
GradCheck gradcheck_net(Net *net, const real *x, int N, size_t limit, Rng *rng);

#endif
