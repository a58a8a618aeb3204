// Certificates as the checks read them: one entry per certificate of a node (the CLI inventory and the
// TLS probe of the same certificate count once; the inventory wins, it has the file name).
import type { CertificatesObservation } from '../../collectors/sources/certificates';
import { certificateManagementLink } from '../fix-links';
import type { AffectedItem, CheckContext } from '../types';
import { readings, type Reading } from './helpers';

export type Cert = CertificatesObservation['certificates'][number];
export const DAY_MS = 86_400_000;

export function certificatesOf(ctx: CheckContext, checkId: string): { certs: Array<{ r: Reading<CertificatesObservation>; cert: Cert }>; errors: AffectedItem[] } {
  const { ok, errors } = readings(ctx, 'certificates', checkId);
  const certs: Array<{ r: Reading<CertificatesObservation>; cert: Cert }> = [];
  for (const r of ok) {
    const seen = new Set<string>();
    const sorted = [...r.value.certificates].sort((a, b) => (a.source === b.source ? 0 : a.source === 'cli' ? -1 : 1));
    for (const c of sorted) {
      const k = `${c.store}|${c.unit}|${c.serial.toLowerCase()}`;
      if (seen.has(k)) continue;
      seen.add(k);
      certs.push({ r, cert: c });
    }
  }
  return { certs, errors };
}

export function certItem(r: Reading<CertificatesObservation>, c: Cert, status: AffectedItem['status'], detail: string): AffectedItem {
  return {
    kind: 'certificate',
    key: `${r.node.name}|${c.store}|${c.unit}|${c.serial}`,
    status,
    cluster: r.cluster.name,
    node: r.node.name,
    label: `${c.unit}${c.store === 'trust' ? ' (trust)' : ''} on ${r.node.name}`,
    detail,
    fix: certificateManagementLink(r.node.host, r.node.ports.https),
    data: { unit: c.unit, store: c.store, subject: c.subject, issuer: c.issuer, serial: c.serial, notAfter: new Date(c.notAfter).toISOString(), port: c.port || null, file: c.file ?? null },
  };
}

export function days(ms: number): string {
  const d = Math.floor(Math.abs(ms) / DAY_MS);
  return `${d} day${d === 1 ? '' : 's'}`;
}
