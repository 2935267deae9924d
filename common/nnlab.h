/** # nnlab.h — the whole library in one include, for labs */
#ifndef NNLAB_H
#define NNLAB_H

#include "activations.h"
#include "gemm.h"
#include "gradcheck.h"
#include "init.h"
#include "lab.h"
#include "linear.h"
#include "loss.h"
#include "net.h"
#include "nn.h"
#include "optim.h"
#include "output.h"
#include "parallel.h"
#include "progress.h"
#include "rng.h"
#include "schedule.h"
#include "threads.h"

#endif
