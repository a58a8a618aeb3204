// Writes an IMPulse configuration (impulse.config.yaml, the shape of config/schema.ts) that
// points at a running lab: every cluster with its nodes, groups, peers and CUCM cluster, literal
// lab credentials (allowInlineSecrets: true — a lab only), the lab CA bundle and known_hosts.
// lab/ never imports product code, so the product's default ports are restated here.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { LabManifest } from './manifest';

/** config/schema.ts defaultPorts: a port equal to these is left out of the written config. */
const PRODUCT_DEFAULT_PORTS = { https: 8443, ssh: 22, 'cup-xmpp': 5222, 'cup-xmpp-s2s': 5269, cup: 5061 } as const;
const PRODUCT_DEFAULT_PERFMON_RATE = 50;

export interface WriteConfigOptions {
  /** PerfMon per-minute limit of the lab nodes (written when it is not the product default). */
  perfmonRateLimit?: number;
}

export function labConfig(m: LabManifest, opts: WriteConfigOptions = {}): Record<string, unknown> {
  return {
    version: 1,
    clusters: m.clusters.map((c) => {
      const nodes = m.nodes
        .filter((n) => n.cluster === c.name)
        .map((n) => {
          const ports: Record<string, number> = {};
          for (const key of Object.keys(PRODUCT_DEFAULT_PORTS) as (keyof typeof PRODUCT_DEFAULT_PORTS)[]) {
            const v = n.ports[key];
            if (v !== undefined && v !== PRODUCT_DEFAULT_PORTS[key]) ports[key] = v;
          }
          return { name: n.name, host: n.host, role: n.role, ...(Object.keys(ports).length ? { ports } : {}) };
        });
      return {
        name: c.name,
        product: c.product,
        version: c.version,
        publisher: c.publisher,
        ...(c.cucmCluster ? { cucmCluster: c.cucmCluster } : {}),
        nodes,
        ...(c.product === 'imp' ? { presenceRedundancyGroups: c.groups.map((g) => ({ name: g.name, nodes: g.nodes, haEnabled: g.haEnabled })), peers: c.peers } : {}),
        credentials: { axl: { ...m.credentials.axl }, os: { ...m.credentials.os } },
        allowInlineSecrets: true,
        tls: { caBundle: m.caFile },
        ssh: { knownHosts: m.knownHostsFile },
        ...(opts.perfmonRateLimit !== undefined && opts.perfmonRateLimit !== PRODUCT_DEFAULT_PERFMON_RATE && opts.perfmonRateLimit >= 1
          ? { perfmon: { requestsPerMinute: Math.min(1000, opts.perfmonRateLimit) } }
          : {}),
      };
    }),
  };
}

export function renderLabConfig(m: LabManifest, opts: WriteConfigOptions = {}): string {
  return `# IMPulse configuration for the IMPulse lab (seed ${m.seed}); written by \`impulse lab\`.\n# Lab credentials are inline (allowInlineSecrets: true): never do this for a real cluster.\n${stringify(labConfig(m, opts), { lineWidth: 0 })}`;
}

export function writeLabConfig(file: string, m: LabManifest, opts: WriteConfigOptions = {}): void {
  writeFileSync(file, renderLabConfig(m, opts), { mode: 0o600 });
}
