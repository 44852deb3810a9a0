#!/usr/bin/python3
"""Aggregates the raw runs of compare.sh: prints one RESULT line per system and batch size, the ratio table
NeuralNet / best peer, and a detail table of the timed epochs.

Raw files, in --raw DIR, one JSON object per line as the runners print them (see common.py):
  time__<system>__b<batch>__r<round>.jsonl   a timing run; its first --warmup epochs are dropped
  accuracy__<system>.jsonl                   the accuracy run (10 epochs at batch 32)
"""

import argparse
import json
import os
import statistics
import sys

PEERS_PREFIXES = ("pytorch", "numpy")
ACCURACY_BATCH = 32


def read_lines(path):
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


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", required=True)
    parser.add_argument("--warmup", type=int, required=True)
    parser.add_argument("--systems", required=True, help="comma-separated, in print order")
    parser.add_argument("--batches", required=True, help="comma-separated batch sizes")
    args = parser.parse_args()
    systems = args.systems.split(",")
    batches = [int(b) for b in args.batches.split(",")]

    epochs = {(s, b): [] for s in systems for b in batches}
    runs = {(s, b): 0 for s in systems for b in batches}
    accuracy = {}
    final_loss = {}
    for name in sorted(os.listdir(args.raw)):
        if not name.endswith(".jsonl"):
            continue
        parts = name[:-len(".jsonl")].split("__")
        events = read_lines(os.path.join(args.raw, name))
        if parts[0] == "time" and len(parts) == 4:
            key = (parts[1], int(parts[2][1:]))
            if key not in epochs:
                continue
            times = [e["ms"] for e in events if e.get("event") == "epoch"]
            if len(times) <= args.warmup:
                print(f"summarize: {name} has {len(times)} epochs, none past the warm-up", file=sys.stderr)
                continue
            epochs[key].extend(times[args.warmup:])
            runs[key] += 1
        elif parts[0] == "accuracy" and len(parts) == 2:
            values = [e["value"] for e in events if e.get("event") == "accuracy"]
            losses = [e["loss"] for e in events if e.get("event") == "epoch"]
            if values:
                accuracy[parts[1]] = values[-1]
            if losses:
                final_loss[parts[1]] = losses[-1]

    medians = {key: statistics.median(times) for key, times in epochs.items() if times}

    print()
    for batch in batches:
        for system in systems:
            median = medians.get((system, batch))
            median_text = f"{median:.2f}" if median is not None else "-"
            acc = accuracy.get(system) if batch == ACCURACY_BATCH else None
            acc_text = f"{acc:.4f}" if acc is not None else "-"
            print(f"RESULT system={system} batch={batch} median_ms={median_text} accuracy={acc_text}")

    print()
    print("NeuralNet / best peer (median epoch time; below 1 = NeuralNet faster; best peer = fastest PyTorch or NumPy variant)")
    print(f"{'system':<20} {'batch':>6} {'median_ms':>11} {'best peer':<26} {'peer_ms':>10} {'ratio':>7}")
    for system in (s for s in systems if s.startswith("neuralnet")):
        for batch in batches:
            own = medians.get((system, batch))
            peers = [(medians[(p, batch)], p) for p in systems
                     if p.startswith(PEERS_PREFIXES) and (p, batch) in medians]
            if own is None or not peers:
                print(f"{system:<20} {batch:>6} {'-':>11} {'-':<26} {'-':>10} {'-':>7}")
                continue
            best_ms, best = min(peers)
            print(f"{system:<20} {batch:>6} {own:>11.2f} {best:<26} {best_ms:>10.2f} {own / best_ms:>7.2f}")

    print()
    print("Timed epochs per system and batch size (warm-up epochs dropped), in ms")
    print(f"{'system':<26} {'batch':>6} {'runs':>5} {'epochs':>7} {'median':>10} {'min':>10} {'max':>10}")
    for batch in batches:
        for system in systems:
            times = epochs[(system, batch)]
            if not times:
                print(f"{system:<26} {batch:>6} {runs[(system, batch)]:>5} {0:>7} {'-':>10} {'-':>10} {'-':>10}")
                continue
            print(f"{system:<26} {batch:>6} {runs[(system, batch)]:>5} {len(times):>7} "
                  f"{statistics.median(times):>10.2f} {min(times):>10.2f} {max(times):>10.2f}")

    print()
    print(f"Accuracy runs (10 epochs at batch {ACCURACY_BATCH}): final training loss and test accuracy on the 2,000 test images")
    for system in systems:
        loss = final_loss.get(system)
        acc = accuracy.get(system)
        loss_text = f"{loss:.4f}" if loss is not None else "-"
        acc_text = f"{acc:.4f}" if acc is not None else "-"
        print(f"{system:<26} loss={loss_text} accuracy={acc_text}")

    missing = [f"{s} batch {b}" for (s, b) in epochs if (s, b) not in medians]
    missing += [f"{s} accuracy" for s in systems if s not in accuracy]
    if missing:
        print(f"\nsummarize: no result for {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
