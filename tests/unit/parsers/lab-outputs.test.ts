// Cross-check: every admin-CLI output the lab renders, in every release's layout it plays and with
// tab-aligned columns, must be read by the collector's parser for that command without a single
// unparsed row. (Tests may import both lab/ and collectors/; the product code never does.)
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../lab/ssh/commands/index';
import { unexpand } from '../../../lab/ssh/terminal';
import { buildDeployment } from '../../../lab/state/deployment';
import { RELEASES } from '../../../lab/state/releases';
import { parsers, type ParserKind } from '../../../collectors/parsers/index';

const KIND: Record<string, [ParserKind, string[]]> = {
  'utils dbreplication runtimestate': ['dbreplication-runtimestate', []],
  'utils ha status': ['ha-status', []],
  'utils service list': ['service-list', []],
  'show status': ['show-status', []],
  'show cert list own': ['cert-list', []],
  'show cert list trust': ['cert-list', []],
  'show cert own': ['cert-own', ['tomcat']],
  'show cert trust': ['cert-own', ['tomcat-trust/IMPulse_Lab_Root_CA.pem']],
  'utils users validate': ['users-validate', ['all']],
  'show network cluster': ['network-cluster', []],
  'show perf query counter': ['perf-query', ['Memory', '% Mem Used']],
  'show perf query class': ['perf-query', ['Memory']],
  'utils diagnose test': ['diagnose-test', []],
  'utils ntp status': ['ntp-status', []],
  'utils core active list': ['core-active-list', []],
};

describe('lab CLI outputs parse', () => {
  for (const release of RELEASES) {
    it(`every command on every node of a 1×3 lab at release ${release}, spaces and tabs, without an unparsed row`, async () => {
      const lab = await buildDeployment({ clusters: 1, nodes: 3, usersPerCluster: 200, version: release });
      expect(lab.cluster('imp01')!.version.startsWith(release === '14' || release === '15' ? release : release)).toBe(true);
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
          for (const body of [text, text.split('\n').map(unexpand).join('\n')]) {
            const raw = `admin:${words} ${args.map((a) => `"${a}"`).join(' ')}\r\n${body.replace(/\n/g, '\r\n')}\r\nadmin:`;
            const r = parsers[kind].parse(raw, `${node.name}: ${words}`) as { unparsed?: unknown[] };
            expect(r.unparsed ?? [], `${release} ${node.name}: ${words}`).toEqual([]);
            parsed++;
          }
        }
      }
      expect(parsed).toBeGreaterThan(60);
    });
  }
});
