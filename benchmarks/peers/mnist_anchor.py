#!/usr/bin/python3
"""The MNIST accuracy anchor in PyTorch (CPU), float32: the recipe NeuralNet's samples/Mnist is checked against.

MLP 784 -> 512 (ReLU, dropout 0.3) -> 256 (ReLU, dropout 0.3) -> 10, written as a practitioner writes it:
nn.Sequential of nn.Linear with PyTorch's default initialisation, nn.CrossEntropyLoss (batch mean),
torch.optim.SGD(lr=0.05, momentum=0.9) without weight decay, CosineAnnealingLR(T_max=epochs) stepped once per
epoch (epoch e of E trains at lr·(1 + cos(π·(e−1)/E))/2, NeuralNet's LearningRateSchedule.Cosine()), batches of 64
reshuffled every epoch with the last partial batch used, 20 epochs on the bundled 8,000 training images; the
accuracy is on the 2,000 test images, in eval mode (no dropout).

The same recipe in NeuralNet (README.md, "Training toolkit"):

    dotnet run --project samples/Mnist -c Release -- --hidden 512,256 --dropout 0.3 --batch-size 64 \
        --rule momentum --learning-rate 0.05 --epochs 20

Run from the repository root with Debian's /usr/bin/python3 (python3-torch):

    /usr/bin/python3 benchmarks/peers/mnist_anchor.py --data samples/data/mnist-10k

See common.py for the output lines; --seeds N trains N seeds (seed, seed + 1, ...) and reports each accuracy.
"""

import common


def extra_arguments(parser):
    parser.set_defaults(batch=64, epochs=20)
    parser.add_argument("--hidden", default="512,256", help="hidden ReLU layer sizes, comma-separated (default 512,256)")
    parser.add_argument("--dropout", type=float, default=0.3, help="dropout after each hidden layer (default 0.3)")
    parser.add_argument("--lr", type=float, default=0.05, help="starting learning rate (default 0.05)")
    parser.add_argument("--momentum", type=float, default=0.9, help="SGD momentum (default 0.9)")
    parser.add_argument("--seeds", type=int, default=1, help="how many seeds to train, from --seed (default 1)")
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads; 0 leaves torch's default")


def build(torch, nn, hidden, dropout):
    layers = []
    inputs = 784
    for size in hidden:
        layers += [nn.Linear(inputs, size), nn.ReLU(), nn.Dropout(dropout)]
        inputs = size
    layers.append(nn.Linear(inputs, 10))
    return nn.Sequential(*layers)


def train_one(torch, nn, args, hidden, seed, data):
    import time

    x_train, y_train, x_test, y_test = data
    torch.manual_seed(seed)
    model = build(torch, nn, hidden, args.dropout)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    generator = torch.Generator().manual_seed(seed)
    n = x_train.shape[0]
    for epoch in range(1, args.epochs + 1):
        model.train()
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
        scheduler.step()
        common.report_epoch(epoch, time.perf_counter() - started, loss_sum / n)

    model.eval()
    with torch.no_grad():
        predicted = model(x_test).argmax(dim=1)
    return (predicted == y_test).double().mean().item()


def main():
    args = common.parse_args("PyTorch MNIST accuracy anchor", extra_arguments)
    try:
        hidden = [int(h) for h in args.hidden.split(",")]
    except ValueError:
        common.fail(f"--hidden expects sizes separated by commas, but got '{args.hidden}'")
    if any(h < 1 for h in hidden) or not 0 <= args.dropout < 1 or args.lr <= 0 or not 0 <= args.momentum < 1 or args.seeds < 1:
        common.fail("--hidden sizes and --seeds must be positive, --dropout in [0, 1), --lr positive, --momentum in [0, 1)")

    import torch
    from torch import nn

    if args.threads > 0:
        torch.set_num_threads(args.threads)
    x_train, y_train = common.load_mnist(args.data, train=True)
    x_test, y_test = common.load_mnist(args.data, train=False)
    data = (torch.from_numpy(x_train), torch.from_numpy(y_train), torch.from_numpy(x_test), torch.from_numpy(y_test))
    common.report_info(system="pytorch", torch=torch.__version__, threads=torch.get_num_threads(), batch=args.batch,
                       hidden=hidden, dropout=args.dropout, lr=args.lr, momentum=args.momentum, epochs=args.epochs)
    for seed in range(args.seed, args.seed + args.seeds):
        common.report_accuracy(train_one(torch, nn, args, hidden, seed, data))


if __name__ == "__main__":
    main()
