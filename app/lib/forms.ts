// Small helpers for the route handlers behind HTML forms: read a form (or JSON) body, answer a
// browser with a 303 back to a page, answer a script with JSON.
import type { z } from 'zod';

/** The body as string fields: application/x-www-form-urlencoded, multipart/form-data or JSON. */
export async function readFields(req: Request): Promise<Record<string, string>> {
  const type = req.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    const body = (await req.json().catch(() => ({}))) as unknown;
    if (typeof body !== 'object' || body === null) return {};
    return Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([, v]) => typeof v === 'string') as [string, string][]);
  }
  if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
    const form = await req.formData().catch(() => undefined);
    if (!form) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of form.entries()) if (typeof v === 'string') out[k] = v;
    return out;
  }
  return {};
}

export function wantsJson(req: Request): boolean {
  const type = req.headers.get('content-type') ?? '';
  const accept = req.headers.get('accept') ?? '';
  return type.includes('application/json') || (accept.includes('application/json') && !accept.includes('text/html'));
}

/** 303 See Other to a path of this site (the browser follows it with a GET). */
export function seeOther(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store', ...headers } });
}

export function parseFields<T>(schema: z.ZodType<T>, fields: Record<string, string>): { ok: true; value: T } | { ok: false; message: string } {
  const r = schema.safeParse(fields);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, message: r.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ') };
}
