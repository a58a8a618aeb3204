// U5 "Verify all users have a unique Mail ID configured." (reference/userid-uri-troubleshooter.md §3.2;
// EN s11791–11796). No alarm is named for it. Mail IDs are compared ignoring case; empty ones are not
// compared ("make sure the e-mail ID field on the Active Directory server is unique or left blank", KO 4634).
import type { CheckDefinition } from '../types';
import { outcome, plural } from './helpers';
import { clusterErrors, endUserFixes, findingsOf, inScope, RERUN, userItem, usersOf } from './user-common';

export const u5UniqueMail: CheckDefinition = {
  id: 'U5',
  section: 'User Troubleshooter',
  title: 'Verify all users have a unique Mail ID configured.',
  description: 'Lists every mail ID held by more than one user across the fleet (ignoring case; empty mail IDs are allowed), with each user\'s cluster and home node.',
  needs: ['users'],
  readiness: true,
  evaluate(ctx) {
    const ds = usersOf(ctx);
    const items = clusterErrors(ctx, 'U5');
    if (ds) {
      const t = ds.table;
      const keep = inScope(ctx, ds);
      for (const g of findingsOf(ds).duplicateMail) {
        if (!g.some(keep)) continue;
        const others = (r: number) => g.filter((x) => x !== r).map((x) => `${t.userid[x]} on ${t.clusterName(x)}/${t.nodeName(x)}`).join(', ');
        for (const r of g) items.push(userItem(ctx, ds, r, { checkId: 'U5', group: t.mail[g[0]].trim(), detail: `Mail ID ${t.mail[r].trim()} is also held by ${others(r)}.`, ldapField: 'mail', field: 'Mail ID' }));
      }
    }
    const fromLdap = items.filter((i) => i.data?.ldapDn);
    return outcome(items, {
      pass: 'Every mail ID is unique.',
      summary: (failing) => `${plural(new Set(failing.map((i) => (i.group ?? '').toLowerCase())).size, 'mail ID')} held by ${plural(failing.length, 'user')}`,
      problem: 'The same Mail ID is configured for more than one user. Duplicate mail IDs impact both Email Address for Federation and Exchange Calendar integration features.',
      solution: `Correct the Mail ID of one of the users in Cisco Unified Communications Manager (User Management > End User). For users whose data you sync from LDAP, make sure the e-mail ID field on the directory server is unique or left blank${
        fromLdap.length ? ` and apply the fix in the LDAP Directory server (${fromLdap.slice(0, 3).map((i) => String(i.data!.ldapDn)).join('; ')}${fromLdap.length > 3 ? '; …' : ''})` : ''
      }. ${RERUN}`,
      fix: endUserFixes(ctx, items),
    });
  },
};
