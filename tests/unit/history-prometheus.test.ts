// The Prometheus history back end against a fake Prometheus: the PromQL it sends is built from the
// series definitions, answers come back in the embedded store's shape, and every way Prometheus
// can fail (unreachable, slow, 4xx/5xx, not its JSON API, an unexpected shape, an unset token)
// makes history unavailable with a plain reason — never a crash, never the token in a message.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusHistory, seriesQuery } from '../../collectors/history/prometheus';
import { seriesById } from '../../collectors/metrics/series';
import { resolveSecret } from '../../config/secrets';

const HOST = '127.110.0.1';
const TOKEN = 'prom-secret-token-1234';
let server: Server;
let base = '';
let handler: (req: IncomingMessage, res: ServerResponse, url: URL) => void = () => {};
const seen: Array<{ url: URL; auth?: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ url, auth: req.headers.authorization });
    handler(req, res, url);
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  base = `http://${HOST}:${(server.address() as AddressInfo).port}/prom`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const NOW = Date.UTC(2026, 4, 1, 12);

function backend(o: Partial<ConstructorParameters<typeof PrometheusHistory>[0]> = {}) {
  const logs: string[] = [];
  const b = new PrometheusHistory({ url: base, trust: { mode: 'system' }, timeoutMs: 2000, now: () => NOW, log: (l) => logs.push(l), bearerToken: () => TOKEN, ...o });
  return { b, logs };
}

describe('PromQL from the series definitions', () => {
  it('selects the metric on the node and aggregates by the split label', () => {
    expect(seriesQuery(seriesById.get('cpu')!, 'imp01', 'imp01-pub')).toBe('max(impulse_cpu_usage_ratio{cluster="imp01",node="imp01-pub"})');
    expect(seriesQuery(seriesById.get('partitions')!, 'imp01', 'a"b\\c')).toBe('max by (partition) (impulse_partition_used_ratio{cluster="imp01",node="a\\"b\\\\c"})');
    expect(seriesQuery(seriesById.get('jsm-sessions')!, 'imp01', 'n', 'min')).toBe('min by (kind) (min_over_time(impulse_jsm_sessions{cluster="imp01",node="n"}[300s]))');
  });
});

describe('Prometheus history back end', () => {
  it('answers raw ranges in the store\'s shape, one query_range per series at the collection interval', async () => {
    seen.length = 0;
    handler = (_req, res, url) => {
      const q = url.searchParams.get('query')!;
      const start = Number(url.searchParams.get('start'));
      const values = [0, 1, 2].map((i) => [start + i * 30, String(0.5 + i / 100)]);
      if (q.includes('partition')) json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: { partition: 'Common' }, values }, { metric: { partition: 'Active' }, values }] } });
      else if (q.includes('cpu')) json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [...values, [start + 90, 'NaN']] }] } });
      else json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [] } });
    };
    const { b } = backend();
    const r = await b.query({ cluster: 'imp01', node: 'imp01-pub', series: ['cpu', 'partitions', 'memory'], from: NOW - 3_600_000 + 1, to: NOW });
    expect(r.backend).toBe('prometheus');
    // SERIES order, whatever order the query named them in.
    expect(r.series.map((s) => s.id)).toEqual(['cpu', 'memory', 'partitions']);
    const cpu = r.series[0];
    expect(cpu.stepMs).toBe(30_000);
    // Aligned to the step; NaN dropped.
    expect(cpu.lines).toEqual([{ key: '', labels: {}, points: [0, 1, 2].map((i) => ({ t: NOW - 3_600_000 + 30_000 + i * 30_000, v: 0.5 + i / 100 })) }]);
    expect(r.series[2].lines.map((l) => [l.key, l.labels])).toEqual([['Active', { partition: 'Active' }], ['Common', { partition: 'Common' }]]);
    expect(r.series[1].lines).toEqual([]);
    const ranges = seen.filter((s) => s.url.pathname === '/prom/api/v1/query_range');
    expect(ranges).toHaveLength(3);
    expect(ranges.every((s) => s.auth === `Bearer ${TOKEN}` && s.url.searchParams.get('step') === '30s')).toBe(true);
    expect(b.status()).toEqual({ available: true });
  });

  it('answers long ranges with 5-minute min/avg/max stamped at the window start', async () => {
    seen.length = 0;
    handler = (_req, res, url) => {
      const q = url.searchParams.get('query')!;
      const start = Number(url.searchParams.get('start'));
      const v = q.startsWith('min') ? '1' : q.startsWith('max') ? '9' : '5';
      json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: { kind: 'client' }, values: [[start, v], [start + 300, v]] }] } });
    };
    const { b } = backend();
    const from = NOW - 7 * 86_400_000;
    const r = await b.query({ cluster: 'imp01', node: 'imp01-pub', series: ['jsm-sessions'], from, to: NOW });
    expect(r.series[0].stepMs).toBe(300_000);
    expect(r.series[0].lines[0].points).toEqual([
      { t: from, v: 5, min: 1, max: 9 },
      { t: from + 300_000, v: 5, min: 1, max: 9 },
    ]);
    expect(seen.map((s) => s.url.searchParams.get('query')!.slice(0, 3)).sort()).toEqual(['avg', 'max', 'min']);
  });

  it('maxPoints: over_time windows of a multiple of the interval, stamped at the window start', async () => {
    seen.length = 0;
    handler = (_req, res, url) => {
      const q = url.searchParams.get('query')!;
      const start = Number(url.searchParams.get('start'));
      const v = q.startsWith('min') ? '1' : q.startsWith('max') ? '3' : '2';
      json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[start, v]] }] } });
    };
    const { b } = backend();
    const from = NOW - 86_400_000;
    const r = await b.query({ cluster: 'imp01', node: 'n', series: ['cpu'], from, to: NOW, maxPoints: 96 });
    expect(r.series[0].stepMs).toBe(900_000);
    expect(r.series[0].lines[0].points).toEqual([{ t: Math.floor(from / 900_000) * 900_000, v: 2, min: 1, max: 3 }]);
    expect(seen.map((s) => [s.url.searchParams.get('query'), s.url.searchParams.get('step')]).sort()).toEqual([
      ['avg(avg_over_time(impulse_cpu_usage_ratio{cluster="imp01",node="n"}[900s]))', '900s'],
      ['max(max_over_time(impulse_cpu_usage_ratio{cluster="imp01",node="n"}[900s]))', '900s'],
      ['min(min_over_time(impulse_cpu_usage_ratio{cluster="imp01",node="n"}[900s]))', '900s'],
    ]);
  });

  const failures: Array<[string, (req: IncomingMessage, res: ServerResponse) => void, RegExp]> = [
    ['HTTP 500 with an API error', (_q, res) => json(res, 500, { status: 'error', errorType: 'internal', error: 'out of memory' }), /answered HTTP 500: internal: out of memory/],
    ['HTTP 422 (a bad query)', (_q, res) => json(res, 422, { status: 'error', errorType: 'execution', error: 'query processing would load too many samples' }), /HTTP 422: execution: query processing would load too many samples/],
    ['HTTP 401 from a proxy', (_q, res) => res.writeHead(401, { 'content-type': 'text/html' }).end('<html>login</html>'), /answered HTTP 401 \(check prometheus\.bearerToken\)/],
    ['an HTML page with 200', (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Grafana</html>'), /did not answer with its JSON API \(HTTP 200, text\/html\)/],
    ['JSON that is not the API', (_q, res) => json(res, 200, { hello: 'world' }), /did not answer with its JSON API/],
    ['an unexpected result type', (_q, res) => json(res, 200, { status: 'success', data: { resultType: 'vector', result: [] } }), /unexpected shape/],
    ['no answer in time', () => undefined, /did not answer within 0.5 s/],
  ];
  for (const [what, h, reason] of failures) {
    it(`${what}: unavailable with the reason, then available again`, async () => {
      handler = (req, res) => h(req, res);
      const { b, logs } = backend({ timeoutMs: 500 });
      await expect(b.query({ cluster: 'imp01', node: 'n', series: ['cpu'], from: NOW - 60_000, to: NOW })).rejects.toThrow(reason);
      expect(b.status()).toMatchObject({ available: false, reason: expect.stringMatching(reason) });
      expect(b.status().reason).toContain(`Prometheus at ${base}`);
      expect(JSON.stringify([b.status(), logs])).not.toContain(TOKEN);
      handler = (_q, res) => json(res, 200, { status: 'success', data: {} });
      expect(await b.probe()).toEqual({ available: true });
      expect(logs).toHaveLength(2);
    });
  }

  it('unreachable: names the address and the error, and stays a rejected promise', async () => {
    const { b } = backend({ url: 'http://127.110.0.2:1' });
    await expect(b.query({ cluster: 'c', node: 'n', series: ['cpu'], from: NOW - 60_000, to: NOW })).rejects.toThrow(/Prometheus at http:\/\/127\.110\.0\.2:1 is unreachable: ECONNREFUSED/);
    expect(await b.probe()).toMatchObject({ available: false, reason: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('a token reference that cannot be resolved is named, never guessed', async () => {
    handler = (_q, res) => json(res, 200, { status: 'success', data: {} });
    const { b } = backend({ bearerToken: () => resolveSecret('env:IMPULSE_TEST_UNSET_PROM_TOKEN', false, {}) });
    expect(await b.probe()).toEqual({ available: false, reason: expect.stringMatching(/^prometheus\.bearerToken: environment variable IMPULSE_TEST_UNSET_PROM_TOKEN .* is not set/) });
  });
});
