// Time ranges as Grafana writes them: 'now', 'now-1h', '-15m', ISO-8601 or epoch ms.
const UNIT_MS = {ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000, w: 604800000};
const RELATIVE = /^(?:now)?\s*(?:([+-])\s*(\d+)\s*(ms|s|m|h|d|w))?$/;

/** The presets of the picker: each ends at now, so live points are added on top. */
export const PRESETS = [
  {label: 'Last 5 m', from: 'now-5m'},
  {label: 'Last 1 h', from: 'now-1h'},
  {label: 'Last 24 h', from: 'now-24h'},
  {label: 'Last 7 d', from: 'now-7d'},
];

/** Epoch ms of a time text, or NaN. */
export function resolveTime(text, now = Date.now()) {
  const t = String(text).trim();
  if (/^\d{10,}$/.test(t)) { return Number(t); }
  const rel = t.match(RELATIVE);
  if (rel && t !== '') {
    return rel[1] ? now + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * UNIT_MS[rel[3]] : now;
  }
  return Date.parse(t);
}

/** True when the range follows the clock (its end is now): live points are drawn on top. */
export function endsNow(range) {
  return /^\s*now\s*$/.test(range.to);
}

/** Ranges up to this span are drawn from raw points; longer ones from aggregated buckets. */
export const RAW_MAX_SPAN_MS = 6 * UNIT_MS.h;

const STEPS = ['1s', '5s', '10s', '30s', '1m', '5m', '10m', '15m', '30m', '1h', '3h', '6h', '12h', '1d', '7d'];

/** The bucket interval for a span (about 300–600 buckets per signal), or null for raw points. */
export function bucketFor(spanMs) {
  if (spanMs <= RAW_MAX_SPAN_MS) { return null; }
  const wanted = spanMs / 600;
  const step = STEPS.find(s => durationMs(s) >= wanted) || STEPS[STEPS.length - 1];
  return {interval: step, ms: durationMs(step)};
}

export function durationMs(text) {
  const m = text.match(/^(\d+)(ms|s|m|h|d|w)$/);
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** '2021-06-01 11:43:20' in UTC: the console shows device time in UTC, like the API. */
export function formatUtc(ms, withMillis = false) {
  const iso = new Date(ms).toISOString();
  return iso.substring(0, 10) + ' ' + iso.substring(11, withMillis ? 23 : 19);
}
