// U1 "Verify all users have a unique User ID configured." (reference/userid-uri-troubleshooter.md
// §3.2; alarm DuplicateUserid, §2.4). Duplicates are only possible across clusters (EN s11547).
// User IDs are compared ignoring case: no source says how Cisco compares them (§1.4), and a user ID
// that differs only in case is the same sign-in name to CUCM (IMPulse's choice).
import type { CheckDefinition } from '../types';
import { outcome, plural } from './helpers';
import { clusterErrors, endUserFixes, findingsOf, inScope, ldapSolution, RERUN, userItem, usersOf } from './user-common';

export const u1UniqueUserId: CheckDefinition = {
  id: 'U1',
  section: 'User Troubleshooter',
  title: 'Verify all users have a unique User ID configured.',
  description:
    'Reads every IM&P cluster\'s end users through AXL and lists every user ID held by more than one user across the fleet (compared ignoring case), with each user\'s cluster and home node. The same user on two clusters and two users sharing an ID are told apart by their mail and directory URI.',
  needs: ['users'],
  readiness: true,
  evaluate(ctx) {
    const ds = usersOf(ctx);
    const items = clusterErrors(ctx, 'U1');
    if (ds) {
      const t = ds.table;
      const f = findingsOf(ds);
      const keep = inScope(ctx, ds);
      for (const g of f.duplicateUserIds) {
        if (!g.some(keep)) continue;
        const clusters = new Set(g.map((r) => t.cluster[r]));
        // The same person on two clusters carries the same mail or directory URI there.
        const same = (col: string[]) => new Set(g.map((r) => col[r].trim().toLowerCase())).size === 1 && col[g[0]].trim() !== '';
        const sameUser = same(t.mail) || same(t.uri);
        const where = g.map((r) => `${t.clusterName(r)}/${t.nodeName(r)}`).join(', ');
        const detail = sameUser
          ? `The same user is assigned to ${clusters.size} clusters (${where}): unassign the user from one of the clusters.`
          : `Different users share this user ID (${where}): rename the UserID value for one of the users.`;
        for (const r of g) items.push(userItem(ctx, ds, r, { checkId: 'U1', group: t.userid[g[0]], detail, ldapField: 'userid', field: 'User ID' }));
      }
    }
    return outcome(items, {
      pass: 'Every user has a unique user ID.',
      summary: (failing) => `${plural(new Set(failing.map((i) => (i.group ?? '').toLowerCase())).size, 'user ID')} held by ${plural(failing.length, 'user')} on different clusters`,
      problem:
        'Duplicate user IDs are assigned to one or more users on different clusters within the intercluster deployment. Each user within the intercluster deployment must have a unique user ID. (Alarm DuplicateUserid: take immediate action to correct the issue.)',
      solution: `If the same user is assigned to two different clusters, then unassign the user from one of the clusters. If different users on different clusters have the same User ID assigned to them, then rename the UserID value for one of the users to ensure there is no longer any duplication. You can modify the user records in Cisco Unified Communications Manager using the End User Configuration window (User Management > End User). ${ldapSolution(items)} ${RERUN}`,
      fix: endUserFixes(ctx, items),
    });
  },
};
