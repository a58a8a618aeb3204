// IM address scheme consistency (reference/userid-uri-troubleshooter.md §1.5, §6 A8): "For
// intercluster deployments, all nodes in each of the clusters must use the same IM address scheme."
// (EN s1270); a cluster before Release 10 requires UserID@[Default_Domain] everywhere. The scheme is
// inferred from the users' IM addresses (users/addressing.ts: Cisco names no database source).
import type { AffectedItem, CheckContext, CheckDefinition } from '../types';
import { errorItem, listText, outcome, plural } from './helpers';
import { impAdminLink } from '../fix-links';
import { addressingOf, majority, peerMeshes } from './ic-common';

export const icScheme: CheckDefinition = {
  id: 'IC-SCHEME',
  section: 'Inter-clustering Troubleshooter',
  title: 'Verify all intercluster peers use the same IM address scheme.',
  description:
    'Infers each IM&P cluster\'s IM address scheme from its users\' IM addresses (a user whose IM address is its directory URI is addressed by the Directory URI scheme, one whose IM address is userid@domain by UserID@[Default_Domain]; Cisco names no database source for the setting, so this inference is IMPulse\'s) and compares it across peered clusters. A cluster on a release before 10 requires UserID@[Default_Domain] on every peer.',
  needs: ['users', 'versions'],
  readiness: true,
  evaluate(ctx) {
    const items: AffectedItem[] = [];
    for (const mesh of peerMeshes(ctx.clusters)) {
      const known = mesh.flatMap((c) => {
        const a = addressingOf(ctx, c.name);
        if (!a) {
          const r = ctx.data.users?.clusters.get(c.name);
          if (r && !r.ok) items.push(errorItem('IC-SCHEME', c.name, c.publisher, `end users (AXL): ${r.error?.message}`));
          return [];
        }
        return a.scheme ? [{ cluster: c, scheme: a.scheme, a }] : [];
      });
      const old = mesh.filter((c) => releaseMajor(ctx, c.name) < 10);
      if (!old.length && new Set(known.map((k) => k.scheme)).size <= 1) continue;
      // With no majority (e.g. two peers that disagree) every cluster of the mesh is named.
      const expected = old.length ? 'UserID@[Default_Domain]' : majority(known.map((k) => k.scheme));
      for (const k of known) {
        if (k.scheme === expected) continue;
        const others = known.filter((o) => (expected ? o.scheme === expected : o !== k)).map((o) => `${o.cluster.name}${expected ? '' : ` (${o.scheme})`}`);
        items.push({
          kind: 'cluster',
          key: `${k.cluster.name}|${k.scheme}`,
          status: 'failed',
          cluster: k.cluster.name,
          label: k.cluster.name,
          group: mesh.map((c) => c.name).join(', '),
          detail: old.length
            ? `IM address scheme ${k.scheme}, but ${listText(old.map((c) => c.name))} run${old.length === 1 ? 's' : ''} a release before 10: every peer must use UserID@[Default_Domain].`
            : expected
              ? `IM address scheme ${k.scheme}; its peers ${listText(others)} use ${expected}.`
              : `IM address scheme ${k.scheme}; its peers: ${listText(others)}.`,
          data: { scheme: k.scheme, directoryUriUsers: k.a.evidence.directoryUri, userIdUsers: k.a.evidence.userId },
        });
      }
    }
    return outcome(items, {
      pass: `Every peered cluster uses the same IM address scheme.`,
      summary: (f) => `${plural(f.length, 'cluster')} out of step with ${f.length === 1 ? 'its' : 'their'} peers' IM address scheme`,
      problem: 'For intercluster deployments, all nodes in each of the clusters must use the same IM address scheme. The IM address scheme you set affects all user JIDs and cannot be performed in a phased manner without disrupting communication between clusters which may have different settings.',
      solution:
        'Set the same IM Address Scheme on every cluster (Cisco Unified CM IM and Presence Administration > Presence > Settings > Advanced Configuration). Before changing it, use the troubleshooter to confirm there are no invalid or duplicate users, disable High Availability in each presence redundancy group and stop the Cisco Sync Agent, Cisco Client Profile Agent, Cisco Presence Engine, Cisco SIP Proxy and Cisco XCP Router services; restart them afterwards and re-enable High Availability.',
      fix: items.flatMap((i) => {
        const c = ctx.inventory.clusters.find((x) => x.name === i.cluster);
        const l = c && impAdminLink(c, '/cupadmin/', `fix: Presence > Settings > Advanced Configuration (${c.name})`);
        return l ? [l] : [];
      }),
    });
  },
};

/** Major release of a cluster: the versions dataset (the publisher's), else the configured version; 99 when unknown. */
function releaseMajor(ctx: CheckContext, cluster: string): number {
  const c = ctx.inventory.clusters.find((x) => x.name === cluster);
  const r = c && ctx.data.versions?.get(`${cluster}/${c.publisher}`);
  const v = r?.ok ? r.value.version : c?.version;
  const major = v ? Number.parseInt(v, 10) : NaN;
  return Number.isFinite(major) ? major : 99;
}
