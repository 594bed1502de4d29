#!/bin/sh
# The dashboard in a real browser: playwright-core (npm) drives Debian's
# chromium against amicus serve, after a run on the fake backend of correct,
# halluc, xss (answers carrying <script>, <img onerror> and a javascript:
# link) and length (half answers, so key points are missed).  The checks
# themselves are in dashboard.mjs: the overview's figures against the API,
# the marks on a question page, untrusted output kept as text, a run started
# from the form, the language switch, a phone viewport, and screenshots of
# every page (tests/browser/screenshots in the build directory, and
# $CI_ARTIFACTS/browser-screenshots or $ARTIFACTS_DIR/browser-screenshots).
#
# Needs node (18 or later) and npm, and chromium (/usr/bin/chromium, or
# $CHROMIUM); playwright-core is installed with `npm ci` from the committed
# package-lock.json when tests/browser/node_modules lacks it.  Playwright
# never downloads a browser.
set -u
builddir=$(pwd)
. "$(dirname "$0")/../integration/lib.sh"

node_pid=
stop_all() {
	[ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null
	cleanup
}
trap stop_all EXIT
trap 'stop_all; trap - EXIT; exit 130' INT TERM

chromium=${CHROMIUM:-/usr/bin/chromium}
bdir="$srcdir/tests/browser"
shots="$builddir/tests/browser/screenshots"

# --- what the test needs ------------------------------------------------------------
command -v node >/dev/null 2>&1 || { echo "FAIL: node is not installed (scripts/install-deps installs nodejs)"; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$major" -ge 18 ] 2>/dev/null || { echo "FAIL: node $(node -v 2>/dev/null) is too old: playwright-core needs 18 or later"; exit 1; }
[ -x "$chromium" ] || { echo "FAIL: no chromium at $chromium (apt-get install chromium, or set CHROMIUM)"; exit 1; }

# playwright-core as pinned in package.json (and package-lock.json): npm ci unless that version is there.
want=$(sed -n 's/.*"playwright-core": *"\([^"]*\)".*/\1/p' "$bdir/package.json" | head -n 1)
have=$(sed -n 's/^  "version": *"\([^"]*\)".*/\1/p' "$bdir/node_modules/playwright-core/package.json" 2>/dev/null | head -n 1)
script="$bdir/dashboard.mjs"
if [ "$have" != "$want" ]; then
	command -v npm >/dev/null 2>&1 || { echo "FAIL: npm is not installed, and $bdir/node_modules has no playwright-core $want (scripts/install-deps installs npm)"; exit 1; }
	where=$bdir
	if [ ! -w "$bdir" ]; then
		# A read-only source tree (make distcheck): install next to a copy of the script.
		where="$work/browser"
		mkdir -p "$where"
		cp "$bdir/package.json" "$bdir/package-lock.json" "$bdir/dashboard.mjs" "$where/"
		script="$where/dashboard.mjs"
	fi
	echo "# installing playwright-core $want with npm ci in $where"
	if ! (cd "$where" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) >"$work/npm.log" 2>&1; then
		echo "FAIL: npm ci in $where failed (is the npm registry reachable?):"
		tail -n 20 "$work/npm.log"
		exit 1
	fi
fi

# --- a run to look at --------------------------------------------------------------------
start_fake --latency-ms 20
cat >"$work/amicus.yaml" <<EOF
database: amicus.db
questions: $srcdir/questions
rubrics: $srcdir/rubrics
web: $srcdir/web
backends:
  - name: fake
    kind: ollama
    url: http://127.0.0.1:$fake_port
    concurrency: 8
    models:
      - {name: correct, options: {think: true}}
      - {name: halluc, options: {think: true}}
      - {name: xss, options: {think: true}}
      - length
EOF
cd "$work" || exit 1
# Chinese copyright (several two-turn questions among them) and one two-turn trademark question.
suite=$(sed -n 's/^id: *//p' "$srcdir"/questions/copyright/*.yaml | tr '\n' ',')cn-trademark-term-zh
check "amicus run: correct, halluc, xss and length on area copyright and cn-trademark-term-zh" \
	"\"\$AMICUS\" run -c amicus.yaml --suite '$suite' -q >run.out 2>&1 && grep -q '0 errors' run.out"
start_serve
base="http://127.0.0.1:$serve_port"

# --- the browser -----------------------------------------------------------------------------
# TMPDIR: chromium's temporary profile lives in $work and goes with it.
mkdir -p "$shots"
TMPDIR="$work" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CHROMIUM="$chromium" AMICUS_WEB="$srcdir/web" \
	node "$script" "$base" "$shots" >"$work/browser.out" 2>&1 &
node_pid=$!
wait "$node_pid"
rc=$?
node_pid=
cat "$work/browser.out"
nfail=$(grep -c '^FAIL' "$work/browser.out")
fails=$((fails + nfail))
if [ "$rc" -ne 0 ] && [ "$nfail" -eq 0 ]; then
	fail "node dashboard.mjs exited with status $rc"
fi
grep -q '^ok ' "$work/browser.out" || fail "dashboard.mjs ran no check"

finish "browser"
