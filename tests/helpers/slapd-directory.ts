// A real OpenLDAP slapd for tests, in a temp dir on a loopback address: LDAPS with a certificate from
// a throw-away CA, a read-only service account, and the entries a test gives as LDIF.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, waitForPort } from './net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makePki, type Leaf, type Pki } from '../unit/clients-helpers';

export const haveSlapd = existsSync('/usr/sbin/slapd') && existsSync('/usr/sbin/slapadd');

export interface Slapd {
  host: string;
  base: string;
  ldapPort: number;
  ldapsPort: number;
  pki: Pki;
  leaf: Leaf;
  /** The read-only account applications bind as. */
  bindDn: string;
  bindPassword: string;
  dir: string;
  stop(): Promise<void>;
}

/** Starts slapd with `entries` (LDIF records, without the base and the service account) under `base`. */
export async function startSlapd(o: { host: string; base?: string; entries: string[] }): Promise<Slapd> {
  const base = o.base ?? 'dc=example,dc=com';
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-slapd-'));
  mkdirSync(path.join(dir, 'db'));
  const pki = await makePki('Example Directory CA');
  const leaf = await pki.issue({ cn: 'ldap.example.com', ips: [o.host] });
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
      `suffix "${base}"`,
      `rootdn "cn=admin,${base}"`,
      'rootpw adminpw',
      `directory ${dir}/db`,
      'access to attrs=userPassword by anonymous auth by * none',
      'access to * by users read by * none',
      '',
    ].join('\n'),
  );
  const ldif = [
    `dn: ${base}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: ${base.split(',')[0].split('=')[1]}\n`,
    `dn: ou=users,${base}\nobjectClass: organizationalUnit\nou: users\n`,
    `dn: cn=cucm-sync,${base}\nobjectClass: person\nobjectClass: simpleSecurityObject\ncn: cucm-sync\nsn: sync\nuserPassword: reader-pw\n`,
    ...o.entries,
  ];
  writeFileSync(path.join(dir, 'data.ldif'), ldif.join('\n'));
  const add = spawnSync('/usr/sbin/slapadd', ['-f', path.join(dir, 'slapd.conf'), '-l', path.join(dir, 'data.ldif')], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`slapadd failed: ${add.stderr}`);
  const ldapPort = await freePort(o.host);
  const ldapsPort = await freePort(o.host);
  const proc: ChildProcess = spawn('/usr/sbin/slapd', ['-f', path.join(dir, 'slapd.conf'), '-h', `ldap://${o.host}:${ldapPort}/ ldaps://${o.host}:${ldapsPort}/`, '-d', '0'], { stdio: 'ignore' });
  await waitForPort(o.host, ldapPort, 10_000, 'slapd');
  await waitForPort(o.host, ldapsPort, 10_000, 'slapd');
  return {
    host: o.host,
    base,
    ldapPort,
    ldapsPort,
    pki,
    leaf,
    bindDn: `cn=cucm-sync,${base}`,
    bindPassword: 'reader-pw',
    dir,
    async stop() {
      if (proc.pid && proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
