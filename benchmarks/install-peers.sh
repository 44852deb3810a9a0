#!/usr/bin/env bash
# Installs the peers of the side-by-side comparison from Debian's packages: PyTorch and NumPy for Debian's own
# /usr/bin/python3 (not whichever python3 comes first on PATH), OpenBLAS for NeuralNet's native backend, and GNU time
# (/usr/bin/time, which measures each run's peak memory). Installs only what is missing; needs root (or sudo) and
# apt-get. The TorchSharp peer comes from NuGet: compare.sh builds benchmarks/NeuralNet.TorchSharpPeer, which restores
# TorchSharp-cpu and libtorch-cpu-linux-x64 (about 600 MB in the NuGet cache).
set -euo pipefail

packages=(python3-torch python3-numpy libopenblas0-pthread time)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg -s "$package" >/dev/null 2>&1; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-peers: ${packages[*]} already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-peers: missing ${missing[*]} and no apt-get to install them" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-peers: missing ${missing[*]}; run as root to install them" >&2
    exit 1
  fi
fi

echo "install-peers: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq >/dev/null
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
/usr/bin/python3 -c 'import numpy, torch; print(f"install-peers: numpy {numpy.__version__}, torch {torch.__version__}")'
