// The signed-in user as pages and handlers see them (name, role, how they signed in), and the
// role check handlers and server actions repeat for themselves. The gate has already decided by
// the route table (server/security/routes.ts); requireRole is the second lock on the door.
import { headers } from 'next/headers';
import { hasRole, isRole, type Role } from '../../server/security/roles';
import type { AuthMode } from '../../server/security/types';
import { getActor } from './actor';
import { getRuntime } from './runtime';

export interface Viewer {
  name: string;
  address: string;
  /** undefined: not signed in (public pages only). */
  role?: Role;
  via?: 'session' | 'proxy' | 'none';
  mode: AuthMode | 'unknown';
}

export async function getViewer(request?: Request): Promise<Viewer> {
  const h = request?.headers ?? (await headers());
  const actor = await getActor(request);
  const rt = getRuntime();
  const trusted = rt?.security?.gateToken !== undefined && h.get('x-impulse-gate') === rt.security.gateToken;
  const role = trusted ? h.get('x-impulse-role') : null;
  const via = trusted ? h.get('x-impulse-via') : null;
  return {
    name: actor.name,
    address: actor.address,
    role: isRole(role) ? role : undefined,
    via: via === 'session' || via === 'proxy' || via === 'none' ? via : undefined,
    mode: rt?.security?.mode ?? 'unknown',
  };
}

export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
  constructor(readonly needed: Role) {
    super(`this needs the ${needed} role`);
  }
}

/** The viewer, when they have `role` (or higher); throws ForbiddenError otherwise. */
export async function requireRole(role: Role, request?: Request): Promise<Viewer & { role: Role }> {
  const v = await getViewer(request);
  if (!hasRole(v.role, role)) throw new ForbiddenError(role);
  return v as Viewer & { role: Role };
}

/** For route handlers: a 403 response unless the viewer has `role` (or higher). */
export async function forbidUnless(role: Role, request: Request): Promise<Response | undefined> {
  const v = await getViewer(request);
  if (hasRole(v.role, role)) return undefined;
  return Response.json({ error: `this needs the ${role} role` }, { status: 403 });
}

/**
 * This response's Content-Security-Policy nonce, for the rare element that needs it by hand
 * (a next/script <Script nonce={…}>). Next.js already signs its own scripts; pages never write
 * inline <script> or <style> without it.
 */
export async function getNonce(): Promise<string | undefined> {
  const policy = (await headers()).get('content-security-policy') ?? '';
  return /'nonce-([^']+)'/.exec(policy)?.[1];
}
