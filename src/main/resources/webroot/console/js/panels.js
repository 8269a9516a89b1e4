// The side panels: alert history and current state, rejected messages with a decoded payload head.
import {formatUtc} from './time.js';

/** A table row of text cells (never HTML: values come from devices). */
export function row(cells, className) {
  const tr = document.createElement('tr');
  if (className) { tr.className = className; }
  cells.forEach(cell => {
    const td = document.createElement('td');
    if (cell instanceof Node) { td.appendChild(cell); } else { td.textContent = cell == null ? '' : String(cell); td.title = td.textContent; }
    tr.appendChild(td);
  });
  return tr;
}

function time(iso) {
  return iso ? formatUtc(Date.parse(iso)) : '';
}

/** Incidents keyed by id, newest first; live transitions update them in place. */
export class AlertsPanel {
  constructor(list, summary) {
    this.list = list;
    this.summary = summary;
    this.incidents = [];
  }

  /** The history from GET /api/v1/alerts: incidents from before the page opened too. */
  load(alerts) {
    this.incidents = alerts;
    this.render();
  }

  /** A live transition from the stream ({type: 'alert', state, rule_id, device_id, opened_at, at, …}). */
  transition(m) {
    const same = this.incidents.find(a => a.rule_id === m.rule_id && a.device_id === m.device_id
        && Date.parse(a.opened_at) === m.opened_at);
    const incident = same || {rule_id: m.rule_id, device_id: m.device_id, opened_at: new Date(m.opened_at).toISOString()};
    Object.assign(incident, {state: m.state, severity: m.severity, message: m.message, peak: m.peak,
      closed_at: m.state === 'resolved' ? new Date(m.at).toISOString() : null});
    if (!same) { this.incidents.unshift(incident); }
    this.render();
  }

  render() {
    const firing = this.incidents.filter(a => a.state === 'firing').length;
    const pending = this.incidents.filter(a => a.state === 'pending').length;
    this.summary.textContent = firing ? firing + ' firing' + (pending ? ', ' + pending + ' pending' : '')
      : pending ? pending + ' pending' : 'none firing';
    this.summary.className = 'state ' + (firing ? 'firing' : 'ok');
    this.list.replaceChildren(...this.incidents.slice(0, 100).map(a => item('alert ' + a.state, [
      [badge(a.state), ' ', strong(a.rule_id), ' · ' + a.device_id + (a.severity ? ' · ' + a.severity : '')],
      [time(a.opened_at) + (a.closed_at ? ' → ' + time(a.closed_at) : ' → now') + (a.peak != null ? ' · peak ' + a.peak : '')],
      a.message ? [a.message] : null,
    ])));
  }
}

/** A list item of lines, each a list of text or nodes (never HTML: values come from devices). */
function item(className, lines) {
  const li = document.createElement('li');
  li.className = className;
  lines.filter(Boolean).forEach(parts => {
    const div = document.createElement('div');
    parts.forEach(p => div.append(p));
    li.appendChild(div);
  });
  return li;
}

function badge(text) {
  return Object.assign(document.createElement('span'), {className: 'badge', textContent: text});
}

function strong(text) {
  return Object.assign(document.createElement('strong'), {textContent: text});
}

/** Bytes of a base64 text. */
function bytes(base64) {
  const raw = atob(base64 || '');
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
  return out;
}

/**
 * The payload head as a person reads it: text when it is UTF-8 without control characters (JSON),
 * a hex dump with an ASCII column otherwise (binary CAN, gzip).
 */
export function decodeHead(base64) {
  const data = bytes(base64);
  let text = null;
  try {
    text = new TextDecoder('utf-8', {fatal: true}).decode(data);
    if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) { text = null; }
  } catch (e) { text = null; }
  if (text !== null) { return {kind: 'text', body: text}; }
  const lines = [];
  for (let off = 0; off < data.length; off += 16) {
    const chunk = [...data.subarray(off, off + 16)];
    const hex = chunk.map(b => b.toString(16).padStart(2, '0')).join(' ').padEnd(47);
    const ascii = chunk.map(b => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    lines.push(off.toString(16).padStart(4, '0') + '  ' + hex + '  ' + ascii);
  }
  return {kind: 'hex', body: lines.join('\n')};
}

export function renderRejected(list, rejected) {
  list.replaceChildren(...rejected.map(r => {
    const head = decodeHead(r.payload_head_base64);
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = r.detail || r.reason;
    const pre = document.createElement('pre');
    pre.className = 'payload ' + head.kind;
    pre.textContent = head.body + (r.payload_size > bytes(r.payload_head_base64).length
      ? '\n… (' + r.payload_size + ' bytes in all)' : '');
    details.append(summary, pre);
    return item('rejected', [
      [badge(r.reason), ' ', strong(r.device_id || 'no device'), ' · ' + time(r.received_at)],
      [r.topic + ' · ' + r.payload_size + ' bytes'],
      [details],
    ]);
  }));
}
