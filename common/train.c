/* train.c -- the shared training loop; its documentation is in train.h. */
#include "train.h"

#include "checkpoint.h"
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

bool train_classifier(Net *net, const Subset *tr, const Subset *val, const TrainConfig *cfg,
                      TrainBuffers *b, Rng *rng, TrainResult *r) {
    CHECK(cfg->epochs > 0 && cfg->epochs <= TRAIN_MAX_EPOCHS, "epochs %d", cfg->epochs);
    CHECK(cfg->batch > 0 && cfg->batch <= b->max_batch, "batch %d, buffers for %d", cfg->batch, b->max_batch);
    CHECK(!cfg->final_eval_only || (!cfg->curve_csv && !cfg->patience && !cfg->checkpoint),
          "final_eval_only needs no curve, checkpoint or patience");
    *r = (TrainResult){0};
    Csv csv = {0};
    if (cfg->curve_csv && !csv_open(&csv, cfg->curve_csv, "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds"))
        return false;
    Param params[64];
    int np = net_params(net, params, 64);
    Optimizer opt;
    optim_init(&opt, cfg->opt, params, np);
    Batcher batches;
    batcher_init(&batches, tr, cfg->batch);
    real *best = cfg->patience > 0 ? nn_calloc(params_count(params, np), sizeof(real)) : NULL;
    Monitor mon = {0};
    Csv mcsv = {0};
    int every = cfg->monitor_every > 0 ? cfg->monitor_every : 10;
    if (cfg->monitor_csv) {
        if (!csv_open(&mcsv, cfg->monitor_csv, MONITOR_CSV_HEADER)) {
            if (cfg->curve_csv) out_abort(&csv.file);
            optim_free(&opt), batcher_free(&batches), free(best);
            return false;
        }
        monitor_init(&mon, net);
    }
    r->best_val_loss = INFINITY;
    int since_best = 0, best_watched_epoch = 0;
    double best_watched = INFINITY;   /* the validation loss, or minus the accuracy, early stopping watches */
    const Dataset *ds = tr->data;
    int C = b->classes;
    long steps_per_epoch = (tr->n + cfg->batch - 1) / cfg->batch, step = 0;
    Progress prog;
    progress_init(&prog, cfg->name, steps_per_epoch * cfg->epochs);
    double t0 = nn_seconds();
    bool ok = true;
    for (int epoch = 1; epoch <= cfg->epochs && !r->diverged; epoch++) {
        batcher_shuffle(&batches, rng);
        const int *idx;
        int count, seen = 0, correct = 0;
        double loss_sum = 0, lr = 0;
        while (batcher_next(&batches, &idx, &count)) {
            dataset_batch(ds, idx, count, b->x, b->y);
            if (cfg->shift) augment_shift(b->x, count, ds->height, ds->width, cfg->shift,
                                          dataset_background(ds), b->scratch, rng);
            if (cfg->flip) augment_flip(b->x, count, ds->height, ds->width, rng);
            lr = schedule_lr(&cfg->sched, step++);
            optim_zero_grad(&opt);
            const real *logits = net_forward(net, b->x, count, true, rng);
            correct += count_correct(logits, b->y, count, C);
            real loss = xent_forward(b->probs, logits, b->y, count, C, 0);
            if (!isfinite(loss)) {   /* diverged: stop, and say where */
                r->diverged = true, r->diverged_step = step;
                break;
            }
            xent_backward(b->probs, b->probs, b->y, count, C, 0);
            net_backward(net, b->probs);
            if (cfg->l2 > 0) penalty_l2(params, np, cfg->l2);
            if (cfg->l1 > 0) penalty_l1(params, np, cfg->l1);
            bool watch = cfg->monitor_csv && (step - 1) % every == 0;
            if (watch) monitor_before_step(&mon);
            optim_step(&opt, (real)lr);
            if (watch) {
                monitor_after_step(&mon);
                monitor_csv_rows(&mon, &mcsv, step);
                if (!mon.finite) {   /* the weights themselves stopped being numbers */
                    r->diverged = true, r->diverged_step = step;
                    break;
                }
            }
            loss_sum += (double)loss * count, seen += count;
            if (!cfg->quiet) progress_step(&prog, step, "loss %.4f", loss_sum / seen);
        }
        double val_loss = NAN, val_acc = NAN, train_loss = NAN, train_acc = NAN;
        if (!r->diverged) {
            if (!cfg->final_eval_only || epoch == cfg->epochs) val_acc = evaluate(net, val, b, &val_loss, NULL);
            train_loss = loss_sum / seen, train_acc = (double)correct / seen;
        }
        double elapsed = nn_seconds() - t0;
        int e = epoch - 1;
        r->train_loss[e] = train_loss, r->train_acc[e] = train_acc;
        r->val_loss[e] = val_loss, r->val_acc[e] = val_acc, r->elapsed[e] = elapsed;
        r->epochs_run = epoch;
        if (cfg->curve_csv) csv_row(&csv, "dffffgf", epoch, train_loss, train_acc, val_loss, val_acc, lr, elapsed);
        if (r->diverged) {
            if (!cfg->quiet)
                progress_line(&prog, "%s epoch %2d/%d  diverged at step %ld (loss not finite)", cfg->name, epoch,
                              cfg->epochs, r->diverged_step);
            break;
        }
        if (!cfg->quiet)
            progress_line(&prog, "%s epoch %2d/%d  train loss %.4f acc %.4f  val loss %.4f acc %.4f  %.1fs",
                              cfg->name, epoch, cfg->epochs, train_loss, train_acc, val_loss, val_acc, elapsed);
        if (cfg->target_acc > 0 && r->epoch_reached == 0 && val_acc >= cfg->target_acc) r->epoch_reached = epoch;
        if (val_acc > r->best_val_acc) {   /* false for NAN */
            r->best_val_acc = val_acc, r->best_epoch = epoch;
            char err[512];
            if (cfg->checkpoint && !checkpoint_save(net, cfg->checkpoint, err, sizeof err)) {
                fprintf(stderr, "%s\n", err);
                ok = false;
                break;
            }
        }
        r->final_val_acc = val_acc, r->final_train_acc = train_acc;
        if (val_loss < r->best_val_loss) r->best_val_loss = val_loss, r->best_loss_epoch = epoch;
        double watched = cfg->stop_on_acc ? -val_acc : val_loss;   /* lower is better */
        if (watched < best_watched) {
            best_watched = watched, best_watched_epoch = epoch, since_best = 0;
            if (best) params_copy(best, params, np);
        } else if (best && ++since_best >= cfg->patience && epoch < cfg->epochs) {
            params_restore(params, np, best);
            r->stopped_early = true;
            r->final_val_acc = evaluate(net, val, b, NULL, NULL);
            if (!cfg->quiet)
                progress_line(&prog, "%s stopped early at epoch %d: no better validation %s for %d epochs; "
                              "the weights of epoch %d are back", cfg->name, epoch,
                              cfg->stop_on_acc ? "accuracy" : "loss", cfg->patience, best_watched_epoch);
            break;
        }
    }
    progress_done(&prog);
    free(best);
    if (cfg->monitor_csv) {
        ok = csv_close(&mcsv) && ok;
        monitor_free(&mon);
    }
    r->seconds = nn_seconds() - t0;
    batcher_free(&batches);
    optim_free(&opt);
    if (cfg->curve_csv) ok = csv_close(&csv) && ok;
    return ok;
}

double train_steps(Net *net, const Subset *tr, OptConfig oc, int steps, int batch, TrainBuffers *b, Rng *rng) {
    CHECK(batch > 0 && batch <= b->max_batch, "batch %d, buffers for %d", batch, b->max_batch);
    Param params[64];
    int np = net_params(net, params, 64);
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
    return loss;
}
