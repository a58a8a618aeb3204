// Fault kinds of the lab (common brief, interface 3): what each does to the state, its params
// (zod; CLI values arrive as strings, so numbers are coerced), and which targets it accepts.
import { z } from 'zod';
import type { CliFault, LabCertificate } from '../model';
import { certUnits, issueCertificate, type Validity } from '../state/certs';
import { DATABASE_SERVICE, type LabState, type StateCluster, type StateNode } from '../state/deployment';
import { R as HA_REASONS } from '../state/ha';
import { trustEntry } from '../state/trust';
import { CRITICAL_IMP_SERVICES, REASON } from '../state/services';
import { collisionOverrides, duplicateOverrides, invalidUriOverrides, mailOverrides } from '../state/users';

export const FAULT_KINDS = [
  'service-stop',
  'critical-service-down',
  'node-down',
  'partition',
  'replication-broken',
  'cert-expiring',
  'cert-expired',
  'hang',
  'slow',
  'rate-limit',
  'garbage',
  'ssh-drop',
  'auth-fail',
  'duplicate-users',
  'invalid-uris',
  // fidelity: HA rows P13, P19–P22 (reference/ha.md §2), trust-store expiry, CLI commands that never
  // return, flood or print a damaged row.
  'ha-database-failure',
  'ha-take-over-users-failed',
  'ha-take-back-users-failed',
  'ha-srm-unknown',
  'trust-cert-expired',
  'cli-stuck',
  'cli-flood',
  'cli-damage',
  // diagnostics: what the troubleshooter's checks look for (issue 8 §5).
  'duplicate-mail',
  'im-address-collision',
  'im-address-scheme',
  'default-domain',
  'ntp-unreachable',
  'core-dump',
  'partition-full',
  'version-mismatch',
  'cert-self-signed',
  'jsm-threshold',
] as const;
export type FaultKindName = (typeof FAULT_KINDS)[number];

/** NodeFaults flags a kind sets while active (recomputed from all active faults). */
export type FlagEffect = { hang?: true; garbage?: true; authFail?: true; sshDrop?: true; slowMs?: number; rateLimit?: number };

export interface ApplyContext {
  lab: LabState;
  /** Fault id (holds on services, user anomaly layers). */
  id: string;
  /** Simulated now. */
  now: number;
}

/** What applying a fault to one node or cluster did, and how to undo it. */
export interface Applied {
  flags?: FlagEffect;
  undo?: (ctx: ApplyContext) => void;
  /** Nodes whose certificates changed (events). */
  certificatesChanged?: boolean;
  /** Human summary for the fault list, e.g. "Cisco XCP Router stopped". */
  detail?: string;
}

export interface FaultKind<P = unknown> {
  name: FaultKindName;
  summary: string;
  /** 'node': applied to each node of the target (a cluster target means all its nodes); 'cluster': once per cluster. */
  scope: 'node' | 'cluster';
  params: z.ZodType<P>;
  /** Rejects targets the kind makes no sense on (a readable message). */
  check?: (target: StateNode | StateCluster, params: P, lab: LabState) => string | undefined;
  applyNode?: (node: StateNode, params: P, ctx: ApplyContext) => Applied;
  applyCluster?: (cluster: StateCluster, params: P, ctx: ApplyContext) => Applied;
}

const num = (min: number, max: number) => z.coerce.number().min(min).max(max);
const count = z.coerce.number().int().min(1).max(100_000);
const fraction = z.coerce.number().gt(0).max(0.5);
const noParams = z.object({}).strict();

function defaultService(node: StateNode): string {
  return node.product === 'imp' ? 'Cisco XCP Router' : 'Cisco CallManager';
}

function stopServiceFault(node: StateNode, service: string, ctx: ApplyContext): Applied {
  node.stopService(service, ctx.now, REASON.notRunning, ctx.id);
  return {
    detail: `${service} stopped`,
    undo: (u) => {
      node.startService(service, u.now, u.id);
    },
  };
}

const serviceStop: FaultKind<{ service?: string }> = {
  name: 'service-stop',
  summary: 'stop a service (default Cisco XCP Router on IM&P, Cisco CallManager on CUCM); it stays down until cleared',
  scope: 'node',
  params: z.object({ service: z.string().min(1).optional() }).strict(),
  check: (t, p) => {
    const nodes = 'nodes' in t ? t.nodes : [t];
    const missing = nodes.filter((n) => !n.service(p.service ?? defaultService(n)));
    return missing.length ? `${missing.map((n) => n.name).join(', ')} ha${missing.length > 1 ? 've' : 's'} no service '${p.service ?? defaultService(missing[0])}'` : undefined;
  },
  applyNode: (node, p, ctx) => stopServiceFault(node, p.service ?? defaultService(node), ctx),
};

const criticalServiceDown: FaultKind<{ service?: string }> = {
  name: 'critical-service-down',
  summary: 'stop an HA critical service on IM&P (default Cisco Presence Engine); failover follows after Critical Service Down Delay (90 s simulated)',
  scope: 'node',
  params: z.object({ service: z.string().min(1).optional() }).strict(),
  check: (t, p) => {
    if (t.product !== 'imp') return `critical-service-down applies to IM&P nodes or clusters (HA critical services); ${t.name} is CUCM`;
    if (p.service && !CRITICAL_IMP_SERVICES.includes(p.service)) return `'${p.service}' is not an HA critical service (critical: ${CRITICAL_IMP_SERVICES.join(', ')})`;
    return undefined;
  },
  applyNode: (node, p, ctx) => stopServiceFault(node, p.service ?? 'Cisco Presence Engine', ctx),
};

const nodeDown: FaultKind<Record<string, never>> = {
  name: 'node-down',
  summary: 'power the node off: no listener accepts connections; its HA peer takes over after the heartbeat timeout (Peer Reboot)',
  scope: 'node',
  params: noParams as z.ZodType<Record<string, never>>,
  applyNode: (node, _p, ctx) => {
    node.setUnreachable(ctx.id, { since: ctx.now, cause: 'down' }, ctx.now);
    return {
      detail: 'node down',
      undo: (u) => {
        node.setUnreachable(u.id, undefined, u.now);
        if (!node.faults.down) {
          // Back from a reboot: every running service has just started.
          for (const s of node.services) if (s.status === 'Started') s.startedAt = u.now;
        }
      },
    };
  },
};

const partition: FaultKind<Record<string, never>> = {
  name: 'partition',
  summary: 'cut the node off from its cluster peers (the monitor still reaches it); its HA peer takes over after the heartbeat timeout (Peer Down)',
  scope: 'node',
  params: noParams as z.ZodType<Record<string, never>>,
  check: (t) => ('nodes' in t ? `partition targets one node, not the cluster ${t.name}` : t.product !== 'imp' ? `partition applies to IM&P nodes; ${t.name} is CUCM` : undefined),
  applyNode: (node, _p, ctx) => {
    node.setUnreachable(ctx.id, { since: ctx.now, cause: 'partition' }, ctx.now);
    return { detail: 'partitioned from its peers', undo: (u) => node.setUnreachable(u.id, undefined, u.now) };
  },
};

const replicationBroken: FaultKind<{ state: 3 | 4; perMinute: number }> = {
  name: 'replication-broken',
  summary: 'break IDS replication: Replicate_State 3 (or 4 with state=4) and a growing replication queue',
  scope: 'node',
  params: z
    .object({
      state: z.coerce
        .number()
        .refine((v) => v === 3 || v === 4, 'state is 3 (bad) or 4 (setup failed)')
        .default(3)
        .transform((v) => v as 3 | 4),
      perMinute: num(0, 1_000_000).default(40),
    })
    .strict(),
  applyNode: (node, p, ctx) => {
    node.replication.break({ since: ctx.now, state: p.state, perMinute: p.perMinute });
    return { detail: `replication state ${p.state}`, undo: () => node.replication.repair() };
  },
};

const DAY = 86_400_000;

function certFault(expired: boolean): FaultKind<{ unit?: string; days: number }> {
  return {
    name: expired ? 'cert-expired' : 'cert-expiring',
    summary: expired
      ? 'replace a certificate with one that expired `days` ago (default 2; unit default cup-xmpp on IM&P, CallManager on CUCM)'
      : 'replace a certificate with one that expires in `days` (default 10; unit default cup-xmpp on IM&P, CallManager on CUCM; tomcat only when asked)',
    scope: 'node',
    params: z.object({ unit: z.string().min(1).optional(), days: num(0, 3650).default(expired ? 2 : 10) }).strict(),
    check: (t, p) => {
      const nodes = 'nodes' in t ? t.nodes : [t];
      for (const n of nodes) {
        const unit = p.unit ?? (n.product === 'imp' ? 'cup-xmpp' : 'CallManager');
        if (!certUnits(n.product).includes(unit)) return `${n.name} has no certificate unit '${unit}' (units: ${certUnits(n.product).join(', ')})`;
      }
      return undefined;
    },
    applyNode: (node, p, ctx) => {
      const unit = p.unit ?? (node.product === 'imp' ? 'cup-xmpp' : 'CallManager');
      const k = node.certificates.findIndex((c) => c.unit === unit);
      const previous = node.certificates[k];
      const lifetime = previous.notAfter.getTime() - previous.notBefore.getTime();
      const notAfter = expired ? ctx.now - p.days * DAY : ctx.now + p.days * DAY;
      const validity: Validity = { notBefore: new Date(notAfter - Math.min(lifetime, 730 * DAY)), notAfter: new Date(notAfter) };
      const generation = 1 + (Number.parseInt(ctx.id.replace(/\D/g, ''), 10) || 0);
      const replacement: LabCertificate = issueCertificate(
        ctx.lab.ca,
        { name: node.name, fqdn: node.fqdn, host: node.host, product: node.product, imDomain: node.cluster.imDomain },
        unit,
        validity,
        generation,
      );
      node.certificates = node.certificates.map((c, i) => (i === k ? replacement : c));
      return {
        certificatesChanged: true,
        detail: `${unit} ${expired ? 'expired' : 'expires'} ${validity.notAfter.toISOString()}`,
        undo: () => {
          // Restore only if nothing replaced it meanwhile.
          node.certificates = node.certificates.map((c) => (c === replacement ? previous : c));
        },
      };
    },
  };
}

const flagFault = <P>(name: FaultKindName, summary: string, params: z.ZodType<P>, flags: (p: P) => FlagEffect): FaultKind<P> => ({
  name,
  summary,
  scope: 'node',
  params,
  applyNode: (_node, p) => {
    const f = flags(p);
    const detail = Object.entries(f)
      .map(([k, v]) => (v === true ? k : `${k} ${String(v)}`))
      .join(', ');
    return { flags: f, detail };
  },
});

function resolveCount(p: { count?: number; fraction?: number }, total: number): number {
  if (p.fraction !== undefined) return Math.max(1, Math.round(total * p.fraction));
  return Math.min(p.count ?? 10, total);
}

const duplicateUsers: FaultKind<{ count?: number; fraction?: number; field: 'userid' | 'directoryuri' | 'both'; from?: string; mailid: 'copy' | 'keep' }> = {
  name: 'duplicate-users',
  summary:
    'give users of this IM&P cluster the user ID or directory URI of users in another IM&P cluster (count default 10, or fraction; field userid|directoryuri|both; from=<cluster>; mailid=copy (default: a duplicated URI is also the mail ID, as when mapped from LDAP mail) or keep)',
  scope: 'cluster',
  params: z
    .object({ count: count.optional(), fraction: fraction.optional(), field: z.enum(['userid', 'directoryuri', 'both']).default('both'), from: z.string().optional(), mailid: z.enum(['copy', 'keep']).default('copy') })
    .strict(),
  check: (t, p, lab) => {
    const cluster = 'nodes' in t ? t : t.cluster;
    const others = lab.clusters.filter((c) => c.product === 'imp' && c.users !== cluster.users);
    if (!others.length) return 'duplicate-users needs at least two IM&P clusters (duplicates are only possible across clusters)';
    if (p.from !== undefined) {
      const from = lab.cluster(p.from);
      if (!from || from.users === cluster.users) return `from=${p.from} is not another cluster of this lab (${others.map((c) => c.name).join(', ')})`;
    }
    return undefined;
  },
  applyCluster: (cluster, p, ctx) => {
    const imps = ctx.lab.clusters.filter((c) => c.product === 'imp' && c.users !== cluster.users);
    const source = p.from ? ctx.lab.cluster(p.from)! : imps[(imps.findIndex((c) => c.ordinal > cluster.ordinal) + imps.length) % imps.length] ?? imps[0];
    const n = resolveCount(p, cluster.users.count);
    const layer = duplicateOverrides(ctx.lab.seed, ctx.id, cluster.users, source.users, n, p.field, p.mailid === 'copy');
    cluster.users.addLayer(ctx.id, layer);
    return { detail: `${layer.size} users duplicate ${p.field === 'both' ? 'user IDs/directory URIs' : p.field} of ${source.name}`, undo: (u) => void cluster.users.removeLayer(u.id) };
  },
};

const invalidUris: FaultKind<{ count?: number; fraction?: number }> = {
  name: 'invalid-uris',
  summary: 'give users invalid directory URIs (several @, spaces) or none (count default 10, or fraction)',
  scope: 'cluster',
  params: z.object({ count: count.optional(), fraction: fraction.optional() }).strict(),
  applyCluster: (cluster, p, ctx) => {
    const layer = invalidUriOverrides(ctx.lab.seed, ctx.id, cluster.users, resolveCount(p, cluster.users.count));
    cluster.users.addLayer(ctx.id, layer);
    return { detail: `${layer.size} users with invalid or missing directory URIs`, undo: (u) => void cluster.users.removeLayer(u.id) };
  },
};

// ---- fidelity kinds ------------------------------------------------------------------------

/** The node's presence redundancy group when HA can act on it (a two-node group with HA enabled). */
function haPairOf(t: StateNode | StateCluster, kind: string): string | undefined {
  if ('nodes' in t) return `${kind} targets one IM&P node, not the cluster ${t.name}`;
  if (t.product !== 'imp') return `${kind} applies to IM&P nodes; ${t.name} is CUCM`;
  if (!t.group || t.group.nodes.length !== 2 || !t.group.haEnabled) return `${t.name} is not in a presence redundancy group with High Availability enabled`;
  return undefined;
}

const haDatabaseFailure: FaultKind<{ service: string }> = {
  name: 'ha-database-failure',
  summary:
    'stop the database (A Cisco DB) on an IM&P node of an HA pair: after Critical Service Down Delay it fails over with reason Database Failure (P13); on the backup of a failed-over pair the users move back (P22)',
  scope: 'node',
  params: z.object({ service: z.string().min(1).default(DATABASE_SERVICE) }).strict(),
  check: (t, p) => haPairOf(t, 'ha-database-failure') ?? ('nodes' in t || t.service(p.service) ? undefined : `${t.name} has no service '${p.service}'`),
  applyNode: (node, p, ctx) => {
    if (p.service !== DATABASE_SERVICE) throw new RangeError(`ha-database-failure stops ${DATABASE_SERVICE}; use service-stop for '${p.service}'`);
    return stopServiceFault(node, p.service, ctx);
  },
};

const haTakeOverUsersFailed: FaultKind<{ trigger: boolean }> = {
  name: 'ha-take-over-users-failed',
  summary:
    "the SRM's user move fails while taking over: the node's critical services stop (trigger=false: they do not, the next failover fails) and the automatic failover ends in Running in Failed Mode, Cisco Server Recovery Manager Take Over Users Failed (P19)",
  scope: 'node',
  params: z.object({ trigger: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(true) }).strict(),
  check: (t) => haPairOf(t, 'ha-take-over-users-failed'),
  applyNode: (node, p, ctx) => {
    const ha = node.group!.ha;
    ha.moveFails = 'take-over';
    const stop = p.trigger ? stopServiceFault(node, 'Cisco Presence Engine', ctx) : undefined;
    return {
      detail: `user move fails on take-over in ${node.group!.name}${stop ? '; Cisco Presence Engine stopped' : ''}`,
      undo: (u) => {
        if (ha.moveFails === 'take-over') ha.moveFails = undefined;
        stop?.undo?.(u);
      },
    };
  },
};

const haTakeBackUsersFailed: FaultKind<Record<string, never>> = {
  name: 'ha-take-back-users-failed',
  summary: "the SRM's next user move back fails: a fallback (manual or automatic) ends in Running in Failed Mode, Cisco Server Recovery Manager Take Back Users Failed (P20)",
  scope: 'node',
  params: noParams as z.ZodType<Record<string, never>>,
  check: (t) => haPairOf(t, 'ha-take-back-users-failed'),
  applyNode: (node) => {
    const ha = node.group!.ha;
    ha.moveFails = 'take-back';
    return {
      detail: `user move fails on take-back in ${node.group!.name}`,
      undo: () => {
        if (ha.moveFails === 'take-back') ha.moveFails = undefined;
      },
    };
  },
};

const haSrmUnknown: FaultKind<Record<string, never>> = {
  name: 'ha-srm-unknown',
  summary: 'an internal SRM error: both nodes of the pair go to Running in Failed Mode with reason Unknown (P21); clearing the fault is the Recovery',
  scope: 'node',
  params: noParams as z.ZodType<Record<string, never>>,
  check: (t) => haPairOf(t, 'ha-srm-unknown'),
  applyNode: (node, _p, ctx) => {
    const ha = node.group!.ha;
    ha.fail(HA_REASONS.unknown, ctx.now);
    return {
      detail: `${node.group!.name} Running in Failed Mode (Unknown)`,
      undo: (u) => {
        if (ha.failedReason === HA_REASONS.unknown) ha.recover(u.now);
      },
    };
  },
};

const trustCertExpired: FaultKind<{ unit?: string; file?: string; days: number }> = {
  name: 'trust-cert-expired',
  summary:
    'replace a trust-store certificate (default: the first tomcat-trust entry of an intercluster peer, else the first entry) with a copy that expired `days` ago (default 3)',
  scope: 'node',
  params: z.object({ unit: z.string().min(1).optional(), file: z.string().min(1).optional(), days: num(0, 3650).default(3) }).strict(),
  check: (t, p) => {
    const nodes = 'nodes' in t ? t.nodes : [t];
    for (const n of nodes) if (!pickTrust(n, p)) return `${n.name} has no trust certificate ${p.unit ?? ''}${p.file ? `/${p.file}` : ''}`.trim();
    return undefined;
  },
  applyNode: (node, p, ctx) => {
    const previous = pickTrust(node, p)!;
    const notAfter = ctx.now - p.days * DAY;
    const subject = ctx.lab.nodes.find((n) => previous.file === `${n.fqdn}.pem`);
    // A peer's tomcat: the same peer reissued with an expired validity (CA-signed, as the original).
    const pem = subject
      ? issueCertificate(
          ctx.lab.ca,
          { name: subject.name, fqdn: subject.fqdn, host: subject.host, product: subject.product, imDomain: subject.cluster.imDomain },
          previous.unit === 'ipsec-trust' ? 'ipsec' : 'tomcat',
          { notBefore: new Date(notAfter - 730 * DAY), notAfter: new Date(notAfter) },
          1 + (Number.parseInt(ctx.id.replace(/\D/g, ''), 10) || 0),
        ).pem
      : issueCertificate(
          ctx.lab.ca,
          { name: node.name, fqdn: node.fqdn, host: node.host, product: node.product, imDomain: node.cluster.imDomain },
          'tomcat',
          { notBefore: new Date(notAfter - 730 * DAY), notAfter: new Date(notAfter) },
          7,
        ).pem;
    const replacement = trustEntry(previous.unit, previous.file, pem);
    node.trustCertificates = node.trustCertificates.map((c) => (c === previous ? replacement : c));
    return {
      detail: `${previous.unit}/${previous.file} expired ${new Date(notAfter).toISOString()}`,
      undo: () => {
        node.trustCertificates = node.trustCertificates.map((c) => (c === replacement ? previous : c));
      },
    };
  },
};

// diagnostics: the conditions the troubleshooter's checks look for (issue 8 §5). Each holds its change
// under the fault id and undoes exactly that change when cleared.

/** Another IM&P cluster than `cluster` (the next one after it, or `from`). */
function otherImpCluster(lab: LabState, cluster: StateCluster, from?: string): StateCluster {
  if (from) return lab.cluster(from)!;
  const imps = lab.clusters.filter((c) => c.product === 'imp' && c.users !== cluster.users);
  return imps.find((c) => c.ordinal > cluster.ordinal) ?? imps[0];
}

const needsOtherImp = (t: StateNode | StateCluster, from: string | undefined, lab: LabState, kind: string): string | undefined => {
  const cluster = 'nodes' in t ? t : t.cluster;
  const others = lab.clusters.filter((c) => c.product === 'imp' && c.users !== cluster.users);
  if (!others.length) return `${kind} needs at least two IM&P clusters`;
  if (from !== undefined && !others.some((c) => c.name === from)) return `from=${from} is not another IM&P cluster of this lab (${others.map((c) => c.name).join(', ')})`;
  return undefined;
};

const impOnly = (t: StateNode | StateCluster, kind: string): string | undefined => (t.product !== 'imp' ? `${kind} applies to IM&P ${'nodes' in t ? 'clusters' : 'nodes'}; ${t.name} is CUCM` : undefined);

const duplicateMail: FaultKind<{ count?: number; fraction?: number; from?: string }> = {
  name: 'duplicate-mail',
  summary: 'give users of this IM&P cluster the mail IDs of users in another IM&P cluster, keeping their user IDs and directory URIs (count default 10, or fraction; from=<cluster>)',
  scope: 'cluster',
  params: z.object({ count: count.optional(), fraction: fraction.optional(), from: z.string().optional() }).strict(),
  check: (t, p, lab) => needsOtherImp(t, p.from, lab, 'duplicate-mail'),
  applyCluster: (cluster, p, ctx) => {
    const source = otherImpCluster(ctx.lab, cluster, p.from);
    const layer = mailOverrides(ctx.lab.seed, ctx.id, cluster.users, source.users, resolveCount(p, cluster.users.count));
    cluster.users.addLayer(ctx.id, layer);
    return { detail: `${layer.size} users share mail IDs with users of ${source.name}`, undo: (u) => void cluster.users.removeLayer(u.id) };
  },
};

const imAddressCollision: FaultKind<{ count: number; from?: string }> = {
  name: 'im-address-collision',
  summary: "set users' directory URIs to the IM address (userid@default domain) of users in another IM&P cluster (count default 3; from=<cluster>, or the target itself)",
  scope: 'cluster',
  params: z.object({ count: count.default(3), from: z.string().optional() }).strict(),
  check: (t, p, lab) => impOnly(t, 'im-address-collision') ?? (p.from !== undefined && p.from === ('nodes' in t ? t.name : t.cluster.name) ? undefined : needsOtherImp(t, p.from, lab, 'im-address-collision')),
  applyCluster: (cluster, p, ctx) => {
    const source = p.from === cluster.name ? cluster : otherImpCluster(ctx.lab, cluster, p.from);
    const layer = collisionOverrides(ctx.lab.seed, ctx.id, cluster.users, source.users, source.defaultDomain, p.count);
    cluster.users.addLayer(ctx.id, layer);
    return { detail: `${layer.size} directory URIs equal IM addresses of ${source.name} users`, undo: (u) => void cluster.users.removeLayer(u.id) };
  },
};

const imAddressScheme: FaultKind<{ scheme: 'directoryuri' | 'userid' }> = {
  name: 'im-address-scheme',
  summary: "set the cluster's IM address scheme (scheme=directoryuri, the default here, or userid): peers out of step",
  scope: 'cluster',
  params: z.object({ scheme: z.enum(['directoryuri', 'userid']).default('directoryuri') }).strict(),
  check: (t) => impOnly(t, 'im-address-scheme'),
  applyCluster: (cluster, p, ctx) => {
    cluster.setImAddressScheme(ctx.id, p.scheme);
    return { detail: `IM address scheme ${p.scheme === 'directoryuri' ? 'Directory URI' : 'UserID@[Default_Domain]'}`, undo: (u) => cluster.setImAddressScheme(u.id, undefined) };
  },
};

const defaultDomain: FaultKind<{ domain: string }> = {
  name: 'default-domain',
  summary: "set the cluster's default domain (domain=…, default DOMAIN.NOT.SET as after an install that could not read it)",
  scope: 'cluster',
  params: z.object({ domain: z.string().min(1).max(300).default('DOMAIN.NOT.SET') }).strict(),
  check: (t) => impOnly(t, 'default-domain'),
  applyCluster: (cluster, p, ctx) => {
    cluster.setDefaultDomain(ctx.id, p.domain);
    return { detail: `default domain ${p.domain}`, undo: (u) => cluster.setDefaultDomain(u.id, undefined) };
  },
};

const ntpUnreachable: FaultKind<Record<string, never>> = {
  name: 'ntp-unreachable',
  summary: 'the node can no longer reach its NTP server: utils ntp status unsynchronised, utils diagnose test NTP warnings',
  scope: 'node',
  params: noParams as z.ZodType<Record<string, never>>,
  applyNode: (node, _p, ctx) => {
    node.blockNtp(ctx.id, true);
    return { detail: 'NTP server unreachable', undo: (u) => node.blockNtp(u.id, false) };
  },
};

const coreDump: FaultKind<{ process?: string; ageDays: number }> = {
  name: 'core-dump',
  summary: 'a process crashed and left a core file (process default jabberd on IM&P, ccm on CUCM; ageDays default 0); it stays listed until cleared',
  scope: 'node',
  params: z.object({ process: z.string().regex(/^[A-Za-z0-9_-]{1,15}$/, 'a process name (letters, digits, - or _)').optional(), ageDays: num(0, 3650).default(0) }).strict(),
  applyNode: (node, p, ctx) => {
    const process = p.process ?? (node.product === 'imp' ? 'jabberd' : 'ccm');
    const at = ctx.now - p.ageDays * DAY;
    node.setCore(ctx.id, { process, pid: 1000 + (Number.parseInt(ctx.id.replace(/\D/g, ''), 10) * 7919) % 60000, at, sizeKB: 180_000 + (at % 90_000) });
    return { detail: `core file of ${process}`, undo: (u) => node.setCore(u.id, undefined) };
  },
};

const partitionFull: FaultKind<{ partition: 'Common' | 'Active'; percent: number }> = {
  name: 'partition-full',
  summary: 'fill a partition (partition=Common, the default, or Active; percent default 97): Partition counters, show status and utils diagnose test follow',
  scope: 'node',
  params: z.object({ partition: z.enum(['Common', 'Active']).default('Common'), percent: num(1, 100).default(97) }).strict(),
  applyNode: (node, p, ctx) => {
    const total = node.counters.value('Partition', p.partition, 'Total Mbytes', ctx.now) ?? 0;
    node.counters.setOverride(ctx.id, [
      { object: 'Partition', instance: p.partition, counter: '% Used', value: Math.round(p.percent) },
      { object: 'Partition', instance: p.partition, counter: 'Used Mbytes', value: Math.round((total * p.percent) / 100) },
    ]);
    return { detail: `${p.partition} partition ${p.percent} % used`, undo: (u) => node.counters.setOverride(u.id, undefined) };
  },
};

const versionMismatch: FaultKind<{ version?: string }> = {
  name: 'version-mismatch',
  summary: "leave the node on another software version than its cluster (version default the previous release): show status Product Ver (SystemVersionMismatched)",
  scope: 'node',
  params: z.object({ version: z.string().regex(/^\d+(\.\d+){3}-\d+$/, 'a version such as 14.0.1.13900-8').optional() }).strict(),
  check: (t) => ('nodes' in t ? `version-mismatch targets one node, not the cluster ${t.name}` : undefined),
  applyNode: (node, p, ctx) => {
    const version = p.version ?? (node.product === 'imp' ? '14.0.1.13900-8' : '14.0.1.13900-155');
    node.setVersion(ctx.id, version);
    return { detail: `runs ${version}`, undo: (u) => node.setVersion(u.id, undefined) };
  },
};

const certSelfSigned: FaultKind<{ unit: string }> = {
  name: 'cert-self-signed',
  summary: 'regenerate a certificate on the node as self-signed (unit default tomcat): peers and the monitor no longer trust it',
  scope: 'node',
  params: z.object({ unit: z.string().min(1).default('tomcat') }).strict(),
  check: (t, p) => {
    for (const n of 'nodes' in t ? t.nodes : [t]) if (!certUnits(n.product).includes(p.unit)) return `${n.name} has no certificate unit '${p.unit}' (units: ${certUnits(n.product).join(', ')})`;
    return undefined;
  },
  applyNode: (node, p, ctx) => {
    const k = node.certificates.findIndex((c) => c.unit === p.unit);
    const previous = node.certificates[k];
    const generation = 1 + (Number.parseInt(ctx.id.replace(/\D/g, ''), 10) || 0);
    const replacement = issueCertificate(
      ctx.lab.ca,
      { name: node.name, fqdn: node.fqdn, host: node.host, product: node.product, imDomain: node.cluster.imDomain },
      p.unit,
      { notBefore: new Date(ctx.now - DAY), notAfter: new Date(ctx.now + 1825 * DAY) },
      generation,
      { selfSigned: true },
    );
    node.certificates = node.certificates.map((c, i) => (i === k ? replacement : c));
    return {
      certificatesChanged: true,
      detail: `${p.unit} regenerated self-signed`,
      undo: () => {
        node.certificates = node.certificates.map((c) => (c === replacement ? previous : c));
      },
    };
  },
};

function pickTrust(node: StateNode, p: { unit?: string; file?: string }): LabCertificate | undefined {
  const store = node.trustCertificates;
  if (p.unit || p.file) return store.find((c) => (!p.unit || c.unit === p.unit) && (!p.file || c.file === p.file));
  return store.find((c) => c.unit === 'tomcat-trust' && !c.file.startsWith('IMPulse')) ?? store[0];
}

const cliCommand = z
  .string()
  .min(2)
  .transform((v) => v.toLowerCase().split(/\s+/).join(' '));

function cliFault(effect: CliFault['effect'], summary: string, params: z.ZodType<{ command: string; line?: number; mode?: CliFault['mode'] }>): FaultKind<never> {
  return {
    name: `cli-${effect}` as FaultKindName,
    summary,
    scope: 'node',
    params,
    applyNode: (node: StateNode, p: { command: string; line?: number; mode?: CliFault['mode'] }, ctx: ApplyContext): Applied => {
      node.cliFaults.set(ctx.id, { command: p.command, effect, line: p.line, mode: p.mode });
      return { detail: `'${p.command}' ${effect === 'damage' ? `line ${p.line} ${p.mode}` : effect}`, undo: (u) => void node.cliFaults.delete(u.id) };
    },
  } as unknown as FaultKind<never>;
}
const jsmThreshold: FaultKind<Record<string, never>> = {
  name: 'jsm-threshold',
  summary: 'raise JSMSessionsExceedsThreshold on an IM&P node (JSM sessions above the RTMT threshold)',
  scope: 'node',
  params: noParams as z.ZodType<Record<string, never>>,
  check: (t) => impOnly(t, 'jsm-threshold'),
  applyNode: (node, _p, ctx) => {
    node.counters.setOverride(ctx.id, [{ object: 'Cisco XCP JSM', counter: 'JSMSessionsExceedsThreshold', value: 1 }]);
    return { detail: 'JSMSessionsExceedsThreshold raised', undo: (u) => node.counters.setOverride(u.id, undefined) };
  },
};

export const KINDS: Record<FaultKindName, FaultKind<never>> = {
  'service-stop': serviceStop,
  'critical-service-down': criticalServiceDown,
  'node-down': nodeDown,
  partition,
  'replication-broken': replicationBroken,
  'cert-expiring': certFault(false),
  'cert-expired': certFault(true),
  hang: flagFault('hang', 'accept TCP but never answer (HTTPS, SSH, TLS)', noParams, () => ({ hang: true })),
  slow: flagFault('slow', 'add latency before every response (ms, default 20000)', z.object({ ms: num(1, 600_000).default(20_000) }).strict(), (p) => ({ slowMs: p.ms })),
  'rate-limit': flagFault('rate-limit', 'override the PerfMon per-minute limit (limit, default 0)', z.object({ limit: z.coerce.number().int().min(0).max(10_000).default(0) }).strict(), (p) => ({
    rateLimit: p.limit,
  })),
  garbage: flagFault('garbage', 'malformed responses: truncated XML on HTTPS, garbled CLI output on SSH', noParams, () => ({ garbage: true })),
  'ssh-drop': flagFault('ssh-drop', 'cut SSH connections in the middle of command output', noParams, () => ({ sshDrop: true })),
  'auth-fail': flagFault('auth-fail', 'reject credentials: 401 on HTTPS, authentication failure on SSH', noParams, () => ({ authFail: true })),
  'duplicate-users': duplicateUsers,
  'invalid-uris': invalidUris,
  // fidelity:
  'ha-database-failure': haDatabaseFailure,
  'ha-take-over-users-failed': haTakeOverUsersFailed,
  'ha-take-back-users-failed': haTakeBackUsersFailed,
  'ha-srm-unknown': haSrmUnknown,
  'trust-cert-expired': trustCertExpired,
  'cli-stuck': cliFault('stuck', 'one admin-CLI command (command=<prefix>, e.g. "utils ha status") never returns to the prompt; the node answers everything else', z.object({ command: cliCommand }).strict()),
  'cli-flood': cliFault('flood', 'one admin-CLI command (command=<prefix>) prints without end, 64 KB every few ms, until the client gives up', z.object({ command: cliCommand }).strict()),
  'cli-damage': cliFault(
    'damage',
    'one line of an admin-CLI command\'s output (command=<prefix>, line=<n> counted from its first printed line, mode=truncate|misalign|garble) is spoiled, as a busy node or a bad capture does',
    z.object({ command: cliCommand, line: z.coerce.number().int().min(1).max(100_000).default(1), mode: z.enum(['truncate', 'misalign', 'garble']).default('truncate') }).strict(),
  ),
  // diagnostics:
  'duplicate-mail': duplicateMail,
  'im-address-collision': imAddressCollision,
  'im-address-scheme': imAddressScheme,
  'default-domain': defaultDomain,
  'ntp-unreachable': ntpUnreachable,
  'core-dump': coreDump,
  'partition-full': partitionFull,
  'version-mismatch': versionMismatch,
  'cert-self-signed': certSelfSigned,
  'jsm-threshold': jsmThreshold,
} as unknown as Record<FaultKindName, FaultKind<never>>;
