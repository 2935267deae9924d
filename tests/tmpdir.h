/** # tmpdir.h — where tests put their files
 *
 * Under $NNLAB_TMP (make test sets it to build/tmp/ and empties it before every run), else /tmp.
 */
#ifndef NN_TEST_TMPDIR_H
#define NN_TEST_TMPDIR_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

enum { TMPDIR_SIZE = 512 };

/* A new empty directory named after tag, into dir[TMPDIR_SIZE]. */
static inline void test_tmpdir(char *dir, const char *tag) {
    const char *root = getenv("NNLAB_TMP");
    if (!root || !*root) root = "/tmp";
    snprintf(dir, TMPDIR_SIZE, "%s/nnlab-%s-XXXXXX", root, tag);
    cr_assert(mkdtemp(dir) != NULL, "cannot create %s", dir);
}

#endif
