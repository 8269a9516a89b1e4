// The live stream: one WebSocket subscription for the chosen device and signals. On a dropped
// connection it reconnects and asks for what it missed (`since` the newest time it saw).
import {openStream} from './api.js';

export class LiveFeed {
  /** @param handlers {onPoints(points), onAlert(message), onStatus(text)} */
  constructor(handlers) {
    this.handlers = handlers;
    this.socket = null;
    this.subscription = null;
    this.retry = null;
  }

  /** Subscribes to {device, signals, since}; replaces the previous subscription. */
  open(subscription) {
    this.close();
    this.subscription = {...subscription};
    this.connect();
  }

  close() {
    clearTimeout(this.retry);
    this.subscription = null;
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.close();
      this.socket = null;
    }
  }

  connect() {
    const sub = this.subscription;
    const socket = openStream();
    this.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify({op: 'subscribe', devices: [sub.device], signals: sub.signals.length ? sub.signals : ['*'],
        alerts: true, since: sub.since}));
      this.handlers.onStatus('live: ' + sub.device);
    };
    socket.onmessage = event => {
      const m = JSON.parse(event.data);
      if (m.type === 'points') {
        m.points.forEach(p => { sub.since = Math.max(sub.since, p.timestamp); });
        this.handlers.onPoints(m.points);
      } else if (m.type === 'alert') {
        this.handlers.onAlert(m);
      } else if (m.type === 'lagged') {
        this.handlers.onStatus('live: missed ' + m.missed + ' points (the page fell behind)');
      } else if (m.type === 'error') {
        this.handlers.onStatus('live stream: ' + m.detail);
      }
    };
    socket.onclose = () => {
      this.handlers.onStatus('live stream closed; reconnecting…');
      this.retry = setTimeout(() => { if (this.subscription === sub) { this.connect(); } }, 2000);
    };
  }
}
