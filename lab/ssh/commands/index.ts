// The admin CLI's command table and its line parser. Keywords match case-insensitively, like VOS;
// the longest matching keyword sequence wins (`show cert list own` before `show cert own`).
import type { Product } from '../../model';
import { certListOwn, certListTrust } from './cert-list-own';
import { certOwn, certTrust } from './cert-own';
import { coreActiveList } from './core-active-list';
import { dbreplicationRuntimestate } from './dbreplication-runtimestate';
import { diagnoseTest } from './diagnose-test';
import { haStatus } from './ha-status';
import { networkCluster } from './network-cluster';
import { ntpStatus } from './ntp-status';
import { perfQueryClass, perfQueryCounter } from './perf-query';
import { serviceList } from './service-list';
import { showStatus } from './show-status';
import type { CliCommandSpec } from './types';
import { usersValidate } from './users-validate';

export const COMMANDS: readonly CliCommandSpec[] = [
  dbreplicationRuntimestate,
  haStatus,
  serviceList,
  showStatus,
  certListOwn,
  certListTrust,
  certOwn,
  certTrust,
  usersValidate,
  networkCluster,
  perfQueryCounter,
  perfQueryClass,
  diagnoseTest,
  ntpStatus,
  coreActiveList,
];

/** Splits a command line on blanks; double quotes group words ("Cisco Presence Engine"). */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]*)"?|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) tokens.push(m[1] ?? m[2]);
  return tokens;
}

export interface ResolvedCommand {
  spec: CliCommandSpec;
  args: string[];
}

/** The command a line names on a node of `product`, or undefined ("No valid command entered"). */
export function resolveCommand(line: string, product: Product): ResolvedCommand | undefined {
  const tokens = tokenize(line);
  let best: ResolvedCommand | undefined;
  for (const spec of COMMANDS) {
    if (spec.products && !spec.products.includes(product)) continue;
    if (tokens.length < spec.words.length) continue;
    if (!spec.words.every((w, i) => tokens[i].toLowerCase() === w)) continue;
    if (!best || spec.words.length > best.spec.words.length) best = { spec, args: tokens.slice(spec.words.length) };
  }
  return best;
}
