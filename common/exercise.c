/** # exercise.c */
#include "exercise.h"

#include <stdio.h>
#include <stdlib.h>

_Noreturn void exercise_stop(const char *id, const char *where, const char *file, int line) {
    fflush(stdout);
    fprintf(stderr, "Exercise %s is not written yet: write it in %s (line %d)%s%s, then grade it with `make grade EX=%s`.\n",
            id, file, line, where[0] ? "; " : "", where[0] ? where : "", id);
    exit(EXERCISE_EXIT);
}
