// The lab control API (common brief, interface 3): HTTP/JSON on 127.0.0.1. Tests, the CLI
// (`impulse lab fault …`) and the demo dashboard inject and clear faults through it, read the
// state (HA, services, replication, faults, front-end stats for leak checks) and drive HA
// operations (manual failover/fallback/recovery) and the simulated clock.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { LabManifest } from '../manifest';
import type { LabState, StateNode } from '../state/deployment';
import { HaOperationError } from '../state/ha';
import { FAULT_KINDS, KINDS } from './kinds';
import { FaultError, type FaultManager } from './manager';

const MAX_BODY = 64 * 1024;

const faultBody = z
  .object({
    kind: z.string().min(1),
    target: z.string().min(1),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();
const failoverBody = z.object({ node: z.string().min(1).optional() }).strict();
const groupPatch = z.object({ haEnabled: z.boolean().optional(), autoFallback: z.boolean().optional() }).strict();
const advanceBody = z.object({ ms: z.number().int().min(0).max(30 * 86_400_000) }).strict();

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ControlApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ControlApiOptions {
  lab: LabState;
  faults: FaultManager;
  manifest: () => LabManifest | undefined;
  host?: string;
  port: number;
}

function nodeState(n: StateNode, now: number) {
  return {
    name: n.name,
    cluster: n.cluster.name,
    product: n.product,
    role: n.role,
    host: n.host,
    group: n.group?.name,
    ha: n.ha,
    services: n.services.map((s) => ({ name: s.name, status: s.status, reasonCode: s.reasonCode, critical: s.critical, activated: s.activated })),
    replication: n.replication.toJSON(),
    faults: { ...n.faults },
    stats: { ...n.stats },
    activeJsmSessions: n.product === 'imp' ? (n.counters.value('Cisco Presence Engine', undefined, 'ActiveJsmSessions', now) ?? null) : undefined,
    certificates: n.certificates.map((c) => ({ unit: c.unit, notAfter: c.notAfter.toISOString(), signedBy: c.signedBy ?? null })),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not JSON');
  }
}

function validate<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new HttpError(400, `${what}: ${r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** 127.0.0.0/8, ::1, localhost: the control API changes the lab and has no sign-in of its own. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\./.test(h);
}

export function startControlApi(opts: ControlApiOptions): Promise<ControlApi> {
  const { lab, faults } = opts;
  const host = opts.host ?? '127.0.0.1';
  // Anyone who reaches it can break the lab (and the dashboards watching it): this machine only.
  if (!isLoopback(host)) return Promise.reject(new Error(`the lab control API listens on loopback only (127.0.0.1, ::1), not ${host}`));

  const route = async (req: IncomingMessage): Promise<{ status: number; body?: unknown }> => {
    const url = new URL(req.url ?? '/', 'http://lab');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const now = lab.clock.now();
    for (const g of lab.groups()) g.ha.update(now); // phases in the answer are current
    if (parts[0] !== 'v1') throw new HttpError(404, `no such resource ${url.pathname} (the API lives under /v1)`);
    const [, res, id, action] = parts;
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) throw new HttpError(405, `${method} is not allowed on ${url.pathname} (allowed: ${methods.join(', ')})`);
    };
    switch (res) {
      case 'manifest': {
        allow('GET');
        const m = opts.manifest();
        if (!m) throw new HttpError(404, 'no manifest (the lab is still starting)');
        return { status: 200, body: m };
      }
      case 'state':
        allow('GET');
        return {
          status: 200,
          body: {
            seed: lab.seed,
            clock: { now: new Date(now).toISOString(), timeScale: lab.clock.timeScale },
            groups: lab.groups().map((g) => ({ name: g.name, cluster: g.cluster.name, haEnabled: g.haEnabled, autoFallback: g.ha.autoFallback, phase: g.ha.phaseKind, nodes: g.nodes.map((n) => n.name) })),
            clusters: lab.clusters.map((c) => ({ name: c.name, product: c.product, users: c.users.count, alteredUsers: c.users.alteredIndices().length })),
            nodes: lab.nodes.map((n) => nodeState(n, now)),
            faults: faults.list(),
          },
        };
      case 'stats': {
        allow('GET');
        const nodes = Object.fromEntries(lab.nodes.map((n) => [n.name, { ...n.stats }]));
        const totals: Record<string, number> = {};
        for (const s of Object.values(nodes)) for (const [k, v] of Object.entries(s)) totals[k] = (totals[k] ?? 0) + v;
        return { status: 200, body: { nodes, totals } };
      }
      case 'kinds':
        allow('GET');
        return { status: 200, body: { kinds: FAULT_KINDS.map((k) => ({ kind: k, scope: KINDS[k].scope, summary: KINDS[k].summary })) } };
      case 'faults': {
        if (id === undefined) {
          allow('GET', 'POST', 'DELETE');
          if (method === 'GET') return { status: 200, body: { faults: faults.list() } };
          if (method === 'DELETE') return { status: 200, body: { cleared: faults.clearAll() } };
          const body = validate(faultBody, await readJson(req), 'POST /v1/faults');
          const record = faults.inject(body);
          return { status: 201, body: record };
        }
        allow('GET', 'DELETE');
        const record = faults.get(id);
        if (!record) throw new HttpError(404, `no active fault '${id}'`);
        if (method === 'GET') return { status: 200, body: record };
        faults.clear(id);
        return { status: 200, body: { cleared: id } };
      }
      case 'groups': {
        if (id === undefined) {
          allow('GET');
          return { status: 200, body: { groups: lab.groups().map((g) => ({ name: g.name, haEnabled: g.haEnabled, autoFallback: g.ha.autoFallback, phase: g.ha.phaseKind, nodes: g.nodes.map((n) => ({ name: n.name, ha: n.ha })) })) } };
        }
        const g = lab.group(id);
        if (!g) throw new HttpError(404, `no presence redundancy group '${id}'`);
        const anchor = g.nodes[0];
        if (action === undefined) {
          allow('GET', 'PATCH');
          if (method === 'PATCH') {
            const body = validate(groupPatch, await readJson(req), `PATCH /v1/groups/${id}`);
            lab.change(anchor, (t) => {
              if (body.autoFallback !== undefined) {
                g.ha.update(t);
                g.ha.autoFallback = body.autoFallback;
              }
              if (body.haEnabled !== undefined) g.ha.setEnabled(body.haEnabled, t);
            });
          }
          return { status: 200, body: { name: g.name, haEnabled: g.haEnabled, autoFallback: g.ha.autoFallback, nodes: g.nodes.map((n) => ({ name: n.name, ha: n.ha })) } };
        }
        allow('POST');
        if (action === 'failover') {
          const body = validate(failoverBody, await readJson(req), `POST /v1/groups/${id}/failover`);
          lab.change(anchor, (t) => g.ha.failover(body.node ?? g.nodes[0].name, t));
        } else if (action === 'fallback') {
          lab.change(anchor, (t) => g.ha.fallback(t));
        } else if (action === 'recover') {
          lab.change(anchor, (t) => g.ha.recover(t));
        } else {
          throw new HttpError(404, `no group action '${action}' (failover, fallback, recover)`);
        }
        return { status: 200, body: { name: g.name, nodes: g.nodes.map((n) => ({ name: n.name, ha: n.ha })) } };
      }
      case 'clusters': {
        allow('GET');
        const c = id === undefined ? undefined : lab.cluster(id);
        if (!c) throw new HttpError(404, id === undefined ? 'name a cluster: /v1/clusters/<name>/anomalies' : `no cluster '${id}'`);
        if (action !== 'anomalies') throw new HttpError(404, `no such resource ${url.pathname} (try /v1/clusters/${id}/anomalies)`);
        return { status: 200, body: { cluster: c.name, users: c.users.alteredIndices().map((i) => ({ index: i, ...c.users.user(i) })) } };
      }
      case 'clock': {
        if (id !== 'advance') throw new HttpError(404, 'use POST /v1/clock/advance { "ms": N }');
        allow('POST');
        const body = validate(advanceBody, await readJson(req), 'POST /v1/clock/advance');
        lab.clock.advance(body.ms);
        for (const g of lab.groups()) g.ha.update(lab.clock.now());
        return { status: 200, body: { now: new Date(lab.clock.now()).toISOString() } };
      }
      default:
        throw new HttpError(404, `no such resource ${url.pathname}`);
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (!isLoopback(req.socket.remoteAddress ?? '')) return send(res, 403, { error: 'the lab control API answers this machine only' });
    route(req).then(
      ({ status, body }) => send(res, status, body),
      (err: unknown) => {
        if (err instanceof HttpError) return send(res, err.status, { error: err.message });
        if (err instanceof FaultError) return send(res, err.status, { error: err.message });
        if (err instanceof HaOperationError) return send(res, 409, { error: err.message });
        if (err instanceof RangeError) return send(res, 400, { error: err.message });
        send(res, 500, { error: err instanceof Error ? err.message : String(err) });
      },
    );
  };

  const server: Server = createServer(handle);
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body, null, 2) + '\n';
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
