#!/usr/bin/env bash
# Side-by-side comparison of NeuralNet with PyTorch and NumPy on one reference workload:
# MLP 784 -> 128 (ReLU) -> 10 (softmax + cross-entropy), float32, plain gradient descent (lr 0.1) on the 8,000
# MNIST training images in samples/data/mnist-10k, at batch sizes 1, 32, 128 and 8000 (full batch).
#
#   bash benchmarks/compare.sh           full run: 3 rounds of 1 warm-up + 5 timed epochs per system and batch size
#   bash benchmarks/compare.sh --quick   1 round of 1 warm-up + 3 timed epochs (batch 1: 1 + 2), about 2-3 minutes
#
# The systems run alternately (round-robin, the starting system rotating each round), each run a fresh process.
# The median of all timed epochs per system and batch size is reported, then the ratio NeuralNet / best peer.
# A separate 10-epoch run at batch 32 per system gives the test accuracy. Raw output lands in
# artifacts/compare/<time>/. Nothing else heavy should run meanwhile: the load average is printed before and after.
#
# Environment: NEURALNET_THREADS (NeuralNet's MatrixBackend.ThreadCount, default nproc), COMPARE_ROUNDS,
# COMPARE_EPOCHS (timed epochs per run), COMPARE_SEED (default 1). OPENBLAS_CORETYPE is left as it is.
set -euo pipefail

quick=0
for argument in "$@"; do
  case "$argument" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown argument '$argument' (expected --quick)" >&2; exit 2 ;;
  esac
done

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

python=/usr/bin/python3
data="$root/samples/data/mnist-10k"
seed="${COMPARE_SEED:-1}"
batches=(1 32 128 8000)
systems=(neuralnet-openblas neuralnet-managed pytorch pytorch-2threads-passive numpy)
warmup=1
if [ "$quick" = 1 ]; then
  rounds="${COMPARE_ROUNDS:-1}"
  timed="${COMPARE_EPOCHS:-3}"
  timed_batch1="${COMPARE_EPOCHS:-2}"
else
  rounds="${COMPARE_ROUNDS:-3}"
  timed="${COMPARE_EPOCHS:-5}"
  timed_batch1="${COMPARE_EPOCHS:-5}"
fi
neuralnet_threads="${NEURALNET_THREADS:-$(nproc)}"
started=$(date +%s)

echo "== installing peers"
bash "$here/install-peers.sh"

echo "== building NeuralNet.Compare (Release)"
project="$here/NeuralNet.Compare/NeuralNet.Compare.csproj"
build_log="$(mktemp)"
if ! dotnet build "$project" -c Release -nologo -v quiet -warnaserror >"$build_log" 2>&1; then
  cat "$build_log" >&2
  rm -f "$build_log"
  echo "compare.sh: the build of NeuralNet.Compare failed" >&2
  exit 1
fi
rm -f "$build_log"
dll="$(dotnet msbuild "$project" -getProperty:TargetPath -p:Configuration=Release)"
if [ ! -f "$dll" ]; then
  echo "compare.sh: the build produced no $dll" >&2
  exit 1
fi

raw="$root/artifacts/compare/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$raw"

echo
echo "== machine"
echo "date:         $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "nproc:        $(nproc)"
echo "cpu:          $(grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name[[:space:]]*:[[:space:]]*//')"
echo "kernel:       $(uname -sr)"
echo "dotnet:       SDK $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ {v=$2} END {print v}')"
echo "python:       $($python --version 2>&1) ($python)"
echo "torch:        $($python -c 'import torch; print(torch.__version__)' 2>/dev/null || echo missing)"
echo "numpy:        $($python -c 'import numpy; print(numpy.__version__)' 2>/dev/null || echo missing)"
echo "openblas:     libopenblas0-pthread $(dpkg-query -W -f='${Version}' libopenblas0-pthread 2>/dev/null || echo missing)"
echo "libblas.so.3: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo '?') (what NumPy links)"
echo "env:          OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-<unset>} OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS-<unset>} OMP_NUM_THREADS=${OMP_NUM_THREADS-<unset>}"
echo "threads:      neuralnet-* MatrixBackend.ThreadCount=$neuralnet_threads; pytorch 1 thread; pytorch-2threads-passive 2 threads, OMP_WAIT_POLICY=PASSIVE; numpy OpenBLAS default"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (before)"
echo "plan:         batches ${batches[*]}; $rounds round(s); $warmup warm-up + $timed timed epochs per run (batch 1: $warmup + $timed_batch1); seed $seed"
echo "raw output:   $raw"

# run SYSTEM BATCH EPOCHS OUTFILE: one fresh process training EPOCHS epochs, its JSON lines to OUTFILE.
run() {
  local system="$1" batch="$2" epochs="$3" out="$4"
  local common=(--data "$data" --batch "$batch" --epochs "$epochs" --seed "$seed")
  case "$system" in
    neuralnet-openblas) dotnet "$dll" "${common[@]}" --backend openblas --threads "$neuralnet_threads" ;;
    neuralnet-managed) dotnet "$dll" "${common[@]}" --backend managed --threads "$neuralnet_threads" ;;
    pytorch) "$python" "$here/peers/reference_torch.py" "${common[@]}" --threads 1 ;;
    pytorch-2threads-passive) OMP_WAIT_POLICY=PASSIVE "$python" "$here/peers/reference_torch.py" "${common[@]}" --threads 2 ;;
    numpy) "$python" "$here/peers/reference_numpy.py" "${common[@]}" ;;
    *) echo "unknown system $system" >&2; return 2 ;;
  esac >"$out" 2>"${out%.jsonl}.err"
}

epoch_times() {
  grep -oE '"ms": ?[0-9.]+' "$1" | sed -E 's/"ms": ?//' | awk '{printf "%s%.1f", (NR > 1 ? " " : ""), $1}'
}

failures=0
echo
echo "== timing runs (epoch times in ms; the first is the warm-up)"
for batch in "${batches[@]}"; do
  epochs=$((warmup + timed))
  [ "$batch" = 1 ] && epochs=$((warmup + timed_batch1))
  for ((round = 1; round <= rounds; round++)); do
    for ((i = 0; i < ${#systems[@]}; i++)); do
      system="${systems[$(((i + round - 1) % ${#systems[@]}))]}"
      out="$raw/time__${system}__b${batch}__r${round}.jsonl"
      if run "$system" "$batch" "$epochs" "$out"; then
        printf 'batch %-5s round %s/%s  %-26s %s\n' "$batch" "$round" "$rounds" "$system" "$(epoch_times "$out")"
      else
        failures=$((failures + 1))
        printf 'batch %-5s round %s/%s  %-26s FAILED: %s\n' "$batch" "$round" "$rounds" "$system" "$(tail -n 3 "${out%.jsonl}.err" | tr '\n' ' ')"
      fi
    done
  done
done

echo
echo "== accuracy runs (10 epochs at batch 32)"
for system in "${systems[@]}"; do
  out="$raw/accuracy__${system}.jsonl"
  if run "$system" 32 10 "$out"; then
    printf '%-26s accuracy %s\n' "$system" "$(grep -oE '"value": ?[0-9.]+' "$out" | sed -E 's/"value": ?//')"
  else
    failures=$((failures + 1))
    printf '%-26s FAILED: %s\n' "$system" "$(tail -n 3 "${out%.jsonl}.err" | tr '\n' ' ')"
  fi
done

echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (after); elapsed $(($(date +%s) - started)) s"

status=0
"$python" "$here/peers/summarize.py" --raw "$raw" --warmup "$warmup" \
  --systems "$(IFS=,; echo "${systems[*]}")" --batches "$(IFS=,; echo "${batches[*]}")" || status=$?
if [ "$failures" -gt 0 ]; then
  echo "compare.sh: $failures run(s) failed; see the .err files in $raw" >&2
  status=1
fi
exit "$status"
