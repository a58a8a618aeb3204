// The reports: the users report reproduces Cisco's `utils users validate all` sample verbatim (and
// reads back with IMPulse's own parser of that command), CSV is escaped, the readiness verdicts and
// the self-contained HTML export.
import { describe, expect, it } from 'vitest';
import { parseUsersValidate } from '../../../collectors/parsers/users-validate';
import { csvField } from '../../../diagnostics/report/csv';
import type { ReportCheck } from '../../../diagnostics/report/items';
import { readinessHtml } from '../../../diagnostics/report/readiness-html';
import { usersCsv, usersValidateText } from '../../../diagnostics/report/users-report';
import { overallReadiness, READINESS_CHECKLIST, readinessVerdicts } from '../../../diagnostics/readiness';

const check = (checkId: string, items: ReportCheck['items']): ReportCheck => ({ checkId, section: 'User Troubleshooter', title: checkId, status: items.length ? 'failed' : 'passed', summary: '', items });

// reference/userid-uri-troubleshooter.md §2.8, verbatim (the two captures printed one after the other).
const SAMPLE = `Users with Duplicate User IDs
---------------------------------------------
 User ID: user3
  Node Name
  cucm-imp-1
  cucm-imp-2

Users with No Directory URI Configured
-----------------------------------------------------
 Node Name: cucm-imp-2
 User ID
 user4
Users with Invalid Directory URI Configured
-----------------------------------------------------
 Node Name: cucm-imp-2
 User ID   Directory URI
 user1     asdf@ASDF@asdf@ADSF@cisco
Users with Duplicate Directory URIs
----------------------------------------------------- 
Directory URI: user1@cisco.com
 Node Name   User ID
 cucm-imp-1  user4
 cucm-imp-2  user3
`;

describe('users report', () => {
  const checks = [
    check('U1', [
      { status: 'failed', cluster: 'c1', node: 'cucm-imp-1', label: 'user3', group: 'user3' },
      { status: 'failed', cluster: 'c2', node: 'cucm-imp-2', label: 'user3', group: 'user3' },
    ]),
    check('U2', [{ status: 'failed', cluster: 'c2', node: 'cucm-imp-2', label: 'user4' }]),
    check('U4', [{ status: 'failed', cluster: 'c2', node: 'cucm-imp-2', label: 'user1', data: { directoryUri: 'asdf@ASDF@asdf@ADSF@cisco' } }]),
    check('U3', [
      { status: 'failed', cluster: 'c1', node: 'cucm-imp-1', label: 'user4', group: 'user1@cisco.com' },
      { status: 'failed', cluster: 'c2', node: 'cucm-imp-2', label: 'user3', group: 'user1@cisco.com' },
    ]),
  ];

  it("prints Cisco's layout verbatim", () => {
    expect(usersValidateText(checks)).toBe(SAMPLE);
  });

  it('reads back with the parser of `utils users validate all`', () => {
    const r = parseUsersValidate(usersValidateText(checks));
    expect(r.duplicateUserIds).toMatchObject([{ userId: 'user3', nodes: ['cucm-imp-1', 'cucm-imp-2'] }]);
    expect(r.noDirectoryUri).toMatchObject([{ node: 'cucm-imp-2', userId: 'user4' }]);
    expect(r.invalidDirectoryUri).toMatchObject([{ node: 'cucm-imp-2', userId: 'user1', directoryUri: 'asdf@ASDF@asdf@ADSF@cisco' }]);
    expect(r.duplicateDirectoryUris).toMatchObject([{ directoryUri: 'user1@cisco.com', users: [{ node: 'cucm-imp-1', userId: 'user4' }, { node: 'cucm-imp-2', userId: 'user3' }] }]);
  });

  it('prints the empty sections when every user is valid, and leaves Error rows out', () => {
    const text = usersValidateText([check('U1', [{ status: 'error', cluster: 'imp02', node: 'imp02-pub', label: 'imp02-pub', detail: 'no answer' }])]);
    expect(text.split('\n').filter((l) => /^Users with/.test(l))).toHaveLength(4);
    expect(text).not.toContain('imp02');
  });

  it('CSV quotes and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    const csv = usersCsv(checks);
    expect(csv.split('\r\n')[0]).toBe('check,test,cluster,node,user_id,directory_uri,mail_id,im_address,shared_value,detail,ldap_directory,ldap_dn,fix');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + 6);
  });
});

describe('readiness', () => {
  const clusters = [
    { name: 'cucm01', product: 'cucm' as const },
    { name: 'imp01', product: 'imp' as const },
    { name: 'imp02', product: 'imp' as const },
  ];
  const results = [
    { checkId: 'U1', title: 'Verify all users have a unique User ID configured.', section: 'User Troubleshooter', status: 'failed' as const, items: [{ status: 'failed', cluster: 'imp01', label: 'jsmith', detail: 'dup' }, { status: 'failed', cluster: 'imp02', label: 'jsmith', detail: 'dup' }] },
    { checkId: 'CERT-EXPIRING', title: 'certs', section: 'Certificates', status: 'warning' as const, items: [{ status: 'warning', cluster: 'cucm01', label: 'tomcat on cucm01-pub' }] },
    { checkId: 'REPL-STATE', title: 'repl', section: 'Database Replication', status: 'passed' as const, items: [] },
  ];
  it('a cluster with a failed item is No-Go with the reason; warnings keep Go', () => {
    const r = readinessVerdicts(clusters, results, 14);
    expect(r.clusters.map((c) => `${c.cluster}:${c.verdict}`)).toEqual(['cucm01:Go', 'imp01:No-Go', 'imp02:No-Go']);
    expect(r.clusters[1].reasons[0]).toMatchObject({ checkId: 'U1', status: 'failed', count: 1, examples: ['jsmith — dup'] });
    expect(r.clusters[0].reasons[0]).toMatchObject({ checkId: 'CERT-EXPIRING', status: 'warning' });
    expect(overallReadiness(r, []).verdict).toBe('No-Go');
    const go = readinessVerdicts(clusters, [results[1]], 14);
    expect(overallReadiness(go, []).verdict).toBe('Checklist pending');
    expect(overallReadiness(go, READINESS_CHECKLIST.map((i) => ({ itemId: i.id, checked: true, by: 'x', address: null, at: 1, note: null }))).verdict).toBe('Go');
  });

  it('the HTML report is self-contained and escapes what it prints', () => {
    const report = readinessVerdicts(clusters, [{ ...results[0], items: [{ status: 'failed', cluster: 'imp01', label: '<script>alert(1)</script>' }] }], 14);
    const html = readinessHtml({ runId: 7, startedAt: 0, finishedAt: 1, actor: 'anonymous', origin: 'dashboard', report, results: [{ ...results[0], summary: 's', items: [{ status: 'failed', cluster: 'imp01', label: '<script>alert(1)</script>' }] }], checklist: [{ itemId: 'drs-backup', checked: true, by: 'ops', address: null, at: 1000, note: null }] });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)=["']https?:/);
    expect(html).toContain('No-Go');
    expect(html).toContain('☑');
    expect(html).toContain('1 of 6 manual checklist items confirmed');
  });
});
