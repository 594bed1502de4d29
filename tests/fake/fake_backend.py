#!/usr/bin/env python3
"""Fake language-model backend for amicus tests.

Speaks three wire protocols on one port (Ollama, OpenAI-compatible,
Anthropic Messages) and behaves according to a *persona* chosen by the
model name ("correct", "flaky+crlf", "trunc:latest", ...).  See README.md
next to this file for the full description.

Standard library only, plus PyYAML (Debian: python3-yaml) to read the
question bank.  asyncio streams, HTTP/1.1 keep-alive, chunked streaming.
"""

import argparse
import asyncio
import hashlib
import json
import os
import re
import signal
import sys
import time
import unicodedata
from collections import Counter, OrderedDict

try:
    import yaml
except ImportError:  # pragma: no cover - reported at start-up
    yaml = None

# --------------------------------------------------------------------------
# constants

PERSONAS = (
    "correct", "halluc", "looper", "flaky", "moody", "xss", "slow", "trunc", "midfail",
    "badjson", "quota", "auth", "notfound", "hang", "huge", "hugethink",
    "badutf8", "length", "judge",
)
VARIANTS = frozenset((
    "crlf", "cr", "nospace", "keepalive", "split", "nodone", "nousage",
    "usagefinish", "reasoning", "inline", "closeonly", "both", "nothink",
    "fail429", "fail500", "fail503", "fail529",
    # judge persona
    "think", "fence", "prose", "badonce", "bad", "wronglang", "nokey", "flip",
))

UNKNOWN_ZH = "我不知道这个问题。"
UNKNOWN_EN = "I do not know this question."
HALLUC_ZH = "此外，著作权还包括专利权。依照著作权法第七十条，权利人还享有商标权。"
HALLUC_EN = "Copyright also includes patent rights under Article 70 of the Copyright Law."
XSS_TAIL = ('<script>window.__amicus_pwned = "script"</script>'
            '<img src=x onerror="window.__amicus_pwned = \'img\'">'
            '<a href="javascript:window.__amicus_pwned = \'link\'">click</a>')
LOOP_ZH = "我需要再检查一下这个问题。"
LOOP_EN = ("Wait, let me check again.", "Let me re-read the question.",
           "Hmm, I should double-check that.")
SPLICE_EN_WORDS = ("the right of", "however", "copyright")
SPLICE_ZH_WORDS = ("著作权", "但是", "权利人")
OLLAMA_MIDFAIL = "model runner has unexpectedly stopped"

JUDGE_STOP_EN = frozenset(("the", "and", "that", "this", "with", "for", "are", "was", "not",
                           "its", "from", "has", "have", "answer", "states", "claims", "says"))
JUDGE_STOP_ZH = frozenset(("回答", "指出", "声称", "说明", "提到"))
JUDGE_CLAIM_PREFIXES = ("回答声称：", "回答声称:", "the answer claims:")
JUDGE_DENIAL_ZH = ("不", "没有", "并非", "并不", "不是")
JUDGE_THINK = "<think>\n我来判断一下。Let me check the criterion.\n</think>\n"
JUDGE_BAD = "I think the answer is fine."
JUDGE_BADONCE = '{"criteria_met": yes, "explanation": "'
JUDGE_NOCRIT = "no criterion found"

HUGE_CONTENT_BYTES = 100 * 1024 * 1024
HUGE_THINK_BYTES = 10 * 1024 * 1024
HUGE_UNIT_BYTES = 16 * 1024
SPLIT_LIMIT_BYTES = 64 * 1024      # the split variant splits only this much
PAUSE_S = 0.02                     # gap used to force a read boundary
SPLIT_SLEEP_S = 0.001
SPLIT_SLEEP_EVERY = 16            # pieces written between two tiny sleeps
SLOW_FIRST_BYTE_S = 2.0
SLOW_CHUNK_DELAY_S = 0.1
CACHE_MAX = 4096

FAILURE_CYCLE = {
    "ollama": (429, 500, 503),
    "openai": (429, 500, 503),
    "anthropic": (429, 500, 503, 529),
}

REASONS = {
    100: "Continue", 200: "OK", 400: "Bad Request", 401: "Unauthorized",
    404: "Not Found", 405: "Method Not Allowed", 411: "Length Required",
    413: "Payload Too Large", 429: "Too Many Requests",
    431: "Request Header Fields Too Large", 500: "Internal Server Error",
    503: "Service Unavailable", 529: "Overloaded",
}

HTML_500 = (b"<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n"
            b"<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n"
            b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")

PAUSE = object()          # stream item: flush, then sleep PAUSE_S

_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_JUDGE_MSG = re.compile(
    r"(?:<question>(.*?)</question>\s*)?(?:<reference>(.*?)</reference>\s*)?"
    r"<answer>(.*?)</answer>\s*<criterion(?:\s+kind\s*=\s*\"([^\"]*)\")?\s*>(.*?)</criterion>", re.S)
_QUOTED = re.compile(r"「([^」]*)」|“([^”]*)”|\"([^\"]*)\"")
_JUDGE_TOKEN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+)"
                          r"|([a-z\u00df-\u00f6\u00f8-\u024f]+)")
_SENT_END = re.compile(r"[。!?;\n]|\.(?=\s|$)")
_DENIAL_EN = re.compile(r"(?<![a-z])(?:not|never|no\s+longer|isn't|doesn't)(?![a-z])")


def dumps(obj, ascii_only=False):
    return json.dumps(obj, ensure_ascii=ascii_only, separators=(",", ":"))


def enc(s):
    # lone surrogates \udc80-\udcff become raw bytes (used by badutf8)
    return s.encode("utf-8", "surrogateescape")


def ntok(s):
    """Rough token count: one per CJK character, one per 4 other chars."""
    if not s:
        return 0
    c = len(_CJK.findall(s))
    return c + (len(s) - c + 3) // 4


def guess_lang(text):
    return "zh" if _HAN.search(text or "") else "en"


def pieces(text, n):
    if not text:
        return []
    return [text[i:i + n] for i in range(0, len(text), n)]


def now_iso_ns():
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%09dZ" % int((t % 1) * 1e9)


# --------------------------------------------------------------------------
# question bank

class Turn:
    __slots__ = ("qid", "index", "ask", "reference", "lang", "prev")

    def __init__(self, qid, index, ask, reference, lang, prev):
        self.qid, self.index, self.ask = qid, index, ask
        self.reference, self.lang, self.prev = reference, lang, prev


def norm_ws(s):
    return " ".join(s.split())


class Bank:
    def __init__(self):
        self.exact = {}      # ask -> [Turn]
        self.normed = {}     # whitespace-collapsed ask -> [Turn]
        self.turns = []
        self.miss_cache = OrderedDict()

    def load(self, root):
        if not root or not os.path.isdir(root):
            return 0
        if yaml is None:
            sys.stderr.write("fake_backend: PyYAML missing (apt-get install python3-yaml)\n")
            return 0
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        nfiles = 0
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for fn in sorted(filenames):
                if not fn.endswith((".yaml", ".yml")):
                    continue
                path = os.path.join(dirpath, fn)
                try:
                    with open(path, encoding="utf-8") as f:
                        doc = yaml.load(f, Loader=loader)
                except Exception as e:  # noqa: BLE001
                    sys.stderr.write("fake_backend: skipping %s: %s\n" % (path, e))
                    continue
                if not isinstance(doc, dict) or not isinstance(doc.get("turns"), list):
                    continue
                qid = str(doc.get("id") or fn)
                lang = doc.get("language")
                prev = []
                for i, t in enumerate(doc["turns"]):
                    if not isinstance(t, dict):
                        continue
                    ask, ref = t.get("ask"), t.get("reference")
                    if not isinstance(ask, str) or not isinstance(ref, str):
                        continue
                    ask = ask.strip()
                    tl = lang if lang in ("zh", "en") else guess_lang(ask)
                    turn = Turn(qid, i, ask, ref.strip(), tl, tuple(prev))
                    self.exact.setdefault(ask, []).append(turn)
                    self.normed.setdefault(norm_ws(ask), []).append(turn)
                    self.turns.append(turn)
                    prev.append(ask)
                nfiles += 1
        return nfiles

    @staticmethod
    def _pick(cands, earlier):
        if len(cands) == 1:
            return cands[0]
        earlier = tuple(e.strip() for e in earlier)
        best, score = cands[0], -1
        for c in cands:
            s = sum(1 for p in c.prev if p in earlier) - abs(len(c.prev) - len(earlier))
            if s > score:
                best, score = c, s
        return best

    def lookup(self, last_user, earlier):
        q = last_user.strip()
        c = self.exact.get(q)
        if c:
            return self._pick(c, earlier)
        c = self.normed.get(norm_ws(q))
        if c:
            return self._pick(c, earlier)
        # last resort: a known ask embedded in a templated prompt
        if q in self.miss_cache:
            return self.miss_cache[q]
        hit = None
        for t in sorted(self.turns, key=lambda t: -len(t.ask)):
            if len(t.ask) >= 4 and t.ask in q:
                hit = t
                break
        self.miss_cache[q] = hit
        if len(self.miss_cache) > 1024:
            self.miss_cache.popitem(last=False)
        return hit


# --------------------------------------------------------------------------
# personas -> plan (what to say, how to end)

class Plan:
    __slots__ = ("persona", "lang", "reasoning", "answer", "finish", "ending",
                 "badjson", "badutf8", "lazy_think", "lazy_content",
                 "think_tokens", "content_tokens")

    def __init__(self):
        self.persona = "correct"
        self.lang = "en"
        self.reasoning = None      # str or None (reasoning off)
        self.answer = ""
        self.finish = "stop"       # stop | length
        self.ending = "ok"         # ok | cut | error
        self.badjson = False
        self.badutf8 = False
        self.lazy_think = None     # (unit, count)
        self.lazy_content = None   # (unit, count)
        self.think_tokens = 0
        self.content_tokens = 0


def sensible_reasoning(lang, question):
    q = question.strip().replace("\n", " ")
    if len(q) > 60:
        q = q[:60] + "…"
    if lang == "zh":
        return ("用户问的是：“%s”。我需要先找出适用的法律和具体条文，核对条文序号、期限、金额等关键数字，"
                "注意问题里有没有错误的前提，然后用简洁的语言给出结论和依据。" % q)
    return ("The user asks: \"%s\". I should identify the statute that applies, check the article "
            "numbers, time limits and amounts, watch for a false premise in the question, and then "
            "give a concise answer with its legal basis." % q)


def looping_reasoning():
    out = []
    for i in range(20):
        out.append(LOOP_ZH)
        if i % 4 == 3:
            out.append(LOOP_EN[(i // 4) % len(LOOP_EN)])
    return "".join(out)


def splice(text, lang):
    """Splice three foreign words into the answer (code-switching)."""
    if lang == "zh":
        n = len(text)
        pos = []
        for k in (1, 2, 3):
            p = target = n * k // 4
            if n >= 40:
                # prefer just after a punctuation mark, but not the final one
                for j in range(target, min(n - 1, target + n // 8)):
                    if text[j] in "，。；：,.;:":
                        p = j + 1
                        break
            pos.append(max(p, pos[-1] if pos else 0))
        out, last = [], 0
        for w, p in zip(SPLICE_EN_WORDS, pos):
            out.append(text[last:p])
            out.append(w)
            last = p
        out.append(text[last:])
        return "".join(out)
    toks = text.split(" ")
    m = len(toks)
    out, last = [], 0
    for k, w in zip((1, 2, 3), SPLICE_ZH_WORDS):
        i = max(last, min(m, max(1, m * k // 4)))
        out.extend(toks[last:i])
        out.append(w)
        last = i
    out.extend(toks[last:])
    return " ".join(out)


def big_unit(base):
    u = base.replace("\n", " ") + " "
    while len(enc(u)) < HUGE_UNIT_BYTES:
        u = u + u
    b = enc(u)[:HUGE_UNIT_BYTES]
    return b.decode("utf-8", "ignore")


def make_plan(persona, variants, hit, last_user, reasoning_on, judge=None):
    p = Plan()
    p.persona = persona
    if judge is not None:
        # judge: (language, reply content) from judge_reply
        lang, base = judge
        reasoning = judge_reasoning(lang)
    else:
        lang = hit.lang if hit else guess_lang(last_user)
        base = hit.reference if hit else (UNKNOWN_ZH if lang == "zh" else UNKNOWN_EN)
        reasoning = sensible_reasoning(lang, last_user)
    p.lang = lang
    answer = base
    if persona == "halluc":
        answer = base + (HALLUC_ZH if lang == "zh" else ("\n" if base.endswith(".") else " ") + HALLUC_EN)
    elif persona == "xss":
        # markup a page must show as text and never run
        answer = base + "\n" + XSS_TAIL
    elif persona == "looper":
        reasoning = looping_reasoning()
        answer = splice(base, lang)
    elif persona == "trunc":
        p.ending = "cut"
    elif persona == "midfail":
        p.ending = "error"
    elif persona == "badjson":
        p.badjson = True
    elif persona == "badutf8":
        p.badutf8 = True
        if not any(ord(ch) > 127 for ch in answer):
            answer = answer + " — §"
    elif persona == "huge":
        unit = big_unit(base)
        count = -(-HUGE_CONTENT_BYTES // len(enc(unit)))
        p.lazy_content = (unit, count)
        answer = None
    elif persona == "hugethink":
        if reasoning_on:
            unit = big_unit(reasoning)
            p.lazy_think = (unit, -(-HUGE_THINK_BYTES // len(enc(unit))))
        reasoning = None
    if not reasoning_on:
        reasoning = None
    if persona == "length":
        p.finish = "length"
        if reasoning:
            reasoning = reasoning[:max(1, len(reasoning) // 2)]
            answer = ""
        else:
            answer = answer[:max(1, len(answer) // 2)]
    p.reasoning = reasoning
    p.answer = answer
    if p.lazy_think:
        p.think_tokens = ntok(p.lazy_think[0]) * p.lazy_think[1]
    else:
        p.think_tokens = ntok(reasoning)
    if p.lazy_content:
        p.content_tokens = ntok(p.lazy_content[0]) * p.lazy_content[1]
    else:
        p.content_tokens = ntok(answer)
    return p


# judge persona -------------------------------------------------------------

def jnorm(s):
    """NFKC, casefold, and a curly apostrophe made straight."""
    return unicodedata.normalize("NFKC", s).casefold().replace("\u2019", "'")


def judge_keys(crit):
    """The normalised criterion's keys, in order, without repeats: Han
    bigrams (a lone Han character is a key of its own) and Latin words of
    three or more letters, less the stopwords."""
    keys = []
    for han, word in _JUDGE_TOKEN.findall(crit):
        if han:
            grams = [han] if len(han) == 1 else [han[i:i + 2] for i in range(len(han) - 1)]
            keys.extend(g for g in grams if g not in JUDGE_STOP_ZH)
        elif len(word) >= 3 and word not in JUDGE_STOP_EN:
            keys.append(word)
    return list(OrderedDict.fromkeys(keys))


def sentence_at(text, start, end):
    """The sentence of text that holds text[start:end]."""
    lo, hi = 0, len(text)
    for m in _SENT_END.finditer(text):
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= end:
            hi = m.start()
            break
    return text[lo:hi]


def judge_verdict(text):
    """(language, met, hit, denied) for a judge prompt, None when it has no
    <answer> and <criterion>.  hit is the first quoted string or key found
    in the answer (None if none); denied: a forbidden claim was found but
    its sentence denies it (met is then False)."""
    m = _JUDGE_MSG.search(text)
    if not m:
        return None
    question, _reference, answer, kind, crit = m.groups()
    crit = crit.strip()
    lang = guess_lang(question if question is not None else crit)
    forbidden = (kind or "").strip().lower() == "forbidden"
    if forbidden:
        low = crit.lower()
        for pre in JUDGE_CLAIM_PREFIXES:
            if low.startswith(pre):
                crit = crit[len(pre):].lstrip()
                break
    a = jnorm(answer)
    c = jnorm(crit)
    quoted = [q.strip() for q in ("".join(g) for g in _QUOTED.findall(c)) if q.strip()]
    if quoted:
        found = [q for q in quoted if q in a]
        met = bool(found)
    else:
        keys = judge_keys(c)
        found = [k for k in keys if k in a]
        met = bool(keys) and 2 * len(found) >= len(keys)
    hit = found[0] if found else None
    denied = False
    if forbidden and met:
        pos = a.find(hit)
        sent = sentence_at(a, pos, pos + len(hit))
        if any(w in sent for w in JUDGE_DENIAL_ZH) or _DENIAL_EN.search(sent):
            met, denied = False, True
    return lang, met, hit, denied


def judge_explanation(met, hit, denied, lang):
    if met:
        return "回答包含「%s」。" % hit if lang == "zh" else "The answer contains \"%s\"." % hit
    if denied:
        return "回答否认了「%s」。" % hit if lang == "zh" else "The answer denies \"%s\"." % hit
    return "回答没有提到该要点。" if lang == "zh" else "The answer does not mention it."


def judge_reply(text, variants, bad_attempt):
    """(language, reply content) of the judge persona for the last user
    message.  bad_attempt: this is the first attempt of a +badonce judge."""
    v = judge_verdict(text)
    if v is None:
        lang, met, expl = guess_lang(text), False, JUDGE_NOCRIT
    else:
        lang, met, hit, denied = v
        elang = ("en" if lang == "zh" else "zh") if "wronglang" in variants else lang
        expl = judge_explanation(met, hit, denied, elang)
        if "flip" in variants:
            met = not met
    if "bad" in variants:
        body = JUDGE_BAD
    elif bad_attempt:
        body = JUDGE_BADONCE
    else:
        key = "met" if "nokey" in variants else "criteria_met"
        body = json.dumps({key: met, "explanation": expl}, ensure_ascii=False)
    if "fence" in variants:
        body = "```json\n" + body + "\n```"
    if "prose" in variants:
        body = ("评估结果如下：\n" + body + "\n以上。" if lang == "zh"
                else "Here is my assessment:\n" + body + "\nI hope this helps.")
    if "think" in variants:
        body = JUDGE_THINK + body
    return lang, body


def judge_reasoning(lang):
    if lang == "zh":
        return ("我需要对照这条评分标准检查回答：先弄清标准要求回答说什么，再逐句查看回答里有没有这个意思，"
                "留意回答是不是否认了它，最后只输出一个 JSON 对象。")
    return ("I need to check the answer against this criterion: work out what it requires, look "
            "through the answer sentence by sentence, notice whether the answer denies it, and "
            "then output a single JSON object.")


def plan_events(plan, chunk):
    """Yield ('think'|'content'|'raw'|'splitmb'|'badjson', text) events."""
    if plan.lazy_think:
        unit, count = plan.lazy_think
        for _ in range(count):
            yield ("think", unit)
    else:
        for s in pieces(plan.reasoning, chunk):
            yield ("think", s)
    if plan.lazy_content:
        unit, count = plan.lazy_content
        if plan.ending != "ok":
            count = max(1, count // 2)
        for _ in range(count):
            yield ("content", unit)
        return
    a = pieces(plan.answer, chunk)
    if plan.ending != "ok":
        a = a[:max(1, len(a) // 2)]
    mid = len(a) // 2
    split_done = False
    for i, s in enumerate(a):
        if plan.badjson and i == mid:
            yield ("badjson", "")
        if plan.badutf8 and i == mid:
            yield ("raw", s + "\udcff\udcfe")
            continue
        if plan.badutf8 and not split_done and any(ord(ch) > 127 for ch in s):
            split_done = True
            yield ("splitmb", s)
            continue
        yield ("content", s)


# --------------------------------------------------------------------------
# wire emitters

class Emitter:
    """Serialises one event at a time into stream items (bytes / PAUSE)."""

    def __init__(self, variants, sse):
        self.sse = sse
        if sse:
            self.eol = "\r\n" if "crlf" in variants else ("\r" if "cr" in variants else "\n")
        else:
            self.eol = "\r\n" if ("crlf" in variants or "cr" in variants) else "\n"
        self.dp = "data:" if "nospace" in variants else "data: "
        self.ep = "event:" if "nospace" in variants else "event: "
        self.keepalive = "keepalive" in variants
        self.escapes = "split" in variants
        self.n = 0

    def _frame(self, payload, name):
        out = []
        if self.keepalive and self.n and self.n % 2 == 0:
            out.append(enc(": keep-alive" + self.eol + self.eol) if self.sse else enc(self.eol))
        self.n += 1
        if self.sse:
            s = (self.ep + name + self.eol if name else "") + self.dp + payload + self.eol + self.eol
        else:
            s = payload + self.eol
        out.append(enc(s))
        return out

    def obj(self, obj, name=None, raw=False, splitmb=False):
        ascii_only = self.escapes and not raw and not splitmb and self.n % 2 == 1
        items = self._frame(dumps(obj, ascii_only), name)
        if splitmb:
            b = items[-1]
            for i, byte in enumerate(b):
                if byte >= 0xC0:
                    items[-1:] = [b[:i + 1], PAUSE, b[i + 1:]]
                    break
        return items

    def text(self, payload, name=None):
        return self._frame(payload, name)


def usage_numbers(plan, prompt_tokens):
    out_tok = plan.think_tokens + plan.content_tokens
    return prompt_tokens, out_tok


class Ctx:
    __slots__ = ("proto", "model", "variants", "include_usage", "rid", "created",
                 "created_at", "prompt_tokens")


def render_ollama(ctx, plan, events):
    em = Emitter(ctx.variants, sse=False)
    model, ca = ctx.model, ctx.created_at
    for kind, s in events:
        if kind == "think":
            yield from em.obj({"model": model, "created_at": ca,
                               "message": {"role": "assistant", "content": "", "thinking": s},
                               "done": False})
        elif kind == "badjson":
            yield from em.text('{"model":"%s","created_at":"%s","message": {"role":"assistant","content": "abc'
                               % (model, ca))
        else:
            yield from em.obj({"model": model, "created_at": ca,
                               "message": {"role": "assistant", "content": s}, "done": False},
                              raw=(kind == "raw"), splitmb=(kind == "splitmb"))
    if plan.ending == "error":
        yield from em.obj({"error": OLLAMA_MIDFAIL})
    elif plan.ending == "ok":
        yield from em.obj(ollama_final(ctx, plan, {"role": "assistant", "content": ""}))


def ollama_final(ctx, plan, message):
    pt, ot = usage_numbers(plan, ctx.prompt_tokens)
    load_ns, pe_ns, ev_ns = 1_000_000, pt * 200_000, ot * 20_000_000
    return {"model": ctx.model, "created_at": ctx.created_at, "message": message,
            "done": True, "done_reason": plan.finish,
            "total_duration": load_ns + pe_ns + ev_ns, "load_duration": load_ns,
            "prompt_eval_count": pt, "prompt_eval_duration": pe_ns,
            "eval_count": ot, "eval_duration": ev_ns}


def openai_usage(ctx, plan):
    pt, ot = usage_numbers(plan, ctx.prompt_tokens)
    return {"prompt_tokens": pt, "completion_tokens": ot, "total_tokens": pt + ot,
            "completion_tokens_details": {"reasoning_tokens": plan.think_tokens}}


def render_openai(ctx, plan, events):
    v = ctx.variants
    em = Emitter(v, sse=True)
    usage_null = ctx.include_usage and "nousage" not in v

    def chunk(delta, finish=None, usage=False):
        o = {"id": ctx.rid, "object": "chat.completion.chunk", "created": ctx.created,
             "model": ctx.model, "system_fingerprint": "fp_fake",
             "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
        if usage:
            o["usage"] = openai_usage(ctx, plan)
        elif usage_null:
            o["usage"] = None
        return o

    if "inline" in v:
        mode = "inline"
    elif "closeonly" in v:
        mode = "closeonly"
    elif "reasoning" in v:
        mode = "reasoning"
    else:
        mode = "reasoning_content"
    yield from em.obj(chunk({"role": "assistant", "content": ""}))
    in_think = False
    pending = None   # 'both': hold the last reasoning piece to merge

    def think_delta(s):
        if mode == "reasoning":
            return {"content": "", "reasoning": s}
        return {"content": None, "reasoning_content": s}

    for kind, s in events:
        if kind == "think":
            if mode in ("inline", "closeonly"):
                if not in_think and mode == "inline":
                    yield from em.obj(chunk({"content": "<think>\n"}))
                in_think = True
                yield from em.obj(chunk({"content": s}))
                continue
            in_think = True
            if "both" in v:
                if pending is not None:
                    yield from em.obj(chunk(think_delta(pending)))
                pending = s
            else:
                yield from em.obj(chunk(think_delta(s)))
            continue
        if in_think and mode in ("inline", "closeonly"):
            yield from em.obj(chunk({"content": "\n</think>\n\n"}))
        in_think = False
        if kind == "badjson":
            yield from em.text('{"id":"%s","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"abc'
                               % ctx.rid)
            continue
        d = {"content": s}
        if pending is not None:
            d = think_delta(pending)
            d["content"] = s
            pending = None
        yield from em.obj(chunk(d), raw=(kind == "raw"), splitmb=(kind == "splitmb"))
    if pending is not None:
        yield from em.obj(chunk(think_delta(pending)))
    if plan.ending == "cut":
        return
    if plan.ending == "error":
        yield from em.obj({"error": {"message": "upstream failure", "type": "server_error",
                                     "param": None, "code": None}})
        if "nodone" not in v:
            yield from em.text("[DONE]")
        return
    usage_in_finish = ctx.include_usage and "usagefinish" in v and "nousage" not in v
    yield from em.obj(chunk({}, plan.finish, usage=usage_in_finish))
    if ctx.include_usage and "nousage" not in v and "usagefinish" not in v:
        o = {"id": ctx.rid, "object": "chat.completion.chunk", "created": ctx.created,
             "model": ctx.model, "system_fingerprint": "fp_fake", "choices": [],
             "usage": openai_usage(ctx, plan)}
        yield from em.obj(o)
    if "nodone" not in v:
        yield from em.text("[DONE]")


def render_anthropic(ctx, plan, events):
    em = Emitter(ctx.variants, sse=True)
    pt, ot = usage_numbers(plan, ctx.prompt_tokens)
    yield from em.obj({"type": "message_start", "message": {
        "id": ctx.rid, "type": "message", "role": "assistant", "model": ctx.model,
        "content": [], "stop_reason": None, "stop_sequence": None,
        "usage": {"input_tokens": pt, "cache_creation_input_tokens": 0,
                  "cache_read_input_tokens": 0, "output_tokens": 1}}}, "message_start")
    yield from em.obj({"type": "ping"}, "ping")
    idx, cur = -1, None

    def close_block(complete):
        if cur == "thinking" and complete:
            yield from em.obj({"type": "content_block_delta", "index": idx,
                               "delta": {"type": "signature_delta",
                                         "signature": "ZmFrZS1zaWduYXR1cmU="}},
                              "content_block_delta")
        yield from em.obj({"type": "content_block_stop", "index": idx}, "content_block_stop")

    for kind, s in events:
        want = "thinking" if kind == "think" else "text"
        if want != cur:
            if cur is not None:
                yield from close_block(True)
            idx += 1
            cur = want
            block = {"type": "thinking", "thinking": ""} if want == "thinking" else {"type": "text", "text": ""}
            yield from em.obj({"type": "content_block_start", "index": idx, "content_block": block},
                              "content_block_start")
        if kind == "think":
            yield from em.obj({"type": "content_block_delta", "index": idx,
                               "delta": {"type": "thinking_delta", "thinking": s}},
                              "content_block_delta")
        elif kind == "badjson":
            yield from em.text('{"type":"content_block_delta","index":%d,"delta":{"type":"text_delta","text":"abc'
                               % idx, "content_block_delta")
        else:
            yield from em.obj({"type": "content_block_delta", "index": idx,
                               "delta": {"type": "text_delta", "text": s}},
                              "content_block_delta", raw=(kind == "raw"), splitmb=(kind == "splitmb"))
    if plan.ending == "cut":
        return
    if plan.ending == "error":
        yield from em.obj({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
                          "error")
        return
    if cur is not None:
        yield from close_block(plan.finish == "stop")
    yield from em.obj({"type": "message_delta",
                       "delta": {"stop_reason": "end_turn" if plan.finish == "stop" else "max_tokens",
                                 "stop_sequence": None},
                       "usage": {"output_tokens": ot}}, "message_delta")
    yield from em.obj({"type": "message_stop"}, "message_stop")


RENDER_STREAM = {"ollama": render_ollama, "openai": render_openai, "anthropic": render_anthropic}


# non-streaming bodies -------------------------------------------------------

BIG_MARK = "\u0000BIG\u0000"


def openai_message(ctx, plan, reasoning, answer):
    v = ctx.variants
    msg = {"role": "assistant"}
    if reasoning is not None and ("inline" in v or "closeonly" in v):
        head = "<think>\n" if "inline" in v else ""
        tail = "\n</think>\n\n" if plan.finish == "stop" or answer else ""
        msg["content"] = head + reasoning + tail + answer
    else:
        msg["content"] = answer
        if reasoning is not None:
            msg["reasoning" if "reasoning" in v else "reasoning_content"] = reasoning
    return msg


def nonstream_obj(ctx, plan, reasoning, answer):
    if ctx.proto == "ollama":
        m = {"role": "assistant", "content": answer}
        if reasoning is not None:
            m["thinking"] = reasoning
        return ollama_final(ctx, plan, m)
    if ctx.proto == "openai":
        return {"id": ctx.rid, "object": "chat.completion", "created": ctx.created,
                "model": ctx.model, "system_fingerprint": "fp_fake",
                "choices": [{"index": 0, "message": openai_message(ctx, plan, reasoning, answer),
                             "logprobs": None, "finish_reason": plan.finish}],
                "usage": openai_usage(ctx, plan)}
    pt, ot = usage_numbers(plan, ctx.prompt_tokens)
    content = []
    if reasoning is not None:
        content.append({"type": "thinking", "thinking": reasoning, "signature": "ZmFrZS1zaWduYXR1cmU="})
    if answer or reasoning is None:
        content.append({"type": "text", "text": answer})
    return {"id": ctx.rid, "type": "message", "role": "assistant", "model": ctx.model,
            "content": content,
            "stop_reason": "end_turn" if plan.finish == "stop" else "max_tokens",
            "stop_sequence": None,
            "usage": {"input_tokens": pt, "output_tokens": ot}}


def nonstream_body(ctx, plan):
    answer = plan.answer
    if plan.badutf8:
        mid = len(answer) // 2
        answer = answer[:mid] + "\udcff\udcfe" + answer[mid:]
    s = dumps(nonstream_obj(ctx, plan, plan.reasoning, answer))
    if plan.badjson:
        s = s[:len(s) // 2]
    return enc(s)


def nonstream_lazy(ctx, plan):
    """Generator of body pieces for huge/hugethink (never held in memory)."""
    if plan.lazy_content:
        unit, count = plan.lazy_content
        s = dumps(nonstream_obj(ctx, plan, plan.reasoning, BIG_MARK))
    else:
        unit, count = plan.lazy_think
        s = dumps(nonstream_obj(ctx, plan, BIG_MARK, plan.answer))
    mark = dumps(BIG_MARK)[1:-1]
    pre, post = s.split(mark, 1)
    yield enc(pre)
    piece = enc(dumps(unit)[1:-1])
    for _ in range(count):
        yield piece
    yield enc(post)


# --------------------------------------------------------------------------
# error bodies

def error_response(proto, status, etype, message, ocode=None):
    """(content-type, body) in the protocol's error shape."""
    if proto == "ollama":
        return "application/json; charset=utf-8", enc(dumps({"error": message}))
    if proto == "anthropic":
        return "application/json", enc(dumps({"type": "error", "error": {"type": etype, "message": message}}))
    return "application/json", enc(dumps({"error": {"message": message, "type": etype,
                                                    "param": None, "code": ocode}}))


def failure(proto, kind, model):
    """Returns (status, extra_headers, content_type, body)."""
    if kind == 429:
        msg = {"ollama": "too many requests, please retry",
               "openai": "Rate limit reached for requests. Please try again in 1s.",
               "anthropic": "Number of requests has exceeded your rate limit. Please try again later."}[proto]
        et = "rate_limit_error" if proto == "anthropic" else "requests"
        ct, b = error_response(proto, 429, et, msg, "rate_limit_exceeded")
        return 429, [("Retry-After", "1")], ct, b
    if kind == 500:
        return 500, [], "text/html", HTML_500
    if kind == 503:
        msg = {"ollama": "server busy, please try again.  maximum pending requests exceeded",
               "openai": "The server is overloaded or not ready yet.",
               "anthropic": "Service unavailable"}[proto]
        et = "api_error" if proto == "anthropic" else "server_error"
        ct, b = error_response(proto, 503, et, msg)
        return 503, [("retry-after-ms", "200")], ct, b
    ct, b = error_response(proto, 529, "overloaded_error", "Overloaded")
    return 529, [], ct, b


def persona_error(proto, persona, model):
    if persona == "auth":
        if proto == "ollama":
            ct, b = error_response(proto, 401, "", "unauthorized")
        elif proto == "anthropic":
            ct, b = error_response(proto, 401, "authentication_error", "invalid x-api-key")
        else:
            ct, b = error_response(proto, 401, "invalid_request_error",
                                   "Incorrect API key provided: sk-fake. You can find your API key at "
                                   "https://platform.openai.com/account/api-keys.", "invalid_api_key")
        return 401, [], ct, b
    if persona == "quota":
        if proto == "anthropic":
            ct, b = error_response(proto, 400, "invalid_request_error",
                                   "Your credit balance is too low to access the Anthropic API. "
                                   "Please go to Plans & Billing to upgrade or purchase credits.")
            return 400, [], ct, b
        if proto == "ollama":
            ct, b = error_response(proto, 429, "", "You exceeded your current quota, please check your plan and billing details.")
        else:
            ct, b = error_response(proto, 429, "insufficient_quota",
                                   "You exceeded your current quota, please check your plan and billing details.",
                                   "insufficient_quota")
        return 429, [], ct, b
    # notfound / unknown persona
    if proto == "ollama":
        ct, b = error_response(proto, 404, "", "model '%s' not found" % model)
    elif proto == "anthropic":
        ct, b = error_response(proto, 404, "not_found_error", "model: %s" % model)
    else:
        ct, b = error_response(proto, 404, "invalid_request_error",
                               "The model `%s` does not exist or you do not have access to it." % model,
                               "model_not_found")
    return 404, [], ct, b


def parse_model(name):
    """'correct+crlf+split:latest' -> ('correct', {'crlf','split'}); persona None if unknown."""
    words = [w for w in name.strip().lower().split("+") if w]
    clean = []
    for w in words:
        w = w.split(":", 1)[0]
        w = w.rsplit("/", 1)[-1]
        clean.append(w)
    if not clean:
        return None, frozenset()
    persona = clean[0] if clean[0] in PERSONAS else None
    return persona, frozenset(w for w in clean[1:] if w in VARIANTS)


def wants_reasoning(proto, req, variants):
    if "nothink" in variants:
        return False
    if proto == "ollama":
        t = req.get("think")
        if isinstance(t, str):
            return t.strip().lower() not in ("", "false", "none", "off", "0")
        return t is True
    if proto == "anthropic":
        th = req.get("thinking")
        return isinstance(th, dict) and th.get("type") in ("enabled", "adaptive")
    # openai-compatible: reasoning models reason unless told not to
    if req.get("think") is False or req.get("include_reasoning") is False:
        return False
    eff = req.get("reasoning_effort")
    if isinstance(eff, str) and eff.lower() == "none":
        return False
    r = req.get("reasoning")
    if isinstance(r, dict) and (r.get("enabled") is False or r.get("exclude") is True
                                or str(r.get("effort", "")).lower() == "none"):
        return False
    ctk = req.get("chat_template_kwargs")
    if isinstance(ctk, dict) and (ctk.get("enable_thinking") is False or ctk.get("thinking") is False):
        return False
    return True


def message_text(content):
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        out = []
        for part in content:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                out.append(part["text"])
        return "".join(out)
    return ""


# --------------------------------------------------------------------------
# server

class Request:
    __slots__ = ("method", "target", "path", "version", "headers", "body", "keep_alive")


class BadRequest(Exception):
    def __init__(self, status, msg):
        super().__init__(msg)
        self.status = status


class Backend:
    def __init__(self, args, bank):
        self.args = args
        self.bank = bank
        self.latency = max(0, args.latency_ms) / 1000.0
        self.chunk_delay = max(0, args.chunk_delay_ms) / 1000.0
        self.chunk_chars = max(1, args.chunk_chars)
        self.verbose = args.verbose
        self.digests = {p: "sha256:" + hashlib.sha256(("fake-backend:" + p).encode()).hexdigest()
                        for p in PERSONAS}
        self.extra_models = []
        self.cache = OrderedDict()
        self.judge_memo = OrderedDict()   # (prompt digest, variants, bad attempt) -> judge_reply
        self.conns = set()
        self.reset()
        self.in_flight = 0
        self.max_in_flight = 0

    def reset(self):
        self.requests = Counter()
        self.by_status = Counter()
        self.by_path = Counter()
        self.flaky_attempts = {}
        self.flaky_cycle = Counter()
        if hasattr(self, "in_flight"):
            self.max_in_flight = self.in_flight

    # ---------------- connection handling

    async def handle(self, reader, writer):
        self.conns.add(writer)
        try:
            while True:
                try:
                    req = await self.read_request(reader, writer)
                except BadRequest as e:
                    self.send_simple(writer, e.status, "application/json",
                                     enc(dumps({"error": str(e)})), close=True)
                    await writer.drain()
                    break
                if req is None:
                    break
                keep = await self.dispatch(req, reader, writer)
                if not keep or not req.keep_alive:
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                ValueError, OSError):
            pass
        finally:
            self.conns.discard(writer)
            try:
                writer.close()
            except Exception:  # noqa: BLE001
                pass

    async def read_request(self, reader, writer):
        line = await reader.readline()
        while line in (b"\r\n", b"\n"):
            line = await reader.readline()
        if not line:
            return None
        if not line.endswith(b"\n"):
            return None
        parts = line.decode("latin-1").strip().split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise BadRequest(400, "bad request line")
        req = Request()
        req.method, req.target, req.version = parts
        req.path = req.target.split("?", 1)[0]
        hdrs = {}
        nh = 0
        while True:
            h = await reader.readline()
            if not h:
                return None
            if h in (b"\r\n", b"\n"):
                break
            nh += 1
            if nh > 200:
                raise BadRequest(431, "too many headers")
            k, sep, val = h.decode("latin-1").partition(":")
            if not sep:
                raise BadRequest(400, "bad header line")
            k = k.strip().lower()
            val = val.strip()
            hdrs[k] = hdrs[k] + ", " + val if k in hdrs else val
        req.headers = hdrs
        conn = hdrs.get("connection", "").lower()
        if req.version == "HTTP/1.0":
            req.keep_alive = "keep-alive" in conn
        else:
            req.keep_alive = "close" not in conn
        te = hdrs.get("transfer-encoding", "").lower()
        cl = hdrs.get("content-length")
        has_body = "chunked" in te or (cl is not None and cl.strip() not in ("", "0"))
        if has_body and "100-continue" in hdrs.get("expect", "").lower():
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            await writer.drain()
        if "chunked" in te:
            chunks = []
            total = 0
            while True:
                sl = await reader.readline()
                if not sl:
                    return None
                try:
                    size = int(sl.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    raise BadRequest(400, "bad chunk size")
                if size == 0:
                    while True:
                        t = await reader.readline()
                        if t in (b"\r\n", b"\n", b""):
                            break
                    break
                total += size
                if total > 64 * 1024 * 1024:
                    raise BadRequest(413, "body too large")
                chunks.append(await reader.readexactly(size))
                await reader.readline()
            req.body = b"".join(chunks)
        elif cl is not None:
            try:
                n = int(cl.strip())
            except ValueError:
                raise BadRequest(400, "bad content-length")
            if n < 0 or n > 64 * 1024 * 1024:
                raise BadRequest(413, "body too large")
            req.body = await reader.readexactly(n) if n else b""
        else:
            req.body = b""
        return req

    @staticmethod
    def head(status, headers, close, reason=None):
        lines = ["HTTP/1.1 %d %s" % (status, reason or REASONS.get(status, "Unknown")),
                 "Server: fake-backend"]
        for k, v in headers:
            lines.append("%s: %s" % (k, v))
        if close:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def send_simple(self, writer, status, ctype, body, extra=(), close=False):
        hdrs = [("Content-Type", ctype), ("Content-Length", str(len(body)))]
        hdrs.extend(extra)
        writer.write(self.head(status, hdrs, close) + body)

    def log(self, req, status, model, t0):
        if self.verbose:
            sys.stderr.write("%s %s %s model=%s %.1fms\n" % (
                req.method, req.target, status if status is not None else "-", model or "-", (time.monotonic() - t0) * 1000))
            sys.stderr.flush()

    # ---------------- routing

    async def dispatch(self, req, reader, writer):
        path = req.path.rstrip("/") or "/"
        m = req.method
        close = not req.keep_alive
        if path.startswith("/fake/"):
            return await self.control(req, path, writer, close)
        t0 = time.monotonic()
        self.in_flight += 1
        if self.in_flight > self.max_in_flight:
            self.max_in_flight = self.in_flight
        self.by_path["%s %s" % (m, path)] += 1
        status, model = None, None
        try:
            if path in ("/api/chat", "/v1/chat/completions", "/chat/completions", "/v1/messages"):
                if m != "POST":
                    status = self.simple_json(writer, 405, {"error": "method not allowed"}, close)
                    return not close
                proto = ("ollama" if path == "/api/chat" else
                         "anthropic" if path == "/v1/messages" else "openai")
                status, model, keep = await self.chat(req, proto, reader, writer, close)
                return keep and not close
            if self.latency:
                await asyncio.sleep(self.latency)
            if m == "GET" and path == "/":
                status = 200
                self.send_simple(writer, 200, "text/plain; charset=utf-8", b"Ollama is running", close=close)
            elif m == "GET" and path == "/api/version":
                status = self.simple_json(writer, 200, {"version": "0.12.3"}, close)
            elif m == "GET" and path == "/api/tags":
                status = self.simple_json(writer, 200, self.tags(), close)
            elif m == "GET" and path == "/api/ps":
                status = self.simple_json(writer, 200, {"models": []}, close)
            elif m == "POST" and path == "/api/show":
                status = self.show(req, writer, close)
            elif m == "GET" and path in ("/v1/models", "/models"):
                if "anthropic-version" in req.headers or "x-api-key" in req.headers:
                    status = self.simple_json(writer, 200, self.anthropic_models(), close)
                else:
                    status = self.simple_json(writer, 200, self.openai_models(), close)
            else:
                status = self.simple_json(writer, 404, {"error": "404 page not found: %s %s" % (m, req.path)},
                                          close)
            await writer.drain()
            return not close
        finally:
            self.in_flight -= 1
            if status is not None:
                self.by_status[str(status)] += 1
            self.log(req, status, model, t0)

    def simple_json(self, writer, status, obj, close, extra=()):
        self.send_simple(writer, status, "application/json; charset=utf-8", enc(dumps(obj)), extra, close)
        return status

    async def control(self, req, path, writer, close):
        if path == "/fake/stats" and req.method == "GET":
            self.simple_json(writer, 200, {
                "requests": dict(self.requests), "by_status": dict(self.by_status),
                "by_path": dict(self.by_path),
                "in_flight": self.in_flight, "max_in_flight": self.max_in_flight}, close)
        elif path == "/fake/reset" and req.method == "POST":
            self.reset()
            self.simple_json(writer, 200, {"ok": True}, close)
        elif path == "/fake/digest" and req.method == "POST":
            try:
                o = json.loads(req.body or b"{}")
                model, digest = o["model"], o["digest"]
                assert isinstance(model, str) and isinstance(digest, str) and model
            except Exception:  # noqa: BLE001
                self.simple_json(writer, 400, {"error": "need {\"model\": ..., \"digest\": ...}"}, close)
            else:
                key = self.model_key(model)
                if key not in self.digests:
                    self.extra_models.append(key)
                self.digests[key] = digest
                self.simple_json(writer, 200, {"ok": True, "model": key, "digest": digest}, close)
        else:
            self.simple_json(writer, 404, {"error": "unknown control endpoint"}, close)
        await writer.drain()
        return not close

    @staticmethod
    def model_key(name):
        name = name.strip()
        return name[:-len(":latest")] if name.endswith(":latest") else name

    def model_names(self):
        return list(PERSONAS) + self.extra_models

    def tags(self):
        models = []
        for n in self.model_names():
            d = self.digests[n]
            full = n if ":" in n else n + ":latest"
            models.append({"name": full, "model": full,
                           "modified_at": "2025-01-01T00:00:00.000000000Z",
                           "size": 4_683_087_332,
                           "digest": d[len("sha256:"):] if d.startswith("sha256:") else d,
                           "details": {"parent_model": "", "format": "gguf", "family": "fake",
                                       "families": ["fake"], "parameter_size": "7.6B",
                                       "quantization_level": "Q4_K_M"}})
        return {"models": models}

    def show(self, req, writer, close):
        try:
            o = json.loads(req.body or b"{}")
            name = o.get("model") or o.get("name") or ""
        except Exception:  # noqa: BLE001
            name = ""
        persona, _ = parse_model(name or "")
        if persona is None:
            return self.simple_json(writer, 404, {"error": "model '%s' not found" % name}, close)
        return self.simple_json(writer, 200, {
            "modelfile": "# fake\n", "parameters": "", "template": "{{ .Prompt }}",
            "details": {"parent_model": "", "format": "gguf", "family": "fake", "families": ["fake"],
                        "parameter_size": "7.6B", "quantization_level": "Q4_K_M"},
            "model_info": {"general.architecture": "fake"},
            "capabilities": ["completion", "thinking"],
            "modified_at": "2025-01-01T00:00:00.000000000Z"}, close)

    def openai_models(self):
        return {"object": "list", "data": [
            {"id": n, "object": "model", "created": 1735689600, "owned_by": "fake"}
            for n in self.model_names()]}

    def anthropic_models(self):
        data = [{"type": "model", "id": n, "display_name": n, "created_at": "2025-01-01T00:00:00Z"}
                for n in self.model_names()]
        return {"data": data, "has_more": False, "first_id": data[0]["id"], "last_id": data[-1]["id"]}

    # ---------------- chat

    async def chat(self, req, proto, reader, writer, close):
        """Returns (status, model, keep_connection)."""
        try:
            body = json.loads(req.body.decode("utf-8"))
            if not isinstance(body, dict):
                raise ValueError("body is not an object")
        except Exception as e:  # noqa: BLE001
            ct, b = error_response(proto, 400, "invalid_request_error", "invalid JSON body: %s" % e)
            self.send_simple(writer, 400, ct, b, close=close)
            await writer.drain()
            return 400, None, True
        model = body.get("model")
        if not isinstance(model, str) or not model.strip():
            ct, b = error_response(proto, 400, "invalid_request_error", "model is required")
            self.send_simple(writer, 400, ct, b, close=close)
            await writer.drain()
            return 400, None, True
        self.requests["%s/%s" % (proto, model)] += 1
        persona, variants = parse_model(model)
        stream = body.get("stream", proto == "ollama")
        stream = bool(stream)
        messages = body.get("messages") if isinstance(body.get("messages"), list) else []
        users = [message_text(mm.get("content")) for mm in messages
                 if isinstance(mm, dict) and mm.get("role") == "user"]
        last_user = users[-1] if users else ""

        if persona == "hang":
            while await reader.read(65536):
                pass
            return None, model, False

        delay = self.latency
        if persona == "slow":
            delay = max(delay, SLOW_FIRST_BYTE_S)
        if delay:
            await asyncio.sleep(delay)

        if persona in (None, "auth", "quota", "notfound"):
            status, extra, ct, b = persona_error(proto, persona or "notfound", model)
            self.send_simple(writer, status, ct, b, extra, close)
            await writer.drain()
            return status, model, True

        if persona == "flaky":
            conv = hashlib.sha1(enc(dumps([model, proto, messages, body.get("system")]))).hexdigest()
            n = self.flaky_attempts.get(conv, 0) + 1
            self.flaky_attempts[conv] = n
            if n == 1:
                forced = [int(w[4:]) for w in variants if w.startswith("fail")]
                if forced:
                    kind = forced[0]
                else:
                    cyc = FAILURE_CYCLE[proto]
                    kind = cyc[self.flaky_cycle[proto] % len(cyc)]
                    self.flaky_cycle[proto] += 1
                status, extra, ct, b = failure(proto, kind, model)
                self.send_simple(writer, status, ct, b, extra, close)
                await writer.drain()
                return status, model, True
            persona = "correct"

        if persona == "moody":
            # the same conversation answered well, then badly, and so on:
            # samples of one question that disagree
            conv = hashlib.sha1(enc(dumps(["moody", model, proto, messages, body.get("system")]))).hexdigest()
            n = self.flaky_attempts.get(conv, 0) + 1
            self.flaky_attempts[conv] = n
            persona = "correct" if n % 2 else "halluc"

        judge = None
        if persona == "judge":
            # the reply depends on the prompt text, not on the bank
            bad_attempt = False
            if "badonce" in variants:
                conv = hashlib.sha1(enc(dumps([model, proto, messages, body.get("system")]))).hexdigest()
                n = self.flaky_attempts.get(conv, 0) + 1
                self.flaky_attempts[conv] = n
                bad_attempt = n == 1
            jkey = (hashlib.sha1(last_user.encode("utf-8", "surrogatepass")).digest(),
                    variants, bad_attempt)
            judge = self.judge_memo.get(jkey)
            if judge is None:
                judge = self.judge_memo[jkey] = judge_reply(last_user, variants, bad_attempt)
                if len(self.judge_memo) > CACHE_MAX:
                    self.judge_memo.popitem(last=False)
            hit = None
        else:
            hit = self.bank.lookup(last_user, users[:-1])
        reasoning_on = wants_reasoning(proto, body, variants)
        include_usage = bool(isinstance(body.get("stream_options"), dict)
                             and body["stream_options"].get("include_usage"))
        prompt_chars = sum(len(u) for u in users) + len(message_text(body.get("system")))
        prompt_tokens = max(1, prompt_chars // 2)

        if not stream and persona == "midfail":
            if proto == "anthropic":
                status, extra, ct, b = failure(proto, 529, model)
            elif proto == "ollama":
                status, extra = 500, []
                ct, b = error_response(proto, 500, "", OLLAMA_MIDFAIL)
            else:
                status, extra = 500, []
                ct, b = error_response(proto, 500, "server_error", "upstream failure")
            self.send_simple(writer, status, ct, b, extra, close)
            await writer.drain()
            return status, model, True

        # a judge reply is keyed by its (language, content): all it depends on
        what = judge if judge else ((hit.qid, hit.index) if hit else last_user)
        key = (proto, model, persona, variants, reasoning_on, stream, include_usage,
               what, prompt_tokens, self.chunk_chars)
        ctx = Ctx()
        ctx.proto, ctx.model, ctx.variants = proto, model, variants
        ctx.include_usage = include_usage
        ctx.rid = {"openai": "chatcmpl-", "anthropic": "msg_", "ollama": ""}[proto] + \
            hashlib.sha1(repr(key).encode()).hexdigest()[:24]
        ctx.created = int(time.time())
        ctx.created_at = now_iso_ns()
        ctx.prompt_tokens = prompt_tokens

        lazy = persona in ("huge", "hugethink")
        cached = None if lazy else self.cache_get(key)
        if cached is None:
            plan = make_plan(persona, variants, hit, last_user, reasoning_on, judge)
            lazy = bool(plan.lazy_content or plan.lazy_think)
            if not lazy:
                if stream:
                    items = list(RENDER_STREAM[proto](ctx, plan, plan_events(plan, self.chunk_chars)))
                    cached = (plan.ending, items, segments(items))
                else:
                    cached = (plan.ending, nonstream_body(ctx, plan), None)
                self.cache_put(key, cached)

        chunk_delay = SLOW_CHUNK_DELAY_S if persona == "slow" else self.chunk_delay
        split = "split" in variants

        if not stream:
            if lazy:
                hdrs = [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")]
                writer.write(self.head(200, hdrs, close))
                ok = await write_chunked(writer, nonstream_lazy(ctx, plan), None, chunk_delay, False)
                if ok:
                    writer.write(b"0\r\n\r\n")
                    await writer.drain()
                return 200, model, ok
            ending, body_bytes, _ = cached
            if ending == "cut":
                hdrs = [("Content-Type", "application/json"), ("Content-Length", str(len(body_bytes)))]
                writer.write(self.head(200, hdrs, True) + body_bytes[:len(body_bytes) // 2])
                await writer.drain()
                return 200, model, False
            self.send_simple(writer, 200, "application/json", body_bytes, (), close)
            await writer.drain()
            return 200, model, True

        ctype = "application/x-ndjson" if proto == "ollama" else "text/event-stream; charset=utf-8"
        hdrs = [("Content-Type", ctype), ("Transfer-Encoding", "chunked"), ("Cache-Control", "no-cache")]
        if proto == "openai":
            hdrs.append(("x-request-id", ctx.rid))
        if lazy:
            ending = plan.ending
            writer.write(self.head(200, hdrs, close or ending == "cut"))
            items = RENDER_STREAM[proto](ctx, plan, plan_events(plan, self.chunk_chars))
            ok = await write_chunked(writer, items, None, chunk_delay, split)
        else:
            ending, items, segs = cached
            writer.write(self.head(200, hdrs, close or ending == "cut"))
            ok = await write_chunked(writer, items, segs, chunk_delay, split)
        if not ok:
            return 200, model, False
        if ending == "cut":
            await writer.drain()
            return 200, model, False
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return 200, model, True

    def cache_get(self, key):
        v = self.cache.get(key)
        if v is not None:
            self.cache.move_to_end(key)
        return v

    def cache_put(self, key, val):
        self.cache[key] = val
        if len(self.cache) > CACHE_MAX:
            self.cache.popitem(last=False)


def frame(b):
    return b"%x\r\n%s\r\n" % (len(b), b)


def segments(items):
    """Pre-framed HTTP chunks, consecutive ones joined, PAUSE kept."""
    out, cur = [], []
    for it in items:
        if it is PAUSE:
            if cur:
                out.append(b"".join(cur))
                cur = []
            out.append(PAUSE)
        elif it:
            cur.append(frame(it))
    if cur:
        out.append(b"".join(cur))
    return out


def split_sizes():
    pattern = (1, 3, 2, 1, 2, 3, 3, 1)
    i = 0
    while True:
        yield pattern[i % len(pattern)]
        i += 1


async def write_chunked(writer, items, segs, chunk_delay, split):
    """Write stream items as HTTP chunks.  False if the client went away."""
    transport = writer.transport
    try:
        if segs is not None and not split and not chunk_delay:
            for s in segs:
                if s is PAUSE:
                    await writer.drain()
                    await asyncio.sleep(PAUSE_S)
                else:
                    writer.write(s)
            await writer.drain()
            return not transport.is_closing()
        buf, bufsize, first, split_left = [], 0, True, SPLIT_LIMIT_BYTES
        sizes = split_sizes()
        npieces = 0
        for it in items:
            if transport.is_closing():
                return False
            if it is PAUSE:
                if buf:
                    writer.write(b"".join(buf))
                    buf, bufsize = [], 0
                await writer.drain()
                await asyncio.sleep(PAUSE_S)
                continue
            if not it:
                continue
            if split and split_left > 0:
                split_left -= len(it)
                i = 0
                while i < len(it):
                    n = next(sizes)
                    writer.write(frame(it[i:i + n]))
                    i += n
                    npieces += 1
                    if npieces % SPLIT_SLEEP_EVERY == 0:
                        await writer.drain()
                        await asyncio.sleep(SPLIT_SLEEP_S)
                if chunk_delay:
                    await asyncio.sleep(chunk_delay)
                continue
            if chunk_delay:
                if not first:
                    await asyncio.sleep(chunk_delay)
                first = False
                writer.write(frame(it))
                await writer.drain()
                continue
            buf.append(frame(it))
            bufsize += len(it)
            if bufsize >= 256 * 1024:
                writer.write(b"".join(buf))
                buf, bufsize = [], 0
                await writer.drain()
        if buf:
            writer.write(b"".join(buf))
        await writer.drain()
        return not transport.is_closing()
    except (ConnectionError, OSError):
        return False


# --------------------------------------------------------------------------
# main

def default_questions_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    d = os.path.normpath(os.path.join(here, "..", "..", "questions"))
    return d if os.path.isdir(d) else None


def write_port_file(path, port):
    d = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(d, ".%s.tmp.%d" % (os.path.basename(path), os.getpid()))
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


async def amain(args):
    bank = Bank()
    qdir = args.questions if args.questions is not None else default_questions_dir()
    if args.questions is not None and not os.path.isdir(args.questions):
        sys.stderr.write("fake_backend: --questions %s is not a directory\n" % args.questions)
        return 2
    if qdir and yaml is None:
        sys.stderr.write("fake_backend: PyYAML is needed to read %s (apt-get install python3-yaml)\n" % qdir)
        return 2
    nfiles = bank.load(qdir)
    backend = Backend(args, bank)
    server = await asyncio.start_server(backend.handle, args.host, args.port,
                                        limit=1 << 20, backlog=1024, reuse_address=True)
    # handlers first: a caller may signal as soon as it sees the port
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    port = server.sockets[0].getsockname()[1]
    if args.port_file:
        write_port_file(args.port_file, port)
    sys.stdout.write("PORT %d\n" % port)
    sys.stdout.flush()
    if args.verbose:
        sys.stderr.write("fake_backend: %d question files, %d turns from %s; listening on %s:%d\n"
                         % (nfiles, len(bank.turns), qdir, args.host, port))
    await stop.wait()
    server.close()
    for w in list(backend.conns):
        try:
            w.transport.abort()
        except Exception:  # noqa: BLE001
            pass
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description="Fake Ollama/OpenAI/Anthropic backend for amicus tests")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--questions", help="question bank directory (default: <repo>/questions)")
    ap.add_argument("--latency-ms", type=int, default=0)
    ap.add_argument("--chunk-delay-ms", type=int, default=0)
    ap.add_argument("--chunk-chars", type=int, default=8)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    try:
        rc = asyncio.run(amain(args))
    except KeyboardInterrupt:
        rc = 0
    sys.stdout.flush()
    return rc


if __name__ == "__main__":
    sys.exit(main())
