/** Tests of optim.c: 5-step trajectories against PyTorch; clipping; explicit penalties. */
#include "check.h"

/* tests/golden/torch_golden.txt, "Optimizers: minimise f(p) = sum(c * p^2) / 2 + sum(p) with c = [1, 10, 100],
 * p0 = [1, -2, 3]; 5 steps" — p after steps 1..5, one row per step. */
typedef struct {
    const char *name;
    OptConfig cfg;
    double p[5][3];
} Trajectory;

static OptConfig cfg(OptKind k, real lr, real momentum, bool nesterov, real wd) {
    OptConfig c = optim_defaults(k);
    c.lr = lr, c.momentum = momentum, c.nesterov = nesterov, c.weight_decay = wd;
    return c;
}

static const Trajectory cases[] = {
    {"sgd", {0}, {{0.98, -1.81, -0.01}, {0.9602, -1.639, -0.01}, {0.940598, -1.4851, -0.01},
                 {0.92119202, -1.34659, -0.01}, {0.9019800998, -1.221931, -0.01}}},
    {"sgd momentum", {0}, {{0.98, -1.81, -0.01}, {0.9422, -1.468, -2.719}, {0.888758, -1.0234, -2.4481},
                           {0.82177262, -0.53092, 0.23381}, {0.7432680518, -0.044596, 2.403719}}},
    {"sgd nesterov", {0}, {{0.962, -1.639, -2.719}, {0.908522, -1.19269, -0.01},
                           {0.841787882, -0.7219099, -0.01}, {0.763909904042, -0.278387029, -0.01},
                           {0.676881526641, 0.09870519941, -0.01}}},
    {"sgd weight decay", {0}, {{0.979, -1.808, -0.013}, {0.958231, -1.635392, -0.009987},
                               {0.937690459, -1.480217408, -0.009990013},
                               {0.917375863951, -1.34071544979, -0.009990009987},
                               {0.897284729448, -1.21530318936, -0.00999000999001}}},
    {"rmsprop", {0}, {{0.900000005, -1.90000000053, 2.90000000003},
                      {0.830943332817, -1.83104359331, 2.83031334068},
                      {0.775349450099, -1.77558384968, 2.77387899548},
                      {0.727713822384, -1.72810074747, 2.72529056056},
                      {0.685481588503, -1.68603337516, 2.6820314472}}},
    {"adam", {0}, {{0.9000000005, -1.90000000005, 2.9}, {0.800166486621, -1.80017735005, 2.80010231185},
                   {0.700623392812, -1.70066494776, 2.70038003552},
                   {0.60150489632, -1.60160738734, 2.60090992179},
                   {0.502955782593, -1.50316144854, 2.50177233339}}},
    {"adam L2", {0}, {{0.900000000476, -1.90000000005, 2.9},
                      {0.800176306719, -1.80017723574, 2.80010231225},
                      {0.700660950634, -1.70066451001, 2.700380037},
                      {0.601597516534, -1.60160630638, 2.60090992538},
                      {0.503141617654, -1.50315927675, 2.50177234048}}},
    {"adamw", {0}, {{0.8900000005, -1.88000000005, 2.87}, {0.781287317646, -1.76142303174, 2.74143938269},
                    {0.673987051783, -1.64442264294, 2.61440351417},
                    {0.56823315137, -1.52916604036, 2.48898198444},
                    {0.464168426058, -1.41583450151, 2.36526847489}}},
};

static void run_case(int i, OptConfig c) {
    real p[3] = {1, -2, 3}, g[3];
    const real curv[3] = {1, 10, 100};
    Param param = {p, g, 3, true, "p"};
    Optimizer o;
    optim_init(&o, c, &param, 1);
    for (int step = 0; step < 5; step++) {
        optim_zero_grad(&o);
        for (int j = 0; j < 3; j++) g[j] += curv[j] * p[j] + 1;   /* grad of c p^2/2 + p */
        optim_step(&o, c.lr);
        /* The parameters start at scale 1-3, and a value like -0.01 = 3 - 3.01 is the difference
         * of two such numbers: measure the error against the parameter scale, 1. */
        for (int j = 0; j < 3; j++)
            cr_assert(close_to(p[j], cases[i].p[step][j], GOLDEN_RTOL, 1),
                      "%s step %d p[%d]: got %.12g want %.12g", cases[i].name, step + 1, j,
                      (double)p[j], cases[i].p[step][j]);
    }
    optim_free(&o);
}

Test(optim, sgd_matches_pytorch) { run_case(0, cfg(OPT_SGD, R(0.01), 0, false, 0)); }
Test(optim, sgd_momentum_matches_pytorch) { run_case(1, cfg(OPT_SGD, R(0.01), R(0.9), false, 0)); }
Test(optim, sgd_nesterov_matches_pytorch) { run_case(2, cfg(OPT_SGD, R(0.01), R(0.9), true, 0)); }
Test(optim, sgd_weight_decay_matches_pytorch) { run_case(3, cfg(OPT_SGD, R(0.01), 0, false, R(0.1))); }
Test(optim, rmsprop_matches_pytorch) { run_case(4, cfg(OPT_RMSPROP, R(0.01), 0, false, 0)); }
Test(optim, adam_matches_pytorch) { run_case(5, cfg(OPT_ADAM, R(0.1), 0, false, 0)); }
Test(optim, adam_l2_matches_pytorch) { run_case(6, cfg(OPT_ADAM, R(0.1), 0, false, R(0.1))); }
Test(optim, adamw_matches_pytorch) { run_case(7, cfg(OPT_ADAMW, R(0.1), 0, false, R(0.1))); }

Test(optim, decay_skips_params_marked_no_decay) {
    real w[2] = {1, 1}, g[2] = {0, 0};
    Param p = {w, g, 2, false, "bias"};
    Optimizer o;
    optim_init(&o, cfg(OPT_ADAMW, R(0.1), 0, false, R(0.5)), &p, 1);
    optim_step(&o, R(0.1));
    cr_assert(w[0] == 1 && w[1] == 1, "a zero gradient and no decay leave w alone");
    optim_free(&o);
}

Test(optim, defaults_are_pytorchs) {
    OptConfig a = optim_defaults(OPT_ADAM), w = optim_defaults(OPT_ADAMW), r = optim_defaults(OPT_RMSPROP);
    cr_assert(a.lr == R(1e-3) && a.beta1 == R(0.9) && a.beta2 == R(0.999) && a.eps == R(1e-8));
    cr_assert(a.weight_decay == 0 && w.weight_decay == R(0.01));
    cr_assert(r.lr == R(0.01) && r.alpha == R(0.99));
}

Test(optim, clip_grad_norm_scales_to_max) {
    real w[2] = {0}, g1[2] = {3, 0}, w2[1] = {0}, g2[1] = {4};
    Param p[2] = {{w, g1, 2, true, "a"}, {w2, g2, 1, true, "b"}};
    double before = clip_grad_norm(p, 2, 1.0);
    cr_assert(close_to(before, 5, 1e-6, 1), "norm before %g", before);
    cr_assert(close_to(params_grad_norm(p, 2), 1, 1e-5, 1));
    cr_assert(close_to(g1[0] / g2[0], 0.75, 1e-6, 1), "direction kept");
    before = clip_grad_norm(p, 2, 10.0);
    cr_assert(close_to(g1[0], 0.6, 1e-5, 1), "a norm below max is left alone");
}

typedef struct {
    Param *p;
    real lambda;
    bool l1;
} PenCtx;

static double pen_objective(void *c_) {
    PenCtx *c = c_;
    real saved[8];
    for (int i = 0; i < 8; i++) saved[i] = c->p->g[i];
    double v = c->l1 ? penalty_l1(c->p, 1, c->lambda) : penalty_l2(c->p, 1, c->lambda);
    for (int i = 0; i < 8; i++) c->p->g[i] = saved[i];
    return v;
}

Test(optim, penalties_value_and_gradient, GRADCHECK_ONLY) {
    real w[8], g[8];
    Rng rng;
    rng_init(&rng, 51);
    for (int i = 0; i < 8; i++) w[i] = (real)(rng_normal(&rng) + (i % 2 ? 0.5 : -0.5));
    Param p = {w, g, 8, true, "w"};
    double sq = 0, ab = 0;
    for (int i = 0; i < 8; i++) sq += (double)w[i] * w[i], ab += fabs((double)w[i]);
    for (int l1 = 0; l1 < 2; l1++) {
        params_zero_grad(&p, 1);
        double v = l1 ? penalty_l1(&p, 1, R(0.3)) : penalty_l2(&p, 1, R(0.3));
        cr_assert(close_to(v, l1 ? 0.3 * ab : 0.15 * sq, 1e-5, 1), "%s value %g", l1 ? "L1" : "L2", v);
        real analytic[8];
        for (int i = 0; i < 8; i++) analytic[i] = g[i];
        PenCtx c = {&p, R(0.3), l1};
        assert_gradcheck(gradcheck(pen_objective, &c, w, analytic, 8, 0, GRADCHECK_H), l1 ? "L1" : "L2");
    }
    Param nodecay = {w, g, 8, false, "b"};
    params_zero_grad(&nodecay, 1);
    cr_assert(penalty_l2(&nodecay, 1, 1) == 0 && g[0] == 0, "no penalty on a no-decay parameter");
}

Test(optim, names_round_trip) {
    for (int k = 0; k < OPT_NKINDS; k++) {
        OptKind out;
        cr_assert(optim_parse(optim_name((OptKind)k), &out) && out == (OptKind)k);
    }
}

/* Adam's update splits over the cores when the GEMM has several threads (parallel_chunks); the
 * weights must come out the same to the bit as with one thread. */
Test(optim, adam_split_over_threads_is_bit_identical) {
    enum { N1 = 70001, N2 = 513 };   /* more than 2^16 numbers, ranges that do not divide evenly */
    for (int kind = 0; kind < 2; kind++) {
        real *w[2], *g = nn_calloc(N1 + N2, sizeof(real));
        Rng rng;
        rng_init(&rng, 9);
        for (int i = 0; i < N1 + N2; i++) g[i] = (real)rng_normal(&rng);
        for (int t = 0; t < 2; t++) {
            w[t] = nn_calloc(N1 + N2, sizeof(real));
            rng_init(&rng, 10);
            for (int i = 0; i < N1 + N2; i++) w[t][i] = (real)rng_normal(&rng);
            Param p[2] = {{w[t], g, N1, true, "W"}, {w[t] + N1, g + N1, N2, false, "b"}};
            threads_set(t ? 3 : 1);
            Optimizer o;
            OptConfig c = optim_defaults(kind ? OPT_ADAMW : OPT_ADAM);
            c.weight_decay = R(0.1);
            optim_init(&o, c, p, 2);
            for (int s = 0; s < 4; s++) optim_step(&o, R(1e-3));
            optim_free(&o);
        }
        threads_set(1);
        cr_assert(memcmp(w[0], w[1], (N1 + N2) * sizeof(real)) == 0, "%s: 1 and 3 threads differ",
                  kind ? "AdamW" : "Adam");
        bool moved = false;
        rng_init(&rng, 10);
        for (int i = 0; i < N1 + N2; i++) moved |= w[0][i] != (real)rng_normal(&rng);
        cr_assert(moved, "the steps changed the weights");
        free(w[0]), free(w[1]), free(g);
    }
}

/* Zeroing the gradients is split over the threads too, from 2^16 numbers up: every number of
 * every gradient, ragged ranges included, must come out 0 — and nothing past the ends. */
Test(optim, zero_grad_split_over_threads_clears_everything) {
    enum { N1 = 70001, N2 = 513 };
    for (int threads = 1; threads <= 3; threads++) {
        real *g = nn_calloc(N1 + N2 + 2, sizeof(real)), *w = nn_calloc(N1 + N2, sizeof(real));
        for (int i = 0; i < N1 + N2 + 2; i++) g[i] = R(1) + (real)i;
        Param p[2] = {{w, g + 1, N1, true, "W"}, {w + N1, g + 1 + N1, N2, false, "b"}};
        threads_set(threads);
        params_zero_grad(p, 2);
        threads_set(1);
        cr_assert(g[0] == R(1) && g[N1 + N2 + 1] == R(1) + (real)(N1 + N2 + 1), "%d threads wrote past the ends",
                  threads);
        for (int i = 1; i <= N1 + N2; i++) cr_assert(g[i] == R(0), "%d threads: g[%d] = %g", threads, i, (double)g[i]);
        free(g), free(w);
    }
}
