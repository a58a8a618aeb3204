// PerfmonService (wire-formats §1): the nine document/literal operations of §1.3, long-lived
// sessions with per-handle counter sets, two-sample rates and percentages (§1.8), and the
// add-counter fault format of §1.7. Rate limiting is done by the server before dispatch.
import { z } from 'zod';
import type { CounterDefinition, LabDeployment, LabNode } from '../model';
import { formatCounterPath, parseCounterPath, type CounterPath } from './counter-path';
import { newSessionHandle } from './session-handle';
import { faultReply, ns1, ns1Response, okReply, serverFault, type SoapReply } from './soap';
import { children, childText, SoapRequestError, text, type SoapRequest } from './xml';

/** PDH-style "no such instance" status (0xC0000BC6), the §1.8 suggestion; any value ≠ 0/1 is unusable. */
export const CSTATUS_NO_INSTANCE = 3221228486;

interface SessionCounter {
  /** The path exactly as the client added it (echoed in Name). */
  name: string;
  path: CounterPath;
  def: CounterDefinition;
  /** Previous raw sample in this session (simulated ms), for two-sample kinds. */
  prev?: { raw: number; at: number };
  /** Last computed value, repeated when two samples share a simulated instant. */
  lastValue?: number;
}

interface Session {
  counters: Map<string, SessionCounter>;
  lastUse: number;
}

const handleReq = z.object({ SessionHandle: z.string().min(1, 'SessionHandle is required') });
const countersReq = handleReq.extend({
  Names: z.array(z.string().min(1, 'Counter Name is empty')).min(1, 'ArrayOfCounter holds no Counter'),
});
const hostReq = z.object({ Host: z.string().min(1, 'Host is required') });
const hostObjectReq = hostReq.extend({ Object: z.string().min(1, 'Object is required') });
const counterReq = z.object({ Counter: z.string().min(1, 'Counter is required') });

function checked<T>(schema: z.ZodType<T>, value: unknown, operation: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new SoapRequestError(`${operation}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  return r.data;
}

function counterNames(payload: unknown): string[] {
  return children(children(payload, 'ArrayOfCounter')[0], 'Counter').map((c) => childText(c, 'Name') ?? '');
}

/**
 * The value a second sample shows (lab/state/counters.ts): `rate` raws are cumulative counts and
 * `percent` raws cumulative percent·seconds, so both are Δraw / Δseconds; PerfMon Values are
 * integers (xsd:long, wire-formats §1.3).
 */
export function twoSampleValue(kind: CounterDefinition['kind'], prev: { raw: number; at: number }, raw: number, at: number): number {
  const v = Math.max(0, (raw - prev.raw) / ((at - prev.at) / 1000));
  return Math.round(kind === 'percent' ? Math.min(100, v) : v);
}

export class PerfmonService {
  private readonly sessions = new Map<string, Session>();
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly node: LabNode,
    private readonly lab: LabDeployment,
    private readonly now: () => number = Date.now,
  ) {
    this.armSweeper();
  }

  /** Re-armed each time from the current setting, so a changed idle expiry takes effect. */
  private armSweeper(): void {
    if (this.closed) return;
    const every = Math.max(50, Math.min(30_000, Math.floor(this.lab.settings.perfmonSessionIdleMs / 4)));
    this.sweeper = setTimeout(() => {
      this.sweep();
      this.armSweeper();
    }, every);
    this.sweeper.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.sweeper);
    this.sessions.clear();
    this.updateStats();
  }

  /** Expires idle sessions so `perfmonSessionsOpen` stays true between requests. */
  sweep(): void {
    const idle = this.lab.settings.perfmonSessionIdleMs;
    const t = this.now();
    for (const [h, s] of this.sessions) if (t - s.lastUse > idle) this.sessions.delete(h);
    this.updateStats();
  }

  private updateStats(): void {
    this.node.stats.perfmonSessionsOpen = this.sessions.size;
  }

  handle(req: SoapRequest): SoapReply {
    this.sweep();
    const op = req.operation;
    switch (op) {
      case 'perfmonOpenSession':
        return this.openSession();
      case 'perfmonAddCounter':
        return this.addCounter(checked(countersReq, { SessionHandle: childText(req.payload, 'SessionHandle') ?? '', Names: counterNames(req.payload) }, op));
      case 'perfmonRemoveCounter':
        return this.removeCounter(checked(countersReq, { SessionHandle: childText(req.payload, 'SessionHandle') ?? '', Names: counterNames(req.payload) }, op));
      case 'perfmonCollectSessionData':
        return this.collectSessionData(checked(handleReq, { SessionHandle: childText(req.payload, 'SessionHandle') ?? '' }, op).SessionHandle);
      case 'perfmonCloseSession':
        return this.closeSession(checked(handleReq, { SessionHandle: childText(req.payload, 'SessionHandle') ?? '' }, op).SessionHandle);
      case 'perfmonCollectCounterData':
        return this.collectCounterData(checked(hostObjectReq, { Host: childText(req.payload, 'Host') ?? '', Object: childText(req.payload, 'Object') ?? '' }, op));
      case 'perfmonListCounter':
        return this.listCounter(checked(hostReq, { Host: childText(req.payload, 'Host') ?? '' }, op).Host);
      case 'perfmonListInstance':
        return this.listInstance(checked(hostObjectReq, { Host: childText(req.payload, 'Host') ?? '', Object: childText(req.payload, 'Object') ?? '' }, op));
      case 'perfmonQueryCounterDescription':
        return this.queryCounterDescription(checked(counterReq, { Counter: childText(req.payload, 'Counter') ?? text(req.payload) }, op).Counter);
      default:
        throw new SoapRequestError(`Operation ${op} is not supported by PerfmonService`);
    }
  }

  private isThisHost(host: string): boolean {
    const h = host.toLowerCase();
    return h === this.node.name.toLowerCase() || h === this.node.host || h === this.node.fqdn.toLowerCase();
  }

  /** Live session for a handle (touching it), or undefined when unknown or idle-expired. */
  private session(handle: string): Session | undefined {
    const s = this.sessions.get(handle);
    if (!s) return undefined;
    const t = this.now();
    if (t - s.lastUse > this.lab.settings.perfmonSessionIdleMs) {
      this.sessions.delete(handle);
      this.updateStats();
      return undefined;
    }
    s.lastUse = t;
    return s;
  }

  // The fault text for a bad handle is [NOT FOUND] (§1.7); a generic soapenv:Server fault is all a
  // client can rely on, and all the collector should key on.
  private invalidHandle(handle: string): SoapReply {
    return faultReply(serverFault(`Invalid session handle: ${handle} is not an open session`));
  }

  private openSession(): SoapReply {
    // A node holds a bounded number of sessions: leaked ones (clients that never close theirs)
    // eventually lock every client out until they idle out. Cisco documents no figure and no
    // fault text ([NOT FOUND], wire-formats §1.8); this is a generic server fault like §1.7's.
    if (this.sessions.size >= this.lab.settings.perfmonMaxSessions) {
      this.node.stats.perfmonSessionsRefused += 1;
      return faultReply(serverFault(`Exceeded the maximum number of PerfMon sessions (${this.lab.settings.perfmonMaxSessions}); close unused sessions`));
    }
    const handle = newSessionHandle(this.node.mac, this.now());
    this.sessions.set(handle, { counters: new Map(), lastUse: this.now() });
    this.updateStats();
    return okReply(ns1Response('perfmonOpenSession', ns1('perfmonOpenSessionReturn', handle)));
  }

  /** Resolves a path against this node's counters; undefined when any part is unknown. */
  private resolve(name: string): { path: CounterPath; def: CounterDefinition } | undefined {
    const path = parseCounterPath(name);
    if (!path || !this.isThisHost(path.host)) return undefined;
    const obj = this.node.counters.object(path.object);
    if (!obj) return undefined;
    if (obj.multiInstance !== (path.instance !== undefined)) return undefined;
    const def = obj.counters.find((c) => c.name === path.counter);
    if (!def) return undefined;
    if (path.instance !== undefined && !this.node.counters.instances(obj.name).includes(path.instance)) return undefined;
    return { path, def };
  }

  private addCounter(req: z.infer<typeof countersReq>): SoapReply {
    const s = this.session(req.SessionHandle);
    if (!s) return this.invalidHandle(req.SessionHandle);
    const failed: string[] = [];
    for (const name of req.Names) {
      const r = this.resolve(name);
      if (!r) failed.push(name);
      else if (!s.counters.has(name)) s.counters.set(name, { name, ...r });
    }
    // Valid paths in the same request stay added (PDH adds counters one by one); the fault lists
    // every failing path, each followed by ';' ([WIRE] §1.7).
    if (failed.length > 0) {
      return faultReply(serverFault(`Error found in Adding counters: Error=101 ErrorMsg=${failed.map((f) => `${f};`).join('')}`));
    }
    return okReply(ns1Response('perfmonAddCounter', ''));
  }

  private removeCounter(req: z.infer<typeof countersReq>): SoapReply {
    const s = this.session(req.SessionHandle);
    if (!s) return this.invalidHandle(req.SessionHandle);
    const missing = req.Names.filter((n) => !s.counters.delete(n));
    if (missing.length > 0) {
      // Like adding: the known paths are removed; the real removal error text is [NOT FOUND],
      // so this mirrors the add-counter format of §1.7.
      return faultReply(serverFault(`Error found in Removing counters: Error=101 ErrorMsg=${missing.map((f) => `${f};`).join('')}`));
    }
    return okReply(ns1Response('perfmonRemoveCounter', ''));
  }

  private sample(c: SessionCounter, at: number): { value: number; cstatus: number } {
    const { object, instance, counter } = c.path;
    const present = instance === undefined || this.node.counters.instances(object).includes(instance);
    const raw = present ? this.node.counters.raw(object, instance, counter, at) : undefined;
    if (raw === undefined) {
      c.prev = undefined; // a returning instance starts over with a first sample
      c.lastValue = undefined;
      return { value: 0, cstatus: CSTATUS_NO_INSTANCE };
    }
    const first = c.prev === undefined;
    let value: number;
    if (c.def.kind === 'rate' || c.def.kind === 'percent') {
      if (first) value = 0;
      else if (at <= c.prev!.at) value = c.lastValue ?? 0;
      else value = twoSampleValue(c.def.kind, c.prev!, raw, at);
      c.lastValue = value;
    } else {
      value = Math.round(raw);
    }
    if (first || at > c.prev!.at) c.prev = { raw, at };
    // §1.8: CStatus 1 on the first sample of a counter in a session, 0 after that.
    return { value, cstatus: first ? 1 : 0 };
  }

  private collectSessionData(handle: string): SoapReply {
    const s = this.session(handle);
    if (!s) return this.invalidHandle(handle);
    const at = this.lab.clock.now();
    let inner = '';
    for (const c of s.counters.values()) {
      const { value, cstatus } = this.sample(c, at);
      inner += `<ns1:perfmonCollectSessionDataReturn>${ns1('Name', c.name)}${ns1('Value', value)}${ns1('CStatus', cstatus)}</ns1:perfmonCollectSessionDataReturn>`;
    }
    return okReply(ns1Response('perfmonCollectSessionData', inner));
  }

  private closeSession(handle: string): SoapReply {
    if (!this.session(handle)) return this.invalidHandle(handle);
    this.sessions.delete(handle);
    this.updateStats();
    return okReply(ns1Response('perfmonCloseSession', ''));
  }

  // Host/object errors of the one-shot operations: wording [NOT FOUND]; modelled on the §1.7 format.
  private unknownHost(host: string): SoapReply {
    return faultReply(serverFault(`Error found in getting counter data: Error=101 ErrorMsg=Host ${host} is not this node;`));
  }

  private unknownObject(host: string, object: string): SoapReply {
    return faultReply(serverFault(`Error found in getting counter data: Error=101 ErrorMsg=\\\\${host}\\${object};`));
  }

  private collectCounterData(req: z.infer<typeof hostObjectReq>): SoapReply {
    if (!this.isThisHost(req.Host)) return this.unknownHost(req.Host);
    const obj = this.node.counters.object(req.Object);
    if (!obj) return this.unknownObject(req.Host, req.Object);
    const at = this.lab.clock.now();
    const instances: Array<string | undefined> = obj.multiInstance ? this.node.counters.instances(obj.name) : [undefined];
    let inner = '';
    for (const instance of instances) {
      for (const def of obj.counters) {
        const value = this.node.counters.value(obj.name, instance, def.name, at);
        if (value === undefined) continue;
        const name = formatCounterPath({ host: req.Host, object: obj.name, instance, counter: def.name });
        // One-shot data is always a "new data" sample: CStatus 1 (§1.8, sieteunoseis example).
        inner += `<ns1:perfmonCollectCounterDataReturn>${ns1('Name', name)}${ns1('Value', Math.round(value))}${ns1('CStatus', 1)}</ns1:perfmonCollectCounterDataReturn>`;
      }
    }
    return okReply(ns1Response('perfmonCollectCounterData', inner));
  }

  private listCounter(host: string): SoapReply {
    if (!this.isThisHost(host)) return this.unknownHost(host);
    let inner = '';
    for (const obj of this.node.counters.objects()) {
      const items = obj.counters.map((c) => `<ns1:item>${ns1('Name', c.name)}</ns1:item>`).join('');
      inner += `<ns1:perfmonListCounterReturn>${ns1('Name', obj.name)}${ns1('MultiInstance', obj.multiInstance ? 'true' : 'false')}<ns1:ArrayOfCounter>${items}</ns1:ArrayOfCounter></ns1:perfmonListCounterReturn>`;
    }
    return okReply(ns1Response('perfmonListCounter', inner));
  }

  private listInstance(req: z.infer<typeof hostObjectReq>): SoapReply {
    if (!this.isThisHost(req.Host)) return this.unknownHost(req.Host);
    const obj = this.node.counters.object(req.Object);
    if (!obj) return this.unknownObject(req.Host, req.Object);
    const inner = (obj.multiInstance ? this.node.counters.instances(obj.name) : [])
      .map((i) => `<ns1:perfmonListInstanceReturn>${ns1('Name', i)}</ns1:perfmonListInstanceReturn>`)
      .join('');
    return okReply(ns1Response('perfmonListInstance', inner));
  }

  private queryCounterDescription(name: string): SoapReply {
    const path = parseCounterPath(name);
    const def =
      path && this.isThisHost(path.host)
        ? this.node.counters.object(path.object)?.counters.find((c) => c.name === path.counter)
        : undefined;
    if (!def) return faultReply(serverFault(`Error found in getting counter description: Error=101 ErrorMsg=${name};`));
    return okReply(ns1Response('perfmonQueryCounterDescription', ns1('perfmonQueryCounterDescriptionReturn', def.description)));
  }
}
