"""PyTorch anchor for samples/MnistCnn: the same small CNN on the bundled MNIST subset.

conv 8@5x5 ReLU, max-pool 2, conv 16@5x5 ReLU, max-pool 2, flatten, dense 10, softmax
cross-entropy; SGD with momentum 0.9, batch 32, learning rate 0.05 annealed by a cosine
per epoch (CosineAnnealingLR, T_max = epochs), 10 epochs, pixels scaled to [0, 1].
Prints the test accuracy after each epoch; the last line is ``test accuracy: 0.XXXX``.

Run from the repository root with Debian's PyTorch::

    /usr/bin/python3 benchmarks/peers/mnist_cnn_anchor.py --seed 1
"""

import argparse
import gzip
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

DATA = Path(__file__).resolve().parents[2] / "samples" / "data" / "mnist-10k"


def idx(name):
    with gzip.open(DATA / name, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)

    x_train = torch.tensor(idx("train-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
    y_train = torch.tensor(idx("train-labels-idx1-ubyte.gz"), dtype=torch.long)
    x_test = torch.tensor(idx("t10k-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
    y_test = torch.tensor(idx("t10k-labels-idx1-ubyte.gz"), dtype=torch.long)

    model = nn.Sequential(
        nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 4 * 4, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    loss_fn = nn.CrossEntropyLoss()
    start = time.perf_counter()
    accuracy = 0.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        order = torch.randperm(len(x_train))
        for i in range(0, len(order), 32):
            batch = order[i:i + 32]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
        schedule.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
        print(f"epoch {epoch:2d}  test accuracy {accuracy:.4f}  {time.perf_counter() - start:6.1f} s")
    print(f"test accuracy: {accuracy:.4f}")


if __name__ == "__main__":
    main()
