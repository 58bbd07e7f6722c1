#!/usr/bin/env bash
# The randomized sync simulations. Each prints its failures with their seeds; the last line is "N passed, M failed".
#
#   reliability/simulate.sh --scenarios N --seed S
#       in-process: devices running the desktop client's engine against a model server, on one thread, every
#       choice drawn from the seed (crashes, lost answers, reordered batches, edits mid-pass); a failure is
#       minimized. S may be "random". Scenarios S .. S+N-1.
#   reliability/simulate.sh --scenarios 1 --seed S --trace true
#       one in-process scenario, minimized, step by step.
#   reliability/simulate.sh --stack --scenarios N --seed S [--steps 3,7,12]
#       end to end: the real desktop client on real folders against the real services (started by
#       deploy/local/services.sh), processes killed with SIGKILL mid-sync; the first failure is minimized, and
#       --steps replays only the steps listed of each scenario.
set -euo pipefail
cd "$(dirname "$0")/.."

stack=false
steps=""
scenarios=1000
seed=1
rest=()
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) stack=true; shift ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done
if [ "$seed" = random ]; then
  seed=$(( (RANDOM << 30 | RANDOM << 15 | RANDOM) ))
fi

if [ "$stack" = true ]; then
  ./deploy/local/services.sh start >&2
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  status=0
  ./mvnw -B verify -pl system-tests -am -Dspotless.check.skip=true -Dtest=none -Dit.test=ConvergenceIT \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dsim.e2e.scenarios="$scenarios" -Dsim.e2e.seed="$seed" -Dsim.e2e.steps="$steps" >"$log" 2>&1 || status=$?
  sed -n '/^seed [0-9]*:/,/^\[/p' "$log" | grep -v '^\[' || true
  summary=$(grep -o 'end-to-end scenarios .*' "$log" | tail -1 || true)
  if [ -z "$summary" ]; then
    tail -40 "$log"
    echo "0 passed, $scenarios failed"
    exit 1
  fi
  grep -o 'end-to-end steps: .*' "$log" | tail -1 || true
  echo "${summary%%:*}"
  echo "${summary#*: }"
  exit "$status"
fi

./mvnw -q -B -pl sync-client -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/simulate.classpath -Dmdep.includeScope=test -Dspotless.check.skip=true >&2
exec java -cp "sync-client/target/test-classes:sync-client/target/classes:$(cat sync-client/target/simulate.classpath)" \
  dev.syncbox.client.sim.Simulation --scenarios "$scenarios" --seed "$seed" "${rest[@]}"
