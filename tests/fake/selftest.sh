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
# check NAME PROTO FILE MODE EXPR: EXPR over r (streamcheck summary), E.
# One python process: streamcheck.py's summary goes to $TMP/sum, then EXPR.
check() {
    : >"$TMP/sum"
    if "$PY" -c "
import sys, os, io, json, contextlib
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
import streamcheck
sum_path, sys.argv = sys.argv[5], sys.argv[1:5]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    streamcheck.main()
open(sum_path, 'w', encoding='utf-8').write(out.getvalue())
E = os.environ
r = json.loads(out.getvalue())
sys.exit(0 if ($5) else 1)" "$HERE" "$2" "$3" "$4" "$TMP/sum" 2>"$TMP/sumerr"; then
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

# ---------------------------------------------------------------- judge
# jbody PROTO MODEL QUESTION ANSWER KIND CRITERION [EXTRA]: a judge request in
# amicus's shape (a system prompt, then one user message with the tags) in
# $J.  EXTRA: more JSON members ('"stream":false').  JPRE, when set, is an
# earlier user turn (the fake must read the last one).  No python here: the
# section sends many requests.
J="$TMP/judge.json"
jesc() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
jbody() {
    _u="<question>\\n$(jesc "$3")\\n</question>\\n<reference>\\nreference\\n</reference>\\n<answer>\\n$(jesc "$4")\\n</answer>\\n<criterion kind=\\\"$5\\\">\\n$(jesc "$6")\\n</criterion>\\n"
    _m="{\"role\":\"user\",\"content\":\"$_u\"}"
    [ -n "${JPRE:-}" ] && _m="{\"role\":\"user\",\"content\":\"$(jesc "$JPRE")\"},{\"role\":\"assistant\",\"content\":\"{}\"},$_m"
    _s='You grade answers. Reply with one JSON object.'
    if [ "$1" = anthropic ]; then
        _b="{\"model\":\"$2\",\"system\":\"$_s\",\"max_tokens\":1024,\"messages\":[$_m]"
    else
        _b="{\"model\":\"$2\",\"messages\":[{\"role\":\"system\",\"content\":\"$_s\"},$_m]"
    fi
    [ -n "${7:-}" ] && _b="$_b,$7"
    printf '%s}' "$_b" > "$J"
}
# jask PROTO MODEL QUESTION ANSWER KIND CRITERION [EXTRA]: sends it; sets CODE, RC, $O
jask() {
    jbody "$@"
    case $1 in
        ollama) req POST /api/chat "@$J" "$O" ;;
        openai) req POST /v1/chat/completions "@$J" "$O" ;;
        anthropic) req POST /v1/messages "@$J" "$O" ;;
    esac
}
# jv NAME MODEL QUESTION ANSWER KIND CRITERION MET EXPLANATION: the verdict (Ollama stream)
jv() {
    jask ollama "$2" "$3" "$4" "$5" "$6"
    JMET=$7; JEXPL=$8; export JMET JEXPL
    check "$1" ollama "$O" --stream \
      "r['terminated'] and json.loads(r['content'])=={'criteria_met': E['JMET']=='true', 'explanation': E['JEXPL']}"
}
CZ='回答指出「第七十条」并不存在。'
CLAIM_ZH='回答声称：著作权法第七十条规定了商标权。'
CLAIM_EN='The answer claims: copyright includes patent rights.'
JOK='{"criteria_met": true, "explanation": "回答包含「第七十条」。"}'
export JOK
if PYTHONPYCACHEPREFIX="$TMP/pycache" "$PY" -m py_compile "$HERE/fake_backend.py" 2>"$TMP/pyc"; then ok "fake_backend.py compiles"; else fail "py_compile: $(cat "$TMP/pyc")"; fi
req GET /api/tags '' "$O"
pyexpr "tags list judge" "$O" "any(m['name']=='judge:latest' for m in json.loads(t)['models'])"

jv "judge: quoted string met (zh)" judge "$Q_ZH" "$REF_ZH" keypoint "$CZ" true '回答包含「第七十条」。'
jv "judge: same criterion, other answer (not cached)" judge "$Q_ZH" "$REF_ZH2" keypoint "$CZ" false '回答没有提到该要点。'
jv "judge: quoted string absent" judge "$Q_ZH" "$REF_ZH" keypoint '回答指出「第六十八条」规定了施行日期。' false '回答没有提到该要点。'
jv "judge: “curly” quotes" judge "$Q_ZH" "$REF_ZH2" keypoint '回答指出本法自“1991年6月1日”起施行。' true '回答包含「1991年6月1日」。'
jv "judge: bigram overlap met (no quotes)" judge "$Q_ZH" "$REF_ZH" keypoint '回答指出现行著作权法共六章六十七条' true '回答包含「现行」。'
jv "judge: bigram overlap under half" judge "$Q_ZH" "$REF_ZH" keypoint '回答指出保护期为作者终生加五十年' false '回答没有提到该要点。'
jv "judge: English keys met" judge "$Q_EN" "$REF_EN" keypoint \
  "The answer states that protection lasts for the author's life plus 50 years." true 'The answer contains "author".'
jv "judge: English keys not met" judge "$Q_EN" "$REF_EN" keypoint \
  'The answer states that registration is required for protection.' false 'The answer does not mention it.'
jv "judge: ASCII quotes, NFKC + casefold" judge "$Q_EN" "$REF_EN" keypoint \
  'The answer states "ＬＩＦＥ Plus 50" (Copyright Law, article 21).' true 'The answer contains "life plus 50".'
jv "judge: only stopwords -> not met" judge "$Q_EN" "$REF_EN" keypoint 'The answer states that.' false 'The answer does not mention it.'
jv "judge: forbidden claim made (zh)" judge "$Q_ZH" "$HALLUC_ZH" forbidden "$CLAIM_ZH" true '回答包含「著作」。'
jv "judge: forbidden claim denied (zh)" judge "$Q_ZH" '著作权法第七十条并没有规定商标权。' forbidden "$CLAIM_ZH" false '回答否认了「著作」。'
jv "judge: forbidden claim made (en)" judge "$Q_EN" 'Copyright also includes patent rights under Article 70.' forbidden "$CLAIM_EN" \
  true 'The answer contains "copyright".'
jv "judge: forbidden claim denied (en)" judge "$Q_EN" 'Fine. Copyright does not include patent rights.' forbidden "$CLAIM_EN" \
  false 'The answer denies "copyright".'
jv "judge: forbidden claim absent" judge "$Q_EN" "$REF_EN" forbidden "$CLAIM_EN" false 'The answer does not mention it.'
jv "judge: </ answer> stays inside the answer" judge "$Q_ZH" '见 </ answer> 之后：第七十条' keypoint "$CZ" true '回答包含「第七十条」。'
JPRE="<question>x</question><reference>y</reference><answer>第七十条</answer><criterion kind=\"keypoint\">「第七十条」</criterion>"
jv "judge: reads the last user message" judge "$Q_ZH" "$REF_ZH2" keypoint "$CZ" false '回答没有提到该要点。'
JPRE=
req POST /api/chat "{\"model\":\"judge\",\"messages\":$(u1 'no tags here')}" "$O"
check "judge: no criterion found" ollama "$O" --stream \
  "json.loads(r['content'])=={'criteria_met': False, 'explanation': 'no criterion found'}"

# every protocol, stream and not, reasoning on and off
for proto in ollama openai anthropic; do
    case $proto in
        ollama) ON='"think":true'; OFF='"think":false' ;;
        openai) ON='"stream_options":{"include_usage":true}'; OFF='"reasoning_effort":"none"' ;;
        anthropic) ON=$TH; OFF='"metadata":{}' ;;
    esac
    for st in true false; do
        mode=--stream; [ "$st" = false ] && mode=--nonstream
        jask "$proto" judge "$Q_ZH" "$REF_ZH" keypoint "$CZ" "\"stream\":$st,$ON"
        code "judge $proto stream:$st" 200
        check "judge $proto stream:$st, reasoning on" "$proto" "$O" "$mode" \
          "r['content']==E['JOK'] and r['reasoning'] and r['terminated'] and r['finish'] in ('stop','end_turn')"
        jask "$proto" judge "$Q_ZH" "$REF_ZH" keypoint "$CZ" "\"stream\":$st,$OFF"
        check "judge $proto stream:$st, reasoning off" "$proto" "$O" "$mode" "r['content']==E['JOK'] and r['reasoning']==''"
    done
done
jask openai judge "$Q_EN" "$REF_EN" keypoint "$CZ" '"stream":true'
check "judge reasoning in the question's language" openai "$O" --stream "r['reasoning'].startswith('I need to check')"
jask openai judge+crlf+split+nodone "$Q_ZH" "$REF_ZH" keypoint "$CZ" '"stream":true'
check "judge +crlf+split+nodone (openai)" openai "$O" --stream "r['content']==E['JOK'] and not r['terminated'] and r['bad_lines']==0"
jask anthropic judge+fence+crlf+keepalive "$Q_ZH" "$REF_ZH" keypoint "$CZ" "\"stream\":true,$TH"
check "judge +fence+crlf+keepalive (anthropic)" anthropic "$O" --stream "r['content']=='\`\`\`json\n'+E['JOK']+'\n\`\`\`' and r['terminated']"
jask openai judge+inline "$Q_ZH" "$REF_ZH" keypoint "$CZ" '"stream":true'
check "judge +inline (openai)" openai "$O" --stream "r['content'].startswith('<think>\n') and r['content'].endswith('</think>\n\n'+E['JOK'])"

# reply shapes
JT='<think>\n我来判断一下。Let me check the criterion.\n</think>\n'
jask ollama judge+think "$Q_ZH" "$REF_ZH" keypoint "$CZ"
check "judge +think" ollama "$O" --stream "r['content']=='$JT'+E['JOK']"
jask ollama judge+fence "$Q_ZH" "$REF_ZH" keypoint "$CZ" '"stream":false'
check "judge +fence" ollama "$O" --nonstream "r['content']=='\`\`\`json\n'+E['JOK']+'\n\`\`\`'"
jask ollama judge+prose "$Q_ZH" "$REF_ZH" keypoint "$CZ"
check "judge +prose (zh)" ollama "$O" --stream "r['content']=='评估结果如下：\n'+E['JOK']+'\n以上。'"
jask ollama judge+prose "$Q_EN" "$REF_EN" keypoint 'The answer states "life plus".'
check "judge +prose (en)" ollama "$O" --stream \
  "r['content']=='Here is my assessment:\n{\"criteria_met\": true, \"explanation\": \"The answer contains \\\\\"life plus\\\\\".\"}\nI hope this helps.'"
jask ollama judge+think+fence+prose:latest "$Q_ZH" "$REF_ZH" keypoint "$CZ"
check "judge +think+fence+prose combine" ollama "$O" --stream \
  "r['content']=='$JT'+'评估结果如下：\n\`\`\`json\n'+E['JOK']+'\n\`\`\`\n以上。'"
jask ollama judge+bad "$Q_ZH" "$REF_ZH" keypoint "$CZ"
check "judge +bad: no JSON" ollama "$O" --stream "r['content']=='I think the answer is fine.' and r['terminated']"
jask ollama judge+nokey "$Q_ZH" "$REF_ZH" keypoint "$CZ"
check "judge +nokey" ollama "$O" --stream "r['content']=='{\"met\": true, \"explanation\": \"回答包含「第七十条」。\"}'"
jask ollama judge+flip "$Q_ZH" "$REF_ZH" keypoint "$CZ"
check "judge +flip" ollama "$O" --stream "json.loads(r['content'])['criteria_met'] is False"
jask ollama judge+flip "$Q_ZH" "$REF_ZH2" keypoint "$CZ"
check "judge +flip (not met -> true)" ollama "$O" --stream "json.loads(r['content'])['criteria_met'] is True"
jask ollama judge+wronglang "$Q_ZH" "$REF_ZH" keypoint "$CZ"
check "judge +wronglang (zh question)" ollama "$O" --stream \
  "json.loads(r['content'])=={'criteria_met': True, 'explanation': 'The answer contains \"第七十条\".'}"
jask ollama judge+wronglang "$Q_EN" "$REF_EN" keypoint 'The answer states that registration is required.'
check "judge +wronglang (en question)" ollama "$O" --stream \
  "json.loads(r['content'])=={'criteria_met': False, 'explanation': '回答没有提到该要点。'}"
jask ollama judge+unknownword "$Q_ZH" "$REF_ZH" keypoint "$CZ"
check "judge: unknown words ignored" ollama "$O" --stream "r['content']==E['JOK']"

# badonce: per conversation, cleared by /fake/reset
BAD1='{"criteria_met": yes, "explanation": "'
export BAD1
req POST /fake/reset '{}' "$O"
for proto in ollama openai anthropic; do
    jask "$proto" judge+badonce "$Q_ZH" "$REF_ZH" keypoint "$CZ" '"stream":false'
    check "judge +badonce $proto first attempt invalid" "$proto" "$O" --nonstream "r['content']==E['BAD1']"
    jask "$proto" judge+badonce "$Q_ZH" "$REF_ZH" keypoint "$CZ" '"stream":false'
    check "judge +badonce $proto second attempt valid" "$proto" "$O" --nonstream "r['content']==E['JOK']"
done
jask openai judge+badonce "$Q_ZH" "$HALLUC_ZH" keypoint "$CZ" '"stream":true'
check "judge +badonce stream: first attempt invalid" openai "$O" --stream "r['content']==E['BAD1'] and r['terminated']"
jask openai judge+badonce "$Q_ZH" "$HALLUC_ZH" keypoint "$CZ" '"stream":true'
check "judge +badonce stream: retry valid" openai "$O" --stream "r['content']==E['JOK']"
jask ollama judge+badonce "$Q_ZH" "$REF_ZH2" keypoint "$CZ" '"stream":false'
check "judge +badonce: another conversation starts invalid" ollama "$O" --nonstream "r['content']==E['BAD1']"
req POST /fake/reset '{}' "$O"
jask ollama judge+badonce "$Q_ZH" "$REF_ZH" keypoint "$CZ" '"stream":false'
check "judge +badonce: invalid again after /fake/reset" ollama "$O" --nonstream "r['content']==E['BAD1']"
jask ollama judge+badonce+fence "$Q_ZH" "$REF_ZH" keypoint "$CZ" '"stream":false'
check "judge +badonce+fence: fenced invalid JSON" ollama "$O" --nonstream "r['content']=='\`\`\`json\n'+E['BAD1']+'\n\`\`\`'"

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
