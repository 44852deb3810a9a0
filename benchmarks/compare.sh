#!/usr/bin/env bash
# Side-by-side comparison of NeuralNet with PyTorch, NumPy and TorchSharp on one of two workloads, float32, on the
# 8,000 MNIST training images in samples/data/mnist-10k:
#   --workload mlp (the default, the reference workload): MLP 784 -> 128 (ReLU) -> 10 (softmax + cross-entropy),
#     plain gradient descent (lr 0.1), at batch sizes 1, 32, 128 and 8000 (full batch); every system below.
#   --workload cnn: conv 8@5x5 (ReLU) -> max-pool 2 -> conv 16@5x5 (ReLU) -> max-pool 2 -> dense 10 (softmax +
#     cross-entropy), plain gradient descent (lr 0.05), at batch sizes 32 and 128; the systems neuralnet, pytorch,
#     pytorch-2threads-passive and torchsharp. Adds the GFLOPS of the convolution products over the whole epoch.
#
#   bash benchmarks/compare.sh [--workload mlp|cnn]           full run: 3 rounds of 1 warm-up + 5 timed epochs
#   bash benchmarks/compare.sh [--workload mlp|cnn] --quick   1 round of 1 warm-up + 3 timed epochs (batch 1: 1 + 2)
#
# The systems run alternately (round-robin, the starting system rotating each round), each run a fresh process.
# The median of all timed epochs per system and batch size is reported with the peak memory of the runs and the
# kernel each ran, then the ratio NeuralNet (default settings) / best peer. A separate 10-epoch run at batch 32 per
# system gives the test accuracy. Raw output lands in artifacts/compare/<time>/ (<time>-cnn/ for the CNN). Nothing
# else heavy should run meanwhile: the load average is printed before and after.
#
# Every peer runs on the best OpenBLAS kernel the CPU supports: unless the environment sets OPENBLAS_CORETYPE (then
# it is left as it is), it is chosen for the peer processes from /proc/cpuinfo (AVX-512 -> SkylakeX, AVX2 + FMA ->
# Haswell, else unset), since Debian's OpenBLAS falls back to an SSE3 kernel on CPUs it does not recognise. The
# NeuralNet systems get the environment as it is: what NeuralNet picks on its own is part of what is measured.
#
# Environment: NEURALNET_THREADS (MatrixBackend.ThreadCount of neuralnet-managed and neuralnet-openblas, default
# nproc; the system `neuralnet` keeps NeuralNet's defaults), COMPARE_ROUNDS, COMPARE_EPOCHS (timed epochs per run),
# COMPARE_SEED (default 1), OPENBLAS_CORETYPE (see above).
set -euo pipefail

quick=0
workload=mlp
while [ "$#" -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --workload)
      if [ "$#" -lt 2 ]; then
        echo "compare.sh: expected mlp or cnn after --workload, but got nothing" >&2
        exit 2
      fi
      workload="$2"
      shift
      ;;
    --workload=*) workload="${1#--workload=}" ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1' (expected --quick or --workload mlp|cnn)" >&2; exit 2 ;;
  esac
  shift
done
case "$workload" in
  mlp|cnn) ;;
  *) echo "compare.sh: expected --workload mlp or cnn, but got '$workload'" >&2; exit 2 ;;
esac

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

python=/usr/bin/python3
data="$root/samples/data/mnist-10k"
seed="${COMPARE_SEED:-1}"
if [ "$workload" = cnn ]; then
  # The NumPy peer has no convolution of its own to run; NeuralNet runs with its defaults only.
  batches=(32 128)
  systems=(neuralnet pytorch pytorch-2threads-passive torchsharp)
else
  batches=(1 32 128 8000)
  systems=(neuralnet neuralnet-openblas neuralnet-managed pytorch pytorch-2threads-passive numpy torchsharp)
fi
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

# build PROJECT: a Release build with warnings as errors; prints the path of the built assembly.
build() {
  local project="$1" log dll
  log="$(mktemp)"
  if ! dotnet build "$project" -c Release -nologo -v quiet -warnaserror >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "compare.sh: the build of $project failed" >&2
    return 1
  fi
  rm -f "$log"
  dll="$(dotnet msbuild "$project" -getProperty:TargetPath -p:Configuration=Release)"
  if [ ! -f "$dll" ]; then
    echo "compare.sh: the build of $project produced no $dll" >&2
    return 1
  fi
  echo "$dll"
}

echo "== building NeuralNet.Compare and NeuralNet.TorchSharpPeer (Release)"
dll="$(build "$here/NeuralNet.Compare/NeuralNet.Compare.csproj")" || exit 1
torchsharp_dll="$(build "$here/NeuralNet.TorchSharpPeer/NeuralNet.TorchSharpPeer.csproj")" || exit 1

# The OpenBLAS kernel of the peers. Debian's OpenBLAS 0.3.21 picks its kernel from the CPU model; on a CPU it does
# not know (virtualised Intel CPUs often report one) it falls back to the SSE3 "Prescott" kernel, several times
# slower than the AVX2 or AVX-512 kernels the CPU can run. Comparing against that fallback would be unfair, so the
# kernel is chosen from the CPU's features instead, unless the environment already chose one.
cpu_flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
has_flags() {
  local flag
  for flag in "$@"; do
    [[ "$cpu_flags" == *" $flag "* ]] || return 1
  done
}
if [ -n "${OPENBLAS_CORETYPE+set}" ]; then
  peer_coretype="$OPENBLAS_CORETYPE"
  coretype_why="set by the environment, left as it is"
elif has_flags avx512f avx512bw avx512dq avx512vl; then
  peer_coretype=SkylakeX
  coretype_why="chosen by compare.sh: the CPU has avx512f (with the bw, dq and vl its kernels also use)"
elif has_flags avx2 fma; then
  peer_coretype=Haswell
  coretype_why="chosen by compare.sh: the CPU has avx2 and fma but not AVX-512"
else
  peer_coretype=""
  coretype_why="left unset: the CPU has neither AVX-512 nor AVX2, so OpenBLAS's own choice is the best it has"
fi
# What OpenBLAS picks on its own here, for the record (OPENBLAS_VERBOSE=2 prints "Core: X" when it loads).
openblas_own="$(env -u OPENBLAS_CORETYPE OPENBLAS_VERBOSE=2 "$python" -c 'import numpy' 2>&1 | sed -n 's/^Core: //p' | head -n 1)"
peer_env=(env OPENBLAS_VERBOSE=2)
if [ -n "$peer_coretype" ]; then
  peer_env+=("OPENBLAS_CORETYPE=$peer_coretype")
fi

raw="$root/artifacts/compare/$(date -u +%Y%m%dT%H%M%SZ)"
[ "$workload" = cnn ] && raw="$raw-cnn"
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
assets="$here/NeuralNet.TorchSharpPeer/obj/project.assets.json"
echo "torchsharp:   $(grep -m1 -oE '"TorchSharp-cpu/[0-9.]+"' "$assets" | tr -d '"'), $(grep -m1 -oE '"libtorch-cpu-linux-x64/[0-9.]+"' "$assets" | tr -d '"') (glue library's GLIBCXX_3.4.32 requirement made weak in its output folder)"
echo "env:          OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-<unset>} OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS-<unset>} OMP_NUM_THREADS=${OMP_NUM_THREADS-<unset>} NEURALNET_BACKEND=${NEURALNET_BACKEND-<unset>}"
echo "cpu features: $(for f in avx512f avx512bw avx512dq avx512vl avx512_bf16 avx2 fma; do has_flags "$f" && printf '%s ' "$f"; done)"
echo "peer kernel:  OPENBLAS_CORETYPE=${peer_coretype:-<unset>} for pytorch, numpy and torchsharp ($coretype_why);"
echo "              OpenBLAS on its own would pick ${openblas_own:-?} here; OPENBLAS_VERBOSE=2 records each peer's core"
echo "neuralnet:    the environment as it is; \`neuralnet\` with no --backend, no --threads and NEURALNET_BACKEND removed"
echo "threads:      neuralnet NeuralNet's default; neuralnet-openblas, neuralnet-managed MatrixBackend.ThreadCount=$neuralnet_threads;"
echo "              pytorch 1 thread; pytorch-2threads-passive 2 threads, OMP_WAIT_POLICY=PASSIVE; numpy OpenBLAS default;"
echo "              torchsharp torch.set_num_threads($(nproc)), OMP_WAIT_POLICY ${OMP_WAIT_POLICY:-PASSIVE} (the peer's default above 1 thread)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (before)"
[ "$workload" = cnn ] && echo "workload:     cnn: conv 8@5x5 relu, max-pool 2, conv 16@5x5 relu, max-pool 2, dense 10; plain SGD lr 0.05; float32; systems ${systems[*]}"
echo "plan:         batches ${batches[*]}; $rounds round(s); $warmup warm-up + $timed timed epochs per run (batch 1: $warmup + $timed_batch1); seed $seed"
echo "raw output:   $raw"

# run SYSTEM BATCH EPOCHS OUTFILE: one fresh process training EPOCHS epochs, its JSON lines to OUTFILE, its stderr
# to OUTFILE's .err and its peak resident memory (kB, /usr/bin/time's %M) to OUTFILE's .rss. Extra environment for
# the peers comes from the array check_env (the kernel check runs set it).
check_env=()
run() {
  local system="$1" batch="$2" epochs="$3" out="$4"
  local common=(--data "$data" --batch "$batch" --epochs "$epochs" --seed "$seed")
  [ "$workload" = cnn ] && common+=(--workload cnn)
  local command
  case "$system" in
    neuralnet) command=(env -u NEURALNET_BACKEND dotnet "$dll" "${common[@]}") ;;
    neuralnet-openblas) command=(dotnet "$dll" "${common[@]}" --backend openblas --threads "$neuralnet_threads") ;;
    neuralnet-managed) command=(dotnet "$dll" "${common[@]}" --backend managed --threads "$neuralnet_threads") ;;
    pytorch) command=("${peer_env[@]}" "${check_env[@]}" "$python" "$here/peers/reference_torch.py" "${common[@]}" --threads 1) ;;
    pytorch-2threads-passive) command=("${peer_env[@]}" "${check_env[@]}" OMP_WAIT_POLICY=PASSIVE "$python" "$here/peers/reference_torch.py" "${common[@]}" --threads 2) ;;
    numpy) command=("${peer_env[@]}" "${check_env[@]}" "$python" "$here/peers/reference_numpy.py" "${common[@]}") ;;
    torchsharp) command=("${peer_env[@]}" "${check_env[@]}" dotnet "$torchsharp_dll" "${common[@]}" --threads "$(nproc)") ;;
    *) echo "unknown system $system" >&2; return 2 ;;
  esac
  /usr/bin/time -f '%M' -o "${out%.jsonl}.rss" "${command[@]}" >"$out" 2>"${out%.jsonl}.err"
}

peak_mb() {
  tail -n 1 "${1%.jsonl}.rss" 2>/dev/null | awk '/^[0-9]+$/ {printf "peak %.0f MB", $1 / 1024}'
}

epoch_times() {
  grep -oE '"ms": ?[0-9.]+' "$1" | sed -E 's/"ms": ?//' | awk '{printf "%s%.1f", (NR > 1 ? " " : ""), $1}'
}

failures=0
echo
echo "== kernel check runs (batch 128, 1 epoch, each peer with MKL_VERBOSE=1 ONEDNN_VERBOSE=1 DNNL_VERBOSE=1; not timed)"
check_env=(MKL_VERBOSE=1 ONEDNN_VERBOSE=1 DNNL_VERBOSE=1)
for system in "${systems[@]}"; do
  case "$system" in neuralnet*) continue ;; esac
  out="$raw/check__${system}.jsonl"
  if run "$system" 128 1 "$out"; then
    printf '%-26s %s\n' "$system" "$(grep -m1 -oE '"kernel": ?"[^"]*"' "$out" | sed -E 's/"kernel": ?//')"
  else
    failures=$((failures + 1))
    printf '%-26s FAILED: %s\n' "$system" "$(tail -n 3 "${out%.jsonl}.err" | tr '\n' ' ')"
  fi
done
check_env=()

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
        printf 'batch %-5s round %s/%s  %-26s %s  (%s)\n' "$batch" "$round" "$rounds" "$system" "$(epoch_times "$out")" "$(peak_mb "$out")"
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

# The CNN's convolution GFLOPS divide the epoch's convolution flops by its time; an epoch is every training sample.
summary_options=()
if [ "$workload" = cnn ]; then
  samples="$("$python" -c 'import sys; sys.path.insert(0, sys.argv[1]); import common; print(len(common.load_mnist(sys.argv[2], train=True)[1]))' "$here/peers" "$data")"
  summary_options=(--workload cnn --samples "$samples")
fi

status=0
"$python" "$here/peers/summarize.py" --raw "$raw" --warmup "$warmup" \
  --systems "$(IFS=,; echo "${systems[*]}")" --batches "$(IFS=,; echo "${batches[*]}")" "${summary_options[@]}" || status=$?
if [ "$failures" -gt 0 ]; then
  echo "compare.sh: $failures run(s) failed; see the .err files in $raw" >&2
  status=1
fi
exit "$status"
