"""PyTorch peer of EngineBenchmark.java: the same work, one thread, median milliseconds per call.

Run by benchmarks/run-engine-vs-torch.sh with OPENBLAS_NUM_THREADS=1 (torch.set_num_threads does not
bound Debian's pthread OpenBLAS). Prints lines "RESULT <name> <median ms>" that the harness pairs with
the Java side's. Every workload matches the Java one: MLP 784-H-10 with tanh, mean softmax
cross-entropy plus 1/2 sum exp(lambda) * W^2 on both weight matrices (one hyperparameter per weight),
float32; softmax regression 13 -> 3 (42 weights, per-weight decay on W) in float64 on batches of 32.
"""
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 15


def median_ms(fn, prepare, repeats=REPEATS):
    # The same warm-up rule as the Java side: at least max(3, repeats / 5) calls and 2 seconds.
    end = time.perf_counter() + 2.0
    i = 0
    while i < max(3, repeats // 5) or time.perf_counter() < end:
        prepare()
        fn()
        i += 1
    times = []
    for _ in range(repeats):
        prepare()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def mlp(hidden, batch, dtype=torch.float32):
    g = torch.Generator().manual_seed(42)
    p = {
        "W0": torch.randn(784, hidden, generator=g, dtype=dtype) / 784 ** 0.5,
        "b0": torch.zeros(hidden, dtype=dtype),
        "W1": torch.randn(hidden, 10, generator=g, dtype=dtype) / hidden ** 0.5,
        "b1": torch.zeros(10, dtype=dtype),
    }
    lam = {"l0": torch.randn(784, hidden, generator=g, dtype=dtype) - 4, "l1": torch.randn(hidden, 10, generator=g, dtype=dtype) - 4}
    for t in list(p.values()) + list(lam.values()):
        t.requires_grad_(True)
    data = {k: torch.randn(batch, 784, generator=g, dtype=dtype) for k in ("x", "xv")}
    for k in ("y", "yv"):
        data[k] = torch.randint(0, 10, (batch,), generator=g)
    return p, lam, data


def ce(p, x, y):
    logits = torch.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]
    return torch.nn.functional.cross_entropy(logits, y)


def train_loss(p, lam, d):
    return ce(p, d["x"], d["y"]) + 0.5 * (torch.exp(lam["l0"]) * p["W0"] ** 2).sum() + 0.5 * (torch.exp(lam["l1"]) * p["W1"] ** 2).sum()


def perturb(p, scale=1e-4):
    with torch.no_grad():
        for t in p.values():
            t.add_(scale * torch.randn_like(t))


def gradient_bench(hidden, batch):
    p, lam, d = mlp(hidden, batch)
    params = list(p.values()) + list(lam.values())

    def run():
        torch.autograd.grad(train_loss(p, lam, d), params)
    return median_ms(run, lambda: perturb(p))


def ift_neumann(hidden, batch, terms=5, alpha=1e-3):
    p, lam, d = mlp(hidden, batch)
    ws = list(p.values())
    ls = list(lam.values())

    def run():
        # hypertorch's Neumann hypergradient: v = dLv/dw; p = v; repeat: v <- v - a H v; p += v; q = a p.
        lv = ce(p, d["xv"], d["yv"])
        gv = torch.autograd.grad(lv, ws)
        lt = train_loss(p, lam, d)
        g = torch.autograd.grad(lt, ws, create_graph=True)
        v = [t.detach() for t in gv]
        acc = [t.clone() for t in v]
        for _ in range(terms):
            hv = torch.autograd.grad(g, ws, grad_outputs=v, retain_graph=True)
            v = [a - alpha * b for a, b in zip(v, hv)]
            acc = [a + b for a, b in zip(acc, v)]
        q = [alpha * a for a in acc]
        mixed = torch.autograd.grad(g, ls, grad_outputs=q)
        return [-m for m in mixed]  # dLv/dlambda = 0 - mixed
    return median_ms(run, lambda: perturb(p))


def softreg(seed=7):
    g = torch.Generator().manual_seed(seed)
    W = (0.1 * torch.randn(13, 3, generator=g, dtype=torch.float64)).requires_grad_(True)
    b = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    lam = (torch.randn(13, 3, generator=g, dtype=torch.float64) - 3).requires_grad_(True)
    x = torch.randn(32, 13, generator=g, dtype=torch.float64)
    y = torch.randint(0, 3, (32,), generator=g)
    xv = torch.randn(32, 13, generator=g, dtype=torch.float64)
    yv = torch.randint(0, 3, (32,), generator=g)
    return W, b, lam, x, y, xv, yv


def softreg_loss(W, b, lam, x, y):
    return torch.nn.functional.cross_entropy(x @ W + b, y) + 0.5 * (torch.exp(lam) * W ** 2).sum()


def hvp_mixed_small():
    W, b, lam, x, y, _, _ = softreg()
    v = [torch.randn_like(W), torch.randn_like(b)]

    def run():
        g = torch.autograd.grad(softreg_loss(W, b, lam, x, y), [W, b], create_graph=True)
        torch.autograd.grad(g, [W, b, lam], grad_outputs=v)
    return median_ms(run, lambda: perturb({"W": W, "b": b}), repeats=REPEATS * 20)


def reverse_unrolled(steps=40, lr=0.1):
    W, b, lam, x, y, xv, yv = softreg()
    W0, b0 = W.detach().clone(), b.detach().clone()

    def run():
        # Store w_0..w_T (plain SGD), then walk back with H v and mixed products at each w_t.
        w = [W0.clone(), b0.clone()]
        traj = []
        for _ in range(steps):
            ws = [t.clone().requires_grad_(True) for t in w]
            g = torch.autograd.grad(softreg_loss(ws[0], ws[1], lam, x, y), ws)
            traj.append([t.detach() for t in w])
            w = [a.detach() - lr * c for a, c in zip(w, g)]
        ws = [t.clone().requires_grad_(True) for t in w]
        dw = list(torch.autograd.grad(torch.nn.functional.cross_entropy(xv @ ws[0] + ws[1], yv), ws))
        dlam = torch.zeros_like(lam)
        for t in reversed(range(steps)):
            ws = [a.clone().requires_grad_(True) for a in traj[t]]
            g = torch.autograd.grad(softreg_loss(ws[0], ws[1], lam, x, y), ws, create_graph=True)
            dv = [lr * a for a in dw]
            hv = torch.autograd.grad(g, ws + [lam], grad_outputs=dv)
            dw = [a - h for a, h in zip(dw, hv[:2])]
            dlam = dlam - hv[2]
        return dlam
    return median_ms(run, lambda: None, repeats=max(5, REPEATS))


def sgemm():
    g = torch.Generator().manual_seed(1)
    a = torch.randn(1024, 784, generator=g)
    b = torch.randn(784, 1024, generator=g)
    ms = median_ms(lambda: a @ b, lambda: None)
    return 2 * 1024 * 784 * 1024 / (ms * 1e6)


if __name__ == "__main__":
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, config: {torch.__config__.parallel_info().splitlines()[0]}")
    print("RESULT gradient_256_128", gradient_bench(256, 128), flush=True)
    print("RESULT ift_neumann5_256_128", ift_neumann(256, 128), flush=True)
    print("RESULT gradient_1024_1024", gradient_bench(1024, 1024), flush=True)
    print("RESULT ift_neumann5_1024_1024", ift_neumann(1024, 1024), flush=True)
    print("RESULT hv_mixed_softreg42", hvp_mixed_small(), flush=True)
    print("RESULT reverse_unrolled40_softreg42", reverse_unrolled(), flush=True)
    print("RESULT sgemm_gflops", sgemm(), flush=True)
