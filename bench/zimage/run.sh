#!/usr/bin/env bash
# Z-Image Turbo's "about 6 GB", measured three ways on one synthetic folder with the real dimensions
# (plugin-core/src/test/java/dev/pigment/core/bench/ZImageFolder.java; random weights, written on demand,
# deleted at the end unless KEEP=1): raw ONNX Runtime (ZImageMemoryBenchmark), Pigment's GenerationService
# (ZImagePigmentRun, the JVM flags of ./pigment: no -Xmx), and the ./pigment launcher itself under
# /usr/bin/time. Each run is a fresh JVM (VmHWM cannot be reset) holding the benchmark lock only while it runs.
#
# usage: bench/zimage/run.sh [DIR] [SIZES] [STEPS] [PRECISION] [BLOCKS]
#   defaults: /tmp/pigment-zimage-bench/zimage "512 1024" 2 int4 34   (needs ~6 GB of disk for int4, ~15 for fp16)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
dir="$(realpath -m "${1:-/tmp/pigment-zimage-bench/zimage}")"
sizes="${2:-512 1024}"
steps="${3:-2}"
precision="${4:-int4}"
blocks="${5:-34}"
lock=/tmp/pigment-bench.lock
export OPT_OUT_TRACKING=true ORT_DISABLE_TELEMETRY=1
mvn -q -B -o -ntp -pl plugin-core -DskipTests package test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
# A private copy of what the runs execute (classes, jar, launcher): a build in this checkout while the
# benchmark waits for its lock must not change or break the code under measurement.
snap="$(dirname "$dir")/pigment-snapshot"
rm -rf "$snap"
mkdir -p "$snap/plugin-core/target"
cp -r plugin-core/target/classes plugin-core/target/test-classes plugin-core/target/lib "$snap/plugin-core/target/"
cp plugin-core/target/pigment-core-*.jar "$snap/plugin-core/target/"
rm -f "$snap"/plugin-core/target/*-sources.jar "$snap"/plugin-core/target/*-tests.jar
cp pigment "$snap/"
cp="$snap/plugin-core/target/test-classes:$snap/plugin-core/target/classes:$(cat plugin-core/target/bench.cp)"
java=(java -Dai.djl.offline=true -Dai.djl.default_engine=OnnxRuntime -cp "$cp")
prompt="$("${java[@]}" -Xmx64m -XX:TieredStopAtLevel=1 dev.pigment.core.bench.ZImagePigmentRun --prompt)"
log="$(mktemp)"
# A refused or failed run (e.g. fp16, which the memory guard refuses on a 24 GB machine) is logged, not fatal;
# the folder is deleted however the script ends.
cleanup() {
  rm -f "$log"
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$dir" "$snap" "$(dirname "$dir")"/out-*.png; fi
}
trap cleanup EXIT
for size in $sizes; do
  flock "$lock" "${java[@]}" -Xmx1g dev.pigment.core.bench.ZImageMemoryBenchmark "$dir" "$blocks" "$size" one \
      "$precision" 2>&1 | tee -a "$log" || echo "RESULT runner=raw-ort size=$size failed" | tee -a "$log"
  flock "$lock" "${java[@]}" dev.pigment.core.bench.ZImagePigmentRun "$dir" "$blocks" "$size" "$steps" one \
      "$precision" 2>&1 | grep -v '^\s*at ' | tee -a "$log" \
      || echo "RESULT runner=pigment size=$size failed (see above)" | tee -a "$log"
  # The launcher as a user runs it (core jar; CDS off so that no archive is recorded into the checkout).
  out="$(dirname "$dir")/out-$size.png"
  flock "$lock" /usr/bin/time -f "RESULT runner=cli size=$size peak_kb=%M wall_s=%e cpu_s=%U+%S" \
      env PIGMENT_CDS=0 "$snap/pigment" generate --model "$dir" --memory-policy one-at-a-time --threads 2 \
      -W "$size" -H "$size" --steps "$steps" --seed 1 -o "$out" "$prompt" 2>&1 | tee -a "$log" \
      || echo "RESULT runner=cli size=$size failed (see above)" | tee -a "$log"
done
echo "---- summary"
grep '^RESULT' "$log" || true
