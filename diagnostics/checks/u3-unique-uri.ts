// U3 "Verify all users have a unique Directory URI configured." (reference/userid-uri-troubleshooter.md
// §3.2; alarms DuplicateDirectoryURI / DuplicateDirectoryURIWarning by scheme, §2.4). Compared ignoring
// case: "you cannot have both aaa@bbb.ccc and AAA@BBB.CCC" (KO 15135–15137).
import type { CheckDefinition } from '../types';
import { outcome, plural } from './helpers';
import { clusterErrors, endUserFixes, findingsOf, inScope, ldapSolution, RERUN, uriAlarmNote, userItem, usersOf } from './user-common';

export const u3UniqueUri: CheckDefinition = {
  id: 'U3',
  section: 'User Troubleshooter',
  title: 'Verify all users have a unique Directory URI configured.',
  description: 'Lists every directory URI held by more than one user across the fleet, compared ignoring case as Cisco requires, with each user\'s cluster and home node.',
  needs: ['users'],
  readiness: true,
  evaluate(ctx) {
    const ds = usersOf(ctx);
    const items = clusterErrors(ctx, 'U3');
    if (ds) {
      const t = ds.table;
      const keep = inScope(ctx, ds);
      for (const g of findingsOf(ds).duplicateUris) {
        if (!g.some(keep)) continue;
        const others = (r: number) => g.filter((x) => x !== r).map((x) => `${t.userid[x]} on ${t.clusterName(x)}/${t.nodeName(x)}`).join(', ');
        for (const r of g) {
          items.push(userItem(ctx, ds, r, { checkId: 'U3', group: t.uri[g[0]].trim(), detail: `Directory URI ${t.uri[r].trim()} is also held by ${others(r)}.`, ldapField: 'uri', field: 'Directory URI' }));
        }
      }
    }
    return outcome(items, {
      pass: 'Every directory URI is unique.',
      summary: (failing) => `${plural(new Set(failing.map((i) => (i.group ?? '').toLowerCase())).size, 'directory URI')} held by ${plural(failing.length, 'user')}`,
      problem: `Multiple users within the intercluster deployment are assigned the same directory URI value. Each user must be assigned a unique directory URI. ${uriAlarmNote(ctx, items, 'DuplicateDirectoryURI', 'DuplicateDirectoryURIWarning')}`,
      solution: `If the same user is assigned to two different clusters, then unassign the user from one of the clusters. If different users on different clusters have the same Directory URI assigned to them, then rename the Directory URI value for one of the users to ensure there is no longer any duplication (User Management > End User). ${ldapSolution(items)} ${RERUN}`,
      fix: endUserFixes(ctx, items),
    });
  },
};
