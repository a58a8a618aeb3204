// POST /api/admin/accounts: an admin creates an account (name, role, initial password).
import { z } from 'zod';
import { ROLES } from '../../../../server/security/roles';
import { getActor } from '../../../lib/actor';
import { parseFields, readFields, seeOther, wantsJson } from '../../../lib/forms';
import { getRuntime } from '../../../lib/runtime';
import { forbidUnless } from '../../../lib/viewer';

export const dynamic = 'force-dynamic';

const form = z.object({ name: z.string().trim().max(64), role: z.enum(ROLES), password: z.string().max(1024), confirm: z.string().max(1024) });

export async function POST(req: Request): Promise<Response> {
  const denied = await forbidUnless('admin', req);
  if (denied) return denied;
  const accounts = getRuntime()?.security?.accounts;
  const json = wantsJson(req);
  const back = (q: Record<string, string>, status = 400) => (json ? Response.json(q, { status }) : seeOther(`/admin?${new URLSearchParams(q)}`));
  const parsed = parseFields(form, await readFields(req));
  if (!parsed.ok) return back({ error: parsed.message });
  if (!accounts) return back({ error: 'accounts are used by local sign-in (auth.mode: local) only' });
  if (parsed.value.password !== parsed.value.confirm) return back({ error: 'the password and its confirmation differ' });
  const r = await accounts.create(await getActor(req), parsed.value.name, parsed.value.role, parsed.value.password);
  return r.ok ? back({ done: `created ${parsed.value.name}` }, 200) : back({ error: r.message });
}
