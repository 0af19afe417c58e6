#!/usr/bin/env bash
# What a phone downloads (`make size`, after `make release`): raw, gzip and
# brotli bytes of every wasm and JS file of the release build, then of the
# wasm + JS that the first visit to `/`, `/login` and a signed-in page
# (`/profile`) really fetches (Chromium against the release server: a free
# port, a fresh data directory with the demo data, stopped whatever happens).
# gzip/brotli are the `.gz`/`.br` files `--precompress` wrote, which the
# server sends as they are.
# With LIGHTHOUSE=1 it also runs Lighthouse (mobile) on the three pages, from
# $TOOLS/lighthouse (installed there on first use, npm lighthouse@13.5.0).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/portal
PKG=target/site/pkg
if [[ ! -x $BIN || ! -f target/release/hash.txt ]] || ! ls "$PKG"/*.wasm.br >/dev/null 2>&1; then
  echo "size: no precompressed release build in target/; run 'make release' first" >&2
  exit 1
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d /tmp/portal-size-XXXXXX)
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export PORTAL_DB=surrealkv://$DATA/db PORTAL_LISTEN=127.0.0.1:$PORT LEPTOS_SITE_ROOT=target/site
export PORTAL_MODE=dev PORTAL_LOG=error RUST_LOG=error NO_COLOR=1
"$BIN" migrate >"$DATA/setup.log" 2>&1 && "$BIN" seed-demo >>"$DATA/setup.log" 2>&1
"$BIN" serve >"$DATA/portal.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done

export SIZE_BASE=http://127.0.0.1:$PORT SIZE_PKG=$PKG SIZE_COOKIE_FILE=$DATA/cookie
NODE_PATH=end2end/node_modules node - <<'EOF'
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright");
const base = process.env.SIZE_BASE, pkg = process.env.SIZE_PKG;
const size = (f) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
const kb = (n) => (n / 1024).toFixed(1).padStart(9);
const sizes = (file) => [size(file), size(file + ".gz"), size(file + ".br")];
const row = (name, [raw, gz, br]) => console.log(`${kb(raw)} ${kb(gz)} ${kb(br)}  ${name}`);
const header = (title) => console.log(`\n${title}\n   raw KiB  gzip KiB   br KiB`);

header("Release build: every wasm and JS file");
const files = fs.readdirSync(pkg).filter((f) => /\.(wasm|js)$/.test(f)).sort();
const total = [0, 0, 0];
for (const f of files) {
  const s = sizes(path.join(pkg, f));
  s.forEach((v, i) => (total[i] += v));
  row(f, s);
}
row("all wasm + JS", total);

(async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const visit = async (url) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const fetched = new Set();
    page.on("request", (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith("/pkg/") && /\.(wasm|js)$/.test(u.pathname)) fetched.add(u.pathname);
    });
    await page.goto(base + url);
    await page.locator("body[data-hydrated]").waitFor({ state: "attached", timeout: 60000 });
    await page.waitForLoadState("networkidle");
    await context.close();
    return [...fetched].sort();
  };
  const signedIn = async (url) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(base + "/login");
    await page.locator("body[data-hydrated]").waitFor({ state: "attached", timeout: 60000 });
    await page.fill("#login", "+79160000001");
    await page.fill("#password", "Gosportal-Demo-2026!");
    await Promise.all([page.waitForURL(/\/profile/), page.click("form.form button[type=submit]")]);
    const cookies = await context.cookies();
    // A fresh page with the session, as after closing the tab: a first load.
    const fresh = await browser.newContext();
    await fresh.addCookies(cookies);
    const p2 = await fresh.newPage();
    const fetched = new Set();
    p2.on("request", (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith("/pkg/") && /\.(wasm|js)$/.test(u.pathname)) fetched.add(u.pathname);
    });
    await p2.goto(base + url);
    await p2.locator("body[data-hydrated]").waitFor({ state: "attached", timeout: 60000 });
    await p2.waitForLoadState("networkidle");
    fs.writeFileSync(process.env.SIZE_COOKIE_FILE || "/dev/null",
      cookies.map((c) => `${c.name}=${c.value}`).join("; "));
    await context.close();
    await fresh.close();
    return [...fetched].sort();
  };
  const pages = [["/", await visit("/")], ["/login", await visit("/login")], ["/profile (signed in)", await signedIn("/profile")]];
  for (const [url, list] of pages) {
    header(`First visit to ${url}: wasm + JS fetched`);
    const sum = [0, 0, 0];
    for (const p of list) {
      const s = sizes(path.join(pkg, path.basename(p)));
      s.forEach((v, i) => (sum[i] += v));
      row(path.basename(p), s);
    }
    row(`total for ${url}`, sum);
  }
  await browser.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
EOF

[[ ${LIGHTHOUSE:-0} == 1 ]] || exit 0
TOOLS=${TOOLS:-${PORTAL_TOOLS_DIR:-$HOME/.cache/portal-tools}}
LH=$TOOLS/lighthouse/node_modules/.bin/lighthouse
if [[ ! -x $LH ]]; then
  mkdir -p "$TOOLS/lighthouse"
  (cd "$TOOLS/lighthouse" && npm init -y >/dev/null && npm i --no-audit --no-fund --loglevel=error lighthouse@13.5.0)
fi
FLAGS="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic"
echo
echo "Lighthouse, mobile (simulated slow 4G, 4x CPU): performance accessibility best-practices seo | LCP TBT"
for url in / /login /profile; do
  headers=()
  [[ $url == /profile ]] && headers=(--extra-headers "{\"Cookie\": \"$(cat "$DATA/cookie")\"}")
  rm -f "$DATA/lh.json"
  CHROME_PATH=/usr/bin/chromium "$LH" "http://127.0.0.1:$PORT$url" --quiet --output=json --output-path="$DATA/lh.json" \
    --only-categories=performance,accessibility,best-practices,seo --chrome-flags="$FLAGS" "${headers[@]}" >/dev/null 2>&1 || true
  [[ -f $DATA/lh.json ]] || { echo "  $url  no report"; continue; }
  python3 - "$DATA/lh.json" "$url" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
if r.get("runtimeError"):
    print(f"  {sys.argv[2]:<9} Lighthouse failed: {r['runtimeError'].get('message', r['runtimeError'])}")
    sys.exit(0)
c = r["categories"]; a = r["audits"]
v = lambda k: a.get(k, {}).get("displayValue", "-")
s = lambda k: round(c[k]["score"] * 100) if c.get(k, {}).get("score") is not None else "-"
print(f"  {sys.argv[2]:<9} {s('performance'):>3} {s('accessibility'):>3} {s('best-practices'):>3} {s('seo'):>3} | "
      f"LCP {v('largest-contentful-paint')}, TBT {v('total-blocking-time')}, "
      f"final URL {r.get('finalDisplayedUrl', r.get('finalUrl'))}")
PY
done
