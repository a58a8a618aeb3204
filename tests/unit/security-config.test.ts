// The auth block and server.tls in impulse.config.yaml: no sign-in refused off loopback (naming
// the setting), literal secrets refused, the LDAP and proxy settings a mode needs, and every
// security secret known to the secret check (so it is resolved, reported by reference, redacted).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authModeProblem, isLoopbackHost, parseAddressOrCidr } from '../../config/auth-check';
import { ConfigError, parseConfigText } from '../../config/load';
import { checkSecrets, secretSites } from '../../config/secrets';

const cluster = `clusters:
  - name: imp01
    product: imp
    publisher: imp01-pub
    credentials: { axl: { username: axl, password: env:AXL } }
`;

function issues(yaml: string): string[] {
  try {
    parseConfigText(cluster + yaml, 'impulse.config.yaml', { checkFiles: false });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map((i) => `${i.line}:${i.field}: ${i.message}`);
  }
}

describe('auth configuration', () => {
  it('refuses auth.mode none on a non-loopback address, naming the setting and the address', () => {
    const out = issues('server: { listen: "0.0.0.0:3000" }\nauth: { mode: none }\n');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^7:auth\.mode: auth\.mode: none \(no sign-in\) is only allowed while listening on loopback .* server\.listen is 0\.0\.0\.0:3000, which is reachable on every network interface; set auth\.mode to local, ldap or proxy/);
    expect(issues('server: { listen: "10.1.2.3:3000" }\nauth: { mode: none }\n')[0]).toMatch(/reachable on 10\.1\.2\.3/);
    expect(issues('server: { listen: ":3000" }\nauth: { mode: none }\n')).toHaveLength(1);
    expect(issues('server: { listen: "127.0.0.1:3000" }\nauth: { mode: none }\n')).toEqual([]);
    expect(issues('server: { listen: "[::1]:3000" }\nauth: { mode: none }\n')).toEqual([]);
    expect(issues('auth: { mode: none }\n')).toEqual([]); // default listen is 127.0.0.1:3000
    expect(issues('server: { listen: "0.0.0.0:3000" }\nauth: { mode: local }\n')).toEqual([]);
  });

  it('checks the listening address of a --listen override the same way', () => {
    expect(authModeProblem('none', '0.0.0.0:0', '--listen 0.0.0.0:0')).toMatch(/but --listen 0\.0\.0\.0:0 is 0\.0\.0\.0:0/);
    expect(authModeProblem('none', 'localhost:0')).toBeUndefined();
    expect(authModeProblem('local', '0.0.0.0:1')).toBeUndefined();
    expect(['127.0.0.1', '127.9.9.9', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '', '10.0.0.1', 'example.com', '128.0.0.1'].some(isLoopbackHost)).toBe(false);
  });

  it('refuses literal secrets and names what each mode is missing', () => {
    const out = issues(`server:
  tls: { certificate: c.pem, key: k.pem, passphrase: hunter2hunter2 }
auth:
  mode: ldap
  session: { key: literal-session-key-literal-session-key, idleTimeout: 2h, absoluteTimeout: 1h }
  ldap:
    url: ldaps://dc1.example.com
    bindDn: cn=svc,dc=example,dc=com
    password: plain-text
    userFilter: (uid=alice)
    roles: { admin: [] }
`);
    const text = out.join('\n');
    expect(text).toMatch(/server\.tls\.passphrase: a literal passphrase is not allowed/);
    expect(text).toMatch(/auth\.session\.key: a literal session key is not allowed/);
    expect(text).toMatch(/auth\.session\.idleTimeout: must not be longer than auth\.session\.absoluteTimeout/);
    expect(text).toMatch(/auth\.ldap\.password: a literal password is not allowed/);
    expect(text).toMatch(/auth\.ldap\.baseDn: required with bindDn/);
    expect(text).toMatch(/auth\.ldap\.userFilter: must contain \{username\}/);
    expect(text).toMatch(/auth\.ldap\.roles: name at least one group/);
    expect(text).not.toMatch(/hunter2|plain-text|literal-session-key/);
    expect(issues('auth: { mode: ldap }\n').join()).toMatch(/auth: auth\.mode: ldap needs an auth\.ldap block/);
    expect(issues('auth: { mode: proxy }\n').join()).toMatch(/auth\.mode: proxy needs an auth\.proxy block/);
    expect(issues('auth: { mode: proxy, proxy: { trustedProxies: [10.0.0.0/8, "300.1.1.1", "fd00::/200"] } }\n').join('\n')).toMatch(
      /trustedProxies\[1\]: expected an IP address or CIDR.*\n.*trustedProxies\[2\]/,
    );
    expect(issues('auth: { mode: sso }\n')[0]).toMatch(/auth\.mode: expected one of "local", "ldap", "proxy", "none"/);
    expect(parseAddressOrCidr('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
  });

  it('resolves the security secrets with the others, reporting references, never values', () => {
    const loaded = parseConfigText(
      `${cluster}server:\n  tls: { certificate: c.pem, key: k.pem, passphrase: env:TLS_PASS }\nauth:\n  mode: ldap\n  session: { key: env:SESSION_KEY }\n  ldap: { url: "ldap://x", bindDn: "cn=s", password: "file:/nonexistent/pw", baseDn: "dc=x", roles: { viewer: [cn=v] } }\n`,
      'impulse.config.yaml',
      { checkFiles: false },
    );
    expect(secretSites(loaded.config).map((s) => s.path.join('.'))).toEqual(['clusters.0.credentials.axl.password', 'server.tls.passphrase', 'auth.session.key', 'auth.ldap.password']);
    const found = checkSecrets(loaded.config, { env: { AXL: 'a-secret', TLS_PASS: 'p' }, position: loaded.position });
    expect(found.map((i) => i.field)).toEqual(['auth.session.key', 'auth.ldap.password']);
    expect(found[1].message).toMatch(/secret file \/nonexistent\/pw \(from file:\/nonexistent\/pw\) does not exist/);
  });

  it('config check names the missing TLS files of server.tls', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'impulse-authcfg-'));
    const file = path.join(dir, 'impulse.config.yaml');
    writeFileSync(file, `${cluster}server:\n  listen: "0.0.0.0:3443"\n  tls: { certificate: tls/server.pem, key: tls/server.key }\n`);
    let out = '';
    try {
      execFileSync(process.execPath, [path.resolve(__dirname, '../../bin/impulse.mjs'), 'config', 'check', '--skip-secrets', file], { encoding: 'utf8' });
    } catch (err) {
      out = String((err as { stdout: string }).stdout);
    }
    expect(out).toMatch(/server\.tls\.certificate: .*tls\/server\.pem does not exist; expected a PEM file with the server certificate/);
    expect(out).toMatch(/server\.tls\.key: .*tls\/server\.key does not exist/);
  });
});
