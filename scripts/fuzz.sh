#!/usr/bin/env bash
# Long run of the protocol fuzz tests (docs/security.md): the manager's decoder and handshake get
# FRAMES random and mutated frames, the worker's half as many. CI runs the same tests with 100,000.
#   scripts/fuzz.sh [FRAMES] [SEED]      defaults: 1000000 frames, the fixed CI seed
# Builds from the reactor (no mvn install). Add -o to MAVEN_ARGS to stay offline.
set -euo pipefail
cd "$(dirname "$0")/.."
FRAMES="${1:-1000000}"
args=(-B ${MAVEN_ARGS:-} -pl parallel-core -am test
  -Dtest='ManagerProtocolFuzzTest,WorkerProtocolFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false
  -Djparallel.fuzz.frames="$FRAMES")
if [ -n "${2:-}" ]; then
  args+=("-Djparallel.fuzz.seed=$2")
fi
log=parallel-core/target/fuzz.log
mkdir -p parallel-core/target
start=$(date +%s)
set +e
mvn "${args[@]}" > "$log" 2>&1
rc=$?
set -e
grep -E 'fuzz:|Tests run:|FAIL|BUILD' "$log" || true
echo "fuzzed $FRAMES frames (manager) in $(( $(date +%s) - start )) s; log: $log"
exit $rc
