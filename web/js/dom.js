/*
 * dom.js — small helpers for building the dashboard's DOM safely.
 *
 * Everything on screen is built with createElement/createTextNode: strings
 * passed as children become text nodes, so text from models (or anything else
 * the server returns) is never parsed as HTML. Event handlers are attached
 * with addEventListener through the `on` property; `on*` attributes are
 * refused so no code can sneak in as an attribute.
 *
 * Also here: building hash links (#/model/<name>, ...) with every part
 * encoded, since model names contain ':' '/' '+'.
 */
import { t } from './i18n.js';

/* Properties set on the element object rather than as attributes. */
const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'required', 'indeterminate']);

/**
 * Create an element: h('a', {href: '#/', class: 'x'}, 'text', child, [more]).
 * Props: class (string or array), text, on {event: fn}, dataset {k: v}, any
 * other key becomes an attribute (true -> empty attribute, null/false -> left out).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, children);
  return el;
}

function setProps(el, props) {
  if (!props) return;
  for (const [key, val] of Object.entries(props)) {
    if (val === null || val === undefined || val === false) continue;
    if (key === 'class') {
      el.className = Array.isArray(val) ? val.filter(Boolean).join(' ') : val;
    } else if (key === 'text') {
      el.textContent = String(val);
    } else if (key === 'on') {
      for (const [type, fn] of Object.entries(val)) el.addEventListener(type, fn);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, val);
    } else if (PROPS.has(key)) {
      el[key] = val;
    } else if (/^on/i.test(key)) {
      throw new Error(`event handler attribute ${key} refused; use {on: {...}}`);
    } else {
      el.setAttribute(key, val === true ? '' : String(val));
    }
  }
}

/** Append children: nodes as they are, strings and numbers as text nodes, arrays flattened, null skipped. */
export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A hash link: route(['model', name], {area}) -> "#/model/<encoded>?area=...". Empty params are left out. */
export function route(parts = [], params = {}) {
  const path = parts.map((p) => encodeURIComponent(String(p))).join('/');
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const qs = q.toString();
  return `#/${path}${qs ? `?${qs}` : ''}`;
}

/** Wrap a table so it scrolls inside its own box on a narrow screen. */
export function tableWrap(table, label) {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': label, tabindex: 0 }, table);
}

/** A table from a header row (strings or {text, class}) and rows of cells (nodes/strings or {content, class}). */
export function table(headers, rows, { caption, className } = {}) {
  const head = h('tr', null, headers.map((c) => {
    const cell = typeof c === 'object' ? c : { text: c };
    return h('th', { scope: 'col', class: cell.class }, cell.text);
  }));
  const body = rows.map((row) => h('tr', null, row.map((c, i) => {
    const cell = c && typeof c === 'object' && 'content' in c ? c : { content: c };
    return h(i === 0 ? 'th' : 'td', { class: cell.class, scope: i === 0 ? 'row' : null }, cell.content);
  })));
  return h('table', { class: className },
    caption ? h('caption', null, caption) : null,
    h('thead', null, head), h('tbody', null, body));
}

/** The "loading" placeholder shown while a request is in flight. */
export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

/** A box explaining an API error in words a user can act on. */
export function errorBox(err) {
  let msg;
  if (!err || typeof err.status !== 'number') msg = t('err.unexpected', { msg: String(err?.message ?? err) });
  else if (err.status === 0) msg = t('err.network');
  else if (err.status === 404 && /no such endpoint/i.test(err.message)) msg = t('err.endpoint_missing', { path: err.path || '' });
  else if (err.status === 401) msg = t('err.unauthorized');
  else if (err.status === 403) msg = t('err.forbidden');
  else msg = t('err.server', { status: err.status, msg: err.message });
  return h('div', { class: 'notice error', role: 'alert' }, msg);
}

/** A section with a heading: section(t('x'), ...children). */
export function section(title, ...children) {
  return h('section', { class: 'panel' }, h('h2', null, title), children);
}
