// POST /api/account/password: a signed-in user changes their own password (local accounts).
// Their other sessions end; this one signs in again.
import { z } from 'zod';
import { getActor } from '../../../lib/actor';
import { parseFields, readFields, seeOther, wantsJson } from '../../../lib/forms';
import { getRuntime } from '../../../lib/runtime';
import { forbidUnless } from '../../../lib/viewer';

export const dynamic = 'force-dynamic';

const form = z.object({ current: z.string().max(1024), password: z.string().max(1024), confirm: z.string().max(1024) });

export async function POST(req: Request): Promise<Response> {
  const denied = await forbidUnless('viewer', req);
  if (denied) return denied;
  const security = getRuntime()?.security;
  const json = wantsJson(req);
  const back = (q: Record<string, string>, status = 400) => (json ? Response.json(q, { status }) : seeOther(`/account?${new URLSearchParams(q)}`));
  const parsed = parseFields(form, await readFields(req));
  if (!parsed.ok) return back({ error: parsed.message });
  if (!security?.accounts) return back({ error: 'passwords are managed by your directory or sign-in proxy' });
  if (parsed.value.password !== parsed.value.confirm) return back({ error: 'the new password and its confirmation differ' });
  const actor = await getActor(req);
  const r = await security.accounts.changeOwnPassword(actor, parsed.value.current, parsed.value.password);
  if (!r.ok) return back({ error: r.message });
  const signedIn = await security.signIn({ username: actor.name, password: parsed.value.password, address: actor.address });
  const headers: Record<string, string> = signedIn.ok ? { 'set-cookie': signedIn.cookie } : {};
  return json ? Response.json({ changed: true }, { headers }) : seeOther('/account?done=password', headers);
}
