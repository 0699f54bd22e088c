#!/usr/bin/env python3
"""PyTorch reference for bench_training: the same temporal CNN on the same windows.

Reads the windows the C++ benchmark wrote (float32 [n, length, channels] and int32 labels per split)
and trains the same architecture (residual blocks of two dilated causal convolutions with ReLU,
1x1 shortcut when channels differ, ReLU after the add, global average pooling, dense) for the same
epochs and batch size with the engine's algorithm: Adam as core/learn/Trainer.cpp writes it (eps
added to sqrt(v) before the bias correction), the mean cross-entropy of the batch as the loss, and
the weights kept of the epoch with the lowest mean training loss (the loss of every window as its
batch met it, summed over the epoch, divided by the windows). Prints one line:
seconds_per_epoch cpu_seconds_per_epoch test_accuracy kept_epoch.

Arguments: folder length channels classes filters kernel dilations epochs batch lr threads
[seed [init [batches]]].
init "engine" (the bench's default) loads the engine's initial weights from folder/init.bin;
"he" initialises as the engine does but from PyTorch's generator (He-uniform weights, bound
sqrt(6 / fan_in), zero biases); "torch" keeps PyTorch's own defaults (Kaiming-uniform with
a = sqrt(5), uniform biases). When folder/order.bin exists (int64 [epochs, n]: the engine's
visiting order of every epoch) the batches are cut from it, otherwise from torch.randperm.
batches "reversed" (a control; default "same") feeds every batch's windows in reverse order: the
same batches and the same mean loss, only the float summation order changes. Weights are written
in the engine's format, laid out as folder/init.bin: after the first batch to
folder/<tag>_batch1.bin and after every epoch e to folder/<tag>_epoch<e>.bin, with tag "torch"
("torch_reversed" for the control).

The engine's parameter file (bench_training's saveParameters) holds, for every layer in the
engine's order (block conv1, conv2, shortcut, residual add, ..., average, output), the weights then
the bias, each as a uint64 count and float32 values; layers without parameters hold two empty
entries. Conv1D weights are [out][k][in] there and [out][in][k] in PyTorch; Dense is [out][in] in
both.

Run with OMP_WAIT_POLICY=PASSIVE on a loaded machine: Debian's PyTorch parallelises with OpenMP,
whose threads spin at every barrier, and a descheduled partner thread then makes two threads 5-20
times slower than one (docs/learning.md).
"""
import os, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, filters, kernel, dilation):
        super().__init__()
        self.pad = (kernel - 1) * dilation
        self.conv1 = nn.Conv1d(cin, filters, kernel, dilation=dilation)
        self.conv2 = nn.Conv1d(filters, filters, kernel, dilation=dilation)
        self.shortcut = nn.Conv1d(cin, filters, 1) if cin != filters else None

    def forward(self, x):
        y = F.relu(self.conv1(F.pad(x, (self.pad, 0))))
        y = F.relu(self.conv2(F.pad(y, (self.pad, 0))))
        s = x if self.shortcut is None else self.shortcut(x)
        return F.relu(s + y)


class Tcn(nn.Module):
    def __init__(self, channels, classes, filters, kernel, dilations):
        super().__init__()
        blocks, cin = [], channels
        for d in dilations:
            blocks.append(Block(cin, filters, kernel, d))
            cin = filters
        self.blocks = nn.Sequential(*blocks)
        self.out = nn.Linear(filters, classes)

    def forward(self, x):  # x: [n, channels, length]
        return self.out(self.blocks(x).mean(dim=2))

    def layers(self):
        """The parametrised layers in the engine's order."""
        for b in self.blocks:
            yield from (m for m in (b.conv1, b.conv2, b.shortcut) if m is not None)
        yield self.out


class EngineAdam:
    """Adam exactly as core/learn/Trainer.cpp: p -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)."""
    beta1, beta2, eps = 0.9, 0.999, 1e-7

    def __init__(self, params, lr):
        self.params, self.lr, self.t = list(params), lr, 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self):
        self.t += 1
        step = self.lr * (1 - self.beta2 ** self.t) ** 0.5 / (1 - self.beta1 ** self.t)
        for p, m, v in zip(self.params, self.m, self.v):
            g = p.grad
            m.mul_(self.beta1).add_(g, alpha=1 - self.beta1)
            v.mul_(self.beta2).addcmul_(g, g, value=1 - self.beta2)
            p.addcdiv_(m, v.sqrt().add_(self.eps), value=-step)


def read_engine_parameters(path):
    """The engine's parameter file as a list of float32 arrays (empty ones included)."""
    raw, entries, at = open(path, "rb").read(), [], 0
    while at < len(raw):
        n = int(np.frombuffer(raw, dtype=np.uint64, count=1, offset=at)[0])
        entries.append(np.frombuffer(raw, dtype=np.float32, count=n, offset=at + 8).copy())
        at += 8 + 4 * n
    return entries


def engine_layout(model, template):
    """The model's parameters as the engine's entries, the empty ones where `template` has them."""
    tensors = []
    for layer in model.layers():
        w = layer.weight.detach().numpy()  # copied below: snapshots must not follow later steps
        tensors += [(w.transpose(0, 2, 1) if w.ndim == 3 else w).flatten(), layer.bias.detach().numpy().flatten()]
    out, it = [], iter(tensors)
    for e in template:
        out.append(next(it) if e.size else e)
    return out


def load_engine_parameters(model, template):
    entries = iter(e for e in template if e.size)
    with torch.no_grad():
        for layer in model.layers():
            w, b = next(entries), next(entries)
            if layer.weight.dim() == 3:  # engine [out][k][in] -> PyTorch [out][in][k]
                out, cin, k = layer.weight.shape
                w = w.reshape(out, k, cin).transpose(0, 2, 1)
            layer.weight.copy_(torch.from_numpy(np.ascontiguousarray(w).reshape(layer.weight.shape)))
            layer.bias.copy_(torch.from_numpy(b))


def write_engine_parameters(path, entries):
    with open(path, "wb") as f:
        for e in entries:
            f.write(np.uint64(e.size).tobytes())
            f.write(e.astype(np.float32).tobytes())


def load(prefix, length, channels):
    x = np.fromfile(prefix + ".x", dtype=np.float32).reshape(-1, length, channels)
    y = np.fromfile(prefix + ".y", dtype=np.int32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 2, 1))), torch.from_numpy(y.astype(np.int64))


def main():
    folder, length, channels, classes, filters, kernel, dilations, epochs, batch, lr, threads = sys.argv[1:12]
    seed = int(sys.argv[12]) if len(sys.argv) > 12 else 1
    init = sys.argv[13] if len(sys.argv) > 13 else "engine"
    batches = sys.argv[14] if len(sys.argv) > 14 else "same"
    if batches not in ("same", "reversed"):
        sys.exit(f"torch_tcn.py: unknown batches '{batches}' (same or reversed)")
    tag = "torch" if batches == "same" else "torch_reversed"
    length, channels, classes, filters, kernel = map(int, (length, channels, classes, filters, kernel))
    dilations = [int(d) for d in dilations.split(",")]
    epochs, batch, lr, threads = int(epochs), int(batch), float(lr), int(threads)
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    xtr, ytr = load(folder + "/train", length, channels)
    xte, yte = load(folder + "/test", length, channels)
    n = len(ytr)
    model = Tcn(channels, classes, filters, kernel, dilations)
    template = read_engine_parameters(folder + "/init.bin")
    if init == "engine":
        load_engine_parameters(model, template)
    elif init == "he":
        for p in model.modules():
            if isinstance(p, (nn.Conv1d, nn.Linear)):
                nn.init.kaiming_uniform_(p.weight, nonlinearity="relu")  # bound sqrt(6 / fan_in)
                nn.init.zeros_(p.bias)
    elif init != "torch":
        sys.exit(f"torch_tcn.py: unknown init '{init}' (engine, he or torch)")
    orders = None
    if os.path.exists(folder + "/order.bin"):
        orders = torch.from_numpy(np.fromfile(folder + "/order.bin", dtype=np.int64).reshape(epochs, n))
    opt = EngineAdam(model.parameters(), lr)
    snapshots, best_loss, best_state, kept = {}, float("inf"), None, 0
    start, cpu_start = time.perf_counter(), time.process_time()
    for epoch in range(1, epochs + 1):
        model.train()
        perm = orders[epoch - 1] if orders is not None else torch.randperm(n)
        epoch_loss = 0.0
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            if batches == "reversed":
                idx = idx.flip(0)
            for p in model.parameters():
                p.grad = None
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])  # mean over the batch, as the engine
            loss.backward()
            opt.step()
            epoch_loss += loss.item() * len(idx)
            if epoch == 1 and i == 0:
                snapshots["batch1"] = engine_layout(model, template)
        snapshots[f"epoch{epoch}"] = engine_layout(model, template)
        if epoch_loss / n < best_loss:  # strictly lower, as the engine: ties keep the earlier epoch
            best_loss, kept = epoch_loss / n, epoch
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    per_epoch = (time.perf_counter() - start) / epochs
    cpu_per_epoch = (time.process_time() - cpu_start) / epochs
    model.load_state_dict(best_state)
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(xte[i:i + 256]).argmax(1) for i in range(0, len(yte), 256)])
    for name, entries in snapshots.items():
        write_engine_parameters(f"{folder}/{tag}_{name}.bin", entries)
    print(f"{per_epoch:.4f} {cpu_per_epoch:.4f} {(pred == yte).float().mean().item():.4f} {kept}")


if __name__ == "__main__":
    main()
