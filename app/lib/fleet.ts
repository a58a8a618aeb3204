// What every page hands its model: the runtime's inventory, the store's snapshot, now, and the
// event log when one runs. Read once per request.
import type { FleetInput } from '../../collectors/views/readings';
import type { ImpulseRuntime } from './runtime';

export function fleetInput(rt: ImpulseRuntime): FleetInput {
  return {
    inventory: rt.inventory,
    observations: rt.collector?.store.snapshot() ?? [],
    now: Date.now(),
    collecting: rt.collector !== undefined,
    events: rt.events,
  };
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
