// Device detail: activity and the state of its credentials, with provision, rotate, revoke and the
// credentials zip. A zip is the only copy of a new private key and token, so it is saved at once.
import {download, getJson, post, seg} from './api.js';
import {formatUtc} from './time.js';
import {row} from './panels.js';

function time(iso) {
  return iso ? formatUtc(Date.parse(iso)) : '—';
}

export class DevicePanel {
  /**
   * @param root the panel's element (with #device-facts, #credentials, #rotate, #revoke, #provision-form)
   * @param onChange called after a device was provisioned (the device list changed)
   * @param say shows a status line
   */
  constructor(root, onChange, say) {
    this.root = root;
    this.say = say;
    this.device = null;
    root.querySelector('#rotate').onclick = () => this.rotate();
    root.querySelector('#revoke').onclick = () => this.revoke();
    root.querySelector('#provision-form').onsubmit = event => {
      event.preventDefault();
      const input = root.querySelector('#provision-id');
      this.provision(input.value.trim()).then(() => { input.value = ''; onChange(); });
    };
  }

  async show(deviceId) {
    this.device = deviceId;
    const [detail, {credentials}] = await Promise.all([
      getJson('/api/v1/devices/' + seg(deviceId)),
      getJson('/api/v1/devices/' + seg(deviceId) + '/credentials'),
    ]);
    const facts = this.root.querySelector('#device-facts');
    facts.replaceChildren(...[
      ['device', detail.device_id], ['tenant', detail.tenant_id], ['registered', time(detail.created_at)],
      ['last seen', time(detail.last_seen)], ['messages', detail.messages], ['signals', detail.signals],
    ].flatMap(([k, v]) => [Object.assign(document.createElement('dt'), {textContent: k}),
      Object.assign(document.createElement('dd'), {textContent: v == null ? '—' : String(v)})]));
    const minute = iso => time(iso).substring(0, 16);
    this.root.querySelector('#credentials').replaceChildren(...credentials.map(c => row([
      c.certificate_serial || 'token only', c.state, minute(c.created_at),
      c.revoked_at ? (c.state === 'ending' ? 'ends ' : 'ended ') + minute(c.revoked_at) : c.not_after ? 'to ' + minute(c.not_after) : 'no end',
    ], 'credential ' + c.state)));
    const active = credentials.some(c => c.state === 'active' || c.state === 'ending');
    this.root.querySelector('#revoke').disabled = !active;
  }

  async rotate() {
    if (!confirm('Issue a new token and certificate for ' + this.device + '? The current ones keep working for the grace period.')) { return; }
    await this.saveZip('/api/v1/devices/' + seg(this.device) + '/rotate', undefined);
    await this.show(this.device);
  }

  async revoke() {
    if (!confirm('Revoke every token and certificate of ' + this.device + ' now? The device can no longer connect.')) { return; }
    try {
      await post('/api/v1/devices/' + seg(this.device) + '/revoke');
      this.say('revoked the credentials of ' + this.device);
    } catch (e) { this.say(e.message); }
    await this.show(this.device);
  }

  async provision(deviceId) {
    if (deviceId) { await this.saveZip('/api/v1/devices', {device_id: deviceId}); }
  }

  async saveZip(path, body) {
    try {
      const name = await download(await post(path + '?format=zip', body, 'application/zip'), 'credentials.zip');
      this.say('saved ' + name + ': it holds the only copy of the private key and token');
    } catch (e) {
      this.say(e.message);
    }
  }
}
