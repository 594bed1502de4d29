#!/bin/sh
# A run with a judge model (the fake's judge persona): every item it looks
# at records its method and explanation beside the match verdict; messy
# replies are parsed or retried; a judge that never answers sensibly fails
# the item, not the run; verdicts are cached; agreement is stored.
set -u
. "$(dirname "$0")/lib.sh"

start_fake
url="http://127.0.0.1:$fake_port"
config() { # judge model, items
	cat >"$work/amicus.yaml" <<EOF
database: amicus.db
questions: $srcdir/questions
rubrics: $srcdir/rubrics
backends:
  - name: fake
    kind: ollama
    url: $url
    concurrency: 8
    retries: 1
    models: [correct, halluc, length]
judge: {backend: fake, model: $1, items: $2}
EOF
}
suite="cn-copyright-term-zh,us-copyright-fair-use-en,cn-contract-limitation-zh,cn-labour-probation-zh"
cd "$work" || exit 1
judge_requests() {
	curl -fsS "$url/fake/stats" | python3 -c "import json,sys; d=json.load(sys.stdin)['requests']; print(sum(v for k,v in d.items() if k.split('/',1)[1].startswith('judge')))"
}

# --- every item judged ----------------------------------------------------------
config "judge+think+fence" all
"$AMICUS" run -c amicus.yaml --suite "$suite" -q >run1.out 2>run1.err
status=$?
run=$(sql "SELECT max(id) FROM runs")
check "a run with a judge completes" "[ $status -eq 0 ] && [ \"\$(sql \"SELECT status FROM runs WHERE id=$run\")\" = done ]"
v="FROM verdicts v JOIN answers a ON a.id = v.answer_id WHERE a.run_id = $run"
total=$(sql "SELECT count(*) $v")
check "with items: all, every verdict is the judge's ($total verdicts)" \
	"[ $total -gt 50 ] && [ \$(sql \"SELECT count(*) $v AND v.method = 'judge'\") -eq $total ]"
check "... each with its explanation and the match verdict beside it" \
	"[ \$(sql \"SELECT count(*) $v AND (v.explanation IS NULL OR v.explanation = '' OR v.match_hit IS NULL OR v.judge_hit IS NULL)\") -eq 0 ]"
check "... Chinese explanations for Chinese questions" \
	"sql \"SELECT v.explanation $v AND a.question = 'cn-copyright-term-zh' LIMIT 1\" | grep -q '回答'"
check "... the verdict is the judge's: hit = judge_hit" \
	"[ \$(sql \"SELECT count(*) $v AND v.hit <> v.judge_hit\") -eq 0 ]"
check "the stored score is recomputed from the judge's verdicts" \
	"[ \$(sql \"SELECT count(*) FROM answers a WHERE a.run_id = $run AND a.passed = 1 AND EXISTS (SELECT 1 FROM verdicts v WHERE v.answer_id = a.id AND v.kind = 'forbidden' AND v.hit = 1)\") -eq 0 ]"
check "agreement of match and judge is stored, per question and overall" \
	"[ \$(sql \"SELECT count(*) FROM agreement WHERE run_id = $run AND question = '*'\") -eq 1 ] && [ \$(sql \"SELECT both_hit + match_only + judge_only + both_miss FROM agreement WHERE run_id = $run AND question = '*'\") -eq $total ]"
check "the summary counts the judged items" \
	"[ \$(sql \"SELECT judged FROM aggregates WHERE run_id = $run AND model = 'correct' AND area = '*'\") -gt 0 ]"
check "amicus run prints the judge's agreement" "grep -qi 'judge' run1.out"

# --- the cache ----------------------------------------------------------------
before=$(judge_requests)
"$AMICUS" run -c amicus.yaml --suite "$suite" -q >/dev/null 2>&1
after=$(judge_requests)
run2=$(sql "SELECT max(id) FROM runs")
check "the same answers again: every verdict from the cache ($before judge requests, then $after)" \
	"[ $after -eq $before ] && [ \$(sql \"SELECT count(*) FROM verdicts v JOIN answers a ON a.id = v.answer_id WHERE a.run_id = $run2 AND v.method = 'judge'\") -eq $total ]"

# --- only what matching left open ---------------------------------------------
config "judge+prose" undecided
"$AMICUS" run -c amicus.yaml --suite "$suite" -q >/dev/null 2>&1
run3=$(sql "SELECT max(id) FROM runs")
v3="FROM verdicts v JOIN answers a ON a.id = v.answer_id WHERE a.run_id = $run3"
check "items: undecided: key points matching found are not put to the judge" \
	"[ \$(sql \"SELECT count(*) $v3 AND v.kind = 'keypoint' AND v.match_hit = 1 AND v.method <> 'match'\") -eq 0 ]"
check "... key points it missed are (the truncated model misses some)" \
	"[ \$(sql \"SELECT count(*) $v3 AND v.kind = 'keypoint' AND v.match_hit = 0 AND v.method = 'judge'\") -gt 0 ] && [ \$(sql \"SELECT count(*) $v3 AND v.kind = 'keypoint' AND v.match_hit = 0 AND v.method = 'match'\") -eq 0 ]"
check "... matching's verdicts say so" \
	"[ \$(sql \"SELECT count(*) $v3 AND v.method = 'match' AND v.explanation IS NOT NULL\") -eq 0 ]"

# --- messy and broken judges --------------------------------------------------
config "judge+badonce" all
curl -fsS -X POST "$url/fake/reset" >/dev/null
"$AMICUS" run -c amicus.yaml --suite cn-copyright-term-zh --models correct -q >/dev/null 2>&1
run4=$(sql "SELECT max(id) FROM runs")
check "an unparseable first reply is asked again and then parsed" \
	"[ \$(sql \"SELECT count(*) FROM verdicts v JOIN answers a ON a.id = v.answer_id WHERE a.run_id = $run4 AND v.method <> 'judge'\") -eq 0 ]"

config "judge+bad" all
"$AMICUS" run -c amicus.yaml --suite cn-copyright-term-zh --models correct -q >/dev/null 2>bad.err
status=$?
run5=$(sql "SELECT max(id) FROM runs")
v5="FROM verdicts v JOIN answers a ON a.id = v.answer_id WHERE a.run_id = $run5"
check "a judge that never answers in JSON fails the items, not the run" \
	"[ $status -eq 0 ] && [ \"\$(sql \"SELECT group_concat(DISTINCT state) FROM jobs WHERE run_id = $run5\")\" = done ]"
check "... each such item says why, and keeps the match verdict" \
	"[ \$(sql \"SELECT count(*) $v5 AND (v.method <> 'judge_error' OR v.hit <> v.match_hit OR v.explanation NOT LIKE '%after 3 tries%')\") -eq 0 ]"

config "judge+flip" all
"$AMICUS" run -c amicus.yaml --suite "$suite" --models correct -q >/dev/null 2>&1
run6=$(sql "SELECT max(id) FROM runs")
check "a judge that disagrees with everything shows as low agreement" \
	"[ \$(sql \"SELECT both_hit + both_miss FROM agreement WHERE run_id = $run6 AND question = '*'\") -lt \$(sql \"SELECT match_only + judge_only FROM agreement WHERE run_id = $run6 AND question = '*'\") ]"

finish "judge"
