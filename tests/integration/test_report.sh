#!/bin/sh
# The model-suitability report, in every format, from a run against the
# fake backend: the PDF renders (pdftoppm) and its text has the Chinese
# title and every model; the HTML loads nothing from anywhere; the CSV
# parses with its columns; every format's numbers are the API's; and the
# same report comes from GET /api/report.
set -u
. "$(dirname "$0")/lib.sh"

start_fake
url="http://127.0.0.1:$fake_port"
cat >"$work/amicus.yaml" <<EOF
database: amicus.db
questions: $srcdir/questions
rubrics: $srcdir/rubrics
web: $srcdir/web
backends:
  - name: fake
    kind: ollama
    url: $url
    concurrency: 8
    models: [correct, halluc, looper]
EOF
cd "$work" || exit 1
"$AMICUS" run -c amicus.yaml --suite area:copyright,area:trademark -q >/dev/null 2>&1 ||
	"$AMICUS" run -c amicus.yaml --suite area:copyright -q >/dev/null 2>&1
run=$(sql "SELECT max(id) FROM runs")
start_serve
base="http://127.0.0.1:$serve_port"
curl -s "$base/api/leaderboard" >board.json

for lang in zh en; do
	for f in pdf html md csv csv-answers json; do
		"$AMICUS" report -c amicus.yaml --format "$f" --lang "$lang" -o "report-$lang.$f" 2>"report-$lang.$f.err"
		status=$?
		check "amicus report --format $f --lang $lang: written" \
			"[ $status -eq 0 ] && [ -s report-$lang.$f ] || cat report-$lang.$f.err"
	done
done

# --- PDF -----------------------------------------------------------------------------
check "the PDF is a PDF that pdftoppm renders, page by page" \
	"head -c 5 report-zh.pdf | grep -q '%PDF-' && pdftoppm -r 30 -png report-zh.pdf page && [ -s page-1.png ]"
pdftotext -enc UTF-8 report-zh.pdf zh.txt
pdftotext -enc UTF-8 report-en.pdf en.txt
check "... its text holds the Chinese title and each model's name" \
	"grep -q '模型适用性评估报告' zh.txt && grep -q correct zh.txt && grep -q halluc zh.txt && grep -q looper zh.txt"
check "... the English one the English title" "grep -q 'Model suitability report' en.txt"
check "... A4 pages, fonts embedded" \
	"pdfinfo report-zh.pdf | grep -q 'Page size: *595.* x 841.* pts' && pdffonts report-zh.pdf | awk 'NR > 2 && \$(NF-4) != \"yes\" { bad = 1 } END { exit bad }' && pdffonts report-zh.pdf | grep -q 'NotoSansCJK'"
check "... page numbers on every page" \
	"pages=\$(pdfinfo report-zh.pdf | sed -n 's/^Pages: *//p'); [ \$(grep -c '第 [0-9]* 页，共 '\$pages' 页' zh.txt) -eq \$pages ]"

# --- HTML ----------------------------------------------------------------------------
check "the HTML loads nothing: no src, no link, no url(), no @import" \
	"! grep -Eiq '<(script|img|link|iframe|object|embed)[ >]|src=\"|url\\(|@import|href=\"(https?:)?//' report-en.html && grep -q '<svg' report-en.html"

# --- CSV -----------------------------------------------------------------------------
check "the CSV parses, one row per model and area, with its columns" \
	"python3 -c \"
import csv, json
rows = list(csv.DictReader(open('report-en.csv', newline='')))
assert rows[0].keys() >= {'run', 'model', 'area', 'questions', 'verdict', 'pass_rate', 'pass_lo', 'pass_hi', 'hallucination_rate', 'mean_score'}, rows[0].keys()
board = json.load(open('board.json'))
want = sum(1 + len(m['areas']) for m in board['models'])
assert len(rows) == want, (len(rows), want)
\""
check "the answers CSV: one row per stored answer" \
	"python3 -c \"
import csv
rows = list(csv.DictReader(open('report-en.csv-answers', newline='')))
assert len(rows) == $(sql "SELECT count(*) FROM answers WHERE run_id=$run"), len(rows)
assert {'answer_id', 'model', 'question', 'passed', 'hallucinated'} <= rows[0].keys()
\""

# --- the same numbers everywhere -------------------------------------------------------
cat >same.py <<'EOF'
import csv, json, re, sys
board = json.load(open('board.json'))
rep = json.load(open('report-en.json'))
rows = {(r['model'], r['area']): r for r in csv.DictReader(open('report-en.csv', newline=''))}
md = open('report-en.md', encoding='utf-8').read()
html = open('report-en.html', encoding='utf-8').read()
pdf = open('en.txt', encoding='utf-8').read()
summary = {(r['model'], r['area']): r for r in rep['summary']}
bad = []
for m in board['models']:
    for a in [m] + m['areas']:
        key = (a['model'], a['area'])
        s = summary.get(key)
        if not s:
            bad.append('json: no row for %s' % (key,)); continue
        for k in ('pass_rate', 'hallucination_rate', 'mean_score', 'questions', 'verdict'):
            if s[k] != a[k]:
                bad.append('json %s %s: %r != %r' % (key, k, s[k], a[k]))
        c = rows[key]
        if abs(float(c['pass_rate']) - a['pass_rate']) > 1e-6 or c['verdict'] != a['verdict']:
            bad.append('csv %s: %s %s' % (key, c['pass_rate'], c['verdict']))
        pct = '%.0f%%' % (100 * a['pass_rate'])
        for name, text in (('md', md), ('html', html), ('pdf', pdf)):
            if pct not in text:
                bad.append('%s: no %s for %s' % (name, pct, key))
print('\n'.join(bad))
sys.exit(1 if bad else 0)
EOF
check "every format shows the API's numbers (pass rates, verdicts)" "python3 same.py"
check "the report quotes a hallucination in the answer's own words" \
	"python3 -c \"
import json
rep = json.load(open('report-en.json'))
h = [h for h in rep['hallucinations'] if h['model'] == 'halluc'][0]
assert h['count'] > 0 and h['examples'] and h['examples'][0]['claims'][0]['quote'], h
\" && grep -q '著作权包括专利权' report-zh.md"

# --- through the API -------------------------------------------------------------------
check "GET /api/report?format=pdf: the PDF, as an attachment" \
	"curl -s -D hdr -o api.pdf '$base/api/report?format=pdf&lang=zh' && grep -qi 'content-type: application/pdf' hdr && grep -qi 'attachment; filename=\"amicus-report-$run.pdf\"' hdr && pdftotext api.pdf - | grep -q '模型适用性评估报告'"
check "GET /api/report?format=json: the same model as amicus report" \
	"curl -s -o api.json '$base/api/report?format=json&lang=en' && python3 -c \"
import json
a = json.load(open('api.json')); b = json.load(open('report-en.json'))
for x in (a, b): x.pop('generated_at')
assert a == b
\""
check "GET /api/report with a bad format: 400; for no such run: 404" \
	"[ \$(curl -s -o /dev/null -w '%{http_code}' '$base/api/report?format=doc') = 400 ] && [ \$(curl -s -o /dev/null -w '%{http_code}' '$base/api/report?format=md&run=999') = 404 ]"
pids=
for i in 1 2 3; do
	curl -s -o "many-$i.pdf" "$base/api/report?format=pdf" &
	pids="$pids $!"
done
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/api/health")
# shellcheck disable=SC2086
wait $pids
check "the daemon answered other requests while it wrote three PDFs at once" \
	"[ $code = 200 ] && pdftotext many-3.pdf - | grep -q 'Model suitability report'"

finish "report"
