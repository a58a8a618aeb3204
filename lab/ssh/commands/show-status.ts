// `show status` — wire-formats.md §4.6 (reconstructed line layout of TechNote 221038), values read
// from the node's PerfMon counters (Processor, Memory, Partition) at the moment of the command.
import type { LabNode } from '../../model';
import { stableHash, statusDate } from './format';
import { bootTime, counter } from './node-facts';
import { immediate, type CliCommandSpec, type CliContext } from './types';

const pct = (v: number): string => Math.max(0, Math.min(100, v)).toFixed(2).padStart(5, '0');
const kb = (v: number): string => String(Math.max(0, Math.round(v)));

/** Platform OS release shipped with each application major (12.5 → 7.0.0.0-4 per the capture; later ones inferred). */
function osVersion(version: string): string {
  const major = Number.parseInt(version, 10);
  if (major >= 15) return '8.0.0.0-4';
  if (major >= 12) return '7.0.0.0-4';
  return `${major}.0.0.0-2`;
}

function uptimeLine(node: LabNode, now: Date, busy: number): string {
  const up = Math.max(0, now.getTime() - bootTime(node, now.getTime()));
  const days = Math.floor(up / 86_400_000);
  const hours = Math.floor((up % 86_400_000) / 3_600_000);
  const mins = Math.floor((up % 3_600_000) / 60_000);
  const clock = `${String(now.getUTCHours()).padStart(2, '0')}:${String(now.getUTCMinutes()).padStart(2, '0')}:${String(now.getUTCSeconds()).padStart(2, '0')}`;
  const span = days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${String(hours).padStart(2, ' ')}:${String(mins).padStart(2, '0')}` : `${hours}:${String(mins).padStart(2, '0')}`;
  // Load average from CPU busy times the vCPUs; the 5 and 15 minute figures trail the 1 minute one.
  const vcpus = node.counters.instances('Processor').filter((i) => i !== '_Total').length || 2;
  const l1 = (busy / 100) * vcpus;
  return ` ${clock} up ${span},  1 user,  load average: ${l1.toFixed(2)}, ${(l1 * 0.8).toFixed(2)}, ${(l1 * 0.7).toFixed(2)}`;
}

interface Disk {
  label: string;
  total: number;
  free: number;
  used: number;
}

function disk(node: LabNode, at: number, label: string, instance: string): Disk {
  const h = stableHash(node.name + instance);
  const totalMb = counter(node, 'Partition', instance, ['Total Mbytes'], at) ?? (instance === 'Common' ? 67_612 : 19_341);
  const usedMb = counter(node, 'Partition', instance, ['Used Mbytes'], at) ?? totalMb * (0.4 + (h % 30) / 100);
  const total = totalMb * 1024;
  const used = usedMb * 1024;
  // ext4 keeps ~1.1 % for root, so Free + Used falls short of Total (as in the capture).
  const free = Math.max(0, total - used - Math.round(total * 0.011));
  return { label, total, free, used };
}

function diskLine(d: Disk): string {
  // df-style percentage: used / (used + available), rounded up.
  const p = d.used + d.free > 0 ? Math.ceil((d.used / (d.used + d.free)) * 100) : 0;
  return `${d.label}${(kb(d.total) + 'K').padStart(29 - d.label.length)}${(kb(d.free) + 'K').padStart(16)}${(kb(d.used) + 'K').padStart(16)} (${p}%)`;
}

export function renderShowStatus(ctx: CliContext): string {
  const { node, now } = ctx;
  const at = now.getTime();
  const cpu = (names: string[]): number | undefined => counter(node, 'Processor', '_Total', names, at);
  const busy = cpu(['% CPU Time']) ?? 10;
  const idle = cpu(['Idle Percentage']) ?? 100 - busy;
  const system = cpu(['System Percentage']) ?? busy * 0.55;
  const user = cpu(['User Percentage']) ?? busy * 0.35;
  const iowait = cpu(['IOwait Percentage']) ?? busy * 0.05;
  const irq = cpu(['Irq Percentage']) ?? 0;
  const soft = cpu(['Softirq Percentage']) ?? busy * 0.05;
  const mem = (names: string[]): number | undefined => counter(node, 'Memory', undefined, names, at);
  const total = mem(['Total KBytes']) ?? 8_010_000;
  const used = mem(['Used KBytes']) ?? total * 0.5;
  const cached = mem(['Cached KBytes']) ?? total * 0.3;
  const buffers = mem(['Buffers KBytes']) ?? total * 0.05;
  const shared = mem(['Shared KBytes']) ?? total * 0.06;
  const free = mem(['Free KBytes']) ?? Math.max(0, total - used - cached - buffers);
  const memLine = (label: string, v: number): string => `${label.padStart(13)}${(kb(v) + 'K').padStart(16)}`;
  const lines = [
    '',
    `Host Name          : ${node.name}`,
    `Date               : ${statusDate(now)}`,
    'Time Zone          : Coordinated Universal Time (Etc/UTC)',
    'Locale             : en_US.UTF-8',
    `Product Ver        : ${node.version}`,
    `Unified OS Version : ${osVersion(node.version)}`,
    '',
    'Uptime:',
    uptimeLine(node, now, busy),
    '',
    `CPU Idle:   ${pct(idle)}%  System:   ${pct(system)}%    User:   ${pct(user)}%`,
    `IOWAIT:   ${pct(iowait)}%     IRQ:   ${pct(irq)}%    Soft:   ${pct(soft)}%`,
    '',
    memLine('Memory Total:', total),
    memLine('Free:', free),
    memLine('Used:', used),
    memLine('Cached:', cached),
    memLine('Shared:', shared),
    memLine('Buffers:', buffers),
    '',
    `${''.padEnd(24)}Total${'Free'.padStart(16)}${'Used'.padStart(16)}`,
    diskLine(disk(node, at, 'Disk/active', 'Active')),
    diskLine(disk(node, at, 'Disk/inactive', 'Inactive')),
    diskLine(disk(node, at, 'Disk/logging', 'Common')),
  ];
  return lines.join('\n') + '\n';
}

export const showStatus: CliCommandSpec = {
  words: ['show', 'status'],
  run: (ctx, args) => (args.length === 0 ? immediate(renderShowStatus(ctx)) : undefined),
};
