/*
 * Model (#/model/<name>[?area=X]): one model over time and in detail.
 *
 * Trends of pass rate, hallucination rate and mean score over the finished
 * runs (line charts with interval bands; ?area= narrows them to one area),
 * the behaviour panel from its leaderboard row (reasoning, tokens, loops,
 * language mix, follow-ups, truncation, abstention, latency), its per-area
 * rows and links to the answers that show where it goes wrong.
 */
import { get } from '../api.js';
import { h, append, route, table, tableWrap, errorBox, section } from '../dom.js';
import { t, pct, score, ms, num, date } from '../i18n.js';
import { lineChart } from '../charts.js';
import { verdictBadge, simTag, changedTag, rateCell, areaName } from '../ui.js';

/* [metric, format, y-axis top]: hallucination rates are small, so their axis fits the data. */
const TRENDS = [
  ['pass_rate', pct, 1], ['hallucination_rate', pct, null], ['mean_score', score, 1]];

export async function render(view, { parts, params }) {
  const name = parts[0];
  const area = params.get('area') || '*';
  view.prepend(h('h1', null, name || '?'));
  if (!name) return;

  const [lb, models, ...trends] = await Promise.allSettled([
    get('/api/leaderboard'), get('/api/models'),
    ...TRENDS.map(([metric]) => get('/api/trends', { metric, model: name, area }))]);

  const row = lb.status === 'fulfilled' ? (lb.value.models || []).find((m) => m.model === name) : null;
  const info = models.status === 'fulfilled' ? (models.value.models || []).find((m) => m.model === name) : null;
  view.append(headerLine(row, info));
  if (row?.simulated || info?.simulated) view.append(h('p', { class: 'notice sim-notice', role: 'note' }, simTag(), ' ', t('sim.statement')));
  view.append(evidenceLinks(name, lb.status === 'fulfilled' ? lb.value.models : []));

  if (lb.status === 'rejected') view.append(errorBox(lb.reason));
  else if (!row) view.append(h('p', { class: 'notice' }, t('model.not_in_run')));
  else view.append(headline(row, lb.value));

  view.append(trendSection(name, area, row, trends));
  if (row) append(view, [behaviour(row), areaTable(name, row), unstable(row)]);
}

/* Digest and the last run of this model. */
function headerLine(row, info) {
  const bits = [];
  if (row) bits.push(verdictBadge(row.verdict));
  if (info?.changed || row?.changed) bits.push(changedTag(info?.previous_digest, info?.digest ?? row?.digest));
  const digest = info?.digest ?? row?.digest;
  if (digest) bits.push(h('span', { class: 'muted' }, t('model.digest', { d: digest })));
  if (info?.backend) bits.push(h('span', { class: 'muted' }, t('model.backend', { b: info.backend, k: info.kind })));
  if (info?.last_run_at) bits.push(h('span', { class: 'muted' }, t('model.last_run', { id: info.last_run, at: date(info.last_run_at) })));
  return h('p', { class: 'header-line' }, bits.map((b, i) => (i ? [' · ', b] : b)));
}

/* Links to the answers that prove the numbers, and to a comparison. */
function evidenceLinks(name, all) {
  const other = (all || []).map((m) => m.model).find((m) => m !== name);
  return h('nav', { class: 'links panel', 'aria-label': t('model.links') },
    h('a', { class: 'button', href: route(['answers'], { model: name, passed: 0 }) }, t('links.failed_answers')),
    h('a', { class: 'button', href: route(['answers'], { model: name, hallucinated: 1 }) }, t('links.hallucinated_answers')),
    h('a', { class: 'button', href: route(['answers'], { model: name }) }, t('links.all_answers')),
    other ? h('a', { class: 'button', href: route(['compare'], { a: name, b: other }) }, t('links.compare_with', { other })) : null);
}

/* The three headline figures with their intervals. */
function headline(row, board) {
  const th = board.thresholds || {};
  return h('section', { class: 'panel cards' },
    card(t('metric.mean_score'), h('div', { class: 'big' }, score(row.mean_score)),
      row.score_ci ? h('div', { class: 'ci' }, t('common.ci95', { range: `${score(row.score_ci[0])}–${score(row.score_ci[1])}` })) : null),
    card(t('metric.pass_rate'), rateCell(row.pass_rate, row.pass_ci, { kind: 'good', what: t('metric.pass_rate'),
      marks: [th.suitable_pass_lower, th.review_pass].filter((x) => typeof x === 'number').map((at) => ({ at, label: t('thresholds.mark', { v: pct(at) }) })) })),
    card(t('metric.hallucination_rate'), rateCell(row.hallucination_rate, row.hallucination_ci, { kind: 'bad', what: t('metric.hallucination_rate'),
      marks: [th.suitable_hallucination_upper, th.review_hallucination].filter((x) => typeof x === 'number').map((at) => ({ at, label: t('thresholds.mark', { v: pct(at) }) })) })),
    card(t('col.questions'), h('div', { class: 'big' }, num(row.questions)),
      h('div', { class: 'muted' }, t('model.answers_errors', { a: num(row.answers), e: num(row.errors) }))));
}

function card(title, ...body) {
  return h('div', { class: 'card' }, h('h3', null, title), body);
}

/* Trend charts, with an area picker. */
function trendSection(name, area, row, trends) {
  const areas = (row?.areas || []).map((a) => a.area);
  const picker = h('select', { id: 'trend-area', on: { change: (e) => { location.hash = route(['model', name], { area: e.target.value === '*' ? '' : e.target.value }); } } },
    h('option', { value: '*', selected: area === '*' }, t('area.*')),
    areas.map((a) => h('option', { value: a, selected: a === area }, areaName(a))));
  const charts = TRENDS.map(([metric, format, yMax], i) => {
    const res = trends[i];
    if (res.status === 'rejected') return h('div', null, h('h3', null, t(`metric.${metric}`)), errorBox(res.reason));
    const series = (res.value.series || []).map((se) => ({ name: se.model, points: se.points || [] }));
    return lineChart({ series, format, yMax, title: t(`metric.${metric}`) });
  });
  return h('section', { class: 'panel' },
    h('h2', null, t('model.trends')),
    h('div', { class: 'inline-field' }, h('label', { for: 'trend-area' }, t('model.trend_area')), picker),
    h('p', { class: 'muted' }, t('model.trend_help')),
    h('div', { class: 'charts' }, charts));
}

/* The behaviour panel: how the model answers, beyond right and wrong. */
function behaviour(m) {
  const rate = (v, ci) => (v === null || v === undefined ? '—' : ci ? `${pct(v)} (${pct(ci[0])}–${pct(ci[1])})` : pct(v));
  const items = [
    ['beh.reasoning_share', pct(m.reasoning_share), 'beh.reasoning_share_help'],
    ['beh.reasoning_tokens', num(m.reasoning_tokens, 0), 'beh.tokens_help'],
    ['beh.answer_tokens', num(m.answer_tokens, 0), 'beh.tokens_help'],
    ['beh.loop_rate', rate(m.loop_rate, m.loop_ci), 'beh.loop_help'],
    ['beh.mix_rate', rate(m.mix_rate, m.mix_ci), 'beh.mix_help'],
    ['beh.followup', rate(m.followup_ignored_rate, m.followup_ci), 'beh.followup_help'],
    ['beh.truncation', rate(m.truncation_rate), 'beh.truncation_help'],
    ['beh.abstention', rate(m.abstention_rate, m.abstention_ci), 'beh.abstention_help'],
    ['beh.latency', `${ms(m.p50_ms)} / ${ms(m.p95_ms)}`, 'beh.latency_help'],
    ['beh.ttft', ms(m.ttft_p50_ms), null],
    ['beh.tps', m.tokens_per_s === null || m.tokens_per_s === undefined ? '—' : num(m.tokens_per_s, 1), null],
    ['beh.unstable', num(m.unstable), 'beh.unstable_help'],
    ['beh.judged', m.judged ? t('beh.judged_n', { n: num(m.judged), e: num(m.judge_errors) }) : '—', null],
  ];
  return section(t('model.behaviour'), h('dl', { class: 'behaviour' }, items.map(([k, v, help]) =>
    h('div', null, h('dt', null, t(k)), h('dd', null, v), help ? h('dd', { class: 'help' }, t(help)) : null))));
}

/* One row per area, each linking to the answers in it. */
function areaTable(name, m) {
  const areas = [...(m.areas || [])].sort((a, b) => a.area.localeCompare(b.area));
  if (!areas.length) return null;
  const rows = areas.map((a) => [
    h('a', { href: route(['answers'], { model: name, area: a.area }) }, areaName(a.area)),
    verdictBadge(a.verdict),
    { content: num(a.questions), class: 'num' },
    { content: score(a.mean_score), class: 'num' },
    rateCell(a.pass_rate, a.pass_ci, { kind: 'good', what: t('metric.pass_rate') }),
    rateCell(a.hallucination_rate, a.hallucination_ci, { kind: 'bad', what: t('metric.hallucination_rate') }),
    h('div', { class: 'links' },
      h('a', { href: route(['answers'], { model: name, area: a.area, passed: 0 }) }, t('links.failed')),
      h('a', { href: route(['model', name], { area: a.area }) }, t('links.trend'))),
  ]);
  return section(t('model.areas'), tableWrap(table([t('col.area'), t('col.verdict'), { text: t('col.questions'), class: 'num' },
    { text: t('col.mean_score'), class: 'num' }, t('col.pass_ci'), t('col.hallucination_ci'), t('col.evidence')], rows), t('model.areas')));
}

/* Questions whose repeated samples disagree. */
function unstable(m) {
  const list = m.unstable_questions || [];
  if (!list.length) return null;
  const rows = list.map((u) => [
    h('a', { href: route(['question', u.question]) }, u.question),
    { content: num(u.samples), class: 'num' }, { content: num(u.passed), class: 'num' },
    { content: score(u.mean_score), class: 'num' }, { content: num(u.sd_score, 2), class: 'num' }]);
  return section(t('model.unstable'), h('p', { class: 'muted' }, t('model.unstable_help')),
    tableWrap(table([t('col.question'), { text: t('col.samples'), class: 'num' }, { text: t('col.passed_n'), class: 'num' },
      { text: t('col.mean_score'), class: 'num' }, { text: t('col.sd'), class: 'num' }], rows), t('model.unstable')));
}

