/*
 * Report (#/report): export the suitability report of a run for people who
 * will never open the dashboard.
 *
 * One link per format to /api/report?run=&format=&lang=<current language>,
 * each with `download`. A click fetches the file through api.js instead, so
 * the bearer token is sent and a server error is shown on the page rather
 * than saved as a file; the plain link still works for "save link as".
 */
import { download, url, get } from '../api.js';
import { h, errorBox, section } from '../dom.js';
import { t, getLang, date } from '../i18n.js';

const FORMATS = ['pdf', 'html', 'md', 'csv', 'json'];

export async function render(view) {
  view.prepend(h('h1', null, t('report.title')));
  let runs = [];
  try {
    runs = ((await get('/api/runs', { limit: 50 })).runs || []).filter((r) => r.status === 'done');
  } catch {
    runs = []; // the list is a convenience; "latest" works without it
  }
  const status = h('div', { class: 'form-status', role: 'status' });
  const runSel = h('select', { id: 'report-run' },
    h('option', { value: 'latest' }, t('report.latest')),
    runs.map((r) => h('option', { value: r.id }, t('report.run_option', { id: r.id, at: date(r.finished_at || r.created_at), suite: r.suite }))));
  const list = h('ul', { class: 'formats' });
  const paint = () => list.replaceChildren(...FORMATS.map((f) => formatItem(f, runSel.value, status)));
  runSel.addEventListener('change', paint);
  paint();
  view.append(
    h('p', { class: 'lead' }, t('report.intro')),
    h('div', { class: 'panel' }, h('div', { class: 'inline-field' }, h('label', { for: runSel.id }, t('report.run')), runSel),
      h('p', { class: 'muted' }, t('report.lang_note', { lang: t(`lang.name.${getLang()}`) }))),
    section(t('report.formats'), list, status));
}

function formatItem(format, run, status) {
  const href = url('/api/report', { run, format, lang: getLang() });
  const name = `amicus-report-${run}.${format}`;
  const a = h('a', { class: 'button primary', href, download: name }, t(`report.${format}`));
  a.addEventListener('click', async (e) => {
    e.preventDefault();
    status.textContent = t('report.preparing');
    try {
      const { blob, filename } = await download('/api/report', { run, format, lang: getLang() });
      const obj = URL.createObjectURL(blob);
      const tmp = h('a', { href: obj, download: filename || name });
      document.body.append(tmp);
      tmp.click();
      tmp.remove();
      setTimeout(() => URL.revokeObjectURL(obj), 10000);
      status.textContent = t('report.done', { name: filename || name });
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  });
  return h('li', null, a, h('p', null, t(`report.${format}_help`)));
}
