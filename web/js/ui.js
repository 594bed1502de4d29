/*
 * ui.js — small pieces shared by the pages: verdict badges, simulated and
 * "changed" tags, rates with their intervals, run status, links.
 * All text goes through i18n; all values are inserted as text.
 */
import { h, route } from './dom.js';
import { t, pct, pctRange, areaName } from './i18n.js';
import { intervalBar } from './charts.js';

const VERDICT_ICON = { suitable: '✓', review: '!', not_suitable: '✕', too_few: '?' };

/** Rank for sorting: suitable first, too few last. */
export const VERDICT_RANK = { suitable: 0, review: 1, not_suitable: 2, too_few: 3 };

/** The verdict as a coloured badge with an icon, so colour is not the only cue. */
export function verdictBadge(verdict) {
  const v = VERDICT_ICON[verdict] ? verdict : 'too_few';
  return h('span', { class: `badge v-${v}` },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, VERDICT_ICON[v]), t(`verdict.${v}`));
}

/** "simulated" tag for demo models, with the plain statement as its title. */
export function simTag() {
  return h('span', { class: 'tag sim', title: t('sim.statement') }, t('sim.tag'));
}

/** "digest changed" tag. */
export function changedTag(prev, cur) {
  const title = prev || cur ? t('models.changed_title', { prev: prev || '?', cur: cur || '?' }) : null;
  return h('span', { class: 'tag warn', title }, t('models.changed'));
}

/** A run's status as a badge (running, done, failed, ...). */
export function statusBadge(status) {
  const key = `status.${status}`;
  const text = t(key);
  return h('span', { class: `status s-${status}` }, text === key ? status : text);
}

/** Link to a model's page. */
export function modelLink(name) {
  return h('a', { href: route(['model', name]) }, name);
}

/** Link to a question's page (optionally pointing at one answer). */
export function questionLink(id, answerId) {
  return h('a', { href: route(['question', id], { answer: answerId }) }, id);
}

/** The area's name in the current language (unknown areas as they are; "*" = all). */
export { areaName };

/**
 * A rate with its interval: "87% (78–93%)" above a small bar.
 * kind 'pass' shows good in green, 'bad' (hallucination) in red; marks are threshold ticks.
 */
export function rateCell(value, ci, { kind = 'neutral', marks = [], what = '' } = {}) {
  if (value === null || value === undefined) return h('span', { class: 'muted' }, '—');
  const range = ci ? pctRange(ci) : null;
  const label = range ? t('rate.with_ci', { what, value: pct(value), range }) : `${what} ${pct(value)}`;
  return h('div', { class: 'rate' },
    h('span', { class: 'rate-text' }, pct(value), range ? h('span', { class: 'ci' }, ` (${range})`) : null),
    intervalBar({ value, ci, label, tone: kind, marks }));
}

/** A yes/no cell with an icon. bad: true when "yes" is the bad outcome. */
export function flag(value, { bad = false } = {}) {
  if (value === null || value === undefined) return h('span', { class: 'muted' }, '—');
  const cls = value === bad ? 'flag bad' : 'flag good';
  return h('span', { class: cls }, value ? `${bad ? '⚠' : '✓'} ${t('common.yes')}` : `${bad ? '✓' : '✕'} ${t('common.no')}`);
}

/** Passed / failed. */
export function passFlag(passed) {
  if (passed === null || passed === undefined) return h('span', { class: 'muted' }, '—');
  return h('span', { class: passed ? 'flag good' : 'flag bad' }, passed ? `✓ ${t('answer.passed')}` : `✕ ${t('answer.failed')}`);
}
