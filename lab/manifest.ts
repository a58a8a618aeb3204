// The lab manifest (common brief, interface 2): what a client needs to talk to a running lab —
// control URL, credentials, trust files and every node's address and ports. Written as JSON by
// `impulse lab --manifest`, served at GET /v1/manifest, read back by `impulse lab fault`.
import { z } from 'zod';
import type { LabDeployment } from './model';

const credential = z.object({ username: z.string(), password: z.string() }).strict();
const port = z.number().int().min(1).max(65535);

export const manifestSchema = z
  .object({
    version: z.literal(1),
    seed: z.number().int(),
    controlUrl: z.string().url(),
    credentials: z.object({ axl: credential, os: credential }).strict(),
    caFile: z.string(),
    knownHostsFile: z.string(),
    clusters: z.array(
      z
        .object({
          name: z.string(),
          product: z.enum(['cucm', 'imp']),
          version: z.string(),
          domain: z.string(),
          publisher: z.string(),
          cucmCluster: z.string().optional(),
          peers: z.array(z.string()),
          groups: z.array(z.object({ name: z.string(), haEnabled: z.boolean(), nodes: z.array(z.string()) }).strict()),
        })
        .strict(),
    ),
    nodes: z.array(
      z
        .object({
          name: z.string(),
          fqdn: z.string(),
          cluster: z.string(),
          product: z.enum(['cucm', 'imp']),
          role: z.enum(['publisher', 'subscriber']),
          host: z.string(),
          ports: z
            .object({ https: port, ssh: port, tomcat: port, 'cup-xmpp': port.optional(), 'cup-xmpp-s2s': port.optional(), cup: port.optional() })
            .strict(),
        })
        .strict(),
    ),
  })
  .strict();

export type LabManifest = z.infer<typeof manifestSchema>;

export function buildManifest(lab: LabDeployment, files: { controlUrl: string; caFile: string; knownHostsFile: string }): LabManifest {
  return {
    version: 1,
    seed: lab.seed,
    controlUrl: files.controlUrl,
    credentials: { axl: { ...lab.credentials.axl }, os: { ...lab.credentials.os } },
    caFile: files.caFile,
    knownHostsFile: files.knownHostsFile,
    clusters: lab.clusters.map((c) => ({
      name: c.name,
      product: c.product,
      version: c.version,
      domain: c.domain,
      publisher: c.publisher.name,
      ...(c.cucmCluster ? { cucmCluster: c.cucmCluster } : {}),
      peers: [...c.peers],
      groups: c.groups.map((g) => ({ name: g.name, haEnabled: g.haEnabled, nodes: g.nodes.map((n) => n.name) })),
    })),
    nodes: lab.nodes.map((n) => ({
      name: n.name,
      fqdn: n.fqdn,
      cluster: n.cluster.name,
      product: n.product,
      role: n.role,
      host: n.host,
      ports: {
        https: n.ports.https,
        ssh: n.ports.ssh,
        tomcat: n.ports.certs.tomcat ?? n.ports.https,
        ...(n.ports.certs['cup-xmpp'] !== undefined ? { 'cup-xmpp': n.ports.certs['cup-xmpp'] } : {}),
        ...(n.ports.certs['cup-xmpp-s2s'] !== undefined ? { 'cup-xmpp-s2s': n.ports.certs['cup-xmpp-s2s'] } : {}),
        ...(n.ports.certs.cup !== undefined ? { cup: n.ports.certs.cup } : {}),
      },
    })),
  };
}

/** Reads and validates a manifest file's text; errors name the file and field. */
export function parseManifest(text: string, file: string): LabManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const r = manifestSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`${file}: not a lab manifest: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return r.data;
}
