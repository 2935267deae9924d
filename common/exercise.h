/** # exercise.h — what a stub of the student edition calls
 *
 * The kernels the chapters teach are marked in the source as exercises:
 *
 *     / * >>> exercise linear_backward | Lab 1, "Backpropagation, verified" | task: ... * /
 *     ... the solution ...
 *     / * === stub
 *     exercise_todo("linear_backward");
 *     <<< exercise * /
 *
 * `make exercises` writes the student edition, where each region is replaced by its stub (and the
 * task). A stub reached at run time calls `exercise_todo`, which stops the program with one
 * sentence: which exercise is not done yet, where the chapter explains it, and the command that
 * grades it. The generator passes the chapter and the task as the second and third arguments.
 */
#ifndef NN_EXERCISE_H
#define NN_EXERCISE_H

/* The exit status of a program stopped by an unwritten exercise. */
enum { EXERCISE_EXIT = 3 };

_Noreturn void exercise_stop(const char *id, const char *where, const char *file, int line);

#define exercise_todo(...) EXERCISE_TODO_(__VA_ARGS__, "", "")
#define EXERCISE_TODO_(id, where, ...) exercise_stop(id, where, __FILE__, __LINE__)

#endif
