#!/bin/sh
# Builds jparallel and runs the Monte Carlo demo on local workers (one per core by default).
# Usage: scripts/demo.sh [--workers N] [--tasks N] [--config FILE]
set -e
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -pl parallel-demo -am package
exec java -cp "parallel-demo/target/parallel-demo-0.1.0-SNAPSHOT.jar:parallel-demo/target/lib/*" \
    org.jparallel.demo.MonteCarloDemo "$@"
