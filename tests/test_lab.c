/** Tests of lab.c: the command line every lab shares. */
#include "check.h"

#include <string.h>
#include <unistd.h>

static const char *epochs_help = "epochs to train";

static int parse(Lab *lab, int argc, const char **argv, int *epochs, double *lr, bool *check) {
    *lab = (Lab){.name = "labXX", .title = "test", .seed = 1, .out = "out/labXX", .threads = 1};
    CliOpt extra[] = {{"--epochs", CLI_INT, epochs, epochs_help, 1, 1000},
                      {"--lr", CLI_REAL, lr, "learning rate", 1e-6, 10},
                      {"--check", CLI_BOOL, check, "run the checklist", 0, 0}};
    return cli_parse(lab, argc, (char **)argv, extra, 3);
}

Test(lab, parses_common_and_extra_flags) {
    Lab lab;
    int epochs = 5;
    double lr = 0.1;
    bool check = false;
    const char *argv[] = {"lab", "--quick", "--seed", "42", "--out", "/tmp/x", "--threads", "2",
                          "--epochs", "12", "--lr", "3e-4", "--check"};
    cr_assert(eq(int, parse(&lab, 13, argv, &epochs, &lr, &check), 0));
    cr_assert(lab.quick && lab.seed == 42 && lab.threads == 2 && strcmp(lab.out, "/tmp/x") == 0);
    cr_assert(epochs == 12 && lr == 3e-4 && check);
}

Test(lab, defaults_when_no_flags) {
    Lab lab;
    int epochs = 5;
    double lr = 0.1;
    bool check = false;
    const char *argv[] = {"lab"};
    cr_assert(eq(int, parse(&lab, 1, argv, &epochs, &lr, &check), 0));
    cr_assert(lab.quick == false && lab.seed == 1 && epochs == 5 && lr == 0.1 && !check);
}

Test(lab, bad_flags_give_status_2) {
    const char *cases[][3] = {
        {"lab", "--frobnicate", NULL}, {"lab", "--seed", "abc"},   {"lab", "--seed", "-1"},
        {"lab", "--threads", "0"},     {"lab", "--threads", "2x"}, {"lab", "--epochs", "0"},
        {"lab", "--lr", "fast"},       {"lab", "--lr", "100"},     {"lab", "--out", ""},
        {"lab", "--seed", NULL},
    };
    cr_redirect_stderr();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Lab lab;
        int epochs;
        double lr;
        bool check;
        int argc = cases[i][2] ? 3 : 2;
        cr_assert(eq(int, parse(&lab, argc, cases[i], &epochs, &lr, &check), 2), "case %zu: %s %s", i,
                  cases[i][1], cases[i][2] ? cases[i][2] : "");
    }
}

Test(lab, help_asks_to_exit_cleanly) {
    Lab lab;
    int epochs;
    double lr;
    bool check;
    const char *argv[] = {"lab", "--help"};
    cr_redirect_stdout();
    cr_assert(eq(int, parse(&lab, 2, argv, &epochs, &lr, &check), -1));
}

Test(lab, start_exits_2_on_a_bad_flag, .exit_code = 2) {
    Lab lab;
    char *argv[] = {"lab99", "--sede", "3", NULL};
    cr_redirect_stderr();
    lab_start(&lab, 3, argv, "lab99", "test lab", NULL, 0);
}

Test(lab, start_and_finish_write_results_and_claims) {
    char dir[TMPDIR_SIZE];
    test_tmpdir(dir, "lab");
    char out[TMPDIR_SIZE + 16];
    snprintf(out, sizeof out, "%s/nested", dir);
    char *argv[] = {"lab99", "--quick", "--seed", "9", "--out", out, "--threads", "1", NULL};
    Lab lab;
    cr_redirect_stdout();
    lab_start(&lab, 8, argv, "lab99", "test lab", NULL, 0);
    claims_add(&lab.claims, "c1", true, 2.0, "a claim");
    cr_assert(eq(int, lab_finish(&lab), 0));
    char path[TMPDIR_SIZE + 32], v[64];
    snprintf(path, sizeof path, "%s/results.csv", out);
    cr_assert(results_read(path, "seed", v, sizeof v) && strcmp(v, "9") == 0);
    cr_assert(results_read(path, "mode", v, sizeof v) && strcmp(v, "quick") == 0);
    cr_assert(results_read(path, "seconds", v, sizeof v));
    snprintf(path, sizeof path, "%s/claims.csv", out);
    cr_assert(access(path, F_OK) == 0);
}
