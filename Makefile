# gpumarket: the single entry point. `make setup` then `make test` on a fresh
# Debian machine with Go, Node/npm and apt is all that is needed.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BIN := $(ROOT)/node_modules/.bin
export FOUNDRY_SOLC := $(ROOT)/tools/solc.js
export PATH := $(BIN):$(PATH)
FORGE := $(BIN)/forge
GO ?= go

.PHONY: help setup build generate check-generated lint test test-contracts gas-snapshot test-go demo bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

setup: ## install everything: npm toolchain, Go modules, PostgreSQL binaries, Blender, CPU speech engines
	npm ci --no-audit --no-fund
	$(GO) mod download
	bash tools/ensure-postgres.sh
	bash tools/ensure-blender.sh
	bash tools/ensure-engines.sh
	bash tools/ensure-chromium.sh

build: ## compile contracts, the TypeScript SDK (sdk/ts/dist), the web page (internal/webui/dist) and the gpumarket binary into bin/
	$(FORGE) build
	npm run build --workspace sdk/ts
	npm run --silent -w sdk/web build
	$(GO) build -o bin/gpumarket ./cmd/gpumarket

generate: ## regenerate bindings/, contracts/abi/ (ABIs, EIP-712 typed data) and sdk/ts/src/generated/ (TypeScript ABIs, typed data, API types), and the web page's bundle
	bash tools/gen-bindings.sh
	npm run --silent -w sdk/web build

GENERATED := bindings/ contracts/abi/ sdk/ts/src/generated/ internal/webui/dist/

check-generated: generate ## fail if bindings/, the ABI exports, the SDK's generated sources or the web bundle are stale
	@if ! git diff --quiet --exit-code -- $(GENERATED) || [ -n "$$(git ls-files --others --exclude-standard -- $(GENERATED))" ]; then \
		echo "$(GENERATED) stale: run 'make generate' and commit the result" >&2; \
		git status --short -- $(GENERATED) >&2; exit 1; fi

lint: ## gofmt, go vet, staticcheck, forge fmt --check
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:" >&2; echo "$$out" >&2; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck $$($(GO) list ./... | grep -v /bindings$$)
	$(FORGE) fmt --check
	npm run --silent -w sdk/web typecheck

test-contracts: ## toolchain self-test, forge tests (CI profile: deep fuzz/invariant runs), gas snapshot check, a real anvil deployment
	bash tools/test-toolchain.sh
	FOUNDRY_PROFILE=ci $(FORGE) test
	FOUNDRY_PROFILE=gas FORGE_SNAPSHOT_CHECK=true $(FORGE) snapshot --match-contract GasHappyPathTest --check
	bash tools/test-deploy.sh

gas-snapshot: ## rewrite .gas-snapshot and contracts/snapshots/ (isolated happy-path benchmark)
	FOUNDRY_PROFILE=gas $(FORGE) snapshot --match-contract GasHappyPathTest

test-go: ## Go tests against real PostgreSQL and anvil (started by the harnesses)
	$(GO) test -count=1 -timeout 30m ./...

test: check-generated lint test-contracts test-go ## everything CI runs

demo: ## the whole market on one machine: anvil, PostgreSQL, contracts, indexer, matcher, three providers, a scenario and an end-state check (--keep: leave it running)
	$(GO) run ./cmd/gpumarket demo $(DEMO_FLAGS)

bench: build ## one run: the indexer (backfill spread, head latency of indexer run) then the matcher (1 and 2 instances, then 1,000 status-stream watchers)
	./bin/gpumarket bench indexer
	./bin/gpumarket bench matcher --watchers 1000

bench-go: ## Go micro-benchmarks (matcher decisions, executors, tx manager throughput)
	$(GO) test -run '^$$' -bench . -benchtime 3x ./matcher/ ./relayer/... ./internal/eth/...

clean: ## remove build output and the throwaway PostgreSQL clusters
	rm -rf out cache bin .data
