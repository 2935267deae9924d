/** # checkpoint.c */
#include "checkpoint.h"

#include <errno.h>
#include <string.h>
#include <zlib.h>

#include "output.h"

static const char MAGIC[8] = {'N', 'N', 'L', 'A', 'B', 'C', 'K', 'P'};
enum { VERSION = 1 };

/* A growing byte buffer: the file is assembled in memory, checksummed, then written at once. */
typedef struct {
    uint8_t *p;
    size_t len, cap;
} Bytes;

static void put(Bytes *b, const void *src, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + n > cap) cap *= 2;
        uint8_t *grown = realloc(b->p, cap);
        if (!grown) { fprintf(stderr, "out of memory\n"); exit(1); }
        b->p = grown, b->cap = cap;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void put_u32(Bytes *b, uint32_t v) { put(b, &v, 4); }

static void put_reals(Bytes *b, const real *x, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float f = (float)x[i];
        put(b, &f, 4);
    }
}

bool checkpoint_save(Net *net, const char *path, char *err, size_t errsize) {
    Bytes b = {0};
    uint32_t nlin = 0;
    for (int i = 0; i < net->nlayers; i++) nlin += net->layers[i].kind == LAYER_LINEAR;
    put(&b, MAGIC, 8);
    put_u32(&b, VERSION);
    put_u32(&b, nlin);
    for (int i = 0; i < net->nlayers; i++) {
        const Layer *l = &net->layers[i];
        if (l->kind != LAYER_LINEAR) continue;
        put_u32(&b, (uint32_t)l->in), put_u32(&b, (uint32_t)l->out), put_u32(&b, l->linear.b != NULL);
    }
    for (int i = 0; i < net->nlayers; i++) {
        const Layer *l = &net->layers[i];
        if (l->kind != LAYER_LINEAR) continue;
        put_reals(&b, l->linear.W, (size_t)l->in * l->out);
        if (l->linear.b) put_reals(&b, l->linear.b, (size_t)l->out);
    }
    put_u32(&b, (uint32_t)crc32(0L, b.p, (uInt)b.len));
    OutFile o;
    bool ok = out_open(&o, path);
    if (ok) {
        ok = fwrite(b.p, 1, b.len, o.f) == b.len;
        if (ok) ok = out_commit(&o);
        else out_abort(&o);
    }
    if (!ok) snprintf(err, errsize, "%s: could not write the checkpoint", path);
    free(b.p);
    return ok;
}

static uint32_t get_u32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

bool checkpoint_load(Net *net, const char *path, char *err, size_t errsize) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsize, "%s: cannot open the checkpoint (%s)", path, strerror(errno));
        return false;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = nn_calloc(size > 0 ? (size_t)size : 1, 1);
    bool ok = size >= 0 && fread(buf, 1, (size_t)size, f) == (size_t)size;
    fclose(f);
    size_t len = (size_t)size;
    uint32_t nlin = 0;
    for (int i = 0; i < net->nlayers; i++) nlin += net->layers[i].kind == LAYER_LINEAR;
    if (!ok) snprintf(err, errsize, "%s: cannot read the checkpoint", path);
    else if (len < 20 || memcmp(buf, MAGIC, 8) != 0) {
        snprintf(err, errsize, "%s: not an nnlab checkpoint (bad magic)", path);
        ok = false;
    } else if (get_u32(buf + 8) != VERSION) {
        snprintf(err, errsize, "%s: checkpoint version %u, this program reads version %d", path,
                 get_u32(buf + 8), VERSION);
        ok = false;
    } else if (get_u32(buf + len - 4) != (uint32_t)crc32(0L, buf, (uInt)(len - 4))) {
        snprintf(err, errsize, "%s: checksum mismatch: the checkpoint is corrupt or truncated", path);
        ok = false;
    } else if (get_u32(buf + 12) != nlin) {
        snprintf(err, errsize, "%s: holds %u Linear layers, the network has %u", path, get_u32(buf + 12), nlin);
        ok = false;
    } else if (len < 16 + 12 * (size_t)nlin + 4) {
        snprintf(err, errsize, "%s: truncated inside the layer table", path);
        ok = false;
    }
    /* shapes, then the values */
    size_t pos = 16, k = 0;
    for (int i = 0; ok && i < net->nlayers; i++) {
        const Layer *l = &net->layers[i];
        if (l->kind != LAYER_LINEAR) continue;
        uint32_t in = get_u32(buf + pos), out = get_u32(buf + pos + 4), bias = get_u32(buf + pos + 8);
        if (in != (uint32_t)l->in || out != (uint32_t)l->out || bias != (l->linear.b != NULL)) {
            snprintf(err, errsize, "%s: layer %zu is Linear(%u,%u)%s in the file but Linear(%d,%d)%s in the network",
                     path, k + 1, in, out, bias ? "" : " without bias", l->in, l->out,
                     l->linear.b ? "" : " without bias");
            ok = false;
        }
        pos += 12, k++;
    }
    size_t need = pos + 4;
    for (int i = 0; ok && i < net->nlayers; i++) {
        const Layer *l = &net->layers[i];
        if (l->kind == LAYER_LINEAR) need += 4 * ((size_t)l->in * l->out + (l->linear.b ? (size_t)l->out : 0));
    }
    if (ok && need != len) {
        snprintf(err, errsize, "%s: %zu bytes, the shapes it declares need %zu", path, len, need);
        ok = false;
    }
    for (int i = 0; ok && i < net->nlayers; i++) {
        Layer *l = &net->layers[i];
        if (l->kind != LAYER_LINEAR) continue;
        size_t nw = (size_t)l->in * l->out, nb = l->linear.b ? (size_t)l->out : 0;
        for (size_t j = 0; j < nw + nb; j++) {
            float v;
            memcpy(&v, buf + pos + 4 * j, 4);
            if (j < nw) l->linear.W[j] = (real)v;
            else l->linear.b[j - nw] = (real)v;
        }
        pos += 4 * (nw + nb);
    }
    free(buf);
    return ok;
}
