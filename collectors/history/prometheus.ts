// Chart history from Prometheus (prometheus.url in the config): the same series definitions and
// the same result shape as the embedded store. Each series is one query_range of PromQL built
// from its metric name and cluster/node matchers, aggregated by its split label (which also folds
// duplicates from several scrapers into one line). Within raw retention the step is the series'
// collection interval; beyond it, or when maxPoints asks for fewer points, min/avg/max over_time
// windows of the step (5 minutes or a multiple of the native step), stamped at the window start
// as the embedded store stamps its buckets. Any failure (unreachable, TLS, HTTP 4xx/5xx, not the JSON
// API) rejects the query with a plain reason and makes status() unavailable; nothing throws out
// of the service.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { Inventory } from '../../config/resolve';
import { createNodeAgent } from '../clients/http';
import { isTlsErrorCode, type Trust } from '../clients/trust';
import { metrics } from '../metrics/catalogue';
import type { SeriesDef } from '../metrics/series';
import { checkQuery, findNode, finishSeries, RAW_RETENTION_MS, resolutionFor, ROLLUP_STEP_MS, seriesOfQuery, stepPlan } from './plan';
import type { HistoryBackend, HistoryQuery, HistoryResult, HistoryStatus, Point } from './types';

export interface PrometheusHistoryOptions {
  /** Base URL of the HTTP API (no credentials; a path prefix is kept). */
  url: string;
  /** Resolves the bearer token when a request needs it (a SecretError names the reference, never the value). */
  bearerToken?: () => string;
  trust: Trust;
  timeoutMs: number;
  inventory?: Inventory;
  now?: () => number;
  /** Queries sent at once for one chart page. */
  concurrency?: number;
  log?: (line: string) => void;
}

/** Prometheus refuses more points than this per series (query_range). */
const MAX_POINTS = 11_000;
const MAX_BODY = 64 * 1024 * 1024;

const apiSchema = z.object({
  status: z.enum(['success', 'error']),
  data: z.unknown().optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
});
const matrixSchema = z.object({
  resultType: z.literal('matrix'),
  result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) })),
});
type Matrix = z.infer<typeof matrixSchema>['result'];

export class PrometheusError extends Error {
  override name = 'PrometheusError';
}

/** A PromQL string literal. */
export function promString(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The selector of a series on one node. */
export function seriesSelector(def: SeriesDef, cluster: string, node: string): string {
  return `${metrics[def.metric].name}{cluster=${promString(cluster)},node=${promString(node)}}`;
}

/** The PromQL of a chart line set: raw values, or one of min/avg/max over windows of `windowMs`. */
export function seriesQuery(def: SeriesDef, cluster: string, node: string, rollup?: 'min' | 'avg' | 'max', windowMs = ROLLUP_STEP_MS): string {
  const sel = seriesSelector(def, cluster, node);
  const inner = rollup ? `${rollup}_over_time(${sel}[${windowMs / 1000}s])` : sel;
  const agg = rollup === 'min' ? 'min' : rollup === 'avg' ? 'avg' : 'max';
  return def.splitBy ? `${agg} by (${def.splitBy}) (${inner})` : `${agg}(${inner})`;
}

export class PrometheusHistory implements HistoryBackend {
  readonly kind = 'prometheus' as const;
  private state: HistoryStatus = { available: true };
  private readonly base: URL;
  /** The URL as shown in messages: never credentials, never the token. */
  readonly display: string;
  private readonly agent: http.Agent | https.Agent;
  private readonly now: () => number;

  constructor(private readonly opts: PrometheusHistoryOptions) {
    this.base = new URL(opts.url.replace(/\/+$/, '') + '/');
    this.base.username = '';
    this.base.password = '';
    this.display = `${this.base.origin}${this.base.pathname.replace(/\/$/, '')}`;
    this.now = opts.now ?? Date.now;
    this.agent =
      this.base.protocol === 'https:'
        ? createNodeAgent(opts.trust, [this.base.hostname], { maxSockets: 8, servername: isIP(this.base.hostname) === 0 ? this.base.hostname : undefined, timeoutMs: opts.timeoutMs })
        : new http.Agent({ keepAlive: true, maxSockets: 8 });
  }

  status(): HistoryStatus {
    return { ...this.state };
  }

  /** Asks Prometheus whether it answers (buildinfo); updates status(). */
  async probe(): Promise<HistoryStatus> {
    try {
      await this.api('api/v1/status/buildinfo', {});
    } catch {
      // api() has recorded the reason
    }
    return this.status();
  }

  close(): void {
    this.agent.destroy();
  }

  async query(q: HistoryQuery): Promise<HistoryResult> {
    checkQuery(q);
    const node = findNode(this.opts.inventory, q.cluster, q.node);
    const defs = seriesOfQuery(q, node);
    const resolution = resolutionFor(q, this.now(), RAW_RETENTION_MS);
    const jobs = defs.map((def) => async () => {
      const byKey = new Map<string, Point[]>();
      const plan = stepPlan(def, q, resolution, node, MAX_POINTS);
      const step = plan.stepMs;
      if (resolution === 'raw' && !plan.aggregate) {
        const start = Math.ceil(q.from / step) * step;
        const m = await this.range(seriesQuery(def, q.cluster, q.node), start, q.to, step);
        for (const s of m) byKey.set(lineKey(def, s.metric), toPoints(s.values));
        return finishSeries(def, step, byKey);
      }
      // Min/avg/max over windows of one step; the window ending at T covers (T - step, T] and is
      // stamped at T - step, the bucket start, as the embedded store stamps its buckets.
      const start = Math.floor(q.from / step) * step + step;
      const end = Math.floor(q.to / step) * step + step;
      const [mins, avgs, maxs] = await Promise.all((['min', 'avg', 'max'] as const).map((f) => this.range(seriesQuery(def, q.cluster, q.node, f, step), start, end, step)));
      const index = (m: Matrix) => new Map(m.map((s) => [lineKey(def, s.metric), new Map(toPoints(s.values).map((p) => [p.t, p.v]))]));
      const lo = index(mins);
      const hi = index(maxs);
      for (const s of avgs) {
        const key = lineKey(def, s.metric);
        const points: Point[] = [];
        for (const p of toPoints(s.values)) {
          const t = p.t - step;
          if (t > q.to) continue;
          points.push({ t, v: p.v, min: lo.get(key)?.get(p.t) ?? p.v, max: hi.get(key)?.get(p.t) ?? p.v });
        }
        byKey.set(key, points);
      }
      return finishSeries(def, step, byKey);
    });
    const series = await pool(jobs, this.opts.concurrency ?? 6);
    return { backend: 'prometheus', series };
  }

  private async range(query: string, startMs: number, endMs: number, stepMs: number): Promise<Matrix> {
    if (endMs < startMs) return [];
    const data = await this.api('api/v1/query_range', { query, start: String(startMs / 1000), end: String(endMs / 1000), step: `${stepMs / 1000}s` });
    const m = matrixSchema.safeParse(data);
    if (!m.success) throw this.fail(`Prometheus at ${this.display} answered query_range with an unexpected shape: ${m.error.issues[0]?.message ?? 'invalid'}`);
    return m.data.result;
  }

  /** One GET of the HTTP API; the envelope's data, or a PrometheusError that also sets status(). */
  private async api(path: string, params: Record<string, string>): Promise<unknown> {
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.opts.bearerToken) {
      try {
        headers.authorization = `Bearer ${this.opts.bearerToken()}`;
      } catch (err) {
        throw this.fail(`prometheus.bearerToken: ${(err as Error).message}`);
      }
    }
    let res: { status: number; type: string; body: string };
    try {
      res = await this.get(url, headers);
    } catch (err) {
      throw this.fail(this.describeNetworkError(err));
    }
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      if (res.status >= 400) throw this.fail(`Prometheus at ${this.display} answered HTTP ${res.status}${authHint(res.status)}`);
      throw this.fail(`Prometheus at ${this.display} did not answer with its JSON API (HTTP ${res.status}, ${res.type || 'no content type'}); is prometheus.url the Prometheus server?`);
    }
    const env = apiSchema.safeParse(json);
    if (!env.success) throw this.fail(`Prometheus at ${this.display} did not answer with its JSON API (HTTP ${res.status}); is prometheus.url the Prometheus server?`);
    if (res.status >= 400 || env.data.status === 'error') {
      const why = [env.data.errorType, env.data.error].filter(Boolean).join(': ');
      throw this.fail(`Prometheus at ${this.display} answered HTTP ${res.status}${why ? `: ${why}` : ''}${authHint(res.status)}`);
    }
    if (!this.state.available) this.opts.log?.(`Prometheus at ${this.display} answers again; charts read history from it`);
    this.state = { available: true };
    return env.data.data;
  }

  private get(url: URL, headers: Record<string, string>): Promise<{ status: number; type: string; body: string }> {
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method: 'GET', headers, agent: this.agent, timeout: this.opts.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) {
            req.destroy(Object.assign(new Error(`answer larger than ${MAX_BODY / 1024 / 1024} MB`), { code: 'ETOOBIG' }));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end();
    });
  }

  private describeNetworkError(err: unknown): string {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ETIMEDOUT') return `Prometheus at ${this.display} did not answer within ${this.opts.timeoutMs / 1000} s`;
    if (isTlsErrorCode(e.code)) return `Prometheus at ${this.display}: TLS verification failed: ${e.code}${e.message && !e.message.includes(e.code ?? '') ? ` (${e.message})` : ''}; check prometheus.tls`;
    return `Prometheus at ${this.display} is unreachable: ${[e.code, e.message].filter(Boolean).join(' ')}`;
  }

  /** Records the failure for status() (logged when it starts) and returns it to throw. */
  private fail(reason: string): PrometheusError {
    if (this.state.available || this.state.reason !== reason) {
      if (this.state.available) this.opts.log?.(`history is unavailable: ${reason}`);
      this.state = { available: false, reason };
    }
    return new PrometheusError(reason);
  }
}

function authHint(status: number): string {
  return status === 401 || status === 403 ? ' (check prometheus.bearerToken)' : '';
}

function lineKey(def: SeriesDef, metric: Record<string, string>): string {
  return def.splitBy ? (metric[def.splitBy] ?? '') : '';
}

function toPoints(values: ReadonlyArray<[number, string]>): Point[] {
  const out: Point[] = [];
  for (const [ts, raw] of values) {
    const v = Number(raw);
    if (Number.isFinite(v)) out.push({ t: Math.round(ts * 1000), v });
  }
  return out;
}

async function pool<T>(jobs: Array<() => Promise<T>>, size: number): Promise<T[]> {
  const out = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, jobs.length) }, worker));
  return out;
}
