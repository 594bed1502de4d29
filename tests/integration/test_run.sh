#!/bin/sh
# amicus run against the fake backend, over the three protocols and their
# stream variants: every answer complete and stored, stored verdicts equal to
# what amicus score says of the same text, flaky backends retried, broken
# ones recorded as errors with a message, never as a zero score.
set -u
. "$(dirname "$0")/lib.sh"

start_fake
url="http://127.0.0.1:$fake_port"
cat >"$work/amicus.yaml" <<EOF
database: amicus.db
questions: $srcdir/questions
rubrics: $srcdir/rubrics
backends:
  - name: ol
    kind: ollama
    url: $url
    concurrency: 6
    retries: 2
    timeout_s: 30
    models:
      - name: correct
      - name: halluc
      - name: looper
        options: {think: true, temperature: 0.6}
      - name: flaky
      - name: correct+split+keepalive
      - name: moody
  - name: oa
    kind: openai
    url: $url/v1
    concurrency: 6
    retries: 2
    timeout_s: 30
    models: [correct+crlf, correct+cr+nospace, correct+keepalive+split, correct+nodone,
             correct+nousage, correct+usagefinish, correct+inline, correct+closeonly,
             correct+reasoning, correct+both, flaky+fail429, flaky+fail503]
  - name: an
    kind: anthropic
    url: $url
    concurrency: 6
    retries: 2
    timeout_s: 30
    models:
      - name: correct+crlf+split
        options: {think: true, max_tokens: 4096}
      - name: flaky+fail529
  - name: broken
    kind: ollama
    url: $url
    concurrency: 8
    retries: 1
    timeout_s: 10
    pause_s: 0
    models: [trunc, midfail, badjson, quota, auth, notfound, huge]
  - name: broken-oa
    kind: openai
    url: $url/v1
    concurrency: 4
    retries: 1
    timeout_s: 10
    pause_s: 0
    models: [quota+x, midfail+y, trunc+z]
  - name: refused
    kind: ollama
    url: $url
    concurrency: 2
    retries: 2
    models: [auth+r, notfound+r, quota+r, auth+s, notfound+s, correct+r]
EOF
suite="cn-copyright-term-zh,probe-decimal-identity-zh,us-copyright-fair-use-en,cn-contract-limitation-zh"
cd "$work" || exit 1
"$AMICUS" lint -q -c amicus.yaml >lint.out 2>&1
status=$?
check "the test configuration lints" "[ $status -eq 0 ] || cat lint.out"

"$AMICUS" run -c amicus.yaml --suite "$suite" --json -q >run.json 2>run.err
status=$?
check "amicus run exits 0" "[ $status -eq 0 ] || { cat run.err; false; }"
run=$(sql "SELECT max(id) FROM runs")
check "the run is recorded as done" "[ \"\$(sql \"SELECT status FROM runs WHERE id=$run\")\" = done ]"
check "--json has the run id and one object per model" \
	"grep -q '\"run_id\": $run' run.json && [ \$(grep -c '\"model\":' run.json) -ge 20 ]"

# Every answer of the good models is complete: the reference, as sent.
good="correct correct+split+keepalive correct+crlf correct+cr+nospace correct+keepalive+split \
correct+nodone correct+nousage correct+usagefinish correct+inline correct+closeonly \
correct+reasoning correct+both correct+crlf+split halluc looper flaky flaky+fail429 flaky+fail503 \
flaky+fail529"
for m in $good; do
	st=$(sql "SELECT group_concat(state) FROM (SELECT DISTINCT state FROM jobs WHERE run_id=$run AND model='$m')")
	check "$m: every job done" "[ \"$st\" = done ] || { echo \"  states: $st\"; sql \"SELECT error FROM jobs WHERE run_id=$run AND model='$m' AND state='error' LIMIT 2\"; false; }"
done
for m in correct correct+crlf correct+cr+nospace correct+keepalive+split correct+nodone \
	correct+nousage correct+usagefinish correct+inline correct+closeonly correct+reasoning \
	correct+both correct+crlf+split correct+split+keepalive; do
	bad=$(sql "SELECT count(*) FROM answers WHERE run_id=$run AND model='$m' AND passed=0")
	check "$m: the reference answers pass ($bad failed)" "[ $bad -eq 0 ]"
done
check "inline and closing-only <think>: reasoning split off, not in the answer" \
	"[ \$(sql \"SELECT count(*) FROM answers WHERE run_id=$run AND model IN ('correct+inline','correct+closeonly') AND (reasoning='' OR content LIKE '%think>%')\") -eq 0 ]"
check "reasoning from reasoning_content, message.thinking and thinking_delta is kept" \
	"[ \$(sql \"SELECT count(DISTINCT model) FROM answers WHERE run_id=$run AND reasoning<>'' AND model IN ('correct+crlf','looper','correct+crlf+split')\") -eq 3 ]"
check "usage tokens are taken from the stream when sent" \
	"[ \$(sql \"SELECT count(*) FROM answers WHERE run_id=$run AND model='correct+crlf' AND tokens_estimated=0\") -gt 0 ]"
check "halluc: every answer hallucinated" \
	"[ \$(sql \"SELECT count(*) FROM answers WHERE run_id=$run AND model='halluc' AND turn=1 AND hallucinated=0\") -eq 0 ]"
check "looper: reasoning loops are flagged" \
	"[ \$(sql \"SELECT count(*) FROM answers WHERE run_id=$run AND model='looper' AND loop=1\") -gt 0 ]"
check "looper: English mixed into Chinese is flagged" \
	"[ \$(sql \"SELECT count(*) FROM answers WHERE run_id=$run AND model='looper' AND mix=1\") -gt 0 ]"

# Flaky: retried and completed; the fake saw two requests per turn.
stats=$(curl -fsS "$url/fake/stats")
for m in flaky flaky+fail429 flaky+fail503 flaky+fail529; do
	turns=$(sql "SELECT count(*) FROM answers WHERE run_id=$run AND model='$m'")
	sent=$(echo "$stats" | python3 -c "import json,sys; d=json.load(sys.stdin)['requests']; print(sum(v for k,v in d.items() if k.split('/',1)[1]=='$m'))")
	check "$m: each of $turns turns retried once ($sent requests)" "[ \"$sent\" -eq \$((2 * turns)) ]"
done

# Broken: errors with a message, no answer, no zero score.
for m in trunc midfail badjson quota auth notfound huge quota+x midfail+y trunc+z; do
	e=$(sql "SELECT count(*) FROM jobs WHERE run_id=$run AND model='$m' AND state='error' AND length(error)>10")
	a=$(sql "SELECT count(*) FROM answers WHERE run_id=$run AND model='$m'")
	check "$m: every job an error with a message, no answer" "[ $e -eq 4 ] && [ $a -eq 0 ]"
done
check "a truncated stream says so" \
	"sql \"SELECT error FROM jobs WHERE run_id=$run AND model='trunc' LIMIT 1\" | grep -qi 'truncat\|without a finish\|transfer closed\|partial'"
check "a mid-stream error carries the server's message" \
	"sql \"SELECT error FROM jobs WHERE run_id=$run AND model='midfail' LIMIT 1\" | grep -q 'unexpectedly stopped'"
check "a 100 MB answer stops at the size cap" \
	"sql \"SELECT error FROM jobs WHERE run_id=$run AND model='huge' LIMIT 1\" | grep -q 'size cap'"
quota_sent=$(echo "$stats" | python3 -c "import json,sys; d=json.load(sys.stdin)['requests']; print(sum(v for k,v in d.items() if k.split('/',1)[1] in ('quota','quota+x','auth')))")
check "insufficient quota and 401 are not retried ($quota_sent requests for 12 jobs)" "[ \"$quota_sent\" -eq 12 ]"
check "errors are counted as errors in the summary" \
	"[ \$(sql \"SELECT errors FROM aggregates WHERE run_id=$run AND model='trunc' AND area='*'\") -eq 4 ]"

check "a backend refusing one model's jobs is not paused for its other models" \
	"! grep -q 'refused:.*pausing' run.err && [ \$(sql \"SELECT count(*) FROM answers WHERE run_id=$run AND model='correct+r' AND passed=1\") -gt 0 ]"

# Samples that disagree: the moody model answers well, then badly.
curl -fsS -X POST "$url/fake/reset" >/dev/null
"$AMICUS" run -c amicus.yaml --models moody --samples 2 --suite "$suite" >moody.out 2>&1
mrun=$(sql "SELECT max(id) FROM runs")
check "--samples 2: two jobs per question" \
	"[ \$(sql \"SELECT count(*) FROM jobs WHERE run_id = $mrun\") -eq 8 ]"
check "questions whose samples disagree on passing are flagged unstable" \
	"[ \$(sql \"SELECT count(*) FROM question_stats WHERE run_id = $mrun AND unstable = 1 AND samples = 2 AND passed = 1 AND hallucinated = 1\") -eq 4 ] && [ \$(sql \"SELECT unstable FROM aggregates WHERE run_id = $mrun AND area = '*'\") -eq 4 ]"
check "... a question counts once, with the share of its samples that passed" \
	"[ \"\$(sql \"SELECT questions, answers, q_passed FROM aggregates WHERE run_id = $mrun AND area = '*'\")\" = '4|8|2.0' ]"
check "... key point hit rates are kept per question" \
	"[ \$(sql \"SELECT count(*) FROM keypoint_rates WHERE run_id = $mrun AND n <> 2\") -eq 0 ] && [ \$(sql \"SELECT count(*) FROM keypoint_rates WHERE run_id = $mrun\") -gt 4 ]"
check "amicus run lists the unstable questions" \
	"grep -q '4 questions unstable' moody.out && grep -q 'moody.*cn-copyright-term-zh.*passed 1 of 2' moody.out"
check "the summary gives intervals: pass rate 50% [lo-hi] over 4 questions" \
	"grep -Eq 'moody +4 +0 +[0-9.]+ \\[[0-9.]+-[0-9.]+\\] +50% \\[[0-9]+-[0-9]+\\]' moody.out"

# amicus compare: the correct model against the hallucinating one, paired.
"$AMICUS" compare -c amicus.yaml --run "$run" --a correct --b halluc --json >cmp.json 2>cmp.err
status=$?
check "amicus compare --json: exit 0" "[ $status -eq 0 ] || cat cmp.err"
check "... correct passes all 4 questions, halluc none, McNemar p = 2/16" \
	"python3 -c \"import json; o=json.load(open('cmp.json'))['overall']; assert (o['questions'], o['pass_rate_a'], o['pass_rate_b'], o['only_a_passed'], o['only_b_passed']) == (4, 1, 0, 4, 0), o; assert abs(o['mcnemar_p'] - 0.125) < 1e-12, o\""
check "... the four questions listed where they disagree, per area too" \
	"python3 -c \"import json; o=json.load(open('cmp.json')); assert len(o['disagreements']) == 4 and all(d['b_hallucinated'] for d in o['disagreements']); assert sum(a['questions'] for a in o['areas']) == 4\""
"$AMICUS" compare -c amicus.yaml --run "$run" --a correct --b halluc >cmp.txt 2>&1
check "amicus compare prints a table and the disagreements" \
	"grep -q 'McNemar' cmp.txt && grep -q 'halluc failed' cmp.txt"
"$AMICUS" compare -c amicus.yaml --run "$run" --a correct --b nosuchmodel >/dev/null 2>cmp.err
status=$?
check "amicus compare with a model the run does not have: exit 1, naming it" \
	"[ $status -eq 1 ] && grep -q nosuchmodel cmp.err"
"$AMICUS" compare -c amicus.yaml --a correct >/dev/null 2>&1
status=$?
check "amicus compare without --b: usage error" "[ $status -eq 2 ]"

# The stored verdicts are the scorer's: re-score stored answers with amicus score.
sql "SELECT a.id || ' ' || a.question || ' ' || a.turn || ' ' || printf('%.6f', a.score) || ' ' || a.passed || ' ' || a.hallucinated FROM answers a WHERE a.run_id=$run ORDER BY a.id LIMIT 40" >sample.txt
mismatch=0
while read -r id q t score passed hall; do
	sql "SELECT content FROM answers WHERE id=$id" >answer.txt
	# sqlite3 adds a newline; the stored text has none at the end.
	python3 -c "import sys; p='answer.txt'; s=open(p,'rb').read(); open(p,'wb').write(s[:-1] if s.endswith(b'\n') else s)"
	"$AMICUS" score -c amicus.yaml --question "$q" --turn "$t" --answer answer.txt --json >s.json 2>/dev/null
	got=$(python3 -c "import json; j=json.load(open('s.json')); print('%.6f %d %d' % (j['score'], j['passed'], j['hallucinated']))")
	[ "$got" = "$score $passed $hall" ] || { mismatch=$((mismatch + 1)); echo "  answer $id ($q turn $t): stored $score $passed $hall, scorer $got"; }
done <sample.txt
check "40 stored verdicts equal what amicus score says of the same answer" "[ $mismatch -eq 0 ]"
check "each stored answer has its verdicts" \
	"[ \$(sql \"SELECT count(*) FROM answers a WHERE a.run_id=$run AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.answer_id=a.id)\") -eq 0 ]"
check "questions and rubrics are stored by content hash" \
	"[ \$(sql \"SELECT count(*) FROM jobs j WHERE j.run_id=$run AND NOT EXISTS (SELECT 1 FROM texts t WHERE t.hash=j.rubric_hash)\") -eq 0 ]"

# A model whose digest changed since the previous run is noticed.
curl -fsS -X POST -d '{"model":"correct","digest":"sha256:changed"}' "$url/fake/digest" >/dev/null
"$AMICUS" run -c amicus.yaml --models correct --suite cn-copyright-term-zh -q >/dev/null 2>&1
run2=$(sql "SELECT max(id) FROM runs")
check "a changed model digest is recorded" \
	"sql \"SELECT changed || ' ' || digest FROM run_models WHERE run_id=$run2 AND model='correct'\" | grep -q '^1 .*changed'"

finish "integration run"
