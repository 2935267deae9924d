/* threads.c -- the thread count; see threads.h. */
#include "threads.h"

#include <cblas.h>
#include <stdatomic.h>

#include "nn.h"

static atomic_int own = 1;

void threads_set(int n) {
    CHECK(n >= 1, "threads=%d", n);
    openblas_set_num_threads(n);
    atomic_store(&own, n < 64 ? n : 64);
}

int threads_get(void) { return openblas_get_num_threads(); }

int threads_own(void) { return atomic_load(&own); }
