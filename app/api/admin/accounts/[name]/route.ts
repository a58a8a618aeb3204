// POST /api/admin/accounts/<name>: an admin changes an account — op=role (role), op=password
// (password, confirm: a reset that ends the account's sessions) or op=delete.
import { z } from 'zod';
import { ROLES } from '../../../../../server/security/roles';
import { getActor } from '../../../../lib/actor';
import { parseFields, readFields, seeOther, wantsJson } from '../../../../lib/forms';
import { getRuntime } from '../../../../lib/runtime';
import { forbidUnless } from '../../../../lib/viewer';

export const dynamic = 'force-dynamic';

const form = z.discriminatedUnion('op', [
  z.object({ op: z.literal('role'), role: z.enum(ROLES) }),
  z.object({ op: z.literal('password'), password: z.string().max(1024), confirm: z.string().max(1024) }),
  z.object({ op: z.literal('delete') }),
]);

export async function POST(req: Request, ctx: { params: Promise<{ name: string }> }): Promise<Response> {
  const denied = await forbidUnless('admin', req);
  if (denied) return denied;
  const { name } = await ctx.params;
  const accounts = getRuntime()?.security?.accounts;
  const json = wantsJson(req);
  const back = (q: Record<string, string>, status = 400) => (json ? Response.json(q, { status }) : seeOther(`/admin?${new URLSearchParams(q)}`));
  const parsed = parseFields(form, await readFields(req));
  if (!parsed.ok) return back({ error: parsed.message });
  if (!accounts) return back({ error: 'accounts are used by local sign-in (auth.mode: local) only' });
  const actor = await getActor(req);
  const v = parsed.value;
  let r;
  if (v.op === 'role') r = accounts.setRole(actor, name, v.role);
  else if (v.op === 'delete') r = accounts.remove(actor, name);
  else if (v.password !== v.confirm) return back({ error: 'the password and its confirmation differ' });
  else r = await accounts.setPassword(actor, name, v.password);
  const what = v.op === 'role' ? `${name} is now ${v.role}` : v.op === 'delete' ? `deleted ${name}` : `new password for ${name}; their sessions ended`;
  return r.ok ? back({ done: what }, 200) : back({ error: r.message });
}
