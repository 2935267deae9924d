/** # output.c */
#include "output.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool make_dirs(const char *path) {
    char buf[1024];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        fprintf(stderr, "output directory name too long: %s\n", path);
        return false;
    }
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
                fprintf(stderr, "cannot create directory %s: %s\n", buf, strerror(errno));
                return false;
            }
            *p = c;
            if (c == '\0') break;
        }
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s exists but is not a directory\n", path);
        return false;
    }
    return true;
}

/* The temporary files open right now, so that a program that stops early — exit() from deep in a
 * lab, Ctrl-C, a kill — deletes them instead of leaving *.tmp.PID files beside its outputs. The
 * table is read by a signal handler: entries are whole paths, set before `used` is raised. */
enum { OPEN_MAX = 64 };
static struct {
    pthread_mutex_t mu;
    char tmp[OPEN_MAX][1100];
    volatile sig_atomic_t used[OPEN_MAX];
} open_files = {PTHREAD_MUTEX_INITIALIZER, {{0}}, {0}};

static void remove_open_files(void) {
    for (int i = 0; i < OPEN_MAX; i++)
        if (open_files.used[i]) unlink(open_files.tmp[i]);
}

static void on_signal(int sig) {
    remove_open_files();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_cleanup(void) {
    atexit(remove_open_files);
    int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < 3; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL) signal(sigs[i], on_signal);
    }
}

static void track(const char *tmp, bool open) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_cleanup);
    pthread_mutex_lock(&open_files.mu);
    for (int i = 0; i < OPEN_MAX; i++) {
        if (open && !open_files.used[i]) {
            snprintf(open_files.tmp[i], sizeof open_files.tmp[i], "%s", tmp);
            open_files.used[i] = 1;
            break;
        }
        if (!open && open_files.used[i] && strcmp(open_files.tmp[i], tmp) == 0) {
            open_files.used[i] = 0;
            break;
        }
    }
    pthread_mutex_unlock(&open_files.mu);
}

bool out_open(OutFile *o, const char *path) {
    *o = (OutFile){0};
    if (snprintf(o->path, sizeof o->path, "%s", path) >= (int)sizeof o->path) {
        fprintf(stderr, "output file name too long: %s\n", path);
        return false;
    }
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%ld", path, (long)getpid());
    o->f = fopen(o->tmp, "w");
    if (!o->f) {
        fprintf(stderr, "cannot write %s: %s\n", o->tmp, strerror(errno));
        return false;
    }
    track(o->tmp, true);
    return true;
}

bool out_commit(OutFile *o) {
    if (!o->f) return false;
    bool ok = fflush(o->f) == 0 && !ferror(o->f);
    ok = fclose(o->f) == 0 && ok;
    o->f = NULL;
    if (ok && rename(o->tmp, o->path) == 0) {
        track(o->tmp, false);
        return true;
    }
    fprintf(stderr, "cannot write %s: %s\n", o->path, strerror(errno));
    unlink(o->tmp);
    track(o->tmp, false);
    return false;
}

void out_abort(OutFile *o) {
    if (o->f) fclose(o->f), unlink(o->tmp), track(o->tmp, false);
    o->f = NULL;
}

bool csv_open(Csv *c, const char *path, const char *header) {
    *c = (Csv){0};
    if (!out_open(&c->file, path)) return false;
    c->ncols = 1;
    for (const char *p = header; *p; p++) c->ncols += *p == ',';
    fprintf(c->file.f, "%s\n", header);
    return true;
}

void csv_format_num(char *buf, size_t size, double v, char type) {
    if (!isfinite(v)) snprintf(buf, size, "diverged");
    else snprintf(buf, size, type == 'g' ? "%.9g" : "%.6g", v == 0 ? 0.0 : v);   /* no "-0" */
}

static void put_string(FILE *f, const char *s) {
    if (!strpbrk(s, ",\"\n")) { fputs(s, f); return; }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void csv_row(Csv *c, const char *types, ...) {
    if (!c->file.f) return;
    if ((int)strlen(types) != c->ncols) {
        fprintf(stderr, "%s: row of %d columns, header has %d\n", c->file.path, (int)strlen(types),
                c->ncols);
        abort();
    }
    va_list ap;
    va_start(ap, types);
    char num[64];
    for (const char *t = types; *t; t++) {
        if (t != types) fputc(',', c->file.f);
        switch (*t) {
        case 'd': fprintf(c->file.f, "%d", va_arg(ap, int)); break;
        case 'l': fprintf(c->file.f, "%ld", va_arg(ap, long)); break;
        case 'f': case 'g':
            csv_format_num(num, sizeof num, va_arg(ap, double), *t);
            fputs(num, c->file.f);
            break;
        case 's': put_string(c->file.f, va_arg(ap, const char *)); break;
        default: fprintf(stderr, "csv_row: unknown column type '%c'\n", *t); abort();
        }
    }
    va_end(ap);
    fputc('\n', c->file.f);
}

bool csv_close(Csv *c) { return out_commit(&c->file); }

/* ## key,value collections */
static void append(KeyValues *kv, const char *s) {
    size_t n = strlen(s);
    if (kv->len + n + 1 > kv->cap) {
        size_t cap = kv->cap ? kv->cap : 256;
        while (kv->len + n + 1 > cap) cap *= 2;
        char *grown = realloc(kv->text, cap);
        if (!grown) { fprintf(stderr, "out of memory\n"); exit(1); }
        kv->text = grown;
        kv->cap = cap;
    }
    memcpy(kv->text + kv->len, s, n + 1);
    kv->len += n;
}

void results_str(Results *r, const char *key, const char *v) {
    char line[1024];
    snprintf(line, sizeof line, "%s,%s\n", key, v);
    append(r, line);
    r->count++;
}

void results_num(Results *r, const char *key, double v) {
    char num[64];
    csv_format_num(num, sizeof num, v, 'f');
    results_str(r, key, num);
}

void results_int(Results *r, const char *key, long v) {
    char num[32];
    snprintf(num, sizeof num, "%ld", v);
    results_str(r, key, num);
}

static bool write_text(const char *dir, const char *name, const char *header, const KeyValues *kv) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    OutFile o;
    if (!out_open(&o, path)) return false;
    fprintf(o.f, "%s\n%s", header, kv->text ? kv->text : "");
    return out_commit(&o);
}

bool results_write(Results *r, const char *dir) {
    return write_text(dir, "results.csv", "key,value", r);
}

bool results_read(const char *path, const char *key, char *value, size_t size) {
    FILE *f = fopen(path, "r");
    if (!f) return false;
    char line[1024];
    size_t klen = strlen(key);
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ',') {
            line[strcspn(line, "\n")] = '\0';
            snprintf(value, size, "%s", line + klen + 1);
            found = true;
        }
    }
    fclose(f);
    return found;
}

void claims_add(Claims *c, const char *id, bool holds, double measured, const char *statement) {
    char num[64], line[1024];
    csv_format_num(num, sizeof num, measured, 'f');
    int n = snprintf(line, sizeof line, "%s,%d,%s,", id, holds ? 1 : 0, num);
    /* the statement is free text: quote it */
    size_t used = n > 0 ? (size_t)n : 0;
    line[used++] = '"';
    for (const char *s = statement; *s && used + 3 < sizeof line; s++) {
        if (*s == '"') line[used++] = '"';
        line[used++] = *s;
    }
    line[used++] = '"';
    line[used++] = '\n';
    line[used] = '\0';
    append(c, line);
    c->count++;
    c->held += holds;
    printf("  claim %-22s %s  (measured %s) %s\n", id, holds ? "holds" : "FAILS", num, statement);
}

bool claims_write(Claims *c, const char *dir) {
    return write_text(dir, "claims.csv", "id,holds,measured,statement", c);
}

void keyvalues_free(KeyValues *kv) {
    free(kv->text);
    *kv = (KeyValues){0};
}
