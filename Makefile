# quietroom - build, run and test.
#
#   make test                     go.mod tidy check, gofmt check, go vet, go test -race
#                                 against real PostgreSQL and Redis (see
#                                 scripts/test-services.sh), the race-free checks
#                                 (allocation and time budgets), then the browser
#                                 tests (scripts/browser-test.sh)
#   make test-go GOTESTFLAGS='-run TestFoo -v' TIMEOUT=5m
#   make test-browser E2E_TEST_ARGS='--test-name-pattern=presence'
#   make services                 show which PostgreSQL/Redis the tests would use
#   make bench | build | run

SHELL := bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := build

GOTESTFLAGS ?=
TIMEOUT ?= 20m

# Build tags for every build and test: nomsgpack leaves gin's MessagePack
# codec (github.com/ugorji/go) out of the binary; the hub speaks JSON only.
GOTAGS ?= nomsgpack

# Tests whose assertions the race detector defeats (sync.Pool drops items on
# purpose, everything runs several times slower): run again without -race.
# TestSignInBurstMemoryIsBounded reads the process's resident memory, which
# the race detector's shadow memory would inflate.
NORACE_TESTS = ^(TestBenignScreenDoesNotAllocate|TestModelScreenDoesNotAllocate|TestEmbeddedModelMatchesTraining|TestBatchVersusGreedyReport|TestSignInBurstMemoryIsBounded)$$
NORACE_PKGS = ./internal/moderation/screening/ ./internal/mentoring/match/ ./cmd/hub/

# Puts TEST_DATABASE_URL and TEST_REDIS_URL into the recipe's shell. The output
# is captured first: a bare `eval "$(scripts/test-services.sh)"` would succeed
# even when the script fails (eval of nothing is true). Use it on the same
# logical line as the go command, joined with &&.
WITH_SERVICES = svc="$$(scripts/test-services.sh)" && eval "$$svc"

.PHONY: run build test test-go test-norace test-tidy test-browser services bench

run:
	CGO_ENABLED=0 go run -tags $(GOTAGS) ./cmd/hub

build:
	CGO_ENABLED=0 go build -tags $(GOTAGS) -trimpath -ldflags='-s -w' -o bin/hub ./cmd/hub
	CGO_ENABLED=0 go build -tags $(GOTAGS) -o bin/ ./cmd/...

test: test-tidy test-go test-norace test-browser

# go.mod and go.sum must be exactly what `go mod tidy` makes; -diff prints
# what it would change and fails without touching the files.
test-tidy:
	@go mod tidy -diff || { echo "go.mod/go.sum are not tidy: run 'go mod tidy'" >&2; exit 1; }
	@if go list -tags $(GOTAGS) -deps ./cmd/hub | grep -q '^github.com/ugorji/go'; then \
		echo "the hub links gin's MessagePack codec despite -tags $(GOTAGS)" >&2; exit 1; \
	fi

test-go:
	@unformatted="$$(gofmt -l .)" || exit 1; \
	if [ -n "$$unformatted" ]; then \
		echo "gofmt: these files need 'gofmt -w':" >&2; echo "$$unformatted" >&2; exit 1; \
	fi
	go vet -tags $(GOTAGS) ./...
	$(WITH_SERVICES) && go test -tags $(GOTAGS) -race -count=1 -timeout $(TIMEOUT) $(GOTESTFLAGS) ./...

# Fails when a named test fails or is skipped (a skip would hide the check).
test-norace:
	@rc=0; out="$$(go test -tags $(GOTAGS) -count=1 -run '$(NORACE_TESTS)' -v $(NORACE_PKGS) 2>&1)" || rc=$$?; \
	if [ $$rc -ne 0 ]; then echo "$$out" >&2; exit $$rc; fi; \
	echo "$$out" | grep -E '^(--- |ok )' || true; \
	if echo "$$out" | grep -q -- '--- SKIP'; then echo "a race-free check was skipped" >&2; exit 1; fi

# The room's protocol logic under node, then Debian's Chromium driven by
# playwright-core against two hubs sharing PostgreSQL and Redis;
# screenshots land in web/e2e/screenshots/.
test-browser:
	node --test web/static/js/
	$(WITH_SERVICES) && scripts/browser-test.sh

services:
	scripts/test-services.sh

bench:
	$(WITH_SERVICES) && go test -tags $(GOTAGS) -run '^$$' -bench . -benchmem -timeout $(TIMEOUT) $(GOTESTFLAGS) ./...
