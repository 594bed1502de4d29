/*
 * Overview (#/): which model may be trusted for which area of law.
 *
 * Shows the last and next run, models whose digest changed, the leaderboard
 * of the latest finished run (verdict, mean score, pass and hallucination
 * rates with 95% intervals, questions, errors), the model × area grid of
 * verdicts, and the thresholds and sample sizes in words. Each section reads
 * its own endpoint, so a failing one does not blank the page.
 */
import { get } from '../api.js';
import { h, append, route, table, tableWrap, errorBox, section } from '../dom.js';
import { t, pct, pctRange, score, date, num } from '../i18n.js';
import { verdictBadge, simTag, changedTag, statusBadge, modelLink, rateCell, areaName, VERDICT_RANK } from '../ui.js';

export async function render(view) {
  view.prepend(h('h1', null, t('overview.title')));
  const [lb, health, models] = await Promise.allSettled([
    get('/api/leaderboard'), get('/api/health'), get('/api/models')]);

  view.append(statusPanel(health, models));
  if (lb.status === 'rejected') {
    view.append(errorBox(lb.reason));
    return;
  }
  const board = lb.value;
  if (!board.run || !board.models?.length) {
    view.append(emptyState(health.value));
    return;
  }
  const rows = [...board.models].sort((a, b) =>
    (VERDICT_RANK[a.verdict] ?? 9) - (VERDICT_RANK[b.verdict] ?? 9) || (b.pass_rate ?? -1) - (a.pass_rate ?? -1));
  if (rows.some((m) => m.simulated)) {
    view.append(h('p', { class: 'notice sim-notice', role: 'note' }, simTag(), ' ', t('sim.statement')));
  }
  append(view, [leaderboard(board, rows), areaGrid(board, rows), method(board, rows),
    board.agreement ? agreementNote(board.agreement) : null]);
}

/* Last run, next scheduled run, running runs and models whose digest changed. */
function statusPanel(health, models) {
  const box = h('section', { class: 'panel status-panel', 'aria-label': t('overview.status') });
  if (health.status === 'rejected') {
    box.append(errorBox(health.reason));
  } else {
    const hv = health.value;
    const items = [];
    const lr = hv.last_run;
    items.push(h('div', null, h('dt', null, t('overview.last_run')), h('dd', null, lr
      ? [h('a', { href: route(['runs']) }, `#${lr.id}`), ' · ', date(lr.finished_at || lr.created_at), ' · ', statusBadge(lr.status)]
      : t('overview.no_runs'))));
    items.push(h('div', null, h('dt', null, t('overview.next_run')), h('dd', null, hv.next_schedule
      ? t('overview.next_at', { name: hv.next_schedule.name, at: date(hv.next_schedule.at) })
      : t('overview.no_schedule'))));
    if (hv.runs_running) {
      items.push(h('div', null, h('dt', null, t('overview.running')), h('dd', null,
        h('a', { href: route(['runs']) }, t('overview.running_n', { n: hv.runs_running })))));
    }
    box.append(h('dl', { class: 'facts' }, items));
  }
  if (models.status === 'fulfilled') {
    const changed = (models.value.models || []).filter((m) => m.changed);
    if (changed.length) {
      box.append(h('div', { class: 'notice warn', role: 'note' },
        h('strong', null, t('overview.changed_title')), ' ', t('overview.changed_text'),
        h('ul', null, changed.map((m) => h('li', null, modelLink(m.model), ' ', changedTag(m.previous_digest, m.digest),
          h('span', { class: 'muted' }, ` ${m.previous_digest || '?'} → ${m.digest || '?'}`))))));
    }
  }
  return box;
}

/* Nothing finished yet: say what to do. */
function emptyState(health) {
  const running = health?.runs_running > 0;
  return h('section', { class: 'panel empty' },
    h('h2', null, t('overview.empty_title')),
    h('p', null, running ? t('overview.empty_running') : t('overview.empty_text')),
    h('p', null, h('a', { class: 'button primary', href: route(['runs']) }, running ? t('overview.watch_run') : t('overview.start_run'))));
}

/* The leaderboard table. */
function leaderboard(board, rows) {
  const th = board.thresholds || {};
  const passMarks = [th.suitable_pass_lower, th.review_pass].filter((x) => typeof x === 'number')
    .map((at) => ({ at, label: t('thresholds.mark', { v: pct(at) }) }));
  const halMarks = [th.suitable_hallucination_upper, th.review_hallucination].filter((x) => typeof x === 'number')
    .map((at) => ({ at, label: t('thresholds.mark', { v: pct(at) }) }));
  const body = rows.map((m) => [
    h('div', { class: 'model-cell' }, modelLink(m.model), m.simulated ? [' ', simTag()] : null, m.changed ? [' ', changedTag(null, m.digest)] : null),
    verdictBadge(m.verdict),
    rateCell(m.pass_rate, m.pass_ci, { kind: 'good', marks: passMarks, what: t('metric.pass_rate') }),
    rateCell(m.hallucination_rate, m.hallucination_ci, { kind: 'bad', marks: halMarks, what: t('metric.hallucination_rate') }),
    { content: h('div', { class: 'rate' }, h('span', { class: 'rate-text' }, score(m.mean_score),
      m.score_ci ? h('span', { class: 'ci' }, ` (${score(m.score_ci[0])}–${score(m.score_ci[1])})`) : null)), class: 'num' },
    { content: num(m.questions), class: 'num' },
    { content: num(m.errors), class: m.errors ? 'num bad' : 'num' },
    h('div', { class: 'links' },
      h('a', { href: route(['answers'], { model: m.model, passed: 0 }) }, t('links.failed')),
      h('a', { href: route(['answers'], { model: m.model, hallucinated: 1 }) }, t('links.hallucinated'))),
  ]);
  const tbl = table([t('col.model'), t('col.verdict'), t('col.pass_ci'), t('col.hallucination_ci'),
    { text: t('col.mean_score_ci'), class: 'num' }, { text: t('col.questions'), class: 'num' },
    { text: t('col.errors'), class: 'num' }, t('col.evidence')], body, { className: 'leaderboard' });
  return h('section', { class: 'panel' },
    h('h2', null, t('overview.leaderboard')),
    h('p', { class: 'muted' }, t('overview.run_line', {
      id: board.run.id, at: date(board.run.finished_at || board.run.created_at),
      suite: board.run.suite, samples: board.run.samples })),
    tableWrap(tbl, t('overview.leaderboard')));
}

/* The model × area grid: verdict colour and pass rate per cell; a cell opens that model's answers in that area. */
function areaGrid(board, rows) {
  const areas = board.areas?.length ? board.areas
    : [...new Set(rows.flatMap((m) => (m.areas || []).map((a) => a.area)))].sort();
  if (!areas.length) return null;
  const head = h('tr', null, h('th', { scope: 'col' }, t('col.model')),
    areas.map((a) => h('th', { scope: 'col' }, areaName(a))));
  const body = rows.map((m) => {
    const byArea = new Map((m.areas || []).map((a) => [a.area, a]));
    return h('tr', null, h('th', { scope: 'row' }, modelLink(m.model)), areas.map((area) => {
      const c = byArea.get(area);
      if (!c) return h('td', { class: 'cell none' }, h('span', { class: 'muted', title: t('grid.none') }, '—'));
      const title = t('grid.title', {
        model: m.model, area: areaName(area), verdict: t(`verdict.${c.verdict}`),
        pass: pct(c.pass_rate), range: c.pass_ci ? pctRange(c.pass_ci) : '—',
        hal: pct(c.hallucination_rate), n: c.questions });
      return h('td', { class: `cell v-${c.verdict}` },
        h('a', { href: route(['answers'], { model: m.model, area }), title, 'aria-label': title },
          h('span', { class: 'cell-rate' }, pct(c.pass_rate)),
          h('span', { class: 'cell-verdict' }, t(`verdict_short.${c.verdict}`))));
    }));
  });
  const tbl = h('table', { class: 'grid' }, h('thead', null, head), h('tbody', null, body));
  return h('section', { class: 'panel' },
    h('h2', null, t('overview.grid')),
    h('p', { class: 'muted' }, t('overview.grid_help')),
    tableWrap(tbl, t('overview.grid')),
    h('ul', { class: 'legend verdict-legend' }, ['suitable', 'review', 'not_suitable', 'too_few']
      .map((v) => h('li', null, verdictBadge(v)))));
}

/* Thresholds and sample sizes, in words. */
function method(board, rows) {
  const th = board.thresholds || {};
  const sizes = rows.map((m) => t('rules.size', { model: m.model, q: num(m.questions), a: num(m.answers), s: num(m.samples ?? board.run.samples) }));
  return section(t('rules.title'),
    h('p', null, t('rules.suitable', { pass: pct(th.suitable_pass_lower), hal: pct(th.suitable_hallucination_upper) })),
    h('p', null, t('rules.review', { pass: pct(th.review_pass), hal: pct(th.review_hallucination) })),
    h('p', null, t('rules.else', { n: num(th.min_questions) })),
    h('p', null, t('rules.intervals')),
    h('p', null, t('rules.sizes', { id: board.run.id, suite: board.run.suite, samples: num(board.run.samples) }), ' ', sizes.join(t('common.list_sep')), t('common.period')));
}

/* How often the judge agreed with matching, when a judge is configured. */
function agreementNote(a) {
  if (!a.n) return null;
  return section(t('agreement.title'),
    h('p', null, t('agreement.text', { n: num(a.n), percent: pct(a.percent > 1 ? a.percent / 100 : a.percent),
      kappa: a.kappa === null || a.kappa === undefined ? '—' : num(a.kappa, 2) })));
}
