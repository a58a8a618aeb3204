// Request paths as the gate reads them, and safe redirect targets. Pure: the app imports it too.

/** Decodes and checks a request target; undefined when it must be refused (400). */
export function normalisePath(target: string | undefined): string | undefined {
  let raw = target ?? '/';
  if (/^https?:\/\//i.test(raw)) {
    try {
      raw = new URL(raw).pathname;
    } catch {
      return undefined;
    }
  }
  const q = raw.search(/[?#]/);
  if (q >= 0) raw = raw.slice(0, q);
  if (!raw.startsWith('/')) return undefined;
  const out: string[] = [];
  for (const seg of raw.split('/')) {
    if (seg === '') continue;
    let d: string;
    try {
      d = decodeURIComponent(seg);
    } catch {
      return undefined;
    }
    if (d === '.' || d === '..' || /[/\\\0]/.test(d)) return undefined;
    out.push(d);
  }
  // Next.js serves a route's RSC payload under '<route>.rsc' too: same route, same rule.
  if (out.length) out[out.length - 1] = out[out.length - 1].replace(/(\.prefetch|\.segment)?\.rsc$/i, '').replace(/\.segments$/i, '');
  if (out.length === 1 && out[0].toLowerCase() === 'index') out.length = 0;
  return `/${out.filter(Boolean).join('/')}`;
}

/** Only same-site paths survive as a post-sign-in destination. */
export function safeNext(next: string | undefined | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\r\n]/.test(next)) return '/';
  return next;
}

