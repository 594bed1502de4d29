/*
 * Compare (#/compare?a=&b=[&run=]): two models on the same questions, paired.
 *
 * Two pickers, then /api/compare: overall and per area the pass rates, their
 * difference with the exact McNemar p-value, the mean-score difference with
 * its paired bootstrap interval, and the questions where one passed and the
 * other did not — each linking to the question page where both answers sit
 * side by side.
 */
import { get } from '../api.js';
import { h, route, table, tableWrap, errorBox, section } from '../dom.js';
import { t, pct, score, num, pval, areaName, signedPct, signedScore } from '../i18n.js';
import { passFlag, modelLink } from '../ui.js';

export async function render(view, { params }) {
  view.prepend(h('h1', null, t('compare.title')));
  const a = params.get('a') || '';
  const b = params.get('b') || '';
  const run = params.get('run') || '';

  const names = await modelNames();
  view.append(pickers(names, a, b, run));
  if (!a || !b) {
    view.append(h('p', { class: 'notice' }, t('compare.pick')));
    return;
  }
  if (a === b) {
    view.append(h('p', { class: 'notice' }, t('compare.same')));
    return;
  }
  let data;
  try {
    data = await get('/api/compare', { run, a, b });
  } catch (err) {
    view.append(errorBox(err));
    return;
  }
  const o = data.overall;
  if (!o || !o.questions) {
    view.append(h('p', { class: 'notice' }, t('compare.no_pairs', { id: data.run_id ?? '—' })));
    return;
  }
  view.append(
    section(t('compare.summary'),
      h('p', { class: 'lead' }, sentence(data.a, data.b, o)),
      h('p', { class: 'muted' }, t('compare.run', { id: data.run_id }))),
    section(t('compare.by_area'), tableWrap(compTable([o, ...(data.areas || [])], data.a, data.b), t('compare.by_area'))),
    disagreements(data));
}

/* Model names for the pickers: configured and seen models; fall back to the leaderboard. */
async function modelNames() {
  try {
    return (await get('/api/models')).models.map((m) => m.model);
  } catch {
    try {
      return (await get('/api/leaderboard')).models.map((m) => m.model);
    } catch {
      return [];
    }
  }
}

/* The two pickers; choosing navigates to the new pair. */
function pickers(names, a, b, run) {
  const select = (id, current, label) => {
    const opts = [...new Set([...(current ? [current] : []), ...names])];
    return h('div', { class: 'field' }, h('label', { for: id }, label),
      h('select', { id, name: id }, h('option', { value: '' }, t('compare.choose')),
        opts.map((n) => h('option', { value: n, selected: n === current }, n))));
  };
  const form = h('form', { class: 'panel filters' },
    select('cmp-a', a, t('compare.model_a')), select('cmp-b', b, t('compare.model_b')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('compare.go')),
      h('button', { type: 'button', on: { click: () => swap(form, run) } }, t('compare.swap'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = route(['compare'], { a: form.elements['cmp-a'].value, b: form.elements['cmp-b'].value, run });
  });
  return form;
}

function swap(form, run) {
  location.hash = route(['compare'], { a: form.elements['cmp-b'].value, b: form.elements['cmp-a'].value, run });
}

/* The result in one sentence a lawyer can repeat. */
function sentence(a, b, o) {
  const sig = typeof o.mcnemar_p === 'number' && o.mcnemar_p < 0.05;
  return [
    t('compare.sentence', { n: num(o.questions), a, b, pa: pct(o.pass_rate_a), pb: pct(o.pass_rate_b),
      oa: num(o.only_a_passed), ob: num(o.only_b_passed) }), ' ',
    h('strong', null, sig ? t('compare.significant', { p: pval(o.mcnemar_p) }) : t('compare.not_significant', { p: pval(o.mcnemar_p) })), ' ',
    o.score_difference_ci ? t('compare.score_sentence', { d: signedScore(o.score_difference),
      lo: signedScore(o.score_difference_ci[0]), hi: signedScore(o.score_difference_ci[1]) }) : null,
  ];
}

/* Overall and per area, one row each. */
function compTable(rows, a, b) {
  return table([t('col.area'), { text: t('col.questions'), class: 'num' },
    { text: t('compare.pass_of', { m: a }), class: 'num' }, { text: t('compare.pass_of', { m: b }), class: 'num' },
    { text: t('compare.difference'), class: 'num' }, { text: t('compare.only_passed', { m: a }), class: 'num' },
    { text: t('compare.only_passed', { m: b }), class: 'num' }, { text: t('compare.mcnemar'), class: 'num' },
    { text: t('compare.score_diff'), class: 'num' }],
  rows.filter(Boolean).map((c) => [
    c.area === '*' ? h('strong', null, t('area.*')) : areaName(c.area),
    { content: num(c.questions), class: 'num' },
    { content: pct(c.pass_rate_a), class: 'num' }, { content: pct(c.pass_rate_b), class: 'num' },
    { content: signedPct(c.pass_difference), class: 'num' },
    { content: num(c.only_a_passed), class: 'num' }, { content: num(c.only_b_passed), class: 'num' },
    { content: pval(c.mcnemar_p), class: typeof c.mcnemar_p === 'number' && c.mcnemar_p < 0.05 ? 'num strong' : 'num' },
    { content: [signedScore(c.score_difference), c.score_difference_ci ? h('span', { class: 'ci' },
      ` (${signedScore(c.score_difference_ci[0])}…${signedScore(c.score_difference_ci[1])})`) : null], class: 'num' },
  ]), { className: 'compare' });
}

/* Questions where one model passed and the other did not. */
function disagreements(data) {
  const list = data.disagreements || [];
  if (!list.length) return section(t('compare.disagreements'), h('p', null, t('compare.no_disagreements')));
  const rows = list.map((d) => [
    h('a', { href: route(['question', d.question], { run: data.run_id }) }, d.question),
    areaName(d.area),
    h('span', null, passFlag(d.a_passed), d.a_hallucinated ? [' ', h('span', { class: 'tag bad' }, t('answer.hallucinated'))] : null),
    { content: score(d.score_a), class: 'num' },
    h('span', null, passFlag(d.b_passed), d.b_hallucinated ? [' ', h('span', { class: 'tag bad' }, t('answer.hallucinated'))] : null),
    { content: score(d.score_b), class: 'num' },
  ]);
  return section(t('compare.disagreements'),
    h('p', { class: 'muted' }, t('compare.disagreements_help', { n: num(list.length) }), ' ', modelLink(data.a), ' · ', modelLink(data.b)),
    tableWrap(table([t('col.question'), t('col.area'), data.a, { text: t('col.score'), class: 'num' }, data.b, { text: t('col.score'), class: 'num' }], rows),
      t('compare.disagreements')));
}
