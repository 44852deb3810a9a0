#!/usr/bin/python3
"""The reference workload in plain NumPy, float32 throughout.

MLP 784 -> 128 (ReLU) -> 10 (softmax + cross-entropy, batch mean), plain gradient descent (lr 0.1, no momentum, no
weight decay) on the 8,000 MNIST training images, reshuffled every epoch, the last partial batch used. Weights:
He uniform for the ReLU layer, Glorot uniform for the output layer; biases zero. Explicit forward and backward.

Run with Debian's /usr/bin/python3 (python3-numpy). See common.py for the output lines.
"""

import time

import numpy as np

import common

LEARNING_RATE = np.float32(0.1)


def uniform(rng, limit, shape):
    return rng.uniform(-limit, limit, size=shape).astype(np.float32)


def main():
    args = common.parse_args("NumPy reference peer")
    x_train, y_train = common.load_mnist(args.data, train=True)
    x_test, y_test = common.load_mnist(args.data, train=False)
    n, features = x_train.shape
    hidden, classes = 128, 10

    rng = np.random.default_rng(args.seed)
    # Row-vector convention: Z = X·W + b, W is fan_in × fan_out.
    w1 = uniform(rng, np.sqrt(6.0 / features), (features, hidden))
    b1 = np.zeros(hidden, dtype=np.float32)
    w2 = uniform(rng, np.sqrt(6.0 / (hidden + classes)), (hidden, classes))
    b2 = np.zeros(classes, dtype=np.float32)
    # A product first, so that the BLAS NumPy dispatches to is loaded and initialised before it is asked.
    _ = np.ones((2, 2), dtype=np.float32) @ np.ones((2, 2), dtype=np.float32)
    blas = common.loaded_openblas()
    kernel, blas_threads, blas_config = blas if blas is not None else ("numpy without openblas", 0, "")
    common.report_info(system="numpy", numpy=np.__version__, batch=args.batch, kernel=kernel,
                       blas_threads=blas_threads, blas_config=blas_config)

    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        order = rng.permutation(n)
        loss_sum = 0.0
        for start in range(0, n, args.batch):
            index = order[start:start + args.batch]
            x = x_train[index]
            y = y_train[index]
            m = x.shape[0]
            rows = np.arange(m)

            # Forward.
            z1 = x @ w1
            z1 += b1
            a1 = np.maximum(z1, np.float32(0))
            z2 = a1 @ w2
            z2 += b2
            z2 -= z2.max(axis=1, keepdims=True)
            p = np.exp(z2)
            p /= p.sum(axis=1, keepdims=True)
            loss_sum += -float(np.log(p[rows, y]).sum())

            # Backward: dZ2 = (P - Y) / m.
            dz2 = p
            dz2[rows, y] -= np.float32(1)
            dz2 *= np.float32(1.0 / m)
            dw2 = a1.T @ dz2
            db2 = dz2.sum(axis=0)
            da1 = dz2 @ w2.T
            da1 *= z1 > 0
            dw1 = x.T @ da1
            db1 = da1.sum(axis=0)

            # Plain gradient descent, in place.
            w1 -= LEARNING_RATE * dw1
            b1 -= LEARNING_RATE * db1
            w2 -= LEARNING_RATE * dw2
            b2 -= LEARNING_RATE * db2
        elapsed = time.perf_counter() - started
        common.report_epoch(epoch, elapsed, loss_sum / n)

    for name, array in (("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2)):
        if array.dtype != np.float32:
            common.fail(f"{name} was upcast to {array.dtype}")

    z = np.maximum(x_test @ w1 + b1, np.float32(0)) @ w2 + b2
    common.report_accuracy(np.mean(z.argmax(axis=1) == y_test))


if __name__ == "__main__":
    main()
