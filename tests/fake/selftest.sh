#!/bin/sh
# Self-test of the fake model backend (tests/fake/fake_backend.py).
# POSIX sh; needs curl and python3 (+ python3-yaml).  Exit status: number of
# failed checks (capped at 1), 0 when everything passed.
#   usage: sh tests/fake/selftest.sh [-v]
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON:-python3}
VERBOSE=0
[ "${1:-}" = "-v" ] && VERBOSE=1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/fakeselftest.XXXXXX") || exit 1
PID=
HANGPID=
cleanup() {
    [ -n "$HANGPID" ] && kill "$HANGPID" 2>/dev/null
    if [ -n "$PID" ]; then
        kill "$PID" 2>/dev/null
        wait "$PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

PASS=0
FAILS=0
ok()   { PASS=$((PASS + 1)); [ "$VERBOSE" = 1 ] && echo "ok   $1"; return 0; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL $*"; return 0; }

# ---------------------------------------------------------------- question bank
mkdir -p "$TMP/q/sub"
cat > "$TMP/q/zh.yaml" <<'EOF'
id: t-zh
language: zh
turns:
  - ask: 著作权法第七十条规定了什么内容？
    reference: |
      现行《著作权法》没有第七十条，全法共六章六十七条。
  - ask: "  那第六十七条呢？  "
    reference: 第六十七条规定本法自1991年6月1日起施行。
EOF
cat > "$TMP/q/sub/en.yaml" <<'EOF'
id: t-en
language: en
turns:
  - ask: How long is copyright protection for a natural person's work in China?
    reference: The author's life plus 50 years, ending on 31 December of the fiftieth year after death.
EOF
Q_ZH='著作权法第七十条规定了什么内容？'
Q_ZH2='那第六十七条呢？'
Q_EN="How long is copyright protection for a natural person's work in China?"
REF_ZH='现行《著作权法》没有第七十条，全法共六章六十七条。'
REF_ZH2='第六十七条规定本法自1991年6月1日起施行。'
REF_EN="The author's life plus 50 years, ending on 31 December of the fiftieth year after death."
HALLUC_ZH='此外，著作权还包括专利权。依照著作权法第七十条，权利人还享有商标权。'
export REF_ZH REF_ZH2 REF_EN HALLUC_ZH

# ---------------------------------------------------------------- start
"$PY" "$HERE/fake_backend.py" --port 0 --port-file "$TMP/port" --questions "$TMP/q" \
    --verbose >"$TMP/stdout" 2>"$TMP/stderr" &
PID=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if [ ! -s "$TMP/port" ]; then
    echo "FAIL backend did not start"; cat "$TMP/stderr"; exit 1
fi
PORT=$(cat "$TMP/port")
BASE="http://127.0.0.1:$PORT"
grep -q "^PORT $PORT\$" "$TMP/stdout" && ok "PORT line on stdout" || fail "no PORT line on stdout"

# ---------------------------------------------------------------- helpers
# req METHOD PATH BODY OUT [curl args]: sets CODE (HTTP status) and RC (curl rc)
req() {
    _m=$1; _p=$2; _b=$3; _o=$4; shift 4
    if [ "$_m" = GET ]; then
        CODE=$(curl -sS -o "$_o" -D "$_o.h" -w '%{http_code}' "$@" "$BASE$_p" 2>"$_o.e")
    else
        CODE=$(curl -sS -o "$_o" -D "$_o.h" -w '%{http_code}' -H 'Content-Type: application/json' \
            --data-binary "$_b" "$@" "$BASE$_p" 2>"$_o.e")
    fi
    RC=$?
}
# user message list
u1() { printf '[{"role":"user","content":"%s"}]' "$1"; }
# pyexpr NAME FILE EXPR: EXPR over b (raw bytes), t (text), E (environ)
pyexpr() {
    if "$PY" -c "import sys,os,json; E=os.environ; b=open(sys.argv[1],'rb').read(); t=b.decode('utf-8','replace'); sys.exit(0 if ($3) else 1)" "$2" 2>"$TMP/pyerr"; then
        ok "$1"
    else
        fail "$1: $(head -c 300 "$2" | tr '\n' ' ') $(cat "$TMP/pyerr")"
    fi
}
# check NAME PROTO FILE MODE EXPR: EXPR over r (streamcheck summary), E
check() {
    if "$PY" "$HERE/streamcheck.py" "$2" "$3" "$4" >"$TMP/sum" 2>"$TMP/sumerr" &&
        "$PY" -c "import sys,os,json; E=os.environ; r=json.load(open(sys.argv[1])); sys.exit(0 if ($5) else 1)" "$TMP/sum"; then
        ok "$1"
    else
        fail "$1: $(head -c 500 "$TMP/sum") $(head -c 300 "$TMP/sumerr")"
    fi
}
code() { # NAME EXPECTED
    if [ "$CODE" = "$2" ]; then ok "$1 -> $2"; else fail "$1: status $CODE (rc $RC), want $2: $(head -c 200 "$TMP/o")"; fi
}
hdr() { # NAME REGEX
    if grep -qi "$2" "$TMP/o.h"; then ok "$1"; else fail "$1: header /$2/ missing"; fi
}
O="$TMP/o"

# ---------------------------------------------------------------- Ollama
req GET /api/version '' "$O"; code "ollama version" 200
req GET /api/tags '' "$O"; code "ollama tags" 200
pyexpr "tags list personas with digests" "$O" \
  "[m for m in json.loads(t)['models'] if m['name']=='correct:latest' and len(m['digest'])==64 and m['details']]"
req POST /fake/digest '{"model":"correct:latest","digest":"0123abcd"}' "$O"; code "fake/digest" 200
req GET /api/tags '' "$O"
pyexpr "digest changed" "$O" "[m for m in json.loads(t)['models'] if m['name']=='correct:latest' and m['digest']=='0123abcd']"

req POST /api/chat "{\"model\":\"correct\",\"think\":true,\"messages\":$(u1 "$Q_ZH")}" "$O"
code "ollama stream" 200; hdr "ndjson content type" "content-type: application/x-ndjson"
check "ollama stream content+thinking" ollama "$O" --stream \
  "r['content']==E['REF_ZH'] and r['reasoning'] and r['terminated'] and r['finish']=='stop' and r['usage']['eval_count']>0"
req POST /api/chat "{\"model\":\"correct:latest\",\"think\":false,\"messages\":$(u1 "$Q_EN")}" "$O"
pyexpr "ollama think:false omits thinking" "$O" "b'thinking' not in b and b'\"done\":true' in b"
check "ollama :latest tag, English" ollama "$O" --stream "r['content']==E['REF_EN'] and r['reasoning']==''"
req POST /api/chat "{\"model\":\"correct:7b\",\"stream\":false,\"think\":true,\"messages\":$(u1 "$Q_ZH")}" "$O"
code "ollama non-stream" 200
check "ollama non-stream body" ollama "$O" --nonstream "r['content']==E['REF_ZH'] and r['reasoning'] and r['finish']=='stop'"
req POST /api/chat "{\"model\":\"correct\",\"messages\":[{\"role\":\"user\",\"content\":\"$Q_ZH\"},{\"role\":\"assistant\",\"content\":\"x\"},{\"role\":\"user\",\"content\":\"$Q_ZH2\"}]}" "$O"
check "second turn (trimmed ask)" ollama "$O" --stream "r['content']==E['REF_ZH2']"
req POST /api/chat "{\"model\":\"halluc\",\"messages\":$(u1 "$Q_ZH")}" "$O"
check "halluc appends false sentence" ollama "$O" --stream "r['content']==E['REF_ZH']+E['HALLUC_ZH']"
req POST /api/chat "{\"model\":\"correct\",\"messages\":$(u1 '这个问题不在题库里吗？')}" "$O"
check "unknown zh question" ollama "$O" --stream "r['content']=='我不知道这个问题。'"
req POST /api/chat "{\"model\":\"correct\",\"messages\":$(u1 'Is this in the bank?')}" "$O"
check "unknown en question" ollama "$O" --stream "r['content']=='I do not know this question.'"
req POST /api/chat "{\"model\":\"looper\",\"think\":true,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "looper loops and mixes languages" ollama "$O" --stream \
  "r['reasoning'].count('我需要再检查一下这个问题。')==20 and 'Wait, let me check again.' in r['reasoning'] and 'however' in r['content']"
req POST /api/chat "{\"model\":\"correct+crlf+keepalive\",\"messages\":$(u1 "$Q_ZH")}" "$O"
pyexpr "ollama crlf + blank keep-alive lines" "$O" "b'}\r\n' in b and b'\r\n\r\n' in b"
check "ollama crlf content" ollama "$O" --stream "r['content']==E['REF_ZH'] and r['terminated']"
req POST /api/chat "{\"model\":\"correct+split\",\"messages\":$(u1 "$Q_ZH")}" "$O"
pyexpr "ollama split uses \\u escapes" "$O" "b'\\\\u' in b"
check "ollama split reassembles" ollama "$O" --stream "r['content']==E['REF_ZH'] and r['terminated']"
req POST /api/chat "{\"model\":\"trunc\",\"messages\":$(u1 "$Q_ZH")}" "$O"
[ "$RC" = 18 ] && ok "ollama trunc: curl rc 18 (no terminating chunk)" || fail "ollama trunc: curl rc $RC"
check "ollama trunc: no done" ollama "$O" --stream "not r['terminated'] and r['content'] and E['REF_ZH'].startswith(r['content'])"
req POST /api/chat "{\"model\":\"midfail\",\"messages\":$(u1 "$Q_ZH")}" "$O"
check "ollama midfail error line" ollama "$O" --stream "r['errors']==['model runner has unexpectedly stopped'] and not r['terminated']"
req POST /api/chat "{\"model\":\"badjson\",\"messages\":$(u1 "$Q_ZH")}" "$O"
check "ollama badjson: one bad line, rest intact" ollama "$O" --stream "r['bad_lines']==1 and r['content']==E['REF_ZH'] and r['terminated']"
req POST /api/chat "{\"model\":\"badutf8\",\"messages\":$(u1 "$Q_ZH")}" "$O"
pyexpr "ollama badutf8 raw 0xff 0xfe" "$O" "b'\\xff\\xfe' in b"
req POST /api/chat "{\"model\":\"length\",\"think\":true,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "ollama length mid-reasoning" ollama "$O" --stream "r['finish']=='length' and r['content']=='' and r['reasoning']"
req POST /api/chat "{\"model\":\"length\",\"messages\":$(u1 "$Q_ZH")}" "$O"
check "ollama length half answer" ollama "$O" --stream "r['finish']=='length' and r['content'] and E['REF_ZH'].startswith(r['content']) and r['content']!=E['REF_ZH']"
req POST /api/chat "{\"model\":\"quota\",\"messages\":$(u1 "$Q_ZH")}" "$O"; code "ollama quota" 429
req POST /api/chat "{\"model\":\"auth\",\"messages\":$(u1 "$Q_ZH")}" "$O"; code "ollama auth" 401
req POST /api/chat "{\"model\":\"notfound\",\"messages\":$(u1 "$Q_ZH")}" "$O"; code "ollama notfound" 404
pyexpr "ollama notfound body" "$O" "json.loads(t)=={'error':\"model 'notfound' not found\"}"
req POST /api/chat "{\"model\":\"gpt-4o\",\"messages\":$(u1 "$Q_ZH")}" "$O"; code "unknown persona" 404
req POST /api/chat '{"model": "correct", "messages": [' "$O"; code "malformed request body" 400

# ---------------------------------------------------------------- OpenAI
req GET /v1/models '' "$O"; code "openai models" 200
pyexpr "openai models list" "$O" "any(m['id']=='correct' for m in json.loads(t)['data'])"
OA="\"stream\":true,\"stream_options\":{\"include_usage\":true}"
req POST /v1/chat/completions "{\"model\":\"correct\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
code "openai stream" 200; hdr "sse content type" "content-type: text/event-stream"
check "openai stream: reasoning_content, finish, usage, [DONE]" openai "$O" --stream \
  "r['content']==E['REF_ZH'] and r['reasoning'] and r['finish']=='stop' and r['terminated'] and r['usage']['completion_tokens_details']['reasoning_tokens']>0"
pyexpr "openai reasoning deltas have content null; usage chunk has choices []" "$O" "b'\"content\":null,\"reasoning_content\"' in b and b'\"choices\":[],\"usage\":{' in b"
req POST /v1/chat/completions "{\"model\":\"correct\",\"stream\":true,\"reasoning_effort\":\"none\",\"messages\":$(u1 "$Q_EN")}" "$O"
check "openai reasoning off, no usage unless asked" openai "$O" --stream "r['content']==E['REF_EN'] and r['reasoning']=='' and r['usage'] is None"
req POST /chat/completions "{\"model\":\"correct\",\"stream\":false,\"messages\":$(u1 "$Q_ZH")}" "$O"
code "openai /chat/completions (no /v1) non-stream" 200
check "openai non-stream body" openai "$O" --nonstream "r['content']==E['REF_ZH'] and r['reasoning'] and r['finish']=='stop' and r['usage']['total_tokens']>0"
for v in crlf cr nospace keepalive split; do
    req POST /v1/chat/completions "{\"model\":\"correct+$v\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
    check "openai +$v reassembles" openai "$O" --stream "r['content']==E['REF_ZH'] and r['terminated'] and r['usage'] and r['bad_lines']==0"
done
req POST /v1/chat/completions "{\"model\":\"correct+crlf\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
pyexpr "openai crlf line ends" "$O" "b'\r\n\r\ndata: ' in b and b.count(b'\n')==2*b.count(b'\r\n')//2 and b'}\n\n' not in b"
req POST /v1/chat/completions "{\"model\":\"correct+cr\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
pyexpr "openai cr line ends" "$O" "b'\n' not in b.replace(b'\\\\n', b'') and b'\r\rdata: ' in b"
req POST /v1/chat/completions "{\"model\":\"correct+nospace\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
pyexpr "openai nospace" "$O" "b'data:{' in b and b'data: ' not in b"
req POST /v1/chat/completions "{\"model\":\"correct+keepalive\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
pyexpr "openai keep-alive comments" "$O" "b'\n: keep-alive\n\n' in b"
req POST /v1/chat/completions "{\"model\":\"correct+nodone\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "openai nodone" openai "$O" --stream "r['content']==E['REF_ZH'] and r['finish']=='stop' and not r['terminated']"
req POST /v1/chat/completions "{\"model\":\"correct+nousage\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "openai nousage" openai "$O" --stream "r['usage'] is None and r['terminated']"
req POST /v1/chat/completions "{\"model\":\"correct+usagefinish\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
pyexpr "openai usagefinish" "$O" "b'\"finish_reason\":\"stop\"}],\"usage\":{' in b and b'\"choices\":[]' not in b"
req POST /v1/chat/completions "{\"model\":\"correct+reasoning\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
pyexpr "openai +reasoning uses delta.reasoning" "$O" "b'\"reasoning\":\"' in b and b'reasoning_content' not in b"
req POST /v1/chat/completions "{\"model\":\"correct+inline\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "openai +inline" openai "$O" --stream "r['content'].startswith('<think>') and '</think>' in r['content'] and r['content'].endswith(E['REF_ZH']) and r['reasoning']==''"
req POST /v1/chat/completions "{\"model\":\"correct+closeonly\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "openai +closeonly" openai "$O" --stream "'<think>' not in r['content'] and r['content'].count('</think>')==1 and r['content'].endswith(E['REF_ZH'])"
req POST /v1/chat/completions "{\"model\":\"correct+both\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
pyexpr "openai +both: one delta with both fields" "$O" \
  "any('reasoning_content' in d and isinstance(d.get('content'),str) and d['content'] for d in [c['delta'] for ln in t.split('\n') if ln.startswith('data: {') for c in json.loads(ln[6:]).get('choices',[])])"
req POST /v1/chat/completions "{\"model\":\"trunc\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "openai trunc" openai "$O" --stream "not r['terminated'] and r['finish'] is None and r['content']"
req POST /v1/chat/completions "{\"model\":\"midfail\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "openai midfail" openai "$O" --stream "r['errors'] and r['errors'][0]['type']=='server_error' and r['finish'] is None"
req POST /v1/chat/completions "{\"model\":\"badjson\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "openai badjson" openai "$O" --stream "r['bad_lines']==1 and r['content']==E['REF_ZH'] and r['terminated']"
req POST /v1/chat/completions "{\"model\":\"badutf8\",$OA,\"messages\":$(u1 "$Q_EN")}" "$O"
check "openai badutf8" openai "$O" --stream "r['invalid_utf8'] and r['terminated'] and r['content'].endswith('§')"
req POST /v1/chat/completions "{\"model\":\"length\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "openai length" openai "$O" --stream "r['finish']=='length' and r['content']=='' and r['reasoning']"
req POST /v1/chat/completions "{\"model\":\"quota\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"; code "openai quota" 429
pyexpr "openai quota body" "$O" "json.loads(t)['error']['code']=='insufficient_quota'"
req POST /v1/chat/completions "{\"model\":\"auth\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"; code "openai auth" 401
req POST /v1/chat/completions "{\"model\":\"notfound\",$OA,\"messages\":$(u1 "$Q_ZH")}" "$O"; code "openai notfound" 404
pyexpr "openai notfound body" "$O" "json.loads(t)['error']['code']=='model_not_found'"

# ---------------------------------------------------------------- Anthropic
AT="\"max_tokens\":4096,\"stream\":true"
TH="\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}"
req POST /v1/messages "{\"model\":\"correct\",$AT,$TH,\"messages\":$(u1 "$Q_ZH")}" "$O"
code "anthropic stream" 200
check "anthropic stream thinking+text, message_stop" anthropic "$O" --stream \
  "r['content']==E['REF_ZH'] and r['reasoning'] and r['finish']=='end_turn' and r['terminated'] and not r['errors']"
pyexpr "anthropic event order" "$O" \
  "[l[7:] for l in t.split('\n') if l.startswith('event: ')][:4]==['message_start','ping','content_block_start','content_block_delta'] and b'\"type\":\"thinking\"' in b"
req POST /v1/messages "{\"model\":\"correct+crlf+split\",$AT,\"messages\":$(u1 "$Q_EN")}" "$O"
check "anthropic crlf+split, no thinking" anthropic "$O" --stream "r['content']==E['REF_EN'] and r['reasoning']=='' and r['terminated']"
pyexpr "anthropic no thinking block" "$O" "b'thinking' not in b and b'\r\n' in b"
req POST /v1/messages "{\"model\":\"correct\",\"max_tokens\":100,$TH,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "anthropic non-stream" anthropic "$O" --nonstream "r['content']==E['REF_ZH'] and r['reasoning'] and r['finish']=='end_turn'"
req POST /v1/messages "{\"model\":\"midfail\",$AT,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "anthropic midfail: event error" anthropic "$O" --stream "r['errors'] and r['errors'][0]['type']=='overloaded_error' and not r['terminated']"
req POST /v1/messages "{\"model\":\"trunc\",$AT,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "anthropic trunc" anthropic "$O" --stream "not r['terminated'] and r['content']"
req POST /v1/messages "{\"model\":\"length\",$AT,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "anthropic length" anthropic "$O" --stream "r['finish']=='max_tokens' and r['terminated'] and r['content']"
req POST /v1/messages "{\"model\":\"auth\",$AT,\"messages\":$(u1 "$Q_ZH")}" "$O"; code "anthropic auth" 401
pyexpr "anthropic error shape" "$O" "json.loads(t)['type']=='error' and json.loads(t)['error']['type']=='authentication_error'"

# ---------------------------------------------------------------- flaky
req POST /fake/reset '{}' "$O"; code "fake/reset" 200
for proto in ollama openai anthropic; do
    case $proto in
        ollama) P=/api/chat; X='"stream":false' ;;
        openai) P=/v1/chat/completions; X='"stream":false' ;;
        anthropic) P=/v1/messages; X='"max_tokens":100' ;;
    esac
    n=0
    for want in 429 500 503 529; do
        [ "$want" = 529 ] && [ "$proto" != anthropic ] && continue
        n=$((n + 1))
        body="{\"model\":\"flaky\",$X,\"messages\":$(u1 "$Q_ZH $n")}"
        req POST "$P" "$body" "$O"; code "$proto flaky conv $n first attempt" "$want"
        case $want in
            429) hdr "$proto 429 Retry-After" "^retry-after: 1" ;;
            500) hdr "$proto 500 is HTML" "^content-type: text/html" ;;
            503) hdr "$proto 503 retry-after-ms" "^retry-after-ms: 200" ;;
        esac
        req POST "$P" "$body" "$O"; code "$proto flaky conv $n retry" 200
    done
    req POST "$P" "{\"model\":\"flaky+fail503\",$X,\"messages\":$(u1 "$Q_EN")}" "$O"; code "$proto flaky+fail503" 503
    req POST "$P" "{\"model\":\"flaky+fail503\",$X,\"messages\":$(u1 "$Q_EN")}" "$O"; code "$proto flaky+fail503 retry" 200
done
req POST /v1/messages "{\"model\":\"flaky\",$AT,\"messages\":$(u1 "$Q_ZH")}" "$O"; code "anthropic flaky stream first" 429
req POST /v1/messages "{\"model\":\"flaky\",$AT,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "anthropic flaky stream retry succeeds" anthropic "$O" --stream "r['content']==E['REF_ZH'] and r['terminated']"

# ---------------------------------------------------------------- HTTP details
req POST /api/chat "{\"model\":\"correct\",\"stream\":false,\"messages\":$(u1 "$Q_ZH")}" "$O" -v -H 'Expect: 100-continue'
code "Expect: 100-continue" 200
grep -q "HTTP/1.1 100 Continue" "$O.e" && ok "100 Continue sent" || fail "no 100 Continue"
printf '{"model":"correct","stream":false,"messages":%s}' "$(u1 "$Q_ZH")" > "$TMP/body.json"
CODE=$(curl -sS -o "$O" -w '%{http_code}' -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/json' \
    --data-binary @"$TMP/body.json" "$BASE/api/chat" 2>"$O.e")
code "chunked request body" 200
curl -sv -o /dev/null -o /dev/null "$BASE/api/version" "$BASE/api/tags" 2>"$TMP/ka.e"
grep -qi "re-using existing connection" "$TMP/ka.e" && ok "keep-alive reuse" || fail "connection not reused"

# raw-socket framing checks (chunk sizes, split characters, pipelining, ...)
if "$PY" "$HERE/wirecheck.py" "$PORT" >"$TMP/wire" 2>&1; then
    PASS=$((PASS + $(grep -c '^ok' "$TMP/wire")))
    [ "$VERBOSE" = 1 ] && cat "$TMP/wire"
else
    PASS=$((PASS + $(grep -c '^ok' "$TMP/wire")))
    FAILS=$((FAILS + 1)); grep -v '^ok' "$TMP/wire"
fi
req POST /v1/chat/completions "{\"model\":\"trunc\",\"messages\":$(u1 "$Q_ZH")}" "$O"
[ "$RC" = 18 ] && ok "non-stream trunc: short body, connection closed" || fail "non-stream trunc: curl rc $RC"
req POST /v1/chat/completions "{\"model\":\"badjson\",\"messages\":$(u1 "$Q_ZH")}" "$O"
check "non-stream badjson: malformed body" openai "$O" --nonstream "r['bad_lines']==1"
req POST /api/chat "{\"model\":\"midfail\",\"stream\":false,\"messages\":$(u1 "$Q_ZH")}" "$O"; code "non-stream midfail" 500

# ---------------------------------------------------------------- slow, hang, huge
S=$(curl -sS -o "$O" -w '%{time_starttransfer}' -H 'Content-Type: application/json' \
    --data-binary "{\"model\":\"slow\",\"stream\":false,\"messages\":$(u1 "$Q_ZH")}" "$BASE/v1/chat/completions")
"$PY" -c "import sys; sys.exit(0 if float('$S')>=1.9 else 1)" && ok "slow first byte after ${S}s" || fail "slow first byte ${S}s"
req POST /api/chat "{\"model\":\"hang\",\"messages\":$(u1 "$Q_ZH")}" "$O" -m 1
[ "$RC" = 28 ] && ok "hang: client times out" || fail "hang: curl rc $RC"
N=$(curl -sS -H 'Content-Type: application/json' --data-binary "{\"model\":\"huge\",$OA,\"messages\":$(u1 "$Q_EN")}" \
    "$BASE/v1/chat/completions" | wc -c)
[ "$N" -gt 104857600 ] && ok "huge: $N bytes streamed" || fail "huge: only $N bytes"
N=$(curl -sS -H 'Content-Type: application/json' --data-binary "{\"model\":\"huge\",\"messages\":$(u1 "$Q_ZH")}" \
    "$BASE/api/chat" 2>/dev/null | head -c 1000000 | wc -c)
[ "$N" -eq 1000000 ] && ok "huge: client may stop early" || fail "huge early stop: $N"
req POST /v1/messages "{\"model\":\"hugethink\",$AT,$TH,\"messages\":$(u1 "$Q_ZH")}" "$O"
check "hugethink: 10 MB reasoning then answer" anthropic "$O" --stream \
  "len(r['reasoning'].encode())>=10*1024*1024 and r['content']==E['REF_ZH'] and r['terminated']"

# hang connection held open while we look at stats and stop the server
curl -sS -o /dev/null -H 'Content-Type: application/json' \
    --data-binary "{\"model\":\"hang\",\"messages\":$(u1 "$Q_ZH")}" "$BASE/api/chat" 2>/dev/null &
HANGPID=$!
sleep 0.5
req GET /fake/stats '' "$O"; code "fake/stats" 200
pyexpr "stats counts" "$O" \
  "(lambda s: s['requests'].get('openai/flaky')==6 and s['requests'].get('anthropic/flaky')==10 and s['by_status'].get('429',0)>=4 and s['in_flight']==1 and s['max_in_flight']>=1)(json.loads(t))"
req POST /fake/reset '' "$O"
req GET /fake/stats '' "$O"
pyexpr "reset clears counters" "$O" "(lambda s: s['requests']=={} and s['by_status']=={})(json.loads(t))"

# ---------------------------------------------------------------- SIGTERM
kill -TERM "$PID"
i=0
while kill -0 "$PID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$PID" 2>/dev/null; then
    fail "SIGTERM: still running after 5 s"
else
    wait "$PID"; rc=$?
    PID=
    [ "$rc" = 0 ] && ok "SIGTERM: exit 0 (with a hung client open)" || fail "SIGTERM: exit status $rc"
fi
wait "$HANGPID" 2>/dev/null
HANGPID=

[ "$VERBOSE" = 1 ] && { echo "--- backend stderr (tail)"; tail -5 "$TMP/stderr"; }
echo "fake backend self-test: $PASS passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
