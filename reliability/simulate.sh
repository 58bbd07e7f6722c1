#!/usr/bin/env bash
# The randomized sync simulation: devices running the desktop client's engine against a model server, every choice
# drawn from a seed. Prints each failure with its seed and minimized steps; the last line is "N passed, M failed".
#
#   reliability/simulate.sh --scenarios N --seed S      scenarios S .. S+N-1 (S may be "random")
#   reliability/simulate.sh --scenarios 1 --seed S --trace true     one scenario, minimized, step by step
set -euo pipefail
cd "$(dirname "$0")/.."

args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(--scenarios 1000 --seed 1)
fi

./mvnw -q -B -pl sync-client -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/simulate.classpath -Dmdep.includeScope=test -Dspotless.check.skip=true >&2
exec java -cp "sync-client/target/test-classes:sync-client/target/classes:$(cat sync-client/target/simulate.classpath)" \
  dev.syncbox.client.sim.Simulation "${args[@]}"
