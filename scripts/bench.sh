#!/bin/sh
# Builds jparallel and runs the benchmark: every figure beside the limit measured in the same run,
# as a markdown table on stdout and JSON in target/bench.json.
# Usage: scripts/bench.sh [--quick] [--tasks N] [--prefetch N] [--out FILE]
#        [--only trivial,payload,big,cold,many,failover,simulated,journal]
set -e
cd "$(dirname "$0")/.."
rm -rf parallel-bench/target/lib # copy-dependencies leaves the jars of an earlier build
mvn -B -q -DskipTests -pl parallel-bench -am package
exec java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "parallel-bench/target/parallel-bench-0.1.0-SNAPSHOT.jar:parallel-bench/target/lib/*" \
    org.jparallel.bench.Benchmark "$@"
