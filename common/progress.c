/** # progress.c */
#include "progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "nn.h"

void progress_init(Progress *p, const char *label, long total) {
    *p = (Progress){.label = label, .total = total, .t0 = nn_seconds(), .tty = isatty(2) == 1};
}

static void clear(Progress *p) {
    if (p->drawn) fprintf(stderr, "\r\033[K");
    p->drawn = false;
}

void progress_step(Progress *p, long done, const char *fmt, ...) {
    if (!p->tty) return;
    double now = nn_seconds();
    if (p->drawn && now - p->last_draw < 0.1 && done < p->total) return;
    p->last_draw = now;
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    double elapsed = now - p->t0;
    double eta = done > 0 ? elapsed * (double)(p->total - done) / (double)done : 0;
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
    fflush(stderr);
}
