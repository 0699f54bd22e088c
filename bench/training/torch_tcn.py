#!/usr/bin/env python3
"""PyTorch reference for bench_training: the same temporal CNN on the same windows.

Reads the windows the C++ benchmark wrote (float32 [n, length, channels] and int32 labels per split)
and trains the same architecture (residual blocks of two dilated causal convolutions with ReLU,
1x1 shortcut when channels differ, ReLU after the add, global average pooling, dense) with Adam for
the same epochs and batch size. Prints one line: seconds_per_epoch cpu_seconds_per_epoch test_accuracy.

Arguments: folder length channels classes filters kernel dilations epochs batch lr threads [seed [init]].
init "he" (the default) initialises as this engine does (He-uniform weights, bound sqrt(6 / fan_in),
zero biases); "torch" keeps PyTorch's own defaults (Kaiming-uniform with a = sqrt(5), uniform
biases). Run with OMP_WAIT_POLICY=PASSIVE on a loaded machine: Debian's PyTorch parallelises with
OpenMP, whose threads spin at every barrier, and a descheduled partner thread then makes two
threads 5-20 times slower than one (docs/learning.md).
"""
import sys, time
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


def load(prefix, length, channels):
    x = np.fromfile(prefix + ".x", dtype=np.float32).reshape(-1, length, channels)
    y = np.fromfile(prefix + ".y", dtype=np.int32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 2, 1))), torch.from_numpy(y.astype(np.int64))


def main():
    folder, length, channels, classes, filters, kernel, dilations, epochs, batch, lr, threads = sys.argv[1:12]
    seed = int(sys.argv[12]) if len(sys.argv) > 12 else 1
    init = sys.argv[13] if len(sys.argv) > 13 else "he"
    length, channels, classes, filters, kernel = map(int, (length, channels, classes, filters, kernel))
    dilations = [int(d) for d in dilations.split(",")]
    epochs, batch, lr, threads = int(epochs), int(batch), float(lr), int(threads)
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    xtr, ytr = load(folder + "/train", length, channels)
    xte, yte = load(folder + "/test", length, channels)
    model = Tcn(channels, classes, filters, kernel, dilations)
    if init == "he":
        for p in model.modules():
            if isinstance(p, (nn.Conv1d, nn.Linear)):
                nn.init.kaiming_uniform_(p.weight, nonlinearity="relu")  # bound sqrt(6 / fan_in)
                nn.init.zeros_(p.bias)
    opt = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7)
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(epochs):
        model.train()
        perm = torch.randperm(len(ytr))
        for i in range(0, len(ytr), batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
    per_epoch = (time.perf_counter() - start) / epochs
    cpu_per_epoch = (time.process_time() - cpu_start) / epochs
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(xte[i:i + 256]).argmax(1) for i in range(0, len(yte), 256)])
    print(f"{per_epoch:.4f} {cpu_per_epoch:.4f} {(pred == yte).float().mean().item():.4f}")


if __name__ == "__main__":
    main()
