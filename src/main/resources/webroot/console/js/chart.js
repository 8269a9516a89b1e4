// The time-series chart: uPlot (served from its WebJar), one y axis per unit, points kept sorted by
// device time whatever order they arrive in, drag to select a narrower range.
import uPlot from '../lib/uplot/dist/uPlot.esm.js';

const COLORS = ['#1565c0', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#5d4037', '#ad1457'];
const MAX_POINTS_PER_SIGNAL = 20000;

const DAY_MS = 86400000;

/** A time axis label in UTC, 24 h: the date where the day changes, seconds only when ticks are that close. */
function timeLabel(t, incr, previous) {
  const iso = new Date(t).toISOString();
  const day = iso.substring(0, 10);
  if (incr >= DAY_MS) { return day; }
  const clock = iso.substring(11, incr < 60000 ? 19 : 16);
  const newDay = previous === null || new Date(previous).toISOString().substring(0, 10) !== day;
  return newDay ? clock + '\n' + day : clock;
}

/** Index of the first element of the sorted array not smaller than t. */
function lowerBound(sorted, t) {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < t) { lo = mid + 1; } else { hi = mid; }
  }
  return lo;
}

/** One signal's points, sorted by device time; a second value at the same time replaces the first. */
class SortedSeries {
  constructor() { this.ts = []; this.vs = []; }

  put(t, v) {
    const i = lowerBound(this.ts, t);
    if (this.ts[i] === t) { this.vs[i] = v; return; }
    this.ts.splice(i, 0, t);
    this.vs.splice(i, 0, v);
    if (this.ts.length > MAX_POINTS_PER_SIGNAL) { this.ts.shift(); this.vs.shift(); }
  }

  /** Drops points before t (a live window sliding forward). */
  dropBefore(t) {
    const i = lowerBound(this.ts, t);
    if (i > 0) { this.ts.splice(0, i); this.vs.splice(0, i); }
  }
}

export class TimeChart {
  /**
   * @param container element the chart fills
   * @param onSelect called with (fromMs, toMs) when the user drags over a part of the time axis
   */
  constructor(container, onSelect) {
    this.container = container;
    this.onSelect = onSelect;
    this.signals = [];          // [{signal, unit}]
    this.data = new Map();      // signal -> SortedSeries
    this.window = [Date.now() - 3600000, Date.now()];
    this.plot = null;
    this.pending = false;
    new ResizeObserver(() => this.plot && this.plot.setSize(this.size())).observe(container);
  }

  size() {
    return {width: Math.max(300, this.container.clientWidth), height: 360};
  }

  /** Starts over with these signals ([{signal, unit}]), no points. */
  reset(signals) {
    this.signals = signals;
    this.data = new Map(signals.map(s => [s.signal, new SortedSeries()]));
    this.build();
  }

  /** The picked time window, drawn whether or not points fill it. */
  setWindow(fromMs, toMs) {
    this.window = [fromMs, toMs];
    this.schedule();
  }

  /** Adds points [{signal, timestamp, value}]: non-numeric values are not drawn. */
  add(points) {
    for (const p of points) {
      const series = this.data.get(p.signal);
      if (series && typeof p.value === 'number' && Number.isFinite(p.value)) { series.put(p.timestamp, p.value); }
    }
    this.schedule();
  }

  dropBefore(t) {
    this.data.forEach(s => s.dropBefore(t));
  }

  /** Numeric points drawn (inside the window), for the page's status and for tests. */
  pointCount() {
    let n = 0;
    const [from, to] = this.window;
    this.data.forEach(s => { n += lowerBound(s.ts, to + 1) - lowerBound(s.ts, from); });
    return n;
  }

  schedule() {
    if (this.pending) { return; }
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.redraw(); });
  }

  build() {
    if (this.plot) { this.plot.destroy(); }
    const units = [...new Set(this.signals.map(s => s.unit || ''))];
    const withData = this.unitsWithData();
    this.shownUnits = JSON.stringify(withData);
    const axes = [{
      stroke: '#445', grid: {stroke: '#eceff3'}, ticks: {stroke: '#cfd6de'},
      values: (u, splits, axisIdx, space, incr) => splits.map((t, i) => timeLabel(t, incr, i === 0 ? null : splits[i - 1])),
    }];
    units.forEach((unit, i) => axes.push({
      scale: 'unit:' + unit,
      label: unit || '(no unit)',
      show: withData.includes(unit),
      side: withData.indexOf(unit) % 2 === 0 ? 3 : 1,
      stroke: '#445',
      grid: {show: unit === withData[0], stroke: '#eceff3'},
      ticks: {stroke: '#cfd6de'},
      size: 60,
    }));
    const scales = {x: {time: true, range: () => this.window}};
    units.forEach(unit => { scales['unit:' + unit] = {auto: true}; });
    const series = [{label: 'time (UTC)', value: (u, v) => v == null ? '' : new Date(v).toISOString().replace('T', ' ').replace('Z', '')}];
    this.signals.forEach((s, i) => series.push({
      label: s.signal + (s.unit ? ' [' + s.unit + ']' : ''),
      scale: 'unit:' + (s.unit || ''),
      stroke: COLORS[i % COLORS.length],
      width: 1.5,
      spanGaps: true,
      // Sparse series (a few stored points, single bucket) show their points; dense ones are lines.
      points: {size: 5, show: (u, si, i0, i1) => u.data[si].slice(i0, i1 + 1).filter(v => v != null).length < 80},
    }));
    this.plot = new uPlot({
      ...this.size(),
      ms: 1, // timestamps are epoch milliseconds
      padding: [12, 36, 0, 28], // room for the first and last time labels
      tzDate: ts => uPlot.tzDate(new Date(ts), 'Etc/UTC'),
      scales, axes, series,
      cursor: {drag: {x: true, y: false, setScale: false}},
      legend: {live: true},
      hooks: {setSelect: [u => this.selected(u)]},
    }, this.aligned(), this.container);
  }

  selected(u) {
    const {left, width} = u.select;
    if (width > 4) {
      const from = Math.round(u.posToVal(left, 'x'));
      const to = Math.round(u.posToVal(left + width, 'x'));
      this.onSelect(from, to);
    }
    u.setSelect({left: 0, top: 0, width: 0, height: 0}, false);
  }

  /** uPlot's columns: the union of all times, each signal's value at those times or null. */
  aligned() {
    const all = [];
    this.data.forEach(s => { for (const t of s.ts) { all.push(t); } });
    all.sort((a, b) => a - b);
    const xs = all.filter((t, i) => i === 0 || t !== all[i - 1]);
    const columns = [xs];
    this.signals.forEach(({signal}) => {
      const s = this.data.get(signal);
      const ys = new Array(xs.length).fill(null);
      let j = 0;
      for (let i = 0; i < s.ts.length; i++) {
        while (xs[j] < s.ts[i]) { j++; }
        ys[j] = s.vs[i];
      }
      columns.push(ys);
    });
    return columns;
  }

  /** Units of the signals that have points: only their axes are drawn. */
  unitsWithData() {
    const units = this.signals.filter(s => this.data.get(s.signal).ts.length > 0).map(s => s.unit || '');
    return [...new Set(units)];
  }

  redraw() {
    if (!this.plot) { return; }
    if (JSON.stringify(this.unitsWithData()) !== this.shownUnits) { this.build(); }
    this.plot.setData(this.aligned()); // rescales: x to the window, each unit's y axis to its values
    this.container.dataset.points = String(this.pointCount());
  }
}
