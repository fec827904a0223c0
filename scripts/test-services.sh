#!/usr/bin/env bash
# scripts/test-services.sh - find (or start) the PostgreSQL and Redis that the
# test suite runs against, and tell the caller where they are.
#
#   eval "$(scripts/test-services.sh)"   # exports into the current shell
#   . scripts/test-services.sh           # the same, sourced (arguments ignored)
#   scripts/test-services.sh stop        # stop the throwaway servers (step c)
#   make services                        # show what the tests would use
#
# The Makefile runs  svc="$(scripts/test-services.sh)" && eval "$svc" && go test ...
#
# STDOUT carries shell code only: on success exactly
#   export TEST_DATABASE_URL='...'
#   export TEST_REDIS_URL='...'
# and on failure only the word `false` (exit status 1), so that even a bare
# `eval "$(scripts/test-services.sh)"` fails instead of silently exporting
# nothing. Every message for humans goes to STDERR.
#
# Resolution, for each service independently:
#   a. TEST_DATABASE_URL / TEST_REDIS_URL already set (non-empty): used as is;
#      if it does not answer, fail naming the URL (password masked).
#   b. A server on the standard local port, used if it answers:
#        postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
#        redis://127.0.0.1:6379/0
#      (checked with psql, else pg_isready, else a bash /dev/tcp probe;
#       redis-cli ping, else a raw PING over /dev/tcp).
#   c. A throwaway server started from the installed binaries, under
#      ${TMPDIR:-/tmp}/quietroom-test-services and reused by later runs:
#        postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable
#        redis://127.0.0.1:56379/0
#      PostgreSQL: initdb + pg_ctl from /usr/lib/postgresql/*/bin or PATH,
#      trust auth, superuser `postgres`, unix socket in that directory, fsync
#      off. As root, initdb/pg_ctl run as the `postgres` user (else `nobody`).
#   d. Otherwise fail, naming the Debian packages to install.
# A server that answers but is unusable (auth refused, role cannot create
# databases) on the standard port is skipped for step c, with a note.
#
# The PostgreSQL role must be able to CREATE DATABASE (the tests create and
# drop one database per test); steps a-c check that.
#
# Overrides, mainly for testing this script:
#   QR_PG_PORT=5432          port probed in step b for PostgreSQL
#   QR_REDIS_PORT=6379       port probed in step b for Redis
#   QR_PG_TMP_PORT=55432     port of the throwaway PostgreSQL (step c)
#   QR_REDIS_TMP_PORT=56379  port of the throwaway Redis (step c)
#   QR_WAIT_SECS=20          how long step c waits for a server to answer

qr_log() { printf 'test-services: %s\n' "$*" >&2; }

qr_have() { command -v "$1" >/dev/null 2>&1; }

# qr_timeout SECS CMD...: run CMD with a time limit when timeout(1) exists.
qr_timeout() {
	local secs=$1
	shift
	if qr_have timeout; then timeout "$secs" "$@"; else "$@"; fi
}

# Single-quote a string for the shell.
qr_quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# Hide the password of scheme://user:password@host URLs in messages.
qr_mask() { printf '%s' "$1" | sed -E 's#^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*):[^@/]*@#\1:***@#'; }

# qr_hostport URL DEFAULT_PORT: prints "host port" of scheme://[user@]host[:port]/...
# Returns 1 when the URL names no TCP host (key=value DSN, unix socket, ...).
qr_hostport() {
	local url=$1 rest host port
	[[ $url == *://* ]] || return 1
	rest=${url#*://}
	rest=${rest%%[/?]*}
	rest=${rest##*@}
	if [[ $rest == \[* ]]; then
		host=${rest%%]*}
		host=${host#[}
		port=${rest#*]}
	else
		host=${rest%%:*}
		port=${rest#"$host"}
	fi
	port=${port#:}
	[[ -n $host && $host != %2[Ff]* ]] || return 1
	printf '%s %s\n' "$host" "${port:-$2}"
}

# qr_tcp_open HOST PORT: something accepts TCP connections there.
qr_tcp_open() {
	# shellcheck disable=SC2016 # expanded by the inner bash
	qr_timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# qr_pg_check URL: 0 if PostgreSQL answers at URL and the role can create
# databases; 1 otherwise, with the reason in QR_WHY.
qr_pg_check() {
	local url=$1 out hp
	QR_WHY=
	if qr_have psql; then
		if ! out=$(PGCONNECT_TIMEOUT=5 qr_timeout 20 psql "$url" -X -w -q -A -t -v ON_ERROR_STOP=1 \
			-c 'select rolsuper or rolcreatedb from pg_roles where rolname = current_user' 2>&1 </dev/null); then
			QR_WHY=$(printf '%s\n' "$out" | tail -n 3)
			[[ -n $QR_WHY ]] || QR_WHY="psql failed"
			return 1
		fi
		if [[ $out != t ]]; then
			QR_WHY="connected, but the role may not CREATE DATABASE (it needs SUPERUSER or CREATEDB; the tests create a database per test)"
			return 1
		fi
		return 0
	fi
	if qr_have pg_isready; then
		if out=$(pg_isready -d "$url" -t 5 2>&1 </dev/null); then return 0; fi
		QR_WHY="pg_isready: $out"
		return 1
	fi
	if hp=$(qr_hostport "$url" 5432); then
		# shellcheck disable=SC2086 # "host port" splits on purpose
		if qr_tcp_open $hp; then
			qr_log "note: neither psql nor pg_isready is installed; only checked that ${hp% *}:${hp#* } accepts TCP connections"
			return 0
		fi
		QR_WHY="nothing accepts TCP connections on ${hp% *}:${hp#* }"
		return 1
	fi
	qr_log "warning: cannot check $(qr_mask "$url") (no psql, no pg_isready, and no TCP host in it); using it unchecked"
	return 0
}

# qr_redis_check URL: 0 if Redis answers PING at URL; 1 otherwise (QR_WHY).
qr_redis_check() {
	local url=$1 out hp host port line tls=()
	QR_WHY=
	if qr_have redis-cli; then
		[[ $url == rediss://* ]] && tls=(--tls)
		out=$(qr_timeout 10 redis-cli --no-auth-warning ${tls[@]+"${tls[@]}"} -u "$url" ping 2>&1 </dev/null) || true
		[[ $out == PONG ]] && return 0
		QR_WHY=$(printf '%s\n' "$out" | tail -n 3)
		[[ -n $QR_WHY ]] || QR_WHY="redis-cli ping got no answer"
		return 1
	fi
	if ! hp=$(qr_hostport "$url" 6379); then
		QR_WHY="cannot tell host and port from the URL, and redis-cli is not installed"
		return 1
	fi
	host=${hp% *} port=${hp#* }
	if [[ ${url#*://} == *@* ]]; then
		# Credentials in the URL: a bare PING would get NOAUTH; settle for TCP.
		qr_tcp_open "$host" "$port" && return 0
	else
		# shellcheck disable=SC2016 # expanded by the inner bash
		line=$(qr_timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/$2" || exit 1
			printf "PING\r\n" >&3; IFS= read -r -t 3 l <&3; printf "%s" "$l"' _ "$host" "$port" 2>/dev/null) || true
		[[ $line == +PONG* ]] && return 0
	fi
	QR_WHY="no Redis PONG from $host:$port"
	return 1
}

# qr_detached CMD...: run CMD (which leaves a server running) with stdin from
# /dev/null and every descriptor above 2 closed, so that the server holds
# none of the caller's pipes open: not the $(...) of `eval "$(...)"` (which
# would then never end), nor a CI runner's.
qr_detached() {
	(
		fds=$(ls "/proc/${BASHPID:-self}/fd" 2>/dev/null || ls /dev/fd 2>/dev/null)
		for fd in $fds; do
			if [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2)); then
				eval "exec $fd>&-" 2>/dev/null
			fi
		done
		"$@"
	) </dev/null
}

# qr_wait_for CHECK URL: retry CHECK for up to QR_WAIT_SECS seconds.
qr_wait_for() {
	local end=$((SECONDS + ${QR_WAIT_SECS:-20}))
	while :; do
		"$1" "$2" && return 0
		((SECONDS < end)) || return 1
		sleep 0.5
	done
}

# Serialise step c between concurrent runs (two `make test` at once) while
# they look at, create or start the throwaway servers. fd 9 is closed in the
# servers (qr_detached) and goes away when this script ends.
QR_LOCKED=
qr_lock() {
	[[ -z $QR_LOCKED ]] || return 0
	QR_LOCKED=1
	qr_have flock || return 0
	exec 9>>"$1/.lock" || return 0
	flock -w 120 9 || qr_log "warning: could not lock $1/.lock within 120 s; going on"
}

qr_services_dir() {
	local base=${TMPDIR:-/tmp}/quietroom-test-services
	if [[ -L $base ]]; then
		qr_log "error: $base is a symlink; refusing to use it"
		return 1
	fi
	mkdir -p "$base" || return 1
	if [[ ! -O $base ]]; then
		qr_log "error: $base belongs to another user; remove it or set TMPDIR"
		return 1
	fi
	# As root the unprivileged postgres user has to get through it.
	[[ $EUID -ne 0 ]] || chmod 755 "$base"
	printf '%s\n' "$base"
}

# --- PostgreSQL --------------------------------------------------------------

QR_PG_BIN=
qr_find_pg_bin() {
	local d p
	# Newest major version first.
	# shellcheck disable=SC2012 # paths without blanks
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5nr); do
		if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
			QR_PG_BIN=$d
			return 0
		fi
	done
	if qr_have initdb && qr_have pg_ctl; then
		p=$(command -v pg_ctl)
		p=$(readlink -f "$p" 2>/dev/null || printf '%s' "$p")
		QR_PG_BIN=${p%/*}
		[[ -x $QR_PG_BIN/initdb ]] || QR_PG_BIN=$(dirname "$(command -v initdb)")
		return 0
	fi
	return 1
}

# The user that owns and runs the throwaway cluster ("" = ourselves).
qr_pg_runas() {
	[[ $EUID -eq 0 ]] || return 0
	if id -u postgres >/dev/null 2>&1; then
		printf 'postgres\n'
	else
		printf 'nobody\n'
	fi
}

# qr_as USER CMD...: run CMD as USER (as ourselves when USER is empty).
qr_as() {
	local user=$1
	shift
	if [[ -z $user ]]; then
		"$@"
	elif qr_have runuser; then
		runuser -u "$user" -- "$@"
	else
		su -s /bin/bash "$user" -c "$(printf '%q ' "$@")"
	fi
}

qr_pg_start_throwaway() {
	local port=${QR_PG_TMP_PORT:-55432} url base pgdir data log user sockdir ver have_ver st
	url="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
	base=$(qr_services_dir) || return 1
	qr_lock "$base"
	pgdir=$base/pg
	data=$pgdir/data
	log=$pgdir/postgres.log
	user=$(qr_pg_runas)

	# Already running from an earlier run? pg_ctl status reads data/postmaster.pid.
	if [[ -f $data/PG_VERSION ]] && qr_find_pg_bin; then
		st=0
		qr_as "$user" "$QR_PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1 3>&- </dev/null || st=$?
		if [[ $st -eq 0 ]]; then
			if qr_pg_check "$url"; then
				qr_log "PostgreSQL: reusing the throwaway server in $data on 127.0.0.1:$port"
				QR_PG_URL=$url
				return 0
			fi
			qr_log "PostgreSQL: the throwaway server in $data runs but does not answer on port $port; restarting it"
			qr_as "$user" "$QR_PG_BIN/pg_ctl" -D "$data" -m fast -w -t 10 stop >>"$log" 2>&1 3>&- </dev/null || true
		fi
	fi

	if qr_tcp_open 127.0.0.1 "$port"; then
		if qr_pg_check "$url"; then
			qr_log "PostgreSQL: something already answers on 127.0.0.1:$port as postgres; using it"
			QR_PG_URL=$url
			return 0
		fi
		qr_log "error: port $port is taken by something that is not a usable PostgreSQL ($QR_WHY)"
		qr_log "       free it, or choose another port with QR_PG_TMP_PORT=..."
		return 1
	fi

	if ! qr_find_pg_bin; then
		QR_PG_MISSING=1
		return 1
	fi
	if [[ $EUID -eq 0 ]] && ! qr_have runuser && ! qr_have su; then
		qr_log "error: running as root, but neither runuser nor su is there to run PostgreSQL as '$user'"
		return 1
	fi

	qr_log "PostgreSQL: starting a throwaway server ($QR_PG_BIN) in $pgdir on 127.0.0.1:$port"
	mkdir -p "$pgdir" && : >>"$log" || return 1
	if [[ -n $user ]]; then
		# pg_ctl -l appends to the log as that user.
		chown "$user" "$pgdir" "$log" || return 1
		if ! qr_as "$user" test -w "$pgdir" </dev/null; then
			qr_log "error: user '$user' cannot write to $pgdir (a parent directory is not open to it?); try TMPDIR=/tmp"
			return 1
		fi
	fi

	# A cluster of another major version, or a half-made one: it is
	# throwaway, so make it anew.
	ver=$("$QR_PG_BIN/postgres" --version 2>/dev/null | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')
	have_ver=$(cat "$data/PG_VERSION" 2>/dev/null || true)
	if [[ -d $data ]] && { [[ -z $have_ver ]] || [[ -n $ver && $have_ver != "$ver" && $have_ver != "$ver".* ]]; }; then
		qr_log "PostgreSQL: discarding the old cluster in $data (version '${have_ver:-none}', binaries $ver)"
		rm -rf "$data"
	fi

	if [[ ! -f $data/PG_VERSION ]]; then
		# Run from inside pgdir: initdb needs a current directory it can read.
		if ! (cd "$pgdir" && qr_as "$user" "$QR_PG_BIN/initdb" -D "$data" -U postgres --auth=trust \
			-E UTF8 --locale=C --no-sync >"$log" 2>&1 3>&- </dev/null); then
			qr_log "error: initdb failed; the end of $log:"
			tail -n 20 "$log" >&2
			return 1
		fi
		printf "\ninclude_if_exists = 'quietroom.conf'\n" >>"$data/postgresql.conf"
	fi

	sockdir=$pgdir
	if ((${#sockdir} > 90)); then
		qr_log "note: $sockdir is too long for a unix socket; TCP only"
		sockdir=
	fi
	{
		printf '# Written by scripts/test-services.sh at every start.\n'
		printf "port = %s\n" "$port"
		printf "listen_addresses = '127.0.0.1'\n"
		printf "unix_socket_directories = '%s'\n" "${sockdir//\'/\'\'}"
		printf 'max_connections = 200\n'
		printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n'
	} >"$data/quietroom.conf" || return 1
	[[ -z $user ]] || chown "$user" "$data/quietroom.conf"

	# shellcheck disable=SC2094 # pg_ctl's own messages go to the server log too
	if ! (cd "$pgdir" && qr_detached qr_as "$user" "$QR_PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t "${QR_WAIT_SECS:-20}" start \
		>>"$log" 2>&1); then
		qr_log "error: pg_ctl start failed; the end of $log:"
		tail -n 20 "$log" >&2
		return 1
	fi
	if ! qr_wait_for qr_pg_check "$url"; then
		qr_log "error: the throwaway PostgreSQL started but does not answer at $url: $QR_WHY"
		tail -n 20 "$log" >&2
		return 1
	fi
	qr_log "PostgreSQL: throwaway server ready; stop it with: scripts/test-services.sh stop"
	QR_PG_URL=$url
}

QR_PG_URL=
QR_PG_MISSING=
qr_resolve_pg() {
	local port=${QR_PG_PORT:-5432} url
	if [[ -n ${TEST_DATABASE_URL:-} ]]; then
		if qr_pg_check "$TEST_DATABASE_URL"; then
			qr_log "PostgreSQL: using TEST_DATABASE_URL from the environment ($(qr_mask "$TEST_DATABASE_URL"))"
			QR_PG_URL=$TEST_DATABASE_URL
			return 0
		fi
		qr_log "error: TEST_DATABASE_URL=$(qr_mask "$TEST_DATABASE_URL") is set, but that PostgreSQL is not usable:"
		printf '%s\n' "$QR_WHY" | sed 's/^/       /' >&2
		qr_log "       fix or unset TEST_DATABASE_URL (unset, a local or throwaway server is used)"
		return 1
	fi

	url="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
	if qr_pg_check "$url"; then
		qr_log "PostgreSQL: using the local server on 127.0.0.1:$port"
		QR_PG_URL=$url
		return 0
	fi
	qr_log "PostgreSQL: nothing usable on 127.0.0.1:$port as user postgres ($(printf '%s' "$QR_WHY" | head -n 1)); trying a throwaway server"

	qr_pg_start_throwaway && return 0
	if [[ -n $QR_PG_MISSING ]]; then
		qr_log "error: no PostgreSQL: TEST_DATABASE_URL is unset, nothing usable answers on 127.0.0.1:$port,"
		qr_log "       and no initdb/pg_ctl was found (in /usr/lib/postgresql/*/bin or on PATH) to start one."
		qr_log "       On Debian/Ubuntu install it with:  apt-get install -y postgresql postgresql-client"
		qr_log "       (or set TEST_DATABASE_URL to a server whose role may CREATE DATABASE)"
	fi
	return 1
}

# --- Redis -------------------------------------------------------------------

# qr_pid_is PIDFILE NAME: the pid in PIDFILE is alive and is a NAME process.
qr_pid_is() {
	local pid comm
	pid=$(cat "$1" 2>/dev/null) || return 1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	comm=$(ps -p "$pid" -o comm= 2>/dev/null || cat "/proc/$pid/comm" 2>/dev/null || true)
	[[ $comm == *"$2"* ]] || return 1
	printf '%s\n' "$pid"
}

qr_redis_start_throwaway() {
	local port=${QR_REDIS_TMP_PORT:-56379} url base rdir
	url="redis://127.0.0.1:$port/0"
	base=$(qr_services_dir) || return 1
	qr_lock "$base"
	rdir=$base/redis

	if qr_pid_is "$rdir/redis.pid" redis-server >/dev/null && qr_redis_check "$url"; then
		qr_log "Redis: reusing the throwaway server on 127.0.0.1:$port (pid $(cat "$rdir/redis.pid"))"
		QR_REDIS_URL=$url
		return 0
	fi
	if qr_tcp_open 127.0.0.1 "$port"; then
		if qr_redis_check "$url"; then
			qr_log "Redis: something already answers on 127.0.0.1:$port; using it"
			QR_REDIS_URL=$url
			return 0
		fi
		qr_log "error: port $port is taken by something that is not a usable Redis ($QR_WHY)"
		qr_log "       free it, or choose another port with QR_REDIS_TMP_PORT=..."
		return 1
	fi
	if ! qr_have redis-server; then
		QR_REDIS_MISSING=1
		return 1
	fi

	qr_log "Redis: starting a throwaway server in $rdir on 127.0.0.1:$port"
	mkdir -p "$rdir" || return 1
	rm -f "$rdir/redis.pid"
	# shellcheck disable=SC2094 # start-up messages go to the server log too
	if ! qr_detached redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
		--dir "$rdir" --pidfile "$rdir/redis.pid" --logfile "$rdir/redis.log" \
		>>"$rdir/redis.log" 2>&1; then
		qr_log "error: redis-server failed to start; the end of $rdir/redis.log:"
		tail -n 20 "$rdir/redis.log" >&2
		return 1
	fi
	if ! qr_wait_for qr_redis_check "$url"; then
		qr_log "error: the throwaway Redis does not answer at $url: $QR_WHY"
		tail -n 20 "$rdir/redis.log" >&2
		return 1
	fi
	qr_log "Redis: throwaway server ready; stop it with: scripts/test-services.sh stop"
	QR_REDIS_URL=$url
}

QR_REDIS_URL=
QR_REDIS_MISSING=
qr_resolve_redis() {
	local port=${QR_REDIS_PORT:-6379} url
	if [[ -n ${TEST_REDIS_URL:-} ]]; then
		if qr_redis_check "$TEST_REDIS_URL"; then
			qr_log "Redis: using TEST_REDIS_URL from the environment ($(qr_mask "$TEST_REDIS_URL"))"
			QR_REDIS_URL=$TEST_REDIS_URL
			return 0
		fi
		qr_log "error: TEST_REDIS_URL=$(qr_mask "$TEST_REDIS_URL") is set, but that Redis does not answer:"
		printf '%s\n' "$QR_WHY" | sed 's/^/       /' >&2
		qr_log "       fix or unset TEST_REDIS_URL (unset, a local or throwaway server is used)"
		return 1
	fi

	url="redis://127.0.0.1:$port/0"
	if qr_redis_check "$url"; then
		qr_log "Redis: using the local server on 127.0.0.1:$port"
		QR_REDIS_URL=$url
		return 0
	fi
	qr_log "Redis: nothing usable on 127.0.0.1:$port ($(printf '%s' "$QR_WHY" | head -n 1)); trying a throwaway server"

	qr_redis_start_throwaway && return 0
	if [[ -n $QR_REDIS_MISSING ]]; then
		qr_log "error: no Redis: TEST_REDIS_URL is unset, nothing answers on 127.0.0.1:$port,"
		qr_log "       and redis-server is not installed to start one."
		qr_log "       On Debian/Ubuntu install it with:  apt-get install -y redis-server redis-tools"
		qr_log "       (or set TEST_REDIS_URL)"
	fi
	return 1
}

# --- stop --------------------------------------------------------------------

qr_stop() {
	local base=${TMPDIR:-/tmp}/quietroom-test-services user pid i rc=0
	user=$(qr_pg_runas)
	if [[ -f $base/pg/data/PG_VERSION ]] && qr_find_pg_bin &&
		qr_as "$user" "$QR_PG_BIN/pg_ctl" -D "$base/pg/data" status >/dev/null 2>&1 </dev/null; then
		if (cd "$base/pg" && qr_as "$user" "$QR_PG_BIN/pg_ctl" -D "$base/pg/data" -m fast -w stop >&2 </dev/null); then
			qr_log "PostgreSQL: throwaway server stopped"
		else
			rc=1
		fi
	else
		qr_log "PostgreSQL: no throwaway server running"
	fi
	if pid=$(qr_pid_is "$base/redis/redis.pid" redis-server); then
		kill "$pid"
		for ((i = 0; i < 40; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.25
		done
		if kill -0 "$pid" 2>/dev/null; then
			qr_log "error: Redis (pid $pid) did not stop"
			rc=1
		else
			rm -f "$base/redis/redis.pid"
			qr_log "Redis: throwaway server (pid $pid) stopped"
		fi
	else
		qr_log "Redis: no throwaway server running"
	fi
	return "$rc"
}

# --- main --------------------------------------------------------------------

qr_main() {
	# Keep the caller's stdout (fd 3) for the export lines alone; everything
	# else, including the output of every command run below, goes to stderr.
	exec 3>&1 1>&2
	case ${1:-} in
	'') ;;
	stop)
		qr_stop
		return
		;;
	-h | --help)
		sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
		return 0
		;;
	*)
		qr_log "error: unknown argument '$1' (usage: ${BASH_SOURCE[0]} [stop])"
		printf 'false\n' >&3
		return 2
		;;
	esac

	local ok=1
	qr_resolve_pg || ok=
	qr_resolve_redis || ok=
	if [[ -z $ok ]]; then
		qr_log "FAILED: the test services are not available (see above)"
		printf 'false\n' >&3
		return 1
	fi
	printf 'export TEST_DATABASE_URL=%s\n' "$(qr_quote "$QR_PG_URL")" >&3
	printf 'export TEST_REDIS_URL=%s\n' "$(qr_quote "$QR_REDIS_URL")" >&3
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -uo pipefail
	qr_main "$@"
	exit
fi

# Sourced: resolve in a subshell (its options and fds stay there), then
# export into the current shell, and leave none of this script's names behind.
# Arguments are ignored here: a bare `. file` sees the caller's own "$@".
__qr_rc=0
__qr_exports=$(set -uo pipefail; qr_main) || __qr_rc=$?
[[ $__qr_rc -ne 0 ]] || eval "$__qr_exports"
# shellcheck disable=SC2046 # the names are plain identifiers
unset -f $(declare -F | sed -n 's/^declare -f \(qr_[a-z_]*\)$/\1/p')
unset QR_PG_BIN QR_PG_URL QR_PG_MISSING QR_REDIS_URL QR_REDIS_MISSING QR_WHY QR_LOCKED __qr_exports
eval "unset __qr_rc; return $__qr_rc"
