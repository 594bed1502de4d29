# Shared by the integration tests: a private directory, the fake backend and
# amicus serve on free loopback ports, and cleanup that always runs.
: "${AMICUS:?set AMICUS to the amicus binary}"
: "${srcdir:=.}"
srcdir=$(cd "$srcdir" && pwd)
fails=0
work=$(mktemp -d /tmp/amicus-it-XXXXXX)
fake_pid=
serve_pid=

cleanup() {
	[ -n "$serve_pid" ] && kill -9 "$serve_pid" 2>/dev/null
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null
	wait 2>/dev/null
	# KEEP=1 keeps the files to look at; the servers are stopped either way.
	if [ -n "${KEEP:-}" ]; then
		echo "kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT INT TERM

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok   $*"; }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

# Waits until a file exists and is not empty (up to $2 tenths of a second).
wait_file() {
	n=0
	while [ ! -s "$1" ] && [ "$n" -lt "${2:-100}" ]; do sleep 0.1; n=$((n + 1)); done
	[ -s "$1" ]
}

# Starts the fake backend; sets fake_port.
start_fake() {
	python3 "$srcdir/tests/fake/fake_backend.py" --port 0 --port-file "$work/fake.port" \
		--questions "$srcdir/questions" "$@" >"$work/fake.log" 2>&1 &
	fake_pid=$!
	wait_file "$work/fake.port" 100 || { echo "the fake backend did not start"; cat "$work/fake.log"; exit 1; }
	fake_port=$(cat "$work/fake.port")
}

# Starts amicus serve with $work/amicus.yaml; sets serve_port.
start_serve() {
	rm -f "$work/serve.port"
	AMICUS_PORT_FILE="$work/serve.port" "$AMICUS" serve -c "$work/amicus.yaml" \
		--listen 127.0.0.1:0 >>"$work/serve.log" 2>&1 &
	serve_pid=$!
	wait_file "$work/serve.port" 100 || { echo "amicus serve did not start"; cat "$work/serve.log"; exit 1; }
	serve_port=$(cat "$work/serve.port")
}

sql() { sqlite3 -batch -noheader "$work/amicus.db" "$1"; }

finish() {
	[ "$fails" -eq 0 ] && echo "all $1 tests pass" || echo "$fails $1 tests failed"
	[ "$fails" -eq 0 ]
}
