// Hosted domains vs the cup-xmpp-s2s certificate (reference/userid-uri-troubleshooter.md §1.7, §6 A12;
// counters-certs-replication.md §3.1): "the local IM and Presence default domain and all additional
// domains hosted by the system are added to the certificate as Subject Alt Names (SAN)", and "For XMPP
// Federation over TLS, you must regenerate the TLS certificate if adding or removing an IM address
// domain." A missing domain matters only with TLS XMPP federation, so it is a Warning (Cisco's own
// wording is conditional: "If you are using TLS XMPP Federation, proceed to generate a new TLS certificate.").
import { certificateManagementLink } from '../fix-links';
import type { AffectedItem, CheckDefinition } from '../types';
import { listText, outcome, plural, readings } from './helpers';
import { addressingOf } from './ic-common';

/** A SAN as a bare name: the CLI dump prints "DNS:host" and "IP Address:1.2.3.4", the TLS probe bare values. */
export function sanName(san: string): string {
  return san.replace(/^(DNS|IP Address|IP)\s*:\s*/i, '').trim();
}

function covers(sans: readonly string[], domain: string): boolean {
  const d = domain.toLowerCase();
  return sans.some((s) => {
    const x = sanName(s).toLowerCase();
    return x === d || (x.startsWith('*.') && d.endsWith(x.slice(1)));
  });
}

export const icS2sSan: CheckDefinition = {
  id: 'IC-S2S',
  section: 'Inter-clustering Troubleshooter',
  title: 'Verify the cup-xmpp-s2s certificate names every hosted IM domain.',
  description:
    'Compares each IM&P cluster\'s hosted domains (its default domain and the domains of its users\' IM addresses) with the Subject Alt Names of every node\'s cup-xmpp-s2s certificate (from the certificate inventory or the TLS probe of port 5269). A wildcard SAN covers its subdomains.',
  needs: ['users', 'certificates'],
  evaluate(ctx) {
    const certs = readings(ctx, 'certificates', 'IC-S2S');
    const items: AffectedItem[] = certs.errors.filter((e) => ctx.clusters.find((c) => c.name === e.cluster)?.product === 'imp');
    for (const r of certs.ok) {
      if (r.cluster.product !== 'imp') continue;
      const a = addressingOf(ctx, r.cluster.name);
      if (!a) continue;
      const hosted = new Set(a.imDomains.map((d) => d.domain));
      if (a.defaultDomain && a.defaultDomain.toUpperCase() !== 'DOMAIN.NOT.SET') hosted.add(a.defaultDomain.toLowerCase());
      // The inventory's own-store entry when present, else what port 5269 serves.
      const s2s = r.value.certificates.filter((c) => c.unit === 'cup-xmpp-s2s' && c.store === 'own');
      const cert = s2s.find((c) => c.source === 'cli') ?? s2s[0];
      if (!cert) continue;
      const missing = [...hosted].filter((d) => d && !covers(cert.sans, d));
      if (!missing.length) continue;
      items.push({
        kind: 'certificate',
        key: `${r.node.name}|cup-xmpp-s2s|${missing.sort().join(',')}`,
        status: 'warning',
        cluster: r.cluster.name,
        node: r.node.name,
        label: `cup-xmpp-s2s on ${r.node.name}`,
        detail: `Subject Alt Names lack ${listText(missing)} (SANs: ${cert.sans.map(sanName).join(', ')}).`,
        fix: certificateManagementLink(r.node.host, r.node.ports.https),
        data: { missing: missing.join(', '), sans: cert.sans.join(', '), serial: cert.serial },
      });
    }
    return outcome(items, {
      pass: 'Every cup-xmpp-s2s certificate names every hosted IM domain.',
      summary: (f) => `${plural(f.length, 'cup-xmpp-s2s certificate')} missing hosted domains`,
      problem:
        'The local IM and Presence default domain and all additional domains hosted by the system are added to the cup-xmpp-s2s certificate as Subject Alt Names. For XMPP Federation over TLS, you must regenerate the TLS certificate if adding or removing an IM address domain.',
      solution:
        'If you are using TLS XMPP Federation, proceed to generate a new TLS certificate: Cisco Unified IM and Presence OS Administration > Security > Certificate Management > cup-xmpp-s2s > Regenerate (or sign a new CSR), then restart Cisco XCP Router (utils service restart Cisco XCP Router).',
    });
  },
};
