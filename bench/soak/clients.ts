// Dashboard viewers for the soak and the benchmark, in their own process: each signs in, opens
// the page, then does what <LiveRefresh /> does in a visible tab — re-fetches the page's server
// components (an RSC request) every 5 s. Prints one JSON line per progress tick and a summary
// (latency percentiles, statuses, errors) when it receives SIGTERM. SIGUSR1 starts the latency
// figures afresh: the soak sends it when its warm-up ends, so start-up (every source of every node polled
// for the first time at once) is not counted as the steady state.
//   IMPULSE_SOAK_URL, IMPULSE_SOAK_CLIENTS, IMPULSE_SOAK_USER, IMPULSE_SOAK_PASSWORD,
//   IMPULSE_SOAK_PAGES (comma-separated, default "/"), IMPULSE_SOAK_REFRESH_MS (default 5000)
const url = process.env.IMPULSE_SOAK_URL!;
const clients = Number(process.env.IMPULSE_SOAK_CLIENTS ?? 50);
const user = process.env.IMPULSE_SOAK_USER ?? '';
const password = process.env.IMPULSE_SOAK_PASSWORD ?? '';
const pages = (process.env.IMPULSE_SOAK_PAGES ?? '/').split(',').filter(Boolean);
const refreshMs = Number(process.env.IMPULSE_SOAK_REFRESH_MS ?? 5000);

const latencies: number[] = [];
const statuses: Record<string, number> = {};
const errors: string[] = [];
let stopping = false;

/** One request, timed to the last byte; returns the redirect target when there is one. */
async function timed(p: string, headers: Record<string, string>): Promise<string | undefined> {
  const t = performance.now();
  try {
    const res = await fetch(`${url}${p}`, { headers, redirect: 'manual' });
    await res.arrayBuffer();
    latencies.push(performance.now() - t);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    return res.status >= 300 && res.status < 400 ? (res.headers.get('location') ?? undefined) : undefined;
  } catch (err) {
    if (errors.length < 50) errors.push((err as Error).message);
    statuses.error = (statuses.error ?? 0) + 1;
    return undefined;
  }
}

/**
 * The URL a refresh really asks for: Next.js answers an RSC request without its cache-busting
 * `_rsc` parameter (a hash of the router headers) with a redirect to the URL that has it, and a
 * browser's router sends it from the start. Found once per viewer, not timed.
 */
async function rscUrl(page: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${url}${page}`, { headers, redirect: 'manual' });
  await res.arrayBuffer();
  const loc = res.headers.get('location');
  if (res.status >= 300 && res.status < 400 && loc) return new URL(loc, url).pathname + new URL(loc, url).search;
  return page;
}

async function signIn(): Promise<string> {
  if (!user) return '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await fetch(`${url}/api/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', origin: url }, body: JSON.stringify({ username: user, password }) });
    const cookie = res.headers.get('set-cookie');
    if (res.ok && cookie) return cookie.split(';')[0];
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('viewer sign-in failed');
}

async function viewer(i: number): Promise<void> {
  const cookie = await signIn();
  const page = pages[i % pages.length];
  await new Promise((r) => setTimeout(r, Math.random() * refreshMs));
  await timed(page, { cookie, accept: 'text/html' });
  const rsc = { cookie, rsc: '1', accept: 'text/x-component' };
  const refresh = await rscUrl(page, rsc);
  while (!stopping) {
    await new Promise((r) => setTimeout(r, refreshMs));
    if (stopping) break;
    await timed(refresh, rsc);
  }
}

function pct(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function summary(kind: string) {
  const s = [...latencies].sort((a, b) => a - b);
  return { type: kind, requests: s.length, p50: pct(s, 0.5), p95: pct(s, 0.95), p99: pct(s, 0.99), max: s.at(-1) ?? 0, statuses, errors: errors.slice(0, 10) };
}

const progress = setInterval(() => process.stdout.write(`${JSON.stringify(summary('progress'))}\n`), 30_000);
process.on('SIGUSR1', () => {
  // Latencies only: every answer's status and every error still counts.
  latencies.length = 0;
});
process.on('SIGTERM', () => {
  stopping = true;
  clearInterval(progress);
  process.stdout.write(`${JSON.stringify(summary('summary'))}\n`);
  setTimeout(() => process.exit(0), 50);
});
for (let i = 0; i < clients; i++) void viewer(i).catch((err: Error) => errors.push(err.message));
