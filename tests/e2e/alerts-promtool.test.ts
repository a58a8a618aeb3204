// The rule file with real promtool: `promtool check rules` accepts it, `promtool test rules` runs
// every rule's unit tests, and a parity run feeds the same series to promtool and to the embedded
// evaluator and checks, minute by minute, that the same alerts fire at the same time with the same
// labels and annotations — for both IM address schemes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCatalogueSettings, effectiveRules } from '../../alerts/catalogue';
import { renderPromtoolTests, renderRuleFile } from '../../alerts/render';
import { defaultRuleParams, IM_ADDRESS_SCHEMES } from '../../alerts/rule';

const PROMTOOL = '/usr/bin/promtool';
const AMTOOL = '/usr/bin/amtool';
const root = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'impulse-promtool-'));

function promtool(...args: string[]): string {
  try {
    return execFileSync(PROMTOOL, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!existsSync(PROMTOOL))('promtool', () => {
  it('accepts the committed rule file (alerts/generated/impulse-rules.yml)', () => {
    const out = promtool('check', 'rules', path.join(root, 'alerts/generated/impulse-rules.yml'));
    expect(out).toMatch(new RegExp(`SUCCESS: ${effectiveRules(defaultCatalogueSettings).length} rules found`));
  });

  it('passes the committed unit tests of every rule (alerts/generated/impulse-rules.test.yml)', () => {
    expect(promtool('test', 'rules', path.join(root, 'alerts/generated/impulse-rules.test.yml'))).toMatch(/SUCCESS/);
  });

  for (const scheme of IM_ADDRESS_SCHEMES) {
    it(`fires the same alerts at the same minutes as the embedded evaluator (IM address scheme ${scheme})`, () => {
      const settings = { ...defaultCatalogueSettings, params: { ...defaultRuleParams, imAddressScheme: scheme } };
      const slug = scheme === 'Directory URI' ? 'directory-uri' : 'userid';
      writeFileSync(path.join(dir, `rules-${slug}.yml`), renderRuleFile(settings));
      writeFileSync(path.join(dir, `parity-${slug}.yml`), renderPromtoolTests({ ruleFile: `rules-${slug}.yml`, settings, mode: 'parity' }));
      expect(promtool('check', 'rules', `rules-${slug}.yml`)).toMatch(/SUCCESS/);
      expect(promtool('test', 'rules', `parity-${slug}.yml`)).toMatch(/SUCCESS/);
    });
  }

  it('accepts the example Prometheus configuration with the rule file (promtool check config)', () => {
    const text = readFileSync(path.join(root, 'examples/prometheus.yml'), 'utf8')
      .replace('/etc/prometheus/rules/impulse-rules.yml', path.join(root, 'alerts/generated/impulse-rules.yml'))
      .replace('/etc/prometheus/secrets/impulse-metrics-token', path.join(dir, 'token'));
    writeFileSync(path.join(dir, 'token'), 'secret\n');
    writeFileSync(path.join(dir, 'prometheus.yml'), text);
    expect(promtool('check', 'config', 'prometheus.yml')).toMatch(/SUCCESS: 1 rule files found/);
  });

  it.skipIf(!existsSync(AMTOOL))('accepts the example Alertmanager routing (amtool check-config)', () => {
    const out = execFileSync(AMTOOL, ['check-config', path.join(root, 'examples/alertmanager.yml')], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS/);
    expect(out).toMatch(/2 receivers/);
  });

  it('notices when the evaluator and Prometheus disagree (a parity file with a wrong expectation fails)', () => {
    const settings = defaultCatalogueSettings;
    writeFileSync(path.join(dir, 'rules.yml'), renderRuleFile(settings));
    const text = renderPromtoolTests({ ruleFile: 'rules.yml', settings, mode: 'parity' }).replace('service: Cisco Presence Engine', 'service: Cisco SIP Proxy');
    writeFileSync(path.join(dir, 'wrong.yml'), text);
    expect(() => promtool('test', 'rules', 'wrong.yml')).toThrow(/FAILED/);
  });
});
