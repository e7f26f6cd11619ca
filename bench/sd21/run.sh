#!/usr/bin/env bash
# The full-size benchmark, end to end (see docs/benchmarks.md, "Full-size SD-Turbo"):
#   1. the FMA peak of this machine (bench/peak/fma_peak.c, 2 threads),
#   2. an SD 2.1-architecture model with random weights, built once from diffusers' classes
#      (DIFFUSERS_SRC = the src/ folder of a diffusers source checkout; Debian python3-torch, python3-onnx),
#   3. SdTurboBenchmark: Pigment vs raw ONNX Runtime on the same graphs, one fresh JVM per case.
# Usage: DIFFUSERS_SRC=/path/to/diffusers/src [SD21_ATTENTION=fused] bench/sd21/run.sh [MODEL_DIR] [--only case,case]
#   SD21_ATTENTION=fused exports attention as ONNX Runtime's MultiHeadAttention (bench/sd21/fused_attention.py);
#   the build also writes PyTorch reference outputs to MODEL_DIR.check for the check-unet / check-vae cases.
# Needs ~6 GB of disk for the model, ~8 GB of RAM while exporting the UNet, ~5 GB while timing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model="${1:-$root/plugin-core/target/bench-models/sd21-random}"
shift || true
mkdir -p "$(dirname "$model")"
gcc -O2 -march=native -pthread "$root/bench/peak/fma_peak.c" -o "$root/plugin-core/target/fma_peak"
# The per-CPU-second rate: on a shared machine wall-clock rates drop with whatever else runs.
# (not `tee /dev/stderr`: that reopens a redirected stderr file and truncates it, losing earlier output)
fma=$("$root/plugin-core/target/fma_peak" 2)
echo "$fma" >&2
peak=$(sed -n 's/.*cpu_gflops=\([0-9.]*\).*/\1/p' <<<"$fma")
echo "FMA peak, 2 threads: $peak GFLOP/s (per CPU-second)"
if [ ! -f "$model/flops.json" ]; then
  : "${DIFFUSERS_SRC:?set DIFFUSERS_SRC to the src folder of a diffusers checkout to build the model}"
  build=(/usr/bin/python3 "$root/bench/sd21/build_sd21.py" --diffusers "$DIFFUSERS_SRC" --out "$model"
         --attention "${SD21_ATTENTION:-plain}" --check-dir "$model.check")
  "${build[@]}" --what folder,vae
  "${build[@]}" --what unet,flops
fi
cd "$root"
mvn -q -B -o -pl plugin-core test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.cp
export OPT_OUT_TRACKING=true
java -Dbench.check="$model.check" -cp "plugin-core/target/test-classes:plugin-core/target/classes:$(cat plugin-core/target/bench.cp)" \
  dev.pigment.core.bench.SdTurboBenchmark --model "$model" --fma-gflops "$peak" "$@"
