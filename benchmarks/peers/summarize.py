#!/usr/bin/python3
"""Aggregates the raw runs of compare.sh: prints what each system ran, one RESULT line per system and batch size,
the ratio table NeuralNet / best peer, and a detail table of the timed epochs with each run's peak memory.

Raw files, in --raw DIR; each run writes NAME.jsonl (one JSON object per line as the runners print them, see
common.py; other lines, such as MKL_VERBOSE's, are skipped), NAME.err (its stderr, where OPENBLAS_VERBOSE=2 prints
"Core: X") and NAME.rss (its peak resident set in kB, /usr/bin/time's %M, on the last line):
  time__<system>__b<batch>__r<round>   a timing run; its first --warmup epochs are dropped
  accuracy__<system>                   the accuracy run (10 epochs at batch 32)
  check__<system>                      a kernel check run (MKL_VERBOSE, ONEDNN_VERBOSE); not timed

With --workload cnn (and --samples, the training images per epoch) the RESULT lines, the ratio table and the detail
table also give conv_gflops: the floating-point operations of the epoch's convolution products over the median epoch
time, a whole-epoch rate (everything else the epoch does counts in the time but not in the flops).
"""

import argparse
import collections
import json
import os
import re
import statistics
import sys

# The peers NeuralNet is compared with; every system whose name starts with one of these is a peer.
PEER_PREFIXES = ("pytorch", "numpy", "torchsharp")
# The headline row: NeuralNet with its default settings.
HEADLINE = "neuralnet"
ACCURACY_BATCH = 32
# The convolutions of the CNN workload as (channels, height, width, filters, kernel) of their input; stride 1, no
# padding, as in benchmarks/NeuralNet.Compare/Workload.cs and the peers.
CNN_CONVOLUTIONS = ((1, 28, 28, 8, 5), (8, 12, 12, 16, 5))


def conv_flops_per_sample(convolutions=CNN_CONVOLUTIONS):
    """Flops of one sample's convolution products in a training step: forward, weight gradient and input gradient,
    2 * outputs * C * k * k each, except the first layer's input gradient, which no system computes."""
    total = 0
    for index, (channels, height, width, filters, kernel) in enumerate(convolutions):
        outputs = filters * (height - kernel + 1) * (width - kernel + 1)
        total += (2 if index == 0 else 3) * 2 * outputs * channels * kernel * kernel
    return total


def read_events(path):
    events = []
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                print(f"summarize: skipping an unreadable line in {path}: {line[:80]}", file=sys.stderr)
    return events


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return stream.read()
    except FileNotFoundError:
        return ""


def peak_rss_mb(path):
    """The last line of a .rss file (kB) in MB, or None."""
    lines = read_text(path).strip().splitlines()
    if lines and lines[-1].strip().isdigit():
        return int(lines[-1].strip()) / 1024.0
    return None


class Run:
    """One process: its events, the kernel it reported, the OpenBLAS core its stderr names, its peak memory."""

    def __init__(self, directory, stem):
        self.name = stem
        self.events = read_events(os.path.join(directory, stem + ".jsonl"))
        self.stderr = read_text(os.path.join(directory, stem + ".err"))
        self.stdout = read_text(os.path.join(directory, stem + ".jsonl"))
        self.rss_mb = peak_rss_mb(os.path.join(directory, stem + ".rss"))
        info = next((e for e in self.events if e.get("event") == "info"), {})
        self.kernel = info.get("kernel")
        # Runners older than the workload switch name none: theirs is the MLP.
        self.workload = info.get("workload", "mlp") if info else None
        self.conv_flops_per_sample = info.get("conv_flops_per_sample")
        cores = re.findall(r"^Core: (\S+)", self.stderr, re.MULTILINE)
        self.stderr_core = cores[0] if cores else None

    def epochs(self, key):
        return [e[key] for e in self.events if e.get("event") == "epoch"]

    def accuracy(self):
        values = [e["value"] for e in self.events if e.get("event") == "accuracy"]
        return values[-1] if values else None

    def core_mismatch(self):
        """A message when the core OpenBLAS printed on stderr is not the one the process reported, else None."""
        if self.kernel is None or self.stderr_core is None:
            return None
        reported = re.search(r"openblas \((\S+) kernel\)", self.kernel)
        if reported and reported.group(1).lower() != self.stderr_core.lower():
            return f"{self.name}: the process reported {self.kernel!r} but OpenBLAS printed 'Core: {self.stderr_core}'"
        return None


def quoted(text):
    return '"' + (text or "?").replace('"', "'") + '"'


def kernels_of(runs):
    seen = []
    for run in runs:
        if run.kernel and run.kernel not in seen:
            seen.append(run.kernel)
    return " | ".join(seen) if seen else None


def fmt(value, digits=2, width=0):
    text = f"{value:.{digits}f}" if value is not None else "-"
    return f"{text:>{width}}" if width else text


def check_summary(run):
    """What a kernel check run's verbose output says ran its products."""
    parts = []
    if run.stderr_core:
        parts.append(f"OpenBLAS printed 'Core: {run.stderr_core}'")
    mkl_calls = collections.Counter(re.findall(r"^MKL_VERBOSE (\w+)\(", run.stdout + run.stderr, re.MULTILINE))
    mkl_version = re.search(r"^MKL_VERBOSE (oneMKL|Intel\(R\) MKL) .*$", run.stdout + run.stderr, re.MULTILINE)
    if mkl_calls:
        calls = ", ".join(f"{count} {name}" for name, count in mkl_calls.most_common())
        parts.append(f"MKL calls: {calls}" + (f" [{mkl_version.group(0)[len('MKL_VERBOSE '):]}]" if mkl_version else ""))
    else:
        parts.append("no MKL call")
    onednn = [line for line in (run.stdout + run.stderr).splitlines()
              if re.match(r"^(onednn|dnnl)_verbose,", line) and ",exec," in line]
    if onednn:
        # The primitive kind follows the engine ("...,exec,cpu,inner_product,..."); the fields before it vary by version.
        kinds = collections.Counter(f[f.index("cpu") + 1] if "cpu" in f[:-1] else "?" for f in (line.split(",") for line in onednn))
        parts.append(f"oneDNN primitives executed: {len(onednn)} ({', '.join(f'{n} {k}' for k, n in kinds.most_common(4))})")
    else:
        parts.append("no oneDNN primitive executed")
    return "; ".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", required=True)
    parser.add_argument("--warmup", type=int, required=True)
    parser.add_argument("--systems", required=True, help="comma-separated, in print order")
    parser.add_argument("--batches", required=True, help="comma-separated batch sizes")
    parser.add_argument("--workload", choices=("mlp", "cnn"), default="mlp", help="what the runs trained (default mlp)")
    parser.add_argument("--samples", type=int, help="training samples per epoch; needed for --workload cnn")
    args = parser.parse_args()
    cnn = args.workload == "cnn"
    if cnn and (args.samples is None or args.samples < 1):
        parser.error("--workload cnn needs --samples N, the training samples per epoch (N positive)")
    # Flops of an epoch's convolution products: every training sample goes through one step.
    epoch_conv_flops = conv_flops_per_sample() * args.samples if cnn else None

    def gflops(ms):
        return epoch_conv_flops / (ms / 1000.0) / 1e9 if ms else None
    systems = args.systems.split(",")
    batches = [int(b) for b in args.batches.split(",")]
    peers = [s for s in systems if s.startswith(PEER_PREFIXES)]
    neuralnets = sorted((s for s in systems if s.startswith("neuralnet")), key=lambda s: (s != HEADLINE, systems.index(s)))

    timing = {(s, b): [] for s in systems for b in batches}
    epochs = {(s, b): [] for s in systems for b in batches}
    accuracy_runs = {}
    check_runs = {}
    stems = sorted({name.rsplit(".", 1)[0] for name in os.listdir(args.raw) if name.endswith(".jsonl")})
    for stem in stems:
        parts = stem.split("__")
        run = Run(args.raw, stem)
        if parts[0] == "time" and len(parts) == 4:
            key = (parts[1], int(parts[2][1:]))
            if key not in epochs:
                continue
            times = run.epochs("ms")
            if len(times) <= args.warmup:
                print(f"summarize: {stem} has {len(times)} epochs, none past the warm-up", file=sys.stderr)
                continue
            epochs[key].extend(times[args.warmup:])
            timing[key].append(run)
        elif parts[0] == "accuracy" and len(parts) == 2:
            accuracy_runs[parts[1]] = run
        elif parts[0] == "check" and len(parts) == 2:
            check_runs[parts[1]] = run

    medians = {key: statistics.median(times) for key, times in epochs.items() if times}
    every_run = [r for runs in timing.values() for r in runs] + list(accuracy_runs.values()) + list(check_runs.values())
    mismatches = [m for m in (r.core_mismatch() for r in every_run) if m]
    mismatches += [f"{r.name}: trained the {r.workload} workload, expected {args.workload}"
                   for r in every_run if r.workload is not None and r.workload != args.workload]
    if cnn:
        mismatches += [f"{r.name}: counted {r.conv_flops_per_sample:.0f} convolution flops per sample, expected {conv_flops_per_sample()}"
                       for r in every_run if r.conv_flops_per_sample is not None and r.conv_flops_per_sample != conv_flops_per_sample()]

    print()
    print("Kernels (as each system's processes reported them; OpenBLAS's own 'Core:' line on stderr checked against them)")
    for system in systems:
        runs = [r for b in batches for r in timing[(system, b)]] + ([accuracy_runs[system]] if system in accuracy_runs else [])
        print(f"{system:<26} {kernels_of(runs) or '-'}")
    for message in mismatches:
        print(f"MISMATCH {message}")
    if check_runs:
        print()
        print("Kernel check runs (batch 128, 1 epoch, MKL_VERBOSE=1 ONEDNN_VERBOSE=1 DNNL_VERBOSE=1): what ran the products")
        for system in systems:
            if system in check_runs:
                print(f"{system:<26} {check_summary(check_runs[system])}")

    print()
    if cnn:
        print(f"conv_gflops: the convolution products' flops of an epoch, {args.samples} samples x {conv_flops_per_sample():,} "
              f"= {epoch_conv_flops / 1e9:.3f} GFLOP (forward, weight and input gradient, 2*outputs*C*k*k each; the first "
              "convolution has no input gradient), over the median epoch time: a whole-epoch rate")
    for batch in batches:
        for system in systems:
            runs = timing[(system, batch)]
            accuracy = accuracy_runs[system].accuracy() if batch == ACCURACY_BATCH and system in accuracy_runs else None
            rss = [r.rss_mb for r in runs if r.rss_mb is not None]
            rate = f"conv_gflops={fmt(gflops(medians.get((system, batch))))} " if cnn else ""
            print(f"RESULT system={system} batch={batch} median_ms={fmt(medians.get((system, batch)))} "
                  f"accuracy={fmt(accuracy, 4)} peak_rss_mb={fmt(max(rss) if rss else None, 1)} "
                  f"{rate}kernel={quoted(kernels_of(runs))}")

    print()
    print(f"NeuralNet / best peer (median epoch time; below 1 = NeuralNet faster; best peer = the fastest of "
          f"{', '.join(peers)} at that batch size; `{HEADLINE}` is NeuralNet with its default settings)")
    rates = f" {'conv_gflops':>11} {'peer_gflops':>11}" if cnn else ""
    print(f"{'system':<20} {'batch':>6} {'median_ms':>11} {'best peer':<26} {'peer_ms':>10} {'ratio':>7}{rates}")
    for system in neuralnets:
        for batch in batches:
            own = medians.get((system, batch))
            candidates = [(medians[(p, batch)], p) for p in peers if (p, batch) in medians]
            if own is None or not candidates:
                print(f"{system:<20} {batch:>6} {'-':>11} {'-':<26} {'-':>10} {'-':>7}" + (f" {'-':>11} {'-':>11}" if cnn else ""))
                continue
            best_ms, best = min(candidates)
            rates = f" {fmt(gflops(own), 2, 11)} {fmt(gflops(best_ms), 2, 11)}" if cnn else ""
            print(f"{system:<20} {batch:>6} {own:>11.2f} {best:<26} {best_ms:>10.2f} {own / best_ms:>7.2f}{rates}")

    print()
    print("Timed epochs per system and batch size (warm-up epochs dropped), in ms; peak_rss_mb is the largest peak")
    print("resident memory of that system's runs at that batch size (each run a fresh process, /usr/bin/time %M)")
    print(f"{'system':<26} {'batch':>6} {'runs':>5} {'epochs':>7} {'median':>10} {'min':>10} {'max':>10} {'peak_rss_mb':>12}"
          + (f" {'conv_gflops':>11}" if cnn else ""))
    for batch in batches:
        for system in systems:
            times = epochs[(system, batch)]
            runs = timing[(system, batch)]
            rss = [r.rss_mb for r in runs if r.rss_mb is not None]
            rss_text = fmt(max(rss) if rss else None, 1, 12)
            if not times:
                print(f"{system:<26} {batch:>6} {len(runs):>5} {0:>7} {'-':>10} {'-':>10} {'-':>10} {rss_text}"
                      + (f" {'-':>11}" if cnn else ""))
                continue
            print(f"{system:<26} {batch:>6} {len(runs):>5} {len(times):>7} "
                  f"{statistics.median(times):>10.2f} {min(times):>10.2f} {max(times):>10.2f} {rss_text}"
                  + (f" {fmt(gflops(statistics.median(times)), 2, 11)}" if cnn else ""))

    print()
    print(f"Accuracy runs (10 epochs at batch {ACCURACY_BATCH}): final training loss, test accuracy on the 2,000 test "
          "images, peak memory")
    for system in systems:
        run = accuracy_runs.get(system)
        losses = run.epochs("loss") if run else []
        loss = losses[-1] if losses else None
        print(f"{system:<26} loss={fmt(loss, 4)} accuracy={fmt(run.accuracy() if run else None, 4)} "
              f"peak_rss_mb={fmt(run.rss_mb if run else None, 1)}")

    status = 0
    missing = [f"{s} batch {b}" for (s, b) in epochs if (s, b) not in medians]
    missing += [f"{s} accuracy" for s in systems if s not in accuracy_runs or accuracy_runs[s].accuracy() is None]
    if missing:
        print(f"\nsummarize: no result for {', '.join(missing)}", file=sys.stderr)
        status = 1
    if mismatches:
        print(f"\nsummarize: {len(mismatches)} run(s) ran another OpenBLAS core than they reported, another workload "
              "than expected, or counted other convolution flops (the MISMATCH lines above)", file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
