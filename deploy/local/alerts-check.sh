#!/usr/bin/env bash
# The ConflictRateHigh alert against the local stack: starts the local Prometheus (prometheus.sh)
# unless one runs, drives a conflict rate over 1 % through the gateway (clean commits, then uploads
# on a stale parent that the server refuses as conflicts), and waits until Prometheus holds the alert
# pending (it fires after 10 minutes; pending is what a run this short can see). Stops the
# Prometheus it started. Run by deploy/local/test.sh after the fault injections.
# Usage: deploy/local/alerts-check.sh   (the system running, as deploy/local/up.sh starts it)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=deploy/local/lib.sh
source "$HERE/lib.sh"
require_curl
require_cmd python3 python3-minimal

GW="http://127.0.0.1:$GATEWAY_PORT"
PROM="http://127.0.0.1:${SYNCBOX_PROMETHEUS_PORT:-9090}"
WORK="$(mktemp -d)"
started=0
cleanup() {
  rm -rf "$WORK"
  if ((started)); then
    "$HERE/prometheus.sh" stop >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

curl -sf -m 5 "$GW/healthz" >/dev/null || die "the gateway does not answer on $GW: start the system first"
if ! curl -sf -m 5 "$PROM/-/ready" >/dev/null; then
  "$HERE/prometheus.sh" start
  started=1
fi

# promql QUERY : the first value of an instant query, or nothing
promql() {
  curl -s -m 10 -G "$PROM/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}
alert_state() { # NAME : pending, firing, or nothing
  curl -s -m 10 "$PROM/api/v1/alerts" |
    python3 -c 'import json,sys; print(next((a["state"] for a in json.load(sys.stdin)["data"]["alerts"] if a["labels"]["alertname"] == sys.argv[1]), ""))' "$1"
}
wait_until() { # SECONDS DESCRIPTION COMMAND... : polls COMMAND every 2 s
  local deadline=$((SECONDS + $1)) what="$2"
  shift 2
  until "$@"; do
    ((SECONDS < deadline)) || die "not within the time allowed: $what"
    sleep 2
  done
}
scraped() { [[ "$(promql 'count(up{job="syncbox", service="upload-service"} == 1)')" == 1 ]]; }
pending() { [[ "$(alert_state ConflictRateHigh)" == pending ]]; }

step "Prometheus scrapes upload-service"
wait_until 90 "upload-service scraped" scraped

step "an account; clean commits, then two uploads on a stale parent"
EMAIL="alerts-$(date +%s%N)@example.test"
curl -sf -m 30 -H 'Content-Type: application/json' -o /dev/null \
  -d "{\"email\":\"$EMAIL\",\"password\":\"a long password\",\"name\":\"Alerts\"}" "$GW/auth/register"
TOKEN="$(curl -sf -m 30 -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"a long password\",\"device_name\":\"alerts\"}" "$GW/auth/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
upload() { # TEXT [PARENT] : prints the status; the answer in $WORK/body
  printf '%s' "$1" >"$WORK/content"
  curl -s -m 60 -H "Authorization: Bearer $TOKEN" -o "$WORK/body" -w '%{http_code}' \
    -F "file_path=/alerts/notes.txt" ${2:+-F "parent_version_id=$2"} -F "content=@$WORK/content" "$GW/files/upload"
}
version() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version_id"])' "$WORK/body"; }

[[ "$(upload 'first')" == 200 ]] || die "the first upload failed: $(cat "$WORK/body")"
first="$(version)"
parent="$first"
for i in 1 2 3 4 5; do
  [[ "$(upload "edit $i" "$parent")" == 200 ]] || die "clean commit $i failed: $(cat "$WORK/body")"
  parent="$(version)"
done
for i in 1 2; do
  status="$(upload "stale $i" "$first")"
  [[ "$status" == 409 ]] || die "an upload on a stale parent answered $status, not 409 conflict"
done
info "8 commit attempts, 2 of them conflicts"

step "ConflictRateHigh pending in Prometheus"
wait_until 120 "ConflictRateHigh pending" pending
rate="$(promql 'sum(rate(syncbox_conflicts_total[10m])) / sum(rate(syncbox_commits_total[10m]))')"
check "ConflictRateHigh is pending at a conflict rate of $rate (over 0.01), firing only after 10 minutes" \
  python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0.01 else 1)' "$rate"
((${FAILED:-0} == 0)) || die "the alert check failed"
