# The verbs. CI (`.ci/run`) calls `make lint test`; nothing here that CI does not run.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
NPM ?= npm
APP := $(or $(CARGO_TARGET_DIR),target)/debug/screening-room
CLI := $(or $(CARGO_TARGET_DIR),target)/debug/screening

.PHONY: run dev test lint fmt bench bindings setup ui-deps ui-build app e2e test-rust test-ui test-web check-bindings

## run: set up and start the desktop app on the built-in demo data (under Xvfb when there is no display)
run: setup ui-build
	$(CARGO) build -p screening-room
	@if [ -z "$${DISPLAY:-}" ]; then \
	  echo "no DISPLAY: starting under Xvfb (screenshot with: DISPLAY=:99 import -window root shot.png)"; \
	  (Xvfb :99 -screen 0 1280x800x24 >/dev/null 2>&1 &) ; sleep 1; DISPLAY=:99 $(APP); \
	else $(APP); fi

## dev: the app with the UI served by Vite (hot reload); needs a display
dev: setup ui-deps
	cd src-tauri && npm --prefix ../ui exec -- tauri dev -- --no-default-features

## test: set up, then every test: Rust (unit, integration, IPC; the report server on SQLite and
## PostgreSQL), bindings drift, UI (check, Vitest), e2e
test: setup ui-deps test-rust check-bindings test-ui test-web e2e

setup:
	scripts/setup-system.sh

# `npm install` rather than `npm ci`: vite 8 lists an optional, Windows-only dependency that the
# registry here does not serve, which `npm ci` takes for a lock-file mismatch. install still
# follows package-lock.json.
ui-deps:
	@if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
	  $(NPM) --prefix ui install --no-audit --no-fund; fi

ui-build: ui-deps
	$(NPM) --prefix ui run build

# The report server's tests run on SQLite and on PostgreSQL: a throwaway cluster
# (scripts/test-postgres.sh) is started for them and stopped after, also when a test fails. The
# test of the token kept in the OS keychain runs in a private D-Bus session with a real GNOME
# Keyring (scripts/test-keychain.sh).
test-rust: ui-build
	scripts/test-postgres.sh run $(CARGO) test --workspace --all-targets
	scripts/test-keychain.sh $(CARGO) test -p screening-app --test app keychain -- --ignored

## test-web: the report server's web page in headless Chromium (playwright-core on the system chromium)
test-web: setup
	$(CARGO) build -p screening-cli
	$(NPM) --prefix crates/server/tests/browser ci --no-audit --no-fund
	SCREENING_CLI="$(abspath $(CLI))" $(NPM) --prefix crates/server/tests/browser test

## bindings: regenerate ui/src/lib/ipc/bindings from the Rust types (ts-rs, run by cargo test)
bindings:
	$(CARGO) test --workspace --lib -- export_bindings

check-bindings: bindings
	@if [ -n "$$(git status --porcelain -- ui/src/lib/ipc/bindings)" ]; then \
	  git status --short -- ui/src/lib/ipc/bindings; \
	  echo "error: TypeScript bindings are out of date with the Rust types: run 'make bindings' and commit"; exit 1; fi

test-ui: ui-deps
	$(NPM) --prefix ui run check
	$(NPM) --prefix ui test

app: ui-build
	$(CARGO) build -p screening-room -p screening-cli

## e2e: the journeys in the real window (tauri-driver + WebKitWebDriver under Xvfb)
e2e: setup app
	SCREENING_APP="$(abspath $(APP))" SCREENING_CLI="$(abspath $(CLI))" \
	  xvfb-run -a -s "-screen 0 1280x800x24" \
	  node --test --test-concurrency=1 ui/e2e/journey.e2e.mjs ui/e2e/review.e2e.mjs \
	  ui/e2e/personas.e2e.mjs ui/e2e/candidates.e2e.mjs ui/e2e/report.e2e.mjs \
	  ui/e2e/sync.e2e.mjs ui/e2e/loadcheck.e2e.mjs

lint: ui-deps ui-build
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(NPM) --prefix ui run lint

fmt:
	$(CARGO) fmt --all
	$(NPM) --prefix ui run format

## bench: load times of the demo catalog and ml-latest-small (when ../shared is present), the review
## loop (freeze, judgement writes), the app's cold start (real window under Xvfb), then the
## models beside Python references (NumPy EASE, implicit kNN) in .bench-venv, and the report
## statistics beside a NumPy reference (bench/report_bench.sh); see bench/README.md
bench: setup app
	$(CARGO) bench -p screening-catalog --bench load
	$(CARGO) bench -p screening-app --bench review
	bench/serve_model.sh 10
	SCREENING_APP="$(abspath $(APP))" xvfb-run -a -s "-screen 0 1280x800x24" node ui/e2e/coldstart.bench.mjs
	@if [ ! -x .bench-venv/bin/python ]; then \
	  echo "creating .bench-venv (python3 -m venv)"; \
	  if ! python3 -m venv .bench-venv; then rm -rf .bench-venv; \
	    echo "error: 'python3 -m venv' failed: the Python references need the venv module" \
	      "(Debian/Ubuntu: sudo apt-get install python3-venv)"; exit 1; fi; fi
	@if [ ! -f .bench-venv/.installed ] || [ bench/requirements.txt -nt .bench-venv/.installed ]; then \
	  .bench-venv/bin/pip install -q --disable-pip-version-check -r bench/requirements.txt \
	  && touch .bench-venv/.installed; fi
	$(CARGO) bench -p screening-recommenders --bench models
	.bench-venv/bin/python bench/reference.py
	.bench-venv/bin/python bench/compare.py
	$(CARGO) bench -p screening-server --bench ingest
	$(CARGO) bench -p screening-server --bench report
	CARGO="$(CARGO)" bench/report_bench.sh
