// impulse.config.yaml: the schema (zod). One definition; types are inferred from it.
// Loading with file/line errors is in config/load.ts, secret references in config/secrets.ts.
import { z } from 'zod';

/** Durations: a number of seconds or "30s", "5m", "1h", "1d". Parsed to seconds. */
export const duration = z
  .union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'a duration such as 30s, 5m, 1h or 1d')])
  .transform((v) => {
    if (typeof v === 'number') return v;
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v)!;
    const factor = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
    return Number(m[1]) * factor;
  });

/**
 * A secret is a reference: "env:NAME" or "file:/path". A literal is accepted only where the
 * cluster sets allowInlineSecrets (checked in superRefine below, so the error names the field).
 */
export const secretRef = z.string().min(1, 'a secret reference such as env:NAME or file:/path');

export const sourceNames = ['inventory', 'perfmon', 'services', 'replication', 'ha', 'certificates', 'peers', 'users'] as const;
export type SourceName = (typeof sourceNames)[number];

/** Per-source polling intervals (seconds after parsing). */
export const pollingSchema = z
  .object({
    inventory: duration.optional(),
    perfmon: duration.optional(),
    services: duration.optional(),
    replication: duration.optional(),
    ha: duration.optional(),
    certificates: duration.optional(),
    peers: duration.optional(),
    users: duration.optional(),
  })
  .strict();
export type PollingConfig = z.infer<typeof pollingSchema>;

export const credentialSchema = z
  .object({
    username: z.string().min(1, 'a user name'),
    password: secretRef,
  })
  .strict();

export const tlsSchema = z
  .object({
    /** PEM file with the CA(s) that signed the nodes' certificates (e.g. the tomcat certs). */
    caBundle: z.string().min(1).optional(),
    /** Pinned SHA-256 fingerprints of leaf certificates ("AB:CD:…" or hex without colons). */
    fingerprints: z
      .array(z.string().regex(/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{64}$/, 'a SHA-256 fingerprint (64 hex digits, colons optional)'))
      .min(1)
      .optional(),
    /** Explicit opt-out of verification. Visible in the UI and logs. */
    insecure: z.boolean().optional(),
  })
  .strict();

export const sshSchema = z
  .object({
    /** known_hosts file with the nodes' host keys. */
    knownHosts: z.string().min(1).optional(),
    /** Accept and record an unknown host key on first connection (never a changed one). */
    trustOnFirstUse: z.boolean().optional(),
  })
  .strict();

export const portsSchema = z
  .object({
    https: z.number().int().min(1).max(65535).optional(),
    ssh: z.number().int().min(1).max(65535).optional(),
    'cup-xmpp': z.number().int().min(1).max(65535).optional(),
    'cup-xmpp-s2s': z.number().int().min(1).max(65535).optional(),
    cup: z.number().int().min(1).max(65535).optional(),
  })
  .strict();

export const nodeSchema = z
  .object({
    /** The node name as CUCM knows it (System > Server): hostname, FQDN or IP. */
    name: z.string().min(1),
    /** Address to connect to, when it differs from the name. */
    host: z.string().min(1).optional(),
    role: z.enum(['publisher', 'subscriber']).optional(),
    ports: portsSchema.optional(),
  })
  .strict();
export type NodeConfig = z.infer<typeof nodeSchema>;

export const groupSchema = z
  .object({
    name: z.string().min(1),
    nodes: z.array(z.string().min(1)).min(1).max(2, 'a presence redundancy group has one or two nodes'),
    haEnabled: z.boolean().optional(),
  })
  .strict();

export const clusterSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash or underscore'),
    product: z.enum(['cucm', 'imp']),
    /** Publisher node name (must be one of `nodes` when nodes are listed). */
    publisher: z.string().min(1),
    version: z.string().optional(),
    /** IM&P only: the CUCM cluster this IM&P cluster belongs to. */
    cucmCluster: z.string().optional(),
    /** Listed nodes are authoritative; without them, nodes are discovered through AXL. */
    nodes: z.array(nodeSchema).optional(),
    presenceRedundancyGroups: z.array(groupSchema).optional(),
    /** IM&P only: intercluster peers (names of other IM&P clusters). */
    peers: z.array(z.string().min(1)).optional(),
    credentials: z
      .object({
        axl: credentialSchema.optional(),
        os: credentialSchema.optional(),
      })
      .strict()
      .optional(),
    allowInlineSecrets: z.boolean().optional(),
    tls: tlsSchema.optional(),
    ssh: sshSchema.optional(),
    perfmon: z
      .object({
        requestsPerMinute: z.number().int().min(1).max(1000).optional(),
        /** Extra counters: "Object\\Counter" or "Object(Instance)\\Counter" (host part added per node). */
        extraCounters: z.array(z.string().regex(/^[^\\]+(\([^)]*\))?\\[^\\]+$/, 'Object\\Counter or Object(Instance)\\Counter')).optional(),
      })
      .strict()
      .optional(),
    polling: pollingSchema.optional(),
  })
  .strict();
export type ClusterConfig = z.infer<typeof clusterSchema>;

export const ldapSchema = z
  .object({
    name: z.string().min(1),
    url: z.string().regex(/^ldaps?:\/\/.+/, 'an ldap:// or ldaps:// URL'),
    bindDn: z.string().min(1),
    password: secretRef,
    baseDn: z.string().min(1),
    userFilter: z.string().optional(),
    userIdAttribute: z.string().optional(),
    mailAttribute: z.string().optional(),
    allowInlineSecrets: z.boolean().optional(),
    tls: tlsSchema.optional(),
  })
  .strict();

export const thresholdsSchema = z
  .object({
    certificateWarningDays: z.number().int().min(1).optional(),
    certificateCriticalDays: z.number().int().min(0).optional(),
    jsmSessionsWarningRatio: z.number().min(0).max(1).optional(),
    replicationQueueWarning: z.number().int().min(0).optional(),
    partitionUsedWarningPercent: z.number().min(0).max(100).optional(),
    cpuWarningPercent: z.number().min(0).max(100).optional(),
  })
  .strict();

export const serverSchema = z
  .object({
    /** host:port for the dashboard and /metrics in embedded mode. */
    listen: z.string().optional(),
    /** Bearer token required on /metrics (a secret reference). */
    metricsToken: secretRef.optional(),
    /** Where the embedded SQLite file and history live. */
    dataDir: z.string().optional(),
  })
  .strict();

export const configSchema = z
  .object({
    version: z.literal(1).optional(),
    polling: pollingSchema.optional(),
    limits: z
      .object({
        perfmonRequestsPerMinute: z.number().int().min(1).max(1000).optional(),
        /** Most polls running at once across all nodes. */
        maxConcurrentPolls: z.number().int().min(1).max(10_000).optional(),
        requestTimeout: duration.optional(),
        cliCommandTimeout: duration.optional(),
      })
      .strict()
      .optional(),
    thresholds: thresholdsSchema.optional(),
    clusters: z.array(clusterSchema).min(1, 'at least one cluster'),
    ldap: z.array(ldapSchema).optional(),
    server: serverSchema.optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const names = new Map<string, number>();
    cfg.clusters.forEach((c, i) => {
      if (names.has(c.name)) {
        ctx.addIssue({ code: 'custom', path: ['clusters', i, 'name'], message: `duplicate cluster name '${c.name}' (also clusters[${names.get(c.name)}])` });
      }
      names.set(c.name, i);
    });
    cfg.clusters.forEach((c, i) => {
      const at = (...p: (string | number)[]) => ['clusters', i, ...p];
      if (c.nodes) {
        const nodeNames = new Set<string>();
        c.nodes.forEach((n, j) => {
          if (nodeNames.has(n.name)) ctx.addIssue({ code: 'custom', path: at('nodes', j, 'name'), message: `duplicate node name '${n.name}' in cluster '${c.name}'` });
          nodeNames.add(n.name);
        });
        if (!nodeNames.has(c.publisher)) {
          ctx.addIssue({ code: 'custom', path: at('publisher'), message: `publisher '${c.publisher}' is not one of this cluster's nodes (${[...nodeNames].join(', ')})` });
        }
        c.presenceRedundancyGroups?.forEach((g, j) =>
          g.nodes.forEach((n, k) => {
            if (!nodeNames.has(n)) ctx.addIssue({ code: 'custom', path: at('presenceRedundancyGroups', j, 'nodes', k), message: `node '${n}' is not one of this cluster's nodes` });
          }),
        );
      }
      if (c.product === 'cucm') {
        for (const key of ['cucmCluster', 'presenceRedundancyGroups', 'peers'] as const) {
          if (c[key] !== undefined) ctx.addIssue({ code: 'custom', path: at(key), message: `'${key}' applies to IM&P clusters (product: imp) only` });
        }
      }
      if (c.cucmCluster !== undefined) {
        const j = names.get(c.cucmCluster);
        if (j === undefined || cfg.clusters[j].product !== 'cucm') {
          ctx.addIssue({ code: 'custom', path: at('cucmCluster'), message: `'${c.cucmCluster}' is not a CUCM cluster of this configuration` });
        }
      }
      c.peers?.forEach((p, k) => {
        const j = names.get(p);
        if (j === undefined || cfg.clusters[j].product !== 'imp' || p === c.name) {
          ctx.addIssue({ code: 'custom', path: at('peers', k), message: `'${p}' is not another IM&P cluster of this configuration` });
        }
      });
      const secrets: [string, (string | number)[]][] = [];
      if (c.credentials?.axl) secrets.push([c.credentials.axl.password, at('credentials', 'axl', 'password')]);
      if (c.credentials?.os) secrets.push([c.credentials.os.password, at('credentials', 'os', 'password')]);
      for (const [value, path] of secrets) {
        if (!isSecretReference(value) && !c.allowInlineSecrets) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: 'a literal password is not allowed: use env:NAME or file:/path (or set allowInlineSecrets: true on this cluster, for labs only)',
          });
        }
      }
      const trust = c.tls ?? {};
      const modes = [trust.caBundle !== undefined, trust.fingerprints !== undefined, trust.insecure === true].filter(Boolean).length;
      if (modes > 1) ctx.addIssue({ code: 'custom', path: at('tls'), message: 'choose one of caBundle, fingerprints or insecure: true' });
    });
    cfg.ldap?.forEach((l, i) => {
      if (!isSecretReference(l.password) && !l.allowInlineSecrets) {
        ctx.addIssue({ code: 'custom', path: ['ldap', i, 'password'], message: 'a literal password is not allowed: use env:NAME or file:/path' });
      }
    });
    if (cfg.server?.metricsToken !== undefined && !isSecretReference(cfg.server.metricsToken)) {
      ctx.addIssue({ code: 'custom', path: ['server', 'metricsToken'], message: 'a literal token is not allowed: use env:NAME or file:/path' });
    }
  });

export type ImpulseConfig = z.infer<typeof configSchema>;

export function isSecretReference(value: string): boolean {
  return /^env:[A-Za-z_][A-Za-z0-9_]*$/.test(value) || /^file:.+/.test(value);
}

/** Defaults (reference: issue #3 — fast sources 30 s, replication/services 60 s, certificates hourly, inventory daily). */
export const defaultIntervals: Record<SourceName, number> = {
  perfmon: 30,
  ha: 30,
  replication: 60,
  services: 60,
  peers: 300,
  certificates: 3600,
  users: 86400,
  inventory: 86400,
};
export const defaultPerfmonRequestsPerMinute = 50;
export const defaultPorts = { https: 8443, ssh: 22, 'cup-xmpp': 5222, 'cup-xmpp-s2s': 5269, cup: 5061 } as const;
