#!/usr/bin/env bash
# scripts/browser-test.sh - the browser tests of the Quietroom pages.
#
# The one entry point `make test` calls after the Go tests. It:
#   1. installs what the tests need (scripts/browser-deps.sh: Debian's
#      Chromium and the npm packages of web/e2e/);
#   2. finds PostgreSQL and Redis (scripts/test-services.sh), unless
#      TEST_DATABASE_URL and TEST_REDIS_URL are already set;
#   3. builds the hub, creates a throwaway PostgreSQL database for this run
#      and starts TWO hub instances on free loopback ports that share it and
#      Redis, as two replicas behind a load balancer would;
#   4. creates a community (tenant) with an admin through the operator API;
#   5. runs `node --test` on web/e2e/tests/ against both hubs.
# Every exit path stops the hubs it started, drops the database and removes
# its temporary files. The exit status is non-zero on any failure.
#
# Environment (all optional):
#   TEST_DATABASE_URL, TEST_REDIS_URL   services to use (see scripts/test-services.sh)
#   E2E_REDIS_DB        Redis database number for the hubs (default 11); Redis
#                       pub/sub ignores it, but the tenant slug is unique per run
#   E2E_TEST_ARGS       extra arguments for node --test, e.g.
#                       E2E_TEST_ARGS='--test-name-pattern=presence'
#   E2E_KEEP_TMP=1      keep the temporary directory (hub logs) after the run
# Screenshots go to web/e2e/screenshots/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

log() { printf 'browser-test: %s\n' "$*" >&2; }

# --- cleanup, on every exit path ------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/quietroom-e2e.XXXXXX")
hub_pids=()     # the hub processes this script started, and only those
tests_pid=      # the test runner while it runs (leader of its process group)
db_name=        # the throwaway database, once created
admin_db_url=   # where to drop it from

cleanup() {
	local rc=$?
	set +e
	local pid
	if [[ -n $tests_pid ]] && kill -0 "$tests_pid" 2>/dev/null; then
		log "stopping the test runner"
		kill -TERM -- "-$tests_pid" 2>/dev/null || kill -TERM "$tests_pid" 2>/dev/null
		wait "$tests_pid" 2>/dev/null
	fi
	# The hubs shut down gracefully within HUB_SHUTDOWN_TIMEOUT (5 s); one
	# that is still there after 10 s is killed.
	for pid in "${hub_pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	local i
	for pid in "${hub_pids[@]}"; do
		for ((i = 0; i < 100; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			log "warning: hub pid $pid did not stop on SIGTERM; killing it"
			kill -KILL "$pid" 2>/dev/null
		fi
		wait "$pid" 2>/dev/null
	done
	if [[ $rc -ne 0 ]]; then
		local f
		for f in "$tmp"/hub-*.log; do
			[[ -s $f ]] || continue
			log "---- last lines of ${f##*/} ----"
			tail -n 60 "$f" >&2
		done
	fi
	if [[ -n $db_name ]]; then
		pg_exec "$admin_db_url" "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" ||
			log "warning: could not drop the database $db_name"
	fi
	if [[ -n ${E2E_KEEP_TMP:-} ]]; then
		log "kept $tmp"
	else
		rm -rf "$tmp"
	fi
	if [[ $rc -eq 0 ]]; then log "PASSED"; else log "FAILED (exit $rc)"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers ----------------------------------------------------------------

# url_with_path URL PATH: URL with its path replaced (query and user kept).
url_with_path() {
	node -e 'const u = new URL(process.argv[1]); u.pathname = process.argv[2]; console.log(u.href)' "$1" "$2"
}

# pg_exec URL SQL: run one statement on a PostgreSQL server. psql when it is
# installed, else a tiny Go program using the project's own pgx module.
pg_exec() {
	local url=$1 sql=$2
	if command -v psql >/dev/null 2>&1; then
		# An explicit status: a bare `return` in a trap handler would return
		# the status from before the trap.
		psql "$url" -v ON_ERROR_STOP=1 -qAtc "$sql" >/dev/null && return 0
		return 1
	fi
	if [[ ! -f $tmp/pgexec/main.go ]]; then
		mkdir -p "$tmp/pgexec"
		cat >"$tmp/pgexec/main.go" <<'EOF'
// pgexec URL SQL: runs one statement (browser-test.sh, when psql is missing).
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, os.Args[1])
	if err == nil {
		_, err = conn.Exec(ctx, os.Args[2])
		conn.Close(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgexec:", err)
		os.Exit(1)
	}
}
EOF
	fi
	# Run from the repository, so pgx resolves through the project's go.mod.
	(cd "$root" && go run "$tmp/pgexec/main.go" "$url" "$sql") && return 0
	return 1
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
	node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# wait_ready NAME URL PID: wait until the hub answers /readyz with 200.
wait_ready() {
	local name=$1 url=$2 pid=$3 i
	for ((i = 0; i < 240; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			log "error: hub $name exited before it was ready"
			return 1
		fi
		if curl -fsS -o /dev/null --max-time 2 "$url/readyz" 2>/dev/null; then
			return 0
		fi
		sleep 0.25
	done
	log "error: hub $name did not become ready at $url/readyz within 60 s"
	return 1
}

random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# --- 1. dependencies --------------------------------------------------------

log "installing the browser dependencies (scripts/browser-deps.sh)"
scripts/browser-deps.sh
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# --- 2. PostgreSQL and Redis ------------------------------------------------

if [[ -z ${TEST_DATABASE_URL:-} || -z ${TEST_REDIS_URL:-} ]]; then
	# Captured first: eval of a failed script's empty output would succeed.
	# (set -e does not stop on a failure before && , hence the explicit test.)
	if ! svc="$(scripts/test-services.sh)"; then
		log "error: PostgreSQL or Redis is not available (see above)"
		exit 1
	fi
	eval "$svc"
fi

# --- 3. the hubs --------------------------------------------------------------

log "building the hub"
CGO_ENABLED=0 go build -tags nomsgpack -o "$tmp/hub" ./cmd/hub

# A database of our own: the hubs migrate it at start.
admin_db_url=$TEST_DATABASE_URL
name=qre2e_$(random_hex 6)
pg_exec "$admin_db_url" "CREATE DATABASE $name"
db_name=$name
database_url=$(url_with_path "$TEST_DATABASE_URL" "/$db_name")

# A Redis database number of our own, when the server has one to spare.
redis_url=$(url_with_path "$TEST_REDIS_URL" "/${E2E_REDIS_DB:-11}")
if command -v redis-cli >/dev/null 2>&1 && ! redis-cli -u "$redis_url" ping >/dev/null 2>&1; then
	log "note: Redis database ${E2E_REDIS_DB:-11} is not usable; the hubs share $TEST_REDIS_URL"
	redis_url=$TEST_REDIS_URL
fi

operator_token=$(random_hex 32)

# start_hub ID PORT: start one instance in the background; sets hub_pid.
start_hub() {
	local id=$1 port=$2
	env DATABASE_URL="$database_url" REDIS_URL="$redis_url" \
		HUB_ADDR="127.0.0.1:$port" HUB_OPERATOR_TOKEN="$operator_token" \
		HUB_DEMO=false HUB_PASSWORD_MEMORY_KIB=1024 HUB_LOG_LEVEL=warn \
		HUB_INSTANCE_ID="$id" HUB_SHUTDOWN_TIMEOUT=5s \
		HUB_SIGNUPS_PER_ADDRESS=0 HUB_PUBLIC_URL="$hub_a" HUB_MENTORING_BATCH_WINDOW=0 \
		"$tmp/hub" serve >"$tmp/hub-$id.log" 2>&1 &
	hub_pid=$!
	hub_pids+=("$hub_pid")
}

port_a=$(free_port)
port_b=$(free_port)
while [[ $port_b == "$port_a" ]]; do port_b=$(free_port); done
hub_a=http://127.0.0.1:$port_a
hub_b=http://127.0.0.1:$port_b

log "starting hub a on $hub_a and hub b on $hub_b (database $db_name)"
start_hub a "$port_a"
pid_a=$hub_pid
start_hub b "$port_b"
pid_b=$hub_pid
wait_ready a "$hub_a" "$pid_a"
wait_ready b "$hub_b" "$pid_b"

# --- 4. a community -----------------------------------------------------------

tenant=e2e-$(random_hex 4)
admin_email=admin@$tenant.example.org
admin_password=$(random_hex 12)
log "creating the community $tenant through the operator API"
status=$(curl -sS -o "$tmp/tenant.json" -w '%{http_code}' --max-time 30 \
	-H "Authorization: Bearer $operator_token" -H 'Content-Type: application/json' \
	-d "{\"slug\":\"$tenant\",\"name\":\"Browser test $tenant\",\"admin_email\":\"$admin_email\",\"admin_password\":\"$admin_password\",\"admin_display_name\":\"Admin $tenant\"}" \
	"$hub_a/api/v1/operator/tenants")
if [[ $status != 201 ]]; then
	log "error: creating the tenant answered $status: $(cat "$tmp/tenant.json")"
	exit 1
fi

# --- 5. the tests -------------------------------------------------------------

screenshots=$root/web/e2e/screenshots
mkdir -p "$screenshots"
log "running the browser tests"
# In the background, in a process group of its own (setsid), and waited for:
# a signal to this script then runs the cleanup at once, which stops the
# test runner, its test processes and their browsers together.
setsid_cmd=()
if command -v setsid >/dev/null 2>&1; then setsid_cmd=(setsid); fi
# shellcheck disable=SC2086 # E2E_TEST_ARGS is a list of words on purpose
HUB_A=$hub_a HUB_B=$hub_b TENANT=$tenant ADMIN_EMAIL=$admin_email ADMIN_PASSWORD=$admin_password \
	SCREENSHOT_DIR=$screenshots HUB_BIN=$tmp/hub HUB_DATABASE_URL=$database_url \
	"${setsid_cmd[@]}" node --test --test-concurrency=1 --test-reporter=spec ${E2E_TEST_ARGS:-} web/e2e/tests/ &
tests_pid=$!
tests_rc=0
wait "$tests_pid" || tests_rc=$?
tests_pid=
if [[ $tests_rc -ne 0 ]]; then
	log "error: the browser tests failed (node --test exited $tests_rc)"
	exit "$tests_rc"
fi

# The hubs must still be running: a crash during the tests is a failure too.
for pid in "$pid_a" "$pid_b"; do
	if ! kill -0 "$pid" 2>/dev/null; then
		log "error: a hub (pid $pid) died during the tests"
		exit 1
	fi
done
