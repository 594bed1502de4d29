#!/bin/sh
# The dashboard's side of amicus serve: the JSON API against a run on the
# fake backend (its numbers are the stored ones), a lawyer's review and
# what it changes, the progress stream, access rules, and the static files
# (ETag, 304, nothing outside web/).
set -u
. "$(dirname "$0")/lib.sh"

start_fake --latency-ms 30
url="http://127.0.0.1:$fake_port"
mkdir -p "$work/web/js" "$work/outside"
printf '<!doctype html><title>amicus</title><script type="module" src="/js/app.js"></script>\n' >"$work/web/index.html"
printf 'export const x = 1;\n' >"$work/web/js/app.js"
printf 'secret\n' >"$work/outside/secret.txt"
printf 'hidden\n' >"$work/web/.env"
ln -s "$work/outside/secret.txt" "$work/web/link.txt"
ln -s "$work/outside" "$work/web/dirlink"
cat >"$work/amicus.yaml" <<EOF
database: amicus.db
questions: $srcdir/questions
rubrics: $srcdir/rubrics
web: web
backends:
  - name: fake
    kind: ollama
    url: $url
    concurrency: 8
    models: [correct, halluc, slow]
EOF
cd "$work" || exit 1
suite="area:copyright"
"$AMICUS" run -c amicus.yaml --suite "$suite" --models correct,halluc -q >/dev/null 2>&1
run=$(sql "SELECT max(id) FROM runs")
start_serve
api() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }
py() { python3 -c "import json,sys; d=json.load(open('$work/body')); $1"; }
base="http://127.0.0.1:$serve_port"

# --- the numbers are the stored ones ---------------------------------------------
check "GET /api/leaderboard: 200, the latest run, both models" \
	"[ \$(api $base/api/leaderboard) = 200 ] && py \"assert d['run']['id'] == $run and [m['model'] for m in d['models']] == ['correct', 'halluc'], d['run']\""
q_passed=$(sql "SELECT q_passed FROM aggregates WHERE run_id=$run AND model='halluc' AND area='*'")
nq=$(sql "SELECT questions FROM aggregates WHERE run_id=$run AND model='halluc' AND area='*'")
check "... halluc's pass rate is the stored one ($q_passed of $nq), with its interval" \
	"py \"m=[m for m in d['models'] if m['model']=='halluc'][0]; assert abs(m['pass_rate'] - $q_passed / $nq) < 1e-9 and m['pass_ci'][0] <= m['pass_rate'] <= m['pass_ci'][1], m\""
check "... a verdict per model and per area, and the thresholds" \
	"py \"assert all(m['verdict'] in ('suitable','review','not_suitable','too_few') and m['areas'] for m in d['models']) and d['thresholds']['suitable_pass_lower'] == 0.8\""
total=$(sql "SELECT count(*) FROM answers WHERE run_id=$run AND model='halluc' AND hallucinated=1")
check "GET /api/answers?model=halluc&hallucinated=1: the $total stored, paged" \
	"[ \$(api \"$base/api/answers?model=halluc&hallucinated=1&per_page=5\") = 200 ] && py \"assert d['total'] == $total and len(d['answers']) == min(5, $total) and all(a['hallucinated'] for a in d['answers'])\""
check "GET /api/answers with a bad filter: 400" "[ \$(api \"$base/api/answers?passed=yes\") = 400 ]"
aid=$(sql "SELECT a.id FROM answers a WHERE a.run_id=$run AND a.model='halluc' AND a.question='cn-copyright-rights-zh' AND a.turn=1")
check "GET /api/answers/$aid: the content, verdicts with evidence that is the answer's own words" \
	"[ \$(api $base/api/answers/$aid) = 200 ] && py \"b=d['content'].encode(); evs=[e for v in d['verdicts'] for e in v['evidence']]; assert evs and all(b[e['start']:e['end']].decode() == e['text'] for e in evs); assert any(v['kind']=='forbidden' and v['hit'] for v in d['verdicts']); assert all(v['method']=='match' for v in d['verdicts'])\""
check "... the criterion of each key point, from the bank" \
	"py \"assert all(v['criterion'] for v in d['verdicts'] if v['kind']=='keypoint')\""
check "... its citations, the nonexistent one flagged" \
	"py \"assert any(c['status']=='nonexistent' for c in d['citations']), d['citations']\""
check "GET /api/answers/999999: 404" "[ \$(api $base/api/answers/999999) = 404 ]"
check "GET /api/questions/cn-copyright-rights-zh: question, rubric and both models' answers" \
	"[ \$(api $base/api/questions/cn-copyright-rights-zh) = 200 ] && py \"assert d['question']['turns'][0]['reference'] and len(d['rubric']['turns'][0]['keypoints']) >= 17 and sorted(set(a['model'] for a in d['answers'])) == ['correct','halluc']\""
check "GET /api/questions/no-such: 404" "[ \$(api $base/api/questions/no-such) = 404 ]"
check "GET /api/questions: the whole bank with pass rates" \
	"[ \$(api $base/api/questions) = 200 ] && py \"assert len(d['questions']) == 85 and d['questions'][0]['turns']\""
check "GET /api/compare: paired, the same as amicus compare" \
	"[ \$(api \"$base/api/compare?a=correct&b=halluc\") = 200 ] && cp body api-cmp.json && \"$AMICUS\" compare -c amicus.yaml --a correct --b halluc --json >cli-cmp.json && python3 -c \"import json; a=json.load(open('api-cmp.json')); b=json.load(open('cli-cmp.json')); assert a == b\""
check "GET /api/compare without b: 400" "[ \$(api \"$base/api/compare?a=correct\") = 400 ]"
check "GET /api/trends: a series per model" \
	"[ \$(api \"$base/api/trends?metric=hallucination_rate\") = 200 ] && py \"assert len(d['series']) == 2 and d['series'][0]['points'][0]['run_id'] == $run\""
check "GET /api/trends?metric=drop table: 400" "[ \$(api \"$base/api/trends?metric=drop%20table\") = 400 ]"
check "GET /api/models: configured and seen" \
	"[ \$(api $base/api/models) = 200 ] && py \"ms={m['model']: m for m in d['models']}; assert sorted(ms) == ['correct','halluc','slow'] and all(ms[k]['configured'] and ms[k]['last_run'] == $run for k in ('correct','halluc')) and ms['slow']['last_run'] is None\""
check "GET /api/health: auth as it stands (loopback, no token)" \
	"[ \$(api $base/api/health) = 200 ] && py \"assert d['auth'] == {'token_required': False, 'writes_allowed': True} and d['last_run']['id'] == $run\""

# --- a lawyer's review ---------------------------------------------------------------
fid=$(sql "SELECT item FROM verdicts WHERE answer_id=$aid AND kind='forbidden' AND hit=1 LIMIT 1")
body='{"answer_id": '$aid', "kind": "forbidden", "item": "'$fid'", "hit": false, "reason": "<script>alert(1)</script> 不构成错误陈述", "reviewer": "张律师"}'
check "POST /api/reviews: 201" \
	"[ \$(api -X POST -H 'Content-Type: application/json' --data-binary '$body' $base/api/reviews) = 201 ]"
check "... the verdict is the ruling now, match verdict kept, the reason stored as written" \
	"[ \"\$(sql \"SELECT hit, method, match_hit FROM verdicts WHERE answer_id=$aid AND kind='forbidden' AND item='$fid'\")\" = '0|review|1' ] && [ \"\$(sql \"SELECT reason FROM reviews WHERE answer_id=$aid\")\" = '<script>alert(1)</script> 不构成错误陈述' ]"
cid=$(sql "SELECT a.id FROM answers a WHERE a.run_id=$run AND a.model='correct' AND a.question='cn-copyright-rights-zh' AND a.turn=1")
before=$(sql "SELECT printf('%.6f', mean_score) FROM aggregates WHERE run_id=$run AND model='correct' AND area='*'")
api -X POST --data-binary '{"answer_id": '$cid', "kind": "keypoint", "item": "publication", "hit": false, "reason": "只列了名称", "reviewer": "王律师"}' $base/api/reviews >/dev/null
check "a ruling that a key point is missed lowers the answer's score and the run's mean score" \
	"[ \"\$(sql \"SELECT printf('%.4f', score) FROM answers WHERE id=$cid\")\" != '1.0000' ] && [ \"\$(sql \"SELECT printf('%.6f', mean_score) FROM aggregates WHERE run_id=$run AND model='correct' AND area='*'\")\" \\< $before ]"
check "... and the answer shows the ruling" \
	"[ \$(api $base/api/answers/$aid) = 200 ] && py \"v=[v for v in d['verdicts'] if v['item']=='$fid'][0]; assert v['review']['reviewer'] == '张律师' and v['review']['original_hit'] and not v['hit'] and v['method'] == 'review'\""
check "GET /api/reviews: the ruling and how matching fared against it" \
	"[ \$(api \"$base/api/reviews?run=$run\") = 200 ] && py \"assert len(d['reviews']) == 2 and d['agreement']['match'] == {'n': 2, 'agree': 0}\""
check "POST /api/reviews without a reason: 400" \
	"[ \$(api -X POST --data-binary '{\"answer_id\": $aid, \"kind\": \"keypoint\", \"item\": \"x\", \"hit\": true, \"reviewer\": \"a\"}' $base/api/reviews) = 400 ]"
check "POST /api/reviews of an item the answer does not have: 404" \
	"[ \$(api -X POST --data-binary '{\"answer_id\": $aid, \"kind\": \"keypoint\", \"item\": \"nope\", \"hit\": true, \"reason\": \"r\", \"reviewer\": \"a\"}' $base/api/reviews) = 404 ]"
check "POST /api/reviews with SQL in the item: 404, nothing else happens" \
	"[ \$(api -X POST --data-binary '{\"answer_id\": $aid, \"kind\": \"keypoint\", \"item\": \"x\\\\u0027; DROP TABLE reviews; --\", \"hit\": true, \"reason\": \"r\", \"reviewer\": \"a\"}' $base/api/reviews) = 404 ] && [ \$(sql 'SELECT count(*) FROM reviews') -eq 2 ]"

# --- live progress -------------------------------------------------------------------
# The slow model takes seconds per answer, so the stream sees the run move.
api -X POST --data-binary '{"models": ["slow"], "suite": "cn-contract-deposit-zh,cn-contract-void-zh,cn-copyright-term-en"}' $base/api/runs >/dev/null
run2=$(py "print(d['run_id'])")
curl -s -N --max-time 60 "$base/api/runs/$run2/events" >events.txt
check "GET /api/runs/$run2/events: progress events up to the end" \
	"grep -q '^event: end' events.txt && python3 -c \"
import json
ev=[json.loads(l[6:]) for l in open('events.txt') if l.startswith('data: {\\\"run_id')]
done=[e['jobs']['done'] + e['jobs']['error'] for e in ev]
assert len(ev) >= 2 and done == sorted(done) and ev[-1]['status'] == 'done' and done[-1] == ev[-1]['jobs']['total'], ev
\""
check "GET /api/runs/999/events: 404" "[ \$(api $base/api/runs/999/events) = 404 ]"

# --- static files ---------------------------------------------------------------------
check "GET /: index.html, with an ETag and a content security policy" \
	"curl -s -D hdr -o page $base/ && grep -q '<title>amicus</title>' page && grep -qi '^etag: \"' hdr && grep -qi 'content-security-policy: default-src .self.' hdr && grep -qi 'content-type: text/html' hdr"
etag=$(grep -i '^etag:' hdr | sed 's/^[Ee][Tt][Aa][Gg]: //; s/\r$//')
check "... If-None-Match with it: 304, no body" \
	"[ \$(curl -s -o page2 -w '%{http_code}' -H 'If-None-Match: $etag' $base/) = 304 ] && [ ! -s page2 ]"
check "GET /js/app.js: JavaScript" \
	"[ \"\$(curl -s -o /dev/null -w '%{http_code} %{content_type}' $base/js/app.js)\" = '200 text/javascript; charset=utf-8' ]"
for p in /../outside/secret.txt /%2e%2e/outside/secret.txt /js/..%2f..%2foutside/secret.txt \
	/link.txt /dirlink/secret.txt /.env /js%00.html '/%5c..%5coutside%5csecret.txt' /nothing.html; do
	code=$(curl -s --path-as-is -o page -w '%{http_code}' "$base$p")
	check "GET $p: refused ($code), nothing from outside web/" \
		"[ $code -ge 400 ] && ! grep -q secret page && ! grep -q hidden page"
done

# --- access ----------------------------------------------------------------------------
kill -TERM "$serve_pid"
wait "$serve_pid"
rm -f serve.port
AMICUS_PORT_FILE="$work/serve.port" "$AMICUS" serve -c amicus.yaml --listen 0.0.0.0:0 >>serve.log 2>&1 &
serve_pid=$!
wait_file serve.port 100
base="http://127.0.0.1:$(cat serve.port)"
check "beyond loopback without a token: health says writes are off" \
	"[ \$(api $base/api/health) = 200 ] && py \"assert d['auth'] == {'token_required': False, 'writes_allowed': False}\""
check "... POST /api/runs: 403, saying what to set" \
	"[ \$(api -X POST --data-binary '{}' $base/api/runs) = 403 ] && grep -q AMICUS_TOKEN body"
check "... POST /api/reviews: 403" \
	"[ \$(api -X POST --data-binary '{}' $base/api/reviews) = 403 ]"
check "... reading is still open" "[ \$(api $base/api/leaderboard) = 200 ]"

finish "api"
