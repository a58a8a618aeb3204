// impulse.config.yaml: the schema (zod). One definition; types are inferred from it.
// Loading with file/line errors is in config/load.ts, secret references in config/secrets.ts.
import { z } from 'zod';
import { crossCheckConfig } from './cross-check';
import { isSecretReference } from './secret-ref';
import { IM_ADDRESS_SCHEMES } from '../collectors/vocabulary';

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
    /** Serve HTTPS (dashboard and /metrics) from these PEM files instead of plain HTTP (security). */
    tls: z
      .object({
        certificate: z.string().min(1, 'a PEM file with the server certificate (and its chain)'),
        key: z.string().min(1, 'a PEM file with the private key'),
        /** Passphrase of an encrypted key (a secret reference). */
        passphrase: secretRef.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

// ---- prometheus (issue 7): charts read history from this Prometheus instead of the embedded store
export const prometheusSchema = z
  .object({
    /** Base URL of the Prometheus HTTP API, e.g. https://prometheus.example.com:9090 (a path prefix is kept). */
    url: z.string().regex(/^https?:\/\/[^\s/]+/, 'an http:// or https:// URL such as http://127.0.0.1:9090'),
    /** Sent as "Authorization: Bearer <token>" (a secret reference: env:NAME or file:/path). */
    bearerToken: secretRef.optional(),
    /** How an https:// Prometheus is verified (as clusters[].tls). */
    tls: tlsSchema.optional(),
    /** Longest a query may take (default 10s). */
    timeout: duration.optional(),
  })
  .strict();
export type PrometheusConfig = z.infer<typeof prometheusSchema>;
// --- auth (security): sign-in, roles, sessions, audit retention ---------------------------------
export const roleNames = ['viewer', 'operator', 'admin'] as const;
export type RoleName = (typeof roleNames)[number];

/** Directory groups (LDAP DNs) or proxy group names that grant each role; the highest match wins. */
export const roleGroupsSchema = z
  .object({
    admin: z.array(z.string().min(1)).optional(),
    operator: z.array(z.string().min(1)).optional(),
    viewer: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const authSchema = z
  .object({
    /** local: accounts in the database; ldap: bind as the user; proxy: trusted SSO header; none: loopback only. */
    mode: z.enum(['local', 'ldap', 'proxy', 'none']),
    session: z
      .object({
        /** Key that seals session cookies (≥ 32 characters, a secret reference); default: generated once into the data dir. */
        key: secretRef.optional(),
        /** Signed out after this long without a request (default 1h). */
        idleTimeout: duration.optional(),
        /** Signed out this long after signing in, whatever the activity (default 12h). */
        absoluteTimeout: duration.optional(),
      })
      .strict()
      .optional(),
    ldap: z
      .object({
        url: z.string().regex(/^ldaps?:\/\/.+/, 'an ldap:// or ldaps:// URL'),
        /** Service account that finds the user's entry (with password); without it, userDn is used. */
        bindDn: z.string().min(1).optional(),
        password: secretRef.optional(),
        /** Where users are searched (with bindDn), e.g. ou=people,dc=example,dc=com. */
        baseDn: z.string().min(1).optional(),
        /** Search filter; {username} is replaced (escaped). Default (uid={username}). */
        userFilter: z.string().min(1).optional(),
        /** Without a service account: the user's DN, e.g. uid={username},ou=people,dc=example,dc=com. */
        userDn: z.string().min(1).optional(),
        /** Groups are read from this attribute of the user's entry (default memberOf)… */
        groupAttribute: z.string().min(1).optional(),
        /** …or searched under groupBaseDn with groupFilter ({dn} = the user's DN), default (member={dn}). */
        groupBaseDn: z.string().min(1).optional(),
        groupFilter: z.string().min(1).optional(),
        roles: roleGroupsSchema,
        tls: tlsSchema.optional(),
        timeout: duration.optional(),
        allowInlineSecrets: z.boolean().optional(),
      })
      .strict()
      .optional(),
    proxy: z
      .object({
        /** The header the proxy sets to the signed-in user (default X-Forwarded-User). */
        header: z.string().min(1).optional(),
        /** Comma-separated groups of the user (e.g. X-Forwarded-Groups), mapped through roles. */
        groupsHeader: z.string().min(1).optional(),
        /** Addresses (IPs or CIDRs) the proxy connects from; the header is ignored from anywhere else. */
        trustedProxies: z.array(z.string().min(1)).min(1, 'at least one proxy address'),
        roles: roleGroupsSchema.optional(),
        /** Role of a user in no mapped group (default viewer; none = refused). */
        defaultRole: z.enum(['viewer', 'operator', 'admin', 'none']).optional(),
      })
      .strict()
      .optional(),
    /** Extra origins allowed to send state-changing requests (the public URL behind a proxy that rewrites Host). */
    origins: z.array(z.string().regex(/^https?:\/\/[^/]+$/, 'an origin such as https://impulse.example.com')).optional(),
    /** How long the audit log keeps entries (default 365d). */
    auditRetention: duration.optional(),
  })
  .strict();
export type AuthConfig = z.infer<typeof authSchema>;
// --- end auth ---------------------------------------------------------------------------------

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
    // fidelity: hostile or runaway answers are refused before they are parsed.
    /** Largest SOAP response body accepted, MB (default 32; AXL's own limit is 8). */
    maxResponseMegabytes: z.number().min(1).max(1024).optional(),
    /** Largest output of one CLI command, MB (default 32); past it the command is ended with an error. */
    maxCliOutputMegabytes: z.number().min(1).max(1024).optional(),
  })
  .strict();

// ---- alerting (alerts/): evaluation, Alertmanagers and webhooks, per-rule overrides ---------------
/** A duration that may also be 0 (a rule's `for`). */
const forDuration = z.unknown().transform((v, ctx) => {
  if (v === 0 || v === '0' || v === '0s') return 0;
  const seconds = parseDuration(v);
  if (seconds === undefined || !Number.isInteger(seconds)) {
    ctx.addIssue({ code: 'custom', message: `expected a whole number of seconds or a duration such as 0s, 90s, 5m, 1h, got ${JSON.stringify(v)}`, input: v });
    return z.NEVER;
  }
  return seconds;
});

/** An HTTP endpoint IMPulse sends to: Alertmanager, a webhook receiver, Prometheus' API. */
const httpEndpointShape = {
  url: z.string().regex(/^https?:\/\/[^\s]+$/, 'an http:// or https:// URL'),
  basicAuth: z.object({ username: z.string().min(1), password: secretRef }).strict().optional(),
  /** Sent as Authorization: Bearer (a secret reference). */
  bearerToken: secretRef.optional(),
  tls: tlsSchema.optional(),
  timeout: duration.optional(),
};

export const alertingSchema = z
  .object({
    /**
     * embedded (default): IMPulse evaluates the rule catalogue itself and notifies; prometheus:
     * Prometheus evaluates the generated rule file (impulse rules) and IMPulse only shows its alerts.
     */
    evaluation: z.enum(['embedded', 'prometheus']).optional(),
    /** How often the embedded evaluator runs (it also runs when new observations arrive). */
    evaluationInterval: duration.optional(),
    /** Alerts still firing are re-sent to Alertmanager this often (Prometheus' --rules.alert.resend-delay). */
    resendDelay: duration.optional(),
    /** The dashboard's URL as receivers reach it, for runbook and alert links. */
    externalUrl: z.string().regex(/^https?:\/\/[^\s]+$/, 'an http:// or https:// URL').optional(),
    /** Labels added to every alert sent (Prometheus' external_labels), e.g. { environment: prod }. */
    externalLabels: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a label name'), z.string()).optional(),
    /** Presence > Settings > Advanced Configuration > IM Address Scheme (default UserID@Default_Domain). */
    imAddressScheme: z.enum(IM_ADDRESS_SCHEMES).optional(),
    alertmanagers: z.array(z.object(httpEndpointShape).strict()).optional(),
    /** JSON webhooks (Alertmanager's webhook format) posted directly, for sites without Alertmanager. */
    webhooks: z.array(z.object({ ...httpEndpointShape, repeatInterval: duration.optional() }).strict()).optional(),
    /** With evaluation: prometheus, where its HTTP API answers (default: the top-level prometheus block). */
    prometheus: z.object(httpEndpointShape).strict().optional(),
    /** Per alert name: enabled, for, severity. */
    rules: z
      .record(z.string(), z.object({ enabled: z.boolean().optional(), for: forDuration.optional(), severity: z.enum(['critical', 'warning', 'info']).optional() }).strict())
      .superRefine((rules, ctx) => {
        for (const name of Object.keys(rules)) {
          if (!/^[A-Z][A-Za-z0-9]+$/.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: `'${name}' is not an alert name; expected a name such as CriticalServiceDown (\`impulse rules --list\` lists them)` });
        }
      })
      .optional(),
    /** How long resolved alerts stay in the history (default 90d). */
    historyRetention: duration.optional(),
  })
  .strict();
export type AlertingConfig = z.infer<typeof alertingSchema>;

export const configSchema = z
  .object({
    version: z.literal(1).optional(),
    polling: pollingSchema.optional(),
    limits: limitsSchema.optional(),
    thresholds: thresholdsSchema.optional(),
    clusters: z.array(clusterSchema).min(1, 'at least one cluster'),
    ldap: z.array(ldapSchema).optional(),
    server: serverSchema.optional(),
    prometheus: prometheusSchema.optional(),
    auth: authSchema.optional(),
    alerting: alertingSchema.optional(),
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
/** Seconds a Prometheus query may take when prometheus.timeout is not set. */
export const defaultPrometheusTimeout = 10;
/** Dashboard and /metrics in embedded mode. */
export const defaultListen = '127.0.0.1:3000';
/** A cluster has at most six nodes (three presence redundancy groups; reference/topology.md §1.1). */
export const maxNodesPerCluster = 6;
