#!/bin/sh
# What a night of broken backends and a failing disk does to amicus serve:
# every fault ends as a job retried and completed or as an error with a
# clear message, the daemon keeps answering, its memory stays bounded; a
# full disk is reported and corrupts nothing; a database locked by another
# process is waited for.
set -u
. "$(dirname "$0")/lib.sh"

start_fake
url="http://127.0.0.1:$fake_port"
# A port nobody listens on: connection refused.
closed_port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()")
cat >"$work/amicus.yaml" <<EOF
database: amicus.db
questions: $srcdir/questions
rubrics: $srcdir/rubrics
backends:
  - name: bad
    kind: ollama
    url: $url
    concurrency: 6
    retries: 1
    timeout_s: 4
    pause_s: 0
    models: [correct+split, trunc, midfail, badjson, badutf8, huge, hugethink, hang, auth,
             notfound, quota, flaky+fail500, flaky+fail429, flaky+fail503, length]
  - name: bad-oa
    kind: openai
    url: $url/v1
    concurrency: 4
    retries: 1
    timeout_s: 4
    pause_s: 0
    models: [midfail+oa, trunc+oa, flaky+oa+fail429]
  - name: bad-an
    kind: anthropic
    url: $url
    concurrency: 4
    retries: 1
    timeout_s: 4
    pause_s: 0
    models: [flaky+an+fail529, midfail+an, hugethink+an]
  - name: gone
    kind: openai
    url: http://127.0.0.1:$closed_port/v1
    concurrency: 2
    retries: 1
    pause_s: 0
    models: [nobody]
EOF
cd "$work" || exit 1
start_serve
base="http://127.0.0.1:$serve_port"
curl -s -X POST -d '{"suite": "cn-copyright-term-zh,us-copyright-fair-use-en"}' "$base/api/runs" >post.json
run=$(python3 -c "import json; print(json.load(open('post.json'))['run_id'])")
n=0
while [ "$(sql "SELECT status FROM runs WHERE id=$run")" = running ] && [ $n -lt 900 ]; do
	sleep 0.2
	n=$((n + 1))
done
check "a run over every fault finishes" "[ \"\$(sql \"SELECT status FROM runs WHERE id=$run\")\" = done ]"
check "the daemon answers throughout" "[ \$(curl -s -o /dev/null -w '%{http_code}' $base/api/health) = 200 ]"

# state and message of each model's jobs
jobs() { sql "SELECT group_concat(DISTINCT state) FROM jobs WHERE run_id=$run AND model='$1'"; }
msg() { sql "SELECT error FROM jobs WHERE run_id=$run AND model='$1' AND error IS NOT NULL LIMIT 1"; }
expect_done() {
	check "$1: $2" "[ \"\$(jobs '$1')\" = done ] || { echo \"  \$(jobs '$1'): \$(msg '$1')\"; false; }"
}
expect_error() { # model, what, pattern the message must match
	check "$1: $2" "[ \"\$(jobs '$1')\" = error ] && msg '$1' | grep -Eqi '$3' || { echo \"  \$(jobs '$1'): \$(msg '$1')\"; false; }"
}
expect_done correct+split "a stream sent one to three bytes at a time is read whole"
expect_done flaky+fail500 "an HTML 500 page, then success: retried and completed"
expect_done flaky+fail429 "429 with Retry-After: retried and completed"
expect_done flaky+fail503 "503 with retry-after-ms: retried and completed"
expect_done flaky+oa+fail429 "OpenAI 429: retried and completed"
expect_done flaky+an+fail529 "Anthropic 529 overloaded: retried and completed"
expect_error badutf8 "invalid UTF-8 in the stream" "malformed.*(decode|utf-8)"
expect_done hugethink+an "10 MB of reasoning: stored within the cap"
expect_done length "a model stopped at its token limit: an answer, marked truncated"
expect_error trunc "a stream that stops without its end" "truncat|without a finish|partial|closed"
expect_error trunc+oa "an OpenAI stream that stops without its end" "truncat|without a finish|partial|closed"
expect_error midfail "an error inside an Ollama stream" "unexpectedly stopped"
expect_error midfail+oa "an error inside an OpenAI stream" "error|upstream"
expect_error midfail+an "an error event inside an Anthropic stream" "overloaded"
expect_error badjson "malformed JSON in the stream" "json|malformed|parse"
expect_error huge "a 100 MB answer" "size cap"
expect_error hang "a server that accepts and never answers" "timeout|timed out"
expect_error auth "401" "401"
expect_error notfound "404: the model does not exist" "404|not found"
expect_error quota "insufficient quota" "quota"
expect_error nobody "connection refused" "connect|refused"
check "no answer for a job in error, no zero score stored for one" \
	"[ \$(sql \"SELECT count(*) FROM answers a JOIN jobs j ON j.id = a.job_id WHERE j.run_id=$run AND j.state='error'\") -eq 0 ]"
check "length's answers are marked truncated or abstained, never passed in full" \
	"[ \$(sql \"SELECT count(*) FROM answers WHERE run_id=$run AND model='length' AND truncated=0 AND abstained=0 AND coverage=1\") -eq 0 ]"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$serve_pid/status")
if [ "${AMICUS_SANITIZED:-no}" = yes ]; then
	echo "     peak memory ${rss} kB under AddressSanitizer (not checked: its shadow memory)"
else
	check "peak memory after a 100 MB answer and 10 MB reasoning: ${rss} kB (under 256 MB)" \
		"[ $rss -lt 262144 ]"
fi
check "/metrics counts the backend errors and retries" \
	"curl -s $base/metrics | grep -Eq '^amicus_backend_errors_total\\{backend=\"bad\"\\} [1-9]' && curl -s $base/metrics | grep -Eq '^amicus_backend_retries_total\\{backend=\"bad\"\\} [1-9]'"
kill -TERM "$serve_pid"
wait "$serve_pid"
serve_pid=

# --- a database locked by another process -------------------------------------------
cat >amicus.yaml <<EOF
database: amicus.db
questions: $srcdir/questions
rubrics: $srcdir/rubrics
backends:
  - {name: fake, kind: ollama, url: $url, concurrency: 4, models: [correct]}
EOF
python3 - "$work/amicus.db" >lock.log 2>&1 <<'EOF' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(3)
db.execute("COMMIT")
print("released", flush=True)
EOF
locker=$!
wait_file lock.log 50
"$AMICUS" run -c amicus.yaml --suite area:patent -q >locked.out 2>&1
status=$?
wait "$locker"
run2=$(sql "SELECT max(id) FROM runs")
check "a run while another process holds the database for 3 s waits, then completes" \
	"[ $status -eq 0 ] && [ \"\$(sql \"SELECT status FROM runs WHERE id=$run2\")\" = done ] || cat locked.out"

# --- a full disk ----------------------------------------------------------------------
# Room for the run and some of its answers, not for all: ulimit -f caps
# every file amicus writes (the database and its write-ahead log).
sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
size=$(($(stat -c %s amicus.db) / 512 + 1400))
(ulimit -f "$size" && exec "$AMICUS" run -c amicus.yaml --suite all -q) >full.out 2>&1
status=$?
full_run=$(sql "SELECT max(id) FROM runs")
done_jobs=$(sql "SELECT count(*) FROM jobs WHERE run_id=$full_run AND state='done'")
check "the disk fills mid-run ($done_jobs of 85 jobs stored): amicus run fails (status $status) and says why" \
	"[ $status -ne 0 ] && [ $done_jobs -gt 0 ] && [ $done_jobs -lt 85 ] && grep -Eqi 'full|disk|I/O error' full.out || { tail -5 full.out; false; }"
check "... and the database is intact" "[ \"\$(sql 'PRAGMA integrity_check')\" = ok ]"
check "... no job was stored half: every done job has its answers" \
	"[ \$(sql \"SELECT count(*) FROM jobs j WHERE state='done' AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.job_id=j.id)\") -eq 0 ]"
# With room again, the daemon takes the run over (as if it had started it).
sql "UPDATE runs SET executor='serve', status='running' WHERE id=$full_run"
start_serve
n=0
while [ "$(sql "SELECT status FROM runs WHERE id=$full_run")" = running ] && [ $n -lt 600 ]; do
	sleep 0.2
	n=$((n + 1))
done
check "... finishes the interrupted run: every job done once, nothing lost" \
	"[ \"\$(sql \"SELECT status FROM runs WHERE id=$full_run\")\" = done ] && [ \$(sql \"SELECT count(*) FROM jobs WHERE run_id=$full_run AND state<>'done'\") -eq 0 ] && [ -z \"\$(sql \"SELECT job_id FROM answers WHERE run_id=$full_run GROUP BY job_id, turn HAVING count(*) > 1\")\" ]"

finish "faults"
