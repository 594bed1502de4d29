#!/bin/sh
# Whatever reaches amicus serve's port: a slowloris, a thousand idle
# connections beside a client who still gets answers, malformed requests
# and smuggling attempts (400 and a closed connection), the caps, and the
# JSON API fed wrong types, huge numbers and SQL.  The daemon keeps
# answering throughout.
set -u
. "$(dirname "$0")/lib.sh"

cat >"$work/amicus.yaml" <<EOF
database: amicus.db
questions: $srcdir/questions
rubrics: $srcdir/rubrics
backends:
  - {name: demo, kind: demo, models: [demo-direct]}
EOF
cd "$work" || exit 1
"$AMICUS" run -c amicus.yaml --suite area:patent -q >/dev/null 2>&1
start_serve
base="http://127.0.0.1:$serve_port"

cat >hostile.py <<'EOF'
import json, socket, sys, time, threading, urllib.request

port = int(sys.argv[1])
results = {}

def conn():
    s = socket.create_connection(("127.0.0.1", port), timeout=15)
    return s

def exchange(data, wait=10):
    """Sends data, returns (first line of the answer, whether the server closed)."""
    s = conn()
    s.settimeout(wait)
    s.sendall(data)
    out = b""
    closed = False
    try:
        while True:
            b = s.recv(65536)
            if not b:
                closed = True
                break
            out += b
    except socket.timeout:
        pass
    except ConnectionResetError:
        closed = True
    s.close()
    return out.split(b"\r\n", 1)[0].decode("latin-1"), closed

def get(path):
    t0 = time.monotonic()
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=10) as r:
        r.read()
        return r.status, time.monotonic() - t0

# Malformed requests and smuggling: 400, and the connection closed.
cases = {
    "garbage": b"\x00\x01\x02 not http\r\n\r\n",
    "bad_method": b"G\x7fT / HTTP/1.1\r\nHost: x\r\n\r\n",
    "bad_version": b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    "header_no_colon": b"GET / HTTP/1.1\r\nHost x\r\n\r\n",
    "space_in_header_name": b"GET / HTTP/1.1\r\nHo st: x\r\n\r\n",
    "te_and_cl": b"POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "two_cl": b"POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 20\r\n\r\n{}",
    "bad_chunk": b"POST /api/runs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    "negative_cl": b"POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "huge_cl": b"POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
    "lf_only_obs_fold": b"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
}
for name, data in cases.items():
    line, closed = exchange(data)
    results["malformed " + name] = (line.startswith("HTTP/1.1 4") and closed, line + (" closed" if closed else " open"))

# Slowloris: one header byte a second never finishes a request; the server
# gives up on it in bounded time while answering everyone else.
def slowloris(out):
    s = conn()
    t0 = time.monotonic()
    try:
        s.sendall(b"GET /api/health HTTP/1.1\r\n")
        while time.monotonic() - t0 < 40:
            s.sendall(b"X")
            time.sleep(1)
    except (BrokenPipeError, ConnectionResetError):
        pass
    out["slowloris"] = time.monotonic() - t0
th = threading.Thread(target=slowloris, args=(results,))
th.start()

# A thousand idle connections, and a client who still gets answers.
idle = []
for i in range(1000):
    idle.append(conn())
times = [get("/api/health")[1] for _ in range(50)]
results["1000 idle connections: health still answers (worst %.0f ms)" % (1000 * max(times))] = (max(times) < 5, "")
status, _ = get("/api/leaderboard")
results["1000 idle connections: the leaderboard still answers"] = (status == 200, str(status))
for s in idle:
    s.close()
th.join()
secs = results.pop("slowloris")
results["a slowloris is cut off within the header timeout (%.1f s)" % secs] = (secs < 15, "")
print(json.dumps({k: list(v) for k, v in results.items()}))
EOF
python3 hostile.py "$serve_port" >hostile.json 2>hostile.err
check "the hostile client ran" "[ -s hostile.json ] || cat hostile.err"
python3 -c "
import json
for k, (ok, info) in json.load(open('hostile.json')).items():
    print(('ok   ' if ok else 'FAIL: ') + k + ('' if ok else ' (' + info + ')'))
" >hostile.txt
cat hostile.txt
fails=$((fails + $(grep -c '^FAIL' hostile.txt)))

# The JSON API fed what it should refuse.
api() { curl -s -o body -w '%{http_code}' "$@"; }
for body in '[]' '"x"' '{"samples": "3"}' '{"samples": 1e308}' '{"samples": 99999999999999999999}' \
	'{"samples": -1}' '{"models": "demo-direct"}' '{"models": [1]}' '{"models": [null]}' \
	'{"suite": 7}' '{"suite": {"a": 1}}' '{"suite": "x'"'"'; DROP TABLE runs; --"}' \
	'{"models": ["'"'"' OR 1=1 --"]}' '{"samples": 1, "samples": 2, "models": []}'; do
	code=$(api -X POST --data-binary "$body" "$base/api/runs")
	check "POST /api/runs $body: refused with a message ($code)" \
		"[ $code -ge 400 ] && [ $code -lt 500 ] && grep -q '\"error\"' body"
done
for q in 'limit=-1' 'limit=99999999999999999999' 'limit=1e3' 'limit=%27' 'page=0' 'per_page=100000' \
	'passed=2' 'hallucinated=%27%20OR%201=1' 'run=1%20OR%201=1' 'run=-1' 'run=99999999999999999999999'; do
	path=/api/answers
	case $q in limit*) path=/api/runs ;; esac
	code=$(api "$base$path?$q")
	check "GET $path?$q: 400" "[ $code = 400 ]"
done
code=$(api "$base/api/answers?model=%27%20OR%201%3D1%20--")
check "GET /api/answers?model=' OR 1=1 --: an empty page, not every answer" \
	"[ $code = 200 ] && python3 -c \"import json; assert json.load(open('body'))['total'] == 0\""
check "the runs table is still there, and the daemon healthy" \
	"[ \$(sql 'SELECT count(*) FROM runs') -ge 1 ] && [ \$(api $base/api/health) = 200 ]"

finish "hostile"
