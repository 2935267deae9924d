/** Grading tests of Lab 1's exercises: Linear, softmax, softmax cross-entropy, the central
 * difference. Expected values: PyTorch's (torch_golden.txt, as tests/test_loss.c copies them) or
 * the test's own loops in double. */
#include "grade.h"

enum { N = 3, DIN = 4, DOUT = 5 };

/* y = x W^T + b, the textbook loops */
static void naive_linear(double *y, const real *x, const real *W, const real *b) {
    for (int n = 0; n < N; n++)
        for (int o = 0; o < DOUT; o++) {
            double s = b ? b[o] : 0;
            for (int i = 0; i < DIN; i++) s += (double)x[n * DIN + i] * W[o * DIN + i];
            y[n * DOUT + o] = s;
        }
}

Test(linear_forward, matches_the_textbook_loops) {
    real x[N * DIN], W[DOUT * DIN], b[DOUT], y[N * DOUT];
    double want[N * DOUT];
    fill(x, N * DIN, 1, 1), fill(W, DOUT * DIN, 2, 1), fill(b, DOUT, 3, 1);
    for (int i = 0; i < N * DOUT; i++) y[i] = R(7);   /* y is written, not added to */
    linear_forward(y, x, W, b, N, DIN, DOUT);
    naive_linear(want, x, W, b);
    EXPECT_ALL_NEAR("linear_forward", y, want, N * DOUT, TOL, "y (x [3,4], W [5,4], b [5])");
}

Test(linear_forward, without_bias) {
    real x[N * DIN], W[DOUT * DIN], y[N * DOUT];
    double want[N * DOUT];
    fill(x, N * DIN, 4, 2), fill(W, DOUT * DIN, 5, 1);
    linear_forward(y, x, W, NULL, N, DIN, DOUT);
    naive_linear(want, x, W, NULL);
    EXPECT_ALL_NEAR("linear_forward", y, want, N * DOUT, TOL, "y with b = NULL");
}

Test(linear_forward, one_sample_one_output) {
    real x[3] = {1, 2, 3}, W[3] = {R(0.5), R(-1), R(2)}, b[1] = {R(0.25)}, y[1];
    linear_forward(y, x, W, b, 1, 3, 1);
    EXPECT_NEAR("linear_forward", y[0], 0.5 - 2 + 6 + 0.25, TOL, "y for x = [1,2,3], W = [0.5,-1,2], b = 0.25");
}

/* the gradients of L = sum(G * y) for y = x W^T + b */
static void linear_backward_case(bool with_dx, bool with_db) {
    real x[N * DIN], W[DOUT * DIN], dy[N * DOUT], dx[N * DIN], dW[DOUT * DIN], db[DOUT];
    fill(x, N * DIN, 6, 1), fill(W, DOUT * DIN, 7, 1), fill(dy, N * DOUT, 8, 1);
    for (int i = 0; i < N * DIN; i++) dx[i] = R(9);              /* dx is written */
    for (int i = 0; i < DOUT * DIN; i++) dW[i] = R(0.5);         /* dW and db accumulate */
    for (int i = 0; i < DOUT; i++) db[i] = R(-0.25);
    linear_backward(with_dx ? dx : NULL, dW, with_db ? db : NULL, dy, x, W, N, DIN, DOUT);
    for (int o = 0; o < DOUT; o++)
        for (int i = 0; i < DIN; i++) {
            double s = 0.5;
            for (int n = 0; n < N; n++) s += (double)dy[n * DOUT + o] * x[n * DIN + i];
            EXPECT_NEAR("linear_backward", dW[o * DIN + i], s, TOL, "dW[%d][%d] (0.5 before the call: dW accumulates)", o, i);
        }
    if (with_db)
        for (int o = 0; o < DOUT; o++) {
            double s = -0.25;
            for (int n = 0; n < N; n++) s += dy[n * DOUT + o];
            EXPECT_NEAR("linear_backward", db[o], s, TOL, "db[%d] (-0.25 before the call: db accumulates)", o);
        }
    if (with_dx)
        for (int n = 0; n < N; n++)
            for (int i = 0; i < DIN; i++) {
                double s = 0;
                for (int o = 0; o < DOUT; o++) s += (double)dy[n * DOUT + o] * W[o * DIN + i];
                EXPECT_NEAR("linear_backward", dx[n * DIN + i], s, TOL, "dx[%d][%d]", n, i);
            }
}

Test(linear_backward, dW_is_dy_transposed_times_x) { linear_backward_case(false, false); }
Test(linear_backward, db_is_the_batch_sum_of_dy) { linear_backward_case(false, true); }
Test(linear_backward, dx_is_dy_times_W) { linear_backward_case(true, true); }

/* the test's own central difference of L = sum(G * y), with the test's own forward pass */
Test(linear_backward, agrees_with_a_central_difference) {
    real x[N * DIN], W[DOUT * DIN], b[DOUT], G[N * DOUT], dx[N * DIN], dW[DOUT * DIN] = {0}, db[DOUT] = {0};
    fill(x, N * DIN, 9, 1), fill(W, DOUT * DIN, 10, 1), fill(b, DOUT, 11, 1), fill(G, N * DOUT, 12, 1);
    linear_backward(dx, dW, db, G, x, W, N, DIN, DOUT);
    double y[N * DOUT], h = 1e-5;
    for (int k = 0; k < DOUT * DIN; k++) {
        real saved = W[k];
        double f[2];
        for (int s = 0; s < 2; s++) {
            W[k] = (real)(saved + (s ? h : -h));
            naive_linear(y, x, W, b);
            f[s] = 0;
            for (int i = 0; i < N * DOUT; i++) f[s] += G[i] * y[i];
        }
        W[k] = saved;
        EXPECT_NEAR("linear_backward", dW[k], (f[1] - f[0]) / (2 * h), 1e-7, "dW[%d] against the central difference of sum(dy * y)", k);
    }
}

Test(softmax_forward, rows_match_exp_over_sum) {
    real x[2 * 4] = {1, 2, 3, 4, R(-1), R(0.5), 0, 2}, y[8];
    softmax_forward(y, x, 2, 4);
    for (int n = 0; n < 2; n++) {
        double s = 0;
        for (int c = 0; c < 4; c++) s += exp((double)x[n * 4 + c]);
        for (int c = 0; c < 4; c++)
            EXPECT_NEAR("softmax_forward", y[n * 4 + c], exp((double)x[n * 4 + c]) / s, TOL, "y[%d][%d]", n, c);
    }
}

Test(softmax_forward, stable_for_large_logits) {
    real x[3] = {1000, 1001, 1002}, y[3];
    softmax_forward(y, x, 1, 3);
    double s = 1 + exp(1.0) + exp(2.0);
    for (int c = 0; c < 3; c++)
        EXPECT_NEAR("softmax_forward", y[c], exp((double)c) / s, TOL, "y[%d] for logits [1000, 1001, 1002] (subtract the maximum before exp)", c);
}

Test(softmax_forward, stable_for_very_negative_logits) {
    real x[2] = {-1000, -1001}, y[2];
    softmax_forward(y, x, 1, 2);
    EXPECT_NEAR("softmax_forward", y[0], 1 / (1 + exp(-1.0)), TOL, "y[0] for logits [-1000, -1001]");
}

/* torch_golden.txt, "Softmax cross-entropy (mean over batch) on logits X with labels [2, 0, 1, 2]" */
static const int labels[4] = {2, 0, 1, 2};
static const double ce_loss = 1.1903756071, ls_loss = 1.19719060053;
static const double ce_grad[12] = {0.0579361774684, 0.153925063763, -0.211861241231,
                                   -0.138140311817, 0.0350298042039, 0.103110507613,
                                   0.0382566344761, -0.106541342863, 0.068284708387,
                                   0.158462130209, 0.0369496559614, -0.19541178617};
static const double ls_grad[12] = {0.049602844135, 0.145591730429, -0.195194574564,
                                   -0.12147364515, 0.0266964708705, 0.0947771742794,
                                   0.0299233011427, -0.0898746761964, 0.0599513750536,
                                   0.150128796875, 0.0286163226281, -0.178745119503};

Test(xent_forward, loss_matches_pytorch) {
    real X[12], P[12];
    golden_X(X);
    EXPECT_NEAR("xent_forward", xent_forward(P, X, labels, 4, 3, 0), ce_loss, TOL, "mean loss of torch_golden's X, labels [2,0,1,2]");
}

Test(xent_forward, probabilities_are_the_softmax) {
    real X[12], P[12];
    golden_X(X);
    xent_forward(P, X, labels, 4, 3, 0);
    for (int n = 0; n < 4; n++) {
        double s = 0;
        for (int c = 0; c < 3; c++) s += exp((double)X[n * 3 + c]);
        for (int c = 0; c < 3; c++)
            EXPECT_NEAR("xent_forward", P[n * 3 + c], exp((double)X[n * 3 + c]) / s, TOL, "probs[%d][%d]", n, c);
    }
}

Test(xent_forward, label_smoothing_matches_pytorch) {
    real X[12], P[12];
    golden_X(X);
    EXPECT_NEAR("xent_forward", xent_forward(P, X, labels, 4, 3, R(0.1)), ls_loss, TOL, "mean loss with label smoothing 0.1");
}

Test(xent_forward, stable_for_large_logits) {
    real z[3] = {1000, 0, -1000}, p[3];
    int y = 1;
    EXPECT_NEAR("xent_forward", xent_forward(p, z, &y, 1, 3, 0), 1000.0, TOL, "loss for logits [1000, 0, -1000], label 1 (log-sum-exp with the maximum taken out)");
}

Test(xent_backward, matches_pytorch) {
    real D[12], P[12], X[12];
    golden_X(X);
    for (int n = 0; n < 4; n++) {   /* the test's own softmax */
        double s = 0;
        for (int c = 0; c < 3; c++) s += exp((double)X[n * 3 + c]);
        for (int c = 0; c < 3; c++) P[n * 3 + c] = (real)(exp((double)X[n * 3 + c]) / s);
    }
    xent_backward(D, P, labels, 4, 3, 0);
    EXPECT_ALL_NEAR("xent_backward", D, ce_grad, 12, TOL, "dlogits");
    xent_backward(D, P, labels, 4, 3, R(0.1));
    EXPECT_ALL_NEAR("xent_backward", D, ls_grad, 12, TOL, "dlogits with label smoothing 0.1");
}

Test(xent_backward, one_row_by_hand) {
    real p[4] = {R(0.1), R(0.2), R(0.3), R(0.4)}, d[4];
    int y = 2;
    xent_backward(d, p, &y, 1, 4, 0);
    const double want[4] = {0.1, 0.2, -0.7, 0.4};
    EXPECT_ALL_NEAR("xent_backward", d, want, 4, TOL, "dlogits for probs [0.1,0.2,0.3,0.4], label 2, N = 1");
}

Test(xent_backward, divides_by_the_batch) {
    real p[6] = {R(0.5), R(0.5), R(0.25), R(0.75), 0, 0}, d[6];
    int y[3] = {0, 1, 0};
    p[4] = R(0.9), p[5] = R(0.1);
    xent_backward(d, p, y, 3, 2, 0);
    const double want[6] = {-0.5 / 3, 0.5 / 3, 0.25 / 3, -0.25 / 3, -0.1 / 3, 0.1 / 3};
    EXPECT_ALL_NEAR("xent_backward", d, want, 6, TOL, "dlogits for N = 3 (the loss is the batch mean)");
}

/* f(p) = sum sin(2 p) + p^3, f'(p) = 2 cos(2 p) + 3 p^2 */
typedef struct {
    real *p;
    int n, calls;
} Fn;
static double fn(void *ctx) {
    Fn *f = ctx;
    f->calls++;
    double s = 0;
    for (int i = 0; i < f->n; i++) s += sin(2.0 * f->p[i]) + (double)f->p[i] * f->p[i] * f->p[i];
    return s;
}

Test(gradcheck_central, numeric_derivative_is_accurate) {
    real p[5] = {R(0.3), R(-1.2), R(2), R(0.7), R(-0.1)}, g[5];
    for (int i = 0; i < 5; i++) g[i] = (real)(2 * cos(2.0 * p[i]) + 3.0 * p[i] * p[i]);
    for (int i = 0; i < 5; i++) {
        Fn f1 = {p, 5, 0};
        GradCheck one = gradcheck(fn, &f1, p + i, g + i, 1, 0, 1e-4);
        EXPECT_NEAR("gradcheck", one.numeric, g[i], 1e-8, "the numeric derivative of sin(2p) + p^3 at p = %g (h = 1e-4)", (double)p[i]);
    }
}

Test(gradcheck_central, flags_a_wrong_gradient) {
    real p[3] = {R(0.5), R(1.5), R(-0.5)}, g[3];
    for (int i = 0; i < 3; i++) g[i] = (real)(2 * cos(2.0 * p[i]) + 3.0 * p[i] * p[i]);
    g[1] *= 2;   /* wrong by a factor of two */
    Fn f = {p, 3, 0};
    GradCheck r = gradcheck(fn, &f, p, g, 3, 0, 1e-4);
    EXPECT_NEAR("gradcheck", (double)r.worst, 1.0, 0, "the worst entry (only entry 1 is wrong)");
    EXPECT_NEAR("gradcheck", r.max_rel_err, 1.0 / 3, 1e-7, "the relative error of a gradient twice too large");
}

Test(gradcheck_central, leaves_the_parameters_as_they_were) {
    real p[4] = {R(0.1), R(0.2), R(0.3), R(0.4)}, g[4] = {0};
    real saved[4];
    memcpy(saved, p, sizeof p);
    Fn f = {p, 4, 0};
    gradcheck(fn, &f, p, g, 4, 0, 1e-3);
    for (int i = 0; i < 4; i++) cr_assert(p[i] == saved[i], "gradcheck: p[%d]: expected %.17g back, got %.17g", i, (double)saved[i], (double)p[i]);
    cr_assert(f.calls >= 8, "gradcheck: expected at least 2 evaluations of fn per entry (a central difference), got %d for 4 entries", f.calls);
}
