// Who is making a request: the signed-in user and the address it came from. Route handlers and
// server actions pass this to what they record (troubleshooter runs, maintenance windows, lab
// faults, the audit log). Until sign-in exists every request is 'anonymous'.
import { headers } from 'next/headers';

export interface Actor {
  name: string;
  /** The client's address as the server saw it. */
  address: string;
}

export async function getActor(request?: Request): Promise<Actor> {
  const h = request?.headers ?? (await headers());
  const forwarded = h.get('x-forwarded-for')?.split(',')[0]?.trim();
  return { name: 'anonymous', address: forwarded || h.get('x-real-ip') || 'unknown' };
}
