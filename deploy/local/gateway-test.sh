#!/usr/bin/env bash
# Checks the gateway as rendered by gateway.sh, in front of stub services (gateway-stub.py): uploads (tus
# uploads' PATCHes too) stream without touching nginx's disk, tus routes reach upload-service, GET /blocks/<anything> reaches download-service, WebDAV goes by
# method (reads to download-service, PUT to upload-service, the rest to sync-service) with its headers, bodies,
# raw paths and 207s intact, Nextcloud's chunk uploads, status.php and OCS reach their services, the sync
# socket's WebSocket upgrade reaches sync-service and its token stays out of the access log, nginx's
# own errors are problem details, and a data dir inside a 0700 folder (a fresh clone in `mktemp -d`)
# works. A private nginx on free loopback ports and a data dir of its own: a few seconds, and it
# removes what it made. Run by test.sh.
# Usage: deploy/local/gateway-test.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

WORK="$(mktemp -d)" # mode 0700, like the folder of a fresh clone
export SYNCBOX_DATA_DIR="$WORK/checkout/.data"
# shellcheck source=deploy/local/lib.sh
source "$HERE/lib.sh"
require_cmd python3 python3-minimal
require_curl

STUB_PID=""
PASSED=0
FAILED=0

cleanup() {
  local rc=$?
  "$HERE/gateway.sh" stop >/dev/null 2>&1 || true
  if [[ -n "$STUB_PID" ]]; then
    kill "$STUB_PID" 2>/dev/null || true
    wait "$STUB_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK" "$FALLBACK_DIR"
  exit "$rc"
}
trap cleanup EXIT

# free_ports N : N loopback ports nothing listens on right now.
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# After a failed check (see check in lib.sh): the answer the check looked at.
check_detail() {
  if [[ -s "$WORK/headers" ]]; then
    sed 's/^/          /' "$WORK/headers"
    head -c 400 "$WORK/body" 2>/dev/null | sed 's/^/          /'
    echo
  fi
}

# req METHOD PATH [CURL ARGS...] : one request through the gateway; headers and body land in $WORK.
req() {
  local method="$1" path="$2"
  shift 2
  curl -s -m 30 -X "$method" -D "$WORK/headers" -o "$WORK/body" "$@" "$GW$path" >/dev/null || true
}

# the final status line (a "100 Continue" may come first)
status_is() { [[ "$(grep '^HTTP/' "$WORK/headers" | tail -n 1 | awk '{print $2}')" == "$1" ]]; }
header_is() { grep -qi "^$1: $2"$'\r'"\?$" "$WORK/headers"; }
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$WORK/body" "$1" 2>/dev/null; }
field_is() { [[ "$(field "$1")" == "$2" ]]; }
served_by() { status_is 200 && header_is X-Stub-Service "$1"; }

# problem STATUS CODE : nginx answered with its own problem details for STATUS.
problem() {
  status_is "$1" && header_is Content-Type 'application/problem+json' && field_is status "$1" &&
    field_is code "$2" && field_is type "https://syncbox.dev/problems/$2" &&
    [[ -n "$(field title)" && -n "$(field detail)" ]]
}

# upload_ok SIZE SHA : the upload stub received exactly SIZE bytes hashing to SHA.
upload_ok() { served_by upload && field_is bytes "$1" && field_is sha256 "$2"; }

# raw REQUEST : sends REQUEST as is and stores the answer like req does.
raw() {
  python3 - "$GATEWAY_PORT" "$1" "$WORK/headers" "$WORK/body" <<'PY'
import socket, sys
port, request, headers_file, body_file = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
    s.sendall(request.encode())
    data = b""
    while chunk := s.recv(65536):
        data += chunk
head, _, body = data.partition(b"\r\n\r\n")
open(headers_file, "wb").write(head + b"\r\n")
open(body_file, "wb").write(body)
PY
}

# websocket PATH : a WebSocket handshake through the gateway; the answer's head lands in headers, the
# first frame's text in body.
websocket() {
  python3 - "$GATEWAY_PORT" "$1" "$WORK/headers" "$WORK/body" <<'PY'
import base64, hashlib, os, socket, sys
port, path, headers_file, body_file = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
key = base64.b64encode(os.urandom(16)).decode()
request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
    s.sendall(request.encode())
    data = b""
    while chunk := s.recv(65536):
        data += chunk
head, _, frames = data.partition(b"\r\n\r\n")
accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
if accept.decode() not in head.decode():
    head += b"\r\nX-Test: wrong Sec-WebSocket-Accept"
open(headers_file, "wb").write(head + b"\r\n")
text = b""
if len(frames) >= 2 and frames[0] == 0x81:
    size, start = frames[1] & 0x7F, 2
    if size == 126:
        size, start = int.from_bytes(frames[2:4], "big"), 4
    text = frames[start:start + size]
open(body_file, "wb").write(text)
PY
}

# logged_within SECONDS PATTERN : the access log gets a line matching PATTERN (an upgraded connection
# is logged once it closes).
logged_within() {
  local tries=$(($1 * 10))
  while ((tries-- > 0)); do
    grep -q -- "$2" "$LOG_DIR/nginx-access.log" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
no_token_logged() { ! grep -q 'SECRET-TOKEN' "$LOG_DIR/nginx-access.log"; }
dropbox_longpoll_timeout_600s() {
  awk '/location = \/2\/files\/list_folder\/longpoll/,/}/' "$DATA_DIR/gateway/syncbox.conf" | grep -q 'proxy_read_timeout 600s;'
}
# location_block TEXT : the rendered location whose first line contains TEXT (as is, no regex), into $WORK/location.
location_block() {
  TEXT="$1" awk 'index($0, ENVIRON["TEXT"]) && /location/ { on = 1 } on { print } on && /}/ { exit }' \
    "$DATA_DIR/gateway/syncbox.conf" >"$WORK/location"
  [[ -s "$WORK/location" ]]
}
# waits_600s TEXT : that location waits 600 s for the service and for the client.
waits_600s() {
  location_block "$1" && grep -q 'proxy_read_timeout 600s;' "$WORK/location" &&
    grep -q 'proxy_send_timeout 600s;' "$WORK/location"
}
# streams TEXT : that location also passes responses on unbuffered.
streams() { waits_600s "$1" && grep -q 'proxy_buffering off;' "$WORK/location"; }
served_as() { served_by "$1" && field_is method "$2"; }
header_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["headers"].get(sys.argv[2], ""))' "$WORK/body" "$1" 2>/dev/null; }
header_field_is() { [[ "$(header_field "$1")" == "$2" ]]; }
socket_timeout_120s() {
  awk '/location = \/files\/sync\/ws/,/}/' "$DATA_DIR/gateway/syncbox.conf" | grep -q 'proxy_read_timeout 120s;'
}

read -r GATEWAY_PORT UPLOAD_PORT DOWNLOAD_PORT SYNC_PORT CONFLICT_PORT INDEXER_PORT <<<"$(free_ports 6)"
export SYNCBOX_PORT="$GATEWAY_PORT" SYNCBOX_UPLOAD_PORT="$UPLOAD_PORT" SYNCBOX_DOWNLOAD_PORT="$DOWNLOAD_PORT" \
  SYNCBOX_SYNC_PORT="$SYNC_PORT" SYNCBOX_CONFLICT_PORT="$CONFLICT_PORT" SYNCBOX_INDEXER_PORT="$INDEXER_PORT"
GW="http://127.0.0.1:$GATEWAY_PORT"

step "gateway checks: nginx on :$GATEWAY_PORT in front of stubs (conflict-engine left down), data in $DATA_DIR"
# conflict-engine gets no stub: it stands for a service that is down
python3 "$HERE/gateway-stub.py" "upload:$UPLOAD_PORT" "download:$DOWNLOAD_PORT" "sync:$SYNC_PORT" \
  >"$WORK/stub.log" 2>&1 &
STUB_PID=$!
for _ in $(seq 50); do
  grep -q ready "$WORK/stub.log" && break
  sleep 0.1
done
grep -q ready "$WORK/stub.log" || die "the stub services did not start: $(cat "$WORK/stub.log")"
# a web app build of two files stands for web/dist (docs/web-app.md)
export SYNCBOX_WEB_DIST="$WORK/web-dist"
mkdir -p "$SYNCBOX_WEB_DIST/assets"
printf '<!doctype html><title>syncbox</title><div id="root">web-app-stub</div>\n' >"$SYNCBOX_WEB_DIST/index.html"
printf 'console.log("web-app-stub-asset");\n' >"$SYNCBOX_WEB_DIST/assets/index-0a1b2c3d.js"
"$HERE/gateway.sh" start >"$WORK/gateway.log" 2>&1 || die "gateway.sh start failed: $(cat "$WORK/gateway.log")"

req GET /healthz
check "/healthz answers 200" status_is 200

# ---- temp folders: where the worker user can write, even with the data dir behind a 0700 folder
mapfile -t TEMPS < <(awk '$1 ~ /_temp_path$/ { sub(/;$/, "", $2); print $2 }' "$DATA_DIR/gateway/nginx.conf")
writable_by_worker() {
  local dir
  ((${#TEMPS[@]} == 5)) || return 1
  for dir in "${TEMPS[@]}"; do
    if [[ $(id -u) -eq 0 ]]; then
      [[ "$dir" != "$WORK"/* ]] && runuser -u nobody -- test -w "$dir" -a -x "$dir" || return 1
    else
      [[ -w "$dir" ]] || return 1
    fi
  done
}
check "every nginx temp folder is writable by the worker user, outside the 0700 folder" writable_by_worker

# ---- bodies stream: with client_body closed to everyone, any spooling to disk would be a 500
BODY_DIR="$(awk '$1 == "client_body_temp_path" { sub(/;$/, "", $2); print $2 }' "$DATA_DIR/gateway/nginx.conf")"
head -c 4194304 /dev/urandom >"$WORK/block.bin"
BLOCK_SHA="$(sha256sum "$WORK/block.bin" | cut -c1-64)"
chmod 000 "$BODY_DIR"
req PUT "/blocks/$BLOCK_SHA" --data-binary "@$WORK/block.bin" -H 'Content-Type: application/octet-stream'
check "4 MiB PUT /blocks/<64 hex> reaches upload-service whole" upload_ok 4194304 "$BLOCK_SHA"
req PUT "/blocks/$BLOCK_SHA" -T - -H 'Transfer-Encoding: chunked' <"$WORK/block.bin"
check "4 MiB chunked PUT /blocks/<64 hex> reaches upload-service whole" upload_ok 4194304 "$BLOCK_SHA"
req POST /files/upload --data-binary "@$WORK/block.bin" -H 'Content-Type: application/octet-stream'
check "4 MiB POST /files/upload reaches upload-service whole" upload_ok 4194304 "$BLOCK_SHA"
req PUT /files/01ARZ3NDEKTSV4RRFFQ69G5FAV/update --data-binary "@$WORK/block.bin"
check "4 MiB PUT /files/{id}/update reaches upload-service whole" upload_ok 4194304 "$BLOCK_SHA"
req PATCH /files/tus/01ARZ3NDEKTSV4RRFFQ69G5FAV --data-binary "@$WORK/block.bin" \
  -H 'Content-Type: application/offset+octet-stream' -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0'
check "4 MiB tus PATCH /files/tus/{id} reaches upload-service whole, with its tus headers" \
  eval 'upload_ok 4194304 "$BLOCK_SHA" && header_field_is Tus-Resumable 1.0.0 && header_field_is Upload-Offset 0'
req PATCH /files/tus/01ARZ3NDEKTSV4RRFFQ69G5FAV -T - -H 'Transfer-Encoding: chunked' \
  -H 'Content-Type: application/offset+octet-stream' <"$WORK/block.bin"
check "4 MiB chunked tus PATCH /files/tus/{id} reaches upload-service whole" upload_ok 4194304 "$BLOCK_SHA"
req POST /files/tus --data-binary "@$WORK/block.bin" -H 'Content-Type: application/offset+octet-stream' \
  -H 'Upload-Length: 4194304' -H 'Upload-Metadata: path L2EuYmlu'
check "4 MiB tus POST /files/tus (creation with upload) reaches upload-service whole, with its tus headers" \
  eval 'upload_ok 4194304 "$BLOCK_SHA" && header_field_is Upload-Length 4194304 &&
    header_field_is Upload-Metadata "path L2EuYmlu"'
req POST /auth/register --data-binary "@$WORK/block.bin" -H 'Content-Type: application/json'
check "a large body to sync-service is streamed too" served_by sync
chmod 700 "$BODY_DIR"
no_spooled_files() { [[ -z "$(find "${TEMPS[@]}" -type f 2>/dev/null)" ]]; }
check "no file ever appeared in nginx's temp folders" no_spooled_files

# ---- routing of /blocks
for id in BAD xyz "$(tr 'a-f' 'A-F' <<<"$BLOCK_SHA")" "${BLOCK_SHA:1}" "$BLOCK_SHA" check; do
  req GET "/blocks/$id"
  check "GET /blocks/${id:0:12}… goes to download-service" served_by download
done
req HEAD /blocks/xyz -I
check "HEAD /blocks/xyz goes to download-service" served_by download
req POST /blocks/check -d '{"block_hashes":[]}' -H 'Content-Type: application/json'
check "POST /blocks/check goes to upload-service" served_by upload
req PUT "/blocks/$BLOCK_SHA/delta?base=$BLOCK_SHA" --data-binary 'delta'
check "PUT /blocks/{id}/delta goes to upload-service" served_by upload
req GET "/blocks/$BLOCK_SHA/delta?base=$BLOCK_SHA"
check "GET /blocks/{id}/delta goes to download-service" served_by download
req GET "/blocks/$BLOCK_SHA/signature"
check "GET /blocks/{id}/signature goes to download-service" served_by download
req POST /blocks/upload_batch --data-binary "@$WORK/block.bin" -H 'Content-Type: multipart/form-data; boundary=x'
check "POST /blocks/upload_batch reaches upload-service whole" upload_ok 4194304 "$BLOCK_SHA"
req POST /files/commit_batch -d '{"entries":[]}' -H 'Content-Type: application/json'
check "POST /files/commit_batch goes to upload-service" served_by upload

# ---- tus (docs/uploads.md#resumable-uploads-tus): every method of /files/tus and /files/tus/{id} to upload-service
for method in OPTIONS POST; do
  req "$method" /files/tus -H 'Tus-Resumable: 1.0.0'
  check "$method /files/tus goes to upload-service" served_as upload "$method"
done
for method in PATCH DELETE; do
  req "$method" /files/tus/01ARZ3NDEKTSV4RRFFQ69G5FAV -H 'Tus-Resumable: 1.0.0'
  check "$method /files/tus/{id} goes to upload-service" served_as upload "$method"
done
req HEAD /files/tus/01ARZ3NDEKTSV4RRFFQ69G5FAV -I -H 'Tus-Resumable: 1.0.0'
check "HEAD /files/tus/{id} (no body) is answered by upload-service" \
  eval 'status_is 200 && header_is X-Stub-Service upload'
check "tus uploads wait 600 s both ways" waits_600s 'files/tus'
req GET /files/tusx/metadata
check "GET /files/tusx/metadata (a file id, not tus) goes to sync-service" served_by sync

# ---- the other routes
req GET /files/download/01ARZ3NDEKTSV4RRFFQ69G5FAV
check "GET /files/download/{id} goes to download-service" served_by download
req POST /files/download_batch -d '{"entries":[]}' -H 'Content-Type: application/json'
check "POST /files/download_batch goes to download-service" served_by download
req GET '/files/01ARZ3NDEKTSV4RRFFQ69G5FAV/thumbnail?size=256'
check "GET /files/{id}/thumbnail goes to download-service" served_as download GET
for path in /files/01ARZ3NDEKTSV4RRFFQ69G5FAV/thumbnails /files/01ARZ3NDEKTSV4RRFFQ69G5FAV/thumbnail/x \
  /files/thumbnail; do
  req GET "$path"
  check "GET $path is not a thumbnail: it goes to sync-service" served_by sync
done
req GET /files/01ARZ3NDEKTSV4RRFFQ69G5FAV/metadata
check "GET /files/{id}/metadata goes to sync-service" served_by sync
req GET '/files/sync/longpoll?timeout=1'
check "GET /files/sync/longpoll goes to sync-service" served_by sync
req GET /auth/check
check "GET /auth/check goes to sync-service" served_by sync

# ---- the Dropbox API v2 paths of its three hosts (docs/dropbox-api.md)
chmod 000 "$BODY_DIR"
req POST /2/files/upload --data-binary "@$WORK/block.bin" -H 'Content-Type: application/octet-stream' \
  -H 'Dropbox-API-Arg: {"path":"/a"}'
check "4 MiB POST /2/files/upload reaches upload-service whole" upload_ok 4194304 "$BLOCK_SHA"
req POST /2/files/upload_session/append_v2 -T - -H 'Transfer-Encoding: chunked' <"$WORK/block.bin"
check "4 MiB chunked POST /2/files/upload_session/append_v2 reaches upload-service whole" upload_ok 4194304 "$BLOCK_SHA"
chmod 700 "$BODY_DIR"
for route in upload_session/start upload_session/finish upload_session/finish_batch_v2 upload_session/finish_batch/check; do
  req POST "/2/files/$route" -d 'null'
  check "POST /2/files/$route goes to upload-service" served_by upload
done
req POST /2/files/download -H 'Dropbox-API-Arg: {"path":"/a"}'
check "POST /2/files/download goes to download-service" served_by download
req GET /apitl/1/token
check "GET /apitl/1/<token> (a temporary link) goes to download-service" served_by download
for route in files/list_folder files/list_folder/continue files/list_folder/longpoll files/get_metadata \
  files/uploads_are_not_these users/get_current_account sharing/list_folders check/user; do
  req POST "/2/$route" -d 'null' -H 'Content-Type: application/json'
  check "POST /2/$route goes to sync-service" served_by sync
done
check "the Dropbox long-poll's read timeout is 600 s" dropbox_longpoll_timeout_600s

# ---- WebDAV (docs/webdav.md): the three prefixes go by method (GET/HEAD download-service, PUT upload-service,
#      every other method sync-service), Nextcloud's chunked uploads to upload-service, status.php and OCS to
#      sync-service (docs/nextcloud.md)
DAV_METHODS=(OPTIONS PROPFIND PROPPATCH MKCOL DELETE MOVE COPY LOCK UNLOCK REPORT)
for prefix in /remote.php/dav/files/u@example.test /remote.php/webdav /dav; do
  req GET "$prefix/a.txt"
  check "GET $prefix/a.txt goes to download-service" served_as download GET
  req HEAD "$prefix/a.txt" -I
  check "HEAD $prefix/a.txt goes to download-service" eval 'status_is 200 && header_is X-Stub-Service download'
  chmod 000 "$BODY_DIR"
  req PUT "$prefix/a.txt" --data-binary "@$WORK/block.bin" -H 'OC-Checksum: SHA256:'"$BLOCK_SHA" \
    -H 'X-OC-Mtime: 1700000000'
  check "4 MiB PUT $prefix/a.txt reaches upload-service whole, OC-Checksum and X-OC-Mtime with it" \
    eval 'upload_ok 4194304 "$BLOCK_SHA" && header_field_is OC-Checksum "SHA256:$BLOCK_SHA" &&
      header_field_is X-OC-Mtime 1700000000'
  req PUT "$prefix/a.txt" -T - -H 'Transfer-Encoding: chunked' <"$WORK/block.bin"
  check "4 MiB chunked PUT $prefix/a.txt reaches upload-service whole" upload_ok 4194304 "$BLOCK_SHA"
  chmod 700 "$BODY_DIR"
  for method in "${DAV_METHODS[@]}"; do
    req "$method" "$prefix/a.txt"
    check "$method $prefix/a.txt goes to sync-service" served_as sync "$method"
  done
done
for root in /dav /dav/ /remote.php/webdav /remote.php/webdav/ /remote.php/dav/files/u@example.test/; do
  req PROPFIND "$root" -H 'Depth: 1'
  check "PROPFIND $root goes to sync-service" served_as sync PROPFIND
done
PROPFIND_BODY='<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
req PROPFIND /remote.php/dav/files/u@example.test/stub-207/ -H 'Depth: 1' -H 'Content-Type: text/xml' \
  --data-binary "$PROPFIND_BODY"
check "PROPFIND's body reaches sync-service and its 207 Multi-Status passes through" \
  eval 'status_is 207 && header_is X-Stub-Service sync && field_is bytes "${#PROPFIND_BODY}" && header_field_is Depth 1'
req MOVE /dav/a.txt -H "Destination: $GW/dav/b%20c.txt" -H 'Overwrite: F' \
  -H 'If: (<opaquelocktoken:1234>)'
check "MOVE's Destination, Overwrite and If reach sync-service, with the gateway's address in X-Forwarded-*" \
  eval 'served_as sync MOVE && header_field_is Destination "$GW/dav/b%20c.txt" && header_field_is Overwrite F &&
    header_field_is If "(<opaquelocktoken:1234>)" && header_field_is X-Forwarded-Host 127.0.0.1 &&
    header_field_is X-Forwarded-Port "$GATEWAY_PORT"'
LOCK_BODY='<d:lockinfo xmlns:d="DAV:"><d:lockscope><d:exclusive/></d:lockscope></d:lockinfo>'
req LOCK /dav/a.txt -H 'Timeout: Second-600' -H 'Depth: 0' --data-binary "$LOCK_BODY"
check "LOCK's body and Timeout reach sync-service" \
  eval 'served_as sync LOCK && header_field_is Timeout Second-600 && field_is bytes "${#LOCK_BODY}"'
RAW_PATH='/remote.php/dav/files/u%40example.test/a%20b/%C3%A9t%C3%A9%2Fx%3Bv=1.txt'
for method in PROPFIND GET PUT; do
  req "$method" "$RAW_PATH" --path-as-is
  check "$method: the service gets the path as the client encoded it" field_is path "$RAW_PATH"
done
check "the WebDAV location streams responses and waits 600 s" streams 'remote\.php/(dav/files|webdav)|dav)'
for prefix in /remote.php/dav /remote.php/dav/ /remote.php/dav/filesx/a /remote.php/dav/files- /remote.php/webdavx \
  /davx /dav.php /index.php/login/v2 /ocs; do
  req PROPFIND "$prefix"
  check "PROPFIND $prefix is no route: 404 problem not_found" problem 404 not_found
done

# Nextcloud's trash bin: every method sync-service's; versions: GET/HEAD download-service's, the rest sync-service's
TRASHBIN=/remote.php/dav/trashbin/u@example.test/trash
for method in OPTIONS PROPFIND MOVE DELETE GET; do
  req "$method" "$TRASHBIN/f1.d1700000000"
  check "$method $TRASHBIN/f1.d1700000000 goes to sync-service" served_as sync "$method"
done
req HEAD "$TRASHBIN/f1.d1700000000" -I
check "HEAD $TRASHBIN/f1.d1700000000 goes to sync-service" eval 'status_is 200 && header_is X-Stub-Service sync'
req DELETE "$TRASHBIN"
check "DELETE $TRASHBIN (emptying the trash) goes to sync-service" served_as sync DELETE
req MOVE "$TRASHBIN/f1.d1700000000" -H "Destination: $GW/remote.php/dav/trashbin/u@example.test/restore/f1"
check "MOVE's Destination reaches sync-service on the trash bin" \
  eval 'served_as sync MOVE && header_field_is Destination "$GW/remote.php/dav/trashbin/u@example.test/restore/f1"'
VERSIONS=/remote.php/dav/versions/u@example.test/versions/f1
req GET "$VERSIONS/v1"
check "GET $VERSIONS/v1 goes to download-service" served_as download GET
req HEAD "$VERSIONS/v1" -I
check "HEAD $VERSIONS/v1 goes to download-service" eval 'status_is 200 && header_is X-Stub-Service download'
for method in OPTIONS PROPFIND COPY MOVE DELETE; do
  req "$method" "$VERSIONS/v1" -H "Destination: $GW/remote.php/dav/versions/u@example.test/restore/target"
  check "$method $VERSIONS/v1 goes to sync-service" served_as sync "$method"
done
req PROPFIND "$VERSIONS" -H 'Depth: 1'
check "PROPFIND $VERSIONS goes to sync-service" served_as sync PROPFIND
check "the versions location streams responses and waits 600 s" streams 'remote\.php/dav/versions/'
for prefix in /remote.php/dav/trashbin /remote.php/dav/versions /remote.php/dav/trashbinx/a /remote.php/dav/versionsx/a; do
  req PROPFIND "$prefix"
  check "PROPFIND $prefix is no route: 404 problem not_found" problem 404 not_found
done

UPLOADS=/remote.php/dav/uploads/u@example.test/1700000000-abc
chmod 000 "$BODY_DIR"
req PUT "$UPLOADS/00001" --data-binary "@$WORK/block.bin" -H 'OC-Total-Length: 12582912'
check "4 MiB PUT of a Nextcloud chunk reaches upload-service whole" \
  eval 'upload_ok 4194304 "$BLOCK_SHA" && header_field_is OC-Total-Length 12582912'
chmod 700 "$BODY_DIR"
for method in MKCOL PROPFIND MOVE DELETE GET; do
  req "$method" "$UPLOADS/" -H "Destination: $GW/remote.php/dav/files/u@example.test/big.bin"
  check "$method $UPLOADS/ goes to upload-service" served_as upload "$method"
done
req MOVE "$UPLOADS/.file" -H "Destination: $GW/remote.php/dav/files/u@example.test/big.bin"
check "MOVE of the assembled chunks goes to upload-service with its Destination" \
  eval 'served_as upload MOVE && header_field_is Destination "$GW/remote.php/dav/files/u@example.test/big.bin"'
check "Nextcloud chunk uploads wait 600 s both ways" waits_600s 'remote\.php/dav/uploads/'

req GET /status.php
check "GET /status.php goes to sync-service" served_as sync GET
req GET /
check "GET / (the server URL a Nextcloud client is given) goes to sync-service" served_as sync GET
req PROPFIND / -H 'Accept: text/html'
check "PROPFIND / goes to sync-service whatever it accepts" served_as sync PROPFIND

# ---- the web app: a browser's GET / is index.html, the hashed assets are immutable, the rest stays the API's
web_page() {
  status_is 200 && header_is Content-Type 'text/html' && header_is Cache-Control 'no-cache' &&
    grep -qi "^Content-Security-Policy: default-src 'self'" "$WORK/headers" && ! header_is X-Stub-Service '.*'
}
req GET / -H 'Accept: text/html,application/xhtml+xml,*/*;q=0.8'
check "a browser's GET / is the web app's index.html (no-cache, CSP), read from outside the 0700 folder" \
  eval 'web_page && grep -q web-app-stub "$WORK/body"'
req HEAD / -I -H 'Accept: text/html'
check "a browser's HEAD / is the web app's index.html" web_page
req GET /index.html
check "GET /index.html is the web app" eval 'web_page && grep -q web-app-stub "$WORK/body"'
req GET /assets/index-0a1b2c3d.js
check "GET /assets/<hashed>.js: JavaScript, cached for a year as immutable" \
  eval 'status_is 200 && header_is Content-Type text/javascript && header_is Cache-Control "public, max-age=31536000, immutable" && grep -q web-app-stub-asset "$WORK/body"'
req GET /assets/missing.js
check "GET /assets/<missing>: 404 problem not_found" problem 404 not_found
req GET /assets/../files/list --path-as-is
check "GET /assets/../files/list is the API's route, not a file" served_as sync GET
req GET /status.php/x
check "GET /status.php/x is no route: 404 problem not_found" problem 404 not_found
for path in '/ocs/v1.php/cloud/capabilities?format=json' '/ocs/v2.php/cloud/capabilities?format=json' \
  /ocs/v1.php/cloud/user /ocs/v2.php/cloud/user '/ocs/v2.php/cloud/users/u@example.test'; do
  req GET "$path" -H 'OCS-APIRequest: true'
  check "GET $path goes to sync-service" served_as sync GET
done
req POST /auth/app-passwords -d '{"name":"laptop"}' -H 'Content-Type: application/json'
check "POST /auth/app-passwords goes to sync-service" served_as sync POST
req GET /auth/app-passwords
check "GET /auth/app-passwords goes to sync-service" served_as sync GET
req DELETE /auth/app-passwords/01ARZ3NDEKTSV4RRFFQ69G5FAV
check "DELETE /auth/app-passwords/{id} goes to sync-service" served_as sync DELETE

# ---- the sync socket: upgraded through to sync-service, its query token never in the access log
websocket '/files/sync/ws?access_token=SECRET-TOKEN-1&cursor=c'
check "GET /files/sync/ws upgrades to a WebSocket on sync-service" \
  eval 'status_is 101 && header_is X-Stub-Service sync && ! header_is X-Test ".*"'
check "the upgrade reaches sync-service with its query and Upgrade/Connection headers" \
  eval 'field_is path "/files/sync/ws?access_token=SECRET-TOKEN-1&cursor=c" && field_is upgrade websocket &&
    [[ "$(field connection | tr A-Z a-z)" == upgrade ]]'
check "the socket's connection is logged once closed, without its query" \
  logged_within 10 '"GET /files/sync/ws?\[query removed\] HTTP/1.1" 101'
req GET '/files/list?path=/&ACCESS%5Ftoken=SECRET-TOKEN-2'
check "another route's access_token is not logged either" logged_within 10 '"GET /files/list?\[query removed\]'
req GET '/files/sync?cursor=abc'
check "other queries are logged as they are" logged_within 10 '"GET /files/sync?cursor=abc HTTP/1.1" 200'
check "no token in the access log" no_token_logged
check "the socket's read timeout is 120 s (the service pings every 25 s)" socket_timeout_120s

# ---- errors: nginx's own are problem details, the services' pass through untouched
req GET /files/01ARZ3NDEKTSV4RRFFQ69G5FAV/conflicts
check "a service that is down: 503 problem service_unavailable" problem 503 service_unavailable
req GET /conflicts
check "GET /conflicts goes to conflict-engine (down here: 503 problem service_unavailable)" \
  problem 503 service_unavailable
for path in /conflicts/ /conflicts/x /conflictsx; do
  req GET "$path"
  check "GET $path is no route: 404 problem not_found" problem 404 not_found
done
req GET /no/such/endpoint
check "an unknown path: 404 problem not_found" problem 404 not_found
for path in /actuator /actuator/health /actuator/prometheus /actuator/env /actuator/heapdump \
  /files/../actuator/env /%61ctuator/health /ACTUATOR/health; do
  req GET "$path" --path-as-is
  check "GET $path is not a way in to a service's actuator: 404 problem not_found" problem 404 not_found
done
for path in /v3/api-docs /v3/api-docs.yaml /v3/api-docs/swagger-config /files/../v3/api-docs; do
  req GET "$path" --path-as-is
  check "GET $path: a service's OpenAPI document stays on its own port: 404 problem not_found" problem 404 not_found
done
req GET /auth/stub-404
check "a service's own 404 passes through" eval 'status_is 404 && header_is X-Stub-Service sync'
raw $'NONSENSE\r\n\r\n'
check "an unparsable request: 400 problem invalid_request" problem 400 invalid_request
req GET "/$(head -c 20000 /dev/zero | tr '\0' a)"
check "a 20 KB URI: 414 problem invalid_request" problem 414 invalid_request
req GET /healthz -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)"
check "a 20 KB header: 431 problem invalid_request" problem 431 invalid_request

echo "gateway: $PASSED passed, $FAILED failed"
if ((FAILED > 0)); then
  tail -n 20 "$LOG_DIR/nginx-error.log" >&2 || true
  die "gateway checks failed (the nginx error log is above)"
fi
