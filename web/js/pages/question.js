/*
 * Question (#/question/<id>[?run=&answer=]): the evidence behind the numbers.
 *
 * The question (every turn) with its reference answer and rubric, then, turn
 * by turn, every model's answer side by side (columns on a laptop, stacked
 * on a phone). In each answer the key points found are marked, forbidden
 * claims marked red, bad citations marked; below it the verdicts — forbidden
 * claims made, key points missed, the rest folded — each with its method, the
 * judge's explanation, a lawyer's ruling if there is one, and a control to
 * overrule it (POST /api/reviews, then the answer is reloaded).
 *
 * Model output is untrusted: it only ever enters the page as text nodes
 * (markedText builds <mark> elements around text nodes).
 */
import { get, post } from '../api.js';
import { h, append, route, table, tableWrap, errorBox } from '../dom.js';
import { t, score, num, ms, date, areaName, pct } from '../i18n.js';
import { markedText } from '../marks.js';
import { simTag, passFlag, flag, modelLink } from '../ui.js';

const REVIEWER_KEY = 'amicus.reviewer';
let formSeq = 0;

export async function render(view, { parts, params }) {
  const id = parts[0];
  view.prepend(h('h1', null, id || '?'));
  if (!id) return;
  const [qres, mres, rres, vres] = await Promise.allSettled([
    get(`/api/questions/${encodeURIComponent(id)}`, { run: params.get('run') }), get('/api/models'), get('/api/runs'),
    get('/api/reviews', { question: id })]);
  if (qres.status === 'rejected') {
    view.append(errorBox(qres.reason));
    return;
  }
  const data = qres.value;
  const q = data.question || {};
  const answers = data.answers || [];
  const simulated = new Set(mres.status === 'fulfilled'
    ? (mres.value.models || []).filter((m) => m.simulated).map((m) => m.model) : []);
  const rubricTurns = data.rubric?.turns || [];
  const ctx = {
    simulated,
    multiSample: answers.some((a) => a.sample > 1),
    criteria: criteriaIndex(rubricTurns),
    textLang: { zh: 'zh-CN', en: 'en' }[q.language] || null,
  };

  view.append(metaLine(q, data));
  if (vres.status === 'fulfilled') {
    const note = rulingsNote(vres.value);
    if (note) view.append(note);
  }
  if (rres.status === 'fulfilled') view.append(runPicker(id, params.get('run') || '', rres.value.runs || []));
  if (answers.some((a) => simulated.has(a.model))) {
    view.append(h('p', { class: 'notice sim-notice', role: 'note' }, simTag(), ' ', t('sim.statement')));
  }
  if (!answers.length) view.append(h('p', { class: 'notice' }, t('question.no_answers', { id: data.run_id ?? '—' })));
  else view.append(legend());
  const turnCount = Math.max(q.turns?.length || 0, rubricTurns.length, ...answers.map((a) => a.turn || 1));
  for (let n = 1; n <= turnCount; n++) {
    view.append(turnSection(n, q.turns?.[n - 1], rubricTurns.find((rt) => rt.turn === n),
      answers.filter((a) => (a.turn || 1) === n), ctx));
  }

  const target = params.get('answer');
  const el = target && view.querySelector(`#answer-${CSS.escape(target)}`);
  if (el) el.classList.add('target');
}

/* criterion/claim text per turn and item, to fill in what an answer's verdict may lack. */
// How matching and the judge fared against the lawyers' rulings on this
// question (every run), so a rubric whose terms miss correct answers shows.
function rulingsNote(data) {
  const a = data.agreement || {};
  const n = (data.reviews || []).length;
  if (!n) return null;
  const part = (x) => (x && x.n ? t('rulings.agree', { agree: num(x.agree), n: num(x.n) }) : '—');
  return h('p', { class: 'notice', role: 'note' },
    t('rulings.text', { n: num(n), match: part(a.match), judge: part(a.judge) }));
}

function criteriaIndex(turns) {
  const map = new Map();
  for (const rt of turns) {
    for (const k of rt.keypoints || []) map.set(`${rt.turn}:keypoint:${k.id}`, k.criterion);
    for (const f of rt.forbidden || []) map.set(`${rt.turn}:forbidden:${f.id}`, f.claim);
  }
  return map;
}

/* Area, language, jurisdiction, version of the law, tags, run and pass mark. */
function metaLine(q, data) {
  const facts = [
    [t('col.area'), areaName(q.area)],
    [t('question.language'), q.language ? t(`lang.name.${q.language}`) : '—'],
    [t('question.jurisdiction'), q.jurisdiction || '—'],
    [t('question.version_of_law'), q.version_of_law || '—'],
    [t('question.tags'), (q.tags || []).join(', ') || '—'],
    q.twin ? [t('question.twin'), h('a', { href: route(['question', q.twin], { run: data.run_id }) }, q.twin)] : null,
    [t('question.run'), data.run_id ? `#${data.run_id}` : '—'],
    [t('question.pass_mark'), typeof data.rubric?.pass === 'number' ? t('question.pass_mark_text', { v: score(data.rubric.pass) }) : '—'],
  ];
  return h('dl', { class: 'facts panel' }, facts.filter(Boolean).map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))));
}

/* Pick the run whose answers are shown (the latest finished run by default). */
function runPicker(id, current, runs) {
  const done = runs.filter((r) => r.status === 'done');
  const sel = h('select', { id: 'q-run', on: { change: (e) => { location.hash = route(['question', id], { run: e.target.value }); } } },
    h('option', { value: '' }, t('report.latest')),
    done.map((r) => h('option', { value: r.id, selected: String(r.id) === current },
      t('report.run_option', { id: r.id, at: date(r.finished_at || r.created_at), suite: r.suite }))));
  return h('div', { class: 'inline-field' }, h('label', { for: sel.id }, t('question.run_pick')), sel);
}

/* What the colours in an answer mean. */
function legend() {
  return h('p', { class: 'mark-legend' }, h('span', { class: 'muted' }, t('legend.title')), ' ',
    h('mark', { class: 'm-keypoint' }, t('legend.keypoint')), ' ',
    h('mark', { class: 'm-forbidden' }, t('legend.forbidden')), ' ',
    h('mark', { class: 'm-cite-bad' }, t('legend.cite_bad')), ' ',
    h('mark', { class: 'm-cite-ok' }, t('legend.cite_ok')));
}

/* One turn: what was asked, the reference answer, the rubric, and every model's answer. */
function turnSection(n, turn, rubric, answers, ctx) {
  const kps = rubric?.keypoints || [];
  const forb = rubric?.forbidden || [];
  return h('section', { class: 'panel turn', 'aria-labelledby': `turn-${n}` },
    h('h2', { id: `turn-${n}` }, t('question.turn', { n })),
    turn?.ask ? h('blockquote', { class: 'ask', lang: ctx.textLang }, turn.ask) : null,
    turn?.reference ? h('details', { class: 'reference', open: true },
      h('summary', null, t('question.reference')), h('div', { class: 'pre', lang: ctx.textLang }, turn.reference)) : null,
    rubric ? h('details', { class: 'rubric' },
      h('summary', null, t('question.rubric_summary', { k: kps.length, f: forb.length }),
        rubric.source ? [' · ', t('question.source', { s: sourceText(rubric.source) })] : null),
      kps.length ? tableWrap(table([t('col.item'), { text: t('col.points'), class: 'num' }, t('col.criterion'), t('col.source')],
        kps.map((k) => [h('code', null, k.id), { content: signed(k.points), class: 'num' }, k.criterion || '—', sourceText(k.source || rubric.source)]),
        { caption: t('question.keypoints') }), t('question.keypoints')) : null,
      forb.length ? tableWrap(table([t('col.item'), { text: t('col.points'), class: 'num' }, t('col.claim')],
        forb.map((f) => [h('code', null, f.id), { content: signed(f.points), class: 'num bad' }, f.claim || '—']),
        { caption: t('question.forbidden') }), t('question.forbidden')) : null) : null,
    answers.length ? [h('h3', null, t('question.answers')),
      h('div', { class: 'answers-grid' }, answers.map((a) => answerCard(a, ctx)))] : null);
}

/* A rubric source as text: the API may give a string or {law, article, sub, version} (or a list of them). */
function sourceText(src) {
  if (!src) return '—';
  if (typeof src === 'string') return src;
  if (Array.isArray(src)) return src.map(sourceText).join('; ');
  const parts = [src.law || ''];
  if (src.article) parts.push(t('cite.article', { n: src.article }));
  if (src.sub) parts.push(t('cite.sub', { n: src.sub }));
  if (src.version) parts.push(`(${src.version})`);
  return parts.filter(Boolean).join(' ') || '—';
}

function signed(points) {
  if (typeof points !== 'number') return '—';
  return points > 0 ? `+${num(points, points % 1 ? 1 : 0)}` : `−${num(-points, points % 1 ? 1 : 0)}`;
}

/* An answer's card; refilled in place after a ruling. */
function answerCard(a, ctx) {
  const card = h('article', { class: 'answer', id: `answer-${a.id}`, tabindex: -1 });
  fillCard(card, a, ctx);
  return card;
}

function fillCard(card, a, ctx, message) {
  card.classList.toggle('failed', a.passed === false);
  card.classList.toggle('hallucinated', !!a.hallucinated);
  const headingId = `answer-${a.id}-h`;
  card.setAttribute('aria-labelledby', headingId);
  card.replaceChildren();
  append(card, [
    h('header', null,
      h('h4', { id: headingId }, modelLink(a.model),
        ctx.multiSample ? h('span', { class: 'muted' }, ` · ${t('answer.sample', { n: a.sample })}`) : null),
      ctx.simulated.has(a.model) ? simTag() : null),
    h('p', { class: 'card-status', role: 'status' }, message || ''),
    answerFacts(a),
    h('h5', null, t('answer.text')),
    h('div', { class: 'answer-text', lang: ctx.textLang }, markedText(a.content || '', spansOf(a))),
    a.reasoning ? h('details', { class: 'reasoning' },
      h('summary', null, t('answer.reasoning', { n: a.reasoning_tokens ?? '—' })),
      h('div', { class: 'pre', lang: ctx.textLang }, a.reasoning)) : null,
    citations(a),
    verdicts(a, ctx, card)]);
}

/* Score, result, hallucination and behaviour flags of one answer. */
function answerFacts(a) {
  const warn = [['abstained', 'answer.abstained'], ['truncated', 'answer.truncated'], ['loop', 'answer.loop'],
    ['mix', 'answer.mix'], ['followup_ignored', 'answer.followup_ignored']]
    .filter(([k]) => a[k]).map(([, key]) => h('span', { class: 'tag warn' }, t(key)));
  return h('div', { class: 'answer-facts' },
    h('dl', { class: 'chips' },
      h('div', null, h('dt', null, t('answer.score')), h('dd', null, score(a.score))),
      h('div', null, h('dt', null, t('answer.result')), h('dd', null, passFlag(a.passed))),
      h('div', null, h('dt', null, t('answer.hallucinated')), h('dd', null, flag(a.hallucinated, { bad: true }))),
      h('div', null, h('dt', null, t('answer.coverage')), h('dd', null, score(a.coverage))),
      h('div', null, h('dt', null, t('answer.time')), h('dd', null, ms(a.total_ms))),
      a.answer_tokens != null ? h('div', null, h('dt', null, t('answer.tokens')), h('dd', null, num(a.answer_tokens))) : null,
      a.mix_ratio ? h('div', null, h('dt', null, t('answer.mix_ratio')), h('dd', null, pct(a.mix_ratio))) : null,
      a.finish_reason && a.finish_reason !== 'stop' ? h('div', null, h('dt', null, t('answer.finish')), h('dd', null, a.finish_reason)) : null),
    warn.length ? h('p', { class: 'tags' }, warn) : null);
}

/* The spans to mark in the answer text: evidence of verdicts in force, and citations. */
function spansOf(a) {
  const spans = [];
  for (const v of a.verdicts || []) {
    if (!v.hit) continue;
    const kind = v.kind === 'forbidden' ? 'forbidden' : 'keypoint';
    const label = `${t(kind === 'forbidden' ? 'mark.forbidden' : 'mark.keypoint')}: ${v.item}`;
    for (const e of v.evidence || []) spans.push({ start: e.start, end: e.end, kind, label });
  }
  for (const c of a.citations || []) {
    if (c.start == null || c.end == null) continue;
    const bad = c.status === 'nonexistent' || c.status === 'misgrounded';
    spans.push({ start: c.start, end: c.end, kind: bad ? 'cite-bad' : 'cite-ok', label: `${t('mark.citation')}: ${citeStatus(c.status)}` });
  }
  return spans;
}

function citeStatus(status) {
  const key = `cite.${status}`;
  const text = t(key);
  return text === key ? status : text;
}

/* The citations found in the answer, with their check. */
function citations(a) {
  const list = a.citations || [];
  if (!list.length) return null;
  return h('div', { class: 'citations' }, h('h5', null, t('answer.citations', { n: list.length })),
    h('ul', null, list.map((c) => {
      const bad = c.status === 'nonexistent' || c.status === 'misgrounded';
      const target = c.law ? `${c.law}${c.article != null ? ` ${t('cite.article', { n: c.article })}` : ''}${c.sub ? ` ${t('cite.sub', { n: c.sub })}` : ''}` : null;
      return h('li', { class: bad ? 'bad' : null },
        h('span', { class: `cite-status c-${c.status}` }, citeStatus(c.status)), ' ',
        h('q', null, c.text), target ? h('span', { class: 'muted' }, ` → ${target}`) : null,
        c.denied ? h('span', { class: 'muted' }, ` (${t('cite.denied')})`) : null);
    })));
}

/* The verdicts: forbidden claims made, key points missed, then the rest folded away. */
function verdicts(a, ctx, card) {
  const all = (a.verdicts || []).map((v) => ({ ...v, criterion: v.criterion || ctx.criteria.get(`${a.turn || 1}:${v.kind}:${v.item}`) }));
  if (!all.length) return null;
  // Lawyers' rulings stay in view whatever they decided; then what went wrong; the rest folded.
  const ruled = all.filter((v) => v.review);
  const open = all.filter((v) => !v.review);
  const made = open.filter((v) => v.kind === 'forbidden' && v.hit);
  const missed = open.filter((v) => v.kind === 'keypoint' && !v.hit);
  const rest = open.filter((v) => !made.includes(v) && !missed.includes(v));
  const item = (v) => verdictItem(v, a, ctx, card);
  return h('div', { class: 'verdicts' },
    ruled.length ? [h('h5', null, t('answer.ruled', { n: ruled.length })), h('ul', null, ruled.map(item))] : null,
    made.length ? [h('h5', { class: 'bad' }, t('answer.claims_made', { n: made.length })), h('ul', null, made.map(item))] : null,
    missed.length ? [h('h5', null, t('answer.missed', { n: missed.length })), h('ul', null, missed.map(item))]
      : h('p', { class: 'muted' }, t('answer.none_missed')),
    rest.length ? h('details', { class: 'rest' }, h('summary', null, t('answer.rest', { n: rest.length })), h('ul', null, rest.map(item))) : null);
}

/* How a verdict's state reads: met / missed, made / not made. */
function stateText(kind, hit) {
  if (kind === 'forbidden') return hit ? t('verdict.made') : t('verdict.not_made');
  return hit ? t('verdict.met') : t('verdict.missed');
}

/* One verdict with its method, explanation, ruling and overrule control. */
function verdictItem(v, a, ctx, card) {
  const isBad = (v.kind === 'forbidden') === !!v.hit;
  const methodKey = `method.${v.method}`;
  const r = v.review;
  return h('li', { class: ['verdict', isBad ? 'is-bad' : 'is-good'] },
    h('div', { class: 'v-head' },
      h('span', { class: 'v-state' }, h('span', { 'aria-hidden': 'true' }, isBad ? '✕ ' : '✓ '), stateText(v.kind, v.hit)),
      h('code', { class: 'v-item' }, v.item),
      h('span', { class: 'v-points' }, t('verdict.points', { p: signed(v.points) })),
      h('span', { class: `method m-${v.method}`, title: t('method.title') }, t(methodKey) === methodKey ? v.method : t(methodKey))),
    v.criterion ? h('p', { class: 'v-criterion' }, v.criterion) : null,
    v.hit && v.evidence?.length ? h('p', { class: 'v-evidence' }, t('verdict.found'), ' ',
      v.evidence.map((e, i) => [i ? '、' : '', h('q', null, e.text)])) : null,
    disagreement(v),
    v.explanation ? h('p', { class: 'v-expl' }, h('strong', null, t('verdict.judge_said')), ' ', v.explanation) : null,
    r ? h('p', { class: 'ruling' },
      h('strong', null, t('review.ruled', { who: r.reviewer, when: date(r.created_at) })), ' ',
      // The original verdict struck through, unless the lawyer confirmed it.
      !!r.hit === !!r.original_hit ? t('review.confirmed', { v: stateText(v.kind, r.hit) })
        : [h('span', { class: 'sr-only' }, t('review.original')), h('s', null, stateText(v.kind, r.original_hit)),
          ' → ', h('strong', null, stateText(v.kind, r.hit))],
      h('br'), t('review.reason'), ' ', h('span', { class: 'reason' }, r.reason)) : null,
    reviewControl(v, a, ctx, card));
}

/* When matching and the judge disagreed, say so. */
function disagreement(v) {
  if (v.judge_hit === null || v.judge_hit === undefined || v.match_hit === null || v.match_hit === undefined) return null;
  if (!!v.judge_hit === !!v.match_hit) return null; // the API may send 0/1 or false/true
  return h('p', { class: 'muted' }, t('verdict.disagree', {
    match: stateText(v.kind, v.match_hit), judge: stateText(v.kind, v.judge_hit) }));
}

/* The "overrule" control: a ruling, a reason and the reviewer's name. */
function reviewControl(v, a, ctx, card) {
  const uid = `rv${++formSeq}`;
  const choice = (hit) => h('label', { class: 'radio' },
    h('input', { type: 'radio', name: `${uid}-hit`, value: hit ? '1' : '0', checked: hit !== !!v.hit, required: true }),
    ' ', stateText(v.kind, hit));
  const reason = h('textarea', { id: `${uid}-reason`, required: true, maxlength: 1000, rows: 3 });
  const who = h('input', { id: `${uid}-who`, type: 'text', required: true, maxlength: 100, autocomplete: 'name',
    value: localStorage.getItem(REVIEWER_KEY) || '' });
  const status = h('p', { class: 'form-status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('review.submit'));
  const form = h('form', { class: 'review-form', novalidate: true },
    h('fieldset', null, h('legend', null, t('review.ruling')), choice(true), choice(false)),
    h('label', { for: reason.id }, t('review.reason_label')), reason,
    h('label', { for: who.id }, t('review.reviewer_label')), who,
    h('div', { class: 'actions' }, submit), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = reason.value.trim();
    const name = who.value.trim();
    const picked = form.querySelector(`input[name="${uid}-hit"]:checked`);
    if (!text || [...text].length > 1000) { status.textContent = t('review.need_reason'); reason.focus(); return; }
    if (!name || [...name].length > 100) { status.textContent = t('review.need_reviewer'); who.focus(); return; }
    const hit = picked ? picked.value === '1' : !v.hit;
    submit.disabled = true;
    status.textContent = t('review.saving');
    try {
      const res = await post('/api/reviews', { answer_id: a.id, kind: v.kind, item: v.item, hit, reason: text, reviewer: name });
      localStorage.setItem(REVIEWER_KEY, name);
      await refresh(card, a, ctx, res, { kind: v.kind, item: v.item, hit, reason: text, reviewer: name });
    } catch (err) {
      submit.disabled = false;
      status.replaceChildren(err?.status === 403 ? h('span', { class: 'error' }, t('review.forbidden')) : errorBox(err));
    }
  });
  return h('details', { class: 'overrule' }, h('summary', null, t('review.overrule')), form);
}

/* Reload the answer after a ruling; if it cannot be reloaded, apply the ruling to the copy we have. */
async function refresh(card, a, ctx, res, change) {
  let fresh;
  try {
    fresh = await get(`/api/answers/${encodeURIComponent(a.id)}`);
  } catch {
    fresh = applyLocally(a, res, change);
  }
  fillCard(card, fresh, ctx, t('review.saved'));
  card.focus();
}

function applyLocally(a, res, change) {
  const copy = structuredClone(a);
  const v = copy.verdicts.find((x) => x.kind === change.kind && x.item === change.item);
  if (v) {
    const original = v.review ? v.review.original_hit : v.hit;
    v.review = res?.review || { ...change, created_at: Math.floor(Date.now() / 1000) };
    v.review.original_hit ??= original;
    v.hit = change.hit;
    v.method = 'review';
  }
  Object.assign(copy, res?.answer || {});
  return copy;
}
