#!/usr/bin/env bash
# A newcomer's first hour, scripted: a fresh clone, README's quick start, the CLI path and the
# install path, each exactly as README tells them. Called from .ci/run.
#   - `npm test` (README's second quick-start command) is not run again here: .ci/run has just run
#     it on the same commit; a second run would double CI time for no new information.
#   - The consumer check covers the library in a consumer's suite; here we check the install
#     itself: `npm pack` from the fresh clone ships dist/ and the installed commands run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/og-newcomer-XXXXXX")"
fake_pid=""
cleanup() {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n== newcomer: %s\n' "$*"; }

step "fresh clone and npm ci (postprepare compiles dist/)"
git clone -q "$root" "$work/kit"
cd "$work/kit"
npm ci --no-audit --no-fund --loglevel=error
test -f dist/mock-server/cli/bin.js && test -f dist/mock-server/bin/og-mock.js

step "npm start (README's first command), on a free port"
npm start -s -- --port 0 --log-level warn >"$work/start.log" 2>&1 &
fake_pid=$!
for _ in $(seq 1 100); do
  grep -q "og-mock listening on" "$work/start.log" && break
  sleep 0.2
done
url="$(sed -n 's/^og-mock listening on \(http[^ ]*\).*/\1/p' "$work/start.log")"
[ -n "$url" ] || { cat "$work/start.log"; echo "newcomer: npm start did not start"; exit 1; }
if grep -q "compiling" "$work/start.log"; then echo "newcomer: npm start compiled although npm ci had built dist/"; exit 1; fi
echo "fake at $url"
# The first curl the banner prints, as pasted.
curl_line="$(grep -m1 "curl -sS -X PATCH" "$work/start.log" | sed 's/^ *//')"
sh -c "$curl_line" | grep '"status":200' >/dev/null

step "the CLI as README shows it (bin/og-stock from the repository's folder: no npx, no rebuild)"
touch "$work/built"
export OG_BASE_URL="$url" OG_PUBLIC_ID=og-mock-merchant OG_SIG_FIELD=og-mock-api-user OG_HASH_KEY=og-mock-hash-key
bin/og-stock out og-coffee-beans-1kg og-green-tea-100
bin/og-stock in og-green-tea-100
bin/og-stock sync examples/stock.csv --low-at 5 --restock-at 20 --dry-run
bin/og-stock get og-coffee-beans-1kg >/dev/null
bin/og-mock --help >/dev/null
bin/og-contract --help >/dev/null
code=0
bin/og-stock --base-url 127.0.0.1:8787 out x 2>"$work/usage.txt" || code=$?
[ "$code" = 64 ] || { echo "newcomer: a bad --base-url exited $code, not 64"; exit 1; }
[ "$(wc -l <"$work/usage.txt")" -le 2 ] || { cat "$work/usage.txt"; echo "newcomer: usage error is not one line"; exit 1; }
rebuilt="$(find dist -newer "$work/built" -type f | head -n 3)"
[ -z "$rebuilt" ] || { echo "newcomer: the repository's commands rewrote dist/: $rebuilt"; exit 1; }
kill "$fake_pid"
fake_pid=""

step "install from npm pack output into a fresh project, as README shows"
npm pack --silent >/dev/null
tarball="$(ls "$work"/kit/ordergroove-stock-kit-*.tgz)"
tar -tzf "$tarball" | grep "package/dist/mock-server/bin/og-mock.js" >/dev/null
mkdir "$work/project"
cd "$work/project"
npm init -y >/dev/null
npm install -D --no-audit --no-fund --loglevel=error "$tarball" msw
npx og-mock --help | grep "og-mock: a fake Ordergroove" >/dev/null
npx og-stock --help | grep "og-stock: tell Ordergroove" >/dev/null
npx og-contract --help | grep "og-contract:" >/dev/null
node --input-type=module -e 'import("ordergroove-stock-kit/express").then(async ({ startMockServer }) => { const s = await startMockServer({ port: 0 }); await s.close(); console.log("library import ok"); })'

step "ok"
