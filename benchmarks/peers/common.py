"""Shared parts of the reference peers: the command line, the MNIST IDX reader and the output lines.

Each peer prints one JSON object per line on stdout, the same as NeuralNet.Compare:
  {"event": "info", "system": "numpy", "kernel": "openblas (SkylakeX kernel)", ...}   once, before training
  {"event": "epoch", "epoch": 1, "ms": 123.456, "loss": 0.4321}   one per epoch; ms is training only
  {"event": "accuracy", "value": 0.9135}                         once, on the test images, after training
"""

import argparse
import ctypes
import gzip
import json
import os
import struct
import sys

import numpy as np

IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049


def parse_args(description, extra=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", required=True, help="directory holding the gzip IDX files")
    parser.add_argument("--batch", type=int, default=32, help="samples per update (8000 = full batch)")
    parser.add_argument("--epochs", type=int, default=10, help="epochs to train, each timed")
    parser.add_argument("--seed", type=int, default=1, help="seeds the initial weights and the shuffling")
    if extra is not None:
        extra(parser)
    args = parser.parse_args()
    if args.batch < 1 or args.epochs < 1:
        parser.error("--batch and --epochs must be positive")
    return args


def _read(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as stream:
        return stream.read()


def _find(directory, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"no {name}[.gz] in {directory}")


def read_images(path):
    raw = _read(path)
    if len(raw) < 16:
        raise ValueError(f"{path}: too short for an IDX images header")
    magic, count, rows, columns = struct.unpack(">iiii", raw[:16])
    if magic != IMAGES_MAGIC:
        raise ValueError(f"{path}: magic {magic}, expected {IMAGES_MAGIC}")
    if len(raw) != 16 + count * rows * columns:
        raise ValueError(f"{path}: {len(raw) - 16} pixel bytes, expected {count * rows * columns}")
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, rows * columns)
    # The same scaling as NeuralNet: each byte times the float32 1/255.
    return pixels.astype(np.float32) * np.float32(1.0 / 255.0)


def read_labels(path):
    raw = _read(path)
    if len(raw) < 8:
        raise ValueError(f"{path}: too short for an IDX labels header")
    magic, count = struct.unpack(">ii", raw[:8])
    if magic != LABELS_MAGIC:
        raise ValueError(f"{path}: magic {magic}, expected {LABELS_MAGIC}")
    if len(raw) != 8 + count:
        raise ValueError(f"{path}: {len(raw) - 8} label bytes, expected {count}")
    labels = np.frombuffer(raw, dtype=np.uint8, offset=8).astype(np.int64)
    if labels.max(initial=0) > 9:
        raise ValueError(f"{path}: a label above 9")
    return labels


def load_mnist(directory, train):
    prefix = "train" if train else "t10k"
    images = read_images(_find(directory, f"{prefix}-images-idx3-ubyte"))
    labels = read_labels(_find(directory, f"{prefix}-labels-idx1-ubyte"))
    if len(images) != len(labels):
        raise ValueError(f"{prefix}: {len(images)} images but {len(labels)} labels")
    return images, labels


def loaded_openblas():
    """What the OpenBLAS loaded in this process runs, asked of that very library: (kernel, threads, config).

    The library is found in /proc/self/maps (NumPy and Debian's PyTorch reach it through libblas.so.3), so the
    answer is the core OpenBLAS chose at start-up for this process, after OPENBLAS_CORETYPE if that was set.
    Returns None when no OpenBLAS is loaded.
    """
    paths = []
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            for line in maps:
                path = line.rstrip("\n").split(maxsplit=5)[-1]
                if "openblas" in os.path.basename(path) and path not in paths:
                    paths.append(path)
    except OSError:
        return None
    for path in paths:
        try:
            library = ctypes.CDLL(path)  # already loaded: the same handle, not a second copy
            library.openblas_get_corename.restype = ctypes.c_char_p
            library.openblas_get_config.restype = ctypes.c_char_p
        except (OSError, AttributeError):
            continue
        core = library.openblas_get_corename().decode("ascii", "replace")
        return f"openblas ({core} kernel)", library.openblas_get_num_threads(), library.openblas_get_config().decode("ascii", "replace")
    return None


def report_epoch(epoch, seconds, loss):
    print(json.dumps({"event": "epoch", "epoch": epoch, "ms": round(seconds * 1000.0, 3), "loss": round(float(loss), 6)}), flush=True)


def report_accuracy(accuracy):
    print(json.dumps({"event": "accuracy", "value": round(float(accuracy), 6)}), flush=True)


def report_info(**fields):
    print(json.dumps({"event": "info", **fields}), flush=True)


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(2)
