// AXL executeSQLQuery against a cluster's publisher (reference/wire-formats.md §3).
//
//   const axl = new AxlClient(publisherTransport, { version: '12.5' });
//   const rows = await axl.query("select name, nodeid from processnode where nodeid > 1");
//   const users = await axl.queryPaged('pkid, userid, mailid, directoryuri from enduser order by pkid', 5000);
//
// Rules (§3.6, §5 lesson 6): one query at a time per cluster (wait for each answer; never send
// duplicates), result sets under 8 MB (page with Informix `select skip N first M …` and shrink
// the page when the node says "Query request too large … Suggestive Row Fetch: less than N rows"),
// and "Maximum AXL Memory Allocation Consumed" → wait and retry, a bounded number of times.
import { CollectError, SoapFaultError } from '../errors';
import { parseAxlSqlResponse } from '../parsers/axl-sql';
import { envelope, xmlEscape } from './envelope';
import type { SoapTransport } from './http';

export const AXL_PATH = '/axl/';
export const DEFAULT_AXL_VERSION = '12.5';

export type AxlRow = ReturnType<typeof parseAxlSqlResponse>[number];

/** Runs tasks strictly one after another (one per cluster: share it between AxlClients of a cluster). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Tasks waiting or running. */
  get size(): number {
    return this.pending;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(task, task);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => {
      this.pending--;
    });
  }
}

export interface AxlClientOptions {
  /** AXL schema version for the namespace and SOAPAction ("12.5" works on 12.5, 14 and 15). */
  version?: string;
  /** Queue shared by every AxlClient of the same cluster. Default: one of its own. */
  queue?: SerialQueue;
  /** Retries after "Maximum AXL Memory Allocation Consumed". Default 3. */
  memoryRetries?: number;
  /** Wait before the first such retry, ms (doubles each time). Default 5000. */
  memoryRetryDelayMs?: number;
  /** Per-query timeout, ms (default: the transport's). */
  timeoutMs?: number;
}

export interface PageInfo {
  /** Rows skipped before this page. */
  offset: number;
  /** Page size asked for (after any shrinking). */
  pageSize: number;
  rows: number;
}

export interface QueryPagedOptions {
  /** Called after each page (progress, metrics). */
  onPage?(page: PageInfo): void;
  /** Stops after this many rows (safety net). Default 5 000 000. */
  maxRows?: number;
}

const TOO_LARGE = /Query request too large.*Suggestive Row Fetch:\s*less than\s*(\d+)\s*rows/is;
const MEMORY = /Maximum AXL Memory Allocation Consumed/i;

export class AxlClient {
  readonly version: string;
  private readonly queue: SerialQueue;
  private readonly opts: AxlClientOptions;

  constructor(
    readonly transport: SoapTransport,
    opts: AxlClientOptions = {},
  ) {
    this.opts = opts;
    this.version = opts.version ?? DEFAULT_AXL_VERSION;
    if (!/^\d+\.\d+$/.test(this.version)) throw new CollectError('config', `AXL version must look like 12.5, not '${this.version}'`);
    this.queue = opts.queue ?? new SerialQueue();
  }

  /**
   * One executeSQLQuery (queued behind any other query of this cluster). Rows have lower-case column
   * names. `timeoutMs` overrides the client's timeout for a query known to be slow (a large page).
   */
  query(sql: string, opts: { timeoutMs?: number } = {}): Promise<AxlRow[]> {
    return this.queue.run(() => this.queryWithMemoryRetry(sql, opts.timeoutMs));
  }

  /**
   * Reads a large result in pages: `select skip N first M <rest>` until a page comes back short.
   * `rest` is the statement after the `select` keyword and must have a stable `order by`.
   * The page size shrinks when the node answers "Query request too large".
   */
  async queryPaged(rest: string, pageSize: number, opts: QueryPagedOptions = {}): Promise<AxlRow[]> {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new CollectError('config', `AXL page size must be a positive integer, not ${pageSize}`);
    const body = rest.trim().replace(/^select\s+/i, '');
    const maxRows = opts.maxRows ?? 5_000_000;
    const all: AxlRow[] = [];
    let size = pageSize;
    let offset = 0;
    let shrinks = 0;
    for (;;) {
      let rows: AxlRow[];
      try {
        rows = await this.query(`select skip ${offset} first ${size} ${body}`);
      } catch (err) {
        const m = err instanceof SoapFaultError ? TOO_LARGE.exec(err.faultstring) : null;
        if (!m || shrinks >= 10) throw err;
        shrinks++;
        const suggested = Number(m[1]);
        // "less than N rows": stay a tenth below, and always shrink.
        size = Math.max(1, Math.min(size - 1, Math.floor(suggested * 0.9)));
        continue;
      }
      all.push(...rows);
      opts.onPage?.({ offset, pageSize: size, rows: rows.length });
      if (rows.length < size) return all;
      offset += rows.length;
      if (all.length >= maxRows) throw new CollectError('fault', `${this.transport.node}: executeSQLQuery paging stopped after ${all.length} rows (maxRows)`);
    }
  }

  private async queryWithMemoryRetry(sql: string, timeoutMs?: number): Promise<AxlRow[]> {
    const retries = this.opts.memoryRetries ?? 3;
    let delay = this.opts.memoryRetryDelayMs ?? 5000;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.send(sql, timeoutMs);
      } catch (err) {
        if (!(err instanceof SoapFaultError) || !MEMORY.test(err.faultstring) || attempt >= retries) throw err;
        await new Promise((r) => setTimeout(r, delay));
        delay *= 2;
      }
    }
  }

  private send(sql: string, timeoutMs?: number): Promise<AxlRow[]> {
    return this.transport.request({
      protocol: 'axl',
      operation: 'executeSQLQuery',
      path: AXL_PATH,
      soapAction: `"CUCM:DB ver=${this.version} executeSQLQuery"`,
      body: envelope('ns', `http://www.cisco.com/AXL/API/${this.version}`, `<ns:executeSQLQuery><sql>${xmlEscape(sql)}</sql></ns:executeSQLQuery>`),
      parse: parseAxlSqlResponse,
      timeoutMs: timeoutMs ?? this.opts.timeoutMs,
    });
  }
}
