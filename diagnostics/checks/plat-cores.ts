// Core dumps (wire-formats §4.10 `utils core active list`; readiness "no new core dumps"): a core file
// means a process crashed. One dated within the last 7 days (the epoch in its file name, core.<pid>.
// <signal>.<process>.<epoch>) Fails; an older one is a Warning — the 7 days are IMPulse's choice.
import type { AffectedItem, CheckDefinition } from '../types';
import { outcome, plural, readings } from './helpers';

export const RECENT_CORE_DAYS = 7;

export const platCores: CheckDefinition = {
  id: 'PLAT-CORES',
  section: 'Platform',
  title: 'Verify no process has left a core dump.',
  description: `Runs \`utils core active list\` on every node: a core file from the last ${RECENT_CORE_DAYS} days Fails (a recent crash), an older one is a Warning.`,
  needs: ['cores'],
  readiness: true,
  evaluate(ctx) {
    const { ok, errors } = readings(ctx, 'cores', 'PLAT-CORES');
    const items: AffectedItem[] = [...errors];
    for (const r of ok) {
      for (const c of r.value.cores) {
        const epoch = /\.(\d{9,11})$/.exec(c.file);
        const at = epoch ? Number(epoch[1]) * 1000 : Date.parse(`${c.date.replace(' ', 'T')}Z`);
        const recent = Number.isFinite(at) ? ctx.now - at <= RECENT_CORE_DAYS * 86_400_000 : true;
        items.push({
          kind: 'core',
          key: `${r.node.name}|${c.file}`,
          status: recent ? 'failed' : 'warning',
          cluster: r.cluster.name,
          node: r.node.name,
          label: c.file,
          detail: `Core file of ${c.process ?? 'a process'} on ${r.node.name}, ${c.date} (${Math.round(c.sizeKB / 1024).toLocaleString('en-US')} MB).`,
          data: { file: c.file, process: c.process, date: c.date, sizeKB: c.sizeKB },
        });
      }
    }
    return outcome(items, {
      pass: 'No node has core files.',
      summary: (f) => `${plural(f.length, 'core file')} on ${plural(new Set(f.map((i) => i.node)).size, 'node')}`,
      problem: 'A process crashed and left a core dump. A recent crash points at an unstable service that should be understood before an upgrade or a change.',
      solution: 'Collect the core and its traces for analysis (utils core analyze <core file>, or RTMT Trace & Log Central > Collect Crash Dump) and open a case with Cisco TAC; check that the crashed service runs again (utils service list). Remove core files once analysed to free the common partition.',
    });
  },
};
