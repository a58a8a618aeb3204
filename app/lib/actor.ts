// Who is making a request: the signed-in user and the address it came from, as the HTTP gate
// (server/security/gate.ts) established them. Route handlers and server actions pass this to
// what they record (troubleshooter runs, maintenance windows, lab faults, the audit log).
// The gate sets x-impulse-* request headers only after removing any the client sent, and adds a
// per-process token; without that token (a request that did not pass the gate) the actor is
// 'anonymous' from 'unknown'.
import { headers } from 'next/headers';
import { getRuntime } from './runtime';

export interface Actor {
  name: string;
  /** The client's address as the server saw it. */
  address: string;
}

export async function getActor(request?: Request): Promise<Actor> {
  const h = request?.headers ?? (await headers());
  const token = getRuntime()?.security?.gateToken;
  if (!token || h.get('x-impulse-gate') !== token) return { name: 'anonymous', address: 'unknown' };
  const user = h.get('x-impulse-user');
  let name = 'anonymous';
  if (user) {
    try {
      name = decodeURIComponent(user);
    } catch {
      name = user;
    }
  }
  return { name, address: h.get('x-impulse-address') || 'unknown' };
}
