#!/bin/sh
# The amicus command line as a user meets it: help, exit codes, lint on
# broken files, score on a sample answer.
set -u
: "${AMICUS:?set AMICUS to the amicus binary}"
: "${srcdir:=.}"
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok   $*"; }

# expect STATUS DESCRIPTION -- command...
expect() {
	want=$1; what=$2; shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$what"; else
		fail "$what: exit $got, want $want"; cat "$tmp/out" "$tmp/err"; fi
}
contains() {
	if grep -q -- "$2" "$1"; then ok "$3"; else fail "$3: no '$2' in output"; cat "$1"; fi
}

expect 0 "amicus --help" -- "$AMICUS" --help
contains "$tmp/out" "lint" "--help lists lint"
contains "$tmp/out" "score" "--help lists score"
expect 2 "no command is a usage error" -- "$AMICUS"
expect 2 "unknown command" -- "$AMICUS" frobnicate
expect 0 "lint --help" -- "$AMICUS" lint --help
contains "$tmp/out" "file:line:column" "lint --help explains the output"
expect 0 "score --help" -- "$AMICUS" score --help
expect 2 "score without an answer" -- "$AMICUS" score --question x
expect 2 "score with both --question and --rubric" -- "$AMICUS" score --question x --rubric y --answer z
expect 2 "lint with a bad option" -- "$AMICUS" lint --frob

# A small bank with one good pair and a broken rubric.
mkdir -p "$tmp/q/c" "$tmp/r/c"
cat >"$tmp/q/c/one.yaml" <<'Y'
id: one
area: c
jurisdiction: CN
language: zh
turns:
  - ask: 著作权包括哪些权利？
Y
cat >"$tmp/r/c/one.yaml" <<'Y'
question: one
turns:
  1:
    source: 著作权法 第十条
    keypoints:
      - {id: pub, points: 1, any: [发表权]}
Y
cp "$srcdir/tests/data/statutes.yaml" "$tmp/r/statutes.yaml"
expect 0 "lint on a clean bank" -- "$AMICUS" lint --questions "$tmp/q" --rubrics "$tmp/r"
contains "$tmp/out" "1 questions, 1 rubrics" "lint counts what it loaded"

cat >"$tmp/r/c/one.yaml" <<'Y'
question: one
turns:
  1:
    source: 著作权法 第七十条
    keypoints:
      - {id: pub, point: 1, any: ["/(bad/"]}
Y
expect 1 "lint on a broken rubric" -- "$AMICUS" lint --questions "$tmp/q" --rubrics "$tmp/r"
contains "$tmp/out" "one.yaml:6:" "lint names file and line"
contains "$tmp/out" "did you mean 'points'" "lint suggests the nearest key"
contains "$tmp/out" "bad regex" "lint reports every problem of the file"

printf 'a: [unclosed\n' >"$tmp/r/c/one.yaml"
expect 1 "lint on broken YAML" -- "$AMICUS" lint --questions "$tmp/q" --rubrics "$tmp/r"
contains "$tmp/out" "one.yaml:2:" "a YAML syntax error has its place"
contains "$tmp/out" "has no rubric" "a rejected rubric leaves its question without one"

# Score: readable and JSON, offsets into the file as given.
cat >"$tmp/r/c/one.yaml" <<'Y'
question: one
turns:
  1:
    source: 著作权法 第十条
    keypoints:
      - {id: pub, points: 1, any: [发表权]}
Y
printf '<think>想想</think>著作权包括发表权。' >"$tmp/a.txt"
expect 0 "score a sample answer" -- "$AMICUS" score --question one --questions "$tmp/q" --rubrics "$tmp/r" --answer "$tmp/a.txt"
contains "$tmp/out" "PASSED" "the readable report says passed"
expect 0 "score --json" -- "$AMICUS" score --question one --questions "$tmp/q" --rubrics "$tmp/r" --answer "$tmp/a.txt" --json
contains "$tmp/out" '"start": 36' "evidence offsets count the <think> block"
printf '著作权包括发表权\033[31m' | "$AMICUS" score --question one --questions "$tmp/q" --rubrics "$tmp/r" --answer - >"$tmp/out" 2>&1
if grep -q "$(printf '\033')" "$tmp/out"; then fail "escape sequences from an answer reach the terminal"; else ok "answer text is sanitized for the terminal"; fi
expect 1 "score a missing question" -- "$AMICUS" score --question nope --questions "$tmp/q" --rubrics "$tmp/r" --answer "$tmp/a.txt"
expect 1 "score a missing answer file" -- "$AMICUS" score --question one --questions "$tmp/q" --rubrics "$tmp/r" --answer "$tmp/none.txt"

# The shipped bank is clean.
if [ -d "$srcdir/questions" ]; then
	expect 0 "the shipped question bank passes lint" -- "$AMICUS" lint -q --questions "$srcdir/questions" --rubrics "$srcdir/rubrics"
fi

[ "$fails" -eq 0 ] && echo "all CLI tests pass" || echo "$fails CLI tests failed"
[ "$fails" -eq 0 ]
