// User IDs and directory URIs: the Cisco IM and Presence Data Monitor's alerts, from the same
// report an administrator runs (`utils users validate all` on each IM&P publisher). Which of a
// pair fires depends on the IM address scheme (reference/userid-uri-troubleshooter.md §2.4):
// the alert under Directory URI ("take immediate action"), the …Warning under UserID@Default_Domain
// ("no immediate action is required; however, Cisco recommends that you resolve the issue").
import { metrics } from '../../collectors/metrics/catalogue';
import { oneOf, Q } from '../language';
import { s, type AlertRule, type ImAddressScheme, type RuleTest } from '../rule';
import { L, t, V } from '../template';

const P = { cluster: 'imp01', node: 'imp01-pub' };
const issues = (issue: string, values: string, cluster = P.cluster) => s(metrics.userValidationIssues, { cluster, node: `${cluster}-pub`, issue }, values);

const duplicateUris = () => Q.metric(metrics.userValidationIssues, { issue: 'duplicate directory uri' }).gt(0).maxBy('cluster', 'node');
const invalidUris = () => Q.metric(metrics.userValidationIssues, { issue: oneOf(['invalid directory uri', 'no directory uri']) }).sumBy('cluster', 'node').gt(0);

const SOURCE = 'Cisco IM and Presence Data Monitor alerts: reference/userid-uri-troubleshooter.md §2.4, §2.9; counters-certs-replication.md §2';

function schemeTests(scheme: ImAddressScheme, kind: 'duplicate' | 'invalid'): RuleTest[] {
  const firing =
    kind === 'duplicate' ? [issues('duplicate directory uri', '0 3x10')] : [issues('invalid directory uri', '0 2x10'), issues('no directory uri', '0 5x10')];
  return [
    { name: `${kind} directory URIs under ${scheme}`, params: { imAddressScheme: scheme }, series: firing, at: 5, expect: [P] },
    { name: `no ${kind} directory URIs (other issue types only)`, params: { imAddressScheme: scheme }, series: [issues(kind === 'duplicate' ? 'duplicate directory uri' : 'invalid directory uri', '0x10'), issues('duplicate userid', '2x10')], at: 5, expect: [] },
  ];
}

export const userRules: AlertRule[] = [
  {
    name: 'DuplicateUserid',
    origin: 'cisco',
    group: 'users',
    severity: 'critical',
    for: 0,
    condition: () => Q.metric(metrics.userValidationIssues, { issue: 'duplicate userid' }).gt(0).maxBy('cluster', 'node'),
    summary: t`${V.int} user IDs of cluster ${L.cluster} are duplicated in another cluster`,
    description: t`utils users validate all on ${L.node} (cluster ${L.cluster}) reports ${V.int} user IDs assigned to users on different clusters of the intercluster deployment. Each user must have a unique user ID: Cisco says take immediate action to avoid communications disruptions. Unassign a user that is on two clusters from one of them, or rename one of two different users, in Cisco Unified CM (User Management > End User) or in LDAP when the field is synchronised.`,
    source: SOURCE,
    tests: [
      { name: 'duplicate user IDs', series: [issues('duplicate userid', '0 4x10')], at: 3, expect: [P] },
      { name: 'none (other issue types only)', series: [issues('duplicate userid', '0x10'), issues('no directory uri', '7x10')], at: 3, expect: [] },
    ],
  },
  {
    name: 'DuplicateDirectoryURI',
    origin: 'cisco',
    group: 'users',
    severity: 'critical',
    for: 0,
    appliesTo: (p) => p.imAddressScheme === 'Directory URI',
    condition: duplicateUris,
    summary: t`Directory URIs of cluster ${L.cluster} are duplicated (Directory URI scheme)`,
    description: t`utils users validate all on ${L.node} (cluster ${L.cluster}) reports ${V.int} directory URIs assigned to more than one user. With the Directory URI IM address scheme the directory URI is the user's IM address: take immediate action. Rename the directory URI of one of the users (or unassign a user present on two clusters), in Cisco Unified CM or in LDAP.`,
    source: SOURCE,
    tests: schemeTests('Directory URI', 'duplicate'),
  },
  {
    name: 'DuplicateDirectoryURIWarning',
    origin: 'cisco',
    group: 'users',
    severity: 'warning',
    for: 0,
    appliesTo: (p) => p.imAddressScheme === 'UserID@Default_Domain',
    condition: duplicateUris,
    summary: t`Directory URIs of cluster ${L.cluster} are duplicated (UserID@Default_Domain scheme)`,
    description: t`utils users validate all on ${L.node} (cluster ${L.cluster}) reports ${V.int} directory URIs assigned to more than one user. With the UserID@Default_Domain IM address scheme no immediate action is required; however, Cisco recommends that you resolve the issue (and it must be resolved before a move to the Directory URI scheme).`,
    source: SOURCE,
    tests: schemeTests('UserID@Default_Domain', 'duplicate'),
  },
  {
    name: 'InvalidDirectoryURI',
    origin: 'cisco',
    group: 'users',
    severity: 'critical',
    for: 0,
    appliesTo: (p) => p.imAddressScheme === 'Directory URI',
    condition: invalidUris,
    summary: t`${V.int} users of cluster ${L.cluster} have an empty or invalid directory URI (Directory URI scheme)`,
    description: t`utils users validate all on ${L.node} (cluster ${L.cluster}) reports ${V.int} users whose directory URI is empty or not in the user@domain format. With the Directory URI IM address scheme these users have no valid IM address: take immediate action and correct their directory URIs in Cisco Unified CM (User Management > End User) or in LDAP.`,
    source: SOURCE,
    tests: schemeTests('Directory URI', 'invalid'),
  },
  {
    name: 'InvalidDirectoryURIWarning',
    origin: 'cisco',
    group: 'users',
    severity: 'warning',
    for: 0,
    appliesTo: (p) => p.imAddressScheme === 'UserID@Default_Domain',
    condition: invalidUris,
    summary: t`${V.int} users of cluster ${L.cluster} have an empty or invalid directory URI (UserID@Default_Domain scheme)`,
    description: t`utils users validate all on ${L.node} (cluster ${L.cluster}) reports ${V.int} users whose directory URI is empty or not in the user@domain format. With the UserID@Default_Domain IM address scheme no immediate action is required; however, Cisco recommends that you resolve the issue.`,
    source: SOURCE,
    tests: schemeTests('UserID@Default_Domain', 'invalid'),
  },
];
