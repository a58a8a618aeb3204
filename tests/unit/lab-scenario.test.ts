// Scenario files: validation errors name the file, line and step; the shipped examples load
// and fit a lab; steps play on the lab's clock.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenario, loadScenario, parseScenario, runScenario, ScenarioError } from '../../lab/faults/scenario';
import { FaultManager } from '../../lab/faults/manager';
import { buildDeployment } from '../../lab/state/deployment';
import { frozenLab } from './lab-helpers';

const err = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('expected a ScenarioError');
};

describe('lab scenarios', () => {
  it('names the file, line and step of an invalid step', () => {
    const text = ['name: t', 'steps:', '  - at: 10s', '    fault: slow', '    target: imp01-pub', '  - at: soon', '    fault: node-down', '    target: imp01-sub1', ''].join('\n');
    const msg = err(() => parseScenario(text, 'broken.yaml'));
    expect(msg).toContain('broken.yaml:6:');
    expect(msg).toContain('step 2 (fault node-down on imp01-sub1 at soon)');
    expect(msg).toContain('at: a duration');
  });

  it('checks params with the fault kind and rejects unknown kinds and keys', () => {
    expect(err(() => parseScenario('steps:\n  - { at: 1s, fault: slow, target: a, params: { ms: 0 } }\n', 's.yaml'))).toMatch(/s\.yaml:2: step 1 \(fault slow on a at 1s\): params\.ms/);
    expect(err(() => parseScenario('steps:\n  - { at: 1s, fault: meltdown, target: a }\n', 's.yaml'))).toMatch(/step 1 .*fault: Invalid option/);
    expect(err(() => parseScenario('steps:\n  - { at: 1s, fault: hang, target: a, when: later }\n', 's.yaml'))).toMatch(/step 1.*when/);
    expect(err(() => parseScenario('steps:\n  - { at: 1s, action: fallback }\n', 's.yaml'))).toMatch(/step 1 \(action fallback at 1s\): target/);
    expect(err(() => parseScenario('steps: [\n', 'y.yaml'))).toMatch(/^y\.yaml:\d+: YAML:/);
  });

  it('names the step whose target is not in the lab', async () => {
    const s = parseScenario('steps:\n  - { at: 1s, fault: hang, target: imp01-pub }\n  - { at: 2s, fault: node-down, target: imp09-pub }\n', 'x.yaml');
    const { lab } = await frozenLab();
    expect(err(() => checkScenario(s, lab))).toBe("x.yaml:3: step 2 (fault node-down on imp09-pub at 2s): target: no node or cluster 'imp09-pub' in this lab");
  });

  it('ships example scenarios that load and fit a two-cluster lab', async () => {
    const dir = path.join(__dirname, '../../lab/scenarios');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    const { lab } = await frozenLab({ clusters: 2 });
    for (const f of files) {
      const s = loadScenario(path.join(dir, f));
      expect(s.steps.length, f).toBeGreaterThan(0);
      checkScenario(s, lab);
    }
  });

  it('applies settings and plays steps on the simulated clock', async () => {
    const s = parseScenario(
      'settings:\n  haEnabled: { imp01-prg1: false }\n  certificateValidityDays: 30\nsteps:\n  - { at: 20s, fault: slow, target: imp01-pub, params: { ms: 50 }, clearAfter: 20s }\n  - { at: 30s, fault: hang, target: cucm01 }\n',
      'play.yaml',
    );
    const lab = await buildDeployment({ clusters: 1, nodes: 2, usersPerCluster: 10, addressBase: '127.20', timeScale: 1000, settings: s.settings });
    expect(lab.group('imp01-prg1')!.haEnabled).toBe(false);
    const tomcat = lab.node('imp01-pub')!.certificates.find((c) => c.unit === 'tomcat')!;
    expect(tomcat.notAfter.getTime() - tomcat.notBefore.getTime()).toBe(30 * 86_400_000);
    const faults = new FaultManager(lab);
    const lines: string[] = [];
    const run = runScenario(s, lab, faults, (l) => lines.push(l));
    await run.done;
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/step 1 \(fault slow on imp01-pub at 20s\): f1/);
    expect(lab.node('imp01-pub')!.faults.slowMs).toBe(0); // cleared after 20 s
    expect(lab.node('cucm01-pub')!.faults.hang).toBe(true);
  });
});
