// Shared by the alerting and dashboard end-to-end tests: free ports on our loopback range, child
// processes whose output is kept for failure messages, and polling for a condition with a bound.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import path from 'node:path';

export const root = path.resolve(__dirname, '../..');

export { freePort, until } from '../helpers/net';

export class Processes {
  readonly children: ChildProcess[] = [];
  readonly logs: string[] = [];

  run(cmd: string, args: string[], name: string, opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? root, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d: Buffer) => {
      this.logs.push(`[${name}] ${d.toString()}`);
      if (this.logs.length > 600) this.logs.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.children.push(child);
    return child;
  }

  output(name: string): string {
    return this.logs.filter((l) => l.startsWith(`[${name}] `)).map((l) => l.slice(name.length + 3)).join('');
  }

  tail(n = 40): string {
    return this.logs.slice(-n).join('');
  }

  async stopAll(): Promise<void> {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(
      this.children.map((c) =>
        c.exitCode !== null || c.signalCode !== null
          ? undefined
          : new Promise<void>((r) => {
              const t = setTimeout(() => (c.kill('SIGKILL'), r()), 15_000);
              c.once('exit', () => (clearTimeout(t), r()));
            }),
      ),
    );
  }
}

/** A webhook receiver (Alertmanager's webhook format or IMPulse's direct one): keeps every POST. */
export async function webhookReceiver(host: string): Promise<{ url: string; messages: Array<{ at: number; body: any }>; close(): Promise<void> }> {
  const messages: Array<{ at: number; body: any }> = [];
  const server: Server = createHttpServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        messages.push({ at: Date.now(), body: JSON.parse(Buffer.concat(chunks).toString()) });
      } catch {
        messages.push({ at: Date.now(), body: Buffer.concat(chunks).toString() });
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host}:${port}/hook`,
    messages,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
