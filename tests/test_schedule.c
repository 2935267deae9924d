/** Tests of schedule.c: the values PyTorch's schedulers give. */
#include "check.h"

/* tests/golden/torch_golden.txt, "Learning-rate schedules, base lr 0.1, value used at epochs 0..11" */
static void check(const Schedule *s, const double want[12], const char *what) {
    double got[12];
    for (int t = 0; t < 12; t++) got[t] = schedule_lr(s, t);
    /* computed in double in both builds */
    assert_all_close(got, want, 12, 1e-9, 1e-3, what);
}

Test(schedule, step_matches_pytorch) {
    static const double want[12] = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125};
    Schedule s = schedule_step(0.1, 3, 0.5);
    check(&s, want, "StepLR");
}

Test(schedule, exponential_matches_pytorch) {
    static const double want[12] = {0.1, 0.08, 0.064, 0.0512, 0.04096, 0.032768, 0.0262144, 0.02097152,
                                    0.016777216, 0.0134217728, 0.01073741824, 0.008589934592};
    Schedule s = schedule_exp(0.1, 0.8);
    check(&s, want, "ExponentialLR");
}

Test(schedule, cosine_matches_pytorch) {
    static const double want[12] = {0.1, 0.0975772975566, 0.0905463412216, 0.0795953699885,
                                    0.0657963412216, 0.0505, 0.0352036587784, 0.0214046300115,
                                    0.0104536587784, 0.00342270244339, 0.001, 0.00342270244339};
    Schedule s = schedule_cosine(0.1, 10, 0.001);
    check(&s, want, "CosineAnnealingLR");
}

Test(schedule, sgdr_matches_pytorch) {
    static const double want[12] = {0.1, 0.0855017856687, 0.0505, 0.0154982143313, 0.1, 0.0962320368593,
                                    0.0855017856687, 0.0694428299021, 0.0505, 0.0315571700979,
                                    0.0154982143313, 0.00476796314069};
    Schedule s = schedule_sgdr(0.1, 4, 2, 0.001);
    check(&s, want, "CosineAnnealingWarmRestarts");
}

Test(schedule, onecycle_matches_pytorch) {
    static const double want[12] = {0.004, 0.034978965422, 0.0879285159122, 0.0994415435451,
                                    0.0933012969841, 0.081174565395, 0.0647378997695, 0.0462637102667,
                                    0.0283060998209, 0.0133477530189, 0.00345669874254, 4e-07};
    Schedule s = schedule_onecycle(0.1, 12);
    /* the last value, 4e-7, is below the floor: compared absolutely at 1e-12 */
    check(&s, want, "OneCycleLR");
}

Test(schedule, linear_warmup_matches_pytorch) {
    static const double want[12] = {0.01, 0.0325, 0.055, 0.0775, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
    Schedule s = schedule_warmup(0.1, 0.1, 4);
    check(&s, want, "LinearLR");
}

Test(schedule, constant_is_constant) {
    Schedule s = schedule_constant(0.03);
    for (int t = 0; t < 100; t += 7) cr_assert(schedule_lr(&s, t) == 0.03);
}

Test(schedule, warmup_cosine_rises_then_falls) {
    Schedule s = schedule_warmup_cosine(0.1, 10, 110, 0.0);
    cr_assert(schedule_lr(&s, 0) == 0, "starts at start_factor * lr = 0");
    cr_assert(close_to(schedule_lr(&s, 5), 0.05, 1e-12, 1), "halfway up the ramp");
    cr_assert(close_to(schedule_lr(&s, 10), 0.1, 1e-12, 1), "peak after warm-up");
    cr_assert(close_to(schedule_lr(&s, 60), 0.05, 1e-12, 1), "halfway down the cosine");
    cr_assert(close_to(schedule_lr(&s, 110), 0.0, 1e-12, 1), "ends at eta_min");
    for (int t = 11; t <= 110; t++) cr_assert(schedule_lr(&s, t) <= schedule_lr(&s, t - 1));
}

Test(schedule, names_round_trip) {
    for (int k = 0; k < SCHED_NKINDS; k++) {
        SchedKind out;
        cr_assert(schedule_parse(schedule_name((SchedKind)k), &out) && out == (SchedKind)k);
    }
}
