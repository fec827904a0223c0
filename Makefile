# quietroom - build, run and test.
#
#   make test                     gofmt check, go vet, go test -race against real
#                                 PostgreSQL and Redis (see scripts/test-services.sh),
#                                 then the browser tests (scripts/browser-test.sh)
#   make test-go GOTESTFLAGS='-run TestFoo -v' TIMEOUT=5m
#   make test-browser E2E_TEST_ARGS='--test-name-pattern=presence'
#   make services                 show which PostgreSQL/Redis the tests would use
#   make bench | build | run

SHELL := bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := build

GOTESTFLAGS ?=
TIMEOUT ?= 20m

# Puts TEST_DATABASE_URL and TEST_REDIS_URL into the recipe's shell. The output
# is captured first: a bare `eval "$(scripts/test-services.sh)"` would succeed
# even when the script fails (eval of nothing is true). Use it on the same
# logical line as the go command, joined with &&.
WITH_SERVICES = svc="$$(scripts/test-services.sh)" && eval "$$svc"

.PHONY: run build test test-go test-browser services bench

run:
	go run ./cmd/hub

build:
	CGO_ENABLED=0 go build -o bin/hub ./cmd/hub
	CGO_ENABLED=0 go build -o bin/ ./cmd/...

test: test-go test-browser

test-go:
	@unformatted="$$(gofmt -l .)" || exit 1; \
	if [ -n "$$unformatted" ]; then \
		echo "gofmt: these files need 'gofmt -w':" >&2; echo "$$unformatted" >&2; exit 1; \
	fi
	go vet ./...
	$(WITH_SERVICES) && go test -race -count=1 -timeout $(TIMEOUT) $(GOTESTFLAGS) ./...

# The room's protocol logic under node, then Debian's Chromium driven by
# playwright-core against two hubs sharing PostgreSQL and Redis;
# screenshots land in web/e2e/screenshots/.
test-browser:
	node --test web/static/js/
	$(WITH_SERVICES) && scripts/browser-test.sh

services:
	scripts/test-services.sh

bench:
	$(WITH_SERVICES) && go test -run '^$$' -bench . -benchmem -timeout $(TIMEOUT) $(GOTESTFLAGS) ./...
