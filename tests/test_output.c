/** Tests of output.c: atomic CSV files, "diverged" for non-finite numbers, results and claims. */
#include "check.h"

#include <string.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[TMPDIR_SIZE];

static void make_tmpdir(void) {
    test_tmpdir(dir, "output");
}

static char *slurp(const char *path) {
    static char buf[4096];
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static bool exists(const char *path) { return access(path, F_OK) == 0; }

Test(output, csv_appears_only_when_closed, .init = make_tmpdir) {
    char path[TMPDIR_SIZE + 32];
    snprintf(path, sizeof path, "%s/train.csv", dir);
    Csv c;
    cr_assert(csv_open(&c, path, "epoch,loss,name"));
    csv_row(&c, "dfs", 1, 0.5, "relu");
    cr_assert(not(exists(path)), "the final name must not exist before close");
    cr_assert(exists(c.file.tmp));
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s", c.file.tmp);
    cr_assert(csv_close(&c));
    cr_assert(exists(path) && !exists(tmp));
    cr_assert(eq(str, slurp(path), "epoch,loss,name\n1,0.5,relu\n"));
}

Test(output, aborted_file_leaves_nothing, .init = make_tmpdir) {
    char path[TMPDIR_SIZE + 32];
    snprintf(path, sizeof path, "%s/x.csv", dir);
    Csv c;
    cr_assert(csv_open(&c, path, "a"));
    csv_row(&c, "d", 1);
    out_abort(&c.file);
    cr_assert(not(exists(path)));
    cr_assert(not(exists(c.file.tmp)));
}

Test(output, non_finite_numbers_are_diverged, .init = make_tmpdir) {
    char path[TMPDIR_SIZE + 32];
    snprintf(path, sizeof path, "%s/d.csv", dir);
    Csv c;
    csv_open(&c, path, "a,b,c,d");
    csv_row(&c, "fffg", NAN, INFINITY, -0.0, 1.0 / 3);
    csv_close(&c);
    cr_assert(eq(str, slurp(path), "a,b,c,d\ndiverged,diverged,0,0.333333333\n"));
}

Test(output, strings_are_quoted_when_needed, .init = make_tmpdir) {
    char path[TMPDIR_SIZE + 32];
    snprintf(path, sizeof path, "%s/q.csv", dir);
    Csv c;
    csv_open(&c, path, "a,b");
    csv_row(&c, "ss", "plain", "has, comma and \"quotes\"");
    csv_close(&c);
    cr_assert(eq(str, slurp(path), "a,b\nplain,\"has, comma and \"\"quotes\"\"\"\n"));
}

Test(output, wrong_column_count_aborts, .signal = SIGABRT, .init = make_tmpdir) {
    char path[TMPDIR_SIZE + 32];
    snprintf(path, sizeof path, "%s/w.csv", dir);
    Csv c;
    csv_open(&c, path, "a,b");
    csv_row(&c, "d", 1);
}

Test(output, results_and_claims_files, .init = make_tmpdir) {
    Results r = {0};
    results_int(&r, "seed", 7);
    results_str(&r, "mode", "quick");
    results_num(&r, "acc", 0.953125);
    results_num(&r, "loss", NAN);
    cr_assert(results_write(&r, dir));
    char path[TMPDIR_SIZE + 32], value[64];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    cr_assert(eq(str, slurp(path), "key,value\nseed,7\nmode,quick\nacc,0.953125\nloss,diverged\n"));
    cr_assert(results_read(path, "acc", value, sizeof value) && strcmp(value, "0.953125") == 0);
    cr_assert(not(results_read(path, "ac", value, sizeof value)), "a prefix is not a key");
    keyvalues_free(&r);

    Claims c = {0};
    claims_add(&c, "xor_solved", true, 1.0, "both optimizers solve XOR");
    claims_add(&c, "adam_faster", false, 0.5, "Adam's \"final\" loss is lower");
    cr_assert(eq(int, c.count, 2));
    cr_assert(eq(int, c.held, 1));
    cr_assert(claims_write(&c, dir));
    snprintf(path, sizeof path, "%s/claims.csv", dir);
    cr_assert(eq(str, slurp(path), "id,holds,measured,statement\n"
                                   "xor_solved,1,1,\"both optimizers solve XOR\"\n"
                                   "adam_faster,0,0.5,\"Adam's \"\"final\"\" loss is lower\"\n"));
    keyvalues_free(&c);
}

Test(output, make_dirs_creates_nested_and_refuses_files, .init = make_tmpdir) {
    char path[TMPDIR_SIZE + 32];
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    cr_assert(make_dirs(path));
    cr_assert(make_dirs(path), "an existing directory is fine");
    struct stat st;
    cr_assert(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
    snprintf(path, sizeof path, "%s/file", dir);
    FILE *f = fopen(path, "w");
    fclose(f);
    cr_redirect_stderr();
    cr_assert(not(make_dirs(path)), "a file is not a directory");
}

Test(output, unwritable_place_is_an_error_not_a_crash) {
    Csv c;
    cr_redirect_stderr();
    cr_assert(not(csv_open(&c, "/proc/nnlab/x.csv", "a")));
}

/* A program interrupted with files still open (Ctrl-C, SIGTERM) leaves no temporary file behind.
 * (The exit() path runs the same remover through atexit; it is not forked here, because a forked
 * child of a threaded test process cannot run LeakSanitizer's exit-time check cleanly.) */
static int count_tmp_files(const char *dir) {
    char cmd[TMPDIR_SIZE + 64];
    snprintf(cmd, sizeof cmd, "ls %s | grep -c '\\.tmp\\.'", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (fscanf(p, "%d", &n) != 1) n = -1;
    pclose(p);
    return n;
}

Test(output, an_interrupted_program_removes_its_temporary_files) {
    char dir[TMPDIR_SIZE], path[TMPDIR_SIZE + 16];
    test_tmpdir(dir, "early");
    snprintf(path, sizeof path, "%s/a.csv", dir);
    for (int how = 0; how < 2; how++) {
        pid_t pid = fork();
        if (pid == 0) {
            Csv csv;
            if (!csv_open(&csv, path, "x")) _exit(3);
            csv_row(&csv, "d", 1);
            raise(how == 0 ? SIGINT : SIGTERM);
            _exit(4);
        }
        int status;
        waitpid(pid, &status, 0);
        bool by_signal = WIFSIGNALED(status) && WTERMSIG(status) == (how == 0 ? SIGINT : SIGTERM);
        cr_assert(by_signal, "the child ended otherwise (status %d)", status);
        cr_assert(eq(int, count_tmp_files(dir), 0), "a temporary file was left behind (%s)", how ? "SIGTERM" : "SIGINT");
        cr_assert(access(path, F_OK) != 0, "a half-written file took the final name");
    }
}
