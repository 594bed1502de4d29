#!/usr/bin/env python3
"""Load check for the fake backend: N streamed requests over C keep-alive connections.

usage: loadcheck.py [--port P | --spawn] [--requests 1000] [--concurrency 200]
                    [--latency-ms 200] [--model correct] [--protocol mix|ollama|openai|anthropic]
--spawn starts fake_backend.py itself (with --latency-ms) and reports its CPU time.
Every response is read to the end and checked for the protocol's proper ending.
Prints a JSON summary (requests/s, latency percentiles, max in flight).  Stdlib only
(PyYAML optional: used to take the questions from the repository's bank).
"""
import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PATHS = {"ollama": "/api/chat", "openai": "/v1/chat/completions", "anthropic": "/v1/messages"}
ENDS = {"ollama": b"\"done\":true", "openai": b"[DONE]", "anthropic": b"message_stop"}


def questions():
    try:
        import yaml
        out = []
        root = os.path.join(HERE, "..", "..", "questions")
        for dp, _, fns in os.walk(root):
            for fn in fns:
                if fn.endswith(".yaml"):
                    with open(os.path.join(dp, fn), encoding="utf-8") as f:
                        d = yaml.safe_load(f)
                    out.extend(t["ask"].strip() for t in d.get("turns", []))
        if out:
            return out
    except Exception:  # noqa: BLE001
        pass
    return ["著作权法第七十条规定了什么内容？", "How long is the copyright term?"]


async def read_response(reader):
    status_line = await reader.readline()
    if not status_line:
        raise EOFError
    status = int(status_line.split()[1])
    hdrs = {}
    while True:
        ln = await reader.readline()
        if ln in (b"\r\n", b"\n"):
            break
        if not ln:
            raise EOFError
        k, _, v = ln.decode("latin-1").partition(":")
        hdrs[k.strip().lower()] = v.strip()
    body = []
    if hdrs.get("transfer-encoding") == "chunked":
        while True:
            n = int((await reader.readline()).strip(), 16)
            if n == 0:
                await reader.readline()
                break
            body.append(await reader.readexactly(n))
            await reader.readexactly(2)
    else:
        body.append(await reader.readexactly(int(hdrs.get("content-length", "0"))))
    return status, hdrs, b"".join(body)


async def run(args, port):
    qs = questions()
    next_i = [0]
    lat, errors = [], []
    protos = ["ollama", "openai", "anthropic"] if args.protocol == "mix" else [args.protocol]

    def make(i):
        proto = protos[i % len(protos)]
        o = {"model": args.model, "stream": True, "max_tokens": 1000,
             "messages": [{"role": "user", "content": qs[i % len(qs)]}]}
        if proto == "ollama":
            o["think"] = True
        elif proto == "openai":
            o["stream_options"] = {"include_usage": True}
        else:
            o["thinking"] = {"type": "enabled", "budget_tokens": 1024}
        b = json.dumps(o, ensure_ascii=False).encode()
        return proto, (("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Content-Length: %d\r\n\r\n") % (PATHS[proto], len(b))).encode() + b

    async def worker():
        reader = writer = None
        while next_i[0] < args.requests:
            i = next_i[0]
            next_i[0] += 1
            proto, req = make(i)
            t0 = time.monotonic()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
                writer.write(req)
                status, hdrs, body = await read_response(reader)
                if status != 200 or ENDS[proto] not in body:
                    errors.append("%s status %d" % (proto, status))
                if hdrs.get("connection") == "close":
                    writer.close()
                    writer = None
            except Exception as e:  # noqa: BLE001
                errors.append("%s %r" % (proto, e))
                if writer:
                    writer.close()
                writer = None
            lat.append(time.monotonic() - t0)
        if writer:
            writer.close()

    async def get(path, body=None):
        r, w = await asyncio.open_connection("127.0.0.1", port)
        if body is None:
            w.write(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
        else:
            w.write(("POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                     % (path, len(body))).encode() + body)
        res = await read_response(r)
        w.close()
        return res

    await get("/fake/reset", b"{}")
    t0 = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    elapsed = time.monotonic() - t0
    stats = json.loads((await get("/fake/stats"))[2])
    lat.sort()

    def pct(p):
        return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 1) if lat else None
    return {"requests": len(lat), "errors": len(errors), "first_errors": errors[:5],
            "concurrency": args.concurrency, "latency_ms": args.latency_ms,
            "elapsed_s": round(elapsed, 3), "req_per_s": round(len(lat) / elapsed, 1),
            "lat_p50_ms": pct(0.5), "lat_p99_ms": pct(0.99), "lat_max_ms": pct(1.0),
            "server_max_in_flight": stats["max_in_flight"], "server_by_status": stats["by_status"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int)
    ap.add_argument("--spawn", action="store_true")
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--latency-ms", type=int, default=200)
    ap.add_argument("--model", default="correct")
    ap.add_argument("--protocol", default="mix")
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args()
    proc = None
    port = args.port
    if args.spawn or not port:
        td = tempfile.mkdtemp()
        pf = os.path.join(td, "port")
        proc = subprocess.Popen([args.python, os.path.join(HERE, "fake_backend.py"), "--port-file", pf,
                                 "--latency-ms", str(args.latency_ms)], stdout=subprocess.DEVNULL)
        for _ in range(100):
            if os.path.exists(pf):
                break
            time.sleep(0.1)
        port = int(open(pf).read())
    try:
        res = asyncio.run(run(args, port))
        if proc:
            with open("/proc/%d/stat" % proc.pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            tick = os.sysconf("SC_CLK_TCK")
            res["server_cpu_s"] = round((int(fields[11]) + int(fields[12])) / tick, 2)
        print(json.dumps(res, ensure_ascii=False))
        return 0 if res["errors"] == 0 else 1
    finally:
        if proc:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    sys.exit(main())
