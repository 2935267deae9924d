/** # progress.c */
#include "progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "nn.h"

void progress_init(Progress *p, const char *label, long total) {
    *p = (Progress){.label = label, .total = total, .t0 = nn_seconds(), .tty = isatty(2) == 1,
                    .status = getenv("NNLAB_STATUS")};
    if (p->status && !*p->status) p->status = NULL;
}

static void clear(Progress *p) {
    if (p->drawn) fprintf(stderr, "\r\033[K");
    p->drawn = false;
}

/* The status line, rewritten whole (a reader sees the old line or the new one, never half). */
static void write_status(const Progress *p, long done, const char *msg, double eta) {
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s.tmp", p->status);
    FILE *f = fopen(tmp, "w");
    if (!f) return;
    fprintf(f, "%ld/%ld|%.0f|%s: %s\n", done, p->total, eta, p->label ? p->label : "", msg);
    if (fclose(f) == 0) rename(tmp, p->status);
}

void progress_step(Progress *p, long done, const char *fmt, ...) {
    if (!p->tty && !p->status) return;
    double now = nn_seconds();
    bool draw = p->tty && !(p->drawn && now - p->last_draw < 0.1 && done < p->total);
    bool status = p->status && (now - p->last_status >= 1 || done == p->total);
    if (!draw && !status) return;
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    double elapsed = now - p->t0;
    double eta = done > 0 ? elapsed * (double)(p->total - done) / (double)done : 0;
    if (status) p->last_status = now, write_status(p, done, msg, eta);
    if (!draw) return;
    p->last_draw = now;
    fprintf(stderr, "\r\033[K%s %ld/%ld  %s  %.0fs elapsed, ~%.0fs left", p->label, done, p->total,
            msg, elapsed, eta);
    fflush(stderr);
    p->drawn = true;
}

void progress_line(Progress *p, const char *fmt, ...) {
    clear(p);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

void progress_done(Progress *p) {
    clear(p);
    if (p->status && p->last_status > 0) remove(p->status);   /* a finished bar leaves no status */
    fflush(stderr);
}
