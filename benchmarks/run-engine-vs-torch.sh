#!/usr/bin/env bash
# The engine against PyTorch on the same work, one thread each, in one run (docs/BENCHMARKS.md).
# Needs Debian's python3-torch and libopenblas0-pthread (without the latter torch falls back to a
# reference BLAS and looks 30x slower); installs them when missing and run as root.
# Usage: benchmarks/run-engine-vs-torch.sh [repeats]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-15}
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "install python3-torch and libopenblas0-pthread first" >&2; exit 2; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null
fi
mvn -q -B install -DskipTests
mvn -q -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="$(cat benchmarks/target/classpath.txt):benchmarks/target/classes"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); AVX-512: $(grep -o 'avx512[a-z]*' /proc/cpuinfo | sort -u | paste -sd, - || echo none)"
out=$(mktemp -d)
OMP_NUM_THREADS=1 java -Xmx8g -cp "$cp" org.hypergrad4j.benchmarks.EngineBenchmark "$repeats" ENGINE 2>/dev/null | grep '^RESULT' > "$out/engine"
OMP_NUM_THREADS=1 java -Xmx8g -cp "$cp" org.hypergrad4j.benchmarks.EngineBenchmark "$repeats" SAMEDIFF 2>/dev/null | grep '^RESULT' > "$out/samediff"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/torch/engine_peer.py "$repeats" | grep '^RESULT' > "$out/torch"
echo
echo "| work | PyTorch | hypergrad4j engine | ratio engine / PyTorch | SameDiff executor | ratio SameDiff / PyTorch |"
echo "|---|---|---|---|---|---|"
join <(sort "$out/torch" | awk '{print $2, $3}') <(sort "$out/engine" | awk '{print $2, $3}') \
  | join - <(sort "$out/samediff" | awk '{print $2, $3}') \
  | awk '{ unit = ($1 ~ /gflops/) ? " GFLOP/s" : " ms";
           r1 = ($1 ~ /gflops/) ? $2 / $3 : $3 / $2; r2 = ($1 ~ /gflops/) ? $2 / $4 : $4 / $2;
           printf "| %s | %.2f%s | %.2f%s | %.2f | %.2f%s | %.2f |\n", $1, $2, unit, $3, unit, r1, $4, unit, r2 }'
rm -rf "$out"
