#!/usr/bin/env bash
# Faults against the running local stack (deploy/local/up.sh; started if the gateway does not answer), each a real
# process stopped and started again by this script, with what must hold afterwards checked through the gateway:
#   0. two desktop clients of a second account sync throughout, each writing into its own folder a step a second;
#   1. upload-service killed with SIGKILL in the middle of a 64 MiB upload: no version appears, the upload after the
#      restart succeeds and downloads byte for byte;
#   1b. upload-service killed with SIGKILL in the middle of an upload session's chunk: the session survives and
#      says where to resume, nothing is committed before the finish, the rest from there commits byte for byte;
#   1c. upload-service killed with SIGKILL while four clients commit small files: every file listed is whole, every
#      commit answered 200 is there;
#   1d. sync-service killed with SIGKILL while four clients make and move folders: each folder is at exactly one
#      place, the one its answers say;
#   2. PostgreSQL shut down at once (a crash: SIGQUIT) while small uploads go on: the uploads in between fail with a
#      problem or wait for it to come back, every upload that was answered 200 downloads as sent, the path's current content is one of those
#      sent, uploads succeed again by themselves once it is back;
#   3. S3 down: an upload and a download answer 503 storage_unavailable and nothing is committed; both work once
#      it is back;
#   4. Redis down: uploads, the feed and downloads still work;
#   4b. Elasticsearch down: search answers 503 search_unavailable while uploads and the feed work; a file uploaded
#      meanwhile is found by search once it is back (the indexer catches up by itself);
#   5. the gateway stopped and started under three long-polls: they end, and a long-poll after the restart is woken
#      by a write;
#   6. the desktop clients are still running and converge: both folders alike, each file the server's current
#      content of its path, no conflicted copy;
#   7. afterwards, in the database, for both accounts: the journal has no gap and ends at its head, every block sent
#      or named by a version has the refcount its versions give it and is stored if named, every current version
#      exists.
# The last line is "N passed, M failed". Takes about five minutes.
# Usage: reliability/faults.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"
GW="http://127.0.0.1:$GATEWAY_PORT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PASSED=0
FAILED=0

if ! curl -sf "$GW/healthz" >/dev/null; then
  step "the gateway does not answer: starting the system" && ./deploy/local/up.sh
fi

json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get(sys.argv[1], "") if isinstance(d, dict) else "")' "$1"; }

# api METHOD PATH [CURL ARGS...] : prints the status; the body lands in $WORK/body
api() {
  local method="$1" path="$2"
  shift 2
  curl -s -m 60 -X "$method" -H "Authorization: Bearer $TOKEN" -o "$WORK/body" -w '%{http_code}' "$@" "$GW$path" ||
    echo 000
}

upload() { # PATH FILE : prints the status; the answer in $WORK/body
  api POST /files/upload -F "file_path=$1" -F "file_size=$(stat -c %s "$2")" -F "content=@$2"
}

entries_of() { # LISTING_JSON : "file_id name" for each entry of a /files/list answer
  python3 -c 'import json,sys; [print(e["file_id"], e["name"]) for e in json.load(open(sys.argv[1]))["entries"]]' "$1"
}

downloads_as() { # FILE_ID FILE : the current version downloads byte for byte as FILE
  curl -s -m 60 -H "Authorization: Bearer $TOKEN" -o "$WORK/got" "$GW/files/download/$1" &&
    cmp -s "$WORK/got" "$2"
}

listed() { # FOLDER NAME : the folder lists NAME
  [[ "$(api GET "/files/list?path=$1")" == 200 ]] &&
    python3 -c 'import json,sys; sys.exit(0 if any(e["name"] == sys.argv[1] for e in json.load(open(sys.argv[2]))["entries"]) else 1)' \
      "$2" "$WORK/body"
}

healthy() { # waits until every service answers its health check (at most 120 s)
  local app port deadline=$((SECONDS + 120))
  for app in "${APPS[@]}"; do
    port="${app##*:}"
    until curl -sf -m 5 "http://127.0.0.1:$port/actuator/health" >/dev/null; do
      ((SECONDS < deadline)) || return 1
      sleep 1
    done
  done
}

kill_under_clients() { # SERVICE PID... : SIGKILLs it three seconds into the loops, waits for them, starts it again
  local service="$1"
  shift
  sleep 3
  kill -9 "$(pid_of "$RUN_DIR/$service.pid")"
  wait "$@"
  ./deploy/local/apps.sh start >"$WORK/apps.log" 2>&1
  check "$service is back after the kill" healthy
}

step "an account for the faults"
EMAIL="faults-$(date +%s%N)@example.test"
curl -sf -m 30 -H 'Content-Type: application/json' -o /dev/null \
  -d "{\"email\":\"$EMAIL\",\"password\":\"a long password\",\"name\":\"Faults\"}" "$GW/auth/register"
TOKEN="$(curl -sf -m 30 -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"a long password\",\"device_name\":\"faults\"}" "$GW/auth/login" |
  json access_token)"
[[ -n "$TOKEN" ]] || die "could not log in"

# ---- 0. two desktop clients of another account, syncing and writing through every fault below
step "0. two desktop clients of a second account start syncing; each keeps writing into its folder throughout"
export SYNCBOX_PASSWORD='a long password'
DEVICES_EMAIL="devices-$(date +%s%N)@example.test"
curl -sf -m 30 -H 'Content-Type: application/json' -o /dev/null \
  -d "{\"email\":\"$DEVICES_EMAIL\",\"password\":\"$SYNCBOX_PASSWORD\",\"name\":\"Devices\"}" "$GW/auth/register"
bin/syncbox --help >/dev/null # builds the client once if it is not built
CLIENTS=()
WRITERS=()
for d in laptop desktop; do
  mkdir -p "$WORK/$d-files/$d"
  bin/syncbox --config-dir "$WORK/$d" login --server "$GW" --email "$DEVICES_EMAIL" --device-name "$d" >/dev/null ||
    die "the $d client could not log in"
  nohup bin/syncbox --config-dir "$WORK/$d" sync "$WORK/$d-files" >"$WORK/$d.log" 2>&1 &
  CLIENTS+=($!)
  ( # appends to 25 small files in turn, deletes one every ninth step, rewrites one of three 300 kB files every 20th; a step a second
    i=0
    while [[ ! -f "$WORK/stop-writing" ]]; do
      i=$((i + 1))
      f="$WORK/$d-files/$d/note-$((i % 25)).txt"
      if ((i % 9 == 0)); then rm -f "$f"; else printf '%s %s %s\n' "$d" "$i" "$RANDOM" >>"$f"; fi
      ((i % 20 == 0)) && head -c 300000 /dev/urandom >"$WORK/$d-files/$d/blob-$((i / 20 % 3)).bin"
      sleep 1
    done
  ) &
  WRITERS+=($!)
done
# Under errexit a failing command in the trap would become the script's status: the clients may be gone already.
trap 'touch "$WORK/stop-writing"; kill "${CLIENTS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

# ---- 1. upload-service killed mid-upload
step "1. upload-service killed with SIGKILL in the middle of a 64 MiB upload"
head -c $((64 * 1024 * 1024)) /dev/urandom >"$WORK/big.bin"
(curl -s -m 120 --limit-rate 8M -H "Authorization: Bearer $TOKEN" -o /dev/null -w '%{http_code}' \
  -F file_path=/faults/big.bin -F "file_size=$((64 * 1024 * 1024))" -F "content=@$WORK/big.bin" \
  "$GW/files/upload" >"$WORK/killed-status" || true) &
UPLOADING=$!
sleep 3
kill -9 "$(pid_of "$RUN_DIR/upload-service.pid")"
wait "$UPLOADING" || true
check "the upload cut by the kill is not answered 200" [ "$(cat "$WORK/killed-status")" != 200 ]
./deploy/local/apps.sh start >"$WORK/apps.log" 2>&1
check "upload-service is back by itself after a start" healthy
check "no version of the cut upload is visible" eval '! listed /faults big.bin'
status="$(upload /faults/big.bin "$WORK/big.bin")"
check "the upload again succeeds" [ "$status" == 200 ]
check "and downloads byte for byte" downloads_as "$(json file_id <"$WORK/body")" "$WORK/big.bin"

# ---- 1b. upload-service killed in the middle of an upload session's chunk
step "1b. upload-service killed with SIGKILL in the middle of an upload session's 32 MiB chunk"
head -c $((48 * 1024 * 1024)) /dev/urandom >"$WORK/session.bin"
[[ "$(api POST /upload-sessions)" == 201 ]] || die "no upload session: $(cat "$WORK/body")"
SESSION="$(json session_id <"$WORK/body")"
head -c $((32 * 1024 * 1024)) "$WORK/session.bin" >"$WORK/chunk"
(curl -s -m 120 --limit-rate 8M -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/octet-stream' \
  --data-binary "@$WORK/chunk" -o /dev/null "$GW/upload-sessions/$SESSION?offset=0" || true) &
UPLOADING=$!
sleep 2
kill -9 "$(pid_of "$RUN_DIR/upload-service.pid")"
wait "$UPLOADING" || true
./deploy/local/apps.sh start >"$WORK/apps.log" 2>&1
check "upload-service is back after the kill" healthy
status="$(api GET "/upload-sessions/$SESSION")"
OFFSET="$(json offset <"$WORK/body")"
info "the session resumes at offset ${OFFSET:-none} of 50331648"
check "the session survives the kill and says where to resume" eval '[ "$status" == 200 ] && [ -n "$OFFSET" ] && [ "$OFFSET" -lt $((32 * 1024 * 1024)) ]'
check "nothing is committed before the finish" eval '! listed /faults session.bin'
tail -c +$((OFFSET + 1)) "$WORK/session.bin" >"$WORK/rest"
status="$(api PUT "/upload-sessions/$SESSION?offset=$OFFSET" -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/rest")"
check "the rest goes from that offset" [ "$status" == 200 ]
status="$(api POST "/upload-sessions/$SESSION/finish" -H 'Content-Type: application/json' -d '{"file_path":"/faults/session.bin"}')"
check "the finish commits" [ "$status" == 200 ]
check "and the file downloads byte for byte" downloads_as "$(json file_id <"$WORK/body")" "$WORK/session.bin"

# ---- 1c. upload-service killed in the middle of commits
step "1c. upload-service killed with SIGKILL while four clients commit small files"
mkdir -p "$WORK/burst"
LOOPS=()
for w in 1 2 3 4; do
  (
    for i in $(seq 1 40); do
      head -c 4096 /dev/urandom >"$WORK/burst/$w-$i.bin"
      s="$(curl -s -m 60 -H "Authorization: Bearer $TOKEN" -o /dev/null -w '%{http_code}' \
        -F "file_path=/faults/burst/$w-$i.bin" -F file_size=4096 -F "content=@$WORK/burst/$w-$i.bin" \
        "$GW/files/upload" || echo 000)"
      printf '%s %s\n' "$w-$i" "$s" >>"$WORK/burst-answers"
    done
  ) &
  LOOPS+=($!)
done
kill_under_clients upload-service "${LOOPS[@]}"
ok=$(awk '$2 == 200' "$WORK/burst-answers" | wc -l)
info "$ok of 160 commits answered 200, $((160 - ok)) cut or refused by the kill"
check "the kill cut some commits" [ "$ok" -lt 160 ]
burst_whole() { # every file listed is whole and as sent; every commit answered 200 is listed
  [[ "$(api GET "/files/list?path=/faults/burst")" == 200 ]] || return 1
  entries_of "$WORK/body" >"$WORK/burst-listed"
  local id name n=0
  while read -r id name; do
    downloads_as "$id" "$WORK/burst/$name" || return 1
    n=$((n + 1))
  done <"$WORK/burst-listed"
  info "$n files listed, each whole"
  awk '$2 == 200 {print $1 ".bin"}' "$WORK/burst-answers" | while read -r name; do
    grep -q " $name\$" "$WORK/burst-listed" || return 1
  done
}
check "every file committed is whole, every commit answered 200 is there" burst_whole

# ---- 1d. sync-service killed in the middle of tree changes
step "1d. sync-service killed with SIGKILL while four clients make and move folders"
LOOPS=()
for w in 1 2 3 4; do
  (
    for i in $(seq 1 30); do
      a="$(curl -s -m 30 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -o /dev/null \
        -w '%{http_code}' -d "{\"path\":\"/faults/tree/$w-$i\"}" "$GW/files/folder" || echo 000)"
      b="$(curl -s -m 30 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -o /dev/null \
        -w '%{http_code}' -d "{\"from_path\":\"/faults/tree/$w-$i\",\"to_path\":\"/faults/tree/moved-$w-$i\"}" \
        "$GW/files/move" || echo 000)"
      printf '%s %s %s\n' "$w-$i" "$a" "$b" >>"$WORK/tree-answers"
    done
  ) &
  LOOPS+=($!)
done
kill_under_clients sync-service "${LOOPS[@]}"
ok=$(awk '$2 == 200 || $2 == 201' "$WORK/tree-answers" | wc -l)
info "$ok of 120 folders made, $(awk '$3 == 200' "$WORK/tree-answers" | wc -l) moved, the rest cut or refused by the kill"
check "the kill cut some changes" [ "$ok" -lt 120 ]
tree_as_answered() { # each folder made is at exactly one place: moved where the move was answered 200
  [[ "$(api GET "/files/list?path=/faults/tree")" == 200 ]] || return 1
  python3 - "$WORK/body" "$WORK/tree-answers" <<'PY'
import json, sys
names = [e["name"] for e in json.load(open(sys.argv[1]))["entries"]]
assert len(names) == len(set(names)), "a name listed twice"
for line in open(sys.argv[2]):
    n, made, moved = line.split()
    here, there = n in names, "moved-" + n in names
    assert not (here and there), n + " is at both places"
    if made in ("200", "201"):
        assert here or there, n + " was made and is nowhere"
    if moved == "200":
        assert there, n + " was moved and is not where it went"
PY
}
check "every folder made is at exactly one place, where its answers put it" tree_as_answered

# ---- 2. PostgreSQL crash mid-commit
step "2. PostgreSQL shut down at once while small uploads go on"
PG_PID="$(head -n 1 "$DATA_DIR/pg/postmaster.pid")"
: >"$WORK/answers"
(
  for i in $(seq 1 90); do
    head -c 2048 /dev/urandom >"$WORK/small-$i.bin"
    s="$(upload /faults/pg.bin "$WORK/small-$i.bin")"
    printf '%s %s %s\n' "$i" "$s" "$(json file_id <"$WORK/body" 2>/dev/null || true)" >>"$WORK/answers"
    sleep 0.05
  done
) &
LOOP=$!
for _ in $(seq 1 300); do # the crash comes after the second answer (at most 30 s)
  (($(wc -l <"$WORK/answers") >= 2)) && break
  sleep 0.1
done
kill -QUIT "$PG_PID"
AT_CRASH=$(wc -l <"$WORK/answers")
sleep 3
./deploy/local/services.sh start >"$WORK/services.log" 2>&1
wait "$LOOP"
ok=$(awk '$2 == 200' "$WORK/answers" | wc -l)
bad=$(awk '$2 != 200' "$WORK/answers" | wc -l)
info "the crash came after upload $AT_CRASH of 90; $ok answered 200, $bad refused (or held until it was back)"
check "the crash landed in the middle of the uploads, and PostgreSQL runs again as a new process" \
  eval '[ "$AT_CRASH" -gt 0 ] && [ "$AT_CRASH" -lt 90 ] && [ "$(head -n 1 "$DATA_DIR/pg/postmaster.pid")" != "$PG_PID" ]'
check "uploads succeed again by themselves (the last ten)" eval '[ "$(tail -n 10 "$WORK/answers" | awk '"'"'$2 == 200'"'"' | wc -l)" -eq 10 ]'
FILE_ID="$(awk '$2 == 200 {print $3}' "$WORK/answers" | tail -n 1)"
LAST="$(awk '$2 == 200 {print $1}' "$WORK/answers" | tail -n 1)"
check "the current content is the last upload answered 200" downloads_as "$FILE_ID" "$WORK/small-$LAST.bin"
all_versions_intact() {
  [[ "$(api GET "/files/$FILE_ID/versions?limit=100")" == 200 ]] || return 1
  python3 - "$WORK/body" <<'PY' >"$WORK/versions"
import json, sys
for v in json.load(open(sys.argv[1]))["versions"]:
    print(v["id"])
PY
  local n=0 v
  while read -r v; do
    curl -s -m 30 -H "Authorization: Bearer $TOKEN" -o "$WORK/v" "$GW/files/download/$FILE_ID?version=$v" || return 1
    [[ "$(stat -c %s "$WORK/v")" == 2048 ]] || return 1
    grep -q -F "$(sha256sum <"$WORK/v" | cut -c1-64)" <(for f in "$WORK"/small-*.bin; do sha256sum <"$f" | cut -c1-64; done) ||
      return 1
    n=$((n + 1))
  done <"$WORK/versions"
  info "$n versions, each one of the uploads sent"
  [[ "$n" -ge "$ok" ]]
}
check "every version is whole and one of those sent, none lost" all_versions_intact

# ---- 3. S3 down
step "3. S3 down during an upload and a download"
kill -9 "$(pid_of "$RUN_DIR/s3proxy.pid")"
sleep 1
head -c 300000 /dev/urandom >"$WORK/s3.bin"
status="$(upload /faults/s3.bin "$WORK/s3.bin")"
check "an upload answers 503 storage_unavailable" eval '[ "$status" == 503 ] && [ "$(json code <"$WORK/body")" == storage_unavailable ]'
check "and nothing is committed" eval '! listed /faults s3.bin'
status="$(api GET "/files/download/$FILE_ID")"
info "download with S3 down: $status $(head -c 120 "$WORK/body" | tr -c '[:print:]' '.')"
check "a download answers 503 storage_unavailable (or from the cache, 200 whole)" \
  eval '[ "$status" == 503 ] && [ "$(json code <"$WORK/body")" == storage_unavailable ] || { [ "$status" == 200 ] && cmp -s "$WORK/body" "$WORK/small-$LAST.bin"; }'
./deploy/local/services.sh start >"$WORK/services.log" 2>&1
status="$(upload /faults/s3.bin "$WORK/s3.bin")"
check "once S3 is back the upload succeeds" [ "$status" == 200 ]
check "and downloads byte for byte" downloads_as "$(json file_id <"$WORK/body")" "$WORK/s3.bin"

# ---- 4. Redis down
step "4. Redis down"
kill -9 "$(pid_of "$RUN_DIR/redis.pid")"
sleep 1
head -c 5000 /dev/urandom >"$WORK/redis.bin"
status="$(upload /faults/redis.bin "$WORK/redis.bin")"
check "an upload succeeds" [ "$status" == 200 ]
REDIS_FILE="$(json file_id <"$WORK/body")"
check "the feed answers" eval '[ "$(api GET /files/sync)" == 200 ]'
check "the download is byte for byte" downloads_as "$REDIS_FILE" "$WORK/redis.bin"
./deploy/local/services.sh start >"$WORK/services.log" 2>&1

# ---- 4b. Elasticsearch down
step "4b. Elasticsearch down"
./deploy/local/services.sh stop elasticsearch >"$WORK/services.log" 2>&1
status="$(api GET "/files/search?q=anything")"
check "search answers 503 search_unavailable" eval '[ "$status" == 503 ] && [ "$(json code <"$WORK/body")" == search_unavailable ]'
SEARCH_NAME="esdown$(date +%s%N)"
head -c 3000 /dev/urandom >"$WORK/es.bin"
status="$(upload "/faults/$SEARCH_NAME.bin" "$WORK/es.bin")"
check "an upload succeeds" [ "$status" == 200 ]
check "the feed answers" eval '[ "$(api GET /files/sync)" == 200 ]'
./deploy/local/services.sh start elasticsearch >"$WORK/services.log" 2>&1
found_by_search() { # NAME : within 60 s, search finds /faults/NAME.bin
  for _ in $(seq 120); do
    if [[ "$(api GET "/files/search?q=$1")" == 200 ]] && grep -q "\"/faults/$1.bin\"" "$WORK/body"; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}
check "once it is back, the file uploaded meanwhile is found by search" found_by_search "$SEARCH_NAME"

# ---- 5. gateway restart under long-polls
step "5. the gateway stopped and started under three long-polls"
[[ "$(api GET /files/sync)" == 200 ]] && CURSOR="$(json next_cursor <"$WORK/body")"
POLLS=()
for i in 1 2 3; do
  (curl -s -m 90 -H "Authorization: Bearer $TOKEN" -o /dev/null -w '%{http_code}' \
    "$GW/files/sync/longpoll?timeout=60&cursor=$CURSOR" >"$WORK/poll-$i" || true) &
  POLLS+=($!)
done
sleep 2
./deploy/local/gateway.sh stop >/dev/null 2>&1
wait "${POLLS[@]}"
check "the long-polls ended with the gateway" eval '! grep -q 200 "$WORK"/poll-1 "$WORK"/poll-2 "$WORK"/poll-3'
./deploy/local/gateway.sh start >/dev/null 2>&1
(curl -s -m 90 -H "Authorization: Bearer $TOKEN" -o "$WORK/woken" \
  "$GW/files/sync/longpoll?timeout=60&cursor=$CURSOR" || true) &
POLL=$!
sleep 1
woken_at=$SECONDS
upload /faults/after-gateway.bin "$WORK/redis.bin" >/dev/null
wait "$POLL"
check "a long-poll after the restart is woken by a write (in $((SECONDS - woken_at)) s)" \
  eval '[ "$(json changes <"$WORK/woken")" == True ] && [ $((SECONDS - woken_at)) -lt 10 ]'

# ---- 6. the desktop clients after every fault
step "6. the two desktop clients, having synced and written through every fault, converge"
touch "$WORK/stop-writing"
wait "${WRITERS[@]}"
check "both clients are still running: no fault stopped them" kill -0 "${CLIENTS[@]}"
same_everywhere() { # both folders alike, and each file in them the server's current content of that path
  diff -r -x .syncbox "$WORK/laptop-files" "$WORK/desktop-files" >/dev/null || return 1
  local d f n=0
  for d in laptop desktop; do
    [[ "$(api GET "/files/list?path=/$d")" == 200 ]] || return 1
    entries_of "$WORK/body" >"$WORK/$d-listed"
    [[ "$(cut -d' ' -f2 "$WORK/$d-listed" | sort)" == "$(ls "$WORK/laptop-files/$d" | sort)" ]] || return 1
    while read -r id f; do
      downloads_as "$id" "$WORK/laptop-files/$d/$f" || return 1
      n=$((n + 1))
    done <"$WORK/$d-listed"
  done
  CONVERGED="$n"
}
converged() { # waits until they are (at most 180 s)
  local deadline=$((SECONDS + 180))
  until same_everywhere; do
    ((SECONDS < deadline)) || return 1
    sleep 2
  done
}
TOKEN_FAULTS="$TOKEN"
TOKEN="$(curl -sf -m 30 -H 'Content-Type: application/json' \
  -d "{\"email\":\"$DEVICES_EMAIL\",\"password\":\"$SYNCBOX_PASSWORD\",\"device_name\":\"checker\"}" "$GW/auth/login" |
  json access_token)"
waited_from=$SECONDS
check "both folders and the server agree, file for file and byte for byte" converged
info "converged $((SECONDS - waited_from)) s after the last write: ${CONVERGED:-no} files, each downloading as on disk"
check "no conflicted copy (each device wrote only its own folder)" \
  eval '[ -z "$(find "$WORK/laptop-files" "$WORK/desktop-files" -path "*/.syncbox" -prune -o -name "*conflicted*" -print)" ]'
info "writes: $(cat "$WORK"/laptop-files/laptop/note-*.txt "$WORK"/desktop-files/desktop/note-*.txt 2>/dev/null | wc -l) lines kept in the notes"
kill "${CLIENTS[@]}"
wait "${CLIENTS[@]}" 2>/dev/null || true
DEVICES_TOKEN="$TOKEN"
TOKEN="$TOKEN_FAULTS"

# ---- 7. the database after every fault
step "7. the records after every fault, of both accounts"
PSQL="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/psql' 2>/dev/null | sort -V | tail -n 1)"
sql() { "$PSQL" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d syncbox -tAXc "$1"; }
records() { # LABEL : the checks on the account of $TOKEN
  USER_ID="$(api GET /auth/check >/dev/null && json user_id <"$WORK/body")"
  NS="$(sql "SELECT root_namespace_id FROM users WHERE user_id = $USER_ID")"
  JOURNAL="$(sql "SELECT count(*) || ' ' || coalesce(max(seq), 0) || ' ' || count(DISTINCT seq) || ' ' || (SELECT last_seq FROM namespaces WHERE namespace_id = $NS) FROM journal WHERE namespace_id = $NS")"
  info "$1: journal: entries, highest seq, distinct seqs, head: $JOURNAL"
  check "$1: the journal has no gap and ends at the namespace's head" eval '[ "$(echo "$JOURNAL" | tr " " "\n" | sort -u | wc -l)" == 1 ]'
  DRIFT="$(sql "WITH mine AS (SELECT DISTINCT b AS id FROM file_versions v JOIN files f ON f.file_id = v.file_id,
      unnest(v.block_ids) AS b WHERE f.namespace_id = $NS UNION SELECT block_id FROM block_grants WHERE user_id = $USER_ID),
    named AS (SELECT b AS id, count(DISTINCT v.version_id) AS n FROM file_versions v, unnest(v.block_ids) AS b
      WHERE b IN (SELECT id FROM mine) GROUP BY b)
    SELECT count(*) || ' ' || count(*) FILTER (WHERE k.block_id IS NULL OR k.refcount <> coalesce(n.n, 0)
      OR n.n > 0 AND NOT k.stored) FROM mine m LEFT JOIN file_blocks k ON k.block_id = m.id LEFT JOIN named n ON n.id = m.id")"
  info "$1: blocks sent or named, and of those with a refcount other than the versions naming them or named and not stored: $DRIFT"
  check "$1: every block's refcount is the number of versions naming it, and every block named is stored" \
    eval '[ "${DRIFT##* }" == 0 ] && [ "${DRIFT%% *}" -gt 0 ]'
  CURRENT="$(sql "SELECT count(*) FROM files f WHERE f.namespace_id = $NS AND NOT f.is_dir
    AND NOT EXISTS (SELECT 1 FROM file_versions v WHERE v.version_id = f.current_version_id AND v.file_id = f.file_id)")"
  check "$1: every file's current version exists" [ "$CURRENT" == 0 ]
}
records "the faults' account"
TOKEN="$DEVICES_TOKEN" records "the devices' account"

check "every service healthy at the end" healthy
echo "$PASSED passed, $FAILED failed"
[[ "$FAILED" == 0 ]]
