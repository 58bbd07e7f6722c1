#!/usr/bin/env bash
# rclone's Dropbox backend (rclone from apt), unchanged, against the running local stack: rclone's Dropbox hosts are
# fixed, so it goes through deploy/dropbox/dropbox-proxy.py (HTTPS_PROXY) with a certificate made for those hosts by
# deploy/dropbox/dropbox-cert.sh and trusted through SSL_CERT_FILE, as docs/dropbox-api.md tells a user to. Copies a
# tree with a 20 MiB file (an upload session), checks it with `rclone check` (sizes and Dropbox content hashes),
# copies it back byte for byte, syncs an edit, moves and deletes, and compares with what syncbox's own API lists.
# The last line is "N passed, M failed". Run by deploy/local/test.sh.
# Usage: reliability/dropbox-rclone.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"
require_cmd rclone rclone
require_cmd openssl openssl
require_cmd python3 python3-minimal
require_curl
GW="http://127.0.0.1:$GATEWAY_PORT"
WORK="$(mktemp -d)"
PROXY_PID=""
PASSED=0
FAILED=0
cleanup() {
  local rc=$?
  [[ -z "$PROXY_PID" ]] || kill "$PROXY_PID" 2>/dev/null || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

step "a certificate for Dropbox's hosts, and the proxy that ends TLS with it in front of the gateway"
"$ROOT/deploy/dropbox/dropbox-cert.sh" "$WORK/tls" >/dev/null
PROXY_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
python3 "$ROOT/deploy/dropbox/dropbox-proxy.py" --listen "127.0.0.1:$PROXY_PORT" --gateway "127.0.0.1:$GATEWAY_PORT" \
  --cert "$WORK/tls/cert.pem" --key "$WORK/tls/key.pem" >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
for _ in $(seq 1 100); do
  grep -q ready "$WORK/proxy.log" && break
  sleep 0.1
done
grep -q ready "$WORK/proxy.log" || die "the proxy did not start: $(cat "$WORK/proxy.log")"

EMAIL="rclone-$(date +%s%N)@example.test"
curl -sf -m 30 -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"a long password\",\"name\":\"rclone\"}" "$GW/auth/register"
TOKEN="$(curl -sf -m 30 -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"a long password\",\"device_name\":\"rclone\"}" "$GW/auth/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"

# A remote of the environment, no config file of the user's touched; the token is syncbox's own.
export RCLONE_CONFIG="$WORK/rclone.conf"
: >"$RCLONE_CONFIG"
export RCLONE_CONFIG_SB_TYPE=dropbox
export RCLONE_CONFIG_SB_TOKEN="{\"access_token\":\"$TOKEN\",\"token_type\":\"bearer\",\"expiry\":\"2099-01-01T00:00:00Z\"}"
export HTTPS_PROXY="http://127.0.0.1:$PROXY_PORT"
export SSL_CERT_FILE="$WORK/tls/ca.pem"
RCLONE=(rclone --retries 1 --low-level-retries 2 --dropbox-chunk-size 8M)

step "rclone's Dropbox backend against syncbox"
mkdir -p "$WORK/tree/docs/deep" "$WORK/tree/photos"
for i in $(seq 1 12); do printf 'note %s\n' "$i" >"$WORK/tree/docs/note-$i.txt"; done
printf 'deep\n' >"$WORK/tree/docs/deep/inside.md"
head -c 300000 /dev/urandom >"$WORK/tree/photos/picture.jpg"
head -c $((20 * 1024 * 1024)) /dev/urandom >"$WORK/tree/big.bin"
printf 'caf\xc3\xa9 \xe2\x82\xac\n' >"$WORK/tree/docs/café €.txt"

ok_run() { "$@" >"$WORK/out" 2>&1; }
check_detail() { tail -20 "$WORK/out" | sed 's/^/      /'; }

check "rclone copy uploads a tree with a 20 MiB file (upload sessions) and a non-ASCII name" \
  ok_run "${RCLONE[@]}" copy "$WORK/tree" sb:rc
check "rclone check: every size and Dropbox content hash matches" ok_run "${RCLONE[@]}" check "$WORK/tree" sb:rc
check "rclone copy back: byte for byte" eval '"${RCLONE[@]}" copy sb:rc "$WORK/back" >"$WORK/out" 2>&1 && diff -r "$WORK/tree" "$WORK/back" >>"$WORK/out"'
printf 'edited\n' >>"$WORK/tree/docs/note-3.txt"
rm "$WORK/tree/docs/note-4.txt"
check "rclone sync sends an edit and a delete, and check passes again" \
  eval '"${RCLONE[@]}" sync "$WORK/tree" sb:rc >"$WORK/out" 2>&1 && "${RCLONE[@]}" check "$WORK/tree" sb:rc >>"$WORK/out" 2>&1'
check "rclone moveto renames on the server" \
  eval '"${RCLONE[@]}" moveto sb:rc/docs/note-5.txt sb:rc/moved/note-5.txt >"$WORK/out" 2>&1 &&
    "${RCLONE[@]}" lsf -R sb:rc >>"$WORK/out" 2>&1 && grep -qx "moved/note-5.txt" "$WORK/out" && ! grep -qx "docs/note-5.txt" "$WORK/out"'
check "rclone purge removes a folder" \
  eval '"${RCLONE[@]}" purge sb:rc/photos >"$WORK/out" 2>&1 && ! "${RCLONE[@]}" lsf -R sb:rc | grep -q "^photos"'
listed_by_syncbox() {
  curl -sf -m 30 -H "Authorization: Bearer $TOKEN" "$GW/files/list?path=/rc/docs" >"$WORK/listing.json" || return 1
  python3 - "$WORK/listing.json" "$WORK/out" <<'PY'
import json, sys
names = sorted(e["name"] for e in json.load(open(sys.argv[1]))["entries"])
rclone = sorted(line.strip().rstrip("/") for line in open(sys.argv[2]) if line.strip())
print("syncbox:", names, "rclone:", rclone)
sys.exit(0 if names == rclone else 1)
PY
}
check "syncbox's own API lists what rclone lists" eval '"${RCLONE[@]}" lsf sb:rc/docs >"$WORK/out" 2>&1 && listed_by_syncbox >>"$WORK/out" 2>&1'

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
