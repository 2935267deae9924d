/** # rng.c — xoshiro256** with splitmix64 seeding */
#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void rng_init(Rng *rng, uint64_t seed) {
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) rng->s[i] = splitmix64(&x);
    rng->spare = 0;
    rng->has_spare = 0;
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rng_u64(Rng *rng) {
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rng_uniform(Rng *rng) { return (double)(rng_u64(rng) >> 11) * 0x1.0p-53; }

double rng_uniform_range(Rng *rng, double lo, double hi) {
    return lo + (hi - lo) * rng_uniform(rng);
}

/* Box–Muller: two uniforms give two independent normals. 1 - u keeps the log away from 0. */
double rng_normal(Rng *rng) {
    if (rng->has_spare) {
        rng->has_spare = 0;
        return rng->spare;
    }
    double u = 1.0 - rng_uniform(rng), v = rng_uniform(rng);
    double r = sqrt(-2.0 * log(u)), theta = 2.0 * 3.14159265358979323846 * v;
    rng->spare = r * sin(theta);
    rng->has_spare = 1;
    return r * cos(theta);
}

/* Lemire's multiply-and-reject: no modulo bias. */
int rng_below(Rng *rng, int n) {
    uint64_t range = (uint64_t)n;
    for (;;) {
        uint64_t x = rng_u64(rng) >> 32;
        uint64_t m = x * range;
        uint32_t low = (uint32_t)m;
        if (low >= (uint32_t)((0x100000000ULL - range) % range)) return (int)(m >> 32);
    }
}

int rng_bernoulli(Rng *rng, double p) { return rng_uniform(rng) < p; }

void rng_shuffle(Rng *rng, int *a, int n) {
    for (int i = n - 1; i > 0; i--) {
        int j = rng_below(rng, i + 1);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

Rng rng_split(Rng *rng) {
    Rng child;
    rng_init(&child, rng_u64(rng));
    return child;
}
