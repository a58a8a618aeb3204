// A throwaway OpenLDAP slapd for sign-in tests: people, groups (groupOfNames, with the memberOf
// overlay), a service account, LDAP and LDAPS (a test CA) on a loopback address of the caller's.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, waitForPort } from './net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makePki, type Pki } from '../unit/clients-helpers';

export const haveSlapd = existsSync('/usr/sbin/slapd') && existsSync('/usr/lib/ldap/memberof.la') && existsSync('/usr/bin/ldapadd');
export const BASE = 'dc=example,dc=com';

export interface Slapd {
  host: string;
  port: number;
  tlsPort: number;
  pki: Pki;
  /** Where the CA certificate is written (PEM). */
  caFile: string;
  stop(): Promise<void>;
}

/**
 * people: uid → password; groups: cn → member uids (under ou=groups); the service account
 * cn=impulse-svc has `servicePassword`.
 */
export async function startSlapd(o: { host: string; people: Record<string, string>; groups: Record<string, string[]>; servicePassword: string }): Promise<Slapd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-slapd-'));
  mkdirSync(path.join(dir, 'db'));
  const pki = await makePki('Directory CA');
  const leaf = await pki.issue({ cn: 'ldap.example.com', ips: [o.host] });
  const caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, pki.caPem);
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
  const ldif = [
    `dn: ${BASE}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n`,
    `dn: ou=people,${BASE}\nobjectClass: organizationalUnit\nou: people\n`,
    `dn: ou=groups,${BASE}\nobjectClass: organizationalUnit\nou: groups\n`,
    `dn: cn=impulse-svc,${BASE}\nobjectClass: person\nobjectClass: simpleSecurityObject\ncn: impulse-svc\nsn: svc\nuserPassword: ${o.servicePassword}\n`,
    ...Object.entries(o.people).map(([uid, pw]) => `dn: uid=${uid},ou=people,${BASE}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\nuserPassword: ${pw}\n`),
    ...Object.entries(o.groups).map(([cn, members]) => `dn: cn=${cn},ou=groups,${BASE}\nobjectClass: groupOfNames\ncn: ${cn}\n${members.map((m) => `member: uid=${m},ou=people,${BASE}`).join('\n')}\n`),
  ].join('\n');
  writeFileSync(path.join(dir, 'data.ldif'), ldif, { mode: 0o600 });
  const port = await freePort(o.host);
  const tlsPort = await freePort(o.host);
  const proc: ChildProcess = spawn('/usr/sbin/slapd', ['-f', path.join(dir, 'slapd.conf'), '-h', `ldap://${o.host}:${port}/ ldaps://${o.host}:${tlsPort}/`, '-d', '0'], { stdio: 'ignore' });
  await waitForPort(o.host, port, 10_000, 'slapd');
  await waitForPort(o.host, tlsPort, 10_000, 'slapd');
  // Through the running server (not slapadd), so the memberOf overlay records the groups.
  const add = spawnSync('ldapadd', ['-x', '-H', `ldap://${o.host}:${port}`, '-D', `cn=admin,${BASE}`, '-w', 'adminpw', '-f', path.join(dir, 'data.ldif')], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`ldapadd failed: ${add.stderr}`);
  return {
    host: o.host,
    port,
    tlsPort,
    pki,
    caFile,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
