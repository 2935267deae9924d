/** # nn.c — the two helpers from nn.h */
#include "nn.h"

#include <time.h>

static long allocations;

void *nn_calloc(size_t count, size_t size) {
    __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) {
        fprintf(stderr, "out of memory: could not allocate %zu x %zu bytes\n", count, size);
        exit(1);
    }
    return p;
}

long nn_alloc_count(void) { return __atomic_load_n(&allocations, __ATOMIC_RELAXED); }

double nn_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
