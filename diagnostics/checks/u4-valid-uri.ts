// U4 "Verify all users have a valid Directory URI configured." (reference/userid-uri-troubleshooter.md
// §3.2): "A URI that is not in the user@domain format is an invalid Directory URI." (EN s11652). The
// exact grammar is IMPulse's (users/syntax.ts): one @, a user part without blanks, a domain valid by
// Cisco's IM domain rules.
import type { CheckDefinition } from '../types';
import { outcome, plural } from './helpers';
import { clusterErrors, endUserFixes, findingsOf, inScope, ldapSolution, RERUN, uriAlarmNote, userItem, usersOf } from './user-common';

export const u4ValidUri: CheckDefinition = {
  id: 'U4',
  section: 'User Troubleshooter',
  title: 'Verify all users have a valid Directory URI configured.',
  description:
    'Lists every directory URI not in the user@domain format: more or fewer than one @, a blank in the user part, or a domain that breaks Cisco\'s IM domain rules (letters, digits, hyphen and dot; no label starting with a hyphen; the last label not starting with a digit). Cisco gives no grammar beyond user@domain: these rules are IMPulse\'s reading of it.',
  needs: ['users'],
  readiness: true,
  evaluate(ctx) {
    const ds = usersOf(ctx);
    const items = clusterErrors(ctx, 'U4');
    if (ds) {
      const keep = inScope(ctx, ds);
      for (const { row, reason } of findingsOf(ds).invalidUri) {
        if (keep(row)) items.push(userItem(ctx, ds, row, { checkId: 'U4', group: ds.table.nodeName(row), detail: `Directory URI ${ds.table.uri[row]}: ${reason}.`, ldapField: 'uri', field: 'Directory URI' }));
      }
    }
    return outcome(items, {
      pass: 'Every directory URI is in the user@domain format.',
      summary: (failing) => `${plural(failing.length, 'user')} with an invalid directory URI`,
      problem: `One or more users within the deployment are assigned an invalid or empty directory URI value. A URI that is not in the user@domain format is an invalid Directory URI. ${uriAlarmNote(ctx, items, 'InvalidDirectoryURI', 'InvalidDirectoryURIWarning')}`,
      solution: `If the user information is invalid or empty, proceed to correct the user's Directory URI information using the Cisco Unified Communications Manager Administration GUI (User Management > End User). ${ldapSolution(items)} ${RERUN}`,
      fix: endUserFixes(ctx, items),
    });
  },
};
