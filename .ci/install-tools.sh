#!/usr/bin/env bash
# Installs every tool the portal needs to build, run and test, on a fresh
# Debian 12 machine that reaches only package registries. Each step checks
# first and skips when its tool is already there, so a second run takes
# seconds. Usage: .ci/install-tools.sh [build|test|release]
#   build    the Rust side: wasm target, cargo-leptos, wasm-bindgen-cli, -dev libs
#   test     also Chromium and the end2end npm packages
#   release  also wasm-opt (npm binaryen@132, not Debian's) in $tools/binaryen
set -euo pipefail
what=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
CARGO_LEPTOS_VERSION=0.3.11
BINARYEN_VERSION=132.0.0
# Must equal the wasm-bindgen version in Cargo.lock (pinned in Cargo.toml).
WASM_BINDGEN_VERSION=$( (grep -A1 '^name = "wasm-bindgen"$' "$root/Cargo.lock" 2>/dev/null || true) | sed -n 's/^version = "\(.*\)"/\1/p')
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}
tools=${PORTAL_TOOLS_DIR:-$HOME/.cache/portal-tools}
mkdir -p "$tools"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  if [ $apt_updated -eq 0 ]; then $sudo apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Puts the unpacked source of crate $1 at version $2 into $tools/src/$1-$2,
# using only crates.io (a throwaway package that depends on it, then fetch).
crate_source() {
  local name=$1 version=$2 dir="$tools/src/$1-$2"
  if [ ! -f "$dir/Cargo.toml" ]; then
    local tmp="$tools/fetch-$name"
    rm -rf "$tmp" && mkdir -p "$tmp/src"
    printf '[package]\nname = "fetch-helper"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n%s = "=%s"\n' "$name" "$version" >"$tmp/Cargo.toml"
    touch "$tmp/src/lib.rs"
    (cd "$tmp" && cargo fetch -q) >&2
    local crate
    crate=$(ls "$HOME"/.cargo/registry/cache/*/"$name-$version.crate" | head -n1)
    mkdir -p "$tools/src"
    tar -xzf "$crate" -C "$tools/src"
    rm -rf "$tmp"
  fi
  echo "$dir"
}

say "Rust target wasm32-unknown-unknown"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

apt_install pkg-config libssl-dev

if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
  # `cargo install cargo-leptos` downloads wasm-opt/sass at run time and its
  # lock file needs a newer rustc; build it from source with no_downloads and
  # a cargo-util-schemas that builds on rustc 1.95.
  say "cargo-leptos $CARGO_LEPTOS_VERSION (from source, about 15 minutes once)"
  src=$(crate_source cargo-leptos "$CARGO_LEPTOS_VERSION")
  rm -f "$src/rust-toolchain.toml" "$src/rust-toolchain"
  (cd "$src" && cargo update -q -p cargo-util-schemas --precise 0.14.1)
  CARGO_TARGET_DIR="$tools/target" cargo install -q --path "$src" --locked --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION (from source, about 3 minutes once)"
  src=$(crate_source wasm-bindgen-cli "$WASM_BINDGEN_VERSION")
  (cd "$src" && cargo update -q -p webpki-roots --precise 1.0.10 2>/dev/null || true)
  CARGO_TARGET_DIR="$tools/target" cargo install -q --path "$src" --locked
fi

if [ "$what" = test ]; then
  apt_install chromium fonts-dejavu-core
  if [ ! -d "$root/end2end/node_modules/@playwright/test" ] || [ "$root/end2end/package-lock.json" -nt "$root/end2end/node_modules/.package-lock.json" ]; then
    say "end2end npm packages"
    (cd "$root/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
if [ "$what" = release ]; then
  # Debian's binaryen 108 optimises without error but the page then fails
  # to hydrate (WebAssembly.Table.set: Argument 1 is invalid); the npm
  # package ships a working wasm-opt. The Makefile puts its bin directory on
  # PATH. npm itself comes from Debian when the machine has none.
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  if [ ! -x "$tools/binaryen/node_modules/.bin/wasm-opt" ]; then
    say "wasm-opt (npm binaryen@$BINARYEN_VERSION)"
    mkdir -p "$tools/binaryen"
    (cd "$tools/binaryen" && npm install --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION")
  fi
fi
say "tools ready"
