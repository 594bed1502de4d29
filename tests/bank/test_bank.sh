#!/bin/sh
# The shipped question bank: clean under lint --strict, every rubric tested
# against its reference answer and its example answers (three correct ones
# in other words, one wrong one, per turn), and the counts the bank promises.
set -u
: "${AMICUS:?set AMICUS to the amicus binary}"
: "${srcdir:=.}"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

summary=$("$AMICUS" lint --strict --summary --answers "$srcdir/tests/bank" \
	--questions "$srcdir/questions" --rubrics "$srcdir/rubrics")
status=$?
echo "$summary"
[ "$status" -eq 0 ] || fail "amicus lint --strict --answers reports problems"

figure() { echo "$summary" | awk -v k="$1" '$0 ~ "^"k" [0-9]+$" { print $NF }'; }
atleast() {
	v=$(figure "$1")
	if [ -z "$v" ] || [ "$v" -lt "$2" ]; then fail "$1: ${v:-0}, want at least $2"; else echo "ok   $1: $v (>= $2)"; fi
}
atleast "questions" 80
atleast "multi-turn" 10
atleast "language en" 20
atleast "language-jurisdiction zh CN" 50
atleast "tag false-premise" 8
atleast "tag number" 10
atleast "tag seed" 6
areas=$(echo "$summary" | awk '/^area / && $2 != "probe" { n++ } END { print n + 0 }')
if [ "$areas" -lt 8 ]; then fail "legal areas: $areas, want at least 8"; else echo "ok   legal areas: $areas"; fi

# The probes from the article that started the project, both languages.
for id in cn-copyright-rights-zh cn-copyright-rights-en probe-decimal-identity-zh \
	probe-decimal-identity-en probe-qwen-relation-zh probe-qwen-relation-en; do
	[ -n "$(find "$srcdir/questions" -name "$id.yaml")" ] || fail "seed question $id is missing"
done

# Every question is tested: three correct answers and a wrong one per turn.
for q in $(find "$srcdir/questions" -name '*.yaml' | sort); do
	id=$(basename "$q" .yaml)
	d="$srcdir/tests/bank/$id"
	[ -d "$d" ] || { fail "$id has no example answers in tests/bank"; continue; }
	for t in "$d"/*/; do
		good=$(find "$t" -name 'good-*.txt' | wc -l)
		wrong=$(find "$t" -name 'wrong-*.txt' | wc -l)
		[ "$good" -ge 3 ] || fail "$t: $good correct answers, want 3"
		[ "$wrong" -ge 1 ] || fail "$t: no wrong answer"
	done
done

[ "$fails" -eq 0 ] && echo "the question bank passes" || echo "$fails problems in the question bank"
[ "$fails" -eq 0 ]
