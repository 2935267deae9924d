/** # checkpoint.h — a network's whole state in one file, and back
 *
 * Version 2 of the file keeps everything a net is: its architecture and every value in it.
 *
 *     "NNLABCKP"                      8 bytes, magic
 *     version                         u32 (2)
 *     layers                          u32
 *     per layer: kind, in, out, nset  u32 each, then its nset settings as f64
 *                                     (Linear: bias; activation: kind, alpha; dropout: p;
 *                                      norm: kind, eps, momentum; residual begin/add: none)
 *     per layer: its parameters, then its buffers (BatchNorm's running mean and variance), f64
 *     training state                  u64 length, then that many bytes (0 for a plain checkpoint;
 *                                     train.c writes its own there: optimizer, epoch, RNG, ...)
 *     CRC-32 of everything above      u32
 *
 * Integers and floats are little-endian (as on x86 and ARM). Values are stored as f64 in both
 * builds, so a float or a double net comes back bit for bit.
 *
 * Two ways to load. `checkpoint_load` fills an existing net and first checks that the file's
 * architecture is the net's, naming the first difference. `checkpoint_load_net` builds the net from
 * the file alone. Both refuse — with one sentence in err, nothing changed, nothing leaked — a file
 * that is missing, not a checkpoint, of another version (version-1 files, which kept only the
 * Linear layers, are refused: train again to write a version-2 file), truncated, failing its
 * checksum, describing a layer that cannot be (an unknown kind, absurd widths, a bad setting), or
 * holding a value that is not finite. Saving is atomic (temp file + rename).
 *
 * Built with -DNN_FUZZ (the fuzzer, `make fuzz`) the checksum is not checked, so that random input
 * reaches the parser behind it.
 */
#ifndef NN_CHECKPOINT_H
#define NN_CHECKPOINT_H

#include "net.h"

/* A growing byte buffer (what a file is assembled in) and a reader that never reads past its end:
 * the training state uses them for its own block. */
typedef struct {
    uint8_t *p;
    size_t len, cap;
} Bytes;

typedef struct {
    const uint8_t *p;
    size_t len, pos;
    bool bad;           /* a read went past the end: every later read returns 0 */
} Reader;

void bytes_put(Bytes *b, const void *src, size_t n);
void bytes_u32(Bytes *b, uint32_t v);
void bytes_u64(Bytes *b, uint64_t v);
void bytes_f64(Bytes *b, double v);
void bytes_reals(Bytes *b, const real *x, size_t n);   /* as f64 */
void bytes_free(Bytes *b);

uint32_t read_u32(Reader *r);
uint64_t read_u64(Reader *r);
double read_f64(Reader *r);
/* n values into x; false (x untouched beyond what was read) when the reader runs out or a value is
 * not finite. */
bool read_reals(Reader *r, real *x, size_t n);

bool checkpoint_save(Net *net, const char *path, char *err, size_t errsize);
bool checkpoint_load(Net *net, const char *path, char *err, size_t errsize);
/* Builds *net (max_batch rows) from the file; *net is untouched when it fails. */
bool checkpoint_load_net(Net *net, const char *path, int max_batch, char *err, size_t errsize);

/* The same with a training state: `state` (may be NULL) is written after the values; on load the
 * state block is copied into *state (which the caller frees with bytes_free). */
bool checkpoint_save_state(Net *net, const Bytes *state, const char *path, char *err, size_t errsize);
bool checkpoint_load_state(Net *net, Bytes *state, const char *path, char *err, size_t errsize);

/* The parser itself, on bytes in memory (the fuzzer's entry): into `net` when `build` is false,
 * else builds *net with max_batch rows. `name` starts each message. */
bool checkpoint_parse(Net *net, bool build, int max_batch, Bytes *state, const uint8_t *buf, size_t len,
                      const char *name, char *err, size_t errsize);

#endif
