#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer), a minute each: the path rules, the one gate every client path passes, cursor
# decoding, which every feed request starts with, and the multipart parser every upload and update goes through. A failing input is kept under src/test/resources/.../*FuzzTestInputs
# of its module, where the test command replays it with the inputs kept before. See docs/reliability.md.
# Usage: reliability/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for target in common/core:SyncPathFuzzTest sync-service:CursorCodecFuzzTest upload-service:MultipartStreamFuzzTest; do
  module="${target%%:*}"
  echo "==> ${target#*:}"
  JAZZER_FUZZ=1 ./mvnw -B test -pl "$module" -am -Dtest="${target#*:}" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dspotless.check.skip=true | grep -E '^#[0-9]+ +DONE|^Done|Tests run:|FAIL|== Java Exception' || true
  rm -rf "$module/.cifuzz-corpus"
done
