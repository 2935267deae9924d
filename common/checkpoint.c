/** # checkpoint.c — the format is in checkpoint.h */
#include "checkpoint.h"

#include <errno.h>
#include <string.h>
#include <zlib.h>

#include "output.h"

static const char MAGIC[8] = {'N', 'N', 'L', 'A', 'B', 'C', 'K', 'P'};
enum { VERSION = 2, MAX_LAYERS = 1 << 16 };

void bytes_put(Bytes *b, const void *src, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + n > cap) cap *= 2;
        uint8_t *grown = realloc(b->p, cap);
        CHECK(grown, "out of memory for a %zu-byte buffer", cap);
        b->p = grown, b->cap = cap;
    }
    if (n) memcpy(b->p + b->len, src, n);
    b->len += n;
}

void bytes_u32(Bytes *b, uint32_t v) { bytes_put(b, &v, 4); }
void bytes_u64(Bytes *b, uint64_t v) { bytes_put(b, &v, 8); }
void bytes_f64(Bytes *b, double v) { bytes_put(b, &v, 8); }
void bytes_reals(Bytes *b, const real *x, size_t n) {
    for (size_t i = 0; i < n; i++) bytes_f64(b, (double)x[i]);
}
void bytes_free(Bytes *b) {
    free(b->p);
    *b = (Bytes){0};
}

static const uint8_t *take(Reader *r, size_t n) {
    if (r->bad || n > r->len - r->pos) {
        r->bad = true;
        return NULL;
    }
    const uint8_t *p = r->p + r->pos;
    r->pos += n;
    return p;
}

uint32_t read_u32(Reader *r) {
    uint32_t v = 0;
    const uint8_t *p = take(r, 4);
    if (p) memcpy(&v, p, 4);
    return v;
}

uint64_t read_u64(Reader *r) {
    uint64_t v = 0;
    const uint8_t *p = take(r, 8);
    if (p) memcpy(&v, p, 8);
    return v;
}

double read_f64(Reader *r) {
    double v = 0;
    const uint8_t *p = take(r, 8);
    if (p) memcpy(&v, p, 8);
    return v;
}

bool read_reals(Reader *r, real *x, size_t n) {
    for (size_t i = 0; i < n; i++) {
        double v = read_f64(r);
        if (r->bad || !isfinite(v)) return false;
        x[i] = (real)v;
    }
    return true;
}

/* ---- saving ----------------------------------------------------------------------------------- */

bool checkpoint_save_state(Net *net, const Bytes *state, const char *path, char *err, size_t errsize) {
    Bytes b = {0};
    bytes_put(&b, MAGIC, 8);
    bytes_u32(&b, VERSION);
    bytes_u32(&b, (uint32_t)net->nlayers);
    for (int i = 0; i < net->nlayers; i++) {
        LayerSpec s = layer_spec(&net->layers[i]);
        bytes_u32(&b, (uint32_t)s.kind), bytes_u32(&b, (uint32_t)s.in), bytes_u32(&b, (uint32_t)s.out);
        bytes_u32(&b, (uint32_t)s.nset);
        for (int k = 0; k < s.nset; k++) bytes_f64(&b, s.set[k]);
    }
    for (int i = 0; i < net->nlayers; i++) {
        Param p[LAYER_MAX_PARAMS];
        Buffer q[LAYER_MAX_BUFFERS];
        for (int j = 0, n = layer_params(&net->layers[i], p); j < n; j++) bytes_reals(&b, p[j].w, p[j].n);
        for (int j = 0, n = layer_buffers(&net->layers[i], q); j < n; j++) bytes_reals(&b, q[j].w, q[j].n);
    }
    bytes_u64(&b, state ? state->len : 0);
    if (state) bytes_put(&b, state->p, state->len);
    bytes_u32(&b, (uint32_t)crc32(0L, b.p, (uInt)b.len));
    OutFile o;
    bool ok = out_open(&o, path);
    if (ok) {
        ok = fwrite(b.p, 1, b.len, o.f) == b.len;
        if (ok) ok = out_commit(&o);
        else out_abort(&o);
    }
    if (!ok) snprintf(err, errsize, "%s: could not write the checkpoint", path);
    bytes_free(&b);
    return ok;
}

bool checkpoint_save(Net *net, const char *path, char *err, size_t errsize) {
    return checkpoint_save_state(net, NULL, path, err, errsize);
}

/* ---- loading ---------------------------------------------------------------------------------- */

#define FAIL(...) do { snprintf(err, errsize, __VA_ARGS__); goto fail; } while (0)

bool checkpoint_parse(Net *net, bool build, int max_batch, Bytes *state, const uint8_t *buf, size_t len,
                      const char *name, char *err, size_t errsize) {
    Reader r = {buf, len, 0, false};
    LayerSpec *specs = NULL;
    Net got = {0};
    bool have_net = false;
    char what[160], want[160];
    if (len < 8 || memcmp(buf, MAGIC, 8) != 0) FAIL("%s: not an nnlab checkpoint (bad magic)", name);
    take(&r, 8);
    uint32_t version = read_u32(&r);
    if (r.bad) FAIL("%s: truncated in its header", name);
    if (version == 1)
        FAIL("%s: a version-1 checkpoint (Linear weights only); this program reads version 2, which keeps "
             "the whole network: train again to write one", name);
    if (version != VERSION) FAIL("%s: checkpoint version %u, this program reads version %d", name, version, VERSION);
#ifndef NN_FUZZ
    if (len < 16 || (uint32_t)crc32(0L, buf, (uInt)(len - 4)) != (uint32_t)(buf[len - 4] | buf[len - 3] << 8 |
                                                                          buf[len - 2] << 16 | (uint32_t)buf[len - 1] << 24))
        FAIL("%s: checksum mismatch: the checkpoint is corrupt or truncated", name);
#endif
    uint32_t nlayers = read_u32(&r);
    if (r.bad) FAIL("%s: truncated in its header", name);
    if (nlayers == 0 || nlayers > MAX_LAYERS) FAIL("%s: declares %u layers (1 to %d make sense)", name, nlayers, MAX_LAYERS);
    /* 1. the architecture, read and checked before anything is allocated for it */
    specs = nn_calloc(nlayers, sizeof *specs);
    uint64_t values = 0;
    for (uint32_t i = 0; i < nlayers; i++) {
        LayerSpec *s = &specs[i];
        uint32_t kind = read_u32(&r), in = read_u32(&r), out = read_u32(&r), nset = read_u32(&r);
        if (r.bad) FAIL("%s: truncated in the description of layer %u", name, i + 1);
        if (kind >= LAYER_NKINDS) FAIL("%s: layer %u is of an unknown kind (%u)", name, i + 1, kind);
        if (in < 1 || in > NET_MAX_WIDTH || out < 1 || out > NET_MAX_WIDTH)
            FAIL("%s: layer %u (%s) claims %u inputs and %u outputs; at most %d make sense", name, i + 1,
                 layer_kind_name((LayerKind)kind), in, out, NET_MAX_WIDTH);
        if (nset > LAYER_MAX_SETTINGS) FAIL("%s: layer %u has %u settings, at most %d make sense", name, i + 1, nset, LAYER_MAX_SETTINGS);
        *s = (LayerSpec){(LayerKind)kind, (int)in, (int)out, (int)nset, {0}};
        for (uint32_t k = 0; k < nset; k++) s->set[k] = read_f64(&r);
        if (r.bad) FAIL("%s: truncated in the description of layer %u", name, i + 1);
        values += layer_spec_values(s);
    }
    if (values > (len - r.pos) / 8) FAIL("%s: truncated: its layers need %llu values, the file holds fewer", name,
                                         (unsigned long long)values);
    /* 2. the net those layers make: built in a scratch net, so a refusal changes nothing */
    net_init(&got, build ? max_batch : 1);
    have_net = true;
    for (uint32_t i = 0; i < nlayers; i++)
        if (!net_add_spec(&got, &specs[i], what, sizeof what)) FAIL("%s: %s", name, what);
    if (!build) {
        for (int i = 0; i < net->nlayers && i < (int)nlayers; i++) {
            LayerSpec a = layer_spec(&got.layers[i]), b = layer_spec(&net->layers[i]);
            if (a.kind == b.kind && a.in == b.in && a.out == b.out && a.nset == b.nset &&
                memcmp(a.set, b.set, sizeof a.set) == 0) continue;
            layer_spec_describe(&a, what, sizeof what), layer_spec_describe(&b, want, sizeof want);
            FAIL("%s: layer %d is %s in the file but %s in the network", name, i + 1, what, want);
        }
        if (net->nlayers != (int)nlayers)
            FAIL("%s: holds %u layers, the network has %d", name, nlayers, net->nlayers);
    }
    /* 3. the values, each finite */
    for (int i = 0; i < got.nlayers; i++) {
        Param p[LAYER_MAX_PARAMS];
        Buffer q[LAYER_MAX_BUFFERS];
        int np = layer_params(&got.layers[i], p), nb = layer_buffers(&got.layers[i], q);
        for (int j = 0; j < np + nb; j++) {
            real *w = j < np ? p[j].w : q[j - np].w;
            size_t n = j < np ? p[j].n : q[j - np].n;
            if (!read_reals(&r, w, n))
                FAIL("%s: layer %d's %s holds a value that is not a finite number", name, i + 1,
                     j < np ? p[j].name : q[j - np].name);
        }
    }
    /* 4. the training state, then nothing but the checksum */
    uint64_t slen = read_u64(&r);
    if (r.bad || slen > len - r.pos || len - r.pos - slen != 4)
        FAIL("%s: its training state does not fit the file (truncated or corrupt)", name);
    if (state) {
        *state = (Bytes){0};
        bytes_put(state, buf + r.pos, (size_t)slen);
    }
    free(specs);
    if (build) {
        *net = got;
        return true;
    }
    real *v = nn_calloc(net_state_count(&got) + 1, sizeof(real));   /* same architecture: same layout */
    net_state_copy(&got, v);
    net_state_restore(net, v);
    free(v);
    net_free(&got);
    return true;
fail:
    free(specs);
    if (have_net) net_free(&got);
    return false;
}

static bool load(Net *net, bool build, int max_batch, Bytes *state, const char *path, char *err, size_t errsize) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s: cannot open the checkpoint (%s)", path, strerror(errno));
        return false;
    }
    Bytes b = {0};
    uint8_t chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) bytes_put(&b, chunk, got);
    bool ok = !ferror(f);
    fclose(f);
    if (!ok) snprintf(err, errsize, "%s: cannot read the checkpoint", path);
    else ok = checkpoint_parse(net, build, max_batch, state, b.p ? b.p : (const uint8_t *)"", b.len, path, err, errsize);
    bytes_free(&b);
    return ok;
}

bool checkpoint_load(Net *net, const char *path, char *err, size_t errsize) {
    return load(net, false, 0, NULL, path, err, errsize);
}

bool checkpoint_load_net(Net *net, const char *path, int max_batch, char *err, size_t errsize) {
    CHECK(max_batch > 0, "max_batch %d", max_batch);
    return load(net, true, max_batch, NULL, path, err, errsize);
}

bool checkpoint_load_state(Net *net, Bytes *state, const char *path, char *err, size_t errsize) {
    return load(net, false, 0, state, path, err, errsize);
}
