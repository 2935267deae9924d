/** # lab.c */
#include "lab.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "gemm.h"
#include "threads.h"

static void usage(FILE *f, const Lab *lab, const CliOpt *extra, int nextra) {
    fprintf(f, "usage: %s [--quick] [--seed N] [--out DIR] [--threads N]", lab->name);
    for (int i = 0; i < nextra; i++)
        fprintf(f, " [%s%s]", extra[i].name, extra[i].kind == CLI_BOOL ? "" : " X");
    fprintf(f, "\n%s\n\n", lab->title);
    fprintf(f, "  --quick        small, fast configuration\n");
    fprintf(f, "  --seed N       random seed (default 1)\n");
    fprintf(f, "  --out DIR      output directory (default out/%s)\n", lab->name);
    fprintf(f, "  --threads N    threads for BLAS or for runs side by side, 1..256 (default: number of cores)\n");
    for (int i = 0; i < nextra; i++) {
        char flag[64];
        snprintf(flag, sizeof flag, "%s%s", extra[i].name, extra[i].kind == CLI_BOOL ? "" : " X");
        fprintf(f, "  %-14s %s\n", flag, extra[i].help);
    }
    fprintf(f, "  --help         this text\n");
}

static bool parse_long(const char *s, long long min, long long max, long long *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) return false;
    *out = v;
    return true;
}

static int bad(const Lab *lab, const CliOpt *extra, int nextra, const char *fmt, const char *arg) {
    fprintf(stderr, "%s: ", lab->name);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    usage(stderr, lab, extra, nextra);
    return 2;
}

int cli_parse(Lab *lab, int argc, char **argv, const CliOpt *extra, int nextra) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        long long v;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout, lab, extra, nextra);
            return -1;
        } else if (strcmp(a, "--quick") == 0) {
            lab->quick = true;
        } else if (strcmp(a, "--seed") == 0 || strcmp(a, "--threads") == 0 ||
                   strcmp(a, "--out") == 0) {
            if (!val) return bad(lab, extra, nextra, "%s needs a value.", a);
            i++;
            if (a[2] == 'o') {
                if (!*val) return bad(lab, extra, nextra, "--out needs a directory name%s.", "");
                lab->out = val;
            } else if (a[2] == 's') {
                if (!parse_long(val, 0, INT64_MAX, &v))
                    return bad(lab, extra, nextra, "--seed takes a non-negative integer, not '%s'.", val);
                lab->seed = (uint64_t)v;
            } else {
                if (!parse_long(val, 1, 256, &v))
                    return bad(lab, extra, nextra, "--threads takes an integer from 1 to 256, not '%s'.", val);
                lab->threads = (int)v;
            }
        } else {
            const CliOpt *o = NULL;
            for (int k = 0; k < nextra; k++)
                if (strcmp(a, extra[k].name) == 0) o = &extra[k];
            if (!o) return bad(lab, extra, nextra, "unknown flag '%s'.", a);
            if (o->kind == CLI_BOOL) { *(bool *)o->ptr = true; continue; }
            if (!val) return bad(lab, extra, nextra, "%s needs a value.", a);
            i++;
            if (o->kind == CLI_STRING) {
                *(const char **)o->ptr = val;
            } else if (o->kind == CLI_INT) {
                if (!parse_long(val, (long long)o->min, (long long)o->max, &v)) {
                    fprintf(stderr, "%s: %s takes an integer from %g to %g, not '%s'.\n", lab->name, a,
                            o->min, o->max, val);
                    usage(stderr, lab, extra, nextra);
                    return 2;
                }
                *(int *)o->ptr = (int)v;
            } else {
                char *end;
                double d = strtod(val, &end);
                if (end == val || *end || !(d >= o->min && d <= o->max)) {
                    fprintf(stderr, "%s: %s takes a number from %g to %g, not '%s'.\n", lab->name, a,
                            o->min, o->max, val);
                    usage(stderr, lab, extra, nextra);
                    return 2;
                }
                *(double *)o->ptr = d;
            }
        }
    }
    return 0;
}

void lab_start(Lab *lab, int argc, char **argv, const char *name, const char *title,
               const CliOpt *extra, int nextra) {
    static char default_out[256];
    setvbuf(stdout, NULL, _IOLBF, 0);   /* each result line as it comes, even into a pipe or a log */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    snprintf(default_out, sizeof default_out, "out/%s", name);
    *lab = (Lab){.name = name, .title = title, .seed = 1, .out = default_out,
                 .threads = cores > 0 ? (int)cores : 1};
    int status = cli_parse(lab, argc, argv, extra, nextra);
    if (status) exit(status < 0 ? 0 : status);
    if (!make_dirs(lab->out)) exit(1);
    threads_set(lab->threads);
    printf("%s: %s\n", name, title);
    printf("seed %llu, %s mode, %d thread%s, gemm %s (%s), output in %s/\n",
           (unsigned long long)lab->seed, lab->quick ? "quick" : "full", lab->threads,
           lab->threads == 1 ? "" : "s", gemm_backend_name(gemm_backend()), REAL_NAME, lab->out);
    fflush(stdout);
    lab->t0 = nn_seconds();
    results_int(&lab->results, "seed", (long)lab->seed);
    results_str(&lab->results, "mode", lab->quick ? "quick" : "full");
    results_int(&lab->results, "threads", lab->threads);
    results_str(&lab->results, "gemm", gemm_backend_name(gemm_backend()));
}

const char *lab_path(const Lab *lab, const char *file, char *buf, size_t size) {
    snprintf(buf, size, "%s/%s", lab->out, file);
    return buf;
}

int lab_finish(Lab *lab) {
    double seconds = nn_seconds() - lab->t0;
    results_num(&lab->results, "seconds", seconds);
    bool ok = results_write(&lab->results, lab->out);
    ok = claims_write(&lab->claims, lab->out) && ok;
    printf("\n%d of %d claims hold; %.1f s; results in %s/\n", lab->claims.held, lab->claims.count,
           seconds, lab->out);
    keyvalues_free(&lab->results);
    keyvalues_free(&lab->claims);
    return ok ? 0 : 1;
}

int lab_run(Lab *lab, int (*run)(Lab *)) {
    int status = run(lab);
    if (status) {   /* the reason is already printed; write nothing half-done */
        keyvalues_free(&lab->results), keyvalues_free(&lab->claims);
        return status;
    }
    return lab_finish(lab);
}
