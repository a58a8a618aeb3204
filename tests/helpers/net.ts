// Waiting helpers for tests and benchmarks that start servers: a free port on an address of the
// test's own loopback range, and polling until a probe answers.
import { createServer } from 'node:net';

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
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, context: () => string = () => ''): Promise<T> {
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
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}\n${context()}`);
}
