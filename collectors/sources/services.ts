// services: Control Center soapGetServiceStatus on every node (wire-formats §2: each node reports
// only its own services), with the status and the reason verbatim. When the SOAP service itself is
// unavailable (Tomcat down: connection refused, an HTTP error or a SOAP fault), the same picture
// comes from `utils service list` over SSH (§4.5). Credentials, timeouts, rate limits and garbled
// answers are reported as they are: the CLI would not tell anything the operator needs more.
import { z } from 'zod';
import { SERVICE_STATUSES } from '../vocabulary';
import { emitOneHot } from '../metrics/sink';
import { parseServiceList, type ServiceEntry } from '../parsers/service-list';
import { CollectError, errorKind } from '../errors';
import type { Source } from './types';

const service = z.object({
  name: z.string().min(1),
  status: z.enum(SERVICE_STATUSES),
  /** Control Center ReasonCode; from the CLI, derived from the reason text when Cisco's table has it. */
  reasonCode: z.number().int().nullable(),
  /** ReasonCodeString, or the text after [STOPPED] in the CLI; null when none. */
  reason: z.string().nullable(),
  /** Unix seconds the service started (poll time − UpTime, held steady across polls); null when not started or read through the CLI. */
  startTime: z.number().nullable(),
});

export const servicesSchema = z.object({
  via: z.enum(['controlcenter', 'cli']),
  /** Why the CLI was used (the Control Center error), when it was. */
  fallbackReason: z.string().optional(),
  services: z.array(service),
});
export type ServicesObservation = z.infer<typeof servicesSchema>;

/** Reason codes whose text the CLI prints (wire-formats §2.5). */
const REASON_CODES: Record<string, number> = {
  successful: -1,
  'service not activated': -1068,
  'commanded out of service': -1069,
  'component is not running': -1019,
  'service activated': -1,
};

const CLI_STATUS: Record<ServiceEntry['status'], (typeof SERVICE_STATUSES)[number]> = {
  STARTED: 'Started',
  STOPPED: 'Stopped',
  STARTING: 'Starting',
  STOPPING: 'Stopping',
  'NOT STARTED': 'Stopped',
  UNKNOWN: 'Unknown',
};

/**
 * Start times derived from UpTime jitter by a second between polls (UpTime is whole seconds, our
 * clock is not the node's); the previous value is kept while it agrees within 2 s, so an
 * unchanged service yields an unchanged observation (and unchanged series).
 */
const startTimes = new Map<string, number>();
function startTime(key: string, now: number, upTimeSeconds: number): number {
  const t = Math.round(now / 1000 - upTimeSeconds);
  const prev = startTimes.get(key);
  if (prev !== undefined && Math.abs(prev - t) <= 2) return prev;
  startTimes.set(key, t);
  return t;
}

/** Errors that mean "the SOAP service is not there", as opposed to "the node refuses us". */
const FALLBACK_KINDS = new Set(['connection', 'http', 'fault']);

export const servicesSource: Source<ServicesObservation> = {
  name: 'services',
  scope: 'node',
  products: ['cucm', 'imp'],
  lane: 'soap',
  backsOff: true,
  schema: servicesSchema,
  timeoutMs: ({ requestTimeoutMs, cliTimeoutMs, intervalMs }) => Math.min(requestTimeoutMs + cliTimeoutMs, intervalMs),
  async poll(ctx) {
    let soapError: unknown;
    try {
      const r = await ctx.clients.controlCenter.getServiceStatus();
      ctx.reportProblems('soapGetServiceStatus', r.unparsed);
      const now = Date.now();
      return {
        via: 'controlcenter',
        services: r.services.map((s) => ({
          name: s.name,
          status: s.status ?? 'Unknown',
          reasonCode: s.reasonCode ?? null,
          reason: s.status === 'Started' ? null : (s.reasonCodeString?.trim() || null),
          startTime:
            s.status === 'Started' && typeof s.upTimeSeconds === 'number' && s.upTimeSeconds >= 0
              ? startTime(`${ctx.cluster.name}/${ctx.node.name}/${s.name}`, now, s.upTimeSeconds)
              : null,
        })),
      };
    } catch (err) {
      if (!FALLBACK_KINDS.has(errorKind(err))) throw err;
      soapError = err;
    }
    let text: string;
    try {
      text = await ctx.clients.cli.run('utils service list', { timeoutMs: ctx.cliTimeoutMs, signal: ctx.signal });
    } catch (cliErr) {
      // Both ways failed: report the SOAP error kind (the primary protocol), naming both.
      const kind = errorKind(soapError);
      throw new CollectError(kind === 'internal' ? 'connection' : kind, `${(soapError as Error).message}; utils service list: ${(cliErr as Error).message}`);
    }
    const list = parseServiceList(text, ctx.node.name);
    ctx.reportProblems('utils service list', list.unparsed);
    return {
      via: 'cli',
      fallbackReason: (soapError as Error).message,
      services: list.services.map((s) => ({
        name: s.name,
        status: CLI_STATUS[s.status],
        reasonCode: s.status === 'STARTED' ? -1 : (s.reason ? REASON_CODES[s.reason.toLowerCase()] ?? null : null),
        reason: s.status === 'STARTED' ? null : s.reason,
        startTime: null,
      })),
    };
  },
  emit(obs, out) {
    for (const s of obs.value?.services ?? []) {
      const labels = { cluster: obs.cluster, node: obs.node, service: s.name };
      emitOneHot(out, 'serviceStatus', labels, s.status);
      // A Started service's code is -1 "Successful": implied by the status, not repeated.
      if (s.reasonCode !== null && s.status !== 'Started') out('serviceReasonCode', labels, s.reasonCode);
      if (s.reason) out('serviceReason', { ...labels, reason: s.reason }, 1);
      if (s.startTime !== null) out('serviceStartTime', labels, s.startTime);
    }
  },
};
