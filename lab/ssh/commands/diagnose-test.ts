// `utils diagnose test` — wire-formats.md §4.7 (TechNote 215537 layout and failure wording). Slow:
// one module every few hundred ms. Results follow the node's state: disk from the Partition
// counters, Tomcat and Service Manager from the services, NTP from the time source's reachability.
import type { LabNode } from '../../model';
import { counter } from './node-facts';
import { ntpSource } from './ntp-source';
import type { CliCommandSpec, CliContext, OutputStep } from './types';

const runs = new WeakMap<LabNode, number>();
const MODULE_DELAY_MS = 300;

const result = (kind: 'test' | 'skip', module: string, text: string): string => `${kind} - ${module.padEnd(20)}: ${text}`;
const OFF_HOURS = 'This module must be run directly and off hours';

function running(node: LabNode, service: string): boolean {
  const s = node.service(service);
  return s === undefined || s.status === 'Started';
}

/** Module lines in the captured order, evaluated when each one is due. */
function modules(ctx: CliContext): Array<() => string> {
  const { node, lab } = ctx;
  const at = (): number => lab.clock.now();
  const tomcat = (): string => (running(node, 'Cisco Tomcat') ? 'Passed' : 'Failed - Cisco Tomcat is not running');
  const ntpOk = (): boolean => ntpSource(lab, node).reachable;
  return [
    () => {
      const totalMb = counter(node, 'Partition', 'Active', ['Total Mbytes'], at()) ?? 19_341;
      const usedMb = counter(node, 'Partition', 'Active', ['Used Mbytes'], at()) ?? totalMb * 0.66;
      const available = Math.max(0, Math.round(totalMb - usedMb - totalMb * 0.011));
      const verdict = usedMb / totalMb >= 0.95 ? 'Failed' : 'Passed';
      return result('test', 'disk_space', `${verdict} (available: ${available} MB, used: ${Math.round(usedMb)} MB)`);
    },
    () => result('skip', 'disk_files', OFF_HOURS),
    () => result('test', 'service_manager', running(node, 'Service Manager') ? 'Passed' : 'Failed - Service Manager is not running'),
    () => result('test', 'tomcat', tomcat()),
    () => result('test', 'tomcat_deadlocks', tomcat()),
    () => result('test', 'tomcat_keystore', tomcat()),
    () => result('test', 'tomcat_connectors', tomcat()),
    () => result('test', 'tomcat_threads', tomcat()),
    () => result('test', 'tomcat_memory', tomcat()),
    () => result('test', 'tomcat_sessions', tomcat()),
    () => result('skip', 'tomcat_heapdump', OFF_HOURS),
    () => result('test', 'validate_network', 'Passed'),
    () => result('test', 'raid', 'Passed'),
    () => result('test', 'system_info', 'Passed (Collected system information in diagnostic log)'),
    () =>
      result('test', 'ntp_reachability', ntpOk() ? 'Passed' : 'Warning None of the designated NTP servers are reachable/functioning or legitimate.'),
    () =>
      result(
        'test',
        'ntp_clock_drift',
        ntpOk() ? 'Passed' : 'Warning The local clock is not synchronised.\nNone of the designated NTP servers are reachable/functioning or legitimate.',
      ),
    () => result('test', 'ntp_stratum', 'Passed'),
    () => result('skip', 'sdl_fragmentation', OFF_HOURS),
    () => result('skip', 'sdi_fragmentation', OFF_HOURS),
  ];
}

export function diagnoseSteps(ctx: CliContext): OutputStep[] {
  const n = (runs.get(ctx.node) ?? 0) + 1;
  runs.set(ctx.node, n);
  const log = `platform/log/diag${n}.log`;
  return [
    { delayMs: 0, text: `\nLog file: ${log}\n\nStarting diagnostic test(s)\n===========================\n` },
    ...modules(ctx).map((m) => ({ delayMs: MODULE_DELAY_MS, text: () => `${m()}\n` })),
    {
      delayMs: MODULE_DELAY_MS,
      text: `\nDiagnostics Completed\n\n The final output will be in Log file: ${log}\n\n Please use 'file view activelog ${log}' command to see the output\n`,
    },
  ];
}

export const diagnoseTest: CliCommandSpec = {
  words: ['utils', 'diagnose', 'test'],
  run: (ctx, args) => (args.length === 0 ? diagnoseSteps(ctx) : undefined),
};
