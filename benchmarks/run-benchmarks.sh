#!/usr/bin/env bash
# Runs the benchmark harness for each ND4J CPU classifier and thread count, in separate JVMs
# (the native library and OpenMP's thread count are fixed when a JVM loads ND4J).
# Usage: benchmarks/run-benchmarks.sh [repeats] [classifiers...]
# Results are printed as Markdown tables; docs/BENCHMARKS.md records them.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-15}
shift || true
classifiers=("$@")
[ ${#classifiers[@]} -gt 0 ] || classifiers=(linux-x86_64 linux-x86_64-avx2 linux-x86_64-onednn linux-x86_64-onednn-avx2)
mvn -q -B install -DskipTests
mvn -q -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
base_cp=$(cat benchmarks/target/classpath.txt)
# The classifier jars sit beside nd4j-native's main jar in the local repository.
native_dir=$(dirname "$(echo "$base_cp" | tr ':' '\n' | grep "/nd4j-native-1.0.0-M2.1.jar$")")
for classifier in "${classifiers[@]}"; do
  jar="$native_dir/nd4j-native-1.0.0-M2.1-$classifier.jar"
  [ -f "$jar" ] || mvn -q -B dependency:get -Dartifact="org.nd4j:nd4j-native:1.0.0-M2.1:jar:$classifier" >/dev/null
  cp=$(echo "$base_cp" | tr ':' '\n' | grep -v "nd4j-native-1.0.0-M2.1-linux-x86_64" | paste -sd: -)
  extension=${classifier#linux-x86_64}
  for threads in 1 2; do
    echo
    echo "### classifier $classifier, OMP_NUM_THREADS=$threads"
    OMP_NUM_THREADS=$threads java -Xmx6g -Dorg.bytedeco.javacpp.platform.extension="$extension" \
      -cp "$cp:$jar:benchmarks/target/classes" org.hypergrad4j.benchmarks.SecondOrderBenchmark "$repeats" 2>&1 \
      | grep -v "^Added differentiated op" || echo "(failed to run: exit $?)"
  done
done
echo
echo "### self-tuning network against plain training (default classifier, OMP_NUM_THREADS=1)"
OMP_NUM_THREADS=1 java -Xmx6g -cp "$base_cp:benchmarks/target/classes" org.hypergrad4j.benchmarks.StnBenchmark "$repeats" 2>&1 \
  | grep -v "^Added differentiated op\|WARN" || echo "(failed to run: exit $?)"
