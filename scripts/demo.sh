#!/bin/sh
# Builds jparallel and runs the Monte Carlo demo on local workers (one per core by default), with a
# progress bar (plain progress lines when the output is not a terminal).
# Usage: scripts/demo.sh [--workers N] [--tasks N] [--config FILE] [--progress auto|bar|plain|off]
# It is `scripts/jparallel demo` after a build.
set -e
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -pl parallel-cli -am package
exec scripts/jparallel demo "$@"
