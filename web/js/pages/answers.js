/*
 * Answers (#/answers?model=&question=&area=&passed=&hallucinated=&run=&page=):
 * a filterable, paged list of answers — e.g. every answer of one model that
 * failed, or that stated something false. Each row opens its question page
 * at that answer.
 *
 * /api/answers filters by model, question, passed and hallucinated. It has
 * no area filter, so with ?area= the page also sends it (for a server that
 * learns it) but then reads every page of the other filters (bounded) and
 * keeps the rows of that area itself.
 */
import { get } from '../api.js';
import { h, append, route, table, tableWrap, errorBox } from '../dom.js';
import { t, num, score, ms, areaName } from '../i18n.js';
import { passFlag, flag, modelLink } from '../ui.js';

const PER_PAGE = 50;
const AREA_SCAN_LIMIT = 20; // pages of 200 read at most to filter by area locally

export async function render(view, { params }) {
  view.prepend(h('h1', null, t('answers.title')));
  const f = {
    model: params.get('model') || '', question: params.get('question') || '', area: params.get('area') || '',
    passed: params.get('passed') || '', hallucinated: params.get('hallucinated') || '', run: params.get('run') || '',
  };
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  const [models, board] = await Promise.allSettled([get('/api/models'), get('/api/leaderboard')]);
  const modelNames = models.status === 'fulfilled' ? models.value.models.map((m) => m.model) : [];
  const areas = board.status === 'fulfilled' ? board.value.areas || [] : [];
  view.append(filterForm(f, modelNames, areas), h('p', { class: 'lead' }, describe(f)));

  let result;
  try {
    result = f.area ? await byArea(f, page) : await get('/api/answers', { ...query(f), page, per_page: PER_PAGE });
  } catch (err) {
    view.append(errorBox(err));
    return;
  }
  view.append(resultTable(result, f, page));
}

function query(f) {
  return { model: f.model, question: f.question, passed: f.passed, hallucinated: f.hallucinated, run: f.run };
}

/* Filter by area in the page: read the pages of the other filters, keep that area, then page locally. */
async function byArea(f, page) {
  const rows = [];
  let runId = null;
  for (let p = 1; p <= AREA_SCAN_LIMIT; p++) {
    const res = await get('/api/answers', { ...query(f), area: f.area, page: p, per_page: 200 });
    runId = res.run_id;
    rows.push(...(res.answers || []).filter((a) => a.area === f.area));
    if (p * res.per_page >= res.total || !(res.answers || []).length) break;
  }
  const start = (page - 1) * PER_PAGE;
  return { run_id: runId, total: rows.length, page, per_page: PER_PAGE, answers: rows.slice(start, start + PER_PAGE) };
}

/* The filters as a form; applying it navigates (so the URL can be shared). */
function filterForm(f, models, areas) {
  const sel = (name, label, options, current) => h('div', { class: 'field' },
    h('label', { for: `f-${name}` }, label),
    h('select', { id: `f-${name}`, name }, options.map(([v, text]) => h('option', { value: v, selected: v === current }, text))));
  const modelOpts = [['', t('answers.any_model')], ...[...new Set([...models, ...(f.model ? [f.model] : [])])].map((m) => [m, m])];
  const areaOpts = [['', t('area.*')], ...[...new Set([...areas, ...(f.area ? [f.area] : [])])].map((a) => [a, areaName(a)])];
  const form = h('form', { class: 'panel filters' },
    sel('model', t('col.model'), modelOpts, f.model),
    sel('area', t('col.area'), areaOpts, f.area),
    sel('passed', t('answers.result'), [['', t('answers.any')], ['1', t('answer.passed')], ['0', t('answer.failed')]], f.passed),
    sel('hallucinated', t('answer.hallucinated'), [['', t('answers.any')], ['1', t('common.yes')], ['0', t('common.no')]], f.hallucinated),
    h('div', { class: 'field' }, h('label', { for: 'f-question' }, t('col.question')),
      h('input', { id: 'f-question', name: 'question', type: 'text', value: f.question, placeholder: t('answers.question_hint') })),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('answers.apply')),
      h('a', { class: 'button', href: route(['answers'], { run: f.run }) }, t('answers.reset'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const el = form.elements;
    location.hash = route(['answers'], { model: el.model.value, area: el.area.value, passed: el.passed.value,
      hallucinated: el.hallucinated.value, question: el.question.value.trim(), run: f.run });
  });
  return form;
}

/* "Answers of X that failed, in copyright" in words. */
function describe(f) {
  const parts = [f.model ? t('answers.of_model', { m: f.model }) : t('answers.of_all')];
  if (f.passed === '0') parts.push(t('answers.that_failed'));
  if (f.passed === '1') parts.push(t('answers.that_passed'));
  if (f.hallucinated === '1') parts.push(t('answers.that_hallucinated'));
  if (f.hallucinated === '0') parts.push(t('answers.without_hallucination'));
  if (f.area) parts.push(t('answers.in_area', { a: areaName(f.area) }));
  if (f.question) parts.push(t('answers.on_question', { q: f.question }));
  parts.push(f.run ? t('answers.in_run', { id: f.run }) : t('answers.latest_run'));
  return parts.join(t('answers.joiner'));
}

function resultTable(res, f, page) {
  const list = res.answers || [];
  const wrap = h('section', { class: 'panel' });
  const pages = Math.max(1, Math.ceil((res.total || 0) / (res.per_page || PER_PAGE)));
  wrap.append(h('p', { class: 'muted' }, t('answers.count', { n: num(res.total || 0), id: res.run_id ?? '—', page, pages })));
  if (!list.length) {
    wrap.append(h('p', null, t('answers.none')));
    return wrap;
  }
  const rows = list.map((a) => {
    const warn = [['abstained', 'answer.abstained'], ['truncated', 'answer.truncated'], ['loop', 'answer.loop'],
      ['mix', 'answer.mix'], ['followup_ignored', 'answer.followup_ignored']].filter(([k]) => a[k]).map(([, k]) => h('span', { class: 'tag warn' }, t(k)));
    return [
      h('a', { href: route(['question', a.question], { answer: a.id, run: f.run }) }, a.question),
      modelLink(a.model),
      areaName(a.area),
      { content: `${num(a.turn)}${a.sample > 1 ? ` · ${t('answer.sample', { n: a.sample })}` : ''}`, class: 'num' },
      { content: score(a.score), class: 'num' },
      passFlag(a.passed),
      flag(a.hallucinated, { bad: true }),
      warn.length ? h('span', { class: 'tags' }, warn) : '',
      { content: ms(a.total_ms), class: 'num' },
      h('span', { class: 'excerpt' }, a.excerpt || ''),
    ];
  });
  wrap.append(tableWrap(table([t('col.question'), t('col.model'), t('col.area'), { text: t('col.turn'), class: 'num' },
    { text: t('col.score'), class: 'num' }, t('answers.result'), t('answer.hallucinated'), t('col.flags'),
    { text: t('col.time'), class: 'num' }, t('col.excerpt')], rows, { className: 'answers' }), t('answers.title')));
  append(wrap, [pager(f, page, pages)]);
  return wrap;
}

function pager(f, page, pages) {
  if (pages <= 1) return null;
  const link = (p, text, rel) => h('a', { class: 'button', href: route(['answers'], { ...f, page: p }), rel }, text);
  return h('nav', { class: 'pager', 'aria-label': t('answers.pages') },
    page > 1 ? link(page - 1, t('answers.prev'), 'prev') : h('span'),
    h('span', null, t('answers.page_of', { page, pages })),
    page < pages ? link(page + 1, t('answers.next'), 'next') : h('span'));
}
