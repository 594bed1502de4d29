#!/bin/sh
# The fuzz targets, briefly, as CI runs them: each is built with clang's
# libFuzzer, ASan and UBSan (tests/fuzz/build.sh), then runs over its seed
# corpus and the regression inputs (every crash ever found) and fuzzes for
# FUZZ_SECONDS (default 10).  make fuzz runs them for longer.
set -u
: "${srcdir:=.}"
srcdir=$(cd "$srcdir" && pwd)
: "${FUZZ_SECONDS:=10}"
: "${FUZZ_OUT:=$PWD/tests/fuzz/bin}"

if [ "${AMICUS_SANITIZED:-no}" = yes ]; then
	echo "SKIP: the fuzz targets carry their own sanitizers; they run in the plain build"
	exit 77
fi
if ! command -v "${CLANG:-clang}" >/dev/null 2>&1; then
	echo "SKIP: no clang (scripts/install-deps installs it)"
	exit 77
fi
if ! LLHTTP_SRCDIR="${LLHTTP_SRCDIR:-}" LLHTTP_CFLAGS="${LLHTTP_CFLAGS:-}" \
	sh "$srcdir/tests/fuzz/build.sh" "$srcdir" "$PWD" "$FUZZ_OUT" >"$FUZZ_OUT.log" 2>&1; then
	cat "$FUZZ_OUT.log"
	echo "FAIL: the fuzz targets do not build"
	exit 1
fi
fails=0
work=$(mktemp -d /tmp/amicus-fuzz-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
for bin in "$FUZZ_OUT"/fuzz_*; do
	name=${bin##*/fuzz_}
	mkdir -p "$work/$name"
	# Regression inputs first, one by one: each once crashed something.
	for f in "$srcdir/tests/fuzz/regressions/$name"/*; do
		[ -f "$f" ] || continue
		if ! srcdir="$srcdir" "$bin" "$f" >"$work/$name.reg" 2>&1; then
			echo "FAIL: $name: regression $(basename "$f")"
			tail -20 "$work/$name.reg"
			fails=$((fails + 1))
		fi
	done
	if srcdir="$srcdir" "$bin" -max_total_time="$FUZZ_SECONDS" -max_len=16384 -rss_limit_mb=2048 \
		-artifact_prefix="$work/$name-" "$work/$name" "$srcdir/tests/fuzz/corpus/$name" \
		>"$work/$name.log" 2>&1; then
		echo "ok   $name: $(grep -o 'DONE.*' "$work/$name.log" | head -1)"
	else
		echo "FAIL: $name"
		grep -E 'ERROR|SUMMARY|^#' "$work/$name.log" | tail -20
		for a in "$work/$name"-*; do
			[ -f "$a" ] && echo "  input: $(od -An -c "$a" | head -3)"
		done
		fails=$((fails + 1))
	fi
done
[ "$fails" -eq 0 ] && echo "all fuzz targets ran clean" || echo "$fails fuzz targets failed"
[ "$fails" -eq 0 ]
