/** # nn.h — the vocabulary every file shares
 *
 * One arithmetic type, `real`, and one way to fail.
 *
 * `real` is `float` in the labs, where speed matters, and `double` in a second build of the
 * library (`-DNN_DOUBLE`) that the gradient-check tests link: in double a central difference is
 * accurate to about 1e-10, so the course's standard — relative error below 1e-7 — can actually be
 * met, and a failure means a wrong formula rather than rounding.
 *
 * `<tgmath.h>` makes `exp`, `tanh`, `sqrt`, ... pick the float or double version from the type of
 * their argument, so a kernel is written once. Write literals as `R(0.5)` so that a float build
 * does not silently compute in double.
 */
#ifndef NN_H
#define NN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <tgmath.h>

#ifdef NN_DOUBLE
typedef double real;
#define REAL_NAME "double"
#else
typedef float real;
#define REAL_NAME "float"
#endif

#define R(x) ((real)(x))

/* A programmer error (a shape mismatch, a batch larger than a layer was sized for): print the
 * file and line and stop. Environment errors (a missing file, a bad flag) are not CHECKs: they
 * return an error so the program can print one sentence for the user and exit non-zero. */
#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);          \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

/* calloc that never returns NULL: running out of memory in a lab is not recoverable. Only
 * `*_init` functions call it (STYLE.md: no allocation in forward or backward). */
void *nn_calloc(size_t count, size_t size);
/* How many times nn_calloc has been called in this process (all threads): tests use it to show
 * that a training loop allocates nothing per step. */
long nn_alloc_count(void);

/* Seconds on a monotonic clock, for timing columns. */
double nn_seconds(void);

#endif
