/** # progress.h — showing that a long run is alive
 *
 * On a terminal, `progress_step` redraws one status line on stderr (at most ten times a second):
 * label, step count, a message such as the running loss, and the estimated time left. When stderr
 * is a file or a pipe (CI, `make report`), it prints nothing, and `progress_line` — one line per
 * epoch — is the whole record. Progress goes to stderr so that stdout holds only the results.
 *
 * When the environment names a status file (NNLAB_STATUS=path, as `make report` does), the status
 * line is also written there (`done/total|seconds left|label: message`), at most once a second,
 * whatever stderr is: the report's runner
 * reads it to show which run of which section is under way and how long it has left.
 */
#ifndef NN_PROGRESS_H
#define NN_PROGRESS_H

#include <stdbool.h>

typedef struct {
    const char *label;
    long total;
    double t0, last_draw, last_status;
    bool tty, drawn;
    const char *status;   /* NNLAB_STATUS, or NULL */
} Progress;

void progress_init(Progress *p, const char *label, long total);
/* `done` of `total` steps finished; the message is printf-style. Terminal only. */
void progress_step(Progress *p, long done, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A permanent line (clears the status line first). Always printed. */
void progress_line(Progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void progress_done(Progress *p);   /* clears the status line */

#endif
