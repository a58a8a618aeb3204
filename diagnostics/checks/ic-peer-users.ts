// Associated users (reference/userid-uri-troubleshooter.md §3.3, §6 A18; topology.md §2.6): "Make
// sure that the Associated Users value equals the number of users on the remote cluster." Cisco shows
// Associated Users only on the Intercluster Peer Status panel, which no documented API exposes. The
// remote side is known (each peer's assigned users, read through AXL); the local side is compared
// when the peers observation carries it (`associatedUsers` per peer), otherwise the check is Skipped
// and lists the remote counts to compare on the panel.
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';

export const icPeerUsers: CheckDefinition = {
  id: 'IC-PEER-USERS',
  section: 'Inter-clustering Troubleshooter',
  title: 'Verify the Associated Users of each intercluster peer equal the users on the remote cluster.',
  description:
    'Compares, for each intercluster peer, the Associated Users the local cluster reports with the users the remote cluster has assigned (read through AXL on the remote publisher). Associated Users appears only on the Intercluster Peer Status panel: when the collector has no reading of it, the check is Skipped and names the counts to compare.',
  needs: ['peers', 'users'],
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'peers', 'IC-PEER-USERS');
    const items: AffectedItem[] = [...errors];
    const remoteCount = (peer: string) => {
      const r = ctx.data.users?.clusters.get(peer);
      return r?.ok ? r.assigned : undefined;
    };
    let compared = 0;
    const hints: string[] = [];
    for (const r of ok) {
      for (const p of r.value.peers) {
        const remote = remoteCount(p.peer);
        const associated = (p as { associatedUsers?: number }).associatedUsers;
        if (remote === undefined) continue;
        if (typeof associated !== 'number') {
          hints.push(`${r.cluster.name} → ${p.peer}: ${remote.toLocaleString('en-US')}`);
          continue;
        }
        compared++;
        if (associated === remote) continue;
        items.push({ kind: 'peer', key: `${r.cluster.name}|${p.peer}`, status: 'failed', cluster: r.cluster.name, label: p.peer, detail: `Associated Users ${associated.toLocaleString('en-US')}, but ${p.peer} has ${remote.toLocaleString('en-US')} users assigned.`, data: { associatedUsers: associated, remoteUsers: remote } });
      }
    }
    if (compared === 0 && items.length === 0) {
      return {
        status: 'skipped',
        summary: hints.length ? `Associated Users should read: ${hints.slice(0, 8).join('; ')}${hints.length > 8 ? '; …' : ''}` : 'No intercluster peers in scope',
        skippedWhy: hints.length
          ? 'Associated Users appears only on the Intercluster Peer Status panel (Presence > Inter-Clustering), which no documented API exposes: compare it there with the remote user counts listed.'
          : 'No IM&P cluster in scope has intercluster peers.',
        items: [],
      };
    }
    return outcome(items, {
      pass: 'Every peer\'s Associated Users equals the users on the remote cluster.',
      summary: (f) => `${plural(f.length, 'intercluster peer')} whose Associated Users differ from the remote cluster`,
      problem: 'Make sure that the Associated Users value equals the number of users on the remote cluster. A difference means the intercluster sync of users is incomplete.',
      solution: 'On Presence > Inter-Clustering select the peer and click Force Manual Sync; wait 60 seconds for the Inter-cluster Peer Status panel to auto-refresh. If the count still differs, restart the Cisco Intercluster Sync Agent service on the IM and Presence database publisher node (utils service restart Cisco Intercluster Sync Agent).',
    });
  },
};
