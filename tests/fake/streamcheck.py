#!/usr/bin/env python3
"""Decode a captured fake-backend response body and print a JSON summary.

usage: streamcheck.py PROTOCOL FILE [--stream|--nonstream]
  PROTOCOL: ollama | openai | anthropic
prints {"content", "reasoning", "finish", "terminated", "errors", "bad_lines",
        "usage", "events", "invalid_utf8"}
  finish      done_reason / finish_reason / stop_reason seen (null if none)
  terminated  the stream ended the protocol's proper way
              (ollama: done:true; openai: data: [DONE]; anthropic: message_stop)
Used by selftest.sh; stdlib only.
"""
import json
import re
import sys


def sse_events(text):
    """Split SSE text (any of LF / CRLF / CR line ends) into (event, data) pairs."""
    lines = re.split(r"\r\n|\r|\n", text)
    ev, data, out = None, [], []
    for ln in lines:
        if ln == "":
            if data:
                out.append((ev, "\n".join(data)))
            ev, data = None, []
            continue
        if ln.startswith(":"):
            continue
        field, _, val = ln.partition(":")
        if val.startswith(" "):
            val = val[1:]
        if field == "event":
            ev = val
        elif field == "data":
            data.append(val)
    if data:
        out.append((ev, "\n".join(data)))
    return out


def main():
    proto, path = sys.argv[1], sys.argv[2]
    mode = sys.argv[3] if len(sys.argv) > 3 else "--stream"
    raw = open(path, "rb").read()
    try:
        raw.decode("utf-8")
        invalid = False
    except UnicodeDecodeError:
        invalid = True
    text = raw.decode("utf-8", "replace")
    r = {"content": "", "reasoning": "", "finish": None, "terminated": False, "errors": [],
         "bad_lines": 0, "usage": None, "events": 0, "invalid_utf8": invalid}
    if mode == "--nonstream":
        try:
            o = json.loads(text)
        except ValueError:
            r["bad_lines"] = 1
            print(json.dumps(r, ensure_ascii=False))
            return
        r["events"] = 1
        if proto == "ollama":
            m = o.get("message") or {}
            r["content"], r["reasoning"] = m.get("content", ""), m.get("thinking", "")
            r["finish"], r["terminated"] = o.get("done_reason"), bool(o.get("done"))
        elif proto == "openai":
            c = o["choices"][0]
            m = c["message"]
            r["content"] = m.get("content") or ""
            r["reasoning"] = m.get("reasoning_content") or m.get("reasoning") or ""
            r["finish"], r["terminated"], r["usage"] = c.get("finish_reason"), True, o.get("usage")
        else:
            for b in o.get("content", []):
                if b["type"] == "text":
                    r["content"] += b["text"]
                elif b["type"] == "thinking":
                    r["reasoning"] += b["thinking"]
            r["finish"], r["terminated"], r["usage"] = o.get("stop_reason"), True, o.get("usage")
        print(json.dumps(r, ensure_ascii=False))
        return
    if proto == "ollama":
        for ln in re.split(r"\r\n|\n", text):
            if not ln.strip():
                continue
            try:
                o = json.loads(ln)
            except ValueError:
                r["bad_lines"] += 1
                continue
            r["events"] += 1
            if "error" in o:
                r["errors"].append(o["error"])
                continue
            m = o.get("message") or {}
            r["content"] += m.get("content", "")
            r["reasoning"] += m.get("thinking", "")
            if o.get("done"):
                r["terminated"] = True
                r["finish"] = o.get("done_reason")
                r["usage"] = {"prompt_eval_count": o.get("prompt_eval_count"),
                              "eval_count": o.get("eval_count")}
    elif proto == "openai":
        for _, data in sse_events(text):
            if data == "[DONE]":
                r["terminated"] = True
                continue
            try:
                o = json.loads(data)
            except ValueError:
                r["bad_lines"] += 1
                continue
            r["events"] += 1
            if "error" in o:
                r["errors"].append(o["error"])
                continue
            if o.get("usage"):
                r["usage"] = o["usage"]
            for c in o.get("choices", []):
                d = c.get("delta") or {}
                r["content"] += d.get("content") or ""
                r["reasoning"] += d.get("reasoning_content") or d.get("reasoning") or ""
                if c.get("finish_reason"):
                    r["finish"] = c["finish_reason"]
    else:
        for ev, data in sse_events(text):
            try:
                o = json.loads(data)
            except ValueError:
                r["bad_lines"] += 1
                continue
            r["events"] += 1
            t = o.get("type")
            if ev and ev != t:
                r["errors"].append("event/type mismatch %s/%s" % (ev, t))
            if t == "error":
                r["errors"].append(o["error"])
            elif t == "content_block_delta":
                d = o["delta"]
                if d["type"] == "text_delta":
                    r["content"] += d["text"]
                elif d["type"] == "thinking_delta":
                    r["reasoning"] += d["thinking"]
            elif t == "message_delta":
                r["finish"] = o["delta"].get("stop_reason")
                r["usage"] = o.get("usage")
            elif t == "message_stop":
                r["terminated"] = True
    print(json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    main()
