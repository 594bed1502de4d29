#!/bin/sh
# amicus serve as an operator meets it: the API, hostile requests, kill -9
# in the middle of a run (twenty times), SIGTERM, SIGHUP with a broken and
# then a good configuration, and the bearer token.
set -u
. "$(dirname "$0")/lib.sh"

start_fake --latency-ms 150 --chunk-delay-ms 4
url="http://127.0.0.1:$fake_port"
write_config() {
	cat >"$work/amicus.yaml" <<EOF
database: amicus.db
questions: $srcdir/questions
rubrics: $srcdir/rubrics
backends:
  - name: fake
    kind: ollama
    url: $url
    concurrency: 3
    retries: 1
    models: [$1]
EOF
}
write_config "correct, halluc, correct+keepalive"
cd "$work" || exit 1

# http METHOD PATH [BODY] [CURL ARGS...]: the status code; the body in $work/body.
http() {
	m=$1 p=$2
	shift 2
	b=
	if [ $# -gt 0 ]; then b=$1; shift; fi
	if [ -n "$b" ]; then
		curl -s -o "$work/body" -w '%{http_code}' -X "$m" -H 'Content-Type: application/json' \
			--data-binary "$b" "$@" "http://127.0.0.1:$serve_port$p"
	else
		curl -s -o "$work/body" -w '%{http_code}' -X "$m" "$@" "http://127.0.0.1:$serve_port$p"
	fi
}
json() { python3 -c "import json,sys; d=json.load(open('$work/body')); print($1)"; }
# Waits up to $2 seconds for run $1 to be done; restarts nothing.
wait_run() {
	n=0
	while [ "$(sql "SELECT status FROM runs WHERE id=$1")" != done ] && [ "$n" -lt $(($2 * 10)) ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ "$(sql "SELECT status FROM runs WHERE id=$1")" = done ]
}

start_serve

# --- the API ------------------------------------------------------------------
check "GET /api/health: ok, with the bank and the backend" \
	"[ \$(http GET /api/health) = 200 ] && [ \"\$(json \"d['status'], d['questions'], d['backends'][0]['name']\")\" = 'ok 85 fake' ]"
check "GET /api/runs on an empty database: an empty list" \
	"[ \$(http GET /api/runs) = 200 ] && [ \"\$(json \"len(d['runs'])\")\" = 0 ]"
check "GET /api/runs/999: 404 with a JSON error" \
	"[ \$(http GET /api/runs/999) = 404 ] && json \"d['error']\" | grep -q 'no run 999'"
check "GET /api/runs/abc: 400" "[ \$(http GET /api/runs/abc) = 400 ]"
check "GET /api/nothing: 404" "[ \$(http GET /api/nothing) = 404 ]"
check "DELETE /api/runs: 405" "[ \$(http DELETE /api/runs) = 405 ]"
check "POST /api/runs with a body that is not JSON: 400 saying where" \
	"[ \$(http POST /api/runs '{\"suite\": ') = 400 ] && json \"d['error']\" | grep -q 'not JSON.*line'"
check "POST /api/runs with samples out of range: 400" \
	"[ \$(http POST /api/runs '{\"samples\": 0}') = 400 ]"
check "POST /api/runs with a model no backend has: 422 naming it" \
	"[ \$(http POST /api/runs '{\"models\": [\"gpt-nothing\"]}') = 422 ] && json \"d['error']\" | grep -q 'gpt-nothing'"
check "POST /api/runs with an unknown suite: 422" \
	"[ \$(http POST /api/runs '{\"suite\": \"area:astrology\"}') = 422 ]"

# --- hostile requests ---------------------------------------------------------
long=$(python3 -c "print('a' * 9000)")
check "a 9 KB request target: 414" "[ \$(http GET /$long) = 414 ]"
check "40 KB of headers: 431" \
	"[ \$(http GET /api/health '' -H \"X-Big: \$(python3 -c \"print('b' * 40000)\")\") = 431 ]"
python3 -c "print('{\"suite\": \"' + 'c' * 1100000 + '\"}')" >big.json
check "a 1.1 MB body: 413" \
	"[ \$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @big.json http://127.0.0.1:$serve_port/api/runs) = 413 ]"
cat >raw.py <<'EOF'
import socket, sys
port = int(sys.argv[1])
def send(data):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(data)
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except socket.timeout:
        out += b"<timeout>"
    s.close()
    return out.split(b"\r\n", 1)[0].decode("latin-1")
print(send(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n"))
print(send(b"GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"))
print(send(b"GET /api/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n"))
print(send(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\nGET /api/runs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
EOF
python3 raw.py "$serve_port" >raw.out 2>&1
check "TLS bytes on the plain port: 400 and the connection closed" "sed -n 1p raw.out | grep -q '^HTTP/1.1 400'"
check "a negative Content-Length: 400" "sed -n 2p raw.out | grep -q '^HTTP/1.1 400'"
check "Content-Length with Transfer-Encoding (smuggling): 400" "sed -n 3p raw.out | grep -q '^HTTP/1.1 400'"
check "two pipelined requests: both answered" "sed -n 4p raw.out | grep -q '^HTTP/1.1 200'"
check "still healthy after all that" "[ \$(http GET /api/health) = 200 ]"

# --- kill -9 in the middle of a run, twenty times -----------------------------
check "POST /api/runs: 202 with the run id" \
	"[ \$(http POST /api/runs '{\"suite\": \"area:copyright\"}') = 202 ]"
run=$(json "d['run_id']")
total=$(sql "SELECT count(*) FROM jobs WHERE run_id=$run")
turns=$(sql "SELECT count(*) FROM jobs WHERE run_id=$run AND question IN ('cn-copyright-term-zh','cn-copyright-term-en')")
kills=0
while [ $kills -lt 20 ]; do
	sleep "0.$(($(od -An -N1 -tu1 /dev/urandom) % 5 + 2))"
	kill -9 "$serve_pid"
	wait "$serve_pid" 2>/dev/null
	kills=$((kills + 1))
	start_serve
done
done_before=$(sql "SELECT count(*) FROM jobs WHERE run_id=$run AND state='done'")
echo "     $done_before of $total jobs were done after $kills kills"
check "the run finishes after $kills kills and restarts" "wait_run $run 120"
check "every job done: none lost, none failed" \
	"[ \$(sql \"SELECT count(*) FROM jobs WHERE run_id=$run AND state='done'\") -eq $total ]"
check "one answer per turn: $total jobs, $turns of them two-turn" \
	"[ \$(sql \"SELECT count(*) FROM answers WHERE run_id=$run\") -eq \$(($total + $turns)) ]"
check "no job has an answer twice" \
	"[ -z \"\$(sql \"SELECT job_id FROM answers WHERE run_id=$run GROUP BY job_id, turn HAVING count(*) > 1\")\" ]"
check "every answer has its verdicts" \
	"[ \$(sql \"SELECT count(*) FROM answers a WHERE a.run_id=$run AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.answer_id=a.id)\") -eq 0 ]"
check "the aggregates count every job once (a conversation is one answer)" \
	"[ \$(sql \"SELECT sum(answers) FROM aggregates WHERE run_id=$run AND area='*'\") -eq $total ]"
check "the database is intact" "[ \"\$(sql 'PRAGMA integrity_check')\" = ok ]"
# Killed after the last job was stored but before the run was marked done.
kill -9 "$serve_pid"
wait "$serve_pid" 2>/dev/null
sql "UPDATE runs SET status='running', finished_at=NULL WHERE id=$run; DELETE FROM aggregates WHERE run_id=$run"
start_serve
check "a run whose jobs were all stored is finished at the next start" \
	"wait_run $run 10 && [ \$(sql \"SELECT count(*) FROM aggregates WHERE run_id=$run\") -gt 0 ]"
sent=$(curl -fsS "$url/fake/stats" | python3 -c "import json,sys; print(sum(json.load(sys.stdin)['requests'].values()))")
echo "     the backend was asked $sent times for $(($total + $turns)) answers"
check "the halluc model's answers are stored as hallucinated" \
	"[ \$(sql \"SELECT count(*) FROM answers WHERE run_id=$run AND model='halluc' AND turn=1 AND hallucinated=0\") -eq 0 ]"
check "GET /api/runs/$run: done, with its counts" \
	"[ \$(http GET /api/runs/$run) = 200 ] && [ \"\$(json \"d['status'], d['jobs']['done']\")\" = \"done $total\" ]"
check "/metrics: jobs by state and backend latency" \
	"[ \$(http GET /metrics) = 200 ] && grep -q \"^amicus_jobs{state=\\\"done\\\"} $total\" body && grep -q '^amicus_backend_latency_seconds_bucket' body"

# --- SIGTERM: in-flight jobs go back to pending, exit 0 -----------------------
http POST /api/runs '{"suite": "area:contract"}' >/dev/null
run2=$(json "d['run_id']")
n=0
while [ "$(sql "SELECT count(*) FROM jobs WHERE run_id=$run2 AND state='done'")" -lt 2 ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
kill -TERM "$serve_pid"
n=0
while kill -0 "$serve_pid" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
wait "$serve_pid"
status=$?
serve_pid=
check "SIGTERM stops amicus serve within 10 s, with status 0" "[ $n -lt 100 ] && [ $status -eq 0 ]"
check "after SIGTERM no job is left in flight" \
	"[ \$(sql \"SELECT count(*) FROM jobs WHERE state='inflight'\") -eq 0 ]"
check "the interrupted run is not finished yet" \
	"[ \$(sql \"SELECT count(*) FROM jobs WHERE run_id=$run2 AND state='pending'\") -gt 0 ]"
start_serve
check "a restart finishes the interrupted run" "wait_run $run2 60"

# --- SIGHUP -------------------------------------------------------------------
cp amicus.yaml good.yaml
printf 'database: amicus.db\nbackends:\n  - name: fake\n    kind: olama\n' >amicus.yaml
kill -HUP "$serve_pid"
sleep 0.5
check "SIGHUP with a broken amicus.yaml: the problem reported with its place" \
	"grep -q 'amicus.yaml:4:11: error: kind must be' serve.log && grep -q 'keeping the running configuration' serve.log"
check "... and the running configuration kept" \
	"[ \$(http GET /api/health) = 200 ] && [ \"\$(json \"d['backends'][0]['models']\")\" = \"['correct', 'halluc', 'correct+keepalive']\" ]"
cp good.yaml amicus.yaml
write_config "correct, looper"
kill -HUP "$serve_pid"
sleep 0.5
check "SIGHUP with a good amicus.yaml: the new models are used" \
	"[ \$(http GET /api/health) = 200 ] && [ \"\$(json \"d['backends'][0]['models']\")\" = \"['correct', 'looper']\" ]"

# --- the bearer token ---------------------------------------------------------
kill -TERM "$serve_pid"
wait "$serve_pid"
AMICUS_TOKEN=s3cret
export AMICUS_TOKEN
start_serve
check "with AMICUS_TOKEN set, /api/health needs no token" "[ \$(http GET /api/health) = 200 ]"
check "... and everything else does: 401" "[ \$(http GET /api/runs) = 401 ]"
check "... a wrong token: 401" "[ \$(http GET /api/runs '' -H 'Authorization: Bearer s3creT') = 401 ]"
check "... the right one: 200" "[ \$(http GET /api/runs '' -H 'Authorization: Bearer s3cret') = 200 ]"
unset AMICUS_TOKEN

finish "serve"
