// IM address collisions (reference/userid-uri-troubleshooter.md §6 A6, §2.2 "Cross-namespace
// collision"): "The UserID@Default_Domain IM address must be unique and cannot match existing IM
// addresses, directory URIs, or UserIDs. Otherwise, errors will result" (EN s2842); "The directory URI
// must be unique and cannot match an existing IM address, directory URI, or UserID" (EN s2877); with
// UPN user IDs and the Directory URI scheme, "the directory URI must be different from the UserID"
// (EN s2878). Cisco's troubleshooter shows no separate test for it: IMPulse reports it beside U1–U5
// (the "duplicate or overlapping directory URIs and userIDs" the Data Monitor looks for, EN s2980).
import type { CheckDefinition } from '../types';
import { outcome, plural } from './helpers';
import { clusterErrors, endUserFixes, findingsOf, inScope, ldapSolution, RERUN, userItem, usersOf } from './user-common';

export const u6ImAddressCollision: CheckDefinition = {
  id: 'U6',
  section: 'User Troubleshooter',
  title: 'Verify no IM address overlaps another user\'s IM address, Directory URI or User ID.',
  description:
    'Builds each user\'s IM address as IM&P reports it (enduser.imaddress) and lists every value that is one user\'s IM address and another user\'s directory URI or UPN-form user ID (and, under the Directory URI scheme, a UPN user ID equal to the user\'s own directory URI). Plain duplicates of one field are U1 and U3.',
  needs: ['users'],
  readiness: true,
  evaluate(ctx) {
    const ds = usersOf(ctx);
    const items = clusterErrors(ctx, 'U6');
    if (ds) {
      const t = ds.table;
      const keep = inScope(ctx, ds);
      for (const c of findingsOf(ds).collisions) {
        if (!c.entries.some((e) => keep(e.row))) continue;
        const rows = [...new Set(c.entries.map((e) => e.row))];
        for (const r of rows) {
          const fields = c.entries.filter((e) => e.row === r).map((e) => e.field);
          const others = c.entries.filter((e) => e.row !== r).map((e) => `the ${e.field} of ${t.userid[e.row]} on ${t.clusterName(e.row)}`);
          const detail = others.length
            ? `${fields.join(' and ')} ${c.value} is also ${[...new Set(others)].join(', ')}.`
            : `User ID ${t.userid[r]} equals the user's own Directory URI under the Directory URI IM address scheme.`;
          items.push(userItem(ctx, ds, r, { checkId: 'U6', group: c.value, detail, ldapField: fields.includes('User ID') ? 'userid' : 'uri', field: fields.join(', ') }));
        }
      }
    }
    return outcome(items, {
      pass: 'No IM address overlaps another user\'s IM address, directory URI or user ID.',
      summary: (failing) => `${plural(new Set(failing.map((i) => (i.group ?? '').toLowerCase())).size, 'address')} shared between the IM address, directory URI or user ID of ${plural(failing.length, 'user')}`,
      problem:
        'The UserID@Default_Domain IM address must be unique and cannot match existing IM addresses, directory URIs, or UserIDs. The directory URI must be unique and cannot match an existing IM address, directory URI, or UserID. Otherwise, errors will result.',
      solution: `Rename the Directory URI (or the User ID) of one of the users so that no IM address, directory URI or user ID is shared (User Management > End User). If any user IDs are in UPN format and Directory URI is the IM address scheme, the directory URI must be different from the user ID. ${ldapSolution(items)} ${RERUN}`,
      fix: endUserFixes(ctx, items),
    });
  },
};
