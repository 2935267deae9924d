# losses_lab00.py -- regenerate losses_lab00.txt: PyTorch's BCEWithLogitsLoss and HuberLoss
# (mean reduction) and their gradients on fixed inputs, for tests/test_loss.c.
#   /usr/bin/python3 tests/golden/losses_lab00.py > tests/golden/losses_lab00.txt
# Needs Debian's python3-torch (1.13); nothing in the build runs it.
import math
import torch

torch.set_default_dtype(torch.float64)

def show(name, t):
    vals = t.detach().reshape(-1).tolist()
    print(f"{name} shape={list(t.shape)}")
    print("  " + ", ".join(f"{v:.15g}" for v in vals))

# X (4x3) and G (4x3) as in tests/check.h (and the shared torch_golden.py)
X = torch.tensor([[math.sin(1 + 3 * i + j) * (1 + j) for j in range(3)] for i in range(4)])
G = torch.tensor([[math.cos(2 + 3 * i + j) for j in range(3)] for i in range(4)])
T = torch.tensor([[((3 * i + j) % 3) / 2 for j in range(3)] for i in range(4)])   # 0, 0.5, 1 per row
print("# Written by tests/golden/losses_lab00.py (PyTorch, Debian python3-torch); copied into tests/test_loss.c")
print(f"# torch {torch.__version__}, float64")
show("X", X); show("G", G); show("T (T[i][j] = j/2)", T)

print("\n# BCEWithLogitsLoss(reduction='mean')(X, T)")
x = X.clone().requires_grad_(True)
loss = torch.nn.BCEWithLogitsLoss()(x, T)
loss.backward()
show("bce loss", loss); show("bce dloss/dX", x.grad)

print("\n# BCEWithLogitsLoss on extreme logits Z with targets Y")
Z = torch.tensor([-100.0, -20.0, -5.0, 0.0, 5.0, 20.0, 100.0, 30.0])
Y = torch.tensor([1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0])
show("Z", Z); show("Y", Y)
z = Z.clone().requires_grad_(True)
loss = torch.nn.BCEWithLogitsLoss()(z, Y)
loss.backward()
show("bce extreme loss", loss); show("bce extreme dloss/dZ", z.grad)

for delta in (1.0, 2.0):
    print(f"\n# HuberLoss(delta={delta}, reduction='mean')(X, G)")
    x = X.clone().requires_grad_(True)
    loss = torch.nn.HuberLoss(delta=delta)(x, G)
    loss.backward()
    show(f"huber{delta} loss", loss); show(f"huber{delta} dloss/dX", x.grad)
