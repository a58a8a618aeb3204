// `utils core active list` — wire-formats.md §4.10 (TechNote 221038). A service that stopped for a
// reason other than an intentional one ("Service Not Activated", "Commanded Out of Service") has
// left a core file; the first time the CLI sees such a service it stamps the core with that time.
import type { LabService } from '../../model';
import { isoLocal, stableHash } from './format';
import { immediate, type CliCommandSpec, type CliContext } from './types';

const INTENTIONAL = new Set([-1068, -1069]);
const coreTimes = new WeakMap<LabService, number>();

/** Process name in the core file name: "ccm" for Cisco CallManager (as captured), else a short form. */
function processName(service: string): string {
  if (service === 'Cisco CallManager') return 'ccm';
  return service.replace(/^Cisco /, '').replace(/[^A-Za-z0-9]+/g, '').toLowerCase().slice(0, 15);
}

export function renderCoreActiveList(ctx: CliContext): string {
  const now = ctx.now.getTime();
  const rows: string[] = [];
  for (const s of ctx.node.services) {
    const crashed = s.activated && s.status === 'Stopped' && !INTENTIONAL.has(s.reasonCode);
    if (!crashed) continue;
    let at = coreTimes.get(s);
    if (at === undefined) {
      at = now;
      coreTimes.set(s, at);
    }
    const h = stableHash(ctx.node.name + s.name);
    const name = `core.${1000 + (h % 60000)}.6.${processName(s.name)}.${Math.floor(at / 1000)}`;
    rows.push(`${`${100_000 + (h % 400_000)} KB`.padEnd(12)}${isoLocal(new Date(at))}   ${name}`);
  }
  // Cores of crashes the node has recovered from (the core-dump fault): they stay until deleted.
  for (const c of ctx.node.cores) {
    const name = `core.${c.pid}.6.${c.process}.${Math.floor(c.at / 1000)}`;
    rows.push(`${`${c.sizeKB} KB`.padEnd(12)}${isoLocal(new Date(c.at))}   ${name}`);
  }
  if (rows.length === 0) return '\nNo core files found\n';
  return ['', 'Size         Date            Core File Name', '='.repeat(61), ...rows].join('\n') + '\n';
}

export const coreActiveList: CliCommandSpec = {
  words: ['utils', 'core', 'active', 'list'],
  run: (ctx, args) => (args.length === 0 ? immediate(renderCoreActiveList(ctx)) : undefined),
};
