/*
 * Runs (#/runs): the evaluations, and starting a new one.
 *
 * The form picks models (from /api/health backends), a suite and a number of
 * samples, and POSTs /api/runs. Progress of a running run comes from the SSE
 * stream /api/runs/{id}/events; EventSource cannot send an Authorization
 * header, so when a token is set (or the stream fails before its first
 * event) the page polls GET /api/runs/{id} every second instead. The bar
 * reaches 100% when the run ends. Returns a cleanup that stops the stream
 * or the polling when the user leaves the page.
 */
import { get, post, getToken } from '../api.js';
import { h, route, table, tableWrap, errorBox, section } from '../dom.js';
import { t, num, date, areaName, pct } from '../i18n.js';
import { statusBadge, simTag } from '../ui.js';

export async function render(view) {
  view.prepend(h('h1', null, t('runs.title')));
  const stops = new Set();
  // The areas to offer come from the question bank, not from a run.
  const [health, runs, bank] = await Promise.allSettled([get('/api/health'), get('/api/runs'), get('/api/questions')]);
  const progressBox = h('div', { class: 'progress-box' });
  const listBox = h('div');
  const watch = (id) => {
    for (const stop of stops) stop();
    stops.clear();
    stops.add(follow(id, progressBox, () => refreshList(listBox, watch)));
  };
  view.append(startForm(health, bank, watch), progressBox, section(t('runs.list'), listBox));
  if (runs.status === 'rejected') listBox.append(errorBox(runs.reason));
  else fillList(listBox, runs.value.runs || [], watch);
  // Follow the newest running run at once.
  const running = runs.status === 'fulfilled' && (runs.value.runs || []).find((r) => r.status === 'running');
  if (running) watch(running.id);
  return () => { for (const stop of stops) stop(); };
}

/* The form that starts a run. */
function startForm(health, bank, watch) {
  const box = h('section', { class: 'panel' }, h('h2', null, t('runs.start')));
  if (health.status === 'rejected') {
    box.append(errorBox(health.reason));
    return box;
  }
  const hv = health.value;
  const backends = hv.backends || [];
  const areas = bank.status === 'fulfilled'
    ? [...new Set((bank.value.questions || []).map((q) => q.area))].sort()
    : [];
  let n = 0;
  const modelBoxes = backends.map((b) => h('fieldset', { class: 'models' },
    h('legend', null, b.name, h('span', { class: 'muted' }, ` (${b.kind})`), b.simulated ? [' ', simTag()] : null),
    (b.models || []).map((m) => {
      const id = `run-model-${++n}`;
      return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, name: 'model', value: m, checked: true }),
        h('label', { for: id }, m));
    })));
  const suite = h('select', { id: 'run-suite', name: 'suite' },
    h('option', { value: 'all' }, t('runs.suite_all')),
    h('option', { value: 'lang:zh' }, t('runs.suite_zh')),
    h('option', { value: 'lang:en' }, t('runs.suite_en')),
    areas.map((a) => h('option', { value: `area:${a}` }, t('runs.suite_area', { area: areaName(a) }))));
  const samples = h('input', { id: 'run-samples', name: 'samples', type: 'number', min: 1, max: 100, value: 1, required: true, inputmode: 'numeric' });
  const status = h('p', { class: 'form-status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('runs.submit'));
  const writes = hv.auth ? hv.auth.writes_allowed !== false : true;
  const form = h('form', { class: 'run-form' },
    modelBoxes.length ? modelBoxes : h('p', { class: 'muted' }, t('runs.no_backends')),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: suite.id }, t('runs.suite')), suite),
      h('div', { class: 'field' }, h('label', { for: samples.id }, t('runs.samples')), samples,
        h('small', { class: 'muted' }, t('runs.samples_help')))),
    h('div', { class: 'actions' }, submit), status);
  if (!writes) {
    submit.disabled = true;
    status.textContent = t('runs.writes_disabled');
  } else if (hv.auth?.token_required && !getToken()) {
    status.textContent = t('runs.token_needed');
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const models = [...form.querySelectorAll('input[name=model]:checked')].map((c) => c.value);
    const k = Number(samples.value);
    if (!models.length) { status.textContent = t('runs.need_model'); return; }
    if (!Number.isInteger(k) || k < 1 || k > 100) { status.textContent = t('runs.bad_samples'); samples.focus(); return; }
    submit.disabled = true;
    status.textContent = t('runs.starting');
    try {
      const res = await post('/api/runs', { models, suite: suite.value, samples: k });
      status.textContent = t('runs.started', { id: res.run_id });
      watch(res.run_id);
    } catch (err) {
      status.replaceChildren(err?.status === 403 ? t('runs.writes_disabled') : errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  box.append(form);
  return box;
}

/* Follow one run's progress; returns a function that stops following. */
function follow(id, box, onEnd) {
  const bar = h('progress', { max: 1, value: 0, id: `progress-${id}` });
  const text = h('p', { class: 'progress-text', role: 'status', 'aria-live': 'polite' }, t('runs.connecting'));
  const badge = h('span');
  box.replaceChildren(h('section', { class: 'panel' },
    h('h2', null, t('runs.progress_title', { id }), ' ', badge),
    h('label', { for: bar.id, class: 'sr-only' }, t('runs.progress_label', { id })), bar, text));

  let stopped = false;
  let es = null;
  let timer = null;
  let finished = false;
  const update = (ev) => {
    const j = ev.jobs || {};
    const total = j.total || 0;
    const doneN = (j.done || 0) + (j.error || 0);
    const ended = ev.status && ev.status !== 'running';
    bar.max = Math.max(1, total);
    bar.value = ended && ev.status === 'done' ? bar.max : doneN;
    badge.replaceChildren(statusBadge(ev.status));
    text.textContent = t('runs.progress', { done: num(doneN), total: num(total), pct: pct(total ? bar.value / bar.max : 0),
      err: num(j.error || 0), inflight: num(j.inflight || 0) });
    if (ended && !finished) {
      finished = true;
      text.append(' ', t('runs.ended', { status: t(`status.${ev.status}`) }), ' ');
      if (ev.status === 'done') text.append(h('a', { href: route([]) }, t('runs.see_results')));
      stop();
      onEnd();
    }
  };
  const poll = async () => {
    if (stopped) return;
    try {
      const run = await get(`/api/runs/${id}`);
      update({ status: run.status, jobs: run.jobs });
    } catch (err) {
      if (!stopped) box.querySelector('.progress-text')?.replaceChildren(errorBox(err));
      if (err?.status === 404 || err?.status === 401) return stop();
    }
    if (!stopped && !finished) timer = setTimeout(poll, 1000);
  };
  const stop = () => {
    stopped = true;
    if (es) es.close();
    clearTimeout(timer);
  };
  if (getToken() || typeof EventSource === 'undefined') {
    poll();
  } else {
    let got = false;
    es = new EventSource(`/api/runs/${encodeURIComponent(id)}/events`);
    es.addEventListener('progress', (e) => {
      got = true;
      try { update(JSON.parse(e.data)); } catch { /* a malformed event: wait for the next */ }
    });
    es.addEventListener('end', () => { es.close(); if (!finished) poll(); });
    es.onerror = () => {
      // The stream is missing, refused (401) or dropped: poll instead.
      es.close();
      if (!finished && !stopped) { if (!got) text.textContent = t('runs.polling'); poll(); }
    };
  }
  return stop;
}

async function refreshList(box, watch) {
  try {
    const res = await get('/api/runs');
    fillList(box, res.runs || [], watch);
  } catch (err) {
    box.replaceChildren(errorBox(err));
  }
}

/* The runs table. */
function fillList(box, runs, watch) {
  if (!runs.length) {
    box.replaceChildren(h('p', null, t('runs.none')));
    return;
  }
  const rows = runs.map((r) => {
    const j = r.jobs || {};
    return [
      `#${r.id}`,
      statusBadge(r.status),
      { content: date(r.created_at), class: 'nowrap' },
      { content: r.finished_at ? date(r.finished_at) : '—', class: 'nowrap' },
      r.trigger || '—',
      h('code', null, r.suite || '—'),
      { content: num(r.samples), class: 'num' },
      { content: `${num(j.done ?? 0)} / ${num(j.total ?? r.jobs_total ?? 0)}`, class: 'num' },
      { content: num(j.error ?? 0), class: j.error ? 'num bad' : 'num' },
      r.note || '',
      r.status === 'running' ? h('button', { type: 'button', on: { click: () => watch(r.id) } }, t('runs.follow'))
        : r.status === 'done' ? h('a', { href: route(['answers'], { run: r.id }) }, t('runs.answers')) : '',
    ];
  });
  box.replaceChildren(tableWrap(table([t('col.run'), t('col.status'), t('col.started'), t('col.finished'), t('col.trigger'),
    t('col.suite'), { text: t('col.samples'), class: 'num' }, { text: t('col.jobs_done'), class: 'num' },
    { text: t('col.errors'), class: 'num' }, t('col.note'), t('col.actions')], rows, { className: 'runs' }), t('runs.list')));
}
