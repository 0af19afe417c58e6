# Госпортал. Two commands do everything on a fresh machine:
#   make run    install what is missing, build, migrate, load demo data, serve
#   make test   all tests: Rust, clippy (server and wasm32), Playwright
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
# cargo-leptos builds the debug server with these: leptos reads the output
# name at compile time (option_env!), and RUSTFLAGS is in every crate's
# fingerprint. Tests and clippy use the same, so one compiled copy of every
# dependency serves the tests and the e2e build (not two).
export LEPTOS_OUTPUT_NAME := portal
DEBUG_RUSTFLAGS := --cfg erase_components
BIN := target/debug/portal
TOOLS ?= $(or $(PORTAL_TOOLS_DIR),$(HOME)/.cache/portal-tools)
DATA ?= data

.PHONY: run test tools test-tools build unit lint e2e clean release bench bench-release bench-catalogue bench-applications bench-payments size

run: tools build
	@PORTAL_DB=surrealkv://$(DATA) $(BIN) migrate
	@PORTAL_DB=surrealkv://$(DATA) $(BIN) seed-demo
	@echo "Госпортал: http://localhost:3000  (вход по биометрии работает по этому адресу; исходящие сообщения: http://localhost:3000/dev/outbox)"
	@PORTAL_DB=surrealkv://$(DATA) LEPTOS_SITE_ROOT=target/site exec $(BIN) serve

test: test-tools unit lint build e2e

tools:
	@bash .ci/install-tools.sh build

test-tools:
	@bash .ci/install-tools.sh test

build:
	cargo leptos build

release:
	@bash .ci/install-tools.sh release
	PATH="$(TOOLS)/binaryen/node_modules/.bin:$$PATH" cargo leptos build --release --precompress --split --lib-features split

# Tests run whole requests (router, Leptos, SurrealDB's parser) on a test
# thread; unoptimised, that needs more than Rust's default 2 MiB stack (the
# server's own workers get 8 MiB, server/src/main.rs).
unit:
	RUST_MIN_STACK=8388608 RUSTFLAGS="$(DEBUG_RUSTFLAGS)" cargo test -p app -p server --features app/ssr

lint:
	python3 .ci/check-layers.py
	RUSTFLAGS="$(DEBUG_RUSTFLAGS)" cargo clippy -p app -p server --features app/ssr --all-targets -- -D warnings
	RUSTFLAGS="$(DEBUG_RUSTFLAGS)" cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

e2e:
	bash end2end/run.sh

bench: build
	bash end2end/bench.sh

# The catalogue search with 200 services beside a bare axum server, in process.
bench-catalogue:
	RUSTFLAGS="$(DEBUG_RUSTFLAGS)" cargo run -q -p server --bin bench-catalogue -- $(ARGS)

# «Мои заявления» with 1,000 applications, beside a bare axum server (in process).
bench-applications:
	RUSTFLAGS="$(DEBUG_RUSTFLAGS)" cargo run -q -p server --bin bench-applications -- $(ARGS)

# The same against the optimised server (builds it; the figure README records).
bench-payments:
	RUSTFLAGS="$(DEBUG_RUSTFLAGS)" cargo run -q -p server --bin bench-payments -- $(ARGS)

bench-release:
	PROFILE=release bash end2end/bench.sh

# Raw/gzip/brotli of the release wasm and JS, and what the first visit to
# `/`, `/login` and `/profile` downloads (after `make release`); with
# LIGHTHOUSE=1 also the Lighthouse mobile scores of those pages.
size:
	bash end2end/size.sh

clean:
	cargo clean
