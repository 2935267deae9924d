/* train.c -- the shared training loop; its documentation is in train.h. */
#include "train.h"

#include "checkpoint.h"
#include "exercise.h"
#include "loss.h"
#include "monitor.h"
#include "progress.h"

void trainbuf_init(TrainBuffers *b, int max_batch, int d, int classes) {
    *b = (TrainBuffers){.max_batch = max_batch, .d = d, .classes = classes};
    b->x = nn_calloc((size_t)max_batch * d, sizeof(real));
    b->y = nn_calloc((size_t)max_batch, sizeof(int));
    b->probs = nn_calloc((size_t)max_batch * classes, sizeof(real));
    b->scratch = nn_calloc((size_t)d, sizeof(real));
}

void trainbuf_free(TrainBuffers *b) {
    free(b->x), free(b->y), free(b->probs), free(b->scratch);
    *b = (TrainBuffers){0};
}

TrainBuffers *trainbufs_new(int n, int max_batch, int d, int classes) {
    TrainBuffers *b = nn_calloc((size_t)n, sizeof(TrainBuffers));
    for (int w = 0; w < n; w++) trainbuf_init(&b[w], max_batch, d, classes);
    return b;
}

void trainbufs_free(TrainBuffers *b, int n) {
    for (int w = 0; w < n; w++) trainbuf_free(&b[w]);
    free(b);
}

double evaluate(Net *net, const Subset *s, TrainBuffers *b, double *loss, int *counts) {
    double total_loss = 0;
    int correct = 0, C = b->classes;
    for (int start = 0; start < s->n; start += b->max_batch) {
        int count = s->n - start < b->max_batch ? s->n - start : b->max_batch;
        dataset_batch(s->data, s->idx + start, count, b->x, b->y);
        const real *logits = net_forward(net, b->x, count, false, NULL);
        total_loss += (double)xent_forward(b->probs, logits, b->y, count, C, 0) * count;
        correct += count_correct(logits, b->y, count, C);
        if (counts)
            for (int i = 0; i < count; i++) counts[b->y[i] * C + argmax(logits + (size_t)i * C, C)]++;
    }
    if (loss) *loss = total_loss / s->n;
    return (double)correct / s->n;
}

void early_stop_init(EarlyStop *es, int patience) {
    *es = (EarlyStop){.patience = patience, .best = INFINITY};
}

EarlyVerdict early_stop_update(EarlyStop *es, double watched, int epoch) {
    /* >>> exercise early_stop | Lab 3, "7. Early stopping" | task: a strictly lower value is a new best (remember it, its epoch, reset the count: EARLY_BEST; a NaN never is); otherwise count the epoch, and EARLY_STOP once patience (> 0) epochs in a row brought none, else EARLY_WAIT */
    if (watched < es->best) {   /* false for NaN */
        es->best = watched, es->best_epoch = epoch, es->since_best = 0;
        return EARLY_BEST;
    }
    es->since_best++;
    return es->patience > 0 && es->since_best >= es->patience ? EARLY_STOP : EARLY_WAIT;
    /* === stub
    (void)es, (void)watched, (void)epoch;
    exercise_todo("early_stop");
    <<< exercise */
}

/* ---- the training state (cfg->state): what a stopped run needs to go on exactly ---------------- */

static const uint32_t STATE_TAG = 0x314e5254;   /* "TRN1" */

typedef struct {                /* the loop's own variables that outlive an epoch */
    long step;
    EarlyStop es;
    real *best;                 /* [net_state_count] early stopping's copy of the best epoch, or NULL */
    size_t nbest;
    bool done;                  /* the run had ended (early stop or divergence) when this was written */
} Loop;

static void state_write(Bytes *b, const TrainConfig *cfg, const Subset *tr, const Optimizer *opt,
                        const Batcher *batches, const Rng *rng, const Loop *lp, const TrainResult *r) {
    bytes_u32(b, STATE_TAG);
    bytes_u32(b, (uint32_t)cfg->epochs), bytes_u32(b, (uint32_t)cfg->batch), bytes_u32(b, (uint32_t)tr->n);
    bytes_u32(b, (uint32_t)opt->cfg.kind), bytes_u32(b, (uint32_t)opt->nparams);
    bytes_u64(b, (uint64_t)lp->step), bytes_u32(b, lp->done);
    for (int i = 0; i < 4; i++) bytes_u64(b, rng->s[i]);
    bytes_f64(b, rng->spare), bytes_u32(b, (uint32_t)rng->has_spare);
    for (int i = 0; i < batches->n; i++) bytes_u32(b, (uint32_t)batches->order[i]);
    bytes_u64(b, (uint64_t)opt->t);
    for (int i = 0; i < opt->nparams; i++) {
        bytes_u32(b, (uint32_t)((opt->m[i] != NULL) | (opt->v[i] != NULL) << 1));
        if (opt->m[i]) bytes_reals(b, opt->m[i], opt->params[i].n);
        if (opt->v[i]) bytes_reals(b, opt->v[i], opt->params[i].n);
    }
    bytes_f64(b, lp->es.best), bytes_u32(b, (uint32_t)lp->es.best_epoch), bytes_u32(b, (uint32_t)lp->es.since_best);
    bytes_u32(b, lp->best != NULL);
    if (lp->best) bytes_reals(b, lp->best, lp->nbest);
    bytes_u32(b, (uint32_t)r->epochs_run);
    for (int e = 0; e < r->epochs_run; e++) {
        bytes_f64(b, r->train_loss[e]), bytes_f64(b, r->train_acc[e]), bytes_f64(b, r->val_loss[e]);
        bytes_f64(b, r->val_acc[e]), bytes_f64(b, r->elapsed[e]), bytes_f64(b, r->lr[e]);
    }
    bytes_f64(b, r->best_val_acc), bytes_f64(b, r->final_val_acc), bytes_f64(b, r->final_train_acc);
    bytes_f64(b, r->best_val_loss);
    bytes_u32(b, (uint32_t)r->best_epoch), bytes_u32(b, (uint32_t)r->epoch_reached);
    bytes_u32(b, (uint32_t)r->best_loss_epoch), bytes_u32(b, r->stopped_early), bytes_u32(b, r->diverged);
    bytes_u64(b, (uint64_t)r->diverged_step);
}

/* Reads what state_write wrote; NULL on success, else what is wrong. Values that may be NaN (the
 * curves of a diverged run) are read with read_f64, weights and moments with read_reals. */
static const char *state_read(Reader *rd, const TrainConfig *cfg, const Subset *tr, Optimizer *opt,
                              Batcher *batches, Rng *rng, Loop *lp, TrainResult *r) {
    if (read_u32(rd) != STATE_TAG) return "it holds no training state";
    uint32_t epochs = read_u32(rd), batch = read_u32(rd), n = read_u32(rd), kind = read_u32(rd), np = read_u32(rd);
    if (rd->bad) return "its training state is truncated";
    if (epochs != (uint32_t)cfg->epochs || batch != (uint32_t)cfg->batch || n != (uint32_t)tr->n ||
        kind != (uint32_t)opt->cfg.kind || np != (uint32_t)opt->nparams)
        return "it was written by a run with other settings (epochs, batch, data or optimizer)";
    lp->step = (long)read_u64(rd), lp->done = read_u32(rd);
    for (int i = 0; i < 4; i++) rng->s[i] = read_u64(rd);
    rng->spare = read_f64(rd), rng->has_spare = (int)read_u32(rd);
    for (int i = 0; i < batches->n; i++) {
        uint32_t k = read_u32(rd);
        if (k >= (uint32_t)tr->data->n) return "its batch order is corrupt";
        batches->order[i] = (int)k;
    }
    opt->t = (long)read_u64(rd);
    for (int i = 0; i < opt->nparams; i++) {
        uint32_t has = read_u32(rd);
        if (has != (uint32_t)((opt->m[i] != NULL) | (opt->v[i] != NULL) << 1)) return "its optimizer state does not fit";
        if (opt->m[i] && !read_reals(rd, opt->m[i], opt->params[i].n)) return "its optimizer state is corrupt";
        if (opt->v[i] && !read_reals(rd, opt->v[i], opt->params[i].n)) return "its optimizer state is corrupt";
    }
    lp->es.best = read_f64(rd), lp->es.best_epoch = (int)read_u32(rd), lp->es.since_best = (int)read_u32(rd);
    if (read_u32(rd) != (uint32_t)(lp->best != NULL)) return "its early-stopping record does not fit";
    if (lp->best && !read_reals(rd, lp->best, lp->nbest)) return "its early-stopping record is corrupt";
    uint32_t run = read_u32(rd);
    if (run < 1 || run > epochs) return "its epoch count is corrupt";
    r->epochs_run = r->resumed_from = (int)run;
    for (uint32_t e = 0; e < run; e++) {
        r->train_loss[e] = read_f64(rd), r->train_acc[e] = read_f64(rd), r->val_loss[e] = read_f64(rd);
        r->val_acc[e] = read_f64(rd), r->elapsed[e] = read_f64(rd), r->lr[e] = read_f64(rd);
    }
    r->best_val_acc = read_f64(rd), r->final_val_acc = read_f64(rd), r->final_train_acc = read_f64(rd);
    r->best_val_loss = read_f64(rd);
    r->best_epoch = (int)read_u32(rd), r->epoch_reached = (int)read_u32(rd);
    r->best_loss_epoch = (int)read_u32(rd), r->stopped_early = read_u32(rd), r->diverged = read_u32(rd);
    r->diverged_step = (long)read_u64(rd);
    if (rd->bad || rd->pos != rd->len) return "its training state is truncated or has trailing bytes";
    return NULL;
}

/* Resumes from cfg->state when the file exists. -1: it does not (start afresh); 0: refused (the
 * reason printed); 1: resumed. */
static int state_resume(Net *net, const TrainConfig *cfg, const Subset *tr, Optimizer *opt, Batcher *batches,
                        Rng *rng, Loop *lp, TrainResult *r) {
    FILE *f = fopen(cfg->state, "rb");
    if (!f) return -1;
    fclose(f);
    char err[512];
    Bytes b = {0};
    /* the net is loaded into a copy of its values first, so a refusal leaves it as it was */
    real *keep = nn_calloc(net_state_count(net) + 1, sizeof(real));
    net_state_copy(net, keep);
    const char *why = NULL;
    if (!checkpoint_load_state(net, &b, cfg->state, err, sizeof err)) {
        fprintf(stderr, "cannot resume: %s\n", err);
        free(keep);
        return 0;
    }
    Reader rd = {b.p, b.len, 0, false};
    why = state_read(&rd, cfg, tr, opt, batches, rng, lp, r);
    if (why) {
        fprintf(stderr, "cannot resume from %s: %s\n", cfg->state, why);
        net_state_restore(net, keep);
    }
    free(keep);
    bytes_free(&b);
    return why ? 0 : 1;
}

static bool state_save(Net *net, const TrainConfig *cfg, const Subset *tr, const Optimizer *opt,
                       const Batcher *batches, const Rng *rng, const Loop *lp, const TrainResult *r) {
    Bytes b = {0};
    state_write(&b, cfg, tr, opt, batches, rng, lp, r);
    char err[512];
    bool ok = checkpoint_save_state(net, &b, cfg->state, err, sizeof err);
    if (!ok) fprintf(stderr, "%s\n", err);
    bytes_free(&b);
    return ok;
}

/* ---- the loop --------------------------------------------------------------------------------- */

/* @region train_begin */
bool train_classifier(Net *net, const Subset *tr, const Subset *val, const TrainConfig *cfg,
                      TrainBuffers *b, Rng *rng, TrainResult *r) {
    /* @fold checks the configuration */
    CHECK(cfg->epochs > 0 && cfg->epochs <= TRAIN_MAX_EPOCHS, "epochs %d", cfg->epochs);
    CHECK(cfg->batch > 0 && cfg->batch <= b->max_batch, "batch %d, buffers for %d", cfg->batch, b->max_batch);
    CHECK(!cfg->final_eval_only || (!cfg->curve_csv && !cfg->patience && !cfg->checkpoint),
          "final_eval_only needs no curve, checkpoint or patience");
    CHECK(!cfg->state || !cfg->monitor_csv, "a resumable run cannot keep the monitor's CSV");
    CHECK(cfg->state || (!cfg->resume && !cfg->halt_after), "resume and halt_after need a state file");
    /* @end */
    *r = (TrainResult){0};
    int np;
    Param *params = net_param_list(net, &np);
    Optimizer opt;
    optim_init(&opt, cfg->opt, params, np);
    Batcher batches;
    batcher_init(&batches, tr, cfg->batch);
    Loop lp = {0};
    early_stop_init(&lp.es, cfg->patience);
    if (cfg->patience > 0) lp.nbest = net_state_count(net), lp.best = nn_calloc(lp.nbest, sizeof(real));
    r->best_val_loss = INFINITY;
    /* @fold resumes if asked; opens the curve's and monitor's CSVs (ok: none failed), else returns false */
    int resumed = cfg->resume ? state_resume(net, cfg, tr, &opt, &batches, rng, &lp, r) : -1;
    Csv csv = {0};
    Monitor mon = {0};
    Csv mcsv = {0};
    bool ok = resumed != 0;
    if (ok && cfg->curve_csv) {
        ok = csv_open(&csv, cfg->curve_csv, "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds");
        for (int e = 0; ok && e < r->epochs_run; e++)   /* a resumed run writes its first epochs again */
            csv_row(&csv, "dffffgf", e + 1, r->train_loss[e], r->train_acc[e], r->val_loss[e], r->val_acc[e],
                    r->lr[e], r->elapsed[e]);
    }
    int every = cfg->monitor_every > 0 ? cfg->monitor_every : 10;
    if (ok && cfg->monitor_csv) {
        ok = csv_open(&mcsv, cfg->monitor_csv, MONITOR_CSV_HEADER);
        if (ok) monitor_init(&mon, net);
        else if (cfg->curve_csv) out_abort(&csv.file);
    }
    if (!ok) {
        optim_free(&opt), batcher_free(&batches), free(lp.best), free(params);
        return false;
    }
    /* @end */
    const Dataset *ds = tr->data;
    int C = b->classes;
    long steps_per_epoch = (tr->n + cfg->batch - 1) / cfg->batch;
    /* @fold starts the progress line and the clock t0 (a resumed run's clock goes on from its last epoch) */
    Progress prog;
    progress_init(&prog, cfg->name, steps_per_epoch * cfg->epochs);
    double t0 = nn_seconds() - (r->epochs_run ? r->elapsed[r->epochs_run - 1] : 0);
    if (resumed == 1 && !cfg->quiet)
        progress_line(&prog, "%s resumed after epoch %d from %s", cfg->name, r->epochs_run, cfg->state);
    /* @end */
    /* @end */
    /* @region train_step */
    for (int epoch = r->epochs_run + 1; epoch <= cfg->epochs && !lp.done; epoch++) {
        batcher_shuffle(&batches, rng);
        const int *idx;
        int count, seen = 0, correct = 0;
        double loss_sum = 0, lr = 0;
        while (batcher_next(&batches, &idx, &count)) {
            dataset_batch(ds, idx, count, b->x, b->y);
            if (cfg->shift) augment_shift(b->x, count, ds->height, ds->width, cfg->shift,
                                          dataset_background(ds), b->scratch, rng);
            if (cfg->flip) augment_flip(b->x, count, ds->height, ds->width, rng);
            lr = schedule_lr(&cfg->sched, lp.step++);
            optim_zero_grad(&opt);
            const real *logits = net_forward(net, b->x, count, true, rng);
            correct += count_correct(logits, b->y, count, C);
            real loss = xent_forward(b->probs, logits, b->y, count, C, 0);
            if (!isfinite(loss)) {   /* diverged: stop, and say where */
                r->diverged = true, r->diverged_step = lp.step;
                break;
            }
            xent_backward(b->probs, b->probs, b->y, count, C, 0);
            net_backward(net, b->probs);
            if (cfg->l2 > 0) penalty_l2(params, np, cfg->l2);
            if (cfg->l1 > 0) penalty_l1(params, np, cfg->l1);
            /* @fold every monitor_every steps, the monitor (Lab 5) keeps the weights before the step */
            bool watch = cfg->monitor_csv && (lp.step - 1) % every == 0;
            if (watch) monitor_before_step(&mon);
            /* @end */
            optim_step(&opt, (real)lr);
            /* @fold the monitor's rows; weights that stopped being numbers end the run as diverged */
            if (watch) {
                monitor_after_step(&mon);
                monitor_csv_rows(&mon, &mcsv, lp.step);
                if (!mon.finite) {   /* the weights themselves stopped being numbers */
                    r->diverged = true, r->diverged_step = lp.step;
                    break;
                }
            }
            /* @end */
            loss_sum += (double)loss * count, seen += count;
            /* @fold shows the step on the progress line */
            if (!cfg->quiet) progress_step(&prog, lp.step, "loss %.4f", loss_sum / seen);
            /* @end */
        }
        /* @end */
        /* @region train_epoch */
        double val_loss = NAN, val_acc = NAN, train_loss = NAN, train_acc = NAN;
        if (!r->diverged) {
            if (!cfg->final_eval_only || epoch == cfg->epochs) val_acc = evaluate(net, val, b, &val_loss, NULL);
            train_loss = loss_sum / seen, train_acc = (double)correct / seen;
        }
        double elapsed = nn_seconds() - t0;
        int e = epoch - 1;
        r->train_loss[e] = train_loss, r->train_acc[e] = train_acc;
        r->val_loss[e] = val_loss, r->val_acc[e] = val_acc, r->elapsed[e] = elapsed, r->lr[e] = lr;
        r->epochs_run = epoch;
        /* @fold writes the epoch's row to the curve CSV */
        if (cfg->curve_csv) csv_row(&csv, "dffffgf", epoch, train_loss, train_acc, val_loss, val_acc, lr, elapsed);
        /* @end */
        if (r->diverged) {
            /* @fold says so on the progress line */
            if (!cfg->quiet)
                progress_line(&prog, "%s epoch %2d/%d  diverged at step %ld (loss not finite)", cfg->name, epoch,
                              cfg->epochs, r->diverged_step);
            /* @end */
            lp.done = true;
        } else {
            /* @fold prints the epoch's losses and accuracies */
            if (!cfg->quiet)
                progress_line(&prog, "%s epoch %2d/%d  train loss %.4f acc %.4f  val loss %.4f acc %.4f  %.1fs",
                              cfg->name, epoch, cfg->epochs, train_loss, train_acc, val_loss, val_acc, elapsed);
            /* @end */
            if (cfg->target_acc > 0 && r->epoch_reached == 0 && val_acc >= cfg->target_acc) r->epoch_reached = epoch;
            if (val_acc > r->best_val_acc) {   /* false for NAN */
                r->best_val_acc = val_acc, r->best_epoch = epoch;
                /* @fold saves a checkpoint if asked (a failed save ends the run) */
                char err[512];
                if (cfg->checkpoint && !checkpoint_save(net, cfg->checkpoint, err, sizeof err)) {
                    fprintf(stderr, "%s\n", err);
                    ok = false;
                    break;
                }
                /* @end */
            }
            r->final_val_acc = val_acc, r->final_train_acc = train_acc;
            if (val_loss < r->best_val_loss) r->best_val_loss = val_loss, r->best_loss_epoch = epoch;
            /* @region early_stop_keep_best */
            double watched = cfg->stop_on_acc ? -val_acc : val_loss;   /* lower is better */
            EarlyVerdict v = early_stop_update(&lp.es, watched, epoch);
            if (v == EARLY_BEST && lp.best) net_state_copy(net, lp.best);
            else if (v == EARLY_STOP && lp.best && epoch < cfg->epochs) {
                net_state_restore(net, lp.best);   /* parameters and buffers of the best epoch */
                r->stopped_early = true;
                r->final_val_acc = evaluate(net, val, b, NULL, NULL);
                /* @fold says so on the progress line */
                if (!cfg->quiet)
                    progress_line(&prog, "%s stopped early at epoch %d: no better validation %s for %d epochs; "
                                  "the weights of epoch %d are back", cfg->name, epoch,
                                  cfg->stop_on_acc ? "accuracy" : "loss", cfg->patience, lp.es.best_epoch);
                /* @end */
                lp.done = true;
            }
            /* @end */
        }
        /* @fold writes the resumable state if asked; halts after epoch halt_after if asked */
        if (cfg->state && !state_save(net, cfg, tr, &opt, &batches, rng, &lp, r)) {
            ok = false;
            break;
        }
        if (cfg->halt_after == epoch && !lp.done && epoch < cfg->epochs) {
            r->halted = true;
            break;
        }
        /* @end */
    }
    /* @fold closes the files, frees the optimizer's and the loop's memory */
    progress_done(&prog);
    free(lp.best);
    if (cfg->monitor_csv) {
        ok = csv_close(&mcsv) && ok;
        monitor_free(&mon);
    }
    r->seconds = nn_seconds() - t0;
    batcher_free(&batches);
    optim_free(&opt);
    free(params);
    if (cfg->curve_csv) {
        if (r->halted) out_abort(&csv.file);   /* as a killed process would: no half-written curve */
        else ok = csv_close(&csv) && ok;
    }
    /* @end */
    return ok;
}
/* @end */

double train_steps(Net *net, const Subset *tr, OptConfig oc, int steps, int batch, TrainBuffers *b, Rng *rng) {
    CHECK(batch > 0 && batch <= b->max_batch, "batch %d, buffers for %d", batch, b->max_batch);
    int np;
    Param *params = net_param_list(net, &np);
    Optimizer opt;
    optim_init(&opt, oc, params, np);
    Batcher batches;
    batcher_init(&batches, tr, batch);
    batcher_shuffle(&batches, rng);
    double loss = NAN;
    for (int step = 0; step < steps; step++) {
        const int *idx;
        int count;
        if (!batcher_next(&batches, &idx, &count)) {   /* an epoch is over: a new order */
            batcher_shuffle(&batches, rng);
            batcher_next(&batches, &idx, &count);
        }
        dataset_batch(tr->data, idx, count, b->x, b->y);
        optim_zero_grad(&opt);
        const real *logits = net_forward(net, b->x, count, true, rng);
        loss = xent_forward(b->probs, logits, b->y, count, b->classes, 0);
        xent_backward(b->probs, b->probs, b->y, count, b->classes, 0);
        net_backward(net, b->probs);
        optim_step(&opt, oc.lr);
    }
    batcher_free(&batches);
    optim_free(&opt);
    free(params);
    return loss;
}
