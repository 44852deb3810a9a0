"""Make the PyTorch reference values for NeuralNet's convolution and pooling tests.

Writes ``cnn.json`` next to this script, in float64:

* ``conv2d``: for each case (channels, filters, height, width, kernel, stride,
  padding, bias), a fixed batch, weights, biases and upstream gradient, and
  ``nn.functional.conv2d``'s output and its gradients with respect to the input,
  the weights and the biases;
* ``max_pool2d`` and ``avg_pool2d``: for each case, a fixed batch and upstream
  gradient, the output and the input gradient;
* ``global_average_pool``: the same for ``adaptive_avg_pool2d(x, 1)`` flattened;
* ``network``: conv 3@3x3 ReLU, max-pool 2, flatten, linear 27 -> 5 with
  cross-entropy on a fixed batch and targets: the loss and every gradient.

Every image is written as a matrix with one row per sample holding the image
flattened in NCHW order (``x.reshape(n, -1)``), which is NeuralNet's layout;
convolution weights are written as PyTorch's [filters, channels, k, k] tensor
flattened, which is the column-major storage of NeuralNet's (C*k*k) x filters
weights; the linear layer's weight is written as PyTorch's [out, in] rows.

Run it from the repository root with Debian's PyTorch
(``apt-get install python3-torch``)::

    /usr/bin/python3 tests/NeuralNet.Tests/Fixtures/pytorch/make_cnn_fixtures.py

It uses no random numbers: values come from sines and cosines of their index,
so a rerun with the same torch version rewrites the same file. Every number is
written with Python's repr (round-trip exact).
"""

import json
import math
from pathlib import Path

import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent
torch.set_default_dtype(torch.float64)


def wave(shape, a, b, scale=1.0):
    """Deterministic values sin(a*i + b) * scale over the flattened tensor."""
    count = math.prod(shape)
    return (torch.sin(torch.arange(count, dtype=torch.float64) * a + b) * scale).reshape(shape)


def rows(t):
    return [[float(v) for v in row] for row in t.detach().reshape(t.shape[0], -1)]


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


# (name, channels, filters, height, width, kernel, stride, padding, bias)
CONV_CASES = [
    ("valid_s1_c1", 1, 2, 6, 6, 3, 1, "valid", True),
    ("valid_s2_c2", 2, 3, 7, 6, 3, 2, "valid", True),
    ("same_s1_c3", 3, 2, 5, 5, 3, 1, "same", True),
    ("same_s1_even_kernel", 2, 2, 6, 7, 2, 1, "same", True),
    ("explicit_s2_c2", 2, 3, 5, 6, 3, 2, (1, 2), True),
    ("explicit_s1_no_bias", 1, 2, 4, 5, 3, 1, (1, 1), False),
    ("valid_s1_c4_k5", 4, 3, 8, 8, 5, 1, "valid", True),
]

# (name, channels, height, width, size, stride)
POOL_CASES = [
    ("size2_stride2", 2, 4, 6, 2, 2),
    ("size3_stride1", 2, 5, 5, 3, 1),
    ("size3_stride2", 3, 7, 7, 3, 2),
]

N = 3


def conv_case(name, c, f, h, w, k, s, padding, bias):
    x = wave((N, c, h, w), 0.37, 0.11).requires_grad_()
    weight = wave((f, c, k, k), 0.53, 0.29, 0.4).requires_grad_()
    b = wave((f,), 1.3, 0.7, 0.2).requires_grad_() if bias else None
    torch_padding = padding if isinstance(padding, str) else tuple(padding)
    y = F.conv2d(x, weight, b, stride=s, padding=torch_padding)
    upstream = wave(y.shape, 0.23, 0.5)
    y.backward(upstream)
    return {
        "name": name, "channels": c, "filters": f, "height": h, "width": w, "kernel": k, "stride": s,
        "padding": padding if isinstance(padding, str) else "explicit",
        "padding_rows": 0 if isinstance(padding, str) else padding[0],
        "padding_columns": 0 if isinstance(padding, str) else padding[1],
        "bias": bias,
        "input": rows(x), "weights": flat(weight), "biases": flat(b) if bias else [],
        "upstream": rows(upstream), "output": rows(y), "output_height": y.shape[2], "output_width": y.shape[3],
        "input_gradient": rows(x.grad), "weights_gradient": flat(weight.grad),
        "biases_gradient": flat(b.grad) if bias else [],
    }


def pool_case(name, c, h, w, size, stride, kind):
    x = wave((N, c, h, w), 0.41, 0.13).requires_grad_()
    y = F.max_pool2d(x, size, stride) if kind == "max" else F.avg_pool2d(x, size, stride)
    upstream = wave(y.shape, 0.31, 0.2)
    y.backward(upstream)
    return {
        "name": name, "channels": c, "height": h, "width": w, "size": size, "stride": stride,
        "input": rows(x), "upstream": rows(upstream), "output": rows(y), "input_gradient": rows(x.grad),
    }


def global_case():
    x = wave((N, 3, 4, 5), 0.29, 0.3).requires_grad_()
    y = F.adaptive_avg_pool2d(x, 1).flatten(1)
    upstream = wave(y.shape, 0.7, 0.1)
    y.backward(upstream)
    return {"channels": 3, "height": 4, "width": 5, "input": rows(x), "upstream": rows(upstream),
            "output": rows(y), "input_gradient": rows(x.grad)}


def network_case():
    n = 4
    x = wave((n, 1, 8, 8), 0.19, 0.4).abs().requires_grad_()
    conv_w = wave((3, 1, 3, 3), 0.61, 0.2, 0.5).requires_grad_()
    conv_b = wave((3,), 0.9, 0.3, 0.1).requires_grad_()
    dense_w = wave((5, 27), 0.47, 0.8, 0.3).requires_grad_()
    dense_b = wave((5,), 1.1, 0.5, 0.1).requires_grad_()
    targets = torch.tensor([0, 3, 1, 4])
    h = F.max_pool2d(F.relu(F.conv2d(x, conv_w, conv_b)), 2)
    logits = F.linear(h.flatten(1), dense_w, dense_b)
    loss = F.cross_entropy(logits, targets)
    loss.backward()
    return {
        "input": rows(x), "targets": [int(t) for t in targets],
        "conv_weights": flat(conv_w), "conv_biases": flat(conv_b),
        "dense_weights": rows(dense_w), "dense_biases": flat(dense_b),
        "logits": rows(logits), "loss": float(loss),
        "conv_weights_gradient": flat(conv_w.grad), "conv_biases_gradient": flat(conv_b.grad),
        "dense_weights_gradient": rows(dense_w.grad), "dense_biases_gradient": flat(dense_b.grad),
        "input_gradient": rows(x.grad),
    }


def main():
    fixtures = {
        "torch": torch.__version__,
        "conv2d": [conv_case(*case) for case in CONV_CASES],
        "max_pool2d": [pool_case(*case, "max") for case in POOL_CASES],
        "avg_pool2d": [pool_case(*case, "avg") for case in POOL_CASES],
        "global_average_pool": global_case(),
        "network": network_case(),
    }
    (OUT / "cnn.json").write_text(json.dumps(fixtures, indent=1) + "\n")


if __name__ == "__main__":
    main()
