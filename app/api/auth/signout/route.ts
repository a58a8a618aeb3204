// POST /api/auth/signout: ends the session (revoked on the server, cookie cleared).
import { getActor } from '../../../lib/actor';
import { seeOther, wantsJson } from '../../../lib/forms';
import { getRuntime } from '../../../lib/runtime';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  const security = getRuntime()?.security;
  const clear = await security?.signOut(req.headers.get('cookie') ?? undefined, await getActor(req));
  const headers: Record<string, string> = clear ? { 'set-cookie': clear } : {};
  return wantsJson(req) ? Response.json({ signedOut: true }, { headers }) : seeOther('/signin?e=signedout', headers);
}
