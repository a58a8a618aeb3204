// U2 "Verify all users have a Directory URI configured." (reference/userid-uri-troubleshooter.md
// §3.2; alarms InvalidDirectoryURI / InvalidDirectoryURIWarning by IM address scheme, §2.4; CLI section
// "Users with No Directory URI Configured", §2.8). Users not assigned to an IM&P node are not checked.
import type { CheckDefinition } from '../types';
import { outcome, plural } from './helpers';
import { clusterErrors, endUserFixes, findingsOf, inScope, ldapSolution, RERUN, uriAlarmNote, userItem, usersOf } from './user-common';

export const u2UriConfigured: CheckDefinition = {
  id: 'U2',
  section: 'User Troubleshooter',
  title: 'Verify all users have a Directory URI configured.',
  description: 'Lists every user assigned to an IM&P node whose directory URI is empty, with its cluster and home node.',
  needs: ['users'],
  readiness: true,
  evaluate(ctx) {
    const ds = usersOf(ctx);
    const items = clusterErrors(ctx, 'U2');
    if (ds) {
      const keep = inScope(ctx, ds);
      for (const r of findingsOf(ds).noUri) {
        if (keep(r)) items.push(userItem(ctx, ds, r, { checkId: 'U2', group: ds.table.nodeName(r), detail: 'No Directory URI configured.', ldapField: 'uri', field: 'Directory URI' }));
      }
    }
    return outcome(items, {
      pass: 'Every user has a directory URI.',
      summary: (failing) => `${plural(failing.length, 'user')} with no directory URI configured`,
      problem: `One or more users within the deployment are assigned an invalid or empty directory URI value. ${uriAlarmNote(ctx, items, 'InvalidDirectoryURI', 'InvalidDirectoryURIWarning')}`,
      solution: `If the user information is invalid or empty, proceed to correct the user's Directory URI information using the Cisco Unified Communications Manager Administration GUI (User Management > End User), or map the Directory URI to an LDAP attribute (System > LDAP > LDAP Directory). ${ldapSolution(items)} ${RERUN}`,
      fix: endUserFixes(ctx, items),
    });
  },
};
