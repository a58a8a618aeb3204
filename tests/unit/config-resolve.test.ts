// The normalised inventory: defaults, precedence of polling intervals, ports, roles, trust files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/load';
import { readSecret, resolveLoaded } from '../../config/resolve';
import { defaultIntervals } from '../../config/schema';

const dir = mkdtempSync(path.join(tmpdir(), 'impulse-resolve-'));
writeFileSync(path.join(dir, 'known_hosts'), '127.50.1.10 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA\n');
writeFileSync(path.join(dir, 'os-password'), 's3cret-from-file\n');

const text = `polling: { perfmon: 20s, certificates: 2h }
limits: { perfmonRequestsPerMinute: 40, requestTimeout: 5s }
thresholds: { certificateWarningDays: 45 }
clusters:
  - name: cucm01
    product: cucm
    publisher: cucm01-pub
    credentials: { axl: { username: axl, password: env:AXL_PW } }
    tls: { fingerprints: ["${'ab'.repeat(32)}"] }
  - name: imp01
    product: imp
    publisher: imp01-pub
    cucmCluster: cucm01
    nodes:
      - { name: imp01-pub, host: 127.50.1.10, ports: { ssh: 2222 } }
      - { name: imp01-sub1, host: 127.50.1.11 }
      - { name: imp01-sub2 }
    presenceRedundancyGroups:
      - { name: g1, nodes: [imp01-pub, imp01-sub1] }
    credentials:
      axl: { username: axl, password: literal-pw }
      os: { username: admin, password: file:os-password }
    allowInlineSecrets: true
    ssh: { knownHosts: known_hosts }
    tls: { insecure: true }
    perfmon: { requestsPerMinute: 80 }
    polling: { perfmon: 10s }
`;

describe('resolveInventory', () => {
  const loaded = parseConfigText(text, path.join(dir, 'impulse.config.yaml'));
  const inv = resolveLoaded(loaded);
  const [cucm, imp] = inv.clusters;

  it('lists every node with its cluster, product, role and address', () => {
    expect(inv.nodes.map((n) => [n.id, n.host, n.role, n.product, n.group])).toEqual([
      ['cucm01/cucm01-pub', 'cucm01-pub', 'publisher', 'cucm', undefined],
      ['imp01/imp01-pub', '127.50.1.10', 'publisher', 'imp', 'g1'],
      ['imp01/imp01-sub1', '127.50.1.11', 'subscriber', 'imp', 'g1'],
      ['imp01/imp01-sub2', 'imp01-sub2', 'subscriber', 'imp', undefined],
    ]);
    // Without listed nodes, only the publisher is known; the rest come from AXL discovery.
    expect(cucm.discoverNodes).toBe(true);
    expect(imp.discoverNodes).toBe(false);
  });

  it('fills ports from defaultPorts, IM&P ports only on IM&P nodes', () => {
    expect(cucm.nodes[0].ports).toEqual({ https: 8443, ssh: 22 });
    expect(imp.nodes[0].ports).toEqual({ https: 8443, ssh: 2222, 'cup-xmpp': 5222, 'cup-xmpp-s2s': 5269, cup: 5061 });
  });

  it('takes polling intervals from defaults, then top level, then the cluster', () => {
    expect(cucm.polling).toEqual({ ...defaultIntervals, perfmon: 20, certificates: 7200 });
    expect(imp.nodes[1].polling).toEqual({ ...defaultIntervals, perfmon: 10, certificates: 7200 });
  });

  it('gives each node its PerfMon budget: cluster over limits over the default', () => {
    expect(cucm.nodes[0].perfmon.requestsPerMinute).toBe(40);
    expect(imp.nodes[2].perfmon.requestsPerMinute).toBe(80);
    expect(inv.limits).toEqual({ perfmonRequestsPerMinute: 40, maxConcurrentPolls: 64, requestTimeout: 5, cliCommandTimeout: 60 });
    expect(inv.thresholds.certificateWarningDays).toBe(45);
    expect(inv.thresholds.certificateCriticalDays).toBe(7);
  });

  it('resolves trust: normalised fingerprints, insecure, known_hosts read from the config directory', () => {
    expect(cucm.tls).toEqual({ mode: 'fingerprints', fingerprints: ['AB:'.repeat(31) + 'AB'] });
    expect(imp.tls).toEqual({ mode: 'insecure' });
    expect(imp.ssh).toEqual({ knownHostsFile: path.join(dir, 'known_hosts'), knownHosts: expect.stringContaining('127.50.1.10 ssh-ed25519'), trustOnFirstUse: false });
    expect(cucm.ssh).toEqual({ knownHostsFile: undefined, knownHosts: '', trustOnFirstUse: false });
  });

  it('keeps secrets as references and reads them on demand', () => {
    expect(JSON.stringify(inv)).not.toContain('s3cret-from-file');
    expect(readSecret(imp.nodes[0].credentials.os!.password)).toBe('s3cret-from-file');
    expect(readSecret(imp.credentials.axl!.password)).toBe('literal-pw');
    expect(readSecret(cucm.credentials.axl!.password, { AXL_PW: 'from-env' })).toBe('from-env');
    expect(() => readSecret(cucm.credentials.axl!.password, {})).toThrow(/environment variable AXL_PW \(from env:AXL_PW\) is not set/);
  });

  it('defaults the server section', () => {
    expect(inv.server.listen).toBe('127.0.0.1:3000');
    expect(inv.server.metricsToken).toBeUndefined();
    expect(inv.configFile).toBe(path.join(dir, 'impulse.config.yaml'));
  });
});

describe('trust files', () => {
  it('are read once: clusters naming the same CA bundle share one trust object', () => {
    writeFileSync(path.join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const shared = `clusters:
  - { name: a, product: cucm, publisher: a-pub, credentials: { axl: { username: u, password: env:X } }, tls: { caBundle: ca.pem } }
  - { name: b, product: cucm, publisher: b-pub, credentials: { axl: { username: u, password: env:X } }, tls: { caBundle: ./ca.pem } }
`;
    const inv = resolveLoaded(parseConfigText(shared, path.join(dir, 'shared.yaml')));
    const [a, b] = inv.clusters;
    expect(a.tls.mode).toBe('ca');
    expect(b.tls).toBe(a.tls);
    expect(inv.nodes.map((n) => n.tls)).toEqual([a.tls, a.tls]);
  });
});
