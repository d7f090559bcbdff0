# Everything runs from here: `make demo` and `make test` install what is
# missing, build pkg/ and run. See README.md.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := pkg

export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

WASM_BINDGEN_VERSION := 0.2.130
WASM_PACK_VERSION := 0.15.1
BUILD := target/wasm-pack
WASM := pkg/node/freeclimb_callstatus_bg.wasm
RUST_SOURCES := $(wildcard src/*.rs) Cargo.toml Cargo.lock
JS_SOURCES := $(wildcard js/*) $(wildcard js/handlers/*) scripts/assemble.mjs LICENSE schema/callstatus.schema.json

.PHONY: tools rust-tools node-tools pkg demo test test-rust test-wasm test-node clean

## Tools: each step is skipped when the right version is already there.

tools: rust-tools node-tools

rust-tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@wasm-bindgen --version 2>/dev/null | grep -qx 'wasm-bindgen $(WASM_BINDGEN_VERSION)' \
	  || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --no-default-features --force
	@wasm-pack --version 2>/dev/null | grep -qx 'wasm-pack $(WASM_PACK_VERSION)' \
	  || cargo install wasm-pack --version $(WASM_PACK_VERSION) --locked --force

node-tools: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

## The npm package in pkg/: two wasm-pack builds, wasm-opt, then assembly.

pkg: $(WASM)

$(WASM): $(RUST_SOURCES) $(JS_SOURCES) | tools
	wasm-pack build --release --target nodejs --out-dir $(BUILD)/node --out-name freeclimb_callstatus --no-pack -- --no-default-features
	wasm-pack build --release --target web --out-dir $(BUILD)/web --out-name freeclimb_callstatus --no-pack -- --no-default-features
	wasm-opt -Oz $(BUILD)/node/freeclimb_callstatus_bg.wasm -o $(BUILD)/node/freeclimb_callstatus_bg.wasm
	wasm-opt -Oz $(BUILD)/web/freeclimb_callstatus_bg.wasm -o $(BUILD)/web/freeclimb_callstatus_bg.wasm
	node scripts/assemble.mjs $(BUILD)

## The browser inspector: www/ and pkg/ served on 127.0.0.1:$(PORT).

.PHONY: serve test-browser

PORT ?= 8080

serve: pkg
	node scripts/serve.mjs --port $(PORT)

## The main job: verdicts on the bundled example payloads.

EXAMPLE_PAYLOADS := examples/payloads/*.json examples/payloads/*.ndjson

# Some example payloads are invalid on purpose, so the CLI's exit status 1
# is expected here and reported rather than treated as a failure.
demo: pkg
	@echo "== callstatus validate $(EXAMPLE_PAYLOADS) (lenient)"
	@node pkg/cli.cjs validate $(EXAMPLE_PAYLOADS) || echo "(exit status $$?: some examples are invalid on purpose)"
	@echo
	@echo "== the same payloads in strict mode"
	@node pkg/cli.cjs validate --strict $(EXAMPLE_PAYLOADS) || echo "(exit status $$?: some examples are invalid on purpose)"
	@echo
	@echo "== the browser inspector: open the URL below, Ctrl-C stops it"
	node scripts/serve.mjs --port $(PORT)

## Tests: every layer runs the corpus in tests/fixtures/.

test: test-rust test-wasm test-node test-browser

test-rust:
	cargo test --all-targets
	cargo test --doc
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps

test-wasm: pkg
	wasm-pack test --node -- --no-default-features

test-node: pkg
	node --test --test-reporter=spec tests/js/

# The browser tests drive Debian's Chromium at /usr/bin/chromium.
test-browser: pkg
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	node --test --test-reporter=spec tests/browser/

clean:
	rm -rf pkg $(BUILD)

## Examples: a local callStatus webhook server and a signed request to it.
## PORT sets the port (default 3000); FREECLIMB_SIGNING_SECRET the secret.

.PHONY: example-server example-request

example-server: pkg
	node examples/handler-http.cjs

example-request: pkg
	node examples/send-signed.cjs

## Benchmarks: the package side by side with ajv, zod, valibot and
## node:crypto; BENCHMARKS.md explains the table it prints. Options go in
## BENCH_FLAGS, for example BENCH_FLAGS=--big for a 1 GB CLI log.

.PHONY: bench

bench: pkg
	node bench/run.mjs $(BENCH_FLAGS)

## Fuzzing with cargo-fuzz (libFuzzer), apart from `make test` because it
## needs a nightly toolchain (`rustup toolchain install nightly`). Each
## target runs FUZZ_SECONDS (default 60) from the seeds in fuzz/corpus/;
## new inputs go to fuzz/work/ and crashing inputs to fuzz/artifacts/.
## `make fuzz-seeds` rewrites the seeds from tests/fixtures/corpus.json.

.PHONY: fuzz fuzz-seeds

CARGO_FUZZ_VERSION := 0.13.2
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := validate ndjson signature verify_then_parse

fuzz:
	@rustup toolchain list | grep -q '^nightly' \
	  || { echo "make fuzz needs a nightly toolchain: run 'rustup toolchain install nightly'" >&2; exit 1; }
	@cargo fuzz --version 2>/dev/null | grep -qx 'cargo-fuzz $(CARGO_FUZZ_VERSION)' \
	  || cargo install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked --force
	cd fuzz && for target in $(FUZZ_TARGETS); do \
	  mkdir -p work/$$target; \
	  cargo +nightly fuzz run $$target work/$$target corpus/$$target -- \
	    -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 || exit 1; \
	done

fuzz-seeds:
	python3 fuzz/seed.py
