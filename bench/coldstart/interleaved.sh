#!/usr/bin/env bash
# Cold-start timing of several command lines, interleaved: round r runs every case once, in turn, so load
# from other jobs on a shared machine falls on all cases alike (hyperfine runs each case's block in a row,
# and a busy minute then lands on one case only). Prints, per case, the median and mean wall time and the
# mean CPU time (user+sys) over the rounds, after one warm-up round that is not counted.
# Usage: bench/coldstart/interleaved.sh ROUNDS 'name=command' 'name=command' ...
# Example (docs/benchmarks.md, "Demo 64x64 cold start"):
#   bench/coldstart/interleaved.sh 10 "jdk17=./pigment generate --model demo -q --seed 1 -o /tmp/a.png apple" \
#       "jdk25=env PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:\$PATH ./pigment generate --model demo -q --seed 1 -o /tmp/b.png apple"
set -euo pipefail
rounds="${1:?rounds}"; shift
[ "$#" -ge 1 ] || { echo "usage: $0 ROUNDS 'name=command'..." >&2; exit 2; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for ((r = 0; r <= rounds; r++)); do
  i=0
  for spec in "$@"; do
    i=$((i + 1))
    log="$out/$i"; [ "$r" -gt 0 ] || log=/dev/null   # round 0 warms the page cache, not counted
    /usr/bin/time -a -o "$log" -f "%e %U %S" bash -c "${spec#*=}" > /dev/null 2>&1 \
        || { echo "failed: ${spec#*=}" >&2; exit 1; }
  done
done
printf '%-28s %8s %8s %8s %6s\n' case "wall med" "wall avg" "CPU avg" runs
i=0
for spec in "$@"; do
  i=$((i + 1))
  sort -n "$out/$i" | awk -v name="${spec%%=*}" '
    { wall[NR] = $1; sum += $1; cpu += $2 + $3 }
    END { med = (NR % 2) ? wall[(NR + 1) / 2] : (wall[NR / 2] + wall[NR / 2 + 1]) / 2
          printf "%-28s %7.3fs %7.3fs %7.3fs %6d\n", name, med, sum / NR, cpu / NR, NR }'
done
