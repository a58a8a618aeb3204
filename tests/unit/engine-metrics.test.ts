import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InventoryCluster, InventoryNode } from '../../config/resolve';
import type { SourceName } from '../../config/schema';
import { ObservationStore } from '../../collectors/engine/store';
import { catalogue, metrics } from '../../collectors/metrics/catalogue';
import { CollectorMetrics, type EngineView } from '../../collectors/metrics/registry';
import { metricsDocPath, renderMetricsDoc } from '../../collectors/metrics/render-docs';
import { allSources } from '../../collectors/sources';

const nodes = ['imp01-pub', 'imp01-sub1', 'imp01-sub2'];
const cluster = { name: 'imp01', product: 'imp', version: '15.0.1.12900-15' } as InventoryCluster;

/** One realistic observation per source, validated by the source's own schema. */
const observations: Record<SourceName, (node: string) => unknown> = {
  inventory: (node) => ({
    hostName: node,
    version: '15.0.1.12900-15',
    uptimeSeconds: 86_400,
    ...(node === 'imp01-pub'
      ? { nodes: nodes.map((name) => ({ name })), groups: [{ name: 'DefaultCluster', haEnabled: true, nodes: ['imp01-pub', 'imp01-sub1'] }, { name: 'imp01-sc2', haEnabled: false, nodes: ['imp01-sub2'] }] }
      : {}),
  }),
  perfmon: () => ({
    samples: [
      { object: 'Cisco Presence Engine', counter: 'ActiveJsmSessions', value: 1234, extra: false },
      { object: 'Processor', instance: '_Total', counter: '% CPU Time', value: 37, extra: false },
      { object: 'Partition', instance: 'Active', counter: '% Used', value: 61, extra: false },
      { object: 'Partition', instance: 'Common', counter: '% Used', value: 48, extra: false },
      { object: 'Process', instance: 'tomcat', counter: 'VmRSS', value: 524_288, extra: false },
      { object: 'Process', instance: 'bash', counter: 'VmRSS', value: 2_048, extra: false },
      { object: 'Cisco XCP JSM', counter: 'JsmClientSessionsActive', value: 900, extra: true },
    ],
    requests: 1,
    sessionOpened: false,
    rejected: [],
    pending: 0,
  }),
  services: () => ({
    via: 'controlcenter',
    services: [
      { name: 'Cisco XCP Router', status: 'Started', reasonCode: -1, reason: null, startTime: 1.7e9 },
      { name: 'Cisco Presence Engine', status: 'Stopped', reasonCode: -1019, reason: 'Component is not running', startTime: null },
      { name: 'Cisco DirSync', status: 'Stopped', reasonCode: -1068, reason: 'Service Not Activated', startTime: null },
    ],
  }),
  replication: () => ({
    status: 'ok',
    viewFrom: 'imp01-pub',
    clusterState: 'BROADCAST SYNC ended',
    servers: nodes.map((n, i) => ({ name: n, ip: `127.70.1.${10 + i}`, pingMs: 0.163, flags: 'Y/Y/Y', queue: i, groupId: `(g_${i + 2})`, setupState: i === 2 ? 3 : 2, details: i === 2 ? 'Out Of Sync' : 'Setup Completed' })),
  }),
  ha: (node) => ({
    self: { group: 'DefaultCluster', index: 1, node, state: node === 'imp01-sub1' ? 'Failed Over with Critical Services not Running' : 'Normal', reason: node === 'imp01-sub1' ? 'Critical Service Down' : null },
    lines: [],
  }),
  certificates: () => ({
    certificates: [
      { source: 'tls', store: 'own', unit: 'tomcat', port: '8443', subject: 'CN=imp01-pub.uc01.example.com', issuer: 'CN=Lab CA', serial: '0A1B', sans: ['imp01-pub.uc01.example.com'], notBefore: 1.7e12, notAfter: 1.8e12, daysLeft: 400, selfSigned: false, trusted: true },
      { source: 'cli', store: 'own', unit: 'cup-xmpp', port: '', file: 'cup-xmpp.pem', subject: 'CN="quoted, name"', issuer: 'CN=Lab CA', serial: '0A1C', sans: [], notBefore: 1.7e12, notAfter: 1.75e12, daysLeft: 10, selfSigned: false },
    ],
    errors: [],
  }),
  peers: () => ({ peers: [{ peer: 'imp02', publisher: 'imp02-pub', up: true }] }),
  users: () => ({ duplicateUserIds: [], noDirectoryUri: 0, invalidDirectoryUris: [], duplicateDirectoryUris: [], counts: { 'duplicate userid': 3, 'invalid directory uri': 0 } }),
};

function fullRender(): { store: ObservationStore; m: CollectorMetrics } {
  const store = new ObservationStore();
  for (const s of allSources) {
    for (const node of nodes) {
      const value = s.schema.parse(observations[s.name](node));
      store.recordSuccess('imp01', node, s.name, 30_000, value, 10);
    }
  }
  store.recordFailure('imp01', 'imp01-sub2', 'perfmon', 30_000, 'rate-limit', 'Exceeded allowed rate', 20);
  const view: EngineView = {
    version: '0.1.0',
    shard: '1/2',
    nodeCount: () => nodes.length,
    budgets: () => nodes.map((node) => ({ cluster: 'imp01', node, limit: 50, used: 4 })),
    backoffs: () => [{ cluster: 'imp01', node: 'imp01-sub2', untilMs: Date.now() + 60_000 }],
    nodes: () => nodes.map((name) => ({ cluster, node: { name, product: 'imp', role: name.endsWith('pub') ? 'publisher' : 'subscriber' } as InventoryNode })),
  };
  const m = new CollectorMetrics(store, new Map(allSources.map((s) => [s.name, s])), view);
  m.pollErrors.inc({ cluster: 'imp01', node: 'imp01-sub2', source: 'perfmon', reason: 'rate-limit' });
  m.requests.inc({ cluster: 'imp01', node: 'imp01-pub', protocol: 'perfmon', operation: 'perfmonCollectSessionData', outcome: 'ok' });
  m.pollDuration.observe({ cluster: 'imp01', source: 'perfmon' }, 0.12);
  m.pollsMissed.inc({ cluster: 'imp01', node: 'imp01-pub', source: 'perfmon' }, 0);
  m.pollsBackedOff.inc({ cluster: 'imp01', node: 'imp01-sub2', source: 'perfmon' });
  return { store, m };
}

const series = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

describe('metric catalogue', () => {
  it('docs/metrics.md is generated from the catalogue (run collectors/metrics/render-docs.ts after a change)', () => {
    expect(readFileSync(metricsDocPath, 'utf8')).toBe(renderMetricsDoc());
  });

  it('names every metric once, with Prometheus naming conventions', () => {
    const names = catalogue.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const d of catalogue) {
      expect(d.name).toMatch(/^impulse_[a-z0-9_]+$/);
      expect(d.name.endsWith('_total')).toBe(d.type === 'counter');
      if (d.unit === 'seconds') expect(d.name).toMatch(/_seconds$/);
      if (d.unit === 'bytes') expect(d.name).toMatch(/_bytes$/);
      if (d.unit === 'ratio') expect(d.name).toMatch(/_ratio$/);
      if (d.source !== 'engine' || d.labels.includes('node')) expect(d.labels.slice(0, 2)).toEqual(['cluster', 'node']);
      else if (d.labels.includes('cluster')) expect(d.labels[0]).toBe('cluster');
    }
  });

  it('writes help texts in Latin-1, so /metrics stays a one-byte string (half the memory of a scrape)', () => {
    const wide = catalogue.filter((d) => /[^\u0000-\u00ff]/.test(d.help)).map((d) => d.name);
    expect(wide).toEqual([]);
  });
});

describe('/metrics rendering', () => {
  it('exports one-hot states, ratios in 0–1 and the reason of a failing target', async () => {
    const { m } = fullRender();
    const text = await m.render();
    const ha = series(text, metrics.haNodeState.name).filter((l) => l.includes('node="imp01-sub1"'));
    expect(ha.filter((l) => l.endsWith(' 1'))).toEqual([
      'impulse_ha_node_state{cluster="imp01",node="imp01-sub1",group="DefaultCluster",state="Failed Over with Critical Services Not Running"} 1',
    ]);
    expect(ha.length).toBeGreaterThan(10);
    const svc = series(text, metrics.serviceStatus.name).filter((l) => l.includes('service="Cisco Presence Engine"') && l.includes('node="imp01-pub"'));
    expect(svc.filter((l) => l.endsWith(' 1'))).toEqual(['impulse_service_status{cluster="imp01",node="imp01-pub",service="Cisco Presence Engine",status="Stopped"} 1']);
    expect(series(text, metrics.cpuUsageRatio.name)).toContain('impulse_cpu_usage_ratio{cluster="imp01",node="imp01-pub"} 0.37');
    // bash is not a process of interest; tomcat is, in bytes.
    expect(series(text, metrics.processResidentBytes.name)).toContain('impulse_process_resident_memory_bytes{cluster="imp01",node="imp01-pub",process="tomcat"} 536870912');
    expect(text).not.toContain('process="bash"');
    expect(series(text, metrics.targetUp.name)).toContain('impulse_target_up{cluster="imp01",node="imp01-sub2",source="perfmon"} 0');
    expect(series(text, metrics.lastError.name)).toContain('impulse_last_error_info{cluster="imp01",node="imp01-sub2",source="perfmon",reason="rate-limit"} 1');
    // Each node appears once in node_info; replication rows come from the publisher's view.
    expect(series(text, metrics.nodeInfo.name)).toHaveLength(3);
    expect(series(text, metrics.replicationSetupState.name)).toContain('impulse_replication_setup_state{cluster="imp01",node="imp01-sub2"} 3');
    expect(series(text, metrics.perfmonValue.name)).toEqual(['impulse_perfmon_value{cluster="imp01",node="imp01-pub",object="Cisco XCP JSM",instance="",counter="JsmClientSessionsActive"} 900', expect.any(String), expect.any(String)]);
  });

  it('stops exporting a node’s values once they are stale, but keeps its target_up at 0', async () => {
    let now = Date.now();
    const store = new ObservationStore({ now: () => now });
    const services = allSources.find((s) => s.name === 'services')!;
    store.recordSuccess('imp01', 'imp01-pub', 'services', 60_000, services.schema.parse(observations.services('imp01-pub')), 5);
    const view: EngineView = { version: 'x', shard: '1/1', nodeCount: () => 1, budgets: () => [], backoffs: () => [], nodes: () => [] };
    const m = new CollectorMetrics(store, new Map([['services', services]]), view);
    expect(series(await m.render(), metrics.serviceStatus.name).length).toBeGreaterThan(0);
    now += 121_000;
    // The store's clock moved, the registry reads freshness through the store.
    const text = await m.render();
    expect(series(text, metrics.serviceStatus.name)).toEqual([]);
    expect(series(text, metrics.targetUp.name)).toEqual(['impulse_target_up{cluster="imp01",node="imp01-pub",source="services"} 0']);
  });

  it.skipIf(!existsSync('/usr/bin/promtool'))('passes promtool check metrics on a full render', async () => {
    const { m } = fullRender();
    const text = await m.render();
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
