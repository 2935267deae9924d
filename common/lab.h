/** # lab.h — what every lab does before and after its experiment
 *
 * Every lab takes the same flags:
 *
 *     --quick        a small, fast configuration (tests and `make labNN QUICK=1`)
 *     --seed N       the seed of every random choice (default 1); printed and recorded
 *     --out DIR      where to write CSV files (default out/labNN)
 *     --threads N    threads (default: the number of cores): BLAS threads, or runs side by side
 *                    in labs that train many independent runs (parallel.h); recorded
 *     --help         usage
 *
 * plus any a lab adds through `CliOpt`. An unknown flag or a bad value prints one sentence and
 * the usage on stderr and exits with status 2.
 */
#ifndef NN_LAB_H
#define NN_LAB_H

#include "output.h"
#include "rng.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum { CLI_BOOL, CLI_INT, CLI_REAL, CLI_STRING } CliKind;

typedef struct {
    const char *name;     /* "--epochs" */
    CliKind kind;
    void *ptr;            /* bool*, int*, double*, const char** */
    const char *help;
    double min, max;      /* accepted range of CLI_INT and CLI_REAL */
} CliOpt;

typedef struct {
    const char *name;     /* "lab01" */
    const char *title;
    bool quick;
    uint64_t seed;
    const char *out;      /* output directory */
    int threads;
    double t0;            /* nn_seconds() at the start */
    Results results;
    Claims claims;
} Lab;

/* Parse the flags (exits 0 after --help, 2 on a bad flag), create the output directory (exits 1
 * if it cannot), set the thread count, print a banner with the seed, start the clock, and put
 * seed, mode, threads, gemm backend and precision into lab->results. */
void lab_start(Lab *lab, int argc, char **argv, const char *name, const char *title,
               const CliOpt *extra, int nextra);
/* A path inside the output directory. */
const char *lab_path(const Lab *lab, const char *file, char *buf, size_t size);
/* Record `seconds`, write results.csv and claims.csv, print the claims; returns main's status:
 * 0, or 1 if a file could not be written. */
int lab_finish(Lab *lab);

/* Run `run` (which prints its own reason on failure and returns non-zero), then lab_finish; on
 * failure nothing is written. The value for main to return. */
int lab_run(Lab *lab, int (*run)(Lab *));

/* Parse flags only (lab_start calls it); returns 0 to go on, or the exit status. */
int cli_parse(Lab *lab, int argc, char **argv, const CliOpt *extra, int nextra);

#endif
