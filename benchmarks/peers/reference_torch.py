#!/usr/bin/python3
"""The workloads of the side-by-side comparison in PyTorch (CPU), float32.

--workload mlp (the default, the reference workload): MLP 784 -> 128 (ReLU) -> 10 as nn.Sequential(Linear, ReLU,
Linear), torch.optim.SGD(lr=0.1).
--workload cnn: nn.Sequential(Conv2d(1, 8, 5), ReLU, MaxPool2d(2), Conv2d(8, 16, 5), ReLU, MaxPool2d(2), Flatten,
Linear(256, 10)) on 1x28x28 images, torch.optim.SGD(lr=0.05). Its products and the conv FLOPs: see compare.sh.
Both: nn.CrossEntropyLoss (softmax + cross-entropy, batch mean), SGD without momentum or weight decay, on the 8,000
MNIST training images, reshuffled every epoch, the last partial batch used. Batches are indexed from preloaded tensors
(no DataLoader). Weights: He uniform for the layers before a ReLU, Glorot uniform for the output layer (fans of a
convolution: C*k*k in, F*k*k out, as NeuralNet's); biases zero.

--threads sets torch.set_num_threads (default 1). With more than one thread, OMP_WAIT_POLICY defaults to PASSIVE
(set before torch is imported) so idle OpenMP workers sleep rather than spin between the many small products.

Run with Debian's /usr/bin/python3 (python3-torch). See common.py for the output lines.
"""

import os
import re
import time

import common


def extra_arguments(parser):
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    parser.add_argument("--workload", choices=("mlp", "cnn"), default="mlp", help="the network trained (default mlp)")


# workload -> learning rate of plain SGD, the same as NeuralNet.Compare's (benchmarks/NeuralNet.Compare/Workload.cs)
LEARNING_RATES = {"mlp": 0.1, "cnn": 0.05}


def build(nn, workload):
    """The workload's network, initialised as NeuralNet's builder does by default."""
    if workload == "mlp":
        model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    else:
        model = nn.Sequential(nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(16 * 4 * 4, 10))
    layers = [m for m in model if isinstance(m, (nn.Linear, nn.Conv2d))]
    for layer in layers[:-1]:
        nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")  # U(-l, l), l = sqrt(6 / fan_in)
        nn.init.zeros_(layer.bias)
    nn.init.xavier_uniform_(layers[-1].weight)  # U(-l, l), l = sqrt(6 / (fan_in + fan_out))
    nn.init.zeros_(layers[-1].bias)
    return model


def kernel(torch, config, openblas, workload):
    """One line naming what runs the products and the element-wise work.

    A float32 Linear goes to the BLAS torch was built with (BLAS_INFO; Debian's "generic" is libblas.so.3, which is
    OpenBLAS, asked here for the core it runs); oneDNN is named by version (it serves other layers and dtypes); "aten"
    is the vector width of torch's own kernels. For the CNN, whether torch may send a float32 Conv2d to oneDNN
    (torch.backends.mkldnn.enabled; otherwise it runs im2col and the BLAS): the kernel check run's ONEDNN_VERBOSE
    output shows which it did.
    """
    blas_info = re.search(r"BLAS_INFO=(\w+)", config)
    blas = blas_info.group(1) if blas_info else "?"
    if openblas is not None:
        blas = openblas[0]
    capability = re.search(r"CPU capability usage: (\w+)", config)
    onednn = re.search(r"(?:MKL-DNN|oneDNN) (v[0-9.]+)", config)
    line = (f"torch {torch.__version__}: blas {blas}, aten {capability.group(1) if capability else '?'}, "
            f"onednn {onednn.group(1) if onednn else 'none'}")
    if workload == "cnn":
        usable = torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled
        line += f", conv2d {'onednn' if usable else 'im2col + blas'}"
    return line


def main():
    args = common.parse_args("PyTorch reference peer", extra_arguments)
    if args.threads < 1:
        common.fail("--threads must be positive")
    if args.threads > 1:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

    import torch
    from torch import nn

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    x_train_np, y_train_np = common.load_mnist(args.data, train=True)
    x_test_np, y_test_np = common.load_mnist(args.data, train=False)
    x_train = torch.from_numpy(x_train_np)
    y_train = torch.from_numpy(y_train_np)
    x_test = torch.from_numpy(x_test_np)
    if args.workload == "cnn":
        # NCHW views of the same rows: each row is a 28x28 image, row-major, as NeuralNet's channel-major layout.
        x_train = x_train.reshape(-1, 1, 28, 28)
        x_test = x_test.reshape(-1, 1, 28, 28)
    y_test = torch.from_numpy(y_test_np)
    n = x_train.shape[0]

    with torch.no_grad():
        model = build(nn, args.workload)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATES[args.workload])
    generator = torch.Generator().manual_seed(args.seed)
    config = torch.__config__.show()
    openblas = common.loaded_openblas()
    common.report_info(system="pytorch", workload=args.workload, torch=torch.__version__, threads=torch.get_num_threads(),
                       omp_wait_policy=os.environ.get("OMP_WAIT_POLICY", ""), batch=args.batch,
                       kernel=kernel(torch, config, openblas, args.workload), blas_threads=openblas[1] if openblas else None,
                       mkldnn=torch.backends.mkldnn.is_available(), config=config)

    model.train()
    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        order = torch.randperm(n, generator=generator)
        loss_sum = 0.0
        for start in range(0, n, args.batch):
            index = order[start:start + args.batch]
            x = x_train[index]
            y = y_train[index]
            optimizer.zero_grad(set_to_none=True)
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * x.shape[0]
        elapsed = time.perf_counter() - started
        common.report_epoch(epoch, elapsed, loss_sum / n)

    for name, parameter in model.named_parameters():
        if parameter.dtype != torch.float32:
            common.fail(f"{name} is {parameter.dtype}")

    model.eval()
    with torch.no_grad():
        predicted = model(x_test).argmax(dim=1)
    common.report_accuracy((predicted == y_test).double().mean().item())


if __name__ == "__main__":
    main()
