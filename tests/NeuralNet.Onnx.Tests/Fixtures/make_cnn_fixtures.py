"""Make the convolutional ONNX fixtures for the NeuralNet ONNX import tests.

Writes, next to this script, for each network below:

* ``<name>.onnx``: the network exported by ``torch.onnx.export``, with a
  dynamic batch dimension, in eval mode;
* ``<name>.json``: the torch version, the opset, the dtype, the shape of one
  sample, the input rows (one flattened C×H×W image per row, as nn.Flatten
  lays out NCHW) and PyTorch's output for them; for the trained MNIST network
  also the true labels and PyTorch's accuracy on those rows.

``mnist_cnn`` is issue 14's network (Conv 1→8 5×5, ReLU, MaxPool 2,
Conv 8→16 5×5, ReLU, MaxPool 2, Flatten, Linear 256→10), trained briefly on
the first 512 training images of samples/data/mnist-10k, seeded, and checked
on the first 64 test images. ``cnn_padding_avgpool`` and ``cnn_global_pool``
are small untrained networks that cover padding, stride 2, average pooling,
Reshape and global average pooling, on random inputs.

Run it from the repository root with Debian's PyTorch
(``apt-get install python3-torch``); the ``onnx`` Python package is not
needed::

    /usr/bin/python3 tests/NeuralNet.Onnx.Tests/Fixtures/make_cnn_fixtures.py

Every network seeds its own random streams and training runs on one thread,
so a rerun with the same torch version rewrites the same files.
"""

import gzip
import json
import struct
from pathlib import Path

import torch
from torch import nn

FIXTURE_DIR = Path(__file__).resolve().parent
MNIST_DIR = FIXTURE_DIR.parents[2] / "samples" / "data" / "mnist-10k"

TRAIN_IMAGES = 512
TEST_IMAGES = 64
EPOCHS = 6
BATCH = 32
SEED = 14


def read_idx(name: str) -> torch.Tensor:
    """An IDX file of unsigned bytes (images or labels) as a uint8 tensor."""
    with gzip.open(MNIST_DIR / name, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    offset = 4 + 4 * dims
    return torch.frombuffer(bytearray(data[offset:]), dtype=torch.uint8).reshape(shape)


def mnist(prefix: str, count: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The first count images of a split as N×1×28×28 floats in [0, 1], and their labels."""
    images = read_idx(f"{prefix}-images-idx3-ubyte.gz")[:count]
    labels = read_idx(f"{prefix}-labels-idx1-ubyte.gz")[:count]
    return images.to(torch.float32).div(255).unsqueeze(1), labels.to(torch.int64)


class IssueCnn(nn.Module):
    """Issue 14's network, written as most PyTorch users write it."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(256, 10))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x)


class PaddingAvgPool(nn.Module):
    """Padding 1 and 2, stride 2, average pooling, tanh, and a Reshape (not Flatten) to the dense layer."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.pool = nn.AvgPool2d(2)
        self.conv2 = nn.Conv2d(4, 6, 5, stride=2, padding=2)
        self.linear = nn.Linear(6 * 3 * 3, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(torch.relu(self.conv1(x)))
        x = torch.tanh(self.conv2(x))
        return self.linear(x.reshape(-1, 6 * 3 * 3))


class GlobalPool(nn.Module):
    """A strided convolution without bias, max pooling with stride 1, then global average pooling."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(2, 5, 3, stride=2, bias=False)
        self.pool = nn.MaxPool2d(2, stride=1)
        self.conv2 = nn.Conv2d(5, 7, 1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.linear = nn.Linear(7, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(torch.relu(self.conv1(x)))
        x = torch.sigmoid(self.conv2(x))
        return self.linear(torch.flatten(self.gap(x), 1))


def to_json(record: dict) -> str:
    """Format the record as JSON with one matrix row per line, every float written with repr."""
    lines = []
    for key, value in record.items():
        if isinstance(value, list) and value and isinstance(value[0], list):
            rows = ",\n    ".join(json.dumps(row) for row in value)
            text = f"[\n    {rows}\n  ]"
        else:
            text = json.dumps(value)
        lines.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def export(name: str, model: nn.Module, inputs: torch.Tensor, opset: int, extra: dict) -> None:
    model.eval()
    with torch.no_grad():
        outputs = model(inputs)
    torch.onnx.export(
        model,
        inputs,
        str(FIXTURE_DIR / f"{name}.onnx"),
        input_names=["input"],
        output_names=["output"],
        dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
        opset_version=opset,
        do_constant_folding=True,
    )
    record = {
        "torch_version": torch.__version__,
        "opset": opset,
        "dtype": "float32",
        "sample_shape": list(inputs.shape[1:]),
        "input": inputs.reshape(inputs.shape[0], -1).tolist(),
        "output": outputs.tolist(),
        **extra,
    }
    (FIXTURE_DIR / f"{name}.json").write_text(to_json(record))
    print(f"wrote {name}.onnx and {name}.json")


def train_issue_cnn() -> nn.Module:
    """Issue 14's CNN after EPOCHS epochs of SGD with momentum on TRAIN_IMAGES images."""
    torch.manual_seed(SEED)
    model = IssueCnn()
    images, labels = mnist("train", TRAIN_IMAGES)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_function = nn.CrossEntropyLoss()
    order = torch.Generator().manual_seed(SEED)
    model.train()
    for epoch in range(EPOCHS):
        permutation = torch.randperm(TRAIN_IMAGES, generator=order)
        total = 0.0
        for start in range(0, TRAIN_IMAGES, BATCH):
            batch = permutation[start:start + BATCH]
            optimizer.zero_grad()
            loss = loss_function(model(images[batch]), labels[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        print(f"epoch {epoch + 1}: training loss {total / TRAIN_IMAGES:.4f}")
    return model


def main() -> None:
    torch.set_num_threads(1)

    model = train_issue_cnn()
    images, labels = mnist("t10k", TEST_IMAGES)
    with torch.no_grad():
        predicted = model.eval()(images).argmax(dim=1)
    accuracy = (predicted == labels).to(torch.float64).mean().item()
    print(f"mnist_cnn: accuracy {accuracy} on the first {TEST_IMAGES} test images")
    export("mnist_cnn", model, images, 13, {
        "labels": labels.tolist(),
        "accuracy": accuracy,
        "training": f"first {TRAIN_IMAGES} images of samples/data/mnist-10k, {EPOCHS} epochs, batch {BATCH}, "
                    f"SGD lr 0.05 momentum 0.9, seed {SEED}",
    })

    torch.manual_seed(SEED + 1)
    inputs = torch.randn(7, 3, 12, 12, generator=torch.Generator().manual_seed(SEED + 1001))
    export("cnn_padding_avgpool", PaddingAvgPool(), inputs, 17, {})

    torch.manual_seed(SEED + 2)
    inputs = torch.randn(7, 2, 11, 11, generator=torch.Generator().manual_seed(SEED + 1002))
    export("cnn_global_pool", GlobalPool(), inputs, 13, {})


if __name__ == "__main__":
    main()
