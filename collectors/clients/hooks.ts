// Request accounting shared by every client: the engine (H7) gates each request through
// `beforeRequest` (per-node budgets; it may throw CollectError 'budget') and counts each one
// through `onRequest` (impulse_requests_total{protocol,operation,outcome}).
import { CollectError, errorKind, type CollectErrorKind } from '../errors';

export type Protocol = 'perfmon' | 'controlcenter' | 'axl' | 'cli' | 'tls' | 'ldap';

export interface RequestInfo {
  /** Node name as configured (the name CUCM knows), or the LDAP server name. */
  node: string;
  protocol: Protocol;
  /** SOAP operation (e.g. "perfmonCollectSessionData"), CLI command, or "handshake"/"search". */
  operation: string;
}

export interface RequestEvent extends RequestInfo {
  /** 'ok', or the CollectError kind; 'internal' for a bug (never a node's fault). */
  outcome: 'ok' | CollectErrorKind | 'internal';
  /** False when beforeRequest refused it (outcome 'budget'): nothing went on the wire. */
  sent: boolean;
  durationMs: number;
  /** HTTP status when one came back. */
  status?: number;
  /** How an HTTP request authenticated: a session cookie (JSESSIONIDSSO…) or HTTP Basic. */
  auth?: 'cookie' | 'basic';
}

export interface RequestHooks {
  /** Awaited before every request that would go on the wire (including the Basic retry after a stale cookie). */
  beforeRequest?(info: RequestInfo): void | Promise<void>;
  /** Called once per request attempt with its outcome. Must not throw. */
  onRequest?(event: RequestEvent): void;
}

/** Runs `beforeRequest`; reports a refusal as an unsent request and rethrows it. */
export async function gate(hooks: RequestHooks | undefined, info: RequestInfo): Promise<void> {
  if (!hooks?.beforeRequest) return;
  try {
    await hooks.beforeRequest(info);
  } catch (err) {
    report(hooks, { ...info, outcome: errorKind(err), sent: false, durationMs: 0 });
    throw err instanceof CollectError ? err : new CollectError('budget', `${info.node}: ${info.protocol} ${info.operation} refused by the request budget: ${(err as Error).message}`, { cause: err });
  }
}

export function report(hooks: RequestHooks | undefined, event: RequestEvent): void {
  try {
    hooks?.onRequest?.(event);
  } catch {
    // A metrics hook must never break a poll.
  }
}
