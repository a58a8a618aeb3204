// The configuration `impulse lab --write-config` writes must be one the product accepts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load';
import { buildManifest, manifestSchema } from '../../lab/manifest';
import { writeLabConfig } from '../../lab/write-config';
import { frozenLab } from './lab-helpers';

describe('lab config and manifest', () => {
  it('writes a configuration that passes loadConfig, with the lab topology and trust files', async () => {
    const { lab } = await frozenLab({ clusters: 2, nodes: 3, sshPort: 2222 });
    const dir = mkdtempSync(path.join(tmpdir(), 'lab-config-'));
    const caFile = path.join(dir, 'lab-ca.pem');
    const knownHostsFile = path.join(dir, 'known_hosts');
    writeFileSync(caFile, lab.ca.pem);
    writeFileSync(knownHostsFile, '');
    const manifest = buildManifest(lab, { controlUrl: 'http://127.0.0.1:9460', caFile, knownHostsFile });
    expect(manifestSchema.parse(manifest)).toEqual(manifest);
    const file = path.join(dir, 'impulse.config.yaml');
    writeLabConfig(file, manifest, { perfmonRateLimit: 80 });
    const cfg = loadConfig(file);
    expect(cfg.clusters.map((c) => c.name)).toEqual(['cucm01', 'imp01', 'cucm02', 'imp02']);
    const imp1 = cfg.clusters.find((c) => c.name === 'imp01')!;
    expect(imp1.cucmCluster).toBe('cucm01');
    expect(imp1.peers).toEqual(['imp02']);
    expect(imp1.presenceRedundancyGroups).toEqual([
      { name: 'imp01-prg1', nodes: ['imp01-pub', 'imp01-sub1'], haEnabled: true },
      { name: 'imp01-prg2', nodes: ['imp01-sub2'], haEnabled: false },
    ]);
    expect(imp1.nodes![0]).toEqual({ name: 'imp01-pub', host: '127.20.1.10', role: 'publisher', ports: { ssh: 2222 } });
    expect(imp1.tls?.caBundle).toBe(caFile);
    expect(imp1.ssh?.knownHosts).toBe(knownHostsFile);
    expect(imp1.allowInlineSecrets).toBe(true);
    expect(imp1.credentials?.axl?.password).toBe(lab.credentials.axl.password);
    expect(imp1.perfmon?.requestsPerMinute).toBe(80);
  });
});
