// prometheus: in impulse.config.yaml — one block, checked like the rest: a token only by
// reference, no credentials in the URL, TLS only for https and in one mode; resolved into the
// inventory with its trust, and its token checked by `impulse config check` without showing it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { command as configCommand } from '../../cli/commands/config';
import { ConfigError, parseConfig, type ConfigIssue } from '../../config/load';
import { resolveInventory } from '../../config/resolve';
import { checkSecrets } from '../../config/secrets';

const dir = mkdtempSync(path.join(tmpdir(), 'impulse-config-prom-'));
const base = `clusters:
  - name: cucm01
    product: cucm
    publisher: cucm01-pub
    credentials:
      axl: { username: axl, password: env:AXL_PW }
`;

function issues(text: string): ConfigIssue[] {
  try {
    parseConfig(text, 'site.yaml', { dir });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}

describe('prometheus config', () => {
  it('resolves url, token reference, TLS trust and timeout', () => {
    writeFileSync(path.join(dir, 'prom-ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const cfg = parseConfig(`${base}prometheus:\n  url: https://prom.example.com:9090/prefix/\n  bearerToken: file:prom-token\n  tls: { caBundle: prom-ca.pem }\n  timeout: 20s\n`, 'site.yaml', { dir });
    const inv = resolveInventory(cfg, { dir });
    expect(inv.prometheus).toMatchObject({ url: 'https://prom.example.com:9090/prefix', bearerToken: { ref: 'file:prom-token', inlineAllowed: false, dir }, tls: { mode: 'ca', caFile: path.join(dir, 'prom-ca.pem') }, timeout: 20 });
    const plain = resolveInventory(parseConfig(`${base}prometheus: { url: 'http://127.0.0.1:9090' }\n`, 'site.yaml', { dir }), { dir });
    expect(plain.prometheus).toEqual({ url: 'http://127.0.0.1:9090', bearerToken: undefined, tls: { mode: 'system' }, timeout: 10 });
    expect(resolveInventory(parseConfig(base, 'site.yaml', { dir }), { dir }).prometheus).toBeUndefined();
  });

  it('rejects a literal token, credentials in the URL, TLS on http and conflicting TLS modes', () => {
    const found = issues(`${base}prometheus:\n  url: http://admin:pw@prom:9090\n  bearerToken: abc123\n  tls: { insecure: true, caBundle: x.pem }\n`);
    const by = (f: string) => found.filter((i) => i.field === f).map((i) => i.message);
    expect(by('prometheus.bearerToken')).toEqual(['a literal token is not allowed: use env:NAME or file:/path']);
    expect(by('prometheus.url')).toEqual([expect.stringMatching(/credentials in the URL are not allowed/)]);
    expect(by('prometheus.tls')).toEqual([expect.stringMatching(/conflicting TLS modes/), expect.stringMatching(/tls applies to an https:\/\/ URL/)]);
    expect(found.find((i) => i.field === 'prometheus.bearerToken')?.line).toBe(9);
    expect(issues(`${base}prometheus: { url: prom:9090 }\n`).map((i) => [i.field, i.message])).toEqual([['prometheus.url', expect.stringMatching(/an http:\/\/ or https:\/\/ URL/)]]);
    expect(issues(`${base}prometheus: { url: 'http://p:9090', step: 5 }\n`).map((i) => i.field)).toEqual(['prometheus.step']);
  });

  it('config check resolves the token reference and names it, never its value', () => {
    const cfg = parseConfig(`${base}prometheus: { url: 'http://p:9090', bearerToken: 'env:PROM_TOKEN' }\n`, 'site.yaml', { dir });
    expect(checkSecrets(cfg, { env: { AXL_PW: 'x', PROM_TOKEN: 'sekret' } })).toEqual([]);
    const missing = checkSecrets(cfg, { env: { AXL_PW: 'x' } });
    expect(missing.map((i) => [i.field, i.message])).toEqual([['prometheus.bearerToken', expect.stringMatching(/environment variable PROM_TOKEN \(from env:PROM_TOKEN\) is not set/)]]);
  });
});

describe('impulse config check with prometheus', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('says where chart history comes from, warns of an unverified Prometheus, never prints the token', async () => {
    const file = path.join(dir, 'with-prom.yaml');
    writeFileSync(file, `${base}prometheus:\n  url: https://prom.example.com:9090\n  bearerToken: env:PROM_TOKEN_CHECK\n  tls: { insecure: true }\n`);
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    vi.stubEnv('AXL_PW', 'x');
    vi.stubEnv('PROM_TOKEN_CHECK', 'very-secret-token');
    expect(await configCommand.run(['check', file])).toBe(0);
    expect(out).toMatch(/^ok: 1 cluster .*2 secrets resolved, chart history from Prometheus at https:\/\/prom\.example\.com:9090/);
    expect(out).toMatch(/warning: TLS verification is off \(insecure: true\) for prometheus/);
    expect(out).not.toContain('very-secret-token');
  });
});
