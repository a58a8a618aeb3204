// impulse.config.yaml errors: every one names file, line, field and what was expected.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatIssue, loadConfig, parseConfig, type ConfigIssue } from '../../config/load';

const dir = mkdtempSync(path.join(tmpdir(), 'impulse-config-'));

function issues(text: string): ConfigIssue[] {
  try {
    parseConfig(text, 'site.yaml', { dir });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected the config to be rejected');
}

function one(text: string, field: string): ConfigIssue {
  const found = issues(text).filter((i) => i.field === field);
  expect(found, `issues for ${field}: ${issues(text).map(formatIssue).join('\n')}`).toHaveLength(1);
  return found[0];
}

// A valid two-cluster config; tests replace single lines. Line numbers are 1-based.
const valid = `clusters:
  - name: cucm01
    product: cucm
    publisher: cucm01-pub
    nodes:
      - name: cucm01-pub
        host: 10.0.0.2
    credentials:
      axl: { username: axl, password: env:AXL_PW }
  - name: imp01
    product: imp
    publisher: imp01-pub
    cucmCluster: cucm01
    nodes:
      - { name: imp01-pub, host: 10.0.1.10, role: publisher }
      - { name: imp01-sub1, host: 10.0.1.11 }
    presenceRedundancyGroups:
      - { name: g1, nodes: [imp01-pub, imp01-sub1], haEnabled: true }
    credentials:
      axl: { username: axl, password: env:AXL_PW }
    polling:
      ha: 15s
`;
const replaceLine = (n: number, line: string) => valid.split('\n').map((l, i) => (i === n - 1 ? line : l)).join('\n');
const insertAfter = (n: number, lines: string) => valid.split('\n').flatMap((l, i) => (i === n - 1 ? [l, ...lines.split('\n')] : [l])).join('\n');

describe('parseConfig', () => {
  it('accepts the valid base config and parses durations to seconds', () => {
    const cfg = parseConfig(valid, 'site.yaml', { dir });
    expect(cfg.clusters.map((c) => c.name)).toEqual(['cucm01', 'imp01']);
    expect(cfg.clusters[1].polling?.ha).toBe(15);
  });

  it('reports YAML syntax errors with their line and a hint', () => {
    const tabbed = issues('clusters:\n\t- name: x\n');
    expect(tabbed[0]).toMatchObject({ file: 'site.yaml', line: 2, column: 1 });
    expect(tabbed[0].message).toMatch(/tabs are not allowed.*indent with spaces/);
    const dup = issues(replaceLine(4, '    product: imp'));
    expect(dup[0]).toMatchObject({ line: 4 });
    expect(dup[0].message).toMatch(/duplicate key 'product'/);
    const indent = issues(replaceLine(4, '   publisher: cucm01-pub'));
    expect(indent[0].line).toBe(4);
    expect(indent[0].message).toMatch(/^YAML: .*indentation/);
  });

  it('reports an empty file', () => {
    expect(issues('# nothing yet\n')[0].message).toMatch(/empty.*clusters:/);
  });

  it('points at an unknown field and suggests the near miss', () => {
    const i = one(replaceLine(7, '        hots: 10.0.0.2'), 'clusters[0].nodes[0].hots');
    expect(i).toMatchObject({ line: 7, column: 9 });
    expect(i.message).toBe("unknown field 'hots'; did you mean 'host'?");
  });

  it('says where a field belongs when it is written one level too high', () => {
    const i = one(insertAfter(12, '    knownHosts: ssh/known_hosts'), 'clusters[1].knownHosts');
    expect(i.line).toBe(13);
    expect(i.message).toMatch(/'knownHosts' belongs under 'ssh:'/);
  });

  it('lists the known fields when nothing is close', () => {
    const i = one(insertAfter(12, '    colour: blue'), 'clusters[1].colour');
    expect(i.message).toMatch(/expected one of name, product, publisher/);
  });

  it('reports wrong types with the value found', () => {
    const i = one(replaceLine(15, '      - { name: imp01-pub, host: 10.0.1.10, role: publisher, ports: { https: "eighty" } }'), 'clusters[1].nodes[0].ports.https');
    expect(i.line).toBe(15);
    expect(i.message).toBe('expected a number, got "eighty"');
    const list = one(valid.replace('    nodes:\n      - name: cucm01-pub\n        host: 10.0.0.2', '    nodes: cucm01-pub'), 'clusters[0].nodes');
    expect(list).toMatchObject({ line: 5, message: 'expected a list, got "cucm01-pub"' });
  });

  it('reports bad enum values with the allowed ones', () => {
    const i = one(replaceLine(11, '    product: cups'), 'clusters[1].product');
    expect(i).toMatchObject({ line: 11, column: 14 });
    expect(i.message).toBe('expected one of "cucm", "imp", got "cups"');
  });

  it('reports bad durations', () => {
    const i = one(replaceLine(22, '      ha: 15 seconds'), 'clusters[1].polling.ha');
    expect(i.line).toBe(22);
    expect(i.message).toMatch(/expected a duration such as 30s, 5m, 1h or 1d .*got "15 seconds"/);
    expect(one(replaceLine(22, '      ha: -5'), 'clusters[1].polling.ha').message).toMatch(/got -5/);
  });

  it('reports a missing required field at its parent', () => {
    const i = one(replaceLine(4, ''), 'clusters[0].publisher');
    expect(i.line).toBe(2);
    expect(i.message).toBe('required; expected a string');
  });

  it('reports duplicate clusters, nodes, groups and addresses', () => {
    expect(one(replaceLine(10, '  - name: cucm01'), 'clusters[1].name').message).toMatch(/duplicate cluster name 'cucm01' \(also clusters\[0\]\)/);
    expect(one(replaceLine(16, '      - { name: imp01-pub, host: 10.0.1.11 }'), 'clusters[1].nodes[1].name').message).toMatch(/duplicate node name 'imp01-pub'/);
    const twoGroups = insertAfter(18, '      - { name: g1, nodes: [imp01-sub1] }');
    expect(one(twoGroups, 'clusters[1].presenceRedundancyGroups[1].name').message).toMatch(/duplicate presence redundancy group name 'g1'/);
    expect(one(twoGroups, 'clusters[1].presenceRedundancyGroups[1].nodes[0]').message).toMatch(/already in group 'g1'/);
    const addr = one(replaceLine(16, '      - { name: imp01-sub1, host: 10.0.1.10 }'), 'clusters[1].nodes[1].host');
    expect(addr).toMatchObject({ line: 16 });
    expect(addr.message).toMatch(/address 10.0.1.10:8443 is also used by node imp01\/imp01-pub/);
  });

  it('reports dangling references', () => {
    const pub = one(replaceLine(12, '    publisher: imp01-pubb'), 'clusters[1].publisher');
    expect(pub).toMatchObject({ line: 12, column: 16 });
    expect(pub.message).toBe("publisher 'imp01-pubb' is not one of this cluster's nodes (imp01-pub, imp01-sub1)");
    const grp = one(replaceLine(18, '      - { name: g1, nodes: [imp01-pub, imp01-sub2] }'), 'clusters[1].presenceRedundancyGroups[0].nodes[1]');
    expect(grp.line).toBe(18);
    expect(grp.message).toMatch(/node 'imp01-sub2' is not one of this cluster's nodes/);
    expect(one(replaceLine(13, '    cucmCluster: cucm02'), 'clusters[1].cucmCluster').message).toMatch(/'cucm02' is not a cluster of this configuration; expected .*product: cucm/);
    expect(one(replaceLine(13, '    cucmCluster: imp01'), 'clusters[1].cucmCluster').message).toMatch(/'imp01' is an IM&P cluster/);
    expect(one(insertAfter(13, '    peers: [cucm01]'), 'clusters[1].peers[0]').message).toMatch(/'cucm01' is a CUCM cluster; intercluster peers are IM&P clusters/);
    expect(one(insertAfter(13, '    peers: [imp01]'), 'clusters[1].peers[0]').message).toMatch(/cannot peer with itself/);
    expect(one(insertAfter(4, '    peers: [imp01]'), 'clusters[0].peers').message).toMatch(/applies to IM&P clusters \(product: imp\) only/);
  });

  it('checks roles against the publisher', () => {
    expect(one(replaceLine(16, '      - { name: imp01-sub1, host: 10.0.1.11, role: publisher }'), 'clusters[1].nodes[1].role').message).toMatch(/only the publisher \('imp01-pub'\) has role 'publisher'/);
  });

  it('rejects literal passwords unless allowInlineSecrets is set', () => {
    const text = replaceLine(20, '      axl: { username: axl, password: hunter2 }');
    const i = one(text, 'clusters[1].credentials.axl.password');
    expect(i.line).toBe(20);
    expect(i.message).toMatch(/a literal password is not allowed: use env:NAME or file:\/path .*allowInlineSecrets: true/);
    expect(formatIssue(i)).not.toContain('hunter2');
    expect(() => parseConfig(insertAfter(12, '    allowInlineSecrets: true').replace('env:AXL_PW }\n    polling', 'hunter2 }\n    polling'), 'site.yaml', { dir })).not.toThrow();
  });

  it('requires AXL credentials', () => {
    const i = one(replaceLine(9, '      os: { username: admin, password: env:OS_PW }'), 'clusters[0].credentials.axl');
    expect(i.message).toMatch(/required: the application user for AXL, PerfMon and Control Center/);
  });

  it('rejects conflicting TLS modes', () => {
    const i = one(insertAfter(12, '    tls: { insecure: true, fingerprints: ["' + 'AB'.repeat(32) + '"] }'), 'clusters[1].tls');
    expect(i.line).toBe(13);
    expect(i.message).toMatch(/conflicting TLS modes \(fingerprints, insecure: true\)/);
  });

  it('reports caBundle and knownHosts files that do not exist, or hold no certificate', () => {
    const ca = one(insertAfter(12, '    tls: { caBundle: certs/missing.pem }'), 'clusters[1].tls.caBundle');
    expect(ca.line).toBe(13);
    expect(ca.message).toContain(`CA bundle ${path.join(dir, 'certs/missing.pem')} does not exist`);
    writeFileSync(path.join(dir, 'not-a-cert.pem'), 'hello\n');
    expect(one(insertAfter(12, '    tls: { caBundle: not-a-cert.pem }'), 'clusters[1].tls.caBundle').message).toMatch(/holds no PEM certificate/);
    const kh = one(insertAfter(12, '    ssh: { knownHosts: /nonexistent/known_hosts }'), 'clusters[1].ssh.knownHosts');
    expect(kh.message).toMatch(/known_hosts file \/nonexistent\/known_hosts does not exist.*trustOnFirstUse: true/);
    // With trust-on-first-use, a known_hosts file that does not exist yet is created later.
    expect(() => parseConfig(insertAfter(12, '    ssh: { knownHosts: new_known_hosts, trustOnFirstUse: true }'), 'site.yaml', { dir })).not.toThrow();
  });

  it('requires known_hosts when OS credentials are given', () => {
    const text = replaceLine(20, '      axl: { username: axl, password: env:AXL_PW }\n      os: { username: admin, password: env:OS_PW }');
    expect(one(text, 'clusters[1].credentials.os').message).toMatch(/credentials.os needs ssh.knownHosts/);
  });

  it('reports type errors and reference errors in the same round', () => {
    const text = replaceLine(11, '    product: imp').replace('      ha: 15s', '      ha: soon').replace('cucmCluster: cucm01', 'cucmCluster: nowhere');
    const found = issues(text).map((i) => i.field);
    expect(found).toEqual(expect.arrayContaining(['clusters[1].polling.ha', 'clusters[1].cucmCluster']));
    const typed = issues(replaceLine(11, '    product: 7'));
    // The enum error and a reference error elsewhere, together.
    const withRef = issues(replaceLine(11, '    product: 7').replace('publisher: imp01-pub', 'publisher: nobody'));
    expect(typed.map((i) => i.field)).toContain('clusters[1].product');
    expect(withRef.map((i) => i.field)).toEqual(expect.arrayContaining(['clusters[1].product', 'clusters[1].publisher']));
  });

  it('reports each issue once, sorted by line', () => {
    const found = issues(replaceLine(12, '    publisher: x').replace('hots', 'host').replace('    product: cucm', '    product: cum'));
    const lines = found.map((i) => i.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(new Set(found.map(formatIssue)).size).toBe(found.length);
  });

  it('rejects a literal metrics token and a malformed listen address', () => {
    const text = `${valid}server:\n  listen: localhost\n  metricsToken: abc123\n`;
    expect(one(text, 'server.listen')).toMatchObject({ line: 24 });
    expect(one(text, 'server.listen').message).toMatch(/expected host:port/);
    expect(one(text, 'server.metricsToken').message).toMatch(/literal token is not allowed/);
  });

  it('formats issues as file:line:col: field: message', () => {
    const i = one(replaceLine(11, '    product: cups'), 'clusters[1].product');
    expect(formatIssue(i)).toBe('site.yaml:11:14: clusters[1].product: expected one of "cucm", "imp", got "cups"');
  });
});

describe('loadConfig', () => {
  it('names a missing file and how to proceed', () => {
    expect(() => loadConfig(path.join(dir, 'nope.yaml'))).toThrow(/nope\.yaml:0:0: file not found; pass --config <file>, set \$IMPULSE_CONFIG/);
  });
});
