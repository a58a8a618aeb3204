// What every page hands its model: the runtime's inventory, the store's observations, now, and
// the event log when one runs. Read at most once a second: with many dashboards open (each
// refreshing every 5 s) concurrent requests share one reading and the models computed from it,
// and the data they show is never more than a second older than the store (polls are 30 s apart).
import type { FleetInput } from '../../collectors/views/readings';
import type { ImpulseRuntime } from './runtime';

const MAX_AGE_MS = 1000;

interface Memo {
  rt: ImpulseRuntime;
  at: number;
  input: FleetInput;
  models: Map<string, unknown>;
}

let memo: Memo | undefined;

function read(rt: ImpulseRuntime): FleetInput {
  const store = rt.collector?.store;
  const now = Date.now();
  return {
    inventory: rt.inventory,
    // Unsorted: the models order what they show.
    observations: store ? store.list().map((e) => store.view(e, now)) : [],
    now,
    collecting: rt.collector !== undefined,
    events: rt.events,
  };
}

function current(rt: ImpulseRuntime): Memo {
  const now = Date.now();
  if (!memo || memo.rt !== rt || now - memo.at > MAX_AGE_MS) memo = { rt, at: now, input: read(rt), models: new Map() };
  return memo;
}

export function fleetInput(rt: ImpulseRuntime): FleetInput {
  return current(rt).input;
}

/** A model computed from the current reading, shared by the requests that read the same one. */
export function model<T>(rt: ImpulseRuntime, key: string, compute: (input: FleetInput) => T): { input: FleetInput; model: T } {
  const m = current(rt);
  if (!m.models.has(key)) m.models.set(key, compute(m.input));
  return { input: m.input, model: m.models.get(key) as T };
}

/** Why the event log is missing, in words an operator can act on. */
export function eventsUnavailable(rt: ImpulseRuntime): string {
  const st = rt.events?.status();
  if (st && !st.available) return `The event log is unavailable: ${st.reason ?? 'no reason given'}.`;
  if (rt.dbError) return `The event log is unavailable: the database could not be opened (${rt.dbError}).`;
  if (!rt.db) return 'The event log is unavailable: no database is open.';
  return 'The event log is not running in this build (no history service).';
}

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;
