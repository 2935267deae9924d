/** # Speed {#sec:lab08}
 *
 * **Question.** Where does the time of a training step go, and how close does this C code come
 * to what the machine can do? We first measure the machine's two limits — arithmetic (peak
 * floating-point operations per second) and memory (bytes per second) — then follow matrix
 * multiplication from a triple loop to OpenBLAS, then measure the whole training step: samples
 * per second against the batch size, and the time of each layer. `make bench` runs this lab and,
 * when Python's NumPy is installed, the same MLP written in NumPy next to it.
 */
/* @fold the headers, and Config: the sizes of the experiments in full and quick mode */
#include <string.h>
#include <unistd.h>

#include "data.h"
#include "nnlab.h"
#include "train.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

typedef struct {
    int max_n;            /* largest GEMM size (powers of two from 64) */
    int naive_max, ikj_max;
    int repeats;          /* timed repeats of each measurement (median, min, max) */
    double min_seconds;   /* each timed repeat runs at least this long */
    int max_batch;        /* throughput: batch sizes 1, 2, 4, ..., max_batch */
    int epoch_n;          /* images in "one epoch" */
    int probes;           /* runs of the machine probe (section 1) */
} Config;

static const Config FULL = {.max_n = 2048, .naive_max = 512, .ikj_max = 1024, .repeats = 5, .min_seconds = 0.05,
                            .max_batch = 1024, .epoch_n = 60000, .probes = 1000};
static const Config QUICK = {.max_n = 512, .naive_max = 512, .ikj_max = 512, .repeats = 3, .min_seconds = 0.01,
                             .max_batch = 256, .epoch_n = 6000, .probes = 50};   /* 512: the keys the chapter reads */
/* @end */

enum { CLASSES = 10, IN = 784 };
/* The share of the measured two-core peak an epoch must reach for the claim of section 5. */
static const double EPOCH_PEAK_SHARE = 1.0 / 3;

/* @fold Stat, stat_of(t, n): the median, min and max of n timings (sorts t) */
typedef struct { double med, lo, hi; } Stat;

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static Stat stat_of(double *t, int n) {
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    return (Stat){t[n / 2], t[0], t[n - 1]};
}
/* @end */

/** ## 1. The ceiling
 *
 * **Which machine.** The lab first reads what the processor says about itself (`/proc/cpuinfo`
 * on Linux): its name, how many cores the program sees, the clock it reports, and its widest
 * vector instructions. Every speed below is this machine's, measured in this run; what the
 * chapter claims about speed is a ratio between measurements of the same run.
 *
 * **Arithmetic.** A core of an x86-64 processor with AVX2 can start two fused multiply-adds per
 * cycle, each on 8 floats: at most 32 floating-point operations per cycle, whatever its clock. The
 * loop below keeps `ACC` = 10 independent accumulators busy — a fused multiply-add takes 4–5
 * cycles to finish, so fewer would leave the units waiting — and never touches memory. Run on
 * every core at once, it measures the peak:
 * $$\texttt{peak} = \frac{16 \cdot \texttt{ACC} \cdot \texttt{iters} \cdot t}{\text{seconds}}
 *   \quad\text{on } t \text{ threads (16 flops per 8-float multiply-add).}$$
 */
enum { ACC = 10 };

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) static float fma_loop(long iters, float seed) {
    __m256 acc[ACC], a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
    for (int k = 0; k < ACC; k++) acc[k] = _mm256_set1_ps(seed + (float)k);
    for (long i = 0; i < iters; i++)
        for (int k = 0; k < ACC; k++) acc[k] = _mm256_fmadd_ps(acc[k], a, b);   /* 16 flops each */
    __m256 s = acc[0];
    for (int k = 1; k < ACC; k++) s = _mm256_add_ps(s, acc[k]);
    float out[8];
    _mm256_storeu_ps(out, s);
    return out[0];
}
/* @fold have_fma(): whether the processor has AVX2 and FMA; elsewhere fma_loop does nothing */
static bool have_fma(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#else
static float fma_loop(long iters, float seed) { (void)iters; return seed; }
static bool have_fma(void) { return false; }
#endif
/* @end */

/* @fold Ceiling: what the threads share: the loop's iters; the copy's src, dst, n, copiers */
typedef struct {
    long iters;
    float sink[64];
    const float *src;   /* the bandwidth test's arrays */
    float *dst;
    size_t n;
    int copiers;        /* 1: one thread copies it all; 2: each copies half */
} Ceiling;
/* @end */

static void fma_job(void *ctx, int job, int worker) {
    (void)worker;
    Ceiling *c = ctx;
    c->sink[job] = fma_loop(c->iters, (float)job);
}

/** **Memory.** A STREAM-style copy `dst[i] = src[i]` over arrays of 64 MiB each, far larger than
 * any cache: every byte comes from and goes to main memory. We count 8 bytes per element (one read,
 * one write), as STREAM does: $\texttt{bandwidth} = 8\,\texttt{n} / \text{seconds}$. Each rate is
 * the best of a few repeats on one thread and on two. */
static void copy_job(void *ctx, int job, int worker) {
    (void)worker;
    Ceiling *c = ctx;
    size_t lo = c->n * (size_t)job / c->copiers, hi = c->n * (size_t)(job + 1) / c->copiers;
    memcpy(c->dst + lo, c->src + lo, (hi - lo) * sizeof(float));
}

/* @fold machine_probe(): name, cores, clock, vectors, hypervisor flag, from /proc/cpuinfo */
typedef struct {
    char model[128], simd[32];
    double mhz;   /* the clock the kernel reports (0: unknown) */
    int cores;
    bool virtual_;   /* the processor reports the hypervisor flag */
} Machine;

static Machine machine_probe(void) {
    Machine m = {.model = "unknown processor", .simd = "no AVX2", .cores = (int)sysconf(_SC_NPROCESSORS_ONLN)};
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[4096];
    bool avx512 = false, avx2 = false;
    while (f && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!colon) continue;
        char *v = colon + 1 + strspn(colon + 1, " \t");
        v[strcspn(v, "\n")] = 0;
        if (!strncmp(line, "model name", 10) && !strcmp(m.model, "unknown processor"))
            snprintf(m.model, sizeof m.model, "%s", v);
        else if (!strncmp(line, "cpu MHz", 7) && m.mhz == 0)
            m.mhz = atof(v);
        else if (!strncmp(line, "flags", 5)) {
            avx512 = avx512 || strstr(v, " avx512f") != NULL;
            avx2 = avx2 || strstr(v, " avx2") != NULL;
            m.virtual_ = m.virtual_ || strstr(v, " hypervisor") != NULL;
        }
    }
    if (f) fclose(f);
    for (char *c = m.model; *c; c++)
        if (*c == ',' || *c == '"') *c = ' ';   /* the value goes into a CSV cell */
    snprintf(m.simd, sizeof m.simd, "%s", avx512 ? "AVX-512" : avx2 ? "AVX2" : "no AVX2");
    return m;
}
/* @end */

/** The section times each loop `repeats` times, on one thread and on two, and keeps the fastest
 * run: a ceiling is the best the machine gives, not its usual pace. */
static void section_ceiling(Lab *lab, const Config *cfg, double peak[2], double *bandwidth) {
    /* @fold reads the machine (machine_probe), prints and records it */
    Machine m = machine_probe();
    printf("  machine: %s, %d cores seen, %.0f MHz reported, %s\n", m.model, m.cores, m.mhz, m.simd);
    results_str(&lab->results, "cpu_model", m.model);
    results_int(&lab->results, "cpu_cores", m.cores);
    results_num(&lab->results, "cpu_ghz", m.mhz / 1000);
    results_str(&lab->results, "cpu_simd", m.simd);
    results_str(&lab->results, "cpu_virtual", m.virtual_ ? "a virtual machine (the processor reports the hypervisor flag)"
                                                         : "not marked as a virtual machine (no hypervisor flag)");
    /* @end */
    Ceiling c = {.iters = 20000000};
    for (int t = 1; t <= 2; t++) {
        double times[9];
        for (int r = 0; r < cfg->repeats; r++) {
            double t0 = nn_seconds();
            parallel_run(t, t, fma_job, &c, NULL);
            times[r] = nn_seconds() - t0;
        }
        Stat s = stat_of(times, cfg->repeats);
        peak[t - 1] = have_fma() ? 16.0 * ACC * c.iters * t / s.lo * 1e-9 : NAN;   /* the best */
    }
    c.n = (size_t)16 << 20;   /* 64 MiB of floats */
    /* @fold allocates src and dst, fills src */
    float *src = nn_calloc(c.n, sizeof(float)), *dst = nn_calloc(c.n, sizeof(float));
    for (size_t i = 0; i < c.n; i++) src[i] = (float)i;
    /* @end */
    c.src = src, c.dst = dst;
    double bw[2];
    for (int t = 1; t <= 2; t++) {
        c.copiers = t;
        /* @fold times[]: copy_job on t threads, timed repeats times as above */
        double times[9];
        for (int r = 0; r < cfg->repeats; r++) {
            double t0 = nn_seconds();
            parallel_run(t, t, copy_job, &c, NULL);
            times[r] = nn_seconds() - t0;
        }
        /* @end */
        bw[t - 1] = 8.0 * c.n / stat_of(times, cfg->repeats).lo * 1e-9;
    }
    *bandwidth = fmax(bw[0], bw[1]);
    /* @fold frees the arrays, prints and records both rates */
    free(src), free(dst);
    printf("  peak: %.1f GFLOP/s on 1 core, %.1f on 2 (float, fused multiply-add)\n", peak[0], peak[1]);
    printf("  memory: copy at %.1f GB/s on 1 thread, %.1f on 2\n", bw[0], bw[1]);
    results_num(&lab->results, "bandwidth_gbs_1", bw[0]);
    results_num(&lab->results, "bandwidth_gbs_2", bw[1]);
    /* @end */
}


/** **The machine.** This run's processor calls itself {{lab08:cpu_model|raw}}; the program saw
 * {{lab08:cpu_cores|int}} cores, a reported clock of {{lab08:cpu_ghz|g3}} GHz, and
 * {{lab08:cpu_simd|raw}} as its widest vector instructions; it is {{lab08:cpu_virtual|raw}}.
 *
 * **The ceiling.** The fused multiply-add loop runs at {{lab08:peak_gflops_1|g3}} GFLOP/s on one
 * core and {{lab08:peak_gflops_2|g3}} on two (the best of a few long runs and of the short
 * probes below, which can catch the machine at a better moment). How does that square with 32
 * flops per cycle? Divided by 32, the one-core rate is the clock the loop would need,
 * {{lab08:implied_ghz|g3}} GHz, against the {{lab08:cpu_ghz|g3}} GHz the processor reports. The
 * reported clock is only what the operating system was told: a core may turbo above it (the
 * needed clock is then higher than the reported one), and a virtual machine's core may share its
 * cycles with a neighbour or clock down under wide vector work (then it is lower). So the peak
 * used from here on is this measured rate, never 32 × the reported clock. (On a processor with two
 * full-width AVX-512 units the true peak is up to twice this 8-float loop's; the own kernel uses
 * 8-float vectors too.) The copy moves {{lab08:bandwidth_gbs_1|g3}} GB/s on one thread and
 * {{lab08:bandwidth_gbs_2|g3}} on two. The two-core peak over the better of the two bandwidths
 * is the *machine balance*,
 * $$\text{balance} = \frac{\texttt{peak[1]}}{\texttt{bandwidth}},$$
 * here {{lab08:machine_balance|g2}} flops per byte: a kernel that does fewer operations per byte
 * it moves from memory cannot reach the peak, whatever its code. ReLU does one per 8 bytes.
 * Adam's update (Lab 7) reads the weight $p$, its gradient $g$ and both moments $m$ and $v$, and
 * writes back $p$, $m$ and $v$: 7 floats, 28 bytes, for about 15 operations (a square root and a
 * division among them),
 * $$\frac{15 \text{ flops}}{4 \cdot (4 + 3) \text{ bytes}} \approx 0.5 \text{ flops per byte},$$
 * far below the balance: the optimizer is paced by memory, not by arithmetic.
 *
 * **Is the machine the same from one second to the next?** On a virtual machine the cores are
 * threads of a larger host that runs other machines too, and what they share with those
 * neighbours comes and goes. The peak above is the best of a few repeats, so it hides this.
 * The probe below shows it: it runs {{lab08:probes|int}} times in a row, and each time it measures
 * three things for a millisecond or two: the fused multiply-add loop on one thread, the same loop on two
 * threads at once, and one thread reading a 256 kB array (which fits in this core's L2 cache) ten
 * times over. Each is recorded as a fraction of its best: of the one-core peak, of twice that,
 * and of the fastest read among the probes. On a machine of its own every fraction would stay
 * near 1. */
/* @fold Probe: the loop's iters, the cached array (CACHE_N floats), each thread's GFLOP/s */
typedef struct {
    long iters;           /* of the FMA loop: 168 Mflop, under 2 ms at 100 GFLOP/s */
    const float *cache;   /* CACHE_N floats */
    double gflops[2];     /* each thread's own rate */
    float sink[2];
} Probe;

enum { CACHE_N = 64 * 1024, CACHE_READS = 10 };
/* @end */

static void probe_job(void *ctx, int job, int worker) {
    (void)worker;
    Probe *p = ctx;
    double t0 = nn_seconds();
    p->sink[job] = fma_loop(p->iters, (float)job);
    p->gflops[job] = 16.0 * ACC * p->iters / (nn_seconds() - t0) * 1e-9;
}

/* @fold read_sum(x, n, reads): sums x[0..n) reads times, paced by the loads (AVX2 if present) */
/* Reads x[0..n) reads times (n a multiple of 32) into separate sums, so that the loads, not
 * the adds, set the pace; returns the sum. The plain loop is the twin the AVX2 one is tested
 * against, and what runs where the processor has no AVX2. */
static float read_sum_plain(const float *x, int n, int reads) {
    float s[8] = {0};
    for (int r = 0; r < reads; r++)
        for (int i = 0; i < n; i += 8)
            for (int j = 0; j < 8; j++) s[j] += x[i + j];
    return s[0] + s[1] + s[2] + s[3] + s[4] + s[5] + s[6] + s[7];
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static float read_sum_avx2(const float *x, int n, int reads) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    for (int r = 0; r < reads; r++)
        for (int i = 0; i < n; i += 32) {
            s0 = _mm256_add_ps(s0, _mm256_loadu_ps(x + i)), s1 = _mm256_add_ps(s1, _mm256_loadu_ps(x + i + 8));
            s2 = _mm256_add_ps(s2, _mm256_loadu_ps(x + i + 16)), s3 = _mm256_add_ps(s3, _mm256_loadu_ps(x + i + 24));
        }
    float out[8];
    _mm256_storeu_ps(out, _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    return out[0] + out[1] + out[2] + out[3] + out[4] + out[5] + out[6] + out[7];
}
static bool have_avx2(void) { return __builtin_cpu_supports("avx2"); }
#else
static float read_sum_avx2(const float *x, int n, int reads) { return read_sum_plain(x, n, reads); }
static bool have_avx2(void) { return false; }
#endif

static float read_sum(const float *x, int n, int reads) {
    return have_avx2() ? read_sum_avx2(x, n, reads) : read_sum_plain(x, n, reads);
}
/* @end */

/* @fold ProbeResult: the one- and two-thread GFLOP/s, the read's GB/s */
/* One probe: the one-thread and two-thread FMA rates as fractions of the peak (peak1 per core),
 * and the read rate of the cached array in GB/s. */
typedef struct { double one, two, read_gbs; } ProbeResult;
/* @end */

static ProbeResult probe_once(Probe *p) {
    ProbeResult r = {NAN, NAN, NAN};   /* GFLOP/s; without FMA (no AVX2), only the read is measured */
    if (have_fma()) probe_job(p, 0, 0), r.one = p->gflops[0];
    double t0 = nn_seconds();
    p->sink[0] = read_sum(p->cache, CACHE_N, CACHE_READS);
    r.read_gbs = (double)CACHE_READS * CACHE_N * sizeof(float) / (nn_seconds() - t0) * 1e-9;
    if (have_fma()) parallel_run(2, 2, probe_job, p, NULL), r.two = p->gflops[0] + p->gflops[1];
    return r;
}

/* The probes can catch the machine at a better moment than the few repeats of the ceiling did:
 * the peaks become the best of both, and the fractions are taken of those. */
static bool section_probe(Lab *lab, const Config *cfg, double peak[2]) {
    /* @fold allocates the cached array (CACHE_N floats) and fills it */
    float *cache = nn_calloc(CACHE_N, sizeof(float));
    for (int i = 0; i < CACHE_N; i++) cache[i] = (float)(i % 7);
    /* @end */
    Probe p = {.iters = 1 << 20, .cache = cache};
    ProbeResult *r = nn_calloc((size_t)cfg->probes, sizeof *r);
    double *at = nn_calloc((size_t)cfg->probes, sizeof(double)), t0 = nn_seconds(), best_read = 0;
    for (int i = 0; i < cfg->probes; i++) {
        at[i] = nn_seconds() - t0;
        r[i] = probe_once(&p);
        best_read = fmax(best_read, r[i].read_gbs);
    }
    double seconds = nn_seconds() - t0;
    for (int i = 0; i < cfg->probes; i++)
        if (have_fma()) peak[0] = fmax(peak[0], r[i].one), peak[1] = fmax(peak[1], r[i].two);
    /* @fold probe.csv: each probe as a fraction of the best; medians and shortfalls recorded */
    double peak1 = peak[0];
    for (int i = 0; i < cfg->probes; i++) r[i].one /= peak1, r[i].two /= 2 * peak1;
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "probe.csv", path, sizeof path), "seconds,fma_one,fma_two,cache_read")) return false;
    double *two = nn_calloc((size_t)cfg->probes, sizeof(double));
    double *read = nn_calloc((size_t)cfg->probes, sizeof(double));
    int one_core = 0, slow_read = 0;
    for (int i = 0; i < cfg->probes; i++) {
        two[i] = r[i].two, read[i] = r[i].read_gbs / best_read;
        one_core += two[i] < 0.75;   /* two threads got less than 1.5 cores' worth */
        slow_read += read[i] < 0.85;
        csv_row(&csv, "ffff", at[i], r[i].one, two[i], read[i]);
    }
    if (!csv_close(&csv)) return false;
    double two_med = stat_of(two, cfg->probes).med, read_med = stat_of(read, cfg->probes).med;
    printf("  probe, %d times over %.1f s: two threads got %.0f%% of two cores (median; under 75%% in %.0f%% of\n"
           "  the probes); reading the cached array ran at %.0f%% of its best %.0f GB/s (under 85%% in %.0f%%)\n",
           cfg->probes, seconds, 100 * two_med, 100.0 * one_core / cfg->probes, 100 * read_med, best_read,
           100.0 * slow_read / cfg->probes);
    results_int(&lab->results, "probes", cfg->probes);
    results_num(&lab->results, "probe_seconds", seconds);
    results_num(&lab->results, "probe_two_median", two_med);
    results_num(&lab->results, "probe_one_core_share", (double)one_core / cfg->probes);
    results_num(&lab->results, "probe_read_best_gbs", best_read);
    results_num(&lab->results, "probe_read_median", read_med);
    results_num(&lab->results, "probe_slow_read_share", (double)slow_read / cfg->probes);
    free(two), free(read), free(at), free(r), free(cache);
    /* @end */
    return true;
}

/** @fig:lab08-probe shows what the machine gave from one millisecond to the next: over
 * {{lab08:probe_seconds|g2}} s of probes, two threads got {{lab08:probe_two_median|pct}} of two
 * cores' multiply-adds at the median, and less than three quarters in
 * {{lab08:probe_one_core_share|pct}} of the probes; reading an array held in the L2 cache ran at
 * {{lab08:probe_read_median|pct}} of its best speed ({{lab08:probe_read_best_gbs|g3}} GB/s) at the
 * median, and under 85% of it in {{lab08:probe_slow_read_share|pct}} of the probes. The probe does
 * the same work every time; what changes is the machine under it. A drop of the two-thread rate to
 * one core's worth is what two threads sharing one physical core look like, and slower reads from
 * a cache are what a neighbour using the same core's caches looks like — a virtual machine cannot
 * tell which, only that it happens. Every timing below is therefore a median over repeats, and two
 * runs of this lab a few minutes apart can disagree on the same code.
 *
 * ![The machine probe over time: each point is one measurement of a millisecond or two, as a
 * fraction of the best — the multiply-add loop on one thread (of the one-core peak) and on two
 * (of twice that), and one thread reading a 256 kB array from the L2 cache (of the fastest
 * read).](lab08_probe){#fig:lab08-probe}
 */

/** ## 2. GEMM, step by step
 *
 * A product $C = AB$ with $A$ of $M \times K$ and $B$ of $K \times N$ (the shapes `gemm` takes)
 * does a multiply and an add for every $i$, $j$ and $k$, and must at least read $A$ and $B$ and
 * write $C$, 4 bytes per float:
 * $$\text{flops} = 2MNK, \qquad \text{bytes} \ge 4\,(MK + KN + MN), \qquad
 *   I = \frac{\text{flops}}{\text{bytes}} \;\overset{M = N = K = n}{=}\; \frac{2n^3}{12n^2} = \frac{n}{6}.$$
 * This *arithmetic intensity* $I$ (the `intensity` column of `gemm.csv`) grows with $n$. On a
 * roofline plot (flops per second against intensity) the machine allows at most
 * $$P(I) = \min(\texttt{peak},\; I \cdot \texttt{bandwidth}),$$
 * a slope while memory limits and a flat roof once arithmetic does; they meet at the machine
 * balance of section 1. Large GEMMs sit far right of that ridge, so only the arithmetic limits
 * them — if the code reuses what it loads, rather than fetching every operand from memory again.
 * Six versions:
 *
 * 1. **naive i-j-k** (`gemm_naive`): the inner loop walks down a column of $B$, one cache line
 *    (16 floats) fetched per useful float; nothing is vectorized.
 * 2. **i-k-j** (`gemm_ikj`, below): the same arithmetic, loops swapped so the inner loop runs along
 *    a row of $B$ and of $C$ — contiguous, so the compiler vectorizes it and every fetched line is
 *    used whole.
 * 3. **own, blocked** (`gemm_own`, one thread): Goto's algorithm, below.
 * 4. **own, 2 threads**: $C$ cut into chunks that the two cores take as they come.
 * 5. and 6. **OpenBLAS** on 1 and 2 threads: the same algorithm, tuned by hand per processor.
 *
 * **Blocking.** The own kernel cuts $K$ into slabs of `KC` = 256, $N$ into panels of `NC` = 1024
 * and $M$ into blocks of `MC` = 96, and copies (*packs*) each slab of $B$ into strips `NR` = 16
 * columns wide, stored so that the innermost code reads them as one contiguous stream. Its five
 * loops are the whole algorithm:
 *
 * @include common/gemm.c:own_serial
 *
 * Each loop keeps something in a cache while the loops inside it run: a packed strip of $B$,
 * `kc` × `NR` floats (16 kB), stays in the L1 cache while `is` walks down all the strips of $A$ in
 * the block; the block of $A$, `MC` × `KC` floats (96 kB), stays in L2 while `js` walks across the
 * panel. From memory, then, $B$ is read once, $A$ once per panel of `NC` columns, and $C$ read and
 * written once per slab of `KC`:
 * $$\text{bytes} \approx 4\,\big(KN + MK \lceil N/\texttt{NC} \rceil + 2MN \lceil K/\texttt{KC} \rceil\big),$$
 * which for $n = 512$ is $4 \cdot 6n^2$: an intensity of $n/12 \approx 43$ flops per byte, well
 * right of the ridge. The packing itself is a copy, strip by strip (a transposed $B$ goes through
 * an 8 × 8 transpose in AVX2 registers, `pack_bt_avx2`):
 *
 * @include common/gemm.c:pack_b
 *
 * **The micro-kernel** holds an `MR` × `NR` = 6 × 16 tile of $C$ in twelve 8-float registers
 * (`c00` to `c51`) and adds one outer product per $k$: two vectors of the packed strip of $B$,
 * and one number of each of the six rows of $A$ broadcast to a vector. Per $k$ it loads
 * `MR` + `NR` = 22 floats and does $2 \cdot \texttt{MR} \cdot \texttt{NR} = 192$ flops,
 * $$\frac{2\,\texttt{MR}\,\texttt{NR}}{\texttt{MR} + \texttt{NR}} = \frac{192}{22} \approx 8.7
 *   \text{ flops per float loaded},$$
 * and the twelve multiply-adds per $k$ are independent, so the two units never wait. The
 * intrinsics are folded; the rest of it is the loop:
 *
 * @include common/gemm.c:micro_avx2
 *
 * **Two threads.** `gemm_own` cuts $C$ into chunks, four per thread, and `parallel_chunks` lets
 * the threads take them as they come. When the packed $B$ fits in half an L2 cache — most products of a
 * training step at batch 64 — both threads first pack it together, once, and the chunks are rows
 * of $C$ that share it; otherwise the chunks are columns, and each thread packs its own part of
 * $B$. Products under $2^{21}$ flops stay on one thread: handing out work costs microseconds.
 *
 * @include common/gemm.c:gemm_own
 *
 * The i-k-j loop, and how each version is timed: the median over `repeats` timings, each of
 * enough calls to last `min_seconds`.
 */
static void gemm_ikj(int n, const real *A, const real *B, real *C) {
    memset(C, 0, (size_t)n * n * sizeof(real));
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            real a = A[(size_t)i * n + k];
            const real *b = B + (size_t)k * n;
            real *c = C + (size_t)i * n;
            for (int j = 0; j < n; j++) c[j] += a * b[j];
        }
}

/* @fold NMETHODS = 6, and their names (METHOD) and keys in the results (METHOD_KEY) */
enum { NMETHODS = 6 };
static const char *const METHOD[NMETHODS] = {"naive ijk", "ikj", "own 1 thread", "own 2 threads",
                                             "OpenBLAS 1 thread", "OpenBLAS 2 threads"};
static const char *const METHOD_KEY[NMETHODS] = {"naive", "ikj", "own1", "own2", "blas1", "blas2"};
/* @end */

static void run_method(int m, int n, const real *A, const real *B, real *C) {
    if (m == 1) { gemm_ikj(n, A, B, C); return; }
    gemm_set_backend(m == 0 ? GEMM_NAIVE : m <= 3 ? GEMM_OWN : GEMM_BLAS);
    threads_set(m == 3 || m == 5 ? 2 : 1);
    gemm(false, false, n, n, n, 1, A, n, B, n, 0, C, n);
}

/* GFLOP/s of method m at size n: repeats timings, each of enough calls to last min_seconds. */
static Stat time_gemm(int m, int n, const Config *cfg, const real *A, const real *B, real *C) {
    double flops = 2.0 * n * n * (double)n, rates[9];
    run_method(m, n, A, B, C);   /* warm up: caches, pack buffers, threads */
    double t0 = nn_seconds();
    run_method(m, n, A, B, C);
    int calls = (int)fmax(1, ceil(cfg->min_seconds / fmax(nn_seconds() - t0, 1e-9)));
    for (int r = 0; r < cfg->repeats; r++) {
        t0 = nn_seconds();
        for (int c = 0; c < calls; c++) run_method(m, n, A, B, C);
        rates[r] = flops * calls / (nn_seconds() - t0) * 1e-9;
    }
    return stat_of(rates, cfg->repeats);
}

/** The experiment: every size $n$ from 64, doubling up to `max_n`, every method, on the same
 * random $A$ and $B$; the two slow loops stop at `naive_max` and `ikj_max`, where one product
 * would take seconds. The medians go to @tbl:lab08-gemm and, with their intensity $n/6$, to the
 * roofline figure. */
static bool section_gemm(Lab *lab, const Config *cfg, const double peak[2], double bandwidth) {
    /* @fold A and B (max_n x max_n) from N(0, 1), and C; saves the backend and the threads */
    size_t nn = (size_t)cfg->max_n * cfg->max_n;
    real *A = nn_calloc(nn, sizeof(real)), *B = nn_calloc(nn, sizeof(real)), *C = nn_calloc(nn, sizeof(real));
    Rng rng;
    rng_init(&rng, lab->seed);
    for (size_t i = 0; i < nn; i++) A[i] = (real)rng_normal(&rng), B[i] = (real)rng_normal(&rng);
    GemmBackend saved = gemm_backend();
    int saved_threads = threads_get();
    /* @end */
    enum { MAXS = 16 };
    Stat st[NMETHODS][MAXS];
    int ns = 0;
    /* @fold prints the table's header */
    printf("  %-6s", "n");
    for (int m = 0; m < NMETHODS; m++) printf(" %19s", METHOD[m]);
    printf("   (GFLOP/s, median of %d)\n", cfg->repeats);
    /* @end */
    double own512 = NAN, blas512 = NAN, largest[2] = {NAN, NAN};
    for (int n = 64; n <= cfg->max_n && ns < MAXS; n *= 2, ns++) {
        printf("  %-6d", n);
        for (int m = 0; m < NMETHODS; m++) {
            st[m][ns] = (Stat){NAN, NAN, NAN};
            if ((m == 0 && n > cfg->naive_max) || (m == 1 && n > cfg->ikj_max)) {
                printf(" %19s", "-");
                continue;
            }
            Stat s = st[m][ns] = time_gemm(m, n, cfg, A, B, C);
            /* @fold prints and records the median; keeps the values at 512 and at the largest size */
            printf(" %19.1f", s.med);
            if (n == 512 && m == 2) own512 = s.med;
            if (n == 512 && m == 4) blas512 = s.med;
            if (n == cfg->max_n && (m == 3 || m == 5)) largest[m == 5] = s.med;
            char key[64];
            snprintf(key, sizeof key, "gemm_%s_%d", METHOD_KEY[m], n);
            results_num(&lab->results, key, s.med);
            /* @end */
        }
        printf("\n");
    }
    /* @fold writes gemm.csv and gemm_table.csv; records the largest size's rates */
    /* one method after another (the figure's lines), and the same as a table of n by method */
    char path[512];
    Csv csv, table;
    if (!csv_open(&csv, lab_path(lab, "gemm.csv", path, sizeof path),
                  "method,n,intensity,gflops_median,gflops_min,gflops_max,fraction_of_peak") ||
        !csv_open(&table, lab_path(lab, "gemm_table.csv", path, sizeof path), "n,naive,ikj,own1,own2,blas1,blas2"))
        return false;
    for (int m = 0; m < NMETHODS; m++)
        for (int i = 0, n = 64; i < ns; i++, n *= 2)
            if (isfinite(st[m][i].med))
                csv_row(&csv, "sdfffff", METHOD[m], n, n / 6.0, st[m][i].med, st[m][i].lo, st[m][i].hi,
                        st[m][i].med / peak[m == 3 || m == 5]);
    for (int i = 0, n = 64; i < ns; i++, n *= 2) {
        char cell[NMETHODS][32];
        for (int m = 0; m < NMETHODS; m++)
            if (isfinite(st[m][i].med)) snprintf(cell[m], sizeof cell[m], "%.3g", st[m][i].med);
            else snprintf(cell[m], sizeof cell[m], "not run");
        csv_row(&table, "dssssss", n, cell[0], cell[1], cell[2], cell[3], cell[4], cell[5]);
    }
    if (!csv_close(&csv) || !csv_close(&table)) return false;
    results_int(&lab->results, "largest_n", cfg->max_n);
    results_num(&lab->results, "own2_largest", largest[0]);
    results_num(&lab->results, "blas2_largest", largest[1]);
    /* @end */
    /* @fold writes roof.csv, min(peak, I x bandwidth); restores the backend; frees; records */
    /* the roof itself, for the figure: min(peak, intensity x bandwidth) on 1 and 2 cores */
    Csv roof;
    if (!csv_open(&roof, lab_path(lab, "roof.csv", path, sizeof path), "intensity,roof_1,roof_2")) return false;
    for (double ai = 0.25; ai <= 1024; ai *= 1.25)
        csv_row(&roof, "fff", ai, fmin(peak[0], ai * bandwidth), fmin(peak[1], ai * bandwidth));
    if (!csv_close(&roof)) return false;
    gemm_set_backend(saved), threads_set(saved_threads);
    free(A), free(B), free(C);
    results_num(&lab->results, "own_vs_blas_512", own512 / blas512);
    /* @end */
    /* @fold full mode: the claim own_half_of_blas (own >= half of OpenBLAS at 512) */
    /* Speed is a claim of the full run (make bench, make report) only: a test must not time code,
     * and under the sanitizers our kernel is instrumented while OpenBLAS is not. */
    if (!lab->quick) {
        claims_add(&lab->claims, "own_half_of_blas", own512 >= 0.5 * blas512, own512 / blas512,
                   "at 512 x 512 x 512 the own blocked kernel runs at least half as fast as single-threaded "
                   "OpenBLAS [own / OpenBLAS]");
    }
    /* @end */
    return true;
}

/** **GEMM, measured.** @fig:lab08-roofline and @tbl:lab08-gemm follow the six versions. At 512
 * the naive loop manages {{lab08:gemm_naive_512|g2}} GFLOP/s and the i-k-j order
 * {{lab08:gemm_ikj_512|g2}}: the same arithmetic, read along rows. The blocked kernel reaches
 * {{lab08:gemm_own1_512|g3}} on one thread, OpenBLAS {{lab08:gemm_blas1_512|g3}} — the own
 * kernel runs at {{lab08:own_vs_blas_512|pct}} of OpenBLAS's speed. On two threads, at
 * {{lab08:largest_n}}, the own kernel reaches {{lab08:own2_largest|g3}} and OpenBLAS
 * {{lab08:blas2_largest|g3}}. The small sizes are a different story: at 64 a product is over in
 * microseconds, and the cost of starting threads and packing is no longer hidden.
 *
 * OpenBLAS on one thread need not speed up steadily with $n$ either (its column in
 * @tbl:lab08-gemm gives this run); on some runs it is slower at 128 and 256 than at 64. Two
 * reasons, neither of which this chapter can separate with its own measurements: OpenBLAS picks
 * among several code paths by size and processor (some builds run small products through a
 * kernel that skips the packing, which the larger sizes then pay for), and a product of a fraction
 * of a millisecond is the most exposed to the machine's hiccups that the probe of section 1
 * showed. The timings are medians of a few repeats, not of thousands.
 *
 * ![GEMM speed against arithmetic intensity ($n/6$ flops per byte for $n = 64, \dots$); grey: the
 * machine's roof $\min(\text{peak}, I \cdot \text{bandwidth})$ for one core (dashed) and two,
 * from the 8-float multiply-add loop and the copy of section 1. Where OpenBLAS uses wider vectors
 * than that loop, it can rise above the roof.](lab08_roofline){#fig:lab08-roofline}
 *
 * ```{.csv-table #tbl:lab08-gemm file="lab08/gemm_table.csv"
 *    header="n,naive i-j-k,i-k-j,own (1 thread),own (2 threads),OpenBLAS (1),OpenBLAS (2)"
 *    caption="GFLOP/s (median over repeats) of every GEMM version at every size; in a full build the slow loops are not run at the largest sizes (their cells read 'not run'). `gemm.csv` has the min and max too."}
 * ```
 */

/** ## 3. Training throughput against the batch size
 *
 * Lab 1's net (784-256-128-10, ReLU, Adam) takes training steps on Fashion-MNIST images with
 * batch sizes from 1 up; we count samples per second for each GEMM backend on one and on two
 * threads. A small batch turns every GEMM into a thin matrix–vector-like product with little reuse
 * and pays the fixed cost of a step (the optimizer walks all 235,000 parameters) per few samples.
 */
/* @fold Trainer: Lab 1's 784-256-128-10 ReLU net with Adam; trainer_init, trainer_free */
typedef struct {
    Net net;
    Optimizer opt;
    Param *params;   /* [np], net_param_list */
    int np;
    TrainBuffers b;
    double *timing;
} Trainer;

static void trainer_init(Trainer *t, int max_batch, const Lab *lab) {
    Rng rng;
    rng_init(&rng, lab->seed);
    bool built = net_mlp(&t->net, "784-256-128-10", act_make(ACT_RELU), init_make(INIT_HE_NORMAL),
                         init_make(INIT_XAVIER_UNIFORM), max_batch, &rng);
    CHECK(built, "the architecture is the lab's own constant");
    t->params = net_param_list(&t->net, &t->np);
    optim_init(&t->opt, optim_defaults(OPT_ADAM), t->params, t->np);
    trainbuf_init(&t->b, max_batch, IN, CLASSES);
    t->timing = nn_calloc((size_t)2 * t->net.nlayers, sizeof(double));
}

static void trainer_free(Trainer *t) {
    net_free(&t->net), optim_free(&t->opt), trainbuf_free(&t->b), free(t->timing), free(t->params);
}
/* @end */

/* Seconds spent per part of the step, when parts is not NULL: batch copy, softmax + loss,
 * optimizer (the layers' own times go to net.timing). */
enum { PART_DATA, PART_LOSS, PART_OPT, NPARTS };

/** One training step, written out: copy the batch, run the net forward, the softmax with the
 * cross-entropy and its gradient $p - y$, the backward pass, Adam's update. With `parts` it also
 * reads the clock between the parts (for section 4); the layers time themselves through
 * `net.timing`. Throughput is then counted over as many steps as fill `min_seconds`. */
static void train_step(Trainer *t, const Dataset *ds, const int *idx, int n, double *parts) {
    double t0 = nn_seconds(), t1;
    dataset_batch(ds, idx, n, t->b.x, t->b.y);
    if (parts) t1 = nn_seconds(), parts[PART_DATA] += t1 - t0, t0 = t1;
    optim_zero_grad(&t->opt);
    const real *logits = net_forward(&t->net, t->b.x, n, true, NULL);
    if (parts) t1 = nn_seconds(), t0 = t1;
    xent_forward(t->b.probs, logits, t->b.y, n, CLASSES, 0);
    xent_backward(t->b.probs, t->b.probs, t->b.y, n, CLASSES, 0);
    if (parts) t1 = nn_seconds(), parts[PART_LOSS] += t1 - t0;
    net_backward(&t->net, t->b.probs);
    if (parts) t0 = nn_seconds();
    optim_step(&t->opt, t->opt.cfg.lr);
    if (parts) parts[PART_OPT] += nn_seconds() - t0;
}

/* Samples per second at batch size n: steps over the shuffled subset until min_seconds pass. */
static double throughput(Trainer *t, const Subset *s, int n, double min_seconds) {
    int steps = 0, pos = 0;
    train_step(t, s->data, s->idx, n, NULL);   /* warm up */
    double t0 = nn_seconds(), el;
    do {
        if (pos + n > s->n) pos = 0;
        train_step(t, s->data, s->idx + pos, n, NULL);
        pos += n, steps++;
    } while ((el = nn_seconds() - t0) < min_seconds || steps < 3);
    return steps * (double)n / el;
}

static bool section_throughput(Lab *lab, const Config *cfg, const Subset *tr) {
    /* @fold opens throughput.csv, saves the backend and threads */
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "throughput.csv", path, sizeof path),
                  "setting,batch,samples_per_second,min,max"))
        return false;
    GemmBackend saved = gemm_backend();
    int saved_threads = threads_get();
    /* @end */
    double best = 0;
    int best_batch = 0;
    const char *best_setting = "";
    static const char *const names[4] = {"own 1 thread", "own 2 threads", "OpenBLAS 1 thread",
                                         "OpenBLAS 2 threads"};
    /* @fold prints the table's header */
    printf("  %-20s", "batch");
    for (int n = 1; n <= cfg->max_batch; n *= 2) printf(" %7d", n);
    printf("   (samples per second, thousands)\n");
    /* @end */
    for (int k = 0; k < 4; k++) {
        gemm_set_backend(k < 2 ? GEMM_OWN : GEMM_BLAS);
        threads_set(k % 2 + 1);
        Trainer t;
        trainer_init(&t, cfg->max_batch, lab);
        printf("  %-20s", names[k]);
        for (int n = 1; n <= cfg->max_batch; n *= 2) {
            double r[9];
            for (int i = 0; i < cfg->repeats; i++) r[i] = throughput(&t, tr, n, cfg->min_seconds * 4);
            Stat s = stat_of(r, cfg->repeats);
            if (s.med > best) best = s.med, best_batch = n, best_setting = names[k];
            /* @fold writes the row, prints it, records batch 64 */
            csv_row(&csv, "sdfff", names[k], n, s.med, s.lo, s.hi);
            printf(" %7.1f", s.med / 1000);
            if (n == 64) {
                char key[64];
                snprintf(key, sizeof key, "samples_per_second_64_%s", k < 2 ? (k ? "own2" : "own1") : (k == 3 ? "blas2" : "blas1"));
                results_num(&lab->results, key, s.med);
            }
            /* @end */
        }
        printf("\n");
        trainer_free(&t);
    }
    /* @fold closes the CSV, restores the backend and threads, prints and records the fastest setting */
    if (!csv_close(&csv)) return false;
    gemm_set_backend(saved), threads_set(saved_threads);
    printf("  fastest: batch %d with %s, %.0f samples per second\n", best_batch, best_setting, best);
    results_int(&lab->results, "best_batch", best_batch);
    results_str(&lab->results, "best_setting", best_setting);
    results_num(&lab->results, "best_samples_per_second", best);
    /* @end */
    return true;
}

/** **Batch size, measured.** @fig:lab08-throughput shows samples per second against the batch
 * size. At batch 1 every GEMM is a matrix–vector product and the optimizer's pass over all
 * parameters is paid for each sample; throughput grows with the batch until the products are
 * large enough to run near the kernel's speed. The fastest setting here was batch
 * {{lab08:best_batch}} ({{lab08:best_setting}}), {{lab08:best_samples_per_second|int}} samples
 * per second. Two threads can help only once the products are large: on small ones the threads
 * spend their time waiting for each other, and on a shared machine (section 1) the second core is
 * not always there. The best batch size for *learning* is a different question, which Lab 4 and
 * the course notes discuss; this section measures speed only.
 *
 * ![Training samples per second against the batch size, for each GEMM backend on one and two
 * threads (median and min–max over repeats).](lab08_throughput){#fig:lab08-throughput}
 */

/** ## 4. Where a step's time goes
 *
 * The same step with a clock around every layer's forward and backward pass (`net.timing`), the
 * softmax and loss, the optimizer and the copy of the batch, at three batch sizes; the own GEMM on
 * two threads (the backend section 5 expects to be no slower). The parts are grouped as GEMM (the
 * Linear layers: their matrix products and bias), elementwise (ReLU), softmax + loss, optimizer
 * and data.
 */
static bool section_breakdown(Lab *lab, const Config *cfg, const Subset *tr) {
    static const int batches[3] = {16, 64, 256};
    /* @fold own GEMM on two threads; opens breakdown.csv and layers.csv */
    GemmBackend saved = gemm_backend();
    int saved_threads = threads_get();
    gemm_set_backend(GEMM_OWN), threads_set(2);
    char path[512];
    Csv bars, layers;
    if (!csv_open(&bars, lab_path(lab, "breakdown.csv", path, sizeof path),
                  "batch,GEMM (Linear),ReLU,softmax + loss,optimizer,data") ||
        !csv_open(&layers, lab_path(lab, "layers.csv", path, sizeof path),
                  "layer,forward_us,backward_us,share"))
        return false;
    /* @end */
    for (int bi = 0; bi < 3; bi++) {
        int n = batches[bi];
        Trainer t;
        trainer_init(&t, n, lab);
        t.net.timing = t.timing;
        double parts[NPARTS] = {0};
        int steps = 0, pos = 0;
        double t0 = nn_seconds(), total;
        do {
            if (pos + n > tr->n) pos = 0;
            train_step(&t, tr->data, tr->idx + pos, n, parts);
            pos += n, steps++;
        } while ((total = nn_seconds() - t0) < cfg->min_seconds * 10 || steps < 5);
        double linear = 0, relu = 0;
        for (int i = 0; i < t.net.nlayers; i++) {
            double s = t.timing[2 * i] + t.timing[2 * i + 1];
            if (t.net.layers[i].kind == LAYER_LINEAR) linear += s;
            else relu += s;
        }
        /* @fold per-sample times to breakdown.csv, shares recorded; at 64, layers.csv */
        double us = 1e6 / ((double)steps * n);   /* seconds -> microseconds per sample */
        csv_row(&bars, "dfffff", n, linear * us, relu * us, parts[PART_LOSS] * us, parts[PART_OPT] * us,
                parts[PART_DATA] * us);
        printf("  batch %-4d per sample: GEMM %.2f us, ReLU %.2f, softmax+loss %.2f, optimizer %.2f, data %.2f "
               "(%.0f%% in GEMM)\n", n, linear * us, relu * us, parts[PART_LOSS] * us, parts[PART_OPT] * us,
               parts[PART_DATA] * us, 100 * linear / total);
        char key[64];
        snprintf(key, sizeof key, "gemm_share_%d", n);
        results_num(&lab->results, key, linear / total);
        snprintf(key, sizeof key, "optimizer_share_%d", n);
        results_num(&lab->results, key, parts[PART_OPT] / total);
        if (n == 64) {
            int lin = 0, act = 0;
            for (int i = 0; i < t.net.nlayers; i++) {
                char name[32];
                if (t.net.layers[i].kind == LAYER_LINEAR) snprintf(name, sizeof name, "Linear %d (%dx%d)", ++lin, t.net.layers[i].in, t.net.layers[i].out);
                else snprintf(name, sizeof name, "ReLU %d", ++act);
                csv_row(&layers, "sfff", name, 1e6 * t.timing[2 * i] / steps, 1e6 * t.timing[2 * i + 1] / steps,
                        (t.timing[2 * i] + t.timing[2 * i + 1]) / total);
            }
            csv_row(&layers, "sfff", "softmax + loss", 1e6 * parts[PART_LOSS] / steps, 0.0, parts[PART_LOSS] / total);
            csv_row(&layers, "sfff", "optimizer (Adam)", 0.0, 1e6 * parts[PART_OPT] / steps, parts[PART_OPT] / total);
            csv_row(&layers, "sfff", "batch copy", 1e6 * parts[PART_DATA] / steps, 0.0, parts[PART_DATA] / total);
        }
        /* @end */
        trainer_free(&t);
    }
    /* @fold closes both files, restores the backend and threads */
    if (!csv_close(&bars) || !csv_close(&layers)) return false;
    gemm_set_backend(saved), threads_set(saved_threads);
    /* @end */
    return true;
}

/** **Where the time went.** @fig:lab08-breakdown splits a step into parts. At batch 64 the Linear
 * layers take {{lab08:gemm_share_64|pct}} of the step and the optimizer
 * {{lab08:optimizer_share_64|pct}}; at batch 16 the optimizer's share is
 * {{lab08:optimizer_share_16|pct}}, and at 256 it is {{lab08:optimizer_share_256|pct}}: its cost
 * is per step, not per sample. @tbl:lab08-layers lists every layer at batch 64. By its arithmetic
 * the first Linear layer should dominate the products — $784 \cdot 256 = 200{,}704$ of the
 * $234{,}752$ multiply-adds per sample, 85% — so a layer whose share is far from its flops is a
 * layer whose product ran far from the kernel's speed, or a step the machine interrupted.
 *
 * ![Microseconds per training sample, split into the Linear layers' matrix products, ReLU,
 * softmax + loss, the optimizer and the batch copy.](lab08_breakdown){#fig:lab08-breakdown}
 *
 * ```{.csv-table #tbl:lab08-layers file="lab08/layers.csv"
 *    header="Part,Forward (µs per step),Backward (µs per step),Share of the step"
 *    digits="3" caption="One training step at batch 64, part by part."}
 * ```
 */

/** ## 5. One epoch
 *
 * The benchmark the peers also run: one epoch over {{lab08:epoch_images|int}} training images of
 * Fashion-MNIST (the whole training set in full mode), batch 64, Adam, the 784-256-128-10 ReLU
 * net, on two threads — shuffling, copying each batch, forward, loss, backward and update; no
 * evaluation. We also count the allocations the library makes during an epoch: the training loop
 * allocates nothing.
 *
 * To compare the epoch with the peak we count its flops. Per sample, a Linear layer of
 * $d_\text{in} \times d_\text{out}$ costs $2 d_\text{in} d_\text{out}$ flops forward, as many for
 * its weight gradient $dW = dY^\top X$, and as many again for its input gradient $dX = dY\,W$,
 * which the first layer does not need:
 * $$\texttt{epoch\_flops}(n) = 2n\,(2\,\texttt{fwd} + \texttt{upper}), \qquad
 *   \texttt{fwd} = 784 \cdot 256 + 256 \cdot 128 + 128 \cdot 10, \qquad
 *   \texttt{upper} = 256 \cdot 128 + 128 \cdot 10,$$
 * about a million flops per sample. (ReLU, the loss and Adam add a few flops per number, but
 * they are paced by memory, as section 1 showed, and are left out of the count.)
 */
/* The flops of one epoch of the 784-256-128-10 net: forward, the weight gradients of every layer,
 * the input gradients of all but the first (2 flops per multiply-add). */
static double epoch_flops(int n) {
    double fwd = 784.0 * 256 + 256.0 * 128 + 128.0 * 10, upper = 256.0 * 128 + 128.0 * 10;
    return 2.0 * n * (2 * fwd + upper);
}

static bool section_epoch(Lab *lab, const Config *cfg, const Subset *tr, double peak2,
                          double epoch_seconds[2]) {
    /* @fold saves the backend and threads */
    GemmBackend saved = gemm_backend();
    int saved_threads = threads_get();
    /* @end */
    long allocs = 0;
    double pct[2][101];   /* each backend's step times at every percentile, for the figure */
    for (int k = 0; k < 2; k++) {
        gemm_set_backend(k ? GEMM_BLAS : GEMM_OWN);   /* own first: OpenBLAS's threads spin after use */
        threads_set(2);
        /* @fold a Trainer for batch 64, a Batcher over the images, step[]: every step's seconds */
        Trainer t;
        trainer_init(&t, 64, lab);
        Rng rng;
        rng_init(&rng, lab->seed);
        Batcher batches;
        batcher_init(&batches, tr, 64);
        double times[9];
        int steps = (tr->n + 63) / 64, nstep = 0;
        double *step = nn_calloc((size_t)steps * cfg->repeats, sizeof(double));   /* every step's seconds */
        /* @end */
        for (int r = 0; r < cfg->repeats; r++) {
            long a0 = nn_alloc_count();
            double t0 = nn_seconds();
            batcher_shuffle(&batches, &rng);
            const int *idx;
            int count;
            for (double s0 = t0; batcher_next(&batches, &idx, &count);) {
                train_step(&t, tr->data, idx, count, NULL);
                double s1 = nn_seconds();
                step[nstep++] = s1 - s0, s0 = s1;
            }
            times[r] = nn_seconds() - t0;
            allocs += nn_alloc_count() - a0;
        }
        /* @fold frees; the median epoch; prints; sorts the steps (figure), records their spread */
        batcher_free(&batches);
        trainer_free(&t);
        Stat s = stat_of(times, cfg->repeats);
        epoch_seconds[k] = s.med;
        printf("  %s, 2 threads: %.3f s per epoch of %d images (median of %d; %.3f-%.3f): %.1f GFLOP/s\n",
               k ? "OpenBLAS" : "own GEMM", s.med, tr->n, cfg->repeats, s.lo, s.hi, epoch_flops(tr->n) / s.med * 1e-9);
        qsort(step, (size_t)nstep, sizeof *step, cmp_double);
        double fastest = step[0], tenth = step[nstep / 10], median = step[nstep / 2];
        for (int q = 0; q <= 100; q++) pct[k][q] = step[(size_t)(nstep - 1) * q / 100];
        printf("    one step: fastest %.0f us, fastest tenth from %.0f us, median %.0f us, slowest %.0f us\n",
               1e6 * fastest, 1e6 * tenth, 1e6 * median, 1e6 * step[nstep - 1]);
        if (k == 0) {
            results_num(&lab->results, "step_us_fastest", 1e6 * fastest);
            results_num(&lab->results, "step_us_tenth", 1e6 * tenth);
            results_num(&lab->results, "step_us_median", 1e6 * median);
            results_num(&lab->results, "step_us_slowest", 1e6 * step[nstep - 1]);
            results_num(&lab->results, "step_spread", median / fastest);
            results_num(&lab->results, "epoch_at_tenth_pace", tenth * steps);
        }
        free(step);
        /* @end */
    }
    /* @fold restores the backend; writes steps.csv (and the pace at the peak); records */
    gemm_set_backend(saved), threads_set(saved_threads);
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "steps.csv", path, sizeof path), "percent,own_us,blas_us,peak_us")) return false;
    /* the pace of a step that ran at the two-core peak measured in section 1 */
    double peak_us = epoch_flops(64) / (peak2 * 1e9) * 1e6;
    for (int q = 0; q <= 100; q++) csv_row(&csv, "dfff", q, 1e6 * pct[0][q], 1e6 * pct[1][q], peak_us);
    if (!csv_close(&csv)) return false;
    results_num(&lab->results, "epoch_seconds_own", epoch_seconds[0]);
    results_num(&lab->results, "epoch_seconds_blas", epoch_seconds[1]);
    results_int(&lab->results, "epoch_images", tr->n);
    results_int(&lab->results, "allocations_per_epoch", allocs);
    results_num(&lab->results, "epoch_gflop", epoch_flops(tr->n) * 1e-9);
    /* @end */
    /* Speed claims are ratios between measurements of this run, never absolute times. */
    double best = fmin(epoch_seconds[0], epoch_seconds[1]);
    double share = epoch_flops(tr->n) / best * 1e-9 / peak2;
    /* @fold records the GFLOP/s, the share, OpenBLAS / own, the epoch at the peak */
    results_num(&lab->results, "epoch_gflops", epoch_flops(tr->n) / best * 1e-9);
    results_num(&lab->results, "epoch_peak_share", share);
    results_num(&lab->results, "epoch_blas_over_own", epoch_seconds[1] / epoch_seconds[0]);
    results_num(&lab->results, "epoch_at_peak_seconds", epoch_flops(tr->n) / (peak2 * 1e9));
    results_num(&lab->results, "epoch_seconds_60k_pace", best * 60000.0 / tr->n);
    /* @end */
    /* @fold claims: no allocation; full mode: share >= EPOCH_PEAK_SHARE, own <= 1.1 x OpenBLAS */
    claims_add(&lab->claims, "no_allocation_in_training", allocs == 0, (double)allocs,
               "the training steps of an epoch allocate no memory [allocations counted]");
    if (!lab->quick) {   /* quick mode's epochs are too short to time against the peak */
        claims_add(&lab->claims, "epoch_share_of_peak", share >= EPOCH_PEAK_SHARE, share,
                   "a training epoch (batch 64, Adam, two threads) runs at least at a third of the two-core peak "
                   "measured in the same run [its share of the peak]");
        claims_add(&lab->claims, "own_epoch_not_slower", epoch_seconds[0] <= 1.1 * epoch_seconds[1],
                   epoch_seconds[1] / epoch_seconds[0],
                   "the epoch with the own GEMM takes at most 1.1 times as long as with OpenBLAS, both on two "
                   "threads in the same run [OpenBLAS time / own time]");
    }
    /* @end */
    return true;
}

/** **One epoch, measured.** An epoch over {{lab08:epoch_images|int}} images takes
 * {{lab08:epoch_seconds_own|g3}} s with the own GEMM on two threads and
 * {{lab08:epoch_seconds_blas|g3}} s with OpenBLAS on two threads — OpenBLAS takes
 * {{lab08:epoch_blas_over_own|g2}} times as long — and allocates {{lab08:allocations_per_epoch}}
 * blocks of memory. Where the own kernel keeps up, it is not by faster arithmetic but by its
 * threads: OpenBLAS's helpers are tuned for large products, while ours (`parallel_chunks`) hand a
 * batch-64 product to the second core in microseconds. The optimizer is split the same way, each
 * core updating its own range of every parameter — a memory-bound loop that gains from the second
 * core's bandwidth, not its arithmetic:
 *
 * @include common/optim.c:adam_part
 *
 * That epoch is {{lab08:epoch_gflop|g3}} GFLOP, done at {{lab08:epoch_gflops|g3}} GFLOP/s:
 * $$\texttt{share} = \frac{\texttt{epoch\_flops}(n) / \text{seconds}}{\texttt{peak[1]}},$$
 * here {{lab08:epoch_peak_share|pct}} of the two-core peak measured in section 1, on products only
 * 64 rows tall, with everything else in the step on top. At the peak itself the epoch would take
 * {{lab08:epoch_at_peak_seconds|g2}} s. The claims below are stated as such shares and ratios of
 * this run's own measurements — `epoch_share_of_peak` (at least a third of the peak) and
 * `own_epoch_not_slower` (OpenBLAS's time over ours) — so they mean the same on a fast machine and
 * a slow one; the seconds are in the tables. This build ran in {{lab08:mode|raw}} mode; the two
 * speed claims are made by full runs only, since a quick epoch is too short to time against the
 * peak.
 *
 * Timing every step (@fig:lab08-steps) shows how much the machine itself moves: with the own GEMM
 * the same step took {{lab08:step_us_fastest|int}} µs at its fastest, {{lab08:step_us_median|int}}
 * µs at the median ({{lab08:step_spread|g2}} times as long) and {{lab08:step_us_slowest|int}} µs at
 * its slowest. The work is identical every time; what changes is the machine, as the probe of
 * section 1 showed. At the pace of the fastest tenth of its steps ({{lab08:step_us_tenth|int}} µs
 * and less) an epoch would take {{lab08:epoch_at_tenth_pace|g2}} s; the claims are made on the
 * median epoch, as measured.
 *
 * ![Every training step of the timed epochs, sorted from fastest to slowest, for each GEMM backend
 * on two threads; grey: the time a step would take at the two-core peak measured in section
 * 1.](lab08_steps){#fig:lab08-steps}
 */

/** ## 6. Peers (`make bench` only)
 *
 * With `--peers` the lab runs `tests/peer_mlp.py`, the same epoch written with NumPy (and with
 * PyTorch, if installed), and records how many times faster ours is, with a claim on the NumPy
 * ratio. Neither is needed by anything else; a missing one is reported as skipped. **For this
 * workbook, section 6 {{lab08:peers_status|raw}}**: the code below is printed as it is in the
 * file, but no number of this chapter comes from it. `make bench` runs it and writes our time as a
 * multiple of theirs into `out/bench/peers.csv`.
 */
static bool section_peers(Lab *lab, const double epoch_seconds[2]) {
    /* @fold numpy, then torch: runs tests/peer_mlp.py; peers.csv, results, faster_than_numpy */
    static const char *const peers[2] = {"numpy", "torch"};
    char path[512];
    Csv csv;
    if (!csv_open(&csv, lab_path(lab, "peers.csv", path, sizeof path), "implementation,epoch_seconds,ratio")) return false;
    double ours = fmin(epoch_seconds[0], epoch_seconds[1]);
    csv_row(&csv, "sff", "nnlab (C)", ours, 1.0);
    for (int p = 0; p < 2; p++) {
        char cmd[1024];
        /* Debian's python3 (where python3-numpy and python3-torch install), else whatever is on PATH */
        snprintf(cmd, sizeof cmd, "%s tests/peer_mlp.py %s 2>&1",
                 access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3", peers[p]);
        FILE *f = popen(cmd, "r");
        char line[512], last[512] = "";
        double secs = NAN;
        while (f && fgets(line, sizeof line, f)) {
            if (sscanf(line, "epoch_seconds %lf", &secs) != 1) snprintf(last, sizeof last, "%s", line);
        }
        int status = f ? pclose(f) : -1;
        if (status != 0 || !isfinite(secs)) {
            last[strcspn(last, "\n")] = 0;
            printf("  %s: skipped (%s)\n", peers[p], *last ? last : "python3 did not run");
            continue;
        }
        printf("  %s: %.3f s per epoch; ours is %.2fx faster\n", peers[p], secs, secs / ours);
        csv_row(&csv, "sff", peers[p], secs, secs / ours);
        char key[64];
        snprintf(key, sizeof key, "peer_%s_seconds", peers[p]);
        results_num(&lab->results, key, secs);
        snprintf(key, sizeof key, "speedup_vs_%s", peers[p]);
        results_num(&lab->results, key, secs / ours);
        if (p == 0)
            claims_add(&lab->claims, "faster_than_numpy", secs / ours >= 1.8, secs / ours,
                       "our epoch is at least 1.8 times faster than the NumPy + OpenBLAS one in the same run [the ratio]");
    }
    if (!csv_close(&csv)) return false;
    /* @end */
    return true;
}

/** ## Putting it together */
static bool want_peers;

static int run_lab(Lab *lab) {
    const Config *cfg = lab->quick ? &QUICK : &FULL;
    /* @fold loads Fashion-MNIST: all, its first epoch_n training images, standardized */
    Dataset train;   /* the data first: a missing file stops the lab before it writes anything */
    if (!data_load(&train, "fashion-mnist", "train", "lab08")) return 1;
    Subset all = subset_range(&train, 0, cfg->epoch_n);
    dataset_standardize(&train, &all);
    /* @end */
    printf("\n1. The ceiling\n");
    double peak[2], bandwidth;
    section_ceiling(lab, cfg, peak, &bandwidth);
    if (!section_probe(lab, cfg, peak)) return 1;
    /* @fold records the peaks, the balance peak[1] / bandwidth, the implied clock peak[0] / 32 */
    printf("  peak, the best of the ceiling and the probes: %.1f GFLOP/s on 1 core, %.1f on 2\n", peak[0], peak[1]);
    results_num(&lab->results, "peak_gflops_1", peak[0]);
    results_num(&lab->results, "peak_gflops_2", peak[1]);
    results_num(&lab->results, "machine_balance", peak[1] / bandwidth);
    results_num(&lab->results, "implied_ghz", peak[0] / 32);   /* at two 8-float FMAs per cycle */
    /* @end */
    printf("\n2. GEMM, %d to %d\n", 64, cfg->max_n);
    if (!section_gemm(lab, cfg, peak, bandwidth)) return 1;

    printf("\n3. Training throughput against the batch size\n");
    if (!section_throughput(lab, cfg, &all)) return 1;
    printf("\n4. Where a step's time goes (own GEMM, 2 threads)\n");
    if (!section_breakdown(lab, cfg, &all)) return 1;
    printf("\n5. One epoch\n");
    double epoch[2];
    if (!section_epoch(lab, cfg, &all, peak[1], epoch)) return 1;
    if (want_peers) {
        printf("\n6. Peers\n");
        if (!section_peers(lab, epoch)) return 1;
    }
    /* @fold records whether section 6 ran (peers_status), frees the data */
    results_str(&lab->results, "peers_status", want_peers ? "ran in this build (its times are in peers.csv)"
                                                           : "did not run in this build (it runs under make bench)");
    subset_free(&all);
    dataset_free(&train);
    /* @end */
    return 0;
}

/* @fold main(): the command-line flag --peers */
#ifndef NN_NO_MAIN
int main(int argc, char **argv) {
    const CliOpt extra[] = {
        {"--peers", CLI_BOOL, &want_peers, "also time the NumPy/PyTorch versions (make bench)", 0, 0},
    };
    Lab lab;
    lab_start(&lab, argc, argv, "lab08", "Speed", extra, 1);
    return lab_run(&lab, run_lab);
}
#endif
/* @end */

/** **On a GPU.** No GPU is available on these machines, so nothing here is measured on one. A
 * current data-centre GPU offers tens of TFLOP/s in single precision (an NVIDIA A100: 19.5 TFLOP/s
 * in FP32, 156 with TF32 tensor cores, and 1.6–2 TB/s of memory bandwidth), a hundred or more
 * times the ceiling measured in section 1 — and its roofline has the same shape, with a ridge much
 * further right. What changes for a net this small: each step launches a dozen kernels of a few
 * microseconds each, so at batch 64 the launch overhead and the copy of each batch across PCIe
 * dominate, and the GPU only pulls ahead at large batches or large layers — the same lesson as the
 * throughput figure, shifted. In this code the seam is `gemm()` in `common/gemm.c`: a backend
 * switch already chooses between naive, own and OpenBLAS, and a cuBLAS backend would be a fourth
 * case — though to be worth it, the activations would have to stay on the device between layers
 * rather than crossing the bus for every product.
 *
 * ## In plain words
 *
 * A processor has two speed limits, arithmetic and memory, and this lab measures both on the
 * machine it runs on rather than trusting the clock it reports. A kernel's arithmetic intensity,
 * flops per byte it moves, says which limit it meets: below the machine balance it waits for
 * memory, above it for the arithmetic units. A matrix product has plenty of intensity in
 * principle, $n/6$ flops per byte, but the naive triple loop wastes it by fetching every operand
 * again. Blocking keeps a strip of $B$ in L1, a block of $A$ in L2 and a tile of $C$ in registers,
 * so that each number loaded is used many times, and that is how the own kernel comes within reach
 * of OpenBLAS. A training step is more than its products: the optimizer and the copies are
 * memory-bound, so their share grows as the batch shrinks. And on a shared machine the same code
 * can run at different speeds from one millisecond to the next, so speed is stated as medians and
 * as ratios between measurements of the same run.
 *
 * ::: {.claims lab="lab08"}
 * :::
 *
 * **What to try next.** Change the own kernel's block sizes (`MC`, `KC`, `NC` in `gemm.c`) and
 * watch the 512 point move; time the epoch with `--threads 1`; find the batch size at which the
 * optimizer's share of the step drops below 5%.
 */
