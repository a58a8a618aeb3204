// `utils diagnose test` (wire-formats §4.7; peers.md §1.7: Cisco's manual pre-upgrade checklist runs
// it): every module must pass; a Failed or Error module Fails, a Warning module is a Warning. Skipped
// modules ("This module must be run directly and off hours") are not judged.
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';

export const platDiagnose: CheckDefinition = {
  id: 'PLAT-DIAGNOSE',
  section: 'Platform',
  title: 'Verify utils diagnose test passes on every node.',
  description: 'Runs `utils diagnose test` on every node (it takes a few minutes on a real node) and reports each module that did not pass: disk space, Service Manager, Tomcat, network, RAID, NTP reachability, clock drift and stratum.',
  needs: ['diagnose'],
  readiness: true,
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'diagnose', 'PLAT-DIAGNOSE');
    const items: AffectedItem[] = [...errors];
    for (const r of ok) {
      for (const m of r.value.modules) {
        if (m.action !== 'test' || m.passed) continue;
        const status = m.result === 'Warning' ? 'warning' : 'failed';
        items.push({ kind: 'module', key: `${r.node.name}|${m.module}`, status, cluster: r.cluster.name, node: r.node.name, label: `${m.module} on ${r.node.name}`, group: m.module, detail: `${m.result ?? 'No result'}${m.text ? ` ${m.text}` : ''}`, data: { module: m.module, result: m.result } });
      }
    }
    return outcome(items, {
      pass: 'utils diagnose test passes on every node.',
      summary: (f) => `${plural(f.length, 'diagnostic module')} not passed on ${plural(new Set(f.map((i) => i.node)).size, 'node')}`,
      problem: 'utils diagnose test reports failed or warning modules: the platform (disk, services, Tomcat, network, NTP) is not healthy on the nodes listed.',
      solution: "Address each module as it reports (free disk space, start Cisco Tomcat or Service Manager, fix NTP reachability); read the full output with 'file view activelog platform/log/diag<N>.log', then run utils diagnose test again.",
    });
  },
};
