#!/bin/sh
# amicus under valgrind memcheck: a run against the fake backend (a
# protocol of each kind, a flaky and a broken model), then amicus serve
# answering the dashboard's API and a stream and stopping on SIGTERM.  Any
# invalid read or write, use of an uninitialised value, or leak fails.
set -u
. "$(dirname "$0")/lib.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	echo "SKIP: no valgrind"
	exit 77
fi
if [ "${AMICUS_SANITIZED:-no}" = yes ]; then
	echo "SKIP: amicus is built with AddressSanitizer, which valgrind cannot run"
	exit 77
fi
VG="valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes --num-callers=30"

start_fake
url="http://127.0.0.1:$fake_port"
cat >"$work/amicus.yaml" <<EOF
database: amicus.db
questions: $srcdir/questions
rubrics: $srcdir/rubrics
web: $srcdir/web
backends:
  - {name: ol, kind: ollama, url: $url, concurrency: 4, retries: 1, models: [correct, halluc, flaky+fail503, trunc]}
  - {name: oa, kind: openai, url: $url/v1, concurrency: 2, retries: 1, models: [correct+crlf+split]}
  - {name: an, kind: anthropic, url: $url, concurrency: 2, retries: 1, models: [correct+reasoning]}
judge: {backend: ol, model: judge+fence}
EOF
cd "$work" || exit 1
$VG "$AMICUS" run -c amicus.yaml --suite cn-copyright-term-zh,us-copyright-fair-use-en -q >run.out 2>run.err
status=$?
check "amicus run under memcheck: no error, no leak (status $status)" \
	"[ $status -eq 0 ] || { grep -v '^20[0-9-]*T' run.err | head -40; false; }"
run=$(sql "SELECT max(id) FROM runs")
check "... and the run completed" "[ \"\$(sql \"SELECT status FROM runs WHERE id=$run\")\" = done ]"

rm -f serve.port
AMICUS_PORT_FILE="$work/serve.port" $VG "$AMICUS" serve -c amicus.yaml --listen 127.0.0.1:0 >serve.log 2>&1 &
serve_pid=$!
wait_file serve.port 600 || { echo "amicus serve did not start under valgrind"; cat serve.log; exit 1; }
base="http://127.0.0.1:$(cat serve.port)"
for p in /api/health /api/leaderboard "/api/answers?per_page=5" /api/questions/cn-copyright-term-zh \
	"/api/compare?a=correct&b=halluc" "/api/trends?metric=mean_score" /api/reviews /api/models \
	/metrics / /nothing "/api/report?format=md" "/api/report?format=csv" "/api/runs/$run/events"; do
	curl -s -o /dev/null --max-time 60 "$base$p"
done
aid=$(sql "SELECT id FROM answers WHERE run_id=$run LIMIT 1")
item=$(sql "SELECT item FROM verdicts WHERE answer_id=$aid LIMIT 1")
kind=$(sql "SELECT kind FROM verdicts WHERE answer_id=$aid LIMIT 1")
curl -s -o /dev/null --max-time 60 -X POST --data-binary \
	"{\"answer_id\": $aid, \"kind\": \"$kind\", \"item\": \"$item\", \"hit\": true, \"reason\": \"r\", \"reviewer\": \"v\"}" \
	"$base/api/reviews"
printf 'GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n' | curl -s -o /dev/null --max-time 10 telnet://127.0.0.1:"$(cat serve.port)" 2>/dev/null
kill -TERM "$serve_pid"
wait "$serve_pid"
status=$?
serve_pid=
check "amicus serve under memcheck: requests, a review, SIGTERM: no error, no leak (status $status)" \
	"[ $status -eq 0 ] || { grep -v '^20[0-9-]*T' serve.log | head -40; false; }"

finish "valgrind"
