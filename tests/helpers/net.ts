// Waiting helpers for tests and benchmarks that start servers: a free port on an address of the
// test's own loopback range, and polling until a probe answers.
import { connect, createServer } from 'node:net';

/** A port free on `host` right now (the caller binds it next). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Calls `probe` every 250 ms until it returns a value (errors count as "not yet"); after
 * `timeoutMs` throws, naming what it waited for, the last error and `context()` (e.g. logs).
 */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined, context: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}\n${context()}`);
}

/** Resolves once something accepts TCP connections on host:port; throws after `ms`. */
export async function waitForPort(host: string, port: number, ms = 10_000, what = 'a server'): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect({ host, port }, () => (c.destroy(), resolve(true)));
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on ${host}:${port}`);
}
