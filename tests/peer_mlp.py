"""peer_mlp.py numpy|torch [threads] -- Lab 08's peers: one epoch of the same MLP in NumPy or PyTorch
(PyTorch on `threads` threads, default 2; NumPy uses OpenBLAS's own setting).

Debian's PyTorch does its matrix products through the system BLAS (OpenBLAS), which starts
threads of its own next to PyTorch's OpenMP ones: on two cores the four fight, and the epoch takes
two to three times as long (measured 8.9-10.8 s against 3.9-4.2 s). So for PyTorch OpenBLAS is
held to one thread and PyTorch's own threads do the parallel work, as a user tuning it would.

784-256-128-10, ReLU, Adam (lr 1e-3), batch 64, softmax cross-entropy, over the 60,000
Fashion-MNIST training images (standardized), shuffled; He-normal hidden weights. Prints
`epoch_seconds S` (the training loop only, not the loading). Optional: `make bench` runs it when
python3 and the package are installed; nothing else needs it. Exits 1 with one sentence if the
package is missing.
"""
import gzip
import os
import sys
import time

if len(sys.argv) > 1 and sys.argv[1] == "torch":
    os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy or torch loads OpenBLAS; see above


def load(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    return raw


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else "numpy"
    try:
        import numpy as np
    except ImportError:
        print("python3-numpy is not installed")
        return 1
    raw = load("data/fashion-mnist/train-images-idx3-ubyte.gz")
    lab = load("data/fashion-mnist/train-labels-idx1-ubyte.gz")
    x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255
    y = np.frombuffer(lab, dtype=np.uint8, offset=8).astype(np.int64)
    x = (x - x.mean()) / x.std()
    n, batch = x.shape[0], 64
    rng = np.random.default_rng(1)
    order = rng.permutation(n)
    if which == "torch":
        try:
            import torch
        except ImportError:
            print("python3-torch is not installed")
            return 1
        torch.manual_seed(1)
        torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
        net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                                  torch.nn.ReLU(), torch.nn.Linear(128, 10))
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        xt, yt = torch.from_numpy(x), torch.from_numpy(y)
        t0 = time.perf_counter()
        for s in range(0, n, batch):
            idx = torch.from_numpy(order[s:s + batch])
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
        print("epoch_seconds %.4f" % (time.perf_counter() - t0))
        return 0
    dims = [784, 256, 128, 10]
    W = [(rng.standard_normal((dims[i], dims[i + 1])) * np.sqrt(2 / dims[i])).astype(np.float32) for i in range(3)]
    b = [np.zeros(dims[i + 1], np.float32) for i in range(3)]
    params = W + b
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, b1, b2, eps, t = 1e-3, 0.9, 0.999, 1e-8, 0
    t0 = time.perf_counter()
    for s in range(0, n, batch):
        idx = order[s:s + batch]
        xb, yb = x[idx], y[idx]
        h1 = np.maximum(xb @ W[0] + b[0], 0)
        h2 = np.maximum(h1 @ W[1] + b[1], 0)
        z = h2 @ W[2] + b[2]
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(len(yb)), yb] -= 1
        dz = p / len(yb)
        g = [None] * 6
        g[2], g[5] = h2.T @ dz, dz.sum(0)
        d2 = (dz @ W[2].T) * (h2 > 0)
        g[1], g[4] = h1.T @ d2, d2.sum(0)
        d1 = (d2 @ W[1].T) * (h1 > 0)
        g[0], g[3] = xb.T @ d1, d1.sum(0)
        t += 1
        for i, pa in enumerate(params):
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            pa -= lr * (m[i] / (1 - b1 ** t)) / (np.sqrt(v[i] / (1 - b2 ** t)) + eps)
    print("epoch_seconds %.4f" % (time.perf_counter() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
