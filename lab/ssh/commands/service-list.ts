// `utils service list` — wire-formats.md §4.5. Platform services print first with a space before
// the bracket; after the Service Manager lines the rest print with no space and, when stopped,
// two spaces and the reason. ReasonCode strings from wire-formats.md §2.5.
import type { LabNode, LabService } from '../../model';
import type { CliCommandSpec, CliContext, OutputStep } from './types';

const REASONS: Readonly<Record<number, string>> = {
  [-1019]: 'Component is not running',
  [-1031]: 'Operation timed-out',
  [-1041]: 'Dependencies still pending',
  [-1068]: 'Service Not Activated',
  [-1069]: 'Commanded Out of Service',
};

const STATUS_WORD: Readonly<Record<LabService['status'], string>> = {
  Started: 'STARTED',
  Stopped: 'STOPPED',
  Starting: 'STARTING',
  Stopping: 'STOPPING',
  Unknown: 'UNKNOWN',
};

function stoppedReason(s: LabService): string {
  if (!s.activated) return 'Service Not Activated';
  return REASONS[s.reasonCode] ?? 'Component is not running';
}

function platformLine(s: LabService): string {
  const line = `${s.name} [${STATUS_WORD[s.status]}]`;
  if (s.status !== 'Stopped') return line;
  // Platform lines carry one space and "Service Activated"/"Service Not Activated" (HCM-F capture).
  return `${line} ${s.activated ? 'Service Activated' : 'Service Not Activated'}`;
}

function serviceLine(s: LabService): string {
  const line = `${s.name}[${STATUS_WORD[s.status]}]`;
  return s.status === 'Stopped' ? `${line}  ${stoppedReason(s)}` : line;
}

// Byte order, as the VVB capture sorts ("SOAP -Performance…" before "System Application Agent").
const byName = (a: LabService, b: LabService): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function renderServiceList(node: LabNode): string {
  const platform = node.services.filter((s) => s.group === 'platform');
  const rest = node.services.filter((s) => s.group !== 'platform');
  // Activated services in name order, then the not-activated ones (the VVB capture lists them last).
  const activated = rest.filter((s) => s.activated).sort(byName);
  const inactive = rest.filter((s) => !s.activated).sort(byName);
  const lines = [
    ...platform.map(platformLine),
    'Service Manager is running',
    'Getting list of all services',
    '>> Return code = 0',
    ...activated.map(serviceLine),
    ...inactive.map(serviceLine),
    `Primary Node =${node.role === 'publisher' ? 'true' : 'false'}`,
    'Command successful',
  ];
  return lines.join('\n') + '\n';
}

export const serviceList: CliCommandSpec = {
  words: ['utils', 'service', 'list'],
  run(ctx: CliContext, args): OutputStep[] | undefined {
    if (args.length > 1 || (args.length === 1 && args[0].toLowerCase() !== 'page')) return undefined;
    return [
      { delayMs: 0, text: 'Requesting service status, please wait...\n' },
      // The status request to the Service Manager takes a second or two on a real node.
      { delayMs: 1200, text: () => renderServiceList(ctx.node) },
    ];
  },
};
