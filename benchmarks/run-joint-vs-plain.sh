#!/usr/bin/env bash
# Joint training over plain training with the same inner steps: wall time and peak resident memory,
# each mode in its own JVM under /usr/bin/time -v (docs/BENCHMARKS.md).
# Usage: benchmarks/run-joint-vs-plain.sh [hidden] [innerSteps]
set -euo pipefail
cd "$(dirname "$0")/.."
hidden=${1:-256}
steps=${2:-300}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
mvn -q -B install -DskipTests
mvn -q -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="$(cat benchmarks/target/classpath.txt):benchmarks/target/classes"
for mode in setup plain joint; do
  OMP_NUM_THREADS=1 /usr/bin/time -v java -Xmx8g -cp "$cp" org.hypergrad4j.benchmarks.JointTrainingBenchmark "$mode" "$hidden" "$steps" \
    > "target-$mode.out" 2> "target-$mode.err" || { cat "target-$mode.err" >&2; exit 1; }
  grep -h "RESULT\|MLP\|joint training" "target-$mode.out"
  echo "RESULT ${mode}_max_rss_mb $(awk '/Maximum resident set size/ {print $6 / 1024}' "target-$mode.err")"
  rm -f "target-$mode.out" "target-$mode.err"
done
