/** # output.h — CSV files that are never half-written
 *
 * Every file a lab writes goes first to a temporary name beside its final one and is renamed into
 * place only when complete and flushed. `rename` is atomic on POSIX file systems, so an interrupted
 * run leaves either the previous file or the new one — never half a CSV for a plot to choke on.
 * A program that stops while files are open — exit() from deep in a lab, Ctrl-C, SIGTERM —
 * deletes their temporary files on the way out.
 *
 * Two files are written by every lab into its output directory:
 * - `results.csv` (`key,value`): the headline numbers, always with `seed`, `mode` and `seconds`;
 * - `claims.csv` (`id,holds,measured,statement`): each qualitative claim of the chapter, judged by
 *   the lab from its own measurements.
 *
 * Numbers that are not finite (a diverged run) are written as the word `diverged`, never as `nan`
 * or `inf`, so that no plot draws them as numbers.
 */
#ifndef NN_OUTPUT_H
#define NN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    FILE *f;
    char path[1024];
    char tmp[1100];
} OutFile;

bool make_dirs(const char *path);                 /* mkdir -p; prints a sentence on failure */
bool out_open(OutFile *o, const char *path);      /* prints a sentence and returns false on failure */
bool out_commit(OutFile *o);                      /* flush, close, rename into place */
void out_abort(OutFile *o);                       /* close and delete the temporary file */

typedef struct {
    OutFile file;
    int ncols;
} Csv;

bool csv_open(Csv *c, const char *path, const char *header);
/* One row; `types` has one letter per column: d int, l long, f double (6 significant digits),
 * g double (9 significant digits, exact for float), s string (quoted when it needs to be). */
void csv_row(Csv *c, const char *types, ...);
bool csv_close(Csv *c);
/* Format a number as csv_row does ('f' or 'g'); "diverged" when not finite. */
void csv_format_num(char *buf, size_t size, double v, char type);

typedef struct {
    char *text;
    size_t len, cap;
    int count, held;   /* claims only: how many, and how many hold */
} KeyValues;

typedef KeyValues Results;
typedef KeyValues Claims;

void results_num(Results *r, const char *key, double v);
void results_int(Results *r, const char *key, long v);
void results_str(Results *r, const char *key, const char *v);
bool results_write(Results *r, const char *dir);   /* dir/results.csv */
/* Look a key up in a results.csv that is already written (NULL if absent). */
bool results_read(const char *path, const char *key, char *value, size_t size);

void claims_add(Claims *c, const char *id, bool holds, double measured, const char *statement);
bool claims_write(Claims *c, const char *dir);     /* dir/claims.csv */

void keyvalues_free(KeyValues *kv);

#endif
