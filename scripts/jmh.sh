#!/bin/sh
# Builds the JMH micro-benchmarks (parallel-jmh: wire codec and serializer) and runs them; JMH prints
# its result table at the end. Arguments go to JMH: a regex picks benchmarks, -h lists the options.
# Usage: scripts/jmh.sh [JMH args...]   e.g. scripts/jmh.sh Codec, scripts/jmh.sh -l,
#        scripts/jmh.sh Serializer -p value=pojo -rf json -rff target/jmh.json
set -e
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -pl parallel-jmh -am package
exec java -jar parallel-jmh/target/parallel-jmh-0.1.0-SNAPSHOT.jar "$@"
