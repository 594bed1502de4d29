#!/usr/bin/env python3
"""Raw-socket checks of the fake backend's HTTP framing (what curl hides).

usage: wirecheck.py PORT
Checks: chunk sizes of the split variant, a multi-byte character split across
two HTTP chunks (badutf8), trunc closing without the terminating chunk,
keep-alive and pipelining on one socket, Expect: 100-continue, HTTP/1.0 close.
Prints one line per check; exit status 1 if any failed.  Stdlib only.
"""
import json
import socket
import sys

PORT = int(sys.argv[1])
FAILS = 0
Q = "著作权法第七十条规定了什么内容？"


def report(name, cond, detail=""):
    global FAILS
    if cond:
        print("ok   wire: %s" % name)
    else:
        FAILS += 1
        print("FAIL wire: %s %s" % (name, detail))


class Conn:
    def __init__(self):
        self.s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
        self.buf = b""

    def send(self, data):
        self.s.sendall(data)

    def _fill(self):
        d = self.s.recv(65536)
        if not d:
            raise EOFError
        self.buf += d

    def line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        ln, self.buf = self.buf.split(b"\r\n", 1)
        return ln

    def exact(self, n):
        while len(self.buf) < n:
            self._fill()
        d, self.buf = self.buf[:n], self.buf[n:]
        return d

    def response(self):
        """-> (status, headers, body, chunks, terminated)"""
        status = int(self.line().split()[1])
        hdrs = {}
        while True:
            ln = self.line()
            if not ln:
                break
            k, _, v = ln.decode("latin-1").partition(":")
            hdrs[k.strip().lower()] = v.strip()
        chunks, terminated = [], False
        if hdrs.get("transfer-encoding") == "chunked":
            try:
                while True:
                    n = int(self.line(), 16)
                    if n == 0:
                        self.line()
                        terminated = True
                        break
                    chunks.append(self.exact(n))
                    self.exact(2)
            except EOFError:
                pass
            body = b"".join(chunks)
        elif "content-length" in hdrs:
            body = self.exact(int(hdrs["content-length"])) if status != 100 else b""
        else:
            body = b""
        return status, hdrs, body, chunks, terminated

    def closed(self):
        try:
            self.s.settimeout(5)
            return self.s.recv(1) == b""
        except (ConnectionResetError, socket.timeout):
            return False

    def close(self):
        self.s.close()


def post(path, obj, extra=""):
    b = json.dumps(obj, ensure_ascii=False).encode()
    return (("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n%s"
             "Content-Length: %d\r\n\r\n") % (path, extra, len(b))).encode() + b


def chat(model, proto="openai"):
    path = {"openai": "/v1/chat/completions", "ollama": "/api/chat", "anthropic": "/v1/messages"}[proto]
    o = {"model": model, "stream": True, "max_tokens": 100, "messages": [{"role": "user", "content": Q}]}
    return post(path, o)


def main():
    c = Conn()
    c.send(chat("correct+split"))
    st, h, body, chunks, term = c.response()
    report("split: 1-3 byte chunks", st == 200 and term and chunks and max(map(len, chunks)) <= 3,
           "max chunk %s" % (max(map(len, chunks)) if chunks else None))
    report("split: some chunk ends inside a UTF-8 character",
           any(ch[-1] >= 0xC0 or (0x80 <= ch[-1] < 0xC0 and len(ch) < 3) for ch in chunks if ch))
    report("split: \\u escapes present", b"\\u" in body)
    c.send(b"GET /api/version HTTP/1.1\r\nHost: x\r\n\r\n")
    st, h, body, _, _ = c.response()
    report("keep-alive: second request on the same socket", st == 200 and b"version" in body)
    # pipelining: two requests in one write
    c.send(chat("correct", "ollama") + b"GET /api/version HTTP/1.1\r\nHost: x\r\n\r\n")
    r1, r2 = c.response(), c.response()
    report("pipelined requests", r1[0] == 200 and r1[4] and r2[0] == 200)
    # expect 100-continue
    b = json.dumps({"model": "correct", "stream": False, "messages": [{"role": "user", "content": Q}]},
                   ensure_ascii=False).encode()
    c.send(("POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(b)).encode())
    st1 = c.response()[0]
    c.send(b)
    st2, h, body, _, _ = c.response()
    report("Expect: 100-continue", st1 == 100 and st2 == 200 and json.loads(body)["done"])
    c.close()

    c = Conn()
    c.send(chat("badutf8", "anthropic"))
    st, h, body, chunks, term = c.response()
    split_mb = any(ch and ch[-1] >= 0xC0 for ch in chunks)
    report("badutf8: raw 0xff 0xfe and a character split across chunks",
           term and b"\xff\xfe" in body and split_mb)
    c.close()

    for proto in ("ollama", "openai", "anthropic"):
        c = Conn()
        c.send(chat("trunc", proto))
        st, h, body, chunks, term = c.response()
        report("trunc (%s): closed without the 0-length chunk" % proto,
               st == 200 and chunks and not term and h.get("connection") == "close")
        c.close()

    c = Conn()
    c.send(b"GET /api/version HTTP/1.0\r\nHost: x\r\n\r\n")
    st, h, body, _, _ = c.response()
    report("HTTP/1.0 without keep-alive gets Connection: close",
           st == 200 and h.get("connection") == "close" and c.closed())
    c.close()

    c = Conn()
    c.send(b"GET /api/version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    st, h, body, _, _ = c.response()
    report("Connection: close honoured", st == 200 and c.closed())
    c.close()
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
