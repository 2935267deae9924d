/** # init.c */
#include "init.h"

#include <string.h>

#include "exercise.h"

static const char *const names[INIT_NKINDS] = {
    "zeros", "constant", "normal", "uniform", "xavier_uniform", "xavier_normal",
    "he_normal", "he_uniform", "lecun_normal", "orthogonal", "torch_default"};

const char *init_name(InitKind k) { return k >= 0 && k < INIT_NKINDS ? names[k] : "?"; }

Init init_make(InitKind kind) {
    bool he = kind == INIT_HE_NORMAL || kind == INIT_HE_UNIFORM;
    return (Init){kind, R(0), he ? sqrt(R(2)) : R(1)};
}

Init init_value(InitKind kind, real v) { return (Init){kind, v, R(1)}; }

bool init_parse(const char *name, Init *out) {
    for (int k = 0; k < INIT_NKINDS; k++)
        if (strcmp(name, names[k]) == 0) { *out = init_make((InitKind)k); return true; }
    return false;
}

real init_gain(Activation a) {
    switch (a.kind) {
    case ACT_TANH: return R(5) / R(3);
    case ACT_RELU: return sqrt(R(2));
    case ACT_LEAKY_RELU: return sqrt(R(2) / (R(1) + a.alpha * a.alpha));
    default: return R(1);
    }
}

real init_scale(Init init, int fan_in, int fan_out) {
    real fi = (real)fan_in, fo = (real)fan_out;
    switch (init.kind) {
    case INIT_ZEROS: return R(0);
    case INIT_CONSTANT: case INIT_NORMAL: case INIT_UNIFORM: return init.value;
    /* >>> exercise init_xavier | Lab 6, "The signal through depth" | task: Xavier/Glorot: the bound a of U(-a, a) and the std s of N(0, s^2) that keep the variance 2 / (fan_in + fan_out), times init.gain */
    case INIT_XAVIER_UNIFORM: return init.gain * sqrt(R(6) / (fi + fo));
    case INIT_XAVIER_NORMAL: return init.gain * sqrt(R(2) / (fi + fo));
    /* === stub
    case INIT_XAVIER_UNIFORM: case INIT_XAVIER_NORMAL:
        (void)fo;
        exercise_todo("init_xavier");
    <<< exercise */
    /* >>> exercise init_he | Lab 6, "The signal through depth" | task: He/Kaiming: the std s of N(0, s^2) and the bound a of U(-a, a) that give the variance gain^2 / fan_in (init.gain is sqrt 2 for ReLU) */
    case INIT_HE_NORMAL: return init.gain / sqrt(fi);
    case INIT_HE_UNIFORM: return init.gain * sqrt(R(3) / fi);
    /* === stub
    case INIT_HE_NORMAL: case INIT_HE_UNIFORM:
        exercise_todo("init_he");
    <<< exercise */
    case INIT_LECUN_NORMAL: return init.gain / sqrt(fi);
    case INIT_ORTHOGONAL: return init.gain;
    case INIT_TORCH_DEFAULT: return R(1) / sqrt(fi);
    default: CHECK(0, "unknown initializer %d", (int)init.kind);
    }
    return R(0);
}

/** Orthogonal: fill a tall `[m, n]` matrix (m ≥ n) with Gaussians and orthonormalise its columns
 * by modified Gram–Schmidt, run twice for accuracy ("twice is enough"). Gram–Schmidt is the QR
 * factorization with a positive diagonal in R, which is what PyTorch's sign correction gives. A
 * wide weight matrix is the transpose of a tall one. */
static void orthogonal(real *W, int rows, int cols, real gain, Rng *rng) {
    bool wide = rows < cols;
    int m = wide ? cols : rows, n = wide ? rows : cols;
    double *Q = nn_calloc((size_t)m * n, sizeof(double));   /* [m, n], column j = Q[i*n + j] */
    for (size_t i = 0; i < (size_t)m * n; i++) Q[i] = rng_normal(rng);
    /* >>> exercise init_orthogonal | Lab 6, "The signal through depth" | task: orthonormalise the n columns of the Gaussian Q [m, n] by Gram-Schmidt (R's diagonal positive, as PyTorch's sign correction gives), then W = gain Q, or gain Q^T when wide | points: 3 */
    for (int j = 0; j < n; j++) {
        for (int pass = 0; pass < 2; pass++)
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < m; i++) dot += Q[(size_t)i * n + p] * Q[(size_t)i * n + j];
                for (int i = 0; i < m; i++) Q[(size_t)i * n + j] -= dot * Q[(size_t)i * n + p];
            }
        double norm = 0;
        for (int i = 0; i < m; i++) norm += Q[(size_t)i * n + j] * Q[(size_t)i * n + j];
        norm = sqrt(norm);
        for (int i = 0; i < m; i++) Q[(size_t)i * n + j] /= norm;
    }
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            W[(size_t)r * cols + c] = gain * (real)(wide ? Q[(size_t)c * n + r] : Q[(size_t)r * n + c]);
    /* === stub
    (void)W, (void)gain;
    exercise_todo("init_orthogonal");
    <<< exercise */
    free(Q);
}

void init_weights(real *W, int fan_out, int fan_in, Init init, Rng *rng) {
    size_t n = (size_t)fan_out * fan_in;
    real s = init_scale(init, fan_in, fan_out);
    switch (init.kind) {
    case INIT_ZEROS: case INIT_CONSTANT:
        for (size_t i = 0; i < n; i++) W[i] = s;
        break;
    case INIT_NORMAL: case INIT_XAVIER_NORMAL: case INIT_HE_NORMAL: case INIT_LECUN_NORMAL:
        for (size_t i = 0; i < n; i++) W[i] = s * (real)rng_normal(rng);
        break;
    case INIT_UNIFORM: case INIT_XAVIER_UNIFORM: case INIT_HE_UNIFORM: case INIT_TORCH_DEFAULT:
        for (size_t i = 0; i < n; i++) W[i] = (real)rng_uniform_range(rng, -(double)s, (double)s);
        break;
    case INIT_ORTHOGONAL: orthogonal(W, fan_out, fan_in, init.gain, rng); break;
    default: CHECK(0, "unknown initializer %d", (int)init.kind);
    }
}
