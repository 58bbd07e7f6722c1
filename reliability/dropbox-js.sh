#!/usr/bin/env bash
# The official Dropbox JavaScript SDK (npm "dropbox", pinned in reliability/dropbox-js/package.json) against the
# running local stack through the gateway: account, upload with its content hash, download, add/update conflicts,
# an upload session, folders, a move, list_folder and continue, errors. Installs Node.js and npm from apt when
# missing, the SDK from the npm registry into reliability/dropbox-js/node_modules. Run by deploy/local/test.sh.
# Usage: reliability/dropbox-js.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=deploy/local/lib.sh
source "$ROOT/deploy/local/lib.sh"
require_cmd node nodejs
require_cmd npm npm
cd "$ROOT/reliability/dropbox-js"
if [[ ! -d node_modules/dropbox ]]; then
  step "npm install (the Dropbox JavaScript SDK)"
  npm install --no-audit --no-fund --loglevel=error >/dev/null
fi
step "the Dropbox JavaScript SDK against http://127.0.0.1:$GATEWAY_PORT"
node check.mjs "http://127.0.0.1:$GATEWAY_PORT"
