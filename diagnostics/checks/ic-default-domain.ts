// Default domain (reference/userid-uri-troubleshooter.md §1.5, §1.6, §6 A9): "The IM and Presence
// default domain value on the local cluster must match the IM and Presence default domain value on
// the remote cluster" (EN s1258–1262), and DOMAIN.NOT.SET "must [be replaced] with a valid domain
// value, otherwise the intercluster functionality will not work correctly" (EN s15194–15197). The
// default domain is read from the users' UserID@[Default_Domain] IM addresses (users/addressing.ts).
import { impAdminLink } from '../fix-links';
import type { AffectedItem, CheckDefinition } from '../types';
import { errorItem, listText, outcome, plural } from './helpers';
import { addressingOf, majority, peerMeshes } from './ic-common';

export const DOMAIN_NOT_SET = 'DOMAIN.NOT.SET';

export const icDefaultDomain: CheckDefinition = {
  id: 'IC-DOMAIN',
  section: 'Inter-clustering Troubleshooter',
  title: 'Verify the default domain is set and is the same on all intercluster peers.',
  description:
    'Reads each IM&P cluster\'s default domain from its users\' UserID@[Default_Domain] IM addresses (IMPulse\'s inference: Cisco names no database source) and fails when it is DOMAIN.NOT.SET or differs between peered clusters. Under the Directory URI scheme the default domain appears in no IM address, so such clusters are not compared.',
  needs: ['users'],
  readiness: true,
  evaluate(ctx) {
    const items: AffectedItem[] = [];
    let compared = 0;
    for (const mesh of peerMeshes(ctx.clusters)) {
      const known = mesh.flatMap((c) => {
        const r = ctx.data.users?.clusters.get(c.name);
        if (r && !r.ok) items.push(errorItem('IC-DOMAIN', c.name, c.publisher, `end users (AXL): ${r.error?.message}`));
        const d = addressingOf(ctx, c.name)?.defaultDomain;
        return d ? [{ cluster: c, domain: d }] : [];
      });
      compared += known.length;
      const set = known.filter((k) => k.domain.toUpperCase() !== DOMAIN_NOT_SET);
      const differ = new Set(set.map((k) => k.domain.toLowerCase())).size > 1;
      // With no majority (e.g. two peers that disagree) every cluster of the mesh is named.
      const expected = majority(set.map((k) => k.domain.toLowerCase()));
      for (const k of known) {
        const notSet = k.domain.toUpperCase() === DOMAIN_NOT_SET;
        if (!notSet && (!differ || k.domain.toLowerCase() === expected)) continue;
        const others = known.filter((o) => o !== k && (expected ? o.domain.toLowerCase() === expected : true)).map((o) => `${o.cluster.name}${expected ? '' : ` (${o.domain})`}`);
        items.push({
          kind: 'cluster',
          key: `${k.cluster.name}|${k.domain.toLowerCase()}`,
          status: 'failed',
          cluster: k.cluster.name,
          label: k.cluster.name,
          group: mesh.map((c) => c.name).join(', '),
          detail: notSet
            ? `Default domain is ${DOMAIN_NOT_SET}: the system failed to retrieve the default domain value during installation.`
            : expected
              ? `Default domain ${k.domain}; its peers ${listText(others)} use ${expected}.`
              : `Default domain ${k.domain}; its peers: ${listText(others)}.`,
          data: { defaultDomain: k.domain },
        });
      }
    }
    if (compared === 0 && items.length === 0) {
      return { status: 'skipped', summary: 'No cluster shows its default domain', skippedWhy: 'Every cluster in scope uses the Directory URI IM address scheme (or has no users): the default domain appears in no IM address, and Cisco names no other source for it.', items: [] };
    }
    return outcome(items, {
      pass: 'The default domain is set, and the same on every peered cluster.',
      summary: (f) => `${plural(f.length, 'cluster')} with a default domain that is not set or differs from ${f.length === 1 ? 'its' : 'their'} peers'`,
      problem:
        'The IM and Presence default domain value on the local cluster must match the IM and Presence default domain value on the remote cluster to ensure that intercluster functionality will work correctly. IM and Presence automatically defaults to the domain value DOMAIN.NOT.SET; on both the local and remote cluster you must replace this default value with a valid domain value.',
      solution:
        'Set the default domain on each cluster (Cisco Unified CM IM and Presence Administration > Presence > Settings > Advanced Configuration > Default Domain). Disable High Availability first and stop Cisco Client Profile Agent, Cisco XCP Router, Cisco Sync Agent, Cisco SIP Proxy and Cisco Presence Engine; a system update can take up to 1 hour to complete. Then restart the services and the XCP feature services, and regenerate the cup-xmpp-s2s certificate if you use TLS XMPP federation.',
      fix: items.flatMap((i) => {
        const c = ctx.inventory.clusters.find((x) => x.name === i.cluster);
        const l = c && impAdminLink(c, '/cupadmin/', `fix: Presence > Settings > Advanced Configuration (${c.name})`);
        return l ? [l] : [];
      }),
    });
  },
};
