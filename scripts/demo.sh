#!/bin/sh
# Builds jparallel and runs the Monte Carlo demo on local workers (one per core by default), with a
# progress bar (plain progress lines when the output is not a terminal).
# Usage: scripts/demo.sh [--workers N] [--tasks N] [--config FILE] [--progress auto|bar|plain|off]
# It is `scripts/jparallel demo` after a build. The build is skipped when no source or pom.xml changed since the
# last one this script made (Maven takes ~10 s even then); JPARALLEL_DEMO_BUILD=always builds anyway.
set -e
cd "$(dirname "$0")/.."
STAMP=parallel-cli/target/.demo-built
# the jar scripts/jparallel runs, as it finds it
JAR=$(ls parallel-cli/target/parallel-cli-*.jar 2>/dev/null | grep -v -e '-sources' -e '-javadoc' | head -n 1) || true
if [ "$JPARALLEL_DEMO_BUILD" = always ] || [ ! -f "$STAMP" ] || [ -z "$JAR" ] || [ ! -d parallel-cli/target/lib ] \
        || [ -n "$(find . -path ./examples -prune -o -path '*/target' -prune -o -path ./.git -prune -o \
                \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$STAMP" -print | head -n 1)" ]; then
    # stamped before the build: a source saved while it runs is newer than the stamp, so it is built next time
    mkdir -p parallel-cli/target
    touch "$STAMP.new"
    mvn -B -q -DskipTests -pl parallel-cli -am package
    mv "$STAMP.new" "$STAMP"
fi
exec scripts/jparallel demo "$@"
