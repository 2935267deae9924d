/** # threads.h — how many threads the library's arithmetic may use
 *
 * One number with one home, below the modules that use it: the GEMM (OpenBLAS's threads and the
 * own kernel's), the splits of parallel.c (Adam's update, zero_grad, dataset_batch) and
 * parallel_run, which holds it at one while independent runs go side by side.
 */
#ifndef NN_THREADS_H
#define NN_THREADS_H

void threads_set(int n);    /* n >= 1; OpenBLAS's count too; the own kernels use at most 64 */
int threads_get(void);      /* OpenBLAS's count: before any threads_set, its default (the cores) */
int threads_own(void);      /* the own GEMM's threads: 1 until threads_set */

#endif
