// Signing in against a real OpenLDAP slapd (127.150.3.1): bind as the user, found through a
// service account (memberOf groups) or a DN template (group search); roles from groups; one
// answer for an unknown user and a wrong password; an empty password (an anonymous bind that
// succeeds on most directories) refused; filter metacharacters in user names harmless; LDAPS
// verified against the directory's CA.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LdapAuthenticator, type LdapAuthOptions } from '../../server/security/ldap-auth';
import { BASE, haveSlapd, startSlapd, type Slapd } from '../helpers/slapd';
import { makePki } from '../unit/clients-helpers';
import net from 'node:net';

const HOST = '127.150.3.1';
let ldap: Slapd;

beforeAll(async () => {
  if (!haveSlapd) return;
  ldap = await startSlapd({
    host: HOST,
    servicePassword: 'svc-password',
    people: { ann: 'ann-password-1', olga: 'olga-password-1', vic: 'vic-password-1', nobody: 'nobody-password-1' },
    groups: { 'uc-admins': ['ann'], noc: ['olga', 'ann'], staff: ['vic', 'olga', 'nobody'] },
  });
}, 60_000);

afterAll(async () => {
  await ldap?.stop();
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, HOST, r));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

const roles = { admin: [`cn=uc-admins,ou=groups,${BASE}`], operator: [`CN=NOC, OU=groups, ${BASE.toUpperCase()}`], viewer: [`cn=staff,ou=groups,${BASE}`] };

function auth(over: Partial<LdapAuthOptions> = {}): LdapAuthenticator {
  return new LdapAuthenticator({
    url: `ldaps://${HOST}:${ldap.tlsPort}`,
    bindDn: `cn=impulse-svc,${BASE}`,
    password: () => 'svc-password',
    baseDn: `ou=people,${BASE}`,
    userFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
    groupAttribute: 'memberOf',
    groupFilter: '(member={dn})',
    roles,
    trust: { mode: 'ca', ca: ldap.pki.caPem, source: 'ca.pem' },
    timeoutMs: 5000,
    ...over,
  });
}

describe.skipIf(!haveSlapd)('LDAP sign-in against slapd', () => {
  it('binds as the user found by the service account; the highest role of their groups wins', async () => {
    const a = auth();
    expect(await a.authenticate('ann', 'ann-password-1')).toMatchObject({ ok: true, user: 'ann', role: 'admin' });
    expect(await a.authenticate('olga', 'olga-password-1')).toMatchObject({ ok: true, role: 'operator' });
    expect(await a.authenticate('vic', 'vic-password-1')).toMatchObject({ ok: true, role: 'viewer' });
  });

  it('gives one answer for an unknown user and a wrong password, and refuses an empty password', async () => {
    const a = auth();
    const wrong = await a.authenticate('ann', 'not-it');
    const unknown = await a.authenticate('zed', 'ann-password-1');
    expect(wrong).toMatchObject({ ok: false, reason: 'invalid' });
    expect(unknown).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await a.authenticate('ann', '')).toMatchObject({ ok: false, reason: 'invalid' });
    // A filter metacharacter is a literal: '*' does not match every user.
    expect(await a.authenticate('*', 'ann-password-1')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await a.authenticate('ann)(uid=*', 'ann-password-1')).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses a user in no mapped group, after checking the password', async () => {
    const a = auth({ roles: { admin: roles.admin, operator: roles.operator } });
    expect(await a.authenticate('nobody', 'nobody-password-1')).toMatchObject({ ok: false, reason: 'norole' });
    expect(await a.authenticate('nobody', 'wrong')).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('works without a service account: a DN template and a group search as the user', async () => {
    const a = auth({ bindDn: undefined, password: undefined, baseDn: undefined, userDn: `uid={username},ou=people,${BASE}`, groupAttribute: 'description', groupBaseDn: `ou=groups,${BASE}` });
    expect(await a.authenticate('olga', 'olga-password-1')).toMatchObject({ ok: true, role: 'operator' });
    expect(await a.authenticate('olga', 'nope')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await a.authenticate('x,ou=people', 'nope')).toMatchObject({ ok: false });
  });

  it('says the directory is unavailable (not that the password is wrong) when it cannot be used', async () => {
    expect(await auth({ password: () => 'wrong-service-password' }).authenticate('ann', 'ann-password-1')).toMatchObject({ ok: false, reason: 'unavailable', detail: expect.stringMatching(/service account .* cannot bind: invalid credentials/) });
    const other = await makePki('Some Other CA');
    const untrusted = await auth({ trust: { mode: 'ca', ca: other.caPem, source: 'other.pem' } }).authenticate('ann', 'ann-password-1');
    expect(untrusted).toMatchObject({ ok: false, reason: 'unavailable' });
    const closed = await auth({ url: `ldap://${HOST}:${await freePort()}`, timeoutMs: 2000 }).authenticate('ann', 'ann-password-1');
    expect(closed).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(JSON.stringify([untrusted, closed])).not.toMatch(/ann-password-1|svc-password/);
  });
});
