// POST /api/auth/setup: creates the first administrator with the one-time setup token printed by
// `impulse start` (local sign-in, while no account exists), and signs them in.
import { z } from 'zod';
import { getActor } from '../../../lib/actor';
import { parseFields, readFields, seeOther, wantsJson } from '../../../lib/forms';
import { getRuntime } from '../../../lib/runtime';

export const dynamic = 'force-dynamic';

const form = z.object({ token: z.string().max(256), username: z.string().max(64), password: z.string().max(1024), confirm: z.string().max(1024).optional() });

export async function POST(req: Request): Promise<Response> {
  const security = getRuntime()?.security;
  const json = wantsJson(req);
  const parsed = parseFields(form, await readFields(req));
  const back = (e: string, message?: string) => {
    const q = new URLSearchParams({ e });
    if (message) q.set('m', message);
    return json ? Response.json({ error: e, message }, { status: e === 'done' ? 409 : 400 }) : seeOther(`/setup?${q}`);
  };
  if (!security || !parsed.ok) return back('form', parsed.ok ? undefined : parsed.message);
  const v = parsed.value;
  if (v.confirm !== undefined && v.confirm !== v.password) return back('confirm');
  const r = await security.completeSetup({ token: v.token.trim(), username: v.username, password: v.password, address: (await getActor(req)).address });
  if (r.ok) return json ? Response.json({ user: r.user, role: r.role }, { headers: { 'set-cookie': r.cookie } }) : seeOther('/admin?done=setup', { 'set-cookie': r.cookie });
  return back(r.reason, 'message' in r ? r.message : undefined);
}
