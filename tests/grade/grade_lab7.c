/** Grading tests of Lab 7's exercises: SGD, momentum and Nesterov, RMSprop, Adam, AdamW, and the
 * cosine, warm-up, warm-up + cosine and one-cycle schedules. Expected values: PyTorch's 5-step
 * trajectories and schedules (torch_golden.txt, as tests/test_optim.c and test_schedule.c copy
 * them), and a few steps the test works out by hand. */
#include "grade.h"

/* torch_golden.txt, "Optimizers: minimise f(p) = sum(c * p^2) / 2 + sum(p) with c = [1, 10, 100],
 * p0 = [1, -2, 3]; 5 steps": p after steps 1..5 */
typedef double Traj[5][3];
static const Traj sgd = {{0.98, -1.81, -0.01}, {0.9602, -1.639, -0.01}, {0.940598, -1.4851, -0.01},
                         {0.92119202, -1.34659, -0.01}, {0.9019800998, -1.221931, -0.01}};
static const Traj sgd_momentum = {{0.98, -1.81, -0.01}, {0.9422, -1.468, -2.719}, {0.888758, -1.0234, -2.4481},
                                  {0.82177262, -0.53092, 0.23381}, {0.7432680518, -0.044596, 2.403719}};
static const Traj sgd_nesterov = {{0.962, -1.639, -2.719}, {0.908522, -1.19269, -0.01},
                                  {0.841787882, -0.7219099, -0.01}, {0.763909904042, -0.278387029, -0.01},
                                  {0.676881526641, 0.09870519941, -0.01}};
static const Traj sgd_wd = {{0.979, -1.808, -0.013}, {0.958231, -1.635392, -0.009987},
                            {0.937690459, -1.480217408, -0.009990013},
                            {0.917375863951, -1.34071544979, -0.009990009987},
                            {0.897284729448, -1.21530318936, -0.00999000999001}};
static const Traj rmsprop = {{0.900000005, -1.90000000053, 2.90000000003},
                             {0.830943332817, -1.83104359331, 2.83031334068},
                             {0.775349450099, -1.77558384968, 2.77387899548},
                             {0.727713822384, -1.72810074747, 2.72529056056},
                             {0.685481588503, -1.68603337516, 2.6820314472}};
static const Traj adam = {{0.9000000005, -1.90000000005, 2.9}, {0.800166486621, -1.80017735005, 2.80010231185},
                          {0.700623392812, -1.70066494776, 2.70038003552},
                          {0.60150489632, -1.60160738734, 2.60090992179},
                          {0.502955782593, -1.50316144854, 2.50177233339}};
static const Traj adam_l2 = {{0.900000000476, -1.90000000005, 2.9}, {0.800176306719, -1.80017723574, 2.80010231225},
                             {0.700660950634, -1.70066451001, 2.700380037},
                             {0.601597516534, -1.60160630638, 2.60090992538},
                             {0.503141617654, -1.50315927675, 2.50177234048}};
static const Traj adamw = {{0.8900000005, -1.88000000005, 2.87}, {0.781287317646, -1.76142303174, 2.74143938269},
                           {0.673987051783, -1.64442264294, 2.61440351417},
                           {0.56823315137, -1.52916604036, 2.48898198444},
                           {0.464168426058, -1.41583450151, 2.36526847489}};

static OptConfig cfg(OptKind k, real lr, real momentum, bool nesterov, real wd) {
    OptConfig c = optim_defaults(k);
    c.lr = lr, c.momentum = momentum, c.nesterov = nesterov, c.weight_decay = wd;
    return c;
}

static void trajectory(const char *fn, const char *what, OptConfig c, const Traj want) {
    real p[3] = {1, -2, 3}, g[3];
    const real curv[3] = {1, 10, 100};
    Param param = {p, g, 3, true, "p"};
    Optimizer o;
    optim_init(&o, c, &param, 1);
    for (int step = 0; step < 5; step++) {
        for (int j = 0; j < 3; j++) g[j] = curv[j] * p[j] + 1;   /* grad of c p^2/2 + p */
        optim_step(&o, c.lr);
        for (int j = 0; j < 3; j++) EXPECT_NEAR(fn, p[j], want[step][j], TOL, "%s: p[%d] after step %d (PyTorch's trajectory)", what, j, step + 1);
    }
    optim_free(&o);
}

/* k steps with a constant tiny gradient g = eps = 1e-8 from w = w0: where eps decides the step */
static void tiny(const char *fn, OptConfig c, real w0, int k, double want, const char *why) {
    real w = w0, g = R(1e-8);
    Param param = {&w, &g, 1, true, "w"};
    Optimizer o;
    c.eps = R(1e-8);
    optim_init(&o, c, &param, 1);
    for (int s = 0; s < k; s++) optim_step(&o, c.lr);
    EXPECT_NEAR(fn, w, want, TOL, "w after %d steps with the gradient 1e-8 = eps (%s)", k, why);
    optim_free(&o);
}

Test(sgd, matches_pytorch) { trajectory("optim_step (SGD)", "SGD lr 0.01", cfg(OPT_SGD, R(0.01), 0, false, 0), sgd); }
Test(sgd, weight_decay_matches_pytorch) { trajectory("optim_step (SGD)", "SGD lr 0.01, weight decay 0.1", cfg(OPT_SGD, R(0.01), 0, false, R(0.1)), sgd_wd); }
Test(sgd, one_step_by_hand) {
    real w[2] = {1, -1}, g[2] = {R(0.5), R(2)};
    Param p = {w, g, 2, true, "w"};
    Optimizer o;
    optim_init(&o, cfg(OPT_SGD, R(0.1), 0, false, 0), &p, 1);
    optim_step(&o, R(0.2));   /* the lr passed to the step wins over cfg.lr (schedules pass theirs) */
    EXPECT_NEAR("optim_step (SGD)", w[0], 0.9, TOL, "w[0] = 1 - 0.2 * 0.5 (lr 0.2 passed to optim_step)");
    EXPECT_NEAR("optim_step (SGD)", w[1], -1.4, TOL, "w[1] = -1 - 0.2 * 2");
    optim_free(&o);
}

Test(sgd_momentum, matches_pytorch) { trajectory("optim_step (SGD momentum)", "momentum 0.9", cfg(OPT_SGD, R(0.01), R(0.9), false, 0), sgd_momentum); }
Test(sgd_momentum, nesterov_matches_pytorch) { trajectory("optim_step (SGD Nesterov)", "Nesterov, momentum 0.9", cfg(OPT_SGD, R(0.01), R(0.9), true, 0), sgd_nesterov); }
Test(sgd_momentum, weight_decay_enters_the_buffer) {
    /* w = 1, g = 0, wd 0.5, momentum 0.5, lr 0.1: b1 = 0.5, w1 = 0.95; g1 = 0.475, b2 = 0.725, w2 = 0.8775 */
    real w = 1, g = 0;
    Param p = {&w, &g, 1, true, "w"};
    Optimizer o;
    optim_init(&o, cfg(OPT_SGD, R(0.1), R(0.5), false, R(0.5)), &p, 1);
    optim_step(&o, R(0.1));
    EXPECT_NEAR("optim_step (SGD momentum)", w, 0.95, TOL, "w after step 1 (g = 0, weight decay 0.5: the buffer starts at the decayed gradient 0.5)");
    optim_step(&o, R(0.1));
    EXPECT_NEAR("optim_step (SGD momentum)", w, 0.8775, TOL, "w after step 2 (buffer 0.5 * 0.5 + 0.475)");
    optim_free(&o);
}

Test(rmsprop, matches_pytorch) { trajectory("optim_step (RMSprop)", "RMSprop lr 0.01", cfg(OPT_RMSPROP, R(0.01), 0, false, 0), rmsprop); }
Test(rmsprop, eps_beside_the_root) {
    /* v1 = 0.01 g^2, sqrt(v1) = 1e-9: w = -lr g / (1e-9 + 1e-8) */
    tiny("optim_step (RMSprop)", cfg(OPT_RMSPROP, R(0.01), 0, false, 0), 0, 1, -0.01 * 1e-8 / 1.1e-8, "sqrt(v) + eps, not sqrt(v + eps)");
}

Test(adam, matches_pytorch) { trajectory("optim_step (Adam)", "Adam lr 0.1", cfg(OPT_ADAM, R(0.1), 0, false, 0), adam); }
Test(adam, l2_weight_decay_matches_pytorch) { trajectory("optim_step (Adam)", "Adam lr 0.1, weight decay 0.1 (L2, in the gradient)", cfg(OPT_ADAM, R(0.1), 0, false, R(0.1)), adam_l2); }
Test(adam, eps_beside_the_root) {
    /* bias-corrected: mhat = g, vhat = g^2 on every step, so each step moves lr g / (g + eps) = lr / 2 */
    tiny("optim_step (Adam)", cfg(OPT_ADAM, R(0.1), 0, false, 0), 0, 3, -0.15, "each step lr mhat / (sqrt(vhat) + eps) = lr / 2");
}

Test(adamw, matches_pytorch) { trajectory("optim_step (AdamW)", "AdamW lr 0.1, weight decay 0.1", cfg(OPT_ADAMW, R(0.1), 0, false, R(0.1)), adamw); }
Test(adamw, decay_is_decoupled) {
    /* w = 1 shrinks by 1 - lr wd = 0.99 first, then moves lr / 2 (as Adam's tiny step) */
    tiny("optim_step (AdamW)", cfg(OPT_ADAMW, R(0.1), 0, false, R(0.1)), 1, 1, 0.99 - 0.05, "w (1 - lr wd) - lr mhat / (sqrt(vhat) + eps)");
}

static void schedule(const char *what, Schedule s, const double *want, int n) {
    for (int t = 0; t < n; t++)
        EXPECT_NEAR("schedule_lr", schedule_lr(&s, t), want[t], 1e-10, "%s at step %d", what, t);
}

/* torch_golden.txt's schedules (as tests/test_schedule.c copies them) */
Test(sched_cosine, matches_pytorch) {
    static const double want[11] = {0.1, 0.0975772975566, 0.0905463412216, 0.0795953699885,
                                    0.0657963412216, 0.0505, 0.0352036587784, 0.0214046300115,
                                    0.0104536587784, 0.00342270244339, 0.001};
    schedule("CosineAnnealingLR (lr 0.1, T 10, eta_min 0.001)", schedule_cosine(0.1, 10, 0.001), want, 11);
}
Test(sched_cosine, halfway_is_the_mean) {
    Schedule s = schedule_cosine(0.3, 40, 0.1);
    EXPECT_NEAR("schedule_lr", schedule_lr(&s, 20), 0.2, 1e-12, "cosine from 0.3 to 0.1 over 40 steps, at step 20");
}

Test(sched_warmup, matches_pytorch) {
    static const double want[12] = {0.01, 0.0325, 0.055, 0.0775, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
    schedule("LinearLR (lr 0.1, start_factor 0.1, 4 steps)", schedule_warmup(0.1, 0.1, 4), want, 12);
}
Test(sched_warmup, from_zero) {
    static const double want[6] = {0, 0.025, 0.05, 0.075, 0.1, 0.1};
    schedule("LinearLR (lr 0.1, start_factor 0, 4 steps)", schedule_warmup(0.1, 0, 4), want, 6);
}

Test(sched_warmup_cosine, rises_then_falls) {
    Schedule s = schedule_warmup_cosine(0.1, 4, 14, 0.01);
    double want[17];
    for (int t = 0; t < 17; t++)
        want[t] = t < 4 ? 0.1 * t / 4 : t >= 14 ? 0.01 : 0.01 + 0.045 * (1 + cos(3.14159265358979323846 * (t - 4) / 10));
    schedule("warm-up (4 steps from 0) then cosine to 0.01 at step 14", s, want, 17);
}

Test(sched_onecycle, matches_pytorch) {
    static const double want[12] = {0.004, 0.034978965422, 0.0879285159122, 0.0994415435451,
                                    0.0933012969841, 0.081174565395, 0.0647378997695, 0.0462637102667,
                                    0.0283060998209, 0.0133477530189, 0.00345669874254, 4e-07};
    schedule("OneCycleLR (max_lr 0.1, 12 steps)", schedule_onecycle(0.1, 12), want, 12);
}
Test(sched_onecycle, peak_and_ends) {
    Schedule s = schedule_onecycle(1.0, 101);   /* peak at step 0.3 * 101 - 1 = 29.3 */
    EXPECT_NEAR("schedule_lr", schedule_lr(&s, 0), 0.04, 1e-12, "OneCycleLR (max_lr 1, 101 steps) at step 0: max_lr / 25");
    EXPECT_NEAR("schedule_lr", schedule_lr(&s, 100), 0.04 / 1e4, 1e-12, "OneCycleLR (max_lr 1, 101 steps) at the last step, 100: max_lr / 25 / 1e4");
    double up = schedule_lr(&s, 29), down = schedule_lr(&s, 30);
    cr_assert(up > 0.999 && down > 0.999 && up < 1 && down < 1, "schedule_lr: OneCycleLR (max_lr 1, 101 steps): expected just below 1 at steps 29 and 30 (the peak is at 29.3), got %.6g and %.6g", up, down);
}
