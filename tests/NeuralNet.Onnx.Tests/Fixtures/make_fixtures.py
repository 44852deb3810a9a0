"""Make the ONNX fixtures for the NeuralNet ONNX import tests.

For each small feed-forward network below this writes, next to this script:

* ``<name>.onnx``: the network exported by ``torch.onnx.export``;
* ``<name>.json``: the torch version, the opset, the dtype, 7 input rows and
  PyTorch's own output for those rows, so that the importer's forward pass
  can be checked against the framework that wrote the file.

Run it from the repository root with Debian's PyTorch
(``apt-get install python3-torch``); nothing else is needed, in particular
not the ``onnx`` Python package::

    /usr/bin/python3 tests/NeuralNet.Onnx.Tests/Fixtures/make_fixtures.py [name ...]

With names, only those fixtures are rewritten. Every fixture seeds its own random streams, so a rerun with the same torch
version rewrites the same files.
"""

import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import torch
from torch import nn

FIXTURE_DIR = Path(__file__).resolve().parent

# The number of input rows in each .json file, and the spread of their values:
# wide enough that the ReLU, LeakyReLU and ELU layers see both negative and
# positive pre-activations, so that both branches are checked.
ROWS = 7
INPUT_SCALE = 1.5

# Inputs come from their own generator, offset from the model's seed, so that
# changing how a model is built does not change its test inputs.
INPUT_SEED_OFFSET = 1000

# The normalisation layers' γ, β and warm-up batches come from a third stream.
PREPARE_SEED_OFFSET = 2000
WARM_UP_BATCHES = 5


class MatMulLinear(nn.Module):
    """A linear layer written as ``x @ weight + bias``, weight (in, out).

    ``nn.Linear`` exports as a single Gemm node. A layer written with a plain
    matrix product, as many hand-written models are, exports instead as a
    MatMul node followed by an Add node, with the weight stored (in, out),
    not transposed. The importer has to accept both forms.
    """

    def __init__(self, in_features: int, out_features: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        self.bias = nn.Parameter(torch.empty(out_features))
        # The same uniform bound nn.Linear uses by default, so that this model
        # is as far from trivial as the others, with non-zero biases.
        bound = 1.0 / math.sqrt(in_features)
        nn.init.uniform_(self.weight, -bound, bound)
        nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x @ self.weight + self.bias


@dataclass(frozen=True)
class Fixture:
    """One network to export: the file name, its seed and how to build it."""

    name: str
    seed: int
    opset: int
    in_features: int
    build: Callable[[], nn.Module]
    dtype: torch.dtype = torch.float32
    # The shape of one sample when it is not a flat vector of in_features.
    sample_shape: tuple[int, ...] | None = None
    # Run on the freshly built model before it is put in eval mode, to move
    # what initialisation leaves trivial (running statistics, γ, β).
    prepare: Callable[[nn.Module, int], None] | None = None


def warm_up_normalisations(model: nn.Module, seed: int) -> None:
    """Give every normalisation layer statistics and parameters far from their defaults.

    A freshly built BatchNorm1d has running mean 0 and variance 1 and every
    norm has γ = 1 and β = 0, so an importer that ignored them would still
    pass. γ and β are drawn at random, and a few training-mode forward passes
    on shifted, scaled batches move the running statistics (momentum 0.1).
    """
    generator = torch.Generator().manual_seed(seed + PREPARE_SEED_OFFSET)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.BatchNorm1d, nn.LayerNorm)):
                shape = module.weight.shape
                module.weight.copy_(0.5 + torch.rand(shape, generator=generator))
                module.bias.copy_(torch.randn(shape, generator=generator) * 0.5)
        model.train()
        in_features = next(m for m in model.modules() if isinstance(m, nn.Linear)).in_features
        for _ in range(WARM_UP_BATCHES):
            batch = torch.randn(32, in_features, generator=generator) * 2 + 0.7
            model(batch)


FIXTURES = [
    Fixture(
        name="relu_softmax",
        seed=1,
        opset=13,
        in_features=4,
        build=lambda: nn.Sequential(
            nn.Linear(4, 8), nn.ReLU(),
            nn.Linear(8, 3), nn.Softmax(dim=1),
        ),
    ),
    Fixture(
        # A regression network: the last layer has no activation.
        name="tanh_sigmoid_linear",
        seed=2,
        opset=14,
        in_features=5,
        build=lambda: nn.Sequential(
            nn.Linear(5, 6), nn.Tanh(),
            nn.Linear(6, 4), nn.Sigmoid(),
            nn.Linear(4, 2),
        ),
    ),
    Fixture(
        name="flatten_leaky_sigmoid",
        seed=3,
        opset=17,
        in_features=6,
        build=lambda: nn.Sequential(
            nn.Flatten(),
            nn.Linear(6, 10), nn.LeakyReLU(0.2),
            nn.Linear(10, 10), nn.ReLU(),
            nn.Linear(10, 1), nn.Sigmoid(),
        ),
    ),
    Fixture(
        # The MatMul + Add form (see MatMulLinear) rather than Gemm.
        name="matmul_add",
        seed=4,
        opset=13,
        in_features=3,
        build=lambda: nn.Sequential(
            MatMulLinear(3, 5), nn.Tanh(),
            MatMulLinear(5, 4), nn.ReLU(),
            MatMulLinear(4, 2), nn.Softmax(dim=-1),
        ),
    ),
    Fixture(
        # Double precision end to end: weights, inputs and outputs.
        name="relu_double",
        seed=5,
        opset=13,
        in_features=3,
        build=lambda: nn.Sequential(
            nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2),
        ).double(),
        dtype=torch.float64,
    ),
    Fixture(
        # Images, as an MNIST classifier takes them: nn.Flatten turns each
        # 1 x 4 x 4 sample into 16 features; the last Linear gives logits, as
        # for a network trained with nn.CrossEntropyLoss.
        name="image_flatten_logits",
        seed=7,
        opset=13,
        in_features=16,
        sample_shape=(1, 4, 4),
        build=lambda: nn.Sequential(
            nn.Flatten(),
            nn.Linear(16, 6), nn.ReLU(),
            nn.Linear(6, 3),
        ),
    ),
    Fixture(
        # Softsign is deliberately not supported by the importer: this file
        # checks that an unsupported node is rejected, by name.
        name="unsupported_softsign",
        seed=6,
        opset=13,
        in_features=3,
        build=lambda: nn.Sequential(
            nn.Linear(3, 4), nn.Softsign(), nn.Linear(4, 2),
        ),
    ),
    Fixture(
        # Exact GELU: below opset 20 PyTorch writes 0.5 * x * (1 + Erf(x / sqrt 2)).
        name="gelu_erf",
        seed=8,
        opset=13,
        in_features=4,
        build=lambda: nn.Sequential(
            nn.Linear(4, 6), nn.GELU(), nn.Linear(6, 3),
        ),
    ),
    Fixture(
        # GELU's tanh approximation, written as its formula with Tanh.
        name="gelu_tanh_formula",
        seed=9,
        opset=14,
        in_features=4,
        build=lambda: nn.Sequential(
            nn.Linear(4, 6), nn.GELU(approximate="tanh"), nn.Linear(6, 2),
        ),
    ),
    Fixture(
        # SiLU as Mul(x, Sigmoid(x)), then Elu with a non-default alpha.
        name="silu_elu",
        seed=10,
        opset=13,
        in_features=5,
        build=lambda: nn.Sequential(
            nn.Linear(5, 6), nn.SiLU(),
            nn.Linear(6, 4), nn.ELU(alpha=0.5),
            nn.Linear(4, 2),
        ),
    ),
    Fixture(
        # Selu with its default constants and Softplus (beta 1, threshold 20).
        name="selu_softplus",
        seed=11,
        opset=13,
        in_features=3,
        build=lambda: nn.Sequential(
            nn.Linear(3, 5), nn.SELU(),
            nn.Linear(5, 4), nn.Softplus(),
            nn.Linear(4, 2),
        ),
    ),
    Fixture(
        # Exact GELU in float64: the Erf formula with double constants.
        name="gelu_double",
        seed=12,
        opset=13,
        in_features=3,
        build=lambda: nn.Sequential(
            nn.Linear(3, 5), nn.GELU(), nn.Linear(5, 2),
        ).double(),
        dtype=torch.float64,
    ),
    Fixture(
        # Batch normalisation after each hidden activation, then dropout; in
        # eval mode BatchNorm1d exports as BatchNormalization with its running
        # statistics, and Dropout leaves no node.
        name="batchnorm_dropout",
        seed=13,
        opset=17,
        in_features=6,
        build=lambda: nn.Sequential(
            nn.Linear(6, 10), nn.ReLU(), nn.BatchNorm1d(10), nn.Dropout(0.3),
            nn.Linear(10, 8), nn.ReLU(), nn.BatchNorm1d(8), nn.Dropout(0.3),
            nn.Linear(8, 3),
        ),
        prepare=warm_up_normalisations,
    ),
    Fixture(
        # Layer normalisation after GELU: LayerNormalization from opset 17,
        # GELU still its Erf formula (the Gelu operator is opset 20).
        name="layernorm_gelu",
        seed=14,
        opset=17,
        in_features=5,
        build=lambda: nn.Sequential(
            nn.Linear(5, 8), nn.GELU(), nn.LayerNorm(8),
            nn.Linear(8, 6), nn.GELU(), nn.LayerNorm(6),
            nn.Linear(6, 3),
        ),
        prepare=warm_up_normalisations,
    ),
    Fixture(
        # The other toolkit activations at opset 17 between normalisations,
        # ending in a batch normalisation of the outputs.
        name="toolkit_activations_norms",
        seed=15,
        opset=17,
        in_features=4,
        build=lambda: nn.Sequential(
            nn.Linear(4, 7), nn.ELU(alpha=0.7), nn.BatchNorm1d(7),
            nn.Linear(7, 6), nn.SELU(), nn.LayerNorm(6, eps=1e-3),
            nn.Linear(6, 6), nn.Softplus(), nn.Dropout(0.2),
            nn.Linear(6, 5), nn.SiLU(), nn.BatchNorm1d(5, momentum=0.2),
        ),
        prepare=warm_up_normalisations,
    ),
    Fixture(
        # The classic pre-activation order, Linear, BatchNorm1d, ReLU: NeuralNet's
        # activations belong to dense layers, so this must be refused by name.
        name="unsupported_batchnorm_before_relu",
        seed=16,
        opset=17,
        in_features=3,
        build=lambda: nn.Sequential(
            nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2),
        ),
        prepare=warm_up_normalisations,
    ),
]

DTYPE_NAMES = {torch.float32: "float32", torch.float64: "float64"}


def make_inputs(fixture: Fixture) -> torch.Tensor:
    generator = torch.Generator().manual_seed(fixture.seed + INPUT_SEED_OFFSET)
    shape = fixture.sample_shape or (fixture.in_features,)
    rows = torch.randn(ROWS, *shape, generator=generator, dtype=fixture.dtype)
    return rows * INPUT_SCALE


def to_json(record: dict) -> str:
    """Format the record as JSON with one matrix row per line.

    json.dumps writes each Python float with repr, the shortest text that
    reads back to the same double; a float32 value widened to double by
    tolist() is exact, so nothing is lost either way.
    """
    lines = []
    for key, value in record.items():
        if isinstance(value, list):
            rows = ",\n    ".join(json.dumps(row) for row in value)
            text = f"[\n    {rows}\n  ]"
        else:
            text = json.dumps(value)
        lines.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def write_fixture(fixture: Fixture, out_dir: Path = FIXTURE_DIR,
                  verbose: bool = False) -> None:
    """Export the fixture's network and write its .onnx and .json files.

    out_dir and verbose let a check export elsewhere and print the graph.
    """
    # Weights are drawn from the global generator, as nn.Linear does.
    torch.manual_seed(fixture.seed)
    model = fixture.build()
    if fixture.prepare is not None:
        fixture.prepare(model, fixture.seed)
    model.eval()
    inputs = make_inputs(fixture)

    with torch.no_grad():
        outputs = model(inputs)

    # verbose=True would also write source locations into the file, so it
    # is off for the committed fixtures.
    torch.onnx.export(
        model,
        inputs,
        str(out_dir / f"{fixture.name}.onnx"),
        input_names=["input"],
        output_names=["output"],
        dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
        opset_version=fixture.opset,
        do_constant_folding=True,
        verbose=verbose,
    )

    record = {
        "torch_version": torch.__version__,
        "opset": fixture.opset,
        "dtype": DTYPE_NAMES[fixture.dtype],
        "sample_shape": list(fixture.sample_shape or (fixture.in_features,)),
        # One flat row per sample, in the order nn.Flatten reads it.
        "input": inputs.reshape(ROWS, -1).tolist(),
        "output": outputs.tolist(),
    }
    (out_dir / f"{fixture.name}.json").write_text(to_json(record))


def main(names: list[str]) -> None:
    unknown = set(names) - {f.name for f in FIXTURES}
    if unknown:
        raise SystemExit(f"unknown fixtures: {', '.join(sorted(unknown))}")
    for fixture in FIXTURES:
        if names and fixture.name not in names:
            continue
        write_fixture(fixture)
        print(f"wrote {fixture.name}.onnx and {fixture.name}.json")


if __name__ == "__main__":
    main(sys.argv[1:])
