// certificates (hourly): what every TLS port serves (tomcat on the HTTPS port; cup-xmpp,
// cup-xmpp-s2s and cup on IM&P — reference/counters-certs-replication.md §3.2, §6) and the full
// own and trust-store inventory from the CLI: `show cert list own|trust`, then `show cert own|trust
// <unit>/<file>` for each entry (wire-formats §4.4; the PEM in the dump is the authority for dates
// and SANs).
// A port or certificate that cannot be read is reported in the observation; the poll fails only
// when nothing at all could be read, with the first error's kind.
import { z } from 'zod';
import type { ResolvedPorts } from '../../config/resolve';
import { CollectError, errorKind } from '../errors';
import { parseCertList } from '../parsers/cert-list';
import { parseCertOwn } from '../parsers/cert-own';
import type { Source, SourceContext } from './types';

const DAY_MS = 86_400_000;

const cert = z.object({
  source: z.enum(['tls', 'cli']),
  store: z.enum(['own', 'trust']),
  unit: z.string(),
  /** TCP port it is served on (tls), '' for the CLI inventory. */
  port: z.string(),
  file: z.string().optional(),
  subject: z.string(),
  issuer: z.string(),
  serial: z.string(),
  sans: z.array(z.string()),
  notBefore: z.number(),
  notAfter: z.number(),
  /** Whole days left at poll time (negative once expired). */
  daysLeft: z.number().int(),
  selfSigned: z.boolean(),
  /** tls only: whether the chain verified against the cluster's trust settings. */
  trusted: z.boolean().optional(),
});

export const certificatesSchema = z.object({
  certificates: z.array(cert),
  errors: z.array(z.object({ what: z.string(), kind: z.string(), message: z.string() })),
});
export type CertificatesObservation = z.infer<typeof certificatesSchema>;
type Cert = z.infer<typeof cert>;

const PORT_UNITS: Array<[keyof ResolvedPorts, string]> = [
  ['https', 'tomcat'],
  ['cup-xmpp', 'cup-xmpp'],
  ['cup-xmpp-s2s', 'cup-xmpp-s2s'],
  ['cup', 'cup'],
];

function daysLeft(notAfter: number): number {
  return Math.floor((notAfter - Date.now()) / DAY_MS);
}

async function probes(ctx: SourceContext, errors: CertificatesObservation['errors']): Promise<Cert[]> {
  const targets = PORT_UNITS.filter(([k]) => ctx.node.ports[k] !== undefined).map(([k, unit]) => ({ unit, port: ctx.node.ports[k]! }));
  const results = await Promise.allSettled(targets.map((t) => ctx.clients.probeTls(t.port, ctx.signal)));
  const out: Cert[] = [];
  results.forEach((r, i) => {
    const t = targets[i];
    if (r.status === 'rejected') {
      errors.push({ what: `tls ${t.unit} port ${t.port}`, kind: errorKind(r.reason), message: (r.reason as Error).message });
      return;
    }
    const leaf = r.value;
    out.push({
      source: 'tls',
      store: 'own',
      unit: t.unit,
      port: String(t.port),
      subject: leaf.subject,
      issuer: leaf.issuer,
      serial: leaf.serialHex,
      sans: leaf.sans,
      notBefore: leaf.notBefore.getTime(),
      notAfter: leaf.notAfter.getTime(),
      daysLeft: daysLeft(leaf.notAfter.getTime()),
      selfSigned: leaf.selfSigned,
      // With `insecure: true` nothing is verified, so there is no verdict to report.
      trusted: ctx.node.tls.mode === 'insecure' ? undefined : leaf.trusted,
    });
  });
  return out;
}

/**
 * The CLI inventory of one store: `show cert list own|trust`, then each certificate's dump
 * (`show cert own <unit>/<file>` or `show cert trust <unit>/<file>`), whose PEM is authoritative.
 * Trust-store certificates matter as much as own ones: an expired -trust entry of a peer breaks
 * intercluster sync and federation as surely as an expired own certificate.
 */
async function inventory(ctx: SourceContext, store: 'own' | 'trust', errors: CertificatesObservation['errors']): Promise<Cert[]> {
  const run = (cmd: string) => ctx.clients.cli.run(cmd, { timeoutMs: ctx.cliTimeoutMs, signal: ctx.signal });
  const listCmd = `show cert list ${store}`;
  let list;
  try {
    list = parseCertList(await run(listCmd), ctx.node.name);
    ctx.reportProblems(listCmd, list.unparsed);
  } catch (err) {
    errors.push({ what: listCmd, kind: errorKind(err), message: (err as Error).message });
    return [];
  }
  const out: Cert[] = [];
  for (const e of list.certificates) {
    if (ctx.signal.aborted) break;
    const cmd = `show cert ${store} ${e.unit}/${e.file}`;
    try {
      const parsed = parseCertOwn(await run(cmd), ctx.node.name);
      ctx.reportProblems(cmd, parsed.unparsed);
      const c = parsed.certificates[0];
      const notAfter = Date.parse(c.notAfter);
      out.push({
        source: 'cli',
        store: e.store,
        unit: e.unit,
        port: '',
        file: e.file,
        subject: c.subject,
        issuer: c.issuer,
        serial: c.serialNumber,
        sans: c.subjectAltNames,
        notBefore: Date.parse(c.notBefore),
        notAfter,
        daysLeft: daysLeft(notAfter),
        selfSigned: c.selfSigned,
      });
    } catch (err) {
      errors.push({ what: cmd, kind: errorKind(err), message: (err as Error).message });
      // A dropped or hung shell will not answer the next command either.
      if (['connection', 'timeout', 'auth'].includes(errorKind(err))) break;
    }
  }
  return out;
}

export const certificatesSource: Source<CertificatesObservation> = {
  name: 'certificates',
  scope: 'node',
  products: ['cucm', 'imp'],
  lane: 'cli-bulk',
  backsOff: false,
  schema: certificatesSchema,
  timeoutMs: ({ cliTimeoutMs, requestTimeoutMs }) => requestTimeoutMs + 3 * cliTimeoutMs,
  async poll(ctx) {
    const errors: CertificatesObservation['errors'] = [];
    // Own, then trust: one shell (the cli-bulk lane), commands in turn.
    const [tls, cli] = await Promise.all([
      probes(ctx, errors),
      (async () => [...(await inventory(ctx, 'own', errors)), ...(ctx.signal.aborted ? [] : await inventory(ctx, 'trust', errors))])(),
    ]);
    const certificates = [...tls, ...cli];
    if (certificates.length === 0 && errors.length > 0) {
      const first = errors[0];
      throw new CollectError(first.kind === 'internal' ? 'connection' : (first.kind as CollectError['kind']), `${ctx.node.name}: no certificate could be read: ${errors.map((e) => `${e.what}: ${e.message}`).join('; ')}`);
    }
    return { certificates, errors };
  },
  emit(obs, out) {
    // A trust unit holds many certificates (an IM&P publisher trusts the tomcat of every one of up
    // to 29 intercluster peers): one series per unit with its earliest expiry keeps a node within
    // its series budget and is what an expiry alert needs; which entry it is, and every other
    // entry, is on the node page (the observation).
    const earliestTrust = new Map<string, number>();
    for (const c of obs.value?.certificates ?? []) {
      if (c.store === 'trust') {
        earliestTrust.set(c.unit, Math.min(earliestTrust.get(c.unit) ?? Infinity, c.notAfter));
        continue;
      }
      const labels = { cluster: obs.cluster, node: obs.node, unit: c.unit, port: c.port, source: c.source, store: c.store };
      out('certificateNotAfter', labels, c.notAfter / 1000);
      out('certificateNotBefore', labels, c.notBefore / 1000);
      out('certificateInfo', { ...labels, subject: c.subject, issuer: c.issuer, serial: c.serial, sans: c.sans.join(','), self_signed: c.selfSigned ? 'true' : 'false' }, 1);
      if (c.source === 'tls' && c.trusted !== undefined) out('certificateVerified', { cluster: obs.cluster, node: obs.node, unit: c.unit, port: c.port }, c.trusted ? 1 : 0);
    }
    for (const [unit, notAfter] of earliestTrust) out('certificateNotAfter', { cluster: obs.cluster, node: obs.node, unit, port: '', source: 'cli', store: 'trust' }, notAfter / 1000);
  },
};
