// The dashboard's client of the built-in lab's control API (lab/faults/control-api.ts routes), used
// server-side only by the Lab panel: fault kinds, active faults, targets and presence redundancy
// groups, and the inject/clear/HA operations. Product code never imports lab/: it speaks HTTP and
// checks every answer with zod. The manifest's credentials are never read into the panel.
import { z } from 'zod';

const TIMEOUT_MS = 5000;

const kinds = z.object({ kinds: z.array(z.object({ kind: z.string(), scope: z.enum(['node', 'cluster']), summary: z.string() })) });
const fault = z.object({
  id: z.string(),
  kind: z.string(),
  target: z.string(),
  params: z.record(z.string(), z.unknown()).default({}),
  appliedAt: z.string(),
  nodes: z.array(z.string()),
  detail: z.string(),
});
const faults = z.object({ faults: z.array(fault) });
const state = z.object({
  clock: z.object({ now: z.string(), timeScale: z.number() }),
  groups: z.array(z.object({ name: z.string(), cluster: z.string(), haEnabled: z.boolean(), autoFallback: z.boolean().optional(), phase: z.string().optional(), nodes: z.array(z.string()) })),
  nodes: z.array(z.object({ name: z.string(), cluster: z.string(), product: z.enum(['cucm', 'imp']), role: z.enum(['publisher', 'subscriber']), host: z.string() })),
});

export type LabFault = z.infer<typeof fault>;

export interface LabPanel {
  kinds: z.infer<typeof kinds>['kinds'];
  faults: LabFault[];
  clusters: { name: string; product: 'cucm' | 'imp'; nodes: { name: string; role: 'publisher' | 'subscriber'; host: string }[] }[];
  groups: z.infer<typeof state>['groups'];
  clock: { now: string; timeScale: number };
}

export class LabControlError extends Error {
  override name = 'LabControlError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function call<T>(base: string, method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base.replace(/\/$/, '')}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      cache: 'no-store',
    });
  } catch (err) {
    throw new LabControlError(`the lab control API at ${base} does not answer: ${(err as Error).message}`, 502);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new LabControlError(`the lab control API answered ${method} ${path} with something that is not JSON (HTTP ${res.status})`, 502);
  }
  if (!res.ok) {
    const msg = typeof (json as { error?: unknown }).error === 'string' ? (json as { error: string }).error : `HTTP ${res.status}`;
    throw new LabControlError(msg, res.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new LabControlError(`unexpected answer to ${method} ${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 502);
  return parsed.data;
}

export async function labPanel(base: string): Promise<LabPanel> {
  const [k, f, s] = await Promise.all([call(base, 'GET', '/v1/kinds', kinds), call(base, 'GET', '/v1/faults', faults), call(base, 'GET', '/v1/state', state)]);
  const clusters: LabPanel['clusters'] = [];
  for (const n of s.nodes) {
    let c = clusters.find((x) => x.name === n.cluster);
    if (!c) clusters.push((c = { name: n.cluster, product: n.product, nodes: [] }));
    c.nodes.push({ name: n.name, role: n.role, host: n.host });
  }
  return { kinds: k.kinds, faults: f.faults, clusters, groups: s.groups, clock: s.clock };
}

const ok = z.unknown();

/** Params typed as the CLI would send them ("key=value" pairs; numbers and booleans stay strings, the lab coerces). */
export function parseParams(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text ?? '').split(/[\s,]+/).filter(Boolean)) {
    const m = /^([A-Za-z][\w-]*)=(.*)$/.exec(part);
    if (!m) throw new LabControlError(`parameter '${part}' is not key=value`, 400);
    out[m[1]] = m[2];
  }
  return out;
}

export async function injectFault(base: string, req: { kind: string; target: string; params?: Record<string, string> }): Promise<LabFault> {
  return call(base, 'POST', '/v1/faults', fault, { kind: req.kind, target: req.target, ...(req.params && Object.keys(req.params).length ? { params: req.params } : {}) });
}

export async function clearFault(base: string, id: string): Promise<void> {
  await call(base, 'DELETE', `/v1/faults/${encodeURIComponent(id)}`, ok);
}

export async function clearAllFaults(base: string): Promise<void> {
  await call(base, 'DELETE', '/v1/faults', ok);
}

export const GROUP_ACTIONS = ['failover', 'fallback', 'recover'] as const;
export type GroupAction = (typeof GROUP_ACTIONS)[number];

export async function groupAction(base: string, group: string, action: GroupAction): Promise<void> {
  await call(base, 'POST', `/v1/groups/${encodeURIComponent(group)}/${action}`, ok, {});
}
