// Signing in against a real OpenLDAP slapd (127.150.3.1): bind as the user, found through a
// service account (memberOf groups) or a DN template (group search); roles from groups; one
// answer for an unknown user and a wrong password; an empty password (an anonymous bind that
// succeeds on most directories) refused; filter metacharacters in user names harmless; LDAPS
// verified against the directory's CA.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LdapAuthenticator, type LdapAuthOptions } from '../../server/security/ldap-auth';
import { makePki, type Pki } from '../unit/clients-helpers';

const HOST = '127.150.3.1';
const BASE = 'dc=example,dc=com';
const haveSlapd = existsSync('/usr/sbin/slapd') && existsSync('/usr/sbin/slapadd') && existsSync('/usr/lib/ldap/memberof.la');

let dir: string;
let slapd: ChildProcess | undefined;
let port: number;
let tlsPort: number;
let pki: Pki;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, HOST, r));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

async function waitForPort(p: number): Promise<void> {
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect({ host: HOST, port: p }, () => (c.destroy(), resolve(true)));
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`slapd did not listen on ${HOST}:${p}`);
}

beforeAll(async () => {
  if (!haveSlapd) return;
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-ldapauth-'));
  mkdirSync(path.join(dir, 'db'));
  pki = await makePki('Directory CA');
  const leaf = await pki.issue({ cn: 'ldap.example.com', ips: [HOST] });
  writeFileSync(path.join(dir, 'cert.pem'), leaf.certPem);
  writeFileSync(path.join(dir, 'key.pem'), leaf.keyPem, { mode: 0o600 });
  writeFileSync(
    path.join(dir, 'slapd.conf'),
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/nis.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'moduleload memberof',
      `pidfile ${dir}/slapd.pid`,
      `TLSCertificateFile ${dir}/cert.pem`,
      `TLSCertificateKeyFile ${dir}/key.pem`,
      'database mdb',
      'maxsize 10485760',
      `suffix "${BASE}"`,
      `rootdn "cn=admin,${BASE}"`,
      'rootpw adminpw',
      `directory ${dir}/db`,
      'overlay memberof',
      'access to attrs=userPassword by anonymous auth by * none',
      'access to * by users read by * none',
      '',
    ].join('\n'),
  );
  const person = (uid: string, pw: string) => `dn: uid=${uid},ou=people,${BASE}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\nuserPassword: ${pw}\n`;
  const group = (cn: string, members: string[]) => `dn: cn=${cn},ou=groups,${BASE}\nobjectClass: groupOfNames\ncn: ${cn}\n${members.map((m) => `member: uid=${m},ou=people,${BASE}`).join('\n')}\n`;
  const ldif = [
    `dn: ${BASE}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n`,
    `dn: ou=people,${BASE}\nobjectClass: organizationalUnit\nou: people\n`,
    `dn: ou=groups,${BASE}\nobjectClass: organizationalUnit\nou: groups\n`,
    `dn: cn=impulse-svc,${BASE}\nobjectClass: person\nobjectClass: simpleSecurityObject\ncn: impulse-svc\nsn: svc\nuserPassword: svc-password\n`,
    person('ann', 'ann-password-1'),
    person('olga', 'olga-password-1'),
    person('vic', 'vic-password-1'),
    person('nobody', 'nobody-password-1'),
    group('uc-admins', ['ann']),
    group('noc', ['olga', 'ann']),
    group('staff', ['vic', 'olga', 'nobody']),
  ].join('\n');
  writeFileSync(path.join(dir, 'data.ldif'), ldif);
  // slapadd bypasses overlays: load the entries through a running slapd so memberOf is maintained.
  port = await freePort();
  tlsPort = await freePort();
  slapd = spawn('/usr/sbin/slapd', ['-f', path.join(dir, 'slapd.conf'), '-h', `ldap://${HOST}:${port}/ ldaps://${HOST}:${tlsPort}/`, '-d', '0'], { stdio: 'ignore' });
  await waitForPort(port);
  await waitForPort(tlsPort);
  const add = spawnSync('ldapadd', ['-x', '-H', `ldap://${HOST}:${port}`, '-D', `cn=admin,${BASE}`, '-w', 'adminpw', '-f', path.join(dir, 'data.ldif')], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`ldapadd failed: ${add.stderr}`);
}, 60_000);

afterAll(async () => {
  if (slapd?.pid) {
    slapd.kill('SIGTERM');
    await new Promise((r) => slapd!.once('exit', r));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const roles = { admin: [`cn=uc-admins,ou=groups,${BASE}`], operator: [`CN=NOC, OU=groups, ${BASE.toUpperCase()}`], viewer: [`cn=staff,ou=groups,${BASE}`] };

function auth(over: Partial<LdapAuthOptions> = {}): LdapAuthenticator {
  return new LdapAuthenticator({
    url: `ldaps://${HOST}:${tlsPort}`,
    bindDn: `cn=impulse-svc,${BASE}`,
    password: () => 'svc-password',
    baseDn: `ou=people,${BASE}`,
    userFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
    groupAttribute: 'memberOf',
    groupFilter: '(member={dn})',
    roles,
    trust: { mode: 'ca', ca: pki.caPem, source: 'ca.pem' },
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
