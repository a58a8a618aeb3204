// impulse.config.yaml: the schema (zod). One definition; types are inferred from it.
// Loading with file/line errors is in config/load.ts, secret references in config/secrets.ts.
import { z } from 'zod';
import { crossCheckConfig } from './cross-check';
import { isSecretReference } from './secret-ref';

/** Durations: a number of seconds or "500ms", "30s", "5m", "1h", "1d". Parsed to seconds. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(v.trim());
  if (!m) return undefined;
  const seconds = Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return seconds > 0 ? seconds : undefined;
}

export const durationHint = 'a duration such as 30s, 5m, 1h or 1d (or a positive number of seconds)';

// A custom transform rather than a union: a union's error says only "invalid input".
export const duration = z.unknown().transform((v, ctx) => {
  const seconds = parseDuration(v);
  if (seconds === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected ${durationHint}, got ${JSON.stringify(v)}`, input: v });
    return z.NEVER;
  }
  return seconds;
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
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a name of letters, digits, dot, dash or underscore'),
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
        /** Application user with the AXL API and Serviceability roles: AXL, PerfMon, Control Center. */
        axl: credentialSchema.optional(),
        /** OS administrator for the SSH admin CLI. */
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

// diagnostics: the troubleshooter, user validation and readiness runs (diagnostics/settings.ts has the defaults).
export const diagnosticsSchema = z
  .object({
    /** Nodes a troubleshooter run reads at once (each node one command at a time). */
    maxConcurrentNodes: z.number().int().min(1).max(256).optional(),
    /** End users per AXL page (shrunk when the node answers "Query request too large"). */
    axlPageSize: z.number().int().min(100).max(50_000).optional(),
    /** Readiness: certificates must stay valid this many days (the upgrade window). */
    upgradeWindowDays: z.number().int().min(1).max(365).optional(),
    /** Runs kept in the database (older ones are pruned at start-up). */
    keepRuns: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

export const limitsSchema = z
  .object({
    perfmonRequestsPerMinute: z.number().int().min(1).max(1000).optional(),
    /** Most polls running at once across all nodes. */
    maxConcurrentPolls: z.number().int().min(1).max(10_000).optional(),
    requestTimeout: duration.optional(),
    cliCommandTimeout: duration.optional(),
  })
  .strict();

export const configSchema = z
  .object({
    version: z.literal(1).optional(),
    polling: pollingSchema.optional(),
    limits: limitsSchema.optional(),
    thresholds: thresholdsSchema.optional(),
    clusters: z.array(clusterSchema).min(1, 'at least one cluster'),
    ldap: z.array(ldapSchema).optional(),
    server: serverSchema.optional(),
    diagnostics: diagnosticsSchema.optional(),
  })
  .strict()
  // Cross-field rules live in cross-check.ts: they work on unvalidated input too, so the loader
  // can report them in the same round as shape errors (zod skips refinements after a type error).
  .superRefine((cfg, ctx) => {
    for (const issue of crossCheckConfig(cfg)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });

export type ImpulseConfig = z.infer<typeof configSchema>;

export { isSecretReference };

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
/** Limits when the config sets none (seconds for timeouts). */
export const defaultLimits = { maxConcurrentPolls: 64, requestTimeout: 15, cliCommandTimeout: 60 } as const;
/**
 * Thresholds when the config sets none. JSM 80 % is the RTMT JSMSessionsExceedsThreshold default
 * (reference/counters-certs-replication.md §1, 000:L11948-11998); the rest are operator conventions.
 */
export const defaultThresholds = {
  certificateWarningDays: 30,
  certificateCriticalDays: 7,
  jsmSessionsWarningRatio: 0.8,
  replicationQueueWarning: 100,
  partitionUsedWarningPercent: 90,
  cpuWarningPercent: 90,
} as const;
/** Dashboard and /metrics in embedded mode. */
export const defaultListen = '127.0.0.1:3000';
/** A cluster has at most six nodes (three presence redundancy groups; reference/topology.md §1.1). */
export const maxNodesPerCluster = 6;
