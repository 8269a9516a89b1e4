// The cluster panel: shown when /health reports a cluster (cluster.enabled), hidden on a single
// instance. /health needs no key (load balancers read it); its counters are this instance's own,
// the partition table is the whole cluster's (every member computes the same one).

/** Counters of /health's cluster object, in the order shown, with what each one counts. */
export const COUNTERS = [
  ['forwarded', 'forwarded', 'messages this instance received for a device another member owns, sent to that member'],
  ['served_for_others', 'served for others', 'messages other members forwarded here: devices this instance owns'],
  ['ingested_here', 'ingested here', 'messages this instance received for its own devices'],
  ['forward_failures', 'forward failures', 'forwards not committed in time: left unacknowledged, tried again'],
  ['received_from_others', 'from other members', 'committed points and alert transitions of other members, for live streams here'],
];

/**
 * What the panel shows of /health's cluster object: pure (no DOM), so it can be checked without a
 * browser. Members in the table's order (sorted), each with the partitions it owns.
 */
export function clusterView(cluster) {
  const owned = cluster.partitions_by_member || {};
  const instances = cluster.instances || {};
  const members = cluster.members.map(name => ({
    name, instance: instances[name] || null, partitions: owned[name] || 0, self: name === cluster.self}));
  return {
    summary: members.length + (members.length === 1 ? ' member' : ' members') + ' · ' + cluster.partitions + ' partitions',
    self: cluster.self,
    members,
    counters: COUNTERS.map(([key, label, title]) => ({key, label, title, value: cluster[key] || 0})),
  };
}

async function health() {
  // 503 (degraded, down) still carries the body: the cluster is shown whatever the status.
  return (await fetch('/health', {cache: 'no-store'})).json();
}

export class ClusterPanel {
  /** @param section the panel, hidden until /health reports a cluster */
  constructor(section) {
    this.section = section;
    this.timer = null;
  }

  /** Looks once; refreshes every few seconds only when there is a cluster to show. */
  async start(periodMs = 5000) {
    const shown = this.show((await health()).cluster);
    if (shown && !this.timer) {
      this.timer = setInterval(() => health().then(h => this.show(h.cluster)).catch(() => {}), periodMs);
    }
  }

  /** Renders the cluster object, or hides the panel when there is none; whether it is shown. */
  show(cluster) {
    this.section.hidden = !cluster;
    this.section.dataset.checked = 'true'; // /health answered (hidden then means: a single instance)
    if (!cluster) { return false; }
    const view = clusterView(cluster);
    const q = s => this.section.querySelector(s);
    q('.cluster-summary').textContent = view.summary;
    q('.cluster-members').replaceChildren(...view.members.map(m => {
      const tr = document.createElement('tr');
      tr.className = m.self ? 'self' : '';
      tr.dataset.member = m.name;
      // A member shows its instance name (cluster.instance) once learnt, else its cluster node id,
      // which is long, so the cell may cut it; the title always has the node id whole.
      const name = Object.assign(document.createElement('td'), {title: 'node ' + m.name});
      if (m.self) { name.append(Object.assign(document.createElement('span'), {className: 'badge', textContent: 'this instance'}), ' '); }
      const label = Object.assign(document.createElement('span'), {className: 'member-name', textContent: m.instance || m.name});
      name.append(label);
      const partitions = document.createElement('td');
      partitions.className = 'num';
      partitions.textContent = String(m.partitions);
      tr.append(name, partitions);
      return tr;
    }));
    q('.cluster-counters').replaceChildren(...view.counters.flatMap(c => {
      const dt = Object.assign(document.createElement('dt'), {textContent: c.label, title: c.title});
      const dd = Object.assign(document.createElement('dd'), {textContent: String(c.value)});
      dd.dataset.counter = c.key;
      return [dt, dd];
    }));
    return true;
  }
}
