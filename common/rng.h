/** # rng.h — an explicit, seeded random number generator
 *
 * Every random choice in the workbook — initial weights, minibatch order, dropout masks, data
 * augmentation — draws from an `Rng` that the caller passes in. There is no hidden global
 * generator, so the same seed gives the same run on every machine and in every build.
 *
 * The generator is xoshiro256** (Blackman and Vigna), seeded through splitmix64: small, fast,
 * and with no bad seeds. Uniform and normal draws are computed in double and rounded by the
 * caller, so the float and double builds see the same stream.
 */
#ifndef NN_RNG_H
#define NN_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];
    double spare;     /* Box–Muller makes normals in pairs; the second waits here */
    int has_spare;
} Rng;

void rng_init(Rng *rng, uint64_t seed);
uint64_t rng_u64(Rng *rng);
double rng_uniform(Rng *rng);                   /* [0, 1) with 53 random bits */
double rng_uniform_range(Rng *rng, double lo, double hi);  /* [lo, hi) */
double rng_normal(Rng *rng);                    /* mean 0, std 1 */
int rng_below(Rng *rng, int n);                 /* uniform integer in [0, n), unbiased */
int rng_bernoulli(Rng *rng, double p);          /* 1 with probability p */
void rng_shuffle(Rng *rng, int *a, int n);      /* Fisher–Yates */
Rng rng_split(Rng *rng);                        /* an independent child stream */

#endif
