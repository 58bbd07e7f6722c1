#!/usr/bin/env bash
# A newcomer's first minutes, automated and timed: clones the committed HEAD of this checkout into a
# fresh `mktemp -d` folder (mode 0700), runs the README's first command there (first line of its
# first fenced block), then through the gateway: /healthz and an API call, register + login, a
# 4 MiB block with PUT /blocks/{id}, a 50 MiB file with POST /files/upload, downloaded back and
# compared, the web app at / and its sign-in and file tests in headless Chromium (web-e2e.sh). Stops everything it started (down.sh --all in the clone) and removes the folder.
# Prints the timings (clone, build, services up, apps healthy, total) and PASS or FAIL. Run by
# hand (minutes per run), not in CI.
# Usage: deploy/local/newcomer-check.sh [--runs N] [--load N]
#   --runs N  repeat N times (default 1)
#   --load N  keep N CPU-bound processes running beside it (default 0)
# Port variables (SYNCBOX_PORT, SYNCBOX_PG_PORT, SYNCBOX_REDIS_PORT, SYNCBOX_S3_PORT, SYNCBOX_ES_PORT,
# SYNCBOX_ES_TRANSPORT_PORT, SYNCBOX_APP_PORT_BASE, ...) pass through to the clone, so it can run
# beside another stack; SYNCBOX_DATA_DIR does not (the clone keeps its data inside itself).
# On a failure the clone's logs are kept in ${TMPDIR:-/tmp}/syncbox-newcomer-<time>/.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=deploy/local/lib.sh
source "$HERE/lib.sh"

RUNS=1
LOAD=0
while (($# > 0)); do
  case "$1" in
    --runs)
      RUNS="${2:?--runs needs a number}"
      shift 2
      ;;
    --load)
      LOAD="${2:?--load needs a number}"
      shift 2
      ;;
    *)
      echo "usage: $0 [--runs N] [--load N]" >&2
      exit 2
      ;;
  esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ && "$LOAD" =~ ^[0-9]+$ ]] || die "--runs needs a positive number, --load a number"

require_curl
require_cmd git git
require_cmd python3 python3-minimal
GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
COMMIT="$(git -C "$SYNCBOX_ROOT" rev-parse HEAD)"
FIRST_COMMAND="$(awk '/^```/ { if (open) exit; open = 1; next } open { print; exit }' "$SYNCBOX_ROOT/README.md")"
[[ -n "$FIRST_COMMAND" ]] || die "README.md has no fenced code block"

# The clone starts everything itself: every port it needs must be free, or it would fail half-way
# (or meet another stack). Set the port variables to run it beside one.
ports_free() {
  local port app busy=()
  for port in "$GATEWAY_PORT" "$PG_PORT" "$REDIS_PORT" "$S3_PORT" "$ES_PORT" "$ES_TRANSPORT_PORT"; do
    port_open "$port" && busy+=("$port")
  done
  for app in "${APPS[@]}"; do
    port_open "${app##*:}" && busy+=("${app##*:}")
  done
  ((${#busy[@]} == 0)) || die "ports in use: ${busy[*]}; run it on other ports (SYNCBOX_PORT, SYNCBOX_APP_PORT_BASE, SYNCBOX_PG_PORT, SYNCBOX_REDIS_PORT, SYNCBOX_S3_PORT, SYNCBOX_ES_PORT, SYNCBOX_ES_TRANSPORT_PORT)"
}

LOAD_PIDS=()
WORK=""
CLONE=""

# now : seconds since the epoch, with tenths.
now() { date +%s.%N | cut -c1-12; }
# since T : seconds elapsed since T, one decimal.
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

start_load() {
  local i
  for ((i = 0; i < LOAD; i++)); do
    sha256sum /dev/zero &
    LOAD_PIDS+=("$!")
  done
  ((LOAD == 0)) || step "$LOAD CPU-bound processes running beside the check (sha256sum /dev/zero)"
}

stop_load() {
  local pid
  for pid in "${LOAD_PIDS[@]+"${LOAD_PIDS[@]}"}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  LOAD_PIDS=()
}

# Stops what the clone started and removes it, with the folders it may have placed under /var/tmp
# and /tmp (see dir_for in lib.sh and pg_paths in services.sh).
teardown() {
  [[ -n "$CLONE" && -d "$CLONE" ]] || return 0
  local data="$CLONE/.data" hash
  if [[ -x "$CLONE/deploy/local/down.sh" ]]; then
    (cd "$CLONE" && env -u SYNCBOX_DATA_DIR ./deploy/local/down.sh --all) >"$WORK/down.log" 2>&1 ||
      warn "down.sh --all failed in the clone: $(tail -n 5 "$WORK/down.log")"
  fi
  hash="$(short_hash "$data")"
  rm -rf "/var/tmp/syncbox-$hash" "/tmp/syncbox-pg-$hash"
  rm -rf "$WORK"
  CLONE=""
  WORK=""
}

on_exit() {
  local rc=$?
  teardown
  stop_load
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# keep_logs : copies the clone's logs and up.sh's output out of the folder about to be removed.
keep_logs() {
  local keep
  keep="${TMPDIR:-/tmp}/syncbox-newcomer-$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$keep"
  cp -rL "$CLONE/.data/logs" "$keep/" 2>/dev/null || true
  cp "$WORK"/*.log "$keep/" 2>/dev/null || true
  printf '%s\n' "$keep"
}

# marker_time LOG PATTERN : the elapsed-seconds stamp of the first line of LOG matching PATTERN.
marker_time() { grep -m 1 -- "$2" "$1" | sed -n 's/^\[ *\([0-9.]*\)s\].*/\1/p'; }

# api METHOD PATH [CURL ARGS...] : a request through the gateway; prints the status, body in $WORK/body.
api() {
  local method="$1" path="$2"
  shift 2
  curl -s -m 600 -X "$method" -o "$WORK/body" -w '%{http_code}' "$@" "$GATEWAY$path" || printf '000'
}
json() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/body" "$1"; }

# fail MESSAGE : prints why the run failed (and the answer that showed it), returns 1.
fail() {
  printf 'FAIL: %s\n' "$1" >&2
  [[ -s "$WORK/body" ]] && head -c 600 "$WORK/body" >&2 && echo >&2
  return 1
}

# One run: PASS/FAIL is its exit status; the timings are printed as they are measured.
run_once() {
  local t0 t status email token block block_sha file_id up_log
  t0="$(now)"
  ports_free
  WORK="$(mktemp -d)"
  CLONE="$WORK/syncbox"
  up_log="$WORK/up.log"

  t="$(now)"
  git clone -q --no-checkout "$SYNCBOX_ROOT" "$CLONE" && git -C "$CLONE" checkout -q "$COMMIT" ||
    fail "git clone" || return 1
  CLONE_TIME="$(since "$t")"
  info "clone ${COMMIT:0:12} into $CLONE (mode $(stat -c %a "$WORK")): $CLONE_TIME s"

  info "running the README's first command there: $FIRST_COMMAND"
  t="$(now)"
  # every line stamped with the seconds since the command began, so its phases can be timed
  if ! (cd "$CLONE" && env -u SYNCBOX_DATA_DIR -u SYNCBOX_SKIP_BUILD bash -c "$FIRST_COMMAND") 2>&1 |
    awk -v t="$t" '{ "date +%s.%N" | getline n; close("date +%s.%N"); printf "[%6.1fs] %s\n", n - t, $0; fflush() }' |
    tee "$up_log" | sed -u 's/^/      /'; then
    fail "'$FIRST_COMMAND' failed (logs: $(keep_logs))"
    return 1
  fi
  local t_build t_apps t_healthy t_up
  t_build="$(marker_time "$up_log" '==> building the services')"
  t_apps="$(marker_time "$up_log" '==> apps:')"
  t_healthy="$(marker_time "$up_log" '==> services healthy in')"
  t_up="$(marker_time "$up_log" 'syncbox is up')"
  TIMINGS="$(awk -v b="${t_build:-0}" -v a="${t_apps:-0}" -v h="${t_healthy:-0}" -v u="${t_up:-0}" 'BEGIN {
    printf "backing services up %.0f s, build %.0f s, apps healthy %.0f s after the build, up.sh total %.0f s",
      b, a - b, h - a, u }')"
  TIMINGS="clone $CLONE_TIME s, $TIMINGS"
  info "$TIMINGS"

  status="$(api GET /healthz)"
  [[ "$status" == 200 ]] || fail "GET /healthz answered $status" || return 1
  status="$(api GET /files/list)"
  [[ "$status" == 401 ]] || fail "GET /files/list without a token answered $status, not 401" || return 1

  email="newcomer-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')@example.com"
  status="$(api POST /auth/register -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"correct horse battery\",\"name\":\"Newcomer\"}")"
  [[ "$status" == 201 ]] || fail "POST /auth/register answered $status" || return 1
  status="$(api POST /auth/login -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"correct horse battery\",\"device_name\":\"newcomer-check\"}")"
  [[ "$status" == 200 ]] || fail "POST /auth/login answered $status" || return 1
  token="$(json access_token)"

  block="$WORK/block.bin"
  head -c 4194304 /dev/urandom >"$block"
  block_sha="$(sha256sum "$block" | cut -c1-64)"
  t="$(now)"
  status="$(api PUT "/blocks/$block_sha" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/octet-stream' --data-binary "@$block")"
  [[ "$status" =~ ^20[01]$ ]] || fail "PUT /blocks/{id} (4 MiB) answered $status" || return 1
  info "PUT /blocks/{id}, 4 MiB: $status in $(since "$t") s"

  head -c 52428800 /dev/urandom >"$WORK/big.bin"
  t="$(now)"
  status="$(api POST /files/upload -H "Authorization: Bearer $token" -F file_path=/newcomer/big.bin \
    -F file_size=52428800 -F "content=@$WORK/big.bin")"
  [[ "$status" =~ ^20[01]$ ]] || fail "POST /files/upload (50 MiB) answered $status" || return 1
  file_id="$(json file_id)"
  info "POST /files/upload, 50 MiB: $status in $(since "$t") s"
  t="$(now)"
  status="$(curl -s -m 600 -o "$WORK/big.out" -w '%{http_code}' -H "Authorization: Bearer $token" \
    "$GATEWAY/files/download/$file_id" || printf '000')"
  [[ "$status" == 200 ]] || fail "GET /files/download/{id} answered $status" || return 1
  cmp -s "$WORK/big.bin" "$WORK/big.out" || fail "the downloaded file differs from the uploaded one" || return 1
  info "GET /files/download/{id}, 50 MiB, byte-identical: $(since "$t") s"

  # The web app, as a browser asks for it, then driven in headless Chromium (the clone's own end-to-end tests).
  status="$(api GET / -H 'Accept: text/html')"
  [[ "$status" == 200 ]] && grep -q '<div id="root"' "$WORK/body" ||
    fail "a browser's GET / answered $status without the web app's page" || return 1
  asset="$(grep -o '/assets/[^"]*\.js' "$WORK/body" | head -n 1)"
  status="$(api GET "$asset")"
  [[ -n "$asset" && "$status" == 200 ]] || fail "the web app's script $asset answered $status" || return 1
  t="$(now)"
  (cd "$CLONE" && ./deploy/local/web-e2e.sh auth.spec.ts files.spec.ts) >"$WORK/web-e2e.log" 2>&1 ||
    fail "the web app's end-to-end tests failed: $(tail -n 30 "$WORK/web-e2e.log")" || return 1
  info "web app: index.html and $asset served; $(grep -Eo '[0-9]+ passed' "$WORK/web-e2e.log" | tail -n 1) in headless Chromium in $(since "$t") s"

  t="$(now)"
  teardown
  info "down.sh --all and cleanup: $(since "$t") s"
  TOTAL="$(since "$t0")"
}

passed=0
failed=0
start_load
for ((run = 1; run <= RUNS; run++)); do
  step "newcomer check, run $run of $RUNS (load $LOAD, gateway port $GATEWAY_PORT, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  TIMINGS=""
  TOTAL=""
  CLONE_TIME=""
  if run_once; then
    passed=$((passed + 1))
    printf 'PASS run %d: %s; total %s s\n' "$run" "$TIMINGS" "$TOTAL"
  else
    failed=$((failed + 1))
    teardown
    printf 'FAIL run %d%s\n' "$run" "${TIMINGS:+: $TIMINGS}"
  fi
done
stop_load
echo "newcomer-check: $passed passed, $failed failed"
if ((failed == 0)); then echo PASS; else echo FAIL; fi
((failed == 0))
