// The rule catalogue: Cisco's names, one definition each, every rule tested both ways (fires on
// its series, silent on the nearby healthy case), a runbook per rule, and the committed rule file
// and promtool tests current with the definitions.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalogueSettings, effectiveRules, RULES, unknownRuleNames } from '../../alerts/catalogue';
import { checkRuleTest, renderPromtoolTests, renderRuleFile, runRuleTest } from '../../alerts/render';
import { defaultRuleParams } from '../../alerts/rule';
import { labelsOf } from '../../alerts/template';

const root = path.resolve(__dirname, '../..');
const generated = (f: string) => readFileSync(path.join(root, 'alerts/generated', f), 'utf8');

describe('the rule catalogue', () => {
  it("uses Cisco's alert names the issue lists, and IMPulse's own for the rest", () => {
    const names = RULES.map((r) => r.name);
    for (const cisco of [
      'CriticalServiceDown',
      'ServerDown',
      'DBReplicationFailure',
      'DBReplicationTableOutofSync',
      'JSMSessionsExceedsThreshold',
      'SRMFailover',
      'SRMFailed',
      'DuplicateUserid',
      'DuplicateDirectoryURI',
      'DuplicateDirectoryURIWarning',
      'InvalidDirectoryURI',
      'InvalidDirectoryURIWarning',
      'CpuPegging',
      'LowActivePartitionAvailableDiskSpace',
      'SystemVersionMismatched',
    ]) {
      expect(names).toContain(cisco);
      expect(RULES.find((r) => r.name === cisco)!.origin).not.toBe('impulse');
    }
    expect(new Set(names).size).toBe(names.length);
    for (const own of ['NodeNotCollected', 'HATransitionStuck', 'HAAutomaticFallbackOverdue', 'HAManualFailoverLeftInPlace', 'ReplicationQueueGrowing', 'CertificateNotTrusted', 'CollectorShardMissing', 'CertificateExpiring']) {
      expect(names).toContain(own);
    }
  });

  it('says so in the description when it watches the closest observable signal', () => {
    for (const r of RULES.filter((x) => x.origin === 'cisco-closest')) {
      expect(r.description.filter((p) => typeof p === 'string').join(' '), r.name).toMatch(/closest observable signal/);
    }
  });

  it('has, for every rule, a test that fires it and a nearby healthy test that does not, both passing natively', () => {
    for (const r of RULES) {
      const firing = r.tests.filter((t) => t.expect.length > 0);
      const silent = r.tests.filter((t) => t.expect.length === 0);
      expect(firing.length, `${r.name} has no firing test`).toBeGreaterThan(0);
      expect(silent.length, `${r.name} has no silent test`).toBeGreaterThan(0);
      for (const test of r.tests) {
        const scheme = test.params?.imAddressScheme ?? defaultRuleParams.imAddressScheme;
        const eff = effectiveRules({ ...defaultCatalogueSettings, params: { ...defaultRuleParams, imAddressScheme: scheme } }).find((e) => e.name === r.name)!;
        expect(checkRuleTest(eff, test)).toBeUndefined();
      }
    }
  });

  it('renders summaries and descriptions that name the cluster and never print "<no value>"', () => {
    for (const r of RULES) {
      if (r.name !== 'CollectorShardMissing') expect(labelsOf(r.summary), r.name).toContain('cluster');
      for (const test of r.tests.filter((t) => t.expect.length)) {
        const scheme = test.params?.imAddressScheme ?? defaultRuleParams.imAddressScheme;
        const eff = effectiveRules({ ...defaultCatalogueSettings, params: { ...defaultRuleParams, imAddressScheme: scheme } }).find((e) => e.name === r.name)!;
        for (const a of runRuleTest(eff, test)[test.at]) {
          expect(a.annotations.summary, r.name).not.toContain('<no value>');
          expect(a.annotations.description, r.name).not.toContain('<no value>');
          if (a.labels.cluster) expect(a.annotations.summary).toContain(a.labels.cluster);
        }
      }
    }
  });

  it('has a runbook for every rule, and every runbook belongs to a rule', () => {
    for (const r of RULES) expect(existsSync(path.join(root, 'docs/runbooks', `${r.name}.md`)), `docs/runbooks/${r.name}.md`).toBe(true);
    const files = readdirSync(path.join(root, 'docs/runbooks')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(files.map((f) => f.replace(/\.md$/, '')).sort()).toEqual(RULES.map((r) => r.name).sort());
  });

  it('applies the IM address scheme, thresholds and per-rule overrides', () => {
    const names = (scheme: 'Directory URI' | 'UserID@Default_Domain') => effectiveRules({ ...defaultCatalogueSettings, params: { ...defaultRuleParams, imAddressScheme: scheme } }).map((r) => r.name);
    expect(names('UserID@Default_Domain')).toContain('DuplicateDirectoryURIWarning');
    expect(names('UserID@Default_Domain')).not.toContain('DuplicateDirectoryURI');
    expect(names('Directory URI')).toContain('InvalidDirectoryURI');
    expect(names('Directory URI')).not.toContain('InvalidDirectoryURIWarning');
    const custom = effectiveRules({
      params: { ...defaultRuleParams, thresholds: { ...defaultRuleParams.thresholds, cpuWarningPercent: 75 } },
      overrides: { CpuPegging: { for: 600, severity: 'critical' }, SystemVersionMismatched: { enabled: false } },
      externalUrl: 'https://impulse.example.com/',
    });
    const cpu = custom.find((r) => r.name === 'CpuPegging')!;
    expect(cpu).toMatchObject({ for: 600, severity: 'critical', promql: 'impulse_cpu_usage_ratio > 0.75', runbookUrl: 'https://impulse.example.com/alerts/runbooks/CpuPegging' });
    expect(custom.map((r) => r.name)).not.toContain('SystemVersionMismatched');
    expect(unknownRuleNames(['CpuPeging', 'CpuPegging', 'Nonsense'])).toEqual([{ name: 'CpuPeging', suggestion: 'CpuPegging' }, { name: 'Nonsense', suggestion: undefined }]);
  });

  it('alerts/generated/ is what `impulse rules --defaults --out alerts/generated` writes (run it after changing a rule)', () => {
    expect(generated('impulse-rules.yml')).toBe(renderRuleFile(defaultCatalogueSettings));
    expect(generated('impulse-rules.test.yml')).toBe(renderPromtoolTests({ ruleFile: 'impulse-rules.yml', settings: defaultCatalogueSettings, mode: 'expected' }));
  });
});
