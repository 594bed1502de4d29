/*
 * app.js — the dashboard's entry point: header, language switch, token
 * dialog and hash routing.
 *
 * Routes: #/ overview · #/model/<name> · #/question/<id> · #/compare?a=&b=
 * · #/runs · #/answers?... · #/report. Path parts are URI-encoded (model
 * names contain ':' '/' '+'). Each navigation renders the page into a fresh
 * container; a page may return a cleanup function (timers, event sources)
 * that runs before the next page. Switching the language re-renders the
 * current page in place, without reloading.
 */
import { t, getLang, toggleLang, onLangChange } from './i18n.js';
import { setTokenPrompt, getToken, setToken } from './api.js';
import { h, errorBox, loading } from './dom.js';
import * as overview from './pages/overview.js';
import * as model from './pages/model.js';
import * as question from './pages/question.js';
import * as compare from './pages/compare.js';
import * as runs from './pages/runs.js';
import * as answers from './pages/answers.js';
import * as report from './pages/report.js';

const ROUTES = { '': overview, model, question, compare, runs, answers, report };

/* The navigation links: [route, i18n key]. */
const NAV = [['', 'nav.overview'], ['runs', 'nav.runs'], ['compare', 'nav.compare'],
  ['answers', 'nav.answers'], ['report', 'nav.report']];

let cleanup = null;

/* "#/model/a%2Fb?x=1" -> {parts: ['model', 'a/b'], params: URLSearchParams} */
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const parts = path.split('/').filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch { return p; }
  });
  return { parts, params };
}

/* Build the header once; its labels are refreshed by paintHeader(). */
function buildHeader() {
  const header = document.getElementById('top');
  const nav = h('nav', { 'aria-label': '' }, h('ul', null, NAV.map(([r, key]) =>
    h('li', null, h('a', { href: `#/${r}`, dataset: { route: r, i18n: key } })))));
  const langBtn = h('button', { type: 'button', class: 'lang', id: 'lang-btn', on: { click: () => toggleLang() } });
  const tokenBtn = h('button', { type: 'button', class: 'token', id: 'token-btn', on: { click: () => editToken() } });
  // The skip link moves focus without touching the hash (the hash is the route).
  const skip = h('a', { class: 'skip', href: '#/', dataset: { i18n: 'skip.main' }, on: { click: (e) => {
    e.preventDefault();
    document.getElementById('main').focus();
  } } });
  header.replaceChildren(skip,
    h('a', { class: 'brand', href: '#/' }, 'amicus', h('span', { class: 'brand-sub', dataset: { i18n: 'app.subtitle' } })),
    nav, h('div', { class: 'tools' }, tokenBtn, langBtn));
}

/* Apply the language to the header, <html lang>, and the skip link. */
function paintHeader() {
  document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  document.querySelector('#top nav').setAttribute('aria-label', t('nav.label'));
  const lang = document.getElementById('lang-btn');
  lang.textContent = t('lang.switch');
  lang.setAttribute('aria-label', t('lang.switch_label'));
  lang.setAttribute('lang', getLang() === 'zh' ? 'en' : 'zh-CN');
  const tok = document.getElementById('token-btn');
  tok.textContent = getToken() ? t('token.set') : t('token.button');
}

/* Mark the current section in the navigation. */
function markNav(first) {
  const current = first === 'model' ? '' : first === 'question' ? 'answers' : first;
  for (const a of document.querySelectorAll('#top nav a')) {
    if (a.dataset.route === current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

/* Render the page for the current hash. focus: move focus to the new heading (after a navigation). */
async function render({ focus = false } = {}) {
  if (cleanup) { try { cleanup(); } catch { /* ignore */ } cleanup = null; }
  const { parts, params } = parseHash();
  const page = ROUTES[parts[0] ?? ''];
  const main = document.getElementById('main');
  const view = h('div', { class: 'view' });
  main.replaceChildren(view);
  markNav(parts[0] ?? '');
  paintHeader();
  if (!page) {
    view.append(h('h1', { tabindex: -1 }, t('notfound.title')), h('p', null, h('a', { href: '#/' }, t('nav.overview'))));
    document.title = `${t('notfound.title')} · amicus`;
    return;
  }
  view.append(loading());
  try {
    const result = await page.render(view, { parts: parts.slice(1), params });
    if (typeof result === 'function') {
      if (view.isConnected) cleanup = result; else result();
    }
  } catch (err) {
    if (!view.isConnected) return;
    console.error(err);
    view.querySelector('.loading')?.remove();
    view.append(errorBox(err));
  }
  if (!view.isConnected) return;
  view.querySelector('.loading')?.remove();
  const h1 = view.querySelector('h1');
  document.title = h1 ? `${h1.textContent} · amicus` : 'amicus';
  // After a navigation, move focus to the new content: the answer asked for (#/question/x?answer=N), else the heading.
  const target = view.querySelector('.target') || h1;
  if (focus && target) {
    target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: target === h1 ? 'end' : 'start' });
  }
}

/* The token dialog: resolves with the token entered, or null when cancelled. */
function tokenDialog({ reason, allowClear = false } = {}) {
  return new Promise((resolve) => {
    const input = h('input', { type: 'password', id: 'token-input', autocomplete: 'off', spellcheck: 'false', required: true });
    const form = h('form', { method: 'dialog' },
      h('h2', null, t('token.title')),
      h('p', null, reason || t('token.explain')),
      h('label', { for: 'token-input' }, t('token.label')), input,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', value: 'ok', class: 'primary' }, t('common.ok')),
        h('button', { type: 'button', on: { click: () => dlg.close('cancel') } }, t('common.cancel')),
        allowClear && getToken() ? h('button', { type: 'button', on: { click: () => dlg.close('clear') } }, t('token.clear')) : null));
    const dlg = h('dialog', { class: 'token-dialog', 'aria-labelledby': 'token-title' }, form);
    form.querySelector('h2').id = 'token-title';
    dlg.addEventListener('close', () => {
      const value = dlg.returnValue === 'ok' ? input.value.trim() : '';
      dlg.remove();
      if (dlg.returnValue === 'clear') resolve('');
      else resolve(value || null);
    });
    document.body.append(dlg);
    dlg.showModal();
    input.focus();
  });
}

/* The header's token button: enter a new token, or forget the one kept. */
async function editToken() {
  const token = await tokenDialog({ reason: t('token.explain_manual'), allowClear: true });
  if (token === null) return; // cancelled
  setToken(token);
  render();
}

function start() {
  buildHeader();
  setTokenPrompt(async () => {
    const token = await tokenDialog();
    if (token) { setToken(token); paintHeader(); }
    return token;
  });
  onLangChange(() => render());
  window.addEventListener('hashchange', () => render({ focus: true }));
  render();
}

start();
