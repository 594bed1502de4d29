#!/bin/sh
# Builds the libFuzzer targets with clang: the core sources (everything
# but main and the commands) and llhttp's C sources, instrumented, into OUT.
#   LLHTTP_SRCDIR=... LLHTTP_CFLAGS=... tests/fuzz/build.sh SRCDIR BUILDDIR OUT
# (make fuzz passes the values configure found.)
set -eu
src=$1 build=$2 out=$3
CC=${CLANG:-clang}
mkdir -p "$out/obj"
pkgs="libuv sqlite3 libcurl yaml-0.1 libutf8proc libpcre2-8 jansson pangocairo cairo-pdf"
cflags="-g -O1 ${LLHTTP_CFLAGS:-} -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
-I$build -I$src/src $(pkg-config --cflags $pkgs) -DPKGDATADIR=\"/nonexistent\""
llhttp=${LLHTTP_SRCDIR:-}
objs=
for f in "$src"/src/*.c; do
	b=$(basename "$f" .c)
	case $b in main | cmd_*) continue ;; esac
	o="$out/obj/$b.o"
	if [ ! -f "$o" ] || [ "$f" -nt "$o" ]; then
		$CC $cflags -c "$f" -o "$o"
	fi
	objs="$objs $o"
done
if [ -n "$llhttp" ]; then
	for f in "$llhttp"/*.c; do
		o="$out/obj/llhttp_$(basename "$f" .c).o"
		# shellcheck disable=SC2086
		[ -f "$o" ] || $CC -g -O1 -w -fsanitize=fuzzer-no-link,address ${LLHTTP_CFLAGS:-} -c "$f" -o "$o"
		objs="$objs $o"
	done
fi
for t in "$src"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	# shellcheck disable=SC2086
	$CC $cflags -fsanitize=fuzzer "$t" $objs $(pkg-config --libs $pkgs) -lm -o "$out/$name"
done
