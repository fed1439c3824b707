# Customer Room: build / run / test entry points. The logic lives in scripts/ so it can be
# run and debugged directly; every script installs what it needs via scripts/setup.sh.
#
#   make run        release build, serve on 127.0.0.1:3000 with the local dev database + demo data
#   make test       fmt, dev build, lint, Rust tests (nextest), Playwright e2e alongside; last line "N passed, M failed"
#   make test-rust  fmt + lint + build + cargo test    make test-e2e   build + Playwright only
#   make lint       clippy (ssr + hydrate, -D warnings), leptosfmt --check, cargo machete
#   make bench      wrk against a demo room page and /bench/ping-db, asset sizes
#   make scan       wapiti scanner vs the release build (customer + staff); fails on findings SECURITY.md doesn't accept
#   make setup      install toolchain pieces (cargo-leptos, wasm-bindgen, wasm-opt, chromium, ...)
#   make build      release build only (site in target/site, binaries in $$CARGO_TARGET_DIR)
#   make db-start | db-stop | db-url | db-psql | clean-db

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
ENV := . scripts/env.sh

.PHONY: run test test-rust test-e2e lint bench scan setup build build-dev db-start db-stop db-url db-psql clean-db

run:
	scripts/run.sh

test:
	scripts/test.sh

test-rust:
	scripts/test.sh rust

test-e2e:
	scripts/test.sh e2e

lint: setup
	scripts/lint.sh

bench:
	scripts/bench.sh

scan:
	scripts/scan.sh

setup:
	scripts/setup.sh

build: setup
	$(ENV) && cr_leptos_build --release --precompress

build-dev: setup
	$(ENV) && cr_leptos_build

db-start:
	scripts/db.sh start

db-stop:
	scripts/db.sh stop

db-url:
	@scripts/db.sh url

db-psql:
	scripts/db.sh psql -d customer_room

clean-db:
	scripts/db.sh clean
