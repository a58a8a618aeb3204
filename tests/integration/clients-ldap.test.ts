// LdapDirectory against a real OpenLDAP slapd started in a temp dir on 127.60.5.1:
// bind, paged search across pages, LDAPS verified against a CA / pinned leaf, typed errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LdapDirectory, type LdapDirectoryOptions } from '../../collectors/clients/ldap';
import type { RequestEvent } from '../../collectors/clients/hooks';
import { makePki } from '../unit/clients-helpers';
import { failure } from '../helpers/failure';
import { freePort } from '../helpers/net';
import { haveSlapd, startSlapd, type Slapd } from '../helpers/slapd-directory';

const HOST = '127.60.5.1';
const BASE = 'dc=example,dc=com';
const USERS = 1203;

let slapd: Slapd;
let ldapPort: number;
let ldapsPort: number;

beforeAll(async () => {
  if (!haveSlapd) return;
  const entries: string[] = [];
  for (let i = 1; i <= USERS; i++) {
    const uid = `user${String(i).padStart(5, '0')}`;
    const mail = i === 7 ? '' : `mail: ${uid}@example.com\n`;
    entries.push(`dn: uid=${uid},ou=users,${BASE}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: User ${i}\nsn: ${i}\n${mail}`);
  }
  slapd = await startSlapd({ host: HOST, base: BASE, entries });
  ldapPort = slapd.ldapPort;
  ldapsPort = slapd.ldapsPort;
}, 60_000);

afterAll(async () => {
  await slapd?.stop();
});

function directory(over: Partial<LdapDirectoryOptions> = {}): LdapDirectory {
  return new LdapDirectory({
    name: 'corp',
    url: `ldaps://${HOST}:${ldapsPort}`,
    bindDn: `cn=cucm-sync,${BASE}`,
    password: () => 'reader-pw',
    baseDn: `ou=users,${BASE}`,
    userFilter: '(objectClass=inetOrgPerson)',
    trust: { mode: 'ca', ca: slapd.pki.caPem, source: 'ca.pem' },
    pageSize: 250,
    timeoutMs: 5000,
    ...over,
  });
}

describe.skipIf(!haveSlapd)('LdapDirectory against slapd', () => {
  it('binds over verified LDAPS and pages through every user', async () => {
    const events: RequestEvent[] = [];
    const d = directory({ hooks: { onRequest: (e) => events.push(e) } });
    const pages: number[] = [];
    const users = [];
    for await (const page of d.users()) {
      pages.push(page.length);
      users.push(...page);
    }
    await d.close();
    expect(users).toHaveLength(USERS);
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(USERS / 250));
    expect(Math.max(...pages)).toBeLessThanOrEqual(250);
    const u42 = users.find((u) => u.userId === 'user00042');
    expect(u42).toEqual({ dn: `uid=user00042,ou=users,${BASE}`, userId: 'user00042', mail: 'user00042@example.com' });
    expect(users.find((u) => u.userId === 'user00007')?.mail).toBeUndefined();
    expect(events.filter((e) => e.operation === 'search').length).toBe(pages.length + 1);
    expect(events.every((e) => e.protocol === 'ldap' && e.outcome === 'ok')).toBe(true);
  });

  it('reads configurable attributes over plain ldap:// too', async () => {
    const d = directory({ url: `ldap://${HOST}:${ldapPort}`, userIdAttribute: 'cn', mailAttribute: 'sn', userFilter: '(uid=user0000*)' });
    const users = await d.listUsers();
    await d.close();
    expect(users.map((u) => u.userId).sort()).toEqual(['User 1', 'User 2', 'User 3', 'User 4', 'User 5', 'User 6', 'User 7', 'User 8', 'User 9']);
    expect(users.find((u) => u.userId === 'User 3')?.mail).toBe('3');
  });

  it('wrong password → auth', async () => {
    const d = directory({ password: () => 'nope' });
    const err = await failure(d.listUsers());
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('cn=cucm-sync');
    expect(err.message).not.toContain('nope');
  });

  it('an untrusted server certificate → tls; a pinned leaf passes', async () => {
    const other = await makePki('Not The Directory CA');
    const bad = directory({ trust: { mode: 'ca', ca: other.caPem, source: 'other.pem' } });
    expect((await failure(bad.listUsers())).kind).toBe('tls');
    const pinned = directory({ trust: { mode: 'fingerprints', fingerprints: new Set([slapd.leaf.fingerprint256]) }, userFilter: '(uid=user00001)' });
    expect(await pinned.listUsers()).toHaveLength(1);
    await pinned.close();
    const wrongPin = directory({ trust: { mode: 'fingerprints', fingerprints: new Set(['AB:'.repeat(31) + 'AB']) } });
    expect((await failure(wrongPin.listUsers())).kind).toBe('tls');
  });

  it('a missing base DN is a fault naming it; a closed port is connection', async () => {
    const d = directory({ baseDn: `ou=nobody,${BASE}` });
    const err = await failure(d.listUsers());
    await d.close();
    expect(err.kind).toBe('fault');
    expect(err.message).toContain('ou=nobody');
    const closed = directory({ url: `ldap://${HOST}:${await freePort(HOST)}` });
    expect((await failure(closed.listUsers())).kind).toBe('connection');
  });
});
