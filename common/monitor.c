/** # monitor.c — per-layer instruments; see monitor.h. */
#include "monitor.h"

#include <string.h>

const char *const MONITOR_CSV_HEADER = "step,layer,kind,weight_norm,grad_norm,update_ratio,mean,std,saturated,dead";

static bool measured(LayerKind k) { return k == LAYER_LINEAR || k == LAYER_ACT; }

void monitor_init(Monitor *m, Net *net) {
    *m = (Monitor){.net = net, .finite = true};
    for (int i = 0; i < net->nlayers; i++) m->n += measured(net->layers[i].kind);
    m->stats = nn_calloc((size_t)(m->n ? m->n : 1), sizeof(LayerStat));
    m->before = nn_calloc((size_t)(m->n ? m->n : 1), sizeof(real *));
    for (int i = 0, k = 0; i < net->nlayers; i++) {
        const Layer *l = &net->layers[i];
        if (!measured(l->kind)) continue;
        m->stats[k] = (LayerStat){.layer = i, .kind = l->kind};
        if (l->kind == LAYER_LINEAR) m->before[k] = nn_calloc((size_t)l->in * l->out, sizeof(real));
        k++;
    }
}

void monitor_free(Monitor *m) {
    for (int k = 0; k < m->n; k++) free(m->before[k]);
    free(m->before), free(m->stats);
    *m = (Monitor){0};
}

void monitor_before_step(Monitor *m) {
    for (int k = 0; k < m->n; k++)
        if (m->before[k]) {
            const Layer *l = &m->net->layers[m->stats[k].layer];
            memcpy(m->before[k], l->linear.W, (size_t)l->in * l->out * sizeof(real));
        }
}

/* Activations of the last forward: y [N, d]. Saturation applies to sigmoid and tanh only. */
static void activation_stats(LayerStat *s, const Layer *l, int N) {
    size_t d = (size_t)l->out, n = (size_t)N * d;
    double sum = 0, ss = 0;
    size_t saturated = 0, dead = 0;
    ActKind kind = l->act.kind;
    for (size_t j = 0; j < n; j++) {
        double y = l->y[j];
        sum += y, ss += y * y;
        if (kind == ACT_SIGMOID) saturated += y < 0.01 || y > 0.99;
        if (kind == ACT_TANH) saturated += fabs(y) > 0.99;
    }
    for (size_t u = 0; u < d; u++) {
        bool any = false;
        for (int i = 0; i < N && !any; i++) any = l->y[(size_t)i * d + u] != 0;
        dead += !any;
    }
    s->mean = sum / (double)n;
    s->std = sqrt(fmax(0, ss / (double)n - s->mean * s->mean));
    s->saturated = kind == ACT_SIGMOID || kind == ACT_TANH ? (double)saturated / (double)n : NAN;
    s->dead = (double)dead / (double)d;
}

void monitor_activations(Monitor *m) {
    for (int k = 0; k < m->n; k++) {
        LayerStat *s = &m->stats[k];
        const Layer *l = &m->net->layers[s->layer];
        if (l->kind == LAYER_ACT && m->net->N > 0) activation_stats(s, l, m->net->N);
        else s->mean = s->std = s->saturated = s->dead = NAN;
    }
}

void monitor_after_step(Monitor *m) {
    m->finite = true;
    monitor_activations(m);
    for (int k = 0; k < m->n; k++) {
        LayerStat *s = &m->stats[k];
        const Layer *l = &m->net->layers[s->layer];
        s->weight_norm = s->grad_norm = s->update_ratio = NAN;
        if (l->kind != LAYER_LINEAR) continue;
        double w = 0, g = 0, dw = 0;
        for (size_t j = 0; j < (size_t)l->in * l->out; j++) {
            double v = l->linear.W[j], d = v - (double)m->before[k][j];
            w += v * v, g += (double)l->linear.dW[j] * l->linear.dW[j], dw += d * d;
        }
        s->weight_norm = sqrt(w), s->grad_norm = sqrt(g);
        s->update_ratio = w > 0 ? sqrt(dw / w) : NAN;
        m->finite = m->finite && isfinite(w) && isfinite(g);
    }
}

/* A value, "-" where the column does not apply to the layer, "diverged" where it is not finite. */
static const char *num(char *buf, size_t size, double v, bool applies) {
    if (!applies) snprintf(buf, size, "-");
    else if (!isfinite(v)) snprintf(buf, size, "diverged");
    else snprintf(buf, size, "%.6g", v);
    return buf;
}

void monitor_csv_rows(const Monitor *m, Csv *csv, long step) {
    for (int k = 0; k < m->n; k++) {
        const LayerStat *s = &m->stats[k];
        const Layer *l = &m->net->layers[s->layer];
        bool lin = l->kind == LAYER_LINEAR, act = !lin;
        bool sat = act && (l->act.kind == ACT_SIGMOID || l->act.kind == ACT_TANH);
        char v[7][32];
        csv_row(csv, "ldssssssss", step, s->layer, lin ? "linear" : act_name(l->act.kind),
                num(v[0], 32, s->weight_norm, lin), num(v[1], 32, s->grad_norm, lin),
                num(v[2], 32, s->update_ratio, lin), num(v[3], 32, s->mean, act), num(v[4], 32, s->std, act),
                num(v[5], 32, s->saturated, sat), num(v[6], 32, s->dead, act));
    }
}
