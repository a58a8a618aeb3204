// POST /lab/actions: the Lab panel's forms (inject, clear, clear all, HA group operations), sent
// to the lab's control API from the server, then back to /lab with the outcome (303). The lab is
// never reached from the browser; cross-site posts are refused.
import { clearAllFaults, clearFault, GROUP_ACTIONS, groupAction, injectFault, LabControlError, parseParams, type GroupAction } from '../../../server/lab-control';
import { getRuntime } from '../../lib/runtime';

export const dynamic = 'force-dynamic';

function back(req: Request, params: Record<string, string>): Response {
  const url = new URL('/lab', req.url);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return new Response(null, { status: 303, headers: { location: `${url.pathname}${url.search}` } });
}

function sameOrigin(req: Request): boolean {
  const origin = req.headers.get('origin');
  if (!origin || origin === 'null') return origin === null;
  try {
    return new URL(origin).host === (req.headers.get('host') ?? new URL(req.url).host);
  } catch {
    return false;
  }
}

export async function POST(req: Request): Promise<Response> {
  const rt = getRuntime();
  if (!rt?.lab) return new Response('the built-in lab is not running\n', { status: 404, headers: { 'content-type': 'text/plain' } });
  if (!sameOrigin(req)) return new Response('cross-site request refused\n', { status: 403, headers: { 'content-type': 'text/plain' } });
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    return back(req, { error: 'the request was not a form' });
  }
  const field = (k: string) => {
    const v = form.get(k);
    return typeof v === 'string' ? v.trim() : '';
  };
  const base = rt.lab.controlUrl;
  try {
    switch (field('action')) {
      case 'inject': {
        const f = await injectFault(base, { kind: field('kind'), target: field('target'), params: parseParams(field('params')) });
        return back(req, { done: `Injected ${f.kind} on ${f.target} (${f.id}): ${f.detail}` });
      }
      case 'clear':
        await clearFault(base, field('id'));
        return back(req, { done: `Cleared ${field('id')}` });
      case 'clear-all':
        await clearAllFaults(base);
        return back(req, { done: 'Cleared every fault' });
      case 'group': {
        const op = field('op');
        if (!(GROUP_ACTIONS as readonly string[]).includes(op)) return back(req, { error: `unknown group operation '${op}'` });
        await groupAction(base, field('group'), op as GroupAction);
        return back(req, { done: `${op} requested on ${field('group')}` });
      }
      default:
        return back(req, { error: `unknown action '${field('action')}'` });
    }
  } catch (err) {
    if (err instanceof LabControlError) return back(req, { error: err.message });
    throw err;
  }
}
