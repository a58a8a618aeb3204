// The LDAP cross-check (reference/userid-uri-troubleshooter.md §6 A15) against a real slapd started
// here: the users the checks flag are looked up by user ID over verified LDAPS; where the offending
// value is the directory entry's, the item names the entry's DN and the Solution says to apply the fix
// in the LDAP Directory server. A directory that refuses the bind costs the cross-check, not the run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryLdap } from '../../config/resolve';
import type { LabUser } from '../../lab/model';
import { haveSlapd, startSlapd, type Slapd } from '../helpers/slapd-directory';
import { startDiagRig, type DiagRig } from './diagnostics-rig';

const BASE = 'dc=example,dc=com';
let rig: DiagRig;
let slapd: Slapd;
let fault: string;
/** The duplicated user whose user ID comes from LDAP, and the one whose directory URI does. */
let fromLdapId: LabUser;
let fromLdapUri: LabUser;

function directory(password: string): InventoryLdap {
  return {
    name: 'corp',
    url: `ldaps://${slapd.host}:${slapd.ldapsPort}`,
    bindDn: slapd.bindDn,
    password: { ref: password, inlineAllowed: true, dir: '/' },
    baseDn: `ou=users,${BASE}`,
    userFilter: '(objectClass=inetOrgPerson)',
    userIdAttribute: 'uid',
    mailAttribute: 'mail',
    tls: { mode: 'ca', caFile: 'ca.pem', caPem: slapd.pki.caPem },
  };
}

beforeAll(async () => {
  if (!haveSlapd) return;
  rig = await startDiagRig({ addressBase: '127.135', clusters: 2, nodes: 1, users: 300 });
  fault = rig.fault('duplicate-users', 'imp02', { count: 4, field: 'both', from: 'imp01' });
  // Users of imp02 that took an imp01 value: even picks took a user ID, odd ones a directory URI.
  const dir = rig.lab.deployment.cluster('imp02')!.users;
  const altered = (dir as unknown as { alteredIndices(): number[] }).alteredIndices().map((i) => dir.user(i));
  const base = (u: LabUser) => (dir as unknown as { base(i: number): LabUser }).base(dir.indexOf(u.userid));
  fromLdapId = altered.find((u) => u.userid !== base(u).userid)!;
  fromLdapUri = altered.find((u) => u.directoryuri !== base(u).directoryuri)!;
  const entry = (uid: string, mail: string) => `dn: uid=${uid},ou=users,${BASE}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\nmail: ${mail}\n`;
  slapd = await startSlapd({
    host: '127.135.250.1',
    base: BASE,
    entries: [entry(fromLdapId.userid, fromLdapId.directoryuri), entry(fromLdapUri.userid, fromLdapUri.directoryuri), entry('nobody-flagged', 'nobody@example.com')],
  });
}, 120_000);

afterAll(async () => {
  if (fault) rig.clear(fault);
  await rig?.stop();
  await slapd?.stop();
});

describe.skipIf(!haveSlapd)('LDAP cross-check against slapd', () => {
  it('names the LDAP entry of every flagged value that comes from LDAP, and says to fix it there', async () => {
    rig.inventory.ldap = [directory('reader-pw')];
    const out = await rig.run(['U1', 'U3']);
    expect(out.summary.ldap).toEqual([{ name: 'corp', ok: true, lookedUp: 6, found: 2 }]);
    const u1 = out.results.find((r) => r.checkId === 'U1')!;
    const withDn = u1.items.filter((i) => i.data?.ldapDn).map((i) => `${i.cluster}:${i.label}:${i.data!.ldapDn}`);
    // Both users holding the duplicated ID match the entry's uid: the ID comes from LDAP on both clusters.
    expect(withDn.sort()).toEqual([`imp01:${fromLdapId.userid}:uid=${fromLdapId.userid},ou=users,${BASE}`, `imp02:${fromLdapId.userid}:uid=${fromLdapId.userid},ou=users,${BASE}`]);
    expect(u1.solution).toContain(`apply the fix in the LDAP Directory server (entry uid=${fromLdapId.userid},ou=users,${BASE})`);
    const u3 = out.results.find((r) => r.checkId === 'U3')!;
    // Only the imp02 user whose URI is the entry's mail: the imp01 holder of the same URI is another user.
    expect(u3.items.filter((i) => i.data?.ldapDn).map((i) => `${i.cluster}:${i.label}`)).toEqual([`imp02:${fromLdapUri.userid}`]);
    expect(u3.solution).toContain(`uid=${fromLdapUri.userid},ou=users,${BASE}`);
  });

  it('a directory that refuses the bind is reported, and the checks still run without it', async () => {
    rig.inventory.ldap = [directory('wrong-password')];
    const out = await rig.run(['U1']);
    expect(out.status).toBe('completed');
    expect(out.summary.ldap).toEqual([expect.objectContaining({ name: 'corp', ok: false, error: expect.stringMatching(/^auth: .*invalid credentials/) })]);
    const u1 = out.results[0];
    expect(u1.status).toBe('failed');
    expect(u1.items.filter((i) => i.data?.ldapDn)).toEqual([]);
    expect(JSON.stringify(out)).not.toContain('wrong-password');
  });
});
