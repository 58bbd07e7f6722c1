#!/usr/bin/env bash
# The web app's end-to-end tests (Playwright, web/e2e/) in headless Chromium against the running system through the
# gateway: sign in, upload a folder, progress, a large upload interrupted and resumed, rename, move, trash and
# restore, versions, sharing seen from a second user's browser, a live update, search. Chromium is Debian's package
# (installed here when missing); Playwright drives it and never downloads a browser of its own. Where Chromium
# cannot be had (no apt, no root, a distribution whose chromium is only a snap), the tests are skipped with a banner
# saying so. Run by deploy/local/test.sh.
# Usage: deploy/local/web-e2e.sh [Playwright arguments]
#   SYNCBOX_SCREENSHOTS=DIR also saves the main screens as PNGs into DIR (docs/screenshots/ holds the committed ones)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=deploy/local/lib.sh
source "$HERE/lib.sh"

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
skip() {
  printf '\n' >&2
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' >&2
  printf '!!! SKIPPED: the web app end-to-end tests did not run: %s\n' "$1" >&2
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' >&2
  exit 0
}

if [[ ! -x "$CHROMIUM" ]]; then
  step "installing Debian's chromium for the web app's end-to-end tests"
  (apt_install chromium fonts-liberation) || skip "Chromium cannot be installed here (apt-get install chromium failed)"
  [[ -x "$CHROMIUM" ]] || skip "no Chromium at $CHROMIUM after installing the chromium package"
fi
"$CHROMIUM" --version >/dev/null 2>&1 || skip "$CHROMIUM does not run"

curl -sf -m 5 "http://127.0.0.1:$GATEWAY_PORT/healthz" >/dev/null ||
  die "the system is not running on 127.0.0.1:$GATEWAY_PORT (start it: deploy/local/up.sh)"
curl -sf -m 5 -H 'Accept: text/html' "http://127.0.0.1:$GATEWAY_PORT/" | grep -q '<div id="root"' ||
  die "the gateway does not serve the web app at / (was web/dist built before the gateway started?)"

step "web app end-to-end tests (Playwright, $("$CHROMIUM" --version 2>/dev/null)) against http://127.0.0.1:$GATEWAY_PORT"
# The resumed-upload test breaks a connection by stopping and starting this system's gateway.
CHROMIUM="$CHROMIUM" SYNCBOX_GATEWAY_SCRIPT="$HERE/gateway.sh" SYNCBOX_URL="http://127.0.0.1:$GATEWAY_PORT" "$SYNCBOX_ROOT/web/build.sh" e2e "$@"
