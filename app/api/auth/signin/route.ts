// POST /api/auth/signin: the sign-in form (local accounts or LDAP). Success: the session cookie
// and a 303 to where the user was going. Failure: back to /signin with the reason, which is the
// same for an unknown user and a wrong password.
import { z } from 'zod';
import { safeNext } from '../../../../server/security/paths';
import { getActor } from '../../../lib/actor';
import { parseFields, readFields, seeOther, wantsJson } from '../../../lib/forms';
import { getRuntime } from '../../../lib/runtime';

export const dynamic = 'force-dynamic';

const form = z.object({ username: z.string().max(256), password: z.string().max(1024), next: z.string().max(2048).optional() });

export async function POST(req: Request): Promise<Response> {
  const security = getRuntime()?.security;
  const json = wantsJson(req);
  const parsed = parseFields(form, await readFields(req));
  if (!security || !parsed.ok) {
    return json ? Response.json({ error: parsed.ok ? 'sign-in is not available' : parsed.message }, { status: 400 }) : seeOther('/signin?e=form');
  }
  const { username, password } = parsed.value;
  const next = safeNext(parsed.value.next);
  const r = await security.signIn({ username, password, address: (await getActor(req)).address });
  if (r.ok) {
    return json ? Response.json({ user: r.user, role: r.role }, { headers: { 'set-cookie': r.cookie } }) : seeOther(next, { 'set-cookie': r.cookie });
  }
  if (json) {
    const status = r.reason === 'throttled' ? 429 : r.reason === 'unavailable' ? 503 : 401;
    return Response.json({ error: r.reason, retryAfterSeconds: r.retryAfterSeconds }, { status, headers: r.retryAfterSeconds ? { 'retry-after': String(r.retryAfterSeconds) } : {} });
  }
  const q = new URLSearchParams({ e: r.reason });
  if (r.retryAfterSeconds) q.set('retry', String(r.retryAfterSeconds));
  if (next !== '/') q.set('next', next);
  return seeOther(`/signin?${q}`);
}
