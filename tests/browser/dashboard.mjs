#!/usr/bin/env node
/*
 * dashboard.mjs — the dashboard as a user meets it, in a real browser.
 *
 *   node tests/browser/dashboard.mjs BASE_URL [SCREENSHOT_DIR]
 *
 * BASE_URL is a running `amicus serve` (tests/browser/test_dashboard.sh
 * starts one on the fake backend after a run of correct, halluc, xss and
 * length). playwright-core drives Debian's chromium (/usr/bin/chromium, or
 * $CHROMIUM), headless; playwright never downloads a browser of its own.
 *
 * Prints one line per check, "ok   <name>" or "FAIL: <name>: <what was
 * expected, what was found>", like the shell tests, and exits 1 when any
 * check failed (2 on a usage error or when the browser cannot start).
 * Screenshots of every page (en and zh, laptop size; the overview and a
 * question at phone size) go to SCREENSHOT_DIR, and also to
 * $CI_ARTIFACTS/browser-screenshots or $ARTIFACTS_DIR/browser-screenshots
 * when either is set.
 *
 * The order matters: the run started from #/runs becomes the latest run,
 * which the overview and the question pages show by default, so it comes
 * last.
 */
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync, readdirSync, rmSync, copyFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const WEB = process.env.AMICUS_WEB || join(HERE, '..', '..', 'web'); // for the string table
const QUESTION = 'cn-copyright-rights-zh'; // in the suite the test runs; every model answered it
const RUN_AREA = 'trademark'; // the smallest area in that suite, for the run started from the form
const RUN_MODEL = 'correct';
const LAPTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const STEP_MS = 10000; // the longest wait for one thing to appear
const TOTAL_MS = 100000; // the whole script, a guard against hanging

const [base0, shotArg] = process.argv.slice(2);
if (!base0 || !/^https?:\/\//.test(base0)) {
  console.error('usage: node dashboard.mjs BASE_URL [SCREENSHOT_DIR]');
  process.exit(2);
}
const BASE = base0.replace(/\/+$/, '');
const SHOTS = shotArg || join(HERE, 'screenshots');
const EXTRA_SHOTS = [process.env.CI_ARTIFACTS, process.env.ARTIFACTS_DIR]
  .filter(Boolean).map((d) => join(d, 'browser-screenshots'));

/* ---------------------------------------------------------------- reporting */

let failures = 0;
let checks = 0;
function ok(name) { checks++; console.log(`ok   ${name}`); }
function fail(name, why) { checks++; failures++; console.log(`FAIL: ${name}: ${why}`); }

/* Runs one named check; an exception (a timeout, an assertion) is its failure. */
async function check(name, fn) {
  try {
    await fn();
    ok(name);
  } catch (e) {
    fail(name, oneLine(e));
  }
}
function oneLine(e) {
  const msg = e instanceof Error ? e.message : String(e);
  // playwright's messages carry a call log after a blank line; the first lines say it.
  return msg.split('\n').filter((l) => l.trim() && !/^={3,}/.test(l)).slice(0, 3).join(' | ');
}
class Mismatch extends Error {}
function expect(cond, what) { if (!cond) throw new Mismatch(what); }
const show = (x) => JSON.stringify(x);

/* ------------------------------------------------------- the page's strings */

/* The dashboard's string table, read from web/js/i18n.js: key -> [en, zh]. */
function loadStrings() {
  const src = readFileSync(join(WEB, 'js', 'i18n.js'), 'utf8');
  const m = /const S = (\{[\s\S]*?\n\});/.exec(src);
  if (!m) throw new Error('cannot find the string table (const S = {...}) in web/js/i18n.js');
  return Function(`"use strict"; return (${m[1]});`)();
}
const S = loadStrings();
function T(key, lang, params = {}) {
  const e = S[key];
  if (!e) throw new Error(`no string ${key} in i18n.js`);
  return e[lang === 'zh' ? 1 : 0].replace(/\{(\w+)\}/g, (all, k) => (k in params ? String(params[k]) : all));
}

/*
 * Percentages as the dashboard promises to show them (web/js/i18n.js):
 * no decimals, one decimal below 10% (a value that rounds to 10.0% is 10%).
 */
function pct(x, lang = 'en') {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '—';
  const v = Math.abs(x * 100);
  const digits = v > 0 && Math.round(v * 10) / 10 < 10 ? 1 : 0;
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en',
    { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
}
const pctRange = (ci, lang) => (Array.isArray(ci) ? `${pct(ci[0], lang)}–${pct(ci[1], lang)}` : '—');

/* -------------------------------------------------------------------- API */

async function api(path) {
  let res;
  try {
    res = await fetch(BASE + path, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new Error(`GET ${BASE}${path}: ${e.cause?.message || e.message}`);
  }
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res.json();
}

/* ---------------------------------------------------------------- browser */

const problems = []; // page errors, console errors, CSP violations, model output run: [where, what]

async function newContext(browser, { lang = 'en', viewport = LAPTOP, phone = false } = {}) {
  const ctx = await browser.newContext({
    viewport, locale: lang === 'zh' ? 'zh-CN' : 'en-US', timezoneId: 'Asia/Shanghai',
    isMobile: phone, hasTouch: phone, deviceScaleFactor: phone ? 2 : 1, serviceWorkers: 'block',
  });
  ctx.setDefaultTimeout(STEP_MS);
  await ctx.exposeBinding('__amicusTestCsp', ({ page }, what) => { problems.push([page.url(), `CSP violation: ${what}`]); });
  // The language choice is the page's own (localStorage); set it before any script runs.
  await ctx.addInitScript((l) => {
    if (!sessionStorage.getItem('amicus.test.lang-set')) {
      localStorage.setItem('amicus.lang', l);
      sessionStorage.setItem('amicus.test.lang-set', '1');
    }
    // CSP violations: the console reports them too, but this also catches report-only ones.
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__amicusTestCsp(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || '?'}:${e.lineNumber}`);
    });
  }, lang);
  return ctx;
}

async function newPage(ctx) {
  const page = await ctx.newPage();
  page.on('pageerror', (err) => problems.push([page.url(), `page error: ${err.message}`]));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push([page.url(), `console error: ${msg.text()}`]);
  });
  page.on('crash', () => problems.push([page.url(), 'the page crashed']));
  return page;
}

/*
 * Opens a hash route and waits until its page has rendered: a new view (the
 * app renders every navigation into a fresh container) with its h1 and no
 * "Loading…". Any page that let model output run is recorded as a problem.
 */
async function open(page, hash) {
  const here = page.url().startsWith(`${BASE}/`) ? new URL(page.url()).hash || '#/' : null;
  if (here !== null && here !== hash) {
    await page.evaluate((h) => {
      document.querySelector('#main .view')?.setAttribute('data-test-old', '');
      location.hash = h;
    }, hash);
  } else if (here === hash) {
    await page.reload({ waitUntil: 'domcontentloaded' });
  } else {
    await page.goto(`${BASE}/${hash}`, { waitUntil: 'domcontentloaded' });
  }
  await settle(page);
  const p = await pwned(page);
  if (p !== null) problems.push([page.url(), `window.__amicus_pwned = ${show(p)}: model output ran`]);
}
async function settle(page) {
  await page.waitForFunction(() => {
    const view = document.querySelector('#main .view:not([data-test-old])');
    return view && view.querySelector('h1') && !view.querySelector('.loading');
  }, null, { timeout: STEP_MS });
}

async function pwned(page) {
  return page.evaluate(() => (window.__amicus_pwned === undefined ? null : String(window.__amicus_pwned)));
}

const savedShots = [];
async function shot(page, name) {
  const file = join(SHOTS, `${name}.png`);
  // scale css: a phone's screenshot is 390 pixels wide whatever its pixel ratio.
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', scale: 'css' });
  savedShots.push(file);
}

/* ----------------------------------------------------------------- checks */

async function overviewChecks(browser) {
  const board = await api('/api/leaderboard');
  const ctx = await newContext(browser);
  const page = await newPage(ctx);
  await open(page, '#/');

  await check('overview: a leaderboard row per model of the latest run', async () => {
    expect(board.run && board.models.length >= 2, `the API's leaderboard has a run and models: ${show(board.run)}`);
    await page.locator('table.leaderboard tbody tr').first().waitFor();
    const names = await page.locator('table.leaderboard tbody tr th a').allTextContents();
    const want = board.models.map((m) => m.model);
    expect([...names].sort().join() === [...want].sort().join(), `rows ${show(names)}, API models ${show(want)}`);
  });

  for (const m of board.models) {
    await check(`overview: ${m.model}: pass rate, hallucination rate and verdict as in /api/leaderboard`, async () => {
      const row = page.locator('table.leaderboard tbody tr').filter({ has: page.locator('th a', { hasText: new RegExp(`^${m.model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
      expect(await row.count() === 1, `one row for ${m.model}, found ${await row.count()}`);
      const got = await row.evaluate((tr) => {
        const cells = tr.querySelectorAll('td');
        // rate-text = "<value><span class=ci> (lo–hi)</span>"
        const rate = (td) => {
          const el = td.querySelector('.rate-text');
          if (!el) return { value: td.textContent.trim(), ci: null };
          const ci = el.querySelector('.ci');
          return { value: el.firstChild ? el.firstChild.textContent.trim() : '', ci: ci ? ci.textContent.trim() : null };
        };
        const badge = cells[0].querySelector('.badge');
        return {
          verdict: badge ? [...badge.childNodes].filter((n) => !(n.classList && n.classList.contains('icon')))
            .map((n) => n.textContent).join('').trim() : null,
          pass: rate(cells[1]), hal: rate(cells[2]),
        };
      });
      const want = {
        verdict: T(`verdict.${m.verdict}`, 'en'),
        pass: { value: pct(m.pass_rate), ci: m.pass_ci ? `(${pctRange(m.pass_ci)})` : null },
        hal: { value: pct(m.hallucination_rate), ci: m.hallucination_ci ? `(${pctRange(m.hallucination_ci)})` : null },
      };
      const bad = [];
      if (got.pass.value !== want.pass.value) bad.push(`pass rate shown ${show(got.pass.value)}, API ${m.pass_rate} -> ${show(want.pass.value)}`);
      if (got.pass.ci !== want.pass.ci) bad.push(`pass interval shown ${show(got.pass.ci)}, API ${show(m.pass_ci)} -> ${show(want.pass.ci)}`);
      if (got.hal.value !== want.hal.value) bad.push(`hallucination rate shown ${show(got.hal.value)}, API ${m.hallucination_rate} -> ${show(want.hal.value)}`);
      if (got.hal.ci !== want.hal.ci) bad.push(`hallucination interval shown ${show(got.hal.ci)}, API ${show(m.hallucination_ci)} -> ${show(want.hal.ci)}`);
      if (got.verdict !== want.verdict) bad.push(`verdict badge ${show(got.verdict)}, API ${m.verdict} -> ${show(want.verdict)}`);
      expect(!bad.length, bad.join('; '));
    });
  }

  await check('overview: the model × area grid has one cell per model and area, each with its pass rate', async () => {
    const areas = board.areas?.length ? board.areas : [...new Set(board.models.flatMap((m) => m.areas.map((a) => a.area)))];
    expect(areas.length >= 2, `the run covers at least two areas, API areas ${show(areas)}`);
    const grid = await page.locator('table.grid').evaluate((tbl) => [...tbl.querySelectorAll('tbody tr')].map((tr) => ({
      model: tr.querySelector('th')?.textContent.trim(),
      cells: [...tr.querySelectorAll('td')].map((td) => td.querySelector('.cell-rate')?.textContent.trim() ?? td.textContent.trim()),
    })));
    expect(grid.length === board.models.length, `${board.models.length} grid rows, found ${grid.length}`);
    const bad = [];
    for (const m of board.models) {
      const row = grid.find((r) => r.model === m.model);
      if (!row) { bad.push(`no grid row for ${m.model}`); continue; }
      if (row.cells.length !== areas.length) bad.push(`${m.model}: ${row.cells.length} cells for ${areas.length} areas`);
      areas.forEach((area, i) => {
        const a = m.areas.find((x) => x.area === area);
        const want = a ? pct(a.pass_rate) : '—';
        if (row.cells[i] !== want) bad.push(`${m.model} × ${area}: shown ${show(row.cells[i])}, API ${a?.pass_rate} -> ${show(want)}`);
      });
    }
    expect(!bad.length, bad.join('; '));
  });
  await ctx.close();
}

/* The answer card of one model (turn 1, sample 1) on a question page. */
function cardOf(page, answer) {
  return page.locator(`#answer-${answer.id}`);
}

async function questionChecks(browser) {
  const data = await api(`/api/questions/${encodeURIComponent(QUESTION)}`);
  const answerOf = (model) => data.answers.find((a) => a.model === model && (a.turn || 1) === 1 && (a.sample || 1) === 1);
  const ctx = await newContext(browser);
  const page = await newPage(ctx);
  await open(page, `#/question/${QUESTION}`);
  await page.locator('article.answer').first().waitFor();

  await check(`question ${QUESTION}: a card for every answer in /api/questions`, async () => {
    const n = await page.locator('article.answer').count();
    expect(n === data.answers.length, `${data.answers.length} answers in the API, ${n} cards on the page`);
  });

  const correct = answerOf('correct');
  await check(`question ${QUESTION}: correct's key points found are marked, with exactly the evidence text`, async () => {
    expect(correct, `correct answered ${QUESTION} (the API has ${show(data.answers.map((a) => a.model))})`);
    const hits = correct.verdicts.filter((v) => v.kind === 'keypoint' && v.hit && v.evidence?.length);
    expect(hits.length > 0, 'the API has key points with evidence for correct\'s answer');
    const label = (item) => `${T('mark.keypoint', 'en')}: ${item}`;
    // Runs of adjacent <mark>s that carry one item (a span can be cut where another span starts or ends).
    const marks = await cardOf(page, correct).locator('.answer-text').evaluate((el) => {
      const nodes = [...el.childNodes].map((n) => (n.nodeName === 'MARK'
        ? { text: n.textContent, cls: n.className, items: (n.dataset.items || '').split('; ') } : { text: n.textContent, items: [] }));
      return nodes;
    });
    const keypointMarks = marks.filter((m) => m.cls === 'm-keypoint');
    const bad = [];
    if (keypointMarks.length < hits.length) bad.push(`${hits.length} key points hit with evidence, only ${keypointMarks.length} key-point <mark>s`);
    for (const v of hits) {
      const runs = [];
      let cur = null;
      for (const m of marks) {
        if (m.items.includes(label(v.item))) { cur = cur === null ? m.text : cur + m.text; } else if (cur !== null) { runs.push(cur); cur = null; }
      }
      if (cur !== null) runs.push(cur);
      const want = v.evidence.map((e) => e.text);
      const missing = want.filter((w) => !runs.includes(w));
      const extra = runs.filter((r) => !want.includes(r));
      if (missing.length || extra.length) bad.push(`${v.item}: evidence ${show(want)}, marked ${show(runs)}`);
    }
    const known = new Set(hits.map((v) => label(v.item)));
    const stray = keypointMarks.filter((m) => !m.items.some((i) => known.has(i)));
    if (stray.length) bad.push(`key-point marks for no key point hit: ${show(stray.map((m) => m.text))}`);
    expect(!bad.length, bad.join('; '));
  });

  await check(`question ${QUESTION}: correct missed nothing and the page says so`, async () => {
    const missed = correct.verdicts.filter((v) => v.kind === 'keypoint' && !v.hit && !v.review);
    expect(missed.length === 0, `the API lists no missed key point for correct, it has ${show(missed.map((v) => v.item))}`);
    const text = T('answer.none_missed', 'en');
    await cardOf(page, correct).getByText(text, { exact: true }).waitFor({ timeout: 2000 })
      .catch(() => { throw new Mismatch(`${show(text)} is not shown in correct's answer`); });
  });

  const short = answerOf('length');
  await check(`question ${QUESTION}: the key points length missed are listed under "Key points missed"`, async () => {
    expect(short, `the model length (half an answer) answered ${QUESTION}`);
    const missed = short.verdicts.filter((v) => v.kind === 'keypoint' && !v.hit && !v.review).map((v) => v.item);
    expect(missed.length > 0, 'the API has missed key points for length\'s half answer');
    const heading = T('answer.missed', 'en', { n: missed.length });
    const listed = await cardOf(page, short).evaluate((card, head) => {
      const h5 = [...card.querySelectorAll('.verdicts h5')].find((x) => x.textContent.trim() === head);
      if (!h5) return { head: [...card.querySelectorAll('.verdicts h5')].map((x) => x.textContent.trim()), items: null };
      const ul = h5.nextElementSibling;
      return { items: ul ? [...ul.querySelectorAll(':scope > li .v-item')].map((x) => x.textContent.trim()) : [] };
    }, heading);
    expect(listed.items, `a heading ${show(heading)} in length's answer; headings there: ${show(listed.head)}`);
    expect([...listed.items].sort().join() === [...missed].sort().join(),
      `missed per the API ${show(missed)}, listed ${show(listed.items)}`);
    expect(await cardOf(page, short).locator('.verdicts > ul li.is-bad .v-item').first().isVisible(), 'the missed items are visible without unfolding');
  });

  await check(`question ${QUESTION}: correct's reasoning is folded, and one click unfolds it`, async () => {
    expect(correct.reasoning, 'the API has reasoning for correct\'s answer (think: true)');
    const det = cardOf(page, correct).locator('details.reasoning');
    expect(await det.count() === 1, `one <details class=reasoning>, found ${await det.count()}`);
    expect(!(await det.evaluate((d) => d.open)), 'the reasoning is closed at first');
    const body = det.locator('.pre');
    expect(!(await body.isVisible()), 'the reasoning text is hidden while folded');
    const summary = det.locator('summary');
    const want = T('answer.reasoning', 'en', { n: correct.reasoning_tokens ?? '—' });
    expect((await summary.textContent()).trim() === want, `summary ${show(want)}, found ${show((await summary.textContent()).trim())}`);
    await summary.click();
    await body.waitFor({ state: 'visible', timeout: 2000 }).catch(() => { throw new Mismatch('the reasoning is still hidden after one click'); });
    expect(await det.evaluate((d) => d.open), 'the <details> is open after one click');
    const shown = (await body.textContent()).trim();
    expect(shown === correct.reasoning.trim(), `the reasoning shown is the API's (${shown.length} vs ${correct.reasoning.trim().length} characters)`);
  });
  await ctx.close();
}

async function xssChecks(browser) {
  const data = await api(`/api/questions/${encodeURIComponent(QUESTION)}`);
  const xss = data.answers.find((a) => a.model === 'xss' && (a.turn || 1) === 1);
  const ctx = await newContext(browser);
  const page = await newPage(ctx);

  await check('xss: the question page with the xss answer loads and runs none of it', async () => {
    expect(xss, `the xss model answered ${QUESTION}`);
    expect(/<script>/.test(xss.content) && /onerror/.test(xss.content) && /javascript:/.test(xss.content),
      'the API has the xss payload in the answer (fake backend persona)');
    await open(page, `#/question/${QUESTION}?answer=${xss.id}`);
    await cardOf(page, xss).locator('.answer-text').waitFor();
    // An <img onerror> would fire after its image fails to load: give it the chance.
    await page.waitForLoadState('load');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
    const p = await pwned(page);
    expect(p === null, `window.__amicus_pwned is ${show(p)} after load`);
  });

  await check('xss: the payload is shown as text: "<script>" and "onerror" visible', async () => {
    const text = cardOf(page, xss).locator('.answer-text');
    const content = await text.innerText();
    for (const s of ['<script>', 'onerror', 'javascript:']) expect(content.includes(s), `${show(s)} in the answer's visible text; it ends ${show(content.slice(-160))}`);
    await cardOf(page, xss).getByText('<script>', { exact: false }).first().waitFor({ state: 'visible', timeout: 2000 })
      .catch(() => { throw new Mismatch('the text "<script>" is not visible'); });
    await cardOf(page, xss).getByText('onerror', { exact: false }).first().waitFor({ state: 'visible', timeout: 2000 })
      .catch(() => { throw new Mismatch('the text "onerror" is not visible'); });
  });

  await check('xss: no <script>, <img onerror> or javascript: link inside the answer', async () => {
    const found = await cardOf(page, xss).evaluate((card) => ({
      script: card.querySelectorAll('script').length,
      img: card.querySelectorAll('img').length,
      onerror: card.querySelectorAll('[onerror]').length,
      js: card.querySelectorAll('a[href^="javascript:" i], [href*="javascript:" i], [src*="javascript:" i]').length,
      handlers: [...card.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
    }));
    expect(Object.values(found).every((n) => n === 0), `elements found in the answer card: ${show(found)}`);
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src || `inline: ${s.textContent.slice(0, 60)}`));
    expect(scripts.length === 1 && /\/js\/app\.js$/.test(scripts[0]), `the page's only script is js/app.js, found ${show(scripts)}`);
  });

  await check('xss: clicking around the answer (the link text, the reasoning, the verdicts) runs nothing', async () => {
    const card = cardOf(page, xss);
    const text = card.locator('.answer-text');
    // The would-be link's text "click" is at the very end of the answer: click there, and on the text itself.
    const box = await text.boundingBox();
    await text.scrollIntoViewIfNeeded();
    await text.click({ position: { x: 5, y: Math.max(2, box.height - 6) } });
    await text.click();
    await text.dblclick();
    const reasoning = card.locator('details.reasoning > summary');
    if (await reasoning.count()) await reasoning.click();
    const rest = card.locator('details.rest > summary');
    if (await rest.count()) await rest.click();
    await card.locator('a').first().hover();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter').catch(() => {});
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    // Enter on a focused link may navigate; come back to the question.
    if (!page.url().includes(`#/question/${QUESTION}`)) await open(page, `#/question/${QUESTION}?answer=${xss.id}`);
    const p = await pwned(page);
    expect(p === null, `window.__amicus_pwned is ${show(p)} after clicking around`);
  });

  await check('xss: the answers list and the compare page with xss run none of it', async () => {
    await open(page, '#/answers?model=xss');
    await page.locator('#main table').first().waitFor();
    await open(page, '#/compare?a=xss&b=halluc');
    const p = await pwned(page);
    expect(p === null, `window.__amicus_pwned is ${show(p)}`);
  });
  await ctx.close();
}

async function languageChecks(browser) {
  const ctx = await newContext(browser, { lang: 'en' });
  const page = await newPage(ctx);
  const navKeys = ['nav.overview', 'nav.runs', 'nav.compare', 'nav.answers', 'nav.report'];
  const state = () => page.evaluate(() => ({
    lang: document.documentElement.lang,
    nav: [...document.querySelectorAll('#top nav a')].map((a) => a.textContent.trim()),
    h1: document.querySelector('#main h1')?.textContent.trim(),
    h2: [...document.querySelectorAll('#main h2')].map((x) => x.textContent.trim()),
    button: document.getElementById('lang-btn')?.textContent.trim(),
    stored: localStorage.getItem('amicus.lang'),
  }));
  const expectLang = async (l, when) => {
    await page.waitForFunction((title) => document.querySelector('#main h1')?.textContent.trim() === title,
      T('overview.title', l), { timeout: STEP_MS }).catch(() => {});
    await settle(page);
    const s = await state();
    const want = {
      lang: l === 'zh' ? 'zh-CN' : 'en', nav: navKeys.map((k) => T(k, l)), h1: T('overview.title', l),
      h2: [T('overview.leaderboard', l), T('overview.grid', l)], button: T('lang.switch', l),
    };
    const bad = [];
    if (s.lang !== want.lang) bad.push(`<html lang> ${show(s.lang)}, want ${show(want.lang)}`);
    if (s.nav.join('|') !== want.nav.join('|')) bad.push(`navigation ${show(s.nav)}, want ${show(want.nav)}`);
    if (s.h1 !== want.h1) bad.push(`heading ${show(s.h1)}, want ${show(want.h1)}`);
    for (const x of want.h2) if (!s.h2.includes(x)) bad.push(`no section heading ${show(x)} among ${show(s.h2)}`);
    if (s.button !== want.button) bad.push(`switch button ${show(s.button)}, want ${show(want.button)}`);
    expect(!bad.length, `${when}: ${bad.join('; ')}`);
    return s;
  };

  await check('language: the overview starts in English', async () => {
    await open(page, '#/');
    await expectLang('en', 'at first');
  });
  await check('language: the switch turns the navigation, headings and <html lang> to Chinese', async () => {
    await page.locator('#lang-btn').click();
    await expectLang('zh', 'after one click on the switch');
  });
  await check('language: after a reload the page is still in Chinese', async () => {
    await page.reload({ waitUntil: 'domcontentloaded' });
    const s = await expectLang('zh', 'after the reload');
    expect(s.stored === 'zh', `localStorage amicus.lang is ${show(s.stored)}`);
  });
  await check('language: the overview figures read the same in Chinese', async () => {
    const board = await api('/api/leaderboard');
    const m = board.models[0];
    const got = await page.locator('table.leaderboard tbody tr').filter({ hasText: m.model }).first()
      .locator('td').nth(1).locator('.rate-text').evaluate((el) => el.firstChild.textContent.trim());
    expect(got === pct(m.pass_rate, 'zh'), `${m.model}'s pass rate ${show(got)}, want ${show(pct(m.pass_rate, 'zh'))}`);
  });
  await check('language: switching back gives English again', async () => {
    await page.locator('#lang-btn').click();
    await expectLang('en', 'after switching back');
  });
  await ctx.close();
}

async function phoneChecks(browser) {
  for (const lang of ['en', 'zh']) {
    const ctx = await newContext(browser, { lang, viewport: PHONE, phone: true });
    const page = await newPage(ctx);
    for (const [name, hash, ready] of [['overview', '#/', 'table.leaderboard'], ['question', `#/question/${QUESTION}`, 'article.answer']]) {
      await check(`phone ${PHONE.width}×${PHONE.height} (${lang}): the ${name} page does not scroll sideways`, async () => {
        await open(page, hash);
        await page.locator(ready).first().waitFor();
        // With a phone's meta viewport, chromium widens innerWidth to fit content that overflows,
        // so the layout viewport (clientWidth, the device's 390 px) is the measure.
        const m = await page.evaluate(() => {
          const width = Math.min(window.innerWidth, document.documentElement.clientWidth);
          const over = [...document.querySelectorAll('#main *')].filter((el) => el.getBoundingClientRect().right > width + 1
            && !el.closest('.table-wrap') && getComputedStyle(el).position !== 'fixed');
          const wide = [...new Set(over.filter((el) => !over.includes(el.parentElement))
            .map((el) => `${el.tagName.toLowerCase()}${el.classList.length ? `.${el.classList[0]}` : ''}`))].slice(0, 3);
          return { scroll: document.documentElement.scrollWidth, inner: window.innerWidth, client: document.documentElement.clientWidth, width, wide };
        });
        await shot(page, `phone-${lang}-${name}`);
        expect(m.scroll <= m.width && m.width <= PHONE.width,
          `document scrollWidth ${m.scroll}, innerWidth ${m.inner}, clientWidth ${m.client} (want ≤ ${PHONE.width}); wider than the screen: ${show(m.wide)}`);
      });
    }
    await ctx.close();
  }
}

/* Every page in both languages: a screenshot, and no error box where a user would see it. */
async function screenshotTour(browser) {
  const PAGES = [
    ['overview', '#/', 'table.leaderboard'],
    ['model', '#/model/correct', 'h2'],
    ['question', `#/question/${QUESTION}`, 'article.answer'],
    ['compare', '#/compare?a=correct&b=halluc', 'table'],
    ['runs', '#/runs', 'table.runs'],
    ['answers', '#/answers?model=halluc&hallucinated=1', 'table'],
    ['report', '#/report', 'ul.formats a'],
  ];
  for (const lang of ['en', 'zh']) {
    const ctx = await newContext(browser, { lang });
    const page = await newPage(ctx);
    for (const [name, hash, ready] of PAGES) {
      await check(`page ${name} (${lang}): renders with no error box; screenshot taken`, async () => {
        await open(page, hash);
        await page.locator(`#main ${ready}`).first().waitFor();
        const state = await page.evaluate(() => ({
          lang: document.documentElement.lang,
          errors: [...document.querySelectorAll('#main .notice.error, #main .error')].map((e) => e.textContent.trim()),
          text: document.querySelector('#main').innerText.length,
        }));
        await shot(page, `laptop-${lang}-${name}`);
        expect(state.lang === (lang === 'zh' ? 'zh-CN' : 'en'), `<html lang> ${show(state.lang)}`);
        expect(!state.errors.length, `error shown: ${show(state.errors)}`);
        expect(state.text > 100, `only ${state.text} characters of text in the page`);
      });
    }
    await ctx.close();
  }
}

async function runChecks(browser) {
  const ctx = await newContext(browser);
  const page = await newPage(ctx);
  const before = (await api('/api/runs')).runs.map((r) => r.id);
  let runId = null;
  await check(`runs: starting a run (${RUN_MODEL}, area ${RUN_AREA}, 1 sample) from the form is accepted`, async () => {
    await open(page, '#/runs');
    const form = page.locator('form.run-form');
    await form.waitFor();
    const boxes = form.locator('input[type=checkbox][name=model]');
    const n = await boxes.count();
    expect(n >= 2, `a checkbox per configured model, found ${n}`);
    for (let i = 0; i < n; i++) {
      const b = boxes.nth(i);
      await b.setChecked((await b.getAttribute('value')) === RUN_MODEL);
    }
    await form.locator('#run-suite').selectOption(`area:${RUN_AREA}`);
    await form.locator('#run-samples').fill('1');
    await form.locator('button[type=submit]').click();
    const status = form.locator('.form-status');
    await page.waitForFunction(() => /#\d+/.test(document.querySelector('form.run-form .form-status')?.textContent || ''), null, { timeout: STEP_MS })
      .catch(async () => { throw new Mismatch(`no "Run #N started." after submitting; status says ${show(await status.textContent())}`); });
    const said = (await status.textContent()).trim();
    runId = Number(/#(\d+)/.exec(said)[1]);
    expect(said === T('runs.started', 'en', { id: runId }), `status ${show(said)}`);
    expect(!before.includes(runId), `run #${runId} is new (runs before: ${show(before)})`);
  });

  await check('runs: the progress bar reaches 100% and the run is done (within 30 s)', async () => {
    expect(runId, 'a run was started');
    const bar = page.locator(`#progress-${runId}`);
    await bar.waitFor();
    await page.waitForFunction((id) => {
      const b = document.getElementById(`progress-${id}`);
      const box = b?.closest('section');
      return b && b.max >= 1 && b.value === b.max && /100\s?%/.test(box.querySelector('.progress-text')?.textContent || '')
        && box.querySelector('.status.s-done');
    }, runId, { timeout: 30000 }).catch(async () => {
      const s = await page.evaluate((id) => {
        const b = document.getElementById(`progress-${id}`);
        const box = b?.closest('section');
        return { value: b?.value, max: b?.max, text: box?.querySelector('.progress-text')?.textContent, badge: box?.querySelector('h2')?.textContent };
      }, runId);
      throw new Mismatch(`after 30 s: ${show(s)}`);
    });
    const run = await api(`/api/runs/${runId}`);
    const text = (await page.locator(`#progress-${runId}`).locator('xpath=..').locator('.progress-text').textContent()).trim();
    expect(run.status === 'done', `the API says run #${runId} is ${run.status}`);
    expect(text.startsWith(T('runs.progress', 'en', { done: run.jobs.done + run.jobs.error, total: run.jobs.total, pct: '100%', inflight: 0, err: run.jobs.error })),
      `progress text ${show(text)} for jobs ${show(run.jobs)}`);
  });

  await check('runs: the new run appears in the runs table, done', async () => {
    expect(runId, 'a run was started');
    const row = page.locator('table.runs tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^#${runId}$`) }) });
    await row.waitFor({ timeout: STEP_MS }).catch(() => { throw new Mismatch(`no row #${runId} in the runs table`); });
    const status = (await row.locator('.status').textContent()).trim();
    expect(status === T('status.done', 'en'), `its status reads ${show(status)}`);
    const suite = (await row.locator('code').textContent()).trim();
    expect(suite === `area:${RUN_AREA}`, `its suite reads ${show(suite)}`);
  });
  await shot(page, 'laptop-en-runs-after-start');
  await ctx.close();
}

/* ------------------------------------------------------------------- main */

async function main() {
  mkdirSync(SHOTS, { recursive: true });
  for (const f of readdirSync(SHOTS)) if (f.endsWith('.png')) rmSync(join(SHOTS, f));
  const exe = process.env.CHROMIUM || '/usr/bin/chromium';
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: exe, headless: true, timeout: 30000,
      // playwright gives the browser a fresh temporary profile (user-data-dir) and removes it at close.
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  } catch (e) {
    console.log(`FAIL: start ${exe}: ${oneLine(e)}`);
    process.exit(2);
  }
  const started = Date.now();
  try {
    for (const [name, fn] of [['overview', overviewChecks], ['question', questionChecks], ['xss', xssChecks],
      ['language', languageChecks], ['phone', phoneChecks], ['screenshots', screenshotTour], ['runs', runChecks]]) {
      const t0 = Date.now();
      await fn(browser);
      console.log(`# ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    await check('no page errors, console errors, CSP violations or model output run on any page', async () => {
      expect(!problems.length, problems.slice(0, 5).map(([u, w]) => `${u.replace(BASE, '')}: ${w}`).join(' | ')
        + (problems.length > 5 ? ` | (${problems.length} in all)` : ''));
    });
  } catch (e) {
    fail('the browser checks ran to the end', oneLine(e));
  } finally {
    await browser.close().catch(() => {});
  }
  for (const dir of EXTRA_SHOTS) {
    try {
      mkdirSync(dir, { recursive: true });
      for (const f of savedShots) copyFileSync(f, join(dir, f.split('/').pop()));
    } catch (e) {
      console.log(`# could not copy the screenshots to ${dir}: ${e.message}`);
    }
  }
  console.log(`# ${checks} browser checks, ${failures} failed, ${savedShots.length} screenshots in ${SHOTS}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failures ? 1 : 0;
}

const guard = setTimeout(() => {
  console.log(`FAIL: the browser checks finished within ${TOTAL_MS / 1000} s`);
  process.exit(1);
}, TOTAL_MS);
guard.unref();
process.exitCode = await main();
