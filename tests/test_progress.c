/** Tests of progress.c: quiet when stderr is not a terminal, except the per-epoch lines. */
#include "check.h"

Test(progress, not_a_tty_prints_only_lines) {
    cr_redirect_stderr();
    Progress p;
    progress_init(&p, "epoch", 10);
    for (int i = 1; i <= 10; i++) progress_step(&p, i, "loss %.3f", 1.0 / i);
    progress_line(&p, "epoch %d: loss %.3f", 1, 0.5);
    progress_done(&p);
    fflush(stderr);
    cr_assert_stderr_eq_str("epoch 1: loss 0.500\n");
}
