/** # labtest.h — what every lab's test does with the lab binary
 *
 * A lab test includes its lab's source with NN_NO_MAIN (to test its pieces) and runs the built
 * binary (`$NNLAB_BIN/labNN`, set by `make test`) as a user would: quick mode, every claim must
 * hold; a bad flag must exit 2.
 */
#ifndef NN_LABTEST_H
#define NN_LABTEST_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tmpdir.h"

static inline const char *lab_bin_dir(void) { return getenv("NNLAB_BIN") ? getenv("NNLAB_BIN") : "build/bin"; }

static inline int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

/* Run `lab --quick [extra flags] --out DIR` (DIR: a fresh temporary directory, returned in dir)
 * and assert that it succeeds and that every claim in DIR/claims.csv holds. */
static inline void run_quick_and_check_claims(const char *lab, const char *flags, int min_claims, char *dir) {
    char cmd[2048], path[1024], line[1024];
    test_tmpdir(dir, lab);
    snprintf(cmd, sizeof cmd, "%s/%s --quick %s --out %s > %s/stdout.txt 2>&1", lab_bin_dir(), lab, flags, dir, dir);
    cr_assert(system(cmd) == 0, "%s failed; see %s/stdout.txt", cmd, dir);
    snprintf(path, sizeof path, "%s/claims.csv", dir);
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "%s missing", path);
    int claims = 0;
    cr_assert(fgets(line, sizeof line, f) && strcmp(line, "id,holds,measured,statement\n") == 0);
    while (fgets(line, sizeof line, f)) {
        char id[64];
        int holds;
        cr_assert(sscanf(line, "%63[^,],%d,", id, &holds) == 2, "bad line %s", line);
        cr_expect(holds == 1, "claim %s does not hold in quick mode: %s", id, line);
        claims++;
    }
    fclose(f);
    cr_assert(claims >= min_claims, "only %d claims", claims);
}

/* The exit status of `lab ARGS` with its output discarded. */
static inline int lab_exit_status(const char *lab, const char *args) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s/%s %s > /dev/null 2>&1", lab_bin_dir(), lab, args);
    return exit_code(system(cmd));
}

/* Assert that DIR/results.csv has every key. */
static inline void assert_result_keys(const char *dir, const char *const *keys, size_t n) {
    char path[1024], v[64];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    for (size_t k = 0; k < n; k++) cr_expect(results_read(path, keys[k], v, sizeof v), "results.csv lacks %s", keys[k]);
}

#endif
