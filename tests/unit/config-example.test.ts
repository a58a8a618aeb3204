// examples/impulse.config.yaml is a working configuration: it validates, and once its referenced
// files and variables exist, every secret resolves and the inventory is what the comments say.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../config/load';
import { resolveLoaded } from '../../config/resolve';
import { checkSecrets } from '../../config/secrets';

const example = path.resolve(__dirname, '../../examples/impulse.config.yaml');
const env = {
  IMPULSE_CUCM_AXL_PASSWORD: 'cucm-axl-secret',
  IMPULSE_IMP_AXL_PASSWORD: 'imp-axl-secret',
  IMPULSE_METRICS_TOKEN: 'metrics-secret',
};
let dir: string;

/** A real self-signed CA certificate (openssl is a system dependency of the test suite). */
function selfSignedPem(into: string): string {
  const key = path.join(into, 'ca.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=UC Test CA', '-days', '1', '-keyout', key, '-out', path.join(into, 'ca.pem')], { stdio: 'ignore' });
  return readFileSync(path.join(into, 'ca.pem'), 'utf8');
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'impulse-example-'));
  copyFileSync(example, path.join(dir, 'impulse.config.yaml'));
  mkdirSync(path.join(dir, 'certs'));
  mkdirSync(path.join(dir, 'ssh'));
  mkdirSync(path.join(dir, 'secrets'));
  writeFileSync(path.join(dir, 'certs/uc-ca.pem'), selfSignedPem(dir));
  writeFileSync(path.join(dir, 'ssh/known_hosts'), '10.20.0.10 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGz0wP7c2n7m1m4h5mXQ0sJ8m5vJbJ2bJQy0o4l2q3r1\n');
  writeFileSync(path.join(dir, 'secrets/cucm-os-password'), 'cucm-os-secret\n');
  writeFileSync(path.join(dir, 'secrets/imp-os-password'), 'imp-os-secret\n');
});

describe('examples/impulse.config.yaml', () => {
  it('validates as shipped (schema and references), naming only the files a site must provide', () => {
    let issues: string[] = [];
    try {
      loadConfigFile(example);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      issues = err.issues.map((i) => `${i.field}: ${i.message}`);
    }
    // Only the site's own trust files are missing in the repository; nothing else is wrong.
    expect(issues.length).toBe(4);
    for (const i of issues) expect(i).toMatch(/^clusters\[[01]\]\.(tls\.caBundle: CA bundle .*certs\/uc-ca\.pem|ssh\.knownHosts: known_hosts file .*ssh\/known_hosts) does not exist/);
    expect(() => loadConfigFile(example, { checkFiles: false })).not.toThrow();
  });

  it('loads completely once its files and variables exist', () => {
    const loaded = loadConfigFile(path.join(dir, 'impulse.config.yaml'));
    expect(checkSecrets(loaded.config, { file: loaded.file, dir: loaded.dir, position: loaded.position, env })).toEqual([]);
    const inv = resolveLoaded(loaded);
    expect(inv.clusters.map((c) => [c.name, c.product, c.nodes.length])).toEqual([
      ['cucm-hq', 'cucm', 2],
      ['imp-hq', 'imp', 4],
    ]);
    const imp = inv.clusters[1];
    expect(imp.cucmCluster).toBe('cucm-hq');
    expect(imp.groups.map((g) => [g.name, g.nodes.length, g.haEnabled])).toEqual([
      ['DefaultCUPSubcluster', 2, true],
      ['Subcluster-2', 2, true],
    ]);
    expect(imp.nodes.map((n) => n.group)).toEqual(['DefaultCUPSubcluster', 'DefaultCUPSubcluster', 'Subcluster-2', 'Subcluster-2']);
    expect(imp.tls).toMatchObject({ mode: 'ca', caFile: path.join(dir, 'certs/uc-ca.pem') });
    expect(imp.ssh.knownHostsFile).toBe(path.join(dir, 'ssh/known_hosts'));
    expect(imp.perfmon.requestsPerMinute).toBe(80);
    expect(inv.clusters[0].perfmon.requestsPerMinute).toBe(50);
    expect(imp.polling.ha).toBe(15);
    expect(inv.clusters[0].polling.ha).toBe(30);
  });

  it('reports each unresolvable secret by reference, never by value', () => {
    const loaded = loadConfigFile(path.join(dir, 'impulse.config.yaml'));
    const issues = checkSecrets(loaded.config, { file: 'x.yaml', dir: path.join(dir, 'elsewhere'), position: loaded.position, env: { IMPULSE_CUCM_AXL_PASSWORD: 'cucm-axl-secret' } });
    expect(issues.map((i) => i.field)).toEqual([
      'clusters[0].credentials.os.password',
      'clusters[1].credentials.axl.password',
      'clusters[1].credentials.os.password',
      'server.metricsToken',
    ]);
    expect(issues[1].message).toMatch(/environment variable IMPULSE_IMP_AXL_PASSWORD \(from env:IMPULSE_IMP_AXL_PASSWORD\) is not set/);
    expect(issues[0].message).toMatch(/secret file .*elsewhere\/secrets\/cucm-os-password \(from file:secrets\/cucm-os-password\) does not exist/);
    expect(issues[1].line).toBeGreaterThan(60);
    expect(JSON.stringify(issues)).not.toMatch(/cucm-axl-secret|imp-os-secret/);
  });
});
