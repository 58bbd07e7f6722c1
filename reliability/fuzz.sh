#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of the path rules, the one gate every client path passes, for a minute. A failing
# input is kept under common/core/src/test/resources/.../SyncPathFuzzTestInputs, where the test command replays it
# with the inputs kept before. See docs/reliability.md.
# Usage: reliability/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAZZER_FUZZ=1 ./mvnw -B test -pl common/core -Dtest=SyncPathFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true | grep -E '^#[0-9]+ +DONE|^Done|Tests run:|FAIL|== Java Exception' || true
rm -rf common/core/.cifuzz-corpus
