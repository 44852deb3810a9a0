"""Make the PyTorch reference values for NeuralNet's activation, loss, layer and training tests.

Writes, next to this script:

* ``activations.json``: for each activation, fixed inputs (0, tiny, ordinary,
  large |x|, the GELU tails, both sides of the softplus threshold 20) and
  PyTorch's forward values and derivatives (the backward pass of an upstream
  gradient of ones), in float64 and in float32;
* ``losses.json``: for each loss, a fixed batch of outputs and targets and
  PyTorch's loss and its gradient with respect to the outputs, in float64;
* ``layers.json``: for layer normalisation and batch normalisation, a fixed
  batch, gamma, beta and upstream gradient, and PyTorch's outputs and gradients
  (input, gamma, beta) in training and inference mode, the batch norm's running
  statistics after two training passes, and dropout's output and input
  gradient for a fixed mask, in float64;
* ``training.json``: ``torch.optim.AdamW`` steps on fixed weights (a decaying
  matrix and a bias in a group without decay) and fixed gradients, in float64
  and float32; ``clip_grad_norm_`` and ``clip_grad_value_`` on fixed
  gradients; the rates of ``LinearLR`` (the warm-up) and of
  ``ReduceLROnPlateau`` on fixed losses.

Run it from the repository root with Debian's PyTorch
(``apt-get install python3-torch``)::

    /usr/bin/python3 tests/NeuralNet.Tests/Fixtures/pytorch/make_fixtures.py

It uses no random numbers: a rerun with the same torch version rewrites the
same files. Every number is written with Python's repr (round-trip exact).
"""

import json
from pathlib import Path

import torch
from torch import nn
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent

# 0, tiny, ordinary and large inputs of both signs; the GELU tails (where
# 1 + erf and 1 + tanh cancel); both sides of the softplus threshold 20.
INPUTS = [
    0.0, 1e-8, -1e-8, 1e-3, -1e-3, 0.25, -0.25, 0.5, -0.5, 1.0, -1.0,
    1.5, -1.5, 2.0, -2.0, 3.0, -3.0, 4.5, -4.5, 6.0, -6.0, 8.0, -8.0,
    10.0, -10.0, 19.5, 19.999, 20.0, 20.001, 20.5, -20.0, 25.0, -25.0,
    30.0, -30.0, 40.0, -40.0, 100.0, -100.0,
]

ACTIVATIONS = {
    "elu": lambda: nn.ELU(),
    "elu_alpha_0.5": lambda: nn.ELU(alpha=0.5),
    "elu_alpha_2": lambda: nn.ELU(alpha=2.0),
    "selu": lambda: nn.SELU(),
    "gelu": lambda: nn.GELU(),
    "gelu_tanh": lambda: nn.GELU(approximate="tanh"),
    "silu": lambda: nn.SiLU(),
    "softplus": lambda: nn.Softplus(),
}


def activation_record(module: nn.Module, dtype: torch.dtype) -> dict:
    x = torch.tensor(INPUTS, dtype=dtype, requires_grad=True)
    y = module(x)
    (grad,) = torch.autograd.grad(y, x, torch.ones_like(y))
    return {
        "input": x.detach().tolist(),
        "value": y.detach().tolist(),
        "derivative": grad.tolist(),
    }


# A batch of 6 samples and 3 outputs. The differences output - target cover
# 0 exactly (MAE's gradient there), |d| = delta exactly for delta 1 and 0.5,
# small ones, and a large one (Huber's linear branch).
OUTPUT = [
    [0.5, -1.25, 2.0],
    [1.0, 0.0, -3.5],
    [-0.75, 4.0, 0.25],
    [2.5, -2.0, 1.0],
    [0.0, 0.125, -0.625],
    [12.0, -0.3, 0.7],
]
TARGET = [
    [0.5, -0.25, 1.0],
    [0.0, 0.5, -1.0],
    [-1.0, 3.9, 0.0],
    [0.0, 0.0, 1.5],
    [0.2, -0.1, -0.6],
    [-1.0, 0.4, 0.2],
]

# Logits and classes for the weighted cross-entropy, with a large logit so the
# log-sum-exp is exercised, and class 2 twice so its weight counts twice.
LOGITS = [
    [1.2, -0.4, 0.3, 2.0],
    [-1.0, 0.5, 2.5, 0.1],
    [30.0, -30.0, 0.0, 1.0],
    [0.0, 0.0, 0.0, 0.0],
    [2.2, -1.7, 0.9, -0.3],
]
CLASSES = [3, 2, 1, 0, 2]
CLASS_WEIGHTS = [0.5, 2.0, 1.5, 0.25]
# Soft targets: each row a probability vector.
SOFT = [
    [0.1, 0.2, 0.3, 0.4],
    [0.0, 0.5, 0.5, 0.0],
    [0.7, 0.1, 0.1, 0.1],
    [0.25, 0.25, 0.25, 0.25],
    [0.0, 0.0, 0.0, 1.0],
]


def loss_record(loss_fn, output, target, target_dtype=torch.float64) -> dict:
    z = torch.tensor(output, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(target, dtype=target_dtype)
    value = loss_fn(z, y)
    (grad,) = torch.autograd.grad(value, z)
    return {"output": output, "target": target, "value": value.item(), "gradient": grad.tolist()}


def losses() -> dict:
    weights = torch.tensor(CLASS_WEIGHTS, dtype=torch.float64)
    one_hot = F.one_hot(torch.tensor(CLASSES), len(CLASS_WEIGHTS)).double().tolist()
    records = {
        "huber": loss_record(nn.HuberLoss(), OUTPUT, TARGET),
        "huber_delta_0.5": loss_record(nn.HuberLoss(delta=0.5), OUTPUT, TARGET),
        "huber_delta_2.5": loss_record(nn.HuberLoss(delta=2.5), OUTPUT, TARGET),
        "mean_absolute_error": loss_record(nn.L1Loss(), OUTPUT, TARGET),
        # Class indices: PyTorch's weighted mean, sum w[y_i] * nll_i / sum w[y_i].
        "weighted_cross_entropy_classes": loss_record(
            nn.CrossEntropyLoss(weight=weights), LOGITS, CLASSES, torch.long),
        # Soft targets: the per-sample losses -sum_j w_j y_ij log p_ij
        # (reduction 'none'); NeuralNet divides their sum by sum_ij w_j y_ij.
        "weighted_cross_entropy_soft_sum": loss_record(
            nn.CrossEntropyLoss(weight=weights, reduction="sum"), LOGITS, SOFT),
    }
    records["weighted_cross_entropy_classes"]["one_hot"] = one_hot
    records["class_weights"] = CLASS_WEIGHTS
    return records


# A batch of 5 samples and 4 features with different scales per feature and
# per sample, so both normalisations have work to do.
LAYER_INPUT = [
    [0.5, -1.25, 2.0, 10.0],
    [1.0, 0.0, -3.5, 12.5],
    [-0.75, 4.0, 0.25, 9.0],
    [2.5, -2.0, 1.0, 11.0],
    [0.0, 0.125, -0.625, 8.5],
]
LAYER_SECOND_INPUT = [
    [0.25, 1.5, -1.0, 7.0],
    [-0.5, 0.75, 2.25, 6.5],
    [1.75, -0.25, 0.5, 9.5],
    [0.0, 2.0, -2.5, 8.0],
    [1.25, 0.5, 1.5, 7.5],
]
GAMMA = [1.5, 0.5, -0.75, 2.0]
BETA = [0.1, -0.2, 0.3, 0.0]
UPSTREAM = [
    [0.3, -0.1, 0.7, 0.2],
    [-0.4, 0.5, 0.1, -0.6],
    [0.9, 0.2, -0.3, 0.4],
    [0.0, -0.8, 0.6, 0.1],
    [0.25, 0.35, -0.45, -0.15],
]
DROPOUT_RATE = 0.4
# 1 keeps a value, 0 drops it.
DROPOUT_KEEP = [
    [1, 0, 1, 1],
    [0, 1, 1, 0],
    [1, 1, 0, 1],
    [1, 0, 0, 1],
    [0, 1, 1, 1],
]


def normalization_record(module: nn.Module, training: bool) -> dict:
    with torch.no_grad():
        module.weight.copy_(torch.tensor(GAMMA, dtype=torch.float64))
        module.bias.copy_(torch.tensor(BETA, dtype=torch.float64))
    module.train(training)
    x = torch.tensor(LAYER_INPUT, dtype=torch.float64, requires_grad=True)
    y = module(x)
    dx, dgamma, dbeta = torch.autograd.grad(y, (x, module.weight, module.bias), torch.tensor(UPSTREAM, dtype=torch.float64))
    return {"output": y.detach().tolist(), "input_gradient": dx.tolist(), "gamma_gradient": dgamma.tolist(), "beta_gradient": dbeta.tolist()}


def layers() -> dict:
    layer_norm = nn.LayerNorm(4, eps=1e-5).double()
    # Batch norm: one training pass on LAYER_INPUT (recorded), a second on
    # LAYER_SECOND_INPUT, then inference with the running statistics.
    batch_norm = nn.BatchNorm1d(4, eps=1e-5, momentum=0.1).double()
    training = normalization_record(batch_norm, True)
    batch_norm.train(True)
    with torch.no_grad():
        batch_norm(torch.tensor(LAYER_SECOND_INPUT, dtype=torch.float64))
    running = {"running_mean": batch_norm.running_mean.tolist(), "running_variance": batch_norm.running_var.tolist()}
    inference = normalization_record(batch_norm, False)
    keep = torch.tensor(DROPOUT_KEEP, dtype=torch.float64)
    x = torch.tensor(LAYER_INPUT, dtype=torch.float64, requires_grad=True)
    # PyTorch's own dropout draws its mask; its formula with a given mask is x * mask / (1 - p).
    y = x * keep / (1 - DROPOUT_RATE)
    (dx,) = torch.autograd.grad(y, x, torch.tensor(UPSTREAM, dtype=torch.float64))
    return {
        "input": LAYER_INPUT,
        "second_input": LAYER_SECOND_INPUT,
        "gamma": GAMMA,
        "beta": BETA,
        "upstream": UPSTREAM,
        "layer_normalization": normalization_record(layer_norm, True),
        "layer_normalization_inference": normalization_record(layer_norm, False),
        "batch_normalization_training": training,
        "batch_normalization_running": running,
        "batch_normalization_inference": inference,
        "dropout": {"rate": DROPOUT_RATE, "keep": DROPOUT_KEEP, "output": y.detach().tolist(), "input_gradient": dx.tolist()},
    }


# Two parameters: a 2 x 3 weight matrix (decays) and a bias of 3 (does not).
WEIGHT = [[0.5, -1.25, 2.0], [0.125, -0.75, 3.5]]
BIAS = [0.25, -0.5, 1.0]
# One gradient per step, for weight and bias: signs change, sizes span 1e-3 to 10.
GRADIENTS = [
    ([[0.1, -0.2, 0.3], [1.5, -0.001, 2.0]], [0.05, -0.3, 0.7]),
    ([[-0.4, 0.25, 0.3], [1.0, 0.002, -3.0]], [0.1, 0.2, -0.6]),
    ([[0.0, -0.5, 0.35], [-2.5, 0.01, 10.0]], [-0.05, 0.0, 0.9]),
    ([[0.2, 0.2, -0.1], [0.5, -0.02, 1.0]], [0.3, -0.1, 0.2]),
    ([[1e-3, -0.7, 0.6], [0.25, 0.05, -5.0]], [-0.2, 0.4, 0.1]),
]
RATES = [0.01, 0.01, 0.005, 0.02, 0.01]


def adamw_record(dtype: torch.dtype, weight_decay: float, betas=(0.9, 0.999), eps=1e-8) -> dict:
    weight = torch.tensor(WEIGHT, dtype=dtype, requires_grad=True)
    bias = torch.tensor(BIAS, dtype=dtype, requires_grad=True)
    optimizer = torch.optim.AdamW(
        [{"params": [weight]}, {"params": [bias], "weight_decay": 0.0}],
        lr=RATES[0], betas=betas, eps=eps, weight_decay=weight_decay)
    steps = []
    for (g_weight, g_bias), rate in zip(GRADIENTS, RATES):
        for group in optimizer.param_groups:
            group["lr"] = rate
        weight.grad = torch.tensor(g_weight, dtype=dtype)
        bias.grad = torch.tensor(g_bias, dtype=dtype)
        optimizer.step()
        steps.append({"weight": weight.detach().tolist(), "bias": bias.detach().tolist()})
    return {"weight_decay": weight_decay, "beta1": betas[0], "beta2": betas[1], "epsilon": eps, "steps": steps}


def clip_record(dtype: torch.dtype, kind: str, limit: float) -> dict:
    weight = torch.tensor(WEIGHT, dtype=dtype, requires_grad=True)
    bias = torch.tensor(BIAS, dtype=dtype, requires_grad=True)
    weight.grad = torch.tensor(GRADIENTS[2][0], dtype=dtype)
    bias.grad = torch.tensor(GRADIENTS[2][1], dtype=dtype)
    record = {"limit": limit}
    if kind == "norm":
        record["total_norm"] = torch.nn.utils.clip_grad_norm_([weight, bias], limit).item()
    else:
        torch.nn.utils.clip_grad_value_([weight, bias], limit)
    record.update({"weight": weight.grad.tolist(), "bias": bias.grad.tolist()})
    return record


def warmup_record(base: float, warmup: int, epochs: int) -> dict:
    parameter = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([parameter], lr=base)
    scheduler = torch.optim.lr_scheduler.LinearLR(
        optimizer, start_factor=1 / warmup, end_factor=1.0, total_iters=warmup - 1)
    rates = []
    for _ in range(epochs):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return {"base": base, "warmup": warmup, "rates": rates}


# Validation losses that fall, stall, dip by less than min_delta, and fall again.
PLATEAU_LOSSES = [1.0, 0.8, 0.81, 0.79995, 0.85, 0.7, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.5, 0.6, 0.6, 0.6]


def plateau_record(base: float, factor: float, patience: int, min_rate: float, min_delta: float) -> dict:
    # Keras' patience p is PyTorch's p - 1 (Keras reduces once p epochs have
    # not improved, PyTorch once more than p have); without cooldown the two
    # give the same rates.
    parameter = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([parameter], lr=base)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
        optimizer, mode="min", factor=factor, patience=patience - 1, threshold=min_delta,
        threshold_mode="abs", cooldown=0, min_lr=min_rate, eps=0.0)
    rates = []
    for loss in PLATEAU_LOSSES:
        rates.append(optimizer.param_groups[0]["lr"])
        scheduler.step(loss)
    return {"base": base, "factor": factor, "patience": patience, "min_rate": min_rate,
            "min_delta": min_delta, "losses": PLATEAU_LOSSES, "rates": rates}


def training() -> dict:
    return {
        "torch_version": torch.__version__,
        "weight": WEIGHT,
        "bias": BIAS,
        "gradients": [{"weight": w, "bias": b} for w, b in GRADIENTS],
        "rates": RATES,
        "adamw": {
            "float64": adamw_record(torch.float64, 0.01),
            "float64_decay_0.5": adamw_record(torch.float64, 0.5, betas=(0.8, 0.99), eps=1e-6),
            "float32": adamw_record(torch.float32, 0.01),
        },
        "clip_norm": {
            "float64_clips": clip_record(torch.float64, "norm", 1.0),
            "float64_keeps": clip_record(torch.float64, "norm", 100.0),
            "float32_clips": clip_record(torch.float32, "norm", 1.0),
        },
        "clip_value": {
            "float64": clip_record(torch.float64, "value", 0.5),
            "float32": clip_record(torch.float32, "value", 0.5),
        },
        "warmup": [warmup_record(0.1, 4, 6), warmup_record(0.03, 1, 3), warmup_record(0.2, 3, 5)],
        "plateau": [plateau_record(0.1, 0.5, 2, 0.0, 1e-4), plateau_record(0.1, 0.1, 1, 0.002, 0.0)],
    }


def main() -> None:
    activations = {
        "torch_version": torch.__version__,
        "float64": {name: activation_record(make(), torch.float64) for name, make in ACTIVATIONS.items()},
        "float32": {name: activation_record(make(), torch.float32) for name, make in ACTIVATIONS.items()},
    }
    (OUT / "activations.json").write_text(json.dumps(activations, indent=1) + "\n")
    (OUT / "losses.json").write_text(json.dumps({"torch_version": torch.__version__, **losses()}, indent=1) + "\n")
    (OUT / "layers.json").write_text(json.dumps({"torch_version": torch.__version__, **layers()}, indent=1) + "\n")
    (OUT / "training.json").write_text(json.dumps(training(), indent=1) + "\n")
    print("wrote activations.json, losses.json, layers.json and training.json")


if __name__ == "__main__":
    main()
