/** # checkpoint.h — saving and restoring a network's weights
 *
 * The file is small and self-checking:
 *
 *     "NNLABCKP"            8 bytes, magic
 *     version               u32 (1)
 *     layers                u32, the number of Linear layers
 *     per layer: in, out, has_bias   u32 each
 *     per layer: W [out*in], then b [out] if present     float32
 *     CRC-32 of everything above   u32
 *
 * Integers and floats are little-endian (as on x86 and ARM). Values are stored as float32 in both
 * builds. Loading refuses — with one sentence saying why — a file that is not a checkpoint, has
 * another version, is truncated, fails its checksum, or whose shapes differ from the network it
 * is loaded into. Saving is atomic (temp file + rename).
 */
#ifndef NN_CHECKPOINT_H
#define NN_CHECKPOINT_H

#include "net.h"

bool checkpoint_save(Net *net, const char *path, char *err, size_t errsize);
bool checkpoint_load(Net *net, const char *path, char *err, size_t errsize);

#endif
