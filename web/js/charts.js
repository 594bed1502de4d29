/*
 * charts.js — the dashboard's charts, as inline SVG built with
 * createElementNS (no innerHTML, no library).
 *
 * intervalBar: one rate or score on a 0..1 track, its 95% interval as a band
 * and optional threshold ticks — small enough for a table cell.
 * lineChart: one metric over runs, a line per model with its interval as a
 * translucent band. Both carry a text alternative (role="img", aria-label,
 * <title>) so a screen reader gets the numbers.
 */
import { h } from './dom.js';
import { t } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';

/* Colours for the series of a line chart; distinguishable and dark enough on white. */
export const PALETTE = ['#0b5cad', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#4b5563'];

/* Create an SVG element with attributes and children. */
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c !== null && c !== undefined) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/* A coloured square for a legend (an SVG attribute, so no inline style is needed). */
function swatch(color) {
  return s('svg', { class: 'swatch', width: 12, height: 12, viewBox: '0 0 12 12', 'aria-hidden': 'true' },
    s('rect', { width: 12, height: 12, rx: 2, fill: color }));
}

const clamp01 = (x) => Math.min(1, Math.max(0, x));

/**
 * A small bar: track 0..1, interval band [lo, hi], a tick at the value.
 * opts: {value, ci, label (the text alternative), tone ('good'|'bad'|'neutral'),
 * marks: [{at, label}] threshold ticks, width, height}.
 */
export function intervalBar({ value, ci, label, tone = 'neutral', marks = [], width = 120, height = 18 }) {
  const svg = s('svg', {
    class: `ibar ibar-${tone}`, width, height, viewBox: `0 0 ${width} ${height}`,
    role: 'img', 'aria-label': label,
  }, s('title', {}, label));
  const pad = 4;
  const x = (v) => pad + clamp01(v) * (width - 2 * pad);
  const mid = height / 2;
  svg.append(s('rect', { class: 'ibar-track', x: pad, y: mid - 2, width: width - 2 * pad, height: 4, rx: 2 }));
  for (const m of marks) {
    svg.append(s('line', { class: 'ibar-mark', x1: x(m.at), x2: x(m.at), y1: 1, y2: height - 1 },
      s('title', {}, m.label)));
  }
  if (Array.isArray(ci) && ci[0] !== null && ci[1] !== null) {
    svg.append(s('rect', {
      class: 'ibar-band', x: x(ci[0]), y: mid - 5,
      width: Math.max(2, x(ci[1]) - x(ci[0])), height: 10, rx: 3,
    }));
  }
  if (typeof value === 'number') {
    svg.append(s('rect', { class: 'ibar-value', x: x(value) - 1.5, y: mid - 7, width: 3, height: 14, rx: 1 }));
  }
  return svg;
}

/* Auto scale for small rates: the smallest of 10%, 25%, 50%, 100% above every value and interval. */
function niceMax(series) {
  const top = Math.max(0, ...series.flatMap((se) => se.points.map((p) => (p.ci ? p.ci[1] : p.value) ?? 0)));
  return [0.1, 0.25, 0.5, 1].find((m) => top <= m) ?? top;
}

/**
 * A line chart of one metric over runs.
 * opts: {series: [{name, points: [{run_id, at, value, ci}]}], format (value -> text),
 * yMax (default 1; null = scaled to the data), title}.
 * Returns a <figure> with the SVG and an HTML legend.
 */
export function lineChart({ series, format, yMax = 1, title }) {
  const W = 360, H = 200, L = 40, R = 10, T = 12, B = 28;
  const runs = [...new Set(series.flatMap((se) => se.points.map((p) => p.run_id)))].sort((a, b) => a - b);
  const fig = h('figure', { class: 'chart' }, h('figcaption', null, title));
  if (!runs.length) {
    fig.append(h('p', { class: 'muted' }, t('chart.no_data')));
    return fig;
  }
  const max = yMax ?? niceMax(series);
  const x = (runId) => (runs.length === 1 ? L + (W - L - R) / 2
    : L + (runs.indexOf(runId) / (runs.length - 1)) * (W - L - R));
  const y = (v) => T + (1 - Math.min(1, Math.max(0, v / max))) * (H - T - B);

  const summary = series.map((se) => `${se.name}: ${se.points.map((p) => `#${p.run_id} ${format(p.value)}`).join(', ')}`).join('; ');
  const svg = s('svg', { class: 'linechart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}. ${summary}` },
    s('title', {}, title));

  // Horizontal grid and y labels: quarters of 100%, fifths of the smaller scales (round numbers).
  const steps = max === 1 ? 4 : 5;
  for (let i = 0; i <= steps; i++) {
    const v = (max * i) / steps;
    svg.append(s('line', { class: 'grid', x1: L, x2: W - R, y1: y(v), y2: y(v) }));
    svg.append(s('text', { class: 'axis', x: L - 4, y: y(v) + 4, 'text-anchor': 'end' }, format(v)));
  }
  // X labels: run ids, thinned so they do not overlap.
  const step = Math.ceil(runs.length / 8);
  runs.forEach((id, i) => {
    if (i % step === 0 || i === runs.length - 1) {
      svg.append(s('text', { class: 'axis', x: x(id), y: H - 8, 'text-anchor': 'middle' }, `#${id}`));
    }
  });

  series.forEach((se, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pts = se.points.filter((p) => typeof p.value === 'number');
    const withCi = pts.filter((p) => Array.isArray(p.ci) && p.ci[0] !== null);
    if (withCi.length > 1) {
      const upper = withCi.map((p) => `${x(p.run_id)},${y(p.ci[1])}`);
      const lower = withCi.slice().reverse().map((p) => `${x(p.run_id)},${y(p.ci[0])}`);
      svg.append(s('polygon', { class: 'band', points: [...upper, ...lower].join(' '), fill: color }));
    } else if (withCi.length === 1) {
      const p = withCi[0];
      svg.append(s('rect', { class: 'band', x: x(p.run_id) - 4, width: 8, y: y(p.ci[1]), height: Math.max(1, y(p.ci[0]) - y(p.ci[1])), fill: color }));
    }
    if (pts.length > 1) {
      svg.append(s('polyline', { class: 'line', points: pts.map((p) => `${x(p.run_id)},${y(p.value)}`).join(' '), stroke: color }));
    }
    for (const p of pts) {
      const ci = p.ci ? ` (${format(p.ci[0])}–${format(p.ci[1])})` : '';
      svg.append(s('circle', { class: 'dot', cx: x(p.run_id), cy: y(p.value), r: 3.5, fill: color },
        s('title', {}, `${se.name} #${p.run_id}: ${format(p.value)}${ci}`)));
    }
  });
  fig.append(svg);
  if (series.length > 1) {
    fig.append(h('ul', { class: 'legend' }, series.map((se, i) => h('li', null,
      swatch(PALETTE[i % PALETTE.length]), se.name))));
  }
  return fig;
}
