// The VOS admin CLI over SSH for one node (reference/wire-formats.md §4.1).
//
//   const cli = new CliPool({ node: 'imp01-pub', host: '10.0.0.5', credentials, knownHostsFile });
//   const text = await cli.run('utils ha status');                 // cleaned output (cleanCliOutput)
//   const slow = await cli.run('utils diagnose test', { timeoutMs: 300_000 });
//   await cli.close();
//
// The CLI offers keyboard-interactive auth only (every prompt is answered with the OS password),
// has no exec channel (a PTY shell: vt100, 200 columns), prints an `admin:` prompt, pages long
// output unless `set cli pagination off` (sent once per session), and starts slowly (nudged with
// newlines at 0.4, 1.2 and 2.5 s). A small pool of shells per node is reused across polls;
// a session that dropped, timed out or broke is discarded and the next run connects again.
// Host keys are checked against the cluster's known_hosts before authenticating.
import { Client, type AuthMethod, type ClientChannel, type ConnectConfig } from 'ssh2';
import { CollectError } from '../errors';
import { cleanCliOutput } from '../parsers/cli-text';
import { OutputBuffer } from './cli-buffer';
import { gate, report, type RequestHooks } from './hooks';
import type { Credentials } from './http';
import { appendKnownHost, KnownHosts, knownHostsName, type HostKeyVerdict } from './known-hosts';

export interface CliPoolOptions {
  /** Node name as configured (messages, hooks, known_hosts lookup). */
  node: string;
  /** Address to connect to; defaults to `node`. */
  host?: string;
  /** SSH port (22 on a real node). */
  port?: number;
  /** OS administrator; the password is read at connect time and never logged. */
  credentials: () => Credentials;
  /** known_hosts file of the cluster. Without one, every key is unknown. */
  knownHostsFile?: string;
  /** Accept an unknown (never a changed) host key and append it to knownHostsFile. */
  trustOnFirstUse?: boolean;
  /** Shells kept per node. Default 2. */
  maxSessions?: number;
  /** TCP + SSH handshake + auth + first prompt, ms. Default 30 000. */
  connectTimeoutMs?: number;
  /** Default per-command timeout, ms. Default 120 000 (utils diagnose test and friends take minutes). */
  commandTimeoutMs?: number;
  /** Idle shells are closed after this long, ms (the CLI's own idle timeout is 30 min). Default 10 min. */
  idleMs?: number;
  /**
   * Largest output of one command, characters. A command that prints more is ended with a clear
   * error and its shell closed (the next command gets a new one). Default 32 MiB: a 10 MB
   * `utils service list` or 75,000-user `utils users validate all` fits with room to spare.
   */
  maxOutputBytes?: number;
  hooks?: RequestHooks;
}

export interface RunOptions {
  /** Command timeout (from the moment a shell is ready), ms. */
  timeoutMs?: number;
  /** Aborting ends the command at once (its shell is closed: the command may still be running). */
  signal?: AbortSignal;
}

export const DEFAULT_MAX_CLI_OUTPUT = 32 * 1024 * 1024;

/** Pager prompts (§4.1, and the `file view` pager) and the key that shows the next page. */
const PAGERS: Array<[RegExp, string]> = [
  [/Press <enter> for 1 line, <space> for one page, or <q> to quit\s*$/, ' '],
  [/options: q=quit, n=next, p=prev, b=begin, e=end \(lines \d+ - \d+ of \d+\) :\s*$/, 'n'],
];
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>NOM78c]/g;
const NUDGES_MS = [400, 1200, 2500];

/**
 * The command as an operation label (impulse_requests_total): without the certificate it names, so
 * reading a node's 40 own and trust certificates is two label values, not 40 series.
 */
export function cliOperation(command: string): string {
  const m = /^(show\s+cert\s+(?:own|trust))\s+\S+$/i.exec(command.trim());
  return m ? m[1].replace(/\s+/g, ' ') : command;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Text as a terminal would show it, for prompt detection only (parsing is cleanCliOutput's job). */
function visible(raw: string): string {
  return raw.replace(ANSI, '').replace(/\r\n?/g, '\n');
}

export class CliPool {
  readonly node: string;
  readonly host: string;
  readonly port: number;
  private readonly opts: CliPoolOptions;
  private readonly idle: CliSession[] = [];
  private readonly sessions = new Set<CliSession>();
  private readonly waiters: Array<(s: CliSession | null) => void> = [];
  private creating = 0;
  private closed = false;

  constructor(opts: CliPoolOptions) {
    this.opts = opts;
    this.node = opts.node;
    this.host = opts.host ?? opts.node;
    this.port = opts.port ?? 22;
  }

  /** Open shells (idle or busy). */
  get size(): number {
    return this.sessions.size;
  }

  /** Runs one command and returns its cleaned output. Errors are CollectErrors naming node and command. */
  async run(command: string, opts: RunOptions = {}): Promise<string> {
    if (this.closed) throw new CollectError('connection', `${this.node}: CLI '${command}': client closed`);
    if (/[\r\n]/.test(command)) throw new CollectError('config', `${this.node}: CLI command must be one line: ${JSON.stringify(command)}`);
    const info = { node: this.node, protocol: 'cli' as const, operation: cliOperation(command) };
    await gate(this.opts.hooks, info);
    const started = performance.now();
    const done = (outcome: Parameters<typeof report>[1]['outcome']) =>
      report(this.opts.hooks, { ...info, outcome, sent: true, durationMs: performance.now() - started });
    let session: CliSession | undefined;
    try {
      if (opts.signal?.aborted) throw new CollectError('timeout', `${this.node}: CLI '${command}': aborted before it was sent`);
      session = await this.acquire();
      const raw = await session.exec(command, opts.timeoutMs ?? this.opts.commandTimeoutMs ?? 120_000, opts.signal);
      this.release(session);
      session = undefined;
      const text = cleanCliOutput(raw, new RegExp(escapeRegExp(command)));
      done('ok');
      return text;
    } catch (err) {
      if (session) this.discard(session);
      const e = err instanceof CollectError ? err : new CollectError('connection', `${this.node}: CLI '${command}': ${(err as Error).message}`, { cause: err });
      done(e.kind);
      throw e;
    }
  }

  /** Ends every shell (sends `exit`). */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w(null);
    await Promise.all([...this.sessions].map((s) => s.end()));
    this.sessions.clear();
    this.idle.length = 0;
  }

  private async acquire(): Promise<CliSession> {
    for (;;) {
      const s = this.idle.pop();
      if (s) {
        if (s.alive) {
          s.cancelIdleTimer();
          return s;
        }
        this.sessions.delete(s);
        continue;
      }
      if (this.sessions.size + this.creating < (this.opts.maxSessions ?? 2)) return this.create();
      const got = await new Promise<CliSession | null>((resolve) => this.waiters.push(resolve));
      if (this.closed) throw new CollectError('connection', `${this.node}: CLI client closed`);
      if (got && got.alive) return got;
    }
  }

  private async create(): Promise<CliSession> {
    this.creating++;
    try {
      const s = new CliSession(this.opts, this.host, this.port, () => this.discard(s));
      await s.connect();
      if (this.closed) {
        await s.end();
        throw new CollectError('connection', `${this.node}: CLI client closed`);
      }
      this.sessions.add(s);
      return s;
    } finally {
      this.creating--;
    }
  }

  private release(s: CliSession): void {
    if (!s.alive || this.closed) return this.discard(s);
    const w = this.waiters.shift();
    if (w) return w(s);
    this.idle.push(s);
    s.startIdleTimer(this.opts.idleMs ?? 600_000, () => this.discard(s));
  }

  private discard(s: CliSession): void {
    const wasKnown = this.sessions.delete(s);
    const i = this.idle.indexOf(s);
    if (i >= 0) this.idle.splice(i, 1);
    void s.end();
    // A freed slot lets one waiter connect a new shell.
    if (wasKnown) this.waiters.shift()?.(null);
  }
}

/** One SSH connection with one interactive shell at the admin prompt. */
class CliSession {
  alive = false;
  private client = new Client();
  private stream: ClientChannel | undefined;
  private readonly buffer = new OutputBuffer(400);
  private onData: (() => void) | undefined;
  private onClose: ((why: string) => void) | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private hostKeyProblem: string | undefined;
  private readonly promptRe: RegExp;
  private readonly promptName: string;

  constructor(
    private readonly opts: CliPoolOptions,
    private readonly host: string,
    private readonly port: number,
    private readonly onDead: () => void,
  ) {
    let user = 'admin';
    try {
      user = opts.credentials().username;
    } catch {
      // Reported when connecting.
    }
    this.promptName = user;
    const names = [...new Set(['admin', user])].map((u) => u.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.promptRe = new RegExp(`(?:^|\\n)(?:${names.join('|')}):\\s*$`);
  }

  /** Connects, authenticates, opens the shell, waits for the prompt and turns pagination off. */
  async connect(): Promise<void> {
    const node = this.opts.node;
    const timeoutMs = this.opts.connectTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    let creds: Credentials;
    try {
      creds = this.opts.credentials();
    } catch (err) {
      throw new CollectError('config', `${node}: OS credentials unavailable: ${(err as Error).message}`, { cause: err });
    }
    const keyboardInteractive = {
      type: 'keyboard-interactive',
      username: creds.username,
      // Every prompt ("Password:") gets the OS password, read at this moment and not kept.
      prompt: (_name: string, _instructions: string, _lang: string, prompts: unknown[], finish: (answers: string[]) => void) => {
        let password = '';
        try {
          password = this.opts.credentials().password;
        } catch {
          // An empty answer: the node rejects it and the error is 'auth'.
        }
        finish(prompts.map(() => password));
      },
    };
    const config: ConnectConfig = {
      host: this.host,
      port: this.port,
      username: creds.username,
      readyTimeout: timeoutMs,
      keepaliveInterval: 30_000,
      keepaliveCountMax: 3,
      // Keyboard-interactive only: the VOS CLI rejects plain password auth (§4.1).
      authHandler: [keyboardInteractive as unknown as AuthMethod],
      hostVerifier: (key: Buffer) => this.verifyHostKey(key),
    };

    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (err: CollectError) => {
        if (settled) return;
        settled = true;
        this.client.end();
        reject(err);
      };
      this.client.once('ready', () => {
        if (settled) return;
        settled = true;
        resolve();
      });
      // `on`, not `once`: ssh2 can emit a second error (e.g. "Connection lost before handshake"
      // after a timeout), and an unhandled 'error' event would kill the process.
      this.client.on('error', (err: Error & { level?: string; code?: string }) => fail(this.classifyConnectError(err, timeoutMs)));
      this.client.once('close', () => fail(new CollectError('connection', `${node}: SSH connection closed during login (${this.host}:${this.port})`)));
      try {
        this.client.connect(config);
      } catch (err) {
        fail(new CollectError('config', `${node}: SSH: ${(err as Error).message}`, { cause: err }));
      }
    });

    this.client.on('error', () => this.die('connection error'));
    this.client.on('close', () => this.die('connection closed'));

    this.stream = await new Promise<ClientChannel>((resolve, reject) => {
      this.client.shell({ term: 'vt100', cols: 200, rows: 24 }, (err, stream) => {
        if (err) reject(new CollectError('connection', `${node}: SSH shell refused: ${err.message}`, { cause: err }));
        else resolve(stream);
      });
    }).catch((err) => {
      this.client.end();
      throw err;
    });
    this.stream.on('data', (d: Buffer) => this.push(d));
    this.stream.stderr.on('data', (d: Buffer) => this.push(d));
    this.stream.on('close', () => this.die('shell closed'));
    this.alive = true;

    try {
      // CLI start-up takes seconds; nudge with newlines (§4.1).
      const nudges = NUDGES_MS.map((ms) => setTimeout(() => this.hasPrompt() || this.stream?.write('\n'), ms));
      try {
        await this.waitFor(() => this.hasPrompt(), Math.max(1000, deadline - Date.now()), 'the admin: prompt after login');
      } finally {
        nudges.forEach(clearTimeout);
      }
      await this.quiet(200, 2000); // swallow prompts echoed by nudges
      // A nudge's prompt can still arrive after the quiet spell on a loaded machine: only the prompt
      // after this command's echo ends it, or its reply would end up in the first real command's output.
      await this.execRaw('set cli pagination off', Math.max(1000, deadline - Date.now()), undefined, true);
    } catch (err) {
      await this.end();
      throw err;
    }
  }

  /** Sends one command and returns the raw bytes up to and including the next prompt. */
  async exec(command: string, timeoutMs: number, signal?: AbortSignal): Promise<string> {
    return this.execRaw(command, timeoutMs, signal);
  }

  startIdleTimer(ms: number, onIdle: () => void): void {
    this.cancelIdleTimer();
    this.idleTimer = setTimeout(onIdle, ms);
    this.idleTimer.unref();
  }

  cancelIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  async end(): Promise<void> {
    this.cancelIdleTimer();
    const wasAlive = this.alive;
    this.alive = false;
    if (wasAlive && this.stream?.writable) {
      this.stream.write('exit\n');
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.client.destroy();
        resolve();
      }, 500);
      this.client.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      this.client.end();
    });
  }

  private async execRaw(command: string, timeoutMs: number, signal?: AbortSignal, afterEcho = false): Promise<string> {
    const node = this.opts.node;
    if (!this.alive || !this.stream) throw new CollectError('connection', `${node}: CLI '${command}': session closed`);
    const maxOutput = this.opts.maxOutputBytes ?? DEFAULT_MAX_CLI_OUTPUT;
    this.buffer.clear();
    let pages = 0;
    this.stream.write(`${command}\n`);
    await this.waitFor(
      () => {
        if (this.buffer.length > maxOutput) {
          // The command is still printing: this shell is lost to it (the caller discards it).
          throw new CollectError(
            'parse',
            `${node}: CLI '${command}': output larger than ${maxOutput} characters without returning to the admin: prompt; command abandoned and its shell closed`,
          );
        }
        if (afterEcho) {
          // Only the prompt after this command's echo ends it (a late nudge's prompt must not).
          const text = this.buffer.text();
          const at = text.indexOf(command);
          if (at < 0) return false;
          return this.promptRe.test(visible(text.slice(at + command.length)));
        }
        const fresh = visible(this.buffer.tailSinceMark());
        for (const [re, key] of PAGERS) {
          if (!re.test(fresh)) continue;
          // A stray pagination prompt (pagination off did not stick, or a pager): move on a
          // page (<space> / n) so the whole output arrives; <q> would cut it short.
          if (++pages > 10_000) throw new CollectError('parse', `${node}: CLI '${command}': more than 10000 pages`);
          this.buffer.mark();
          this.stream?.write(key);
          return false;
        }
        return this.promptRe.test(fresh);
      },
      timeoutMs,
      `the admin: prompt after '${command}'`,
      command,
      signal,
    );
    // The prompt that preceded the echo was consumed by the previous wait: put it back so the
    // cleaner recognises and drops the echoed command line.
    const out = `${this.promptName}:${this.buffer.text()}`;
    this.buffer.clear();
    return out;
  }

  private hasPrompt(): boolean {
    return this.promptRe.test(visible(this.buffer.tail()));
  }

  private push(d: Buffer): void {
    this.buffer.push(d.toString('utf8'));
    this.onData?.();
  }

  private die(why: string): void {
    if (!this.alive) return;
    this.alive = false;
    this.onClose?.(why);
    this.onDead();
  }

  /** Waits until `done()` holds, the session dies ('connection'), or the time is up ('timeout'). */
  private waitFor(done: () => boolean, timeoutMs: number, what: string, command?: string, signal?: AbortSignal): Promise<void> {
    const node = this.opts.node;
    const label = command !== undefined ? `CLI '${command}'` : 'CLI login';
    return new Promise<void>((resolve, reject) => {
      const onAbort = () =>
        finish(new CollectError('timeout', `${node}: ${label}: abandoned after ${this.buffer.length} characters without ${what} (the poll was ended); its shell is closed`));
      const finish = (err?: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.onData = undefined;
        this.onClose = undefined;
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        try {
          if (done()) finish();
        } catch (err) {
          finish(err);
        }
      };
      const timer = setTimeout(
        () =>
          finish(
            new CollectError(
              'timeout',
              command !== undefined
                ? `${node}: ${label}: did not return to the admin: prompt within ${Math.round(timeoutMs)} ms (${this.buffer.length} characters received); command abandoned and its shell closed`
                : `${node}: ${label}: no ${what} within ${Math.round(timeoutMs)} ms`,
            ),
          ),
        Math.max(0, timeoutMs),
      );
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.onData = check;
      this.onClose = (why) =>
        finish(new CollectError('connection', `${node}: ${label}: ${why} ${command !== undefined ? 'in the middle of the output' : 'before the prompt'}`));
      if (!this.alive) return this.onClose('connection closed');
      check();
    });
  }

  /** Waits until no data arrived for `quietMs` (at most `maxMs`), then clears the buffer. */
  private async quiet(quietMs: number, maxMs: number): Promise<void> {
    const end = Date.now() + maxMs;
    let last = this.buffer.length;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, quietMs));
      if (this.buffer.length === last) break;
      last = this.buffer.length;
    }
    this.buffer.clear();
  }

  private verifyHostKey(key: Buffer): boolean {
    const names = [...new Set([knownHostsName(this.host, this.port), knownHostsName(this.opts.node, this.port)])];
    let verdict: HostKeyVerdict;
    try {
      verdict = this.opts.knownHostsFile ? KnownHosts.load(this.opts.knownHostsFile).verify(names, key) : 'unknown';
    } catch (err) {
      this.hostKeyProblem = (err as Error).message;
      return false;
    }
    if (verdict === 'match') return true;
    if (verdict === 'unknown' && this.opts.trustOnFirstUse && this.opts.knownHostsFile) {
      try {
        appendKnownHost(this.opts.knownHostsFile, names, key);
        return true;
      } catch (err) {
        this.hostKeyProblem = (err as Error).message;
        return false;
      }
    }
    this.hostKeyProblem =
      verdict === 'unknown'
        ? `host key of ${names.join(' / ')} is not in ${this.opts.knownHostsFile ?? 'known_hosts (none configured)'}${this.opts.trustOnFirstUse ? '' : ' (trustOnFirstUse is off)'}`
        : verdict === 'revoked'
          ? `host key of ${names.join(' / ')} is marked @revoked`
          : `HOST KEY MISMATCH for ${names.join(' / ')}: the node presents a different key than ${this.opts.knownHostsFile}`;
    return false;
  }

  private classifyConnectError(err: Error & { level?: string; code?: string }, timeoutMs: number): CollectError {
    const node = this.opts.node;
    if (this.hostKeyProblem) return new CollectError('ssh-host-key', `${node}: ${this.hostKeyProblem}`, { cause: err });
    if (err.level === 'client-authentication') return new CollectError('auth', `${node}: SSH authentication failed for the OS administrator (keyboard-interactive)`, { cause: err });
    if (err.level === 'client-timeout') return new CollectError('timeout', `${node}: SSH login did not complete within ${timeoutMs} ms (${this.host}:${this.port})`, { cause: err });
    if (err.code === 'ETIMEDOUT') return new CollectError('timeout', `${node}: SSH connect timed out (${this.host}:${this.port})`, { cause: err });
    return new CollectError('connection', `${node}: SSH ${err.code ?? ''} ${err.message} (${this.host}:${this.port})`.replace(/\s+/g, ' '), { cause: err });
  }
}
