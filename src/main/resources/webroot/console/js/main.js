// The console's wiring: sign-in, device and signal choice, the time range (presets, custom, drag to
// zoom), stored history from the REST API, then live points on top while the range ends at now.
import {getJson, hasKey, seg, setKey} from './api.js';
import {TimeChart} from './chart.js';
import {LiveFeed} from './live.js';
import {AlertsPanel, renderRejected} from './panels.js';
import {ClusterPanel} from './cluster.js';
import {DevicePanel} from './device.js';
import {PRESETS, bucketFor, endsNow, formatUtc, resolveTime} from './time.js';

const $ = id => document.getElementById(id);
const state = {device: null, catalogue: [], chosen: new Set(), range: {from: 'now-1h', to: 'now'}, history: [],
  window: null, loadSeq: 0};

function say(text) { $('status').textContent = text; }

const chart = new TimeChart($('chart'), (from, to) => zoom(from, to));
const alerts = new AlertsPanel($('alerts'), $('alert-state'));
const live = new LiveFeed({
  onPoints: points => { chart.add(points); showLatest(points); },
  onAlert: m => alerts.transition(m),
  onStatus: say,
});
const devicePanel = new DevicePanel($('device-panel'), () => loadDevices(), say);
const clusterPanel = new ClusterPanel($('cluster-panel'));

// ---- sign-in: the key stays in memory (api.js); the field is emptied at once ----
$('login').onsubmit = event => {
  event.preventDefault();
  setKey($('key').value.trim());
  $('key').value = '';
  start().catch(e => say(e.message));
};
$('forget').onclick = () => location.reload(); // drops the in-memory key

async function start() {
  await loadDevices();
  document.body.classList.add('signed-in');
  await Promise.all([loadAlerts(), loadRejected(), clusterPanel.start().catch(e => say('health: ' + e.message))]);
}

async function loadDevices() {
  const {devices} = await getJson('/api/v1/devices?limit=500');
  $('devices').replaceChildren(...devices.map(d => {
    const li = document.createElement('li');
    li.className = 'device' + (d.device_id === state.device ? ' selected' : '');
    li.dataset.id = d.device_id;
    li.textContent = d.device_id;
    const seen = document.createElement('small');
    seen.textContent = d.last_seen ? formatUtc(Date.parse(d.last_seen)) : 'never seen';
    li.append(seen);
    li.onclick = () => selectDevice(d.device_id).catch(e => say(e.message));
    return li;
  }));
  say(devices.length + ' devices');
  if (!state.device && devices.length) { await selectDevice(devices[0].device_id); }
}

async function loadAlerts() {
  alerts.load((await getJson('/api/v1/alerts?limit=100')).alerts);
}

async function loadRejected() {
  renderRejected($('rejected'), (await getJson('/api/v1/rejected?limit=20')).rejected);
}
$('reload-alerts').onclick = () => loadAlerts().catch(e => say(e.message));
$('reload-rejected').onclick = () => loadRejected().catch(e => say(e.message));

async function selectDevice(id) {
  state.device = id;
  document.querySelectorAll('li.device').forEach(li => li.classList.toggle('selected', li.dataset.id === id));
  const {signals} = await getJson('/api/v1/devices/' + seg(id) + '/signals');
  state.catalogue = signals;
  // The signals the device sent last: what a person opening it most likely looks for.
  const newest = [...signals].sort((a, b) => (Date.parse(b.last_seen) || 0) - (Date.parse(a.last_seen) || 0));
  state.chosen = new Set(newest.slice(0, 4).map(s => s.signal));
  $('signals').replaceChildren(...signals.map(s => {
    const label = document.createElement('label');
    const box = Object.assign(document.createElement('input'), {type: 'checkbox', checked: state.chosen.has(s.signal)});
    box.onchange = () => { box.checked ? state.chosen.add(s.signal) : state.chosen.delete(s.signal); load(); };
    // Break long CAN names after the message's dot rather than inside a word.
    const name = document.createElement('span');
    s.signal.split('.').forEach((part, i) => { if (i) { name.append('.', document.createElement('wbr')); } name.append(part); });
    label.append(box, name, Object.assign(document.createElement('small'), {textContent: s.unit || ''}));
    const li = document.createElement('li');
    li.appendChild(label);
    return li;
  }));
  $('chart-title').textContent = id;
  await Promise.all([load(), devicePanel.show(id)]);
}

// ---- time range ----
PRESETS.forEach(p => {
  const button = Object.assign(document.createElement('button'), {type: 'button', textContent: p.label});
  button.dataset.from = p.from;
  button.onclick = () => pick({from: p.from, to: 'now'}, true);
  $('presets').appendChild(button);
});
$('range-form').onsubmit = event => {
  event.preventDefault();
  pick({from: $('from').value.trim(), to: $('to').value.trim() || 'now'}, true);
};
$('zoom-out').onclick = () => { if (state.history.length) { pick(state.history.pop(), false); } };
$('to-data').onclick = () => {
  const last = Math.max(...state.catalogue.map(s => Date.parse(s.last_seen)).filter(Number.isFinite));
  if (Number.isFinite(last)) { pick({from: new Date(last - 12 * 3600000).toISOString(), to: new Date(last + 12 * 3600000).toISOString()}, true); }
};

function pick(range, remember) {
  if (!Number.isFinite(resolveTime(range.from)) || !Number.isFinite(resolveTime(range.to))) {
    say('times: use ISO-8601 (2021-06-01T00:00:00Z), epoch ms or relative (now-1h, -15m)');
    return;
  }
  if (remember) { state.history.push(state.range); }
  state.range = range;
  load();
}

function zoom(fromMs, toMs) {
  const second = t => new Date(Math.round(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  pick({from: second(fromMs), to: second(toMs)}, true);
}

function showRange() {
  $('from').value = state.range.from;
  $('to').value = state.range.to;
  document.querySelectorAll('#presets button').forEach(b => b.classList.toggle('active',
    b.dataset.from === state.range.from && endsNow(state.range)));
  $('zoom-out').disabled = state.history.length === 0;
}

// ---- history, then live ----
async function load() {
  if (!state.device) { return; }
  const seq = ++state.loadSeq;
  showRange();
  const now = Date.now();
  const from = resolveTime(state.range.from, now), to = resolveTime(state.range.to, now);
  state.window = [from, to];
  const signals = state.catalogue.filter(s => state.chosen.has(s.signal)).map(s => ({signal: s.signal, unit: s.unit}));
  live.close();
  $('points').replaceChildren();
  chart.reset(signals);
  chart.setWindow(from, to);
  if (!signals.length) { $('range-info').textContent = 'pick a signal'; return; }
  const bucket = bucketFor(to - from);
  const base = '/api/v1/devices/' + seg(state.device) + '/telemetry?signal=' + signals.map(s => encodeURIComponent(s.signal)).join(',')
    + '&from=' + from + '&to=' + to;
  try {
    const points = bucket ? await buckets(base, bucket) : await raw(base);
    if (seq !== state.loadSeq) { return; } // a newer range was picked meanwhile
    chart.add(points);
    $('chart').dataset.mode = bucket ? 'buckets' : 'raw';
    $('range-info').textContent = formatUtc(from) + ' → ' + formatUtc(to) + ' UTC · '
      + (bucket ? bucket.interval + ' buckets (average)' : 'raw points') + ' · ' + points.length + ' from storage';
    $('range-info').dataset.loaded = String(points.length);
    $('live-section').hidden = !endsNow(state.range);
    if (endsNow(state.range)) {
      live.open({device: state.device, signals: signals.map(s => s.signal), since: to});
    } else {
      say('history of ' + state.device + ' (not live: the range does not end at now)');
    }
  } catch (e) {
    say(e.message);
  }
}

async function raw(base) {
  const out = [];
  let cursor = null;
  do { // a few pages at most: raw points are for short ranges
    const page = await getJson(base + '&order=asc&limit=10000' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    out.push(...page.points);
    cursor = page.next;
  } while (cursor && out.length < 50000);
  return out;
}

async function buckets(base, bucket) {
  const answer = await getJson(base + '&interval=' + bucket.interval + '&agg=avg');
  // A bucket is drawn at its middle: its average belongs to the whole interval.
  return answer.buckets.map(b => ({signal: b.signal, timestamp: b.timestamp + bucket.ms / 2, value: b.avg}));
}

function showLatest(points) {
  const tbody = $('points');
  const shown = new Set([...tbody.children].map(tr => tr.dataset.key));
  points.slice(-20).forEach(p => {
    const key = p.signal + '@' + p.timestamp;
    if (shown.has(key)) { return; } // the replay after a reconnect repeats what was shown
    shown.add(key);
    const tr = document.createElement('tr');
    [formatUtc(p.timestamp, true), p.signal, String(p.value) + (p.label ? ' (' + p.label + ')' : '')]
      .forEach(text => tr.appendChild(Object.assign(document.createElement('td'), {textContent: text})));
    tr.dataset.key = key;
    tr.dataset.t = String(p.timestamp);
    // Newest device time first, whatever order the points arrived in.
    const after = [...tbody.children].find(other => Number(other.dataset.t) < p.timestamp);
    tbody.insertBefore(tr, after || null);
  });
  while (tbody.children.length > 20) { tbody.lastChild.remove(); }
}

// A live range slides with the clock.
setInterval(() => {
  if (!hasKey() || !state.device || !endsNow(state.range) || !state.window) { return; }
  const now = Date.now();
  const span = state.window[1] - state.window[0];
  state.window = [now - span, now];
  chart.dropBefore(now - span);
  chart.setWindow(now - span, now);
}, 1000);
