// Cross-check: every admin-CLI output the lab renders must be read by the collector's parser for that
// command. (Tests may import both lab/ and collectors/; the product code never does.)
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../lab/ssh/commands/index';
import { buildDeployment } from '../../../lab/state/deployment';
import { parsers, type ParserKind } from '../../../collectors/parsers/index';

const KIND: Record<string, [ParserKind, string[]]> = {
  'utils dbreplication runtimestate': ['dbreplication-runtimestate', []],
  'utils ha status': ['ha-status', []],
  'utils service list': ['service-list', []],
  'show status': ['show-status', []],
  'show cert list own': ['cert-list', []],
  'show cert own': ['cert-own', ['tomcat']],
  'utils users validate': ['users-validate', ['all']],
  'show network cluster': ['network-cluster', []],
  'show perf query counter': ['perf-query', ['Memory', '% Mem Used']],
  'show perf query class': ['perf-query', ['Memory']],
  'utils diagnose test': ['diagnose-test', []],
  'utils ntp status': ['ntp-status', []],
  'utils core active list': ['core-active-list', []],
};

describe('lab CLI outputs parse', () => {
  it('every command on every node of a 1×3 lab', async () => {
    const lab = await buildDeployment({ clusters: 1, nodes: 3, usersPerCluster: 200 });
    let parsed = 0;
    for (const node of lab.nodes) {
      for (const spec of COMMANDS) {
        if (spec.products && !spec.products.includes(node.product)) continue;
        const words = spec.words.join(' ');
        expect(KIND[words], `no parser mapped for "${words}"`).toBeDefined();
        const [kind, args] = KIND[words];
        const steps = spec.run({ node, lab, now: new Date() }, args);
        expect(steps, `${node.name}: ${words} rejected its arguments`).toBeDefined();
        const text = (await Promise.all(steps!.map((s) => (typeof s.text === 'function' ? s.text() : s.text)))).join('');
        const raw = `admin:${words} ${args.map((a) => `"${a}"`).join(' ')}\n${text}\nadmin:`;
        expect(() => parsers[kind].parse(raw, `${node.name}: ${words}`)).not.toThrow();
        parsed++;
      }
    }
    expect(parsed).toBeGreaterThan(30);
  });
});
