// LdapDirectory against a real OpenLDAP slapd started in a temp dir on 127.60.5.1:
// bind, paged search across pages, LDAPS verified against a CA / pinned leaf, typed errors.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LdapDirectory, type LdapDirectoryOptions } from '../../collectors/clients/ldap';
import type { RequestEvent } from '../../collectors/clients/hooks';
import { makePki, type Leaf, type Pki } from '../unit/clients-helpers';
import { failure } from '../helpers/failure';

const HOST = '127.60.5.1';
const BASE = 'dc=example,dc=com';
const USERS = 1203;
const haveSlapd = existsSync('/usr/sbin/slapd') && existsSync('/usr/sbin/slapadd');

let dir: string;
let slapd: ChildProcess | undefined;
let ldapPort: number;
let ldapsPort: number;
let pki: Pki;
let leaf: Leaf;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, HOST, r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect({ host: HOST, port }, () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`slapd did not listen on ${HOST}:${port}`);
}

beforeAll(async () => {
  if (!haveSlapd) return;
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-slapd-'));
  mkdirSync(path.join(dir, 'db'));
  pki = await makePki('Example Directory CA');
  leaf = await pki.issue({ cn: 'ldap.example.com', ips: [HOST] });
  writeFileSync(path.join(dir, 'ca.pem'), pki.caPem);
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
      `pidfile ${dir}/slapd.pid`,
      `TLSCertificateFile ${dir}/cert.pem`,
      `TLSCertificateKeyFile ${dir}/key.pem`,
      'sizelimit unlimited',
      'database mdb',
      'maxsize 104857600',
      `suffix "${BASE}"`,
      `rootdn "cn=admin,${BASE}"`,
      'rootpw adminpw',
      `directory ${dir}/db`,
      'access to attrs=userPassword by anonymous auth by * none',
      'access to * by users read by * none',
      '',
    ].join('\n'),
  );
  const ldif: string[] = [
    `dn: ${BASE}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n`,
    `dn: ou=users,${BASE}\nobjectClass: organizationalUnit\nou: users\n`,
    `dn: cn=cucm-sync,${BASE}\nobjectClass: person\nobjectClass: simpleSecurityObject\ncn: cucm-sync\nsn: sync\nuserPassword: reader-pw\n`,
  ];
  for (let i = 1; i <= USERS; i++) {
    const uid = `user${String(i).padStart(5, '0')}`;
    const mail = i === 7 ? '' : `mail: ${uid}@example.com\n`;
    ldif.push(`dn: uid=${uid},ou=users,${BASE}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: User ${i}\nsn: ${i}\n${mail}`);
  }
  writeFileSync(path.join(dir, 'data.ldif'), ldif.join('\n'));
  const add = spawnSync('/usr/sbin/slapadd', ['-f', path.join(dir, 'slapd.conf'), '-l', path.join(dir, 'data.ldif')], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`slapadd failed: ${add.stderr}`);
  ldapPort = await freePort();
  ldapsPort = await freePort();
  slapd = spawn('/usr/sbin/slapd', ['-f', path.join(dir, 'slapd.conf'), '-h', `ldap://${HOST}:${ldapPort}/ ldaps://${HOST}:${ldapsPort}/`, '-d', '0'], { stdio: 'ignore' });
  await waitForPort(ldapPort, 10_000);
  await waitForPort(ldapsPort, 10_000);
}, 60_000);

afterAll(async () => {
  if (slapd?.pid) {
    slapd.kill('SIGTERM');
    await new Promise((r) => slapd!.once('exit', r));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function directory(over: Partial<LdapDirectoryOptions> = {}): LdapDirectory {
  return new LdapDirectory({
    name: 'corp',
    url: `ldaps://${HOST}:${ldapsPort}`,
    bindDn: `cn=cucm-sync,${BASE}`,
    password: () => 'reader-pw',
    baseDn: `ou=users,${BASE}`,
    userFilter: '(objectClass=inetOrgPerson)',
    trust: { mode: 'ca', ca: pki.caPem, source: 'ca.pem' },
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
    const pinned = directory({ trust: { mode: 'fingerprints', fingerprints: new Set([leaf.fingerprint256]) }, userFilter: '(uid=user00001)' });
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
    const closed = directory({ url: `ldap://${HOST}:${await freePort()}` });
    expect((await failure(closed.listUsers())).kind).toBe('connection');
  });
});
