// PerfMon (PerfmonService, reference/wire-formats.md §1) for one node.
//
// `PerfmonClient` — the nine raw operations, one HTTPS request each (except addCounters, which
//   re-adds the good paths after an Error=101 fault names the bad ones).
// `PerfmonSession` — the long-lived session the collector keeps per node (ARCHITECTURE.md,
//   protocol rules): open once, add counters in chunks, collect every interval; counter-set
//   changes are added/removed in place; a fault on add/collect discards the session and the
//   next call re-opens it. Every step reports how many requests it cost (PerfMon is rate
//   limited per node, §1.8).
//
//   const s = new PerfmonSession(new PerfmonClient(transport, { host: 'imp01-pub' }));
//   await s.ensure([counterPath('imp01-pub', 'Cisco Presence Engine', 'ActiveJsmSessions')]);
//   const { samples } = await s.collect();   // first collect after (re)open = baseline
//   await s.close();
import { CollectError, ParseError, SoapFaultError } from '../errors';
import {
  parsePerfmonAddCounterFault,
  parsePerfmonCollect,
  parsePerfmonCollectWithOperation,
  parsePerfmonListCounter,
  parsePerfmonListInstance,
  parsePerfmonOpenSession,
  parsePerfmonQueryCounterDescription,
  parsePerfmonResponse,
} from '../parsers/perfmon';
import type { Unparsed } from '../parsers/problems';
import { serviceabilityEnvelope, xmlEscape } from './envelope';
import type { SoapTransport } from './http';

export const PERFMON_PATH = '/perfmonservice2/services/PerfmonService';

/** One counter value as the node returned it (parsed from Name/Value/CStatus). */
export type CounterSample = ReturnType<typeof parsePerfmonCollect>[number];
/** One object from perfmonListCounter. */
export type PerfmonObjectInfo = ReturnType<typeof parsePerfmonListCounter>[number];

/**
 * `\\host\Object\Counter` or `\\host\Object(Instance)\Counter` (§1.6). `host` is the node name as
 * CUCM knows it (System > Server), which is also how the node labels returned samples.
 */
export function counterPath(host: string, object: string, counter: string, instance?: string): string {
  return `\\\\${host}\\${object}${instance !== undefined ? `(${instance})` : ''}\\${counter}`;
}

export interface PerfmonClientOptions {
  /** Node name as CUCM knows it: the default Host for list/collect operations. */
  host: string;
}

export interface AddCountersResult {
  /** Paths the node rejected (Error=101 unknown counter, Error=9 …); the others were added. */
  failed: string[];
  /** Requests sent (1, plus one per re-add after a partial failure). */
  requests: number;
}

/** Raw PerfMon operations. Every method is exactly one POST unless documented otherwise. */
export class PerfmonClient {
  readonly host: string;
  constructor(
    readonly transport: SoapTransport,
    opts: PerfmonClientOptions,
  ) {
    this.host = opts.host;
  }

  /** Path on this client's node. */
  path(object: string, counter: string, instance?: string): string {
    return counterPath(this.host, object, counter, instance);
  }

  openSession(): Promise<string> {
    return this.call('perfmonOpenSession', '<soap:perfmonOpenSession/>', parsePerfmonOpenSession);
  }

  /** Adds counters; returns the paths the node rejected (the rest are re-added and are in the session). */
  async addCounters(handle: string, paths: readonly string[]): Promise<string[]> {
    return (await this.addCountersDetailed(handle, paths)).failed;
  }

  /**
   * As addCounters, with the request count. When the fault names failing paths
   * ("Error found in Adding counters: Error=101 ErrorMsg=<path>;…", §1.7) the node's state for
   * the others is unknown, so they are sent again without the failing ones (bounded rounds).
   */
  async addCountersDetailed(handle: string, paths: readonly string[]): Promise<AddCountersResult> {
    const failed: string[] = [];
    let remaining = [...paths];
    let requests = 0;
    for (let round = 0; remaining.length > 0; round++) {
      requests++;
      try {
        await this.call('perfmonAddCounter', `<soap:perfmonAddCounter>${handleXml(handle)}${arrayOfCounter(remaining)}</soap:perfmonAddCounter>`, expectEmpty('perfmonAddCounter'));
        return { failed, requests };
      } catch (err) {
        if (!(err instanceof SoapFaultError) || err.kind !== 'fault' || round >= 3) throw err;
        const named = addCounterFaultPaths(err.faultstring);
        const bad = new Set(named.map((p) => p.toLowerCase()));
        const rejected = remaining.filter((p) => bad.has(p.toLowerCase()));
        if (rejected.length === 0) throw err; // the fault is not about our paths: not recoverable here
        failed.push(...rejected);
        remaining = remaining.filter((p) => !bad.has(p.toLowerCase()));
      }
    }
    return { failed, requests };
  }

  async removeCounters(handle: string, paths: readonly string[]): Promise<void> {
    await this.call('perfmonRemoveCounter', `<soap:perfmonRemoveCounter>${handleXml(handle)}${arrayOfCounter(paths)}</soap:perfmonRemoveCounter>`, expectEmpty('perfmonRemoveCounter'));
  }

  collectSessionData(handle: string): Promise<CounterSample[]> {
    return this.call('perfmonCollectSessionData', `<soap:perfmonCollectSessionData>${handleXml(handle)}</soap:perfmonCollectSessionData>`, parsePerfmonCollect);
  }

  /** As collectSessionData, with the Return records that could not be read (they cost only themselves). */
  collectSessionDataDetailed(handle: string): Promise<{ samples: CounterSample[]; unparsed: Unparsed[] }> {
    return this.call('perfmonCollectSessionData', `<soap:perfmonCollectSessionData>${handleXml(handle)}</soap:perfmonCollectSessionData>`, parsePerfmonCollectWithOperation);
  }

  async closeSession(handle: string): Promise<void> {
    await this.call('perfmonCloseSession', `<soap:perfmonCloseSession>${handleXml(handle)}</soap:perfmonCloseSession>`, expectEmpty('perfmonCloseSession'));
  }

  /** One-shot collect of every counter of one object (discovery and troubleshooter only: one request per object). */
  collectCounterData(object: string, host = this.host): Promise<CounterSample[]> {
    return this.call(
      'perfmonCollectCounterData',
      `<soap:perfmonCollectCounterData><soap:Host>${xmlEscape(host)}</soap:Host><soap:Object>${xmlEscape(object)}</soap:Object></soap:perfmonCollectCounterData>`,
      parsePerfmonCollect,
    );
  }

  listCounter(host = this.host): Promise<PerfmonObjectInfo[]> {
    return this.call('perfmonListCounter', `<soap:perfmonListCounter><soap:Host>${xmlEscape(host)}</soap:Host></soap:perfmonListCounter>`, parsePerfmonListCounter);
  }

  listInstance(object: string, host = this.host): Promise<string[]> {
    return this.call(
      'perfmonListInstance',
      `<soap:perfmonListInstance><soap:Host>${xmlEscape(host)}</soap:Host><soap:Object>${xmlEscape(object)}</soap:Object></soap:perfmonListInstance>`,
      parsePerfmonListInstance,
    );
  }

  /** `path` is a full counter path (§1.4: the body is `<soap:Counter>\\host\Object\Counter</soap:Counter>`). */
  queryCounterDescription(path: string): Promise<string> {
    return this.call(
      'perfmonQueryCounterDescription',
      `<soap:perfmonQueryCounterDescription><soap:Counter>${xmlEscape(path)}</soap:Counter></soap:perfmonQueryCounterDescription>`,
      parsePerfmonQueryCounterDescription,
    );
  }

  private call<T>(operation: string, inner: string, parse: (xml: string, source: string) => T): Promise<T> {
    return this.transport.request({
      protocol: 'perfmon',
      operation,
      path: PERFMON_PATH,
      soapAction: `"${operation}"`,
      body: serviceabilityEnvelope(inner),
      parse,
    });
  }
}

/** Add/remove/close answer with an empty `<opResponse/>`; anything else is not understood. */
function expectEmpty(operation: 'perfmonAddCounter' | 'perfmonRemoveCounter' | 'perfmonCloseSession') {
  return (xml: string, source: string): void => {
    const r = parsePerfmonResponse(xml, source);
    if (r.operation !== operation) throw new ParseError(source, undefined, `expected ${operation}Response, got ${r.operation}Response`);
  };
}

function handleXml(handle: string): string {
  return `<soap:SessionHandle>${xmlEscape(handle)}</soap:SessionHandle>`;
}

function arrayOfCounter(paths: readonly string[]): string {
  return `<soap:ArrayOfCounter>${paths.map((p) => `<soap:Counter><soap:Name>${xmlEscape(p)}</soap:Name></soap:Counter>`).join('')}</soap:ArrayOfCounter>`;
}

/** Paths named by an add-counter fault; [] when the fault is some other fault. */
function addCounterFaultPaths(faultstring: string): string[] {
  let parsed: string[];
  try {
    parsed = parsePerfmonAddCounterFault(faultstring);
  } catch {
    return [];
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Session manager

/** A sample with its usability decided (§1.8). */
export interface SessionSample extends CounterSample {
  /**
   * 'value': usable. 'baseline': first sample of a rate/percent counter (or a CStatus 1 first
   * sample) in this session — a value only from the next collect. 'invalid': CStatus other than 0/1.
   */
  state: 'value' | 'baseline' | 'invalid';
}

export interface EnsureResult {
  /** True when this call opened a new session. */
  opened: boolean;
  added: string[];
  removed: string[];
  /** Paths the node rejected (not retried until the session is re-opened). */
  failed: string[];
  requests: number;
}

export interface SessionCollectResult {
  samples: SessionSample[];
  /** True when the session was (re)opened by this call: rate/percent samples are baselines. */
  opened: boolean;
  /** Requests this call sent, including any re-open and re-add. */
  requests: number;
  /** Paths that could not be added. */
  failed: string[];
  /** Return records of the response that could not be read (the other samples are kept). */
  unparsed: Unparsed[];
}

export interface RequestCost {
  open: number;
  add: number;
  remove: number;
  collect: number;
  total: number;
}

export interface PerfmonSessionOptions {
  /** Counters per perfmonAddCounter/RemoveCounter request. Default 100. */
  chunkSize?: number;
  /**
   * Whether a counter is a rate or percentage (needs two samples in one session). Default: the
   * name has "%", "Percentage", "Per Sec" or "/sec".
   */
  isRateOrPercent?: (counter: string, object: string) => boolean;
  /** Where this node's open session handles are recorded, so none outlives a crash (engine/session-ledger.ts). */
  ledger?: NodeSessionLedger;
}

/** One node's view of the session ledger. */
export interface NodeSessionLedger {
  /** Handles opened on this node and not known to be closed (an earlier process, a failed close). */
  leftovers(): string[];
  opened(handle: string): void;
  /** The node closed it, or no longer knows it. */
  closed(handle: string): void;
}

export function defaultIsRateOrPercent(counter: string): boolean {
  return /%|percent|per\s?sec|\/sec/i.test(counter);
}

/** The long-lived PerfMon session for one node. Calls are serialised. */
export class PerfmonSession {
  private handle: string | undefined;
  private desired: string[] = [];
  private readonly added = new Set<string>();
  private readonly rejected = new Set<string>();
  /** Paths that have produced a usable sample in this session (so the next one is a value). */
  private readonly seen = new Set<string>();
  private readonly chunkSize: number;
  private readonly isRateOrPercent: (counter: string, object: string) => boolean;
  private lock: Promise<unknown> = Promise.resolve();
  private opens = 0;
  private readonly ledger: NodeSessionLedger | undefined;

  constructor(
    readonly client: PerfmonClient,
    opts: PerfmonSessionOptions = {},
  ) {
    this.chunkSize = Math.max(1, opts.chunkSize ?? 100);
    this.isRateOrPercent = opts.isRateOrPercent ?? ((c) => defaultIsRateOrPercent(c));
    this.ledger = opts.ledger;
  }

  /** Whether a server-side session is held. */
  get isOpen(): boolean {
    return this.handle !== undefined;
  }

  /** Sessions opened so far (re-creations = opened - 1). */
  get openCount(): number {
    return this.opens;
  }

  /** Counters currently in the session. */
  get counters(): readonly string[] {
    return [...this.added];
  }

  /** Requests that `ensure(paths)` followed by `collect()` would send now, if nothing fails. */
  cost(paths: readonly string[] = this.desired): RequestCost {
    const want = new Set(paths);
    const open = this.handle ? 0 : 1;
    const current = this.handle ? this.added : new Set<string>();
    const rejected = this.handle ? this.rejected : new Set<string>();
    const toAdd = [...want].filter((p) => !current.has(p) && !rejected.has(p)).length;
    const toRemove = this.handle ? [...current].filter((p) => !want.has(p)).length : 0;
    const add = Math.ceil(toAdd / this.chunkSize);
    const remove = Math.ceil(toRemove / this.chunkSize);
    return { open, add, remove, collect: 1, total: open + add + remove + 1 };
  }

  /** Makes the session hold exactly `paths` (opening it if needed); removed/new counters change in place. */
  ensure(paths: readonly string[]): Promise<EnsureResult> {
    return this.serial(() => this.ensureNow(paths));
  }

  /** Collects the session's counters (re-opening and re-adding first when the session was discarded). */
  collect(): Promise<SessionCollectResult> {
    return this.serial(async () => {
      const ens = await this.ensureNow(this.desired);
      if (!this.handle) throw new CollectError('fault', `${this.client.transport.node}: PerfMon session not open`);
      let raw: CounterSample[];
      let unparsed: Unparsed[];
      try {
        ({ samples: raw, unparsed } = await this.client.collectSessionDataDetailed(this.handle));
      } catch (err) {
        // A fault here usually means the node forgot the session (idle expiry, restart; §1.7):
        // drop it so the next call starts over. Rate-limit and transport errors leave it intact.
        if (err instanceof CollectError && err.kind === 'fault') await this.discard();
        throw err;
      }
      const samples = raw.map((s): SessionSample => {
        if (s.cstatus !== 0 && s.cstatus !== 1) return { ...s, state: 'invalid' };
        const key = s.path;
        const first = !this.seen.has(key);
        this.seen.add(key);
        if (first && (s.cstatus === 1 || this.isRateOrPercent(s.counter, s.object))) return { ...s, state: 'baseline' };
        return { ...s, state: 'value' };
      });
      return { samples, opened: ens.opened, requests: ens.requests + 1, failed: ens.failed, unparsed };
    });
  }

  /** Closes the server-side session (errors ignored). The next ensure/collect opens a new one. */
  close(): Promise<void> {
    return this.serial(() => this.discard());
  }

  private async ensureNow(paths: readonly string[]): Promise<EnsureResult> {
    this.desired = [...new Set(paths)];
    const result: EnsureResult = { opened: false, added: [], removed: [], failed: [], requests: 0 };
    if (!this.handle) {
      // Sessions this node still holds for us (a crashed process, a close that did not get
      // through) are closed before a new one is opened, so they never pile up on the node.
      for (const stale of this.ledger?.leftovers() ?? []) {
        result.requests++;
        await this.closeRemote(stale, true);
      }
      result.requests++;
      this.handle = await this.client.openSession();
      this.ledger?.opened(this.handle);
      this.opens++;
      this.added.clear();
      this.rejected.clear();
      this.seen.clear();
      result.opened = true;
    }
    const handle = this.handle;
    const want = new Set(this.desired);
    const toRemove = [...this.added].filter((p) => !want.has(p));
    const toAdd = this.desired.filter((p) => !this.added.has(p) && !this.rejected.has(p));
    try {
      for (const chunk of chunks(toRemove, this.chunkSize)) {
        result.requests++;
        await this.client.removeCounters(handle, chunk);
        for (const p of chunk) {
          this.added.delete(p);
          this.seen.delete(p);
          result.removed.push(p);
        }
      }
      for (const chunk of chunks(toAdd, this.chunkSize)) {
        const r = await this.client.addCountersDetailed(handle, chunk);
        result.requests += r.requests;
        const bad = new Set(r.failed);
        for (const p of chunk) {
          if (bad.has(p)) this.rejected.add(p);
          else {
            this.added.add(p);
            this.seen.delete(p);
            result.added.push(p);
          }
        }
      }
    } catch (err) {
      // Unknown server-side state after a failed add/remove: start over next time. A refused
      // request (rate limit, budget) changed nothing on the node.
      const kind = err instanceof CollectError ? err.kind : 'internal';
      if (kind !== 'rate-limit' && kind !== 'budget') await this.discard();
      throw err;
    }
    result.failed = this.desired.filter((p) => this.rejected.has(p));
    return result;
  }

  private async discard(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.added.clear();
    this.rejected.clear();
    this.seen.clear();
    if (handle) await this.closeRemote(handle, false);
  }

  /**
   * Closes a handle on the node. Closed, or unknown to the node (a fault: it expired or the node
   * restarted): the ledger forgets it. Unreachable: it stays in the ledger and is closed before
   * the next session opens; `rethrow` then fails the caller (the node cannot be used anyway).
   */
  private async closeRemote(handle: string, rethrow: boolean): Promise<void> {
    try {
      await this.client.closeSession(handle);
      this.ledger?.closed(handle);
    } catch (err) {
      if (err instanceof CollectError && err.kind === 'fault') this.ledger?.closed(handle);
      else if (rethrow) throw err;
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
