#!/usr/bin/env bash
# Runs the model-based randomized tests of issue 18 (DispatcherModelTest: the dispatcher alone, ApiModelTest: the
# public API with real worker JVMs) again and again with fresh seeds for a given time, then prints how many
# sequences and actions ran and every failure with its seed (its full report is kept under target/campaign/).
#
#   scripts/campaign.sh 30m            # 30 minutes (also: 90s, 2h)
#   DISPATCHER_SEQUENCES=5000 API_SEQUENCES=10 scripts/campaign.sh 30m   # sequences per round and level
#
# Every round draws fresh base seeds. A failure's report (in its round's log) gives the seed, the shrunk sequence
# and the command that replays exactly that sequence:
#   mvn -B -o -pl parallel-core -am verify -Dtest=DispatcherModelTest -Dsurefire.failIfNoSpecifiedTests=false \
#     -Dmodel.seed=SEED -Dmodel.sequences=1        (ApiModelTest: -pl parallel-tests)
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${1:?usage: scripts/campaign.sh DURATION (e.g. 30m, 90s, 2h)}
case "$duration" in
  *h) seconds=$(( ${duration%h} * 3600 )) ;;
  *m) seconds=$(( ${duration%m} * 60 )) ;;
  *s) seconds=${duration%s} ;;
  *) seconds=$duration ;;
esac
dispatcher_sequences=${DISPATCHER_SEQUENCES:-3000}
api_sequences=${API_SEQUENCES:-8}
out=target/campaign/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"

echo "building once..."
mvn -B -q -o -pl parallel-core,parallel-tests -am test-compile >"$out/build.log" 2>&1 \
  || { echo "build failed: see $out/build.log"; exit 2; }

deadline=$(( $(date +%s) + seconds ))
round=0
declare -A seqs=([dispatcher]=0 [api]=0) acts=([dispatcher]=0 [api]=0) fails=([dispatcher]=0 [api]=0)
failures=()
while [ "$(date +%s)" -lt "$deadline" ]; do
  round=$((round + 1))
  log="$out/round$round.log"
  # no seed given: each test draws a fresh random base seed every round
  mvn -B -o -pl parallel-core,parallel-tests -am verify \
    -Dtest='DispatcherModelTest#everyTaskEndsOnceForItsReasonAndNothingIsDropped,ApiModelTest' \
    -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.test.failure.ignore=true \
    -Dmodel.dispatcher.sequences="$dispatcher_sequences" -Dmodel.api.sequences="$api_sequences" \
    >"$log" 2>&1 || true
  lines=$(grep -ho 'MODEL-CAMPAIGN .*' "$log" || true)
  if [ -z "$lines" ]; then
    echo "round $round: no summary line (build or JVM trouble?): see $log"
    failures+=("round $round: no summary, see $log")
    continue
  fi
  while read -r line; do
    level=$(sed -E 's/.*level=([a-z]+).*/\1/' <<<"$line")
    s=$(sed -E 's/.*sequences=([0-9]+).*/\1/' <<<"$line")
    a=$(sed -E 's/.*actions=([0-9]+).*/\1/' <<<"$line")
    status=$(sed -E 's/.*status=([A-Z_]+).*/\1/' <<<"$line")
    seed=$(sed -E 's/.*seed=([-0-9?]+).*/\1/' <<<"$line")
    seqs[$level]=$(( ${seqs[$level]} + s ))
    acts[$level]=$(( ${acts[$level]} + a ))
    if [ "$status" != SUCCESSFUL ]; then
      fails[$level]=$(( ${fails[$level]} + 1 ))
      test=$([ "$level" = dispatcher ] && echo "-pl parallel-core -am verify -Dtest=DispatcherModelTest" \
        || echo "-pl parallel-tests -am verify -Dtest=ApiModelTest")
      failures+=("$level seed=$seed (round $round, report in $log); replay: mvn -B -o $test \
-Dsurefire.failIfNoSpecifiedTests=false -Dmodel.seed=$seed -Dmodel.sequences=1")
    fi
    echo "round $round: $line"
  done <<<"$lines"
done

echo
echo "campaign of $duration: $round round(s)"
for level in dispatcher api; do
  echo "  $level: ${seqs[$level]} sequences, ${acts[$level]} actions, ${fails[$level]} failure(s)"
done
for f in "${failures[@]+"${failures[@]}"}"; do
  echo "  FAILED: $f"
done
[ ${#failures[@]} -eq 0 ]
