// One interactive VOS admin CLI session on a pty: banner, `admin:` prompt, line editing with echo,
// command dispatch, the pager, and the faults that act on command output (slow, garbage, ssh-drop,
// hang). Renderers (./commands) produce text; this file decides when and how the bytes go out.
import type { LabDeployment, LabNode } from '../model';
import { resolveCommand } from './commands/index';
import { counter } from './commands/node-facts';
import type { OutputStep } from './commands/types';
import { BANNER_START, CRLF, ERASE_LINE, PAGER_PROMPT, bannerRest, garble, prompt, toCrlf, unexpand } from './terminal';

export interface ShellIo {
  write(data: string | Buffer): void;
  /** Orderly end of the session (`exit`, idle timeout). */
  close(): void;
  /** Abrupt loss of the TCP connection (ssh-drop fault). */
  drop(): void;
}

export interface ShellOptions {
  node: LabNode;
  lab: LabDeployment;
  username: string;
  rows: number;
  io: ShellIo;
  /** Called once per command line entered (stats). */
  onCommand(): void;
  /** Real ms before the prompt appears after the first banner line. */
  startupMs?: number;
  /** Real ms of inactivity after which the CLI logs the session out. */
  idleMs?: number;
}

/** "The CLI session timeout is set to 30 minutes for new CLI sessions" (wire-formats.md §4.1). */
export const CLI_IDLE_MS = 30 * 60_000;
const DEFAULT_ROWS = 24;

type State = 'starting' | 'prompt' | 'running' | 'paging' | 'hung' | 'closed';

// `set cli pagination` replies: wording from the Cisco Emergency Responder 12.5(1)SU3 CLI guide (same
// VOS platform): "admin:set cli pagination off / Automatic pagination is turned off".
const PAGINATION_REPLY = { on: 'Automatic pagination is turned on', off: 'Automatic pagination is turned off' } as const;

export class VosShell {
  private state: State = 'starting';
  private pending = '';
  private line = '';
  private lastWasCr = false;
  private pagination = true;
  private rows: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private idleTimer: NodeJS.Timeout | undefined;
  // Output of the running command.
  private queue: Array<string | Buffer> = [];
  private producing = false;
  private pageLines = 0;
  private commandSeq = 0;

  constructor(private readonly opts: ShellOptions) {
    this.rows = opts.rows > 1 ? opts.rows : DEFAULT_ROWS;
  }

  start(): void {
    this.touch();
    this.opts.io.write(BANNER_START + CRLF);
    this.later(this.opts.startupMs ?? 300, () => {
      const mem = counter(this.opts.node, 'Memory', undefined, ['Total KBytes'], this.opts.lab.clock.now());
      this.opts.io.write(toCrlf(bannerRest(this.opts.node, mem) + '\n'));
      this.showPrompt();
    });
  }

  resize(rows: number): void {
    if (rows > 1) this.rows = rows;
  }

  input(data: Buffer | string): void {
    if (this.state === 'closed') return;
    this.touch();
    this.pending += typeof data === 'string' ? data : data.toString('latin1');
    this.pump();
  }

  dispose(): void {
    this.state = 'closed';
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.queue = [];
  }

  // ---- input ----------------------------------------------------------------------------------

  private pump(): void {
    while (this.pending.length > 0) {
      const ch = this.pending[0];
      // While a command runs only Ctrl-C acts; everything else is type-ahead for the next prompt.
      if (this.state === 'running' ? ch !== '\x03' : this.state !== 'prompt' && this.state !== 'paging') return;
      this.pending = this.pending.slice(1);
      const crlf = ch === '\n' && this.lastWasCr;
      this.lastWasCr = ch === '\r';
      if (crlf) continue; // CR LF from one Enter key
      if (this.state === 'running') this.abortCommand();
      else if (this.state === 'paging') this.pagerKey(ch);
      else this.editKey(ch);
    }
  }

  private editKey(ch: string): void {
    const io = this.opts.io;
    if (ch === '\r' || ch === '\n') {
      io.write(CRLF);
      const line = this.line;
      this.line = '';
      this.execute(line.trim());
    } else if (ch === '\x7f' || ch === '\b') {
      if (this.line.length > 0) {
        this.line = this.line.slice(0, -1);
        io.write('\b \b');
      }
    } else if (ch === '\x03') {
      this.line = '';
      io.write('^C' + CRLF);
      this.showPrompt();
    } else if (ch === '\x1b') {
      // Cursor keys (ESC [ x / ESC O x): no history in the lab, drop the sequence.
      const m = /^[[O][0-9;]*[A-Za-z~]/.exec(this.pending);
      if (m) this.pending = this.pending.slice(m[0].length);
    } else if (ch >= ' ' && ch !== '\x7f') {
      this.line += ch;
      io.write(ch);
    }
  }

  private pagerKey(ch: string): void {
    if (ch === '\r' || ch === '\n') this.pageLines = this.rows - 2;
    else if (ch === ' ') this.pageLines = 0;
    else if (ch === 'q' || ch === 'Q' || ch === '\x03') {
      this.opts.io.write(ERASE_LINE);
      this.abortCommand();
      return;
    } else return; // other keys are ignored while the pager waits
    this.opts.io.write(ERASE_LINE);
    this.state = 'running';
    this.flush();
  }

  // ---- commands -------------------------------------------------------------------------------

  private execute(line: string): void {
    const { node, lab } = this.opts;
    if (line === '') {
      this.showPrompt();
      return;
    }
    this.opts.onCommand();
    const lower = line.toLowerCase().split(/\s+/).join(' ');
    if (lower === 'exit' || lower === 'quit') {
      this.state = 'closed';
      this.opts.io.close();
      return;
    }
    if (node.faults.hang) {
      // A hung node takes the command and never answers.
      this.state = 'hung';
      return;
    }
    const cliFault = [...node.cliFaults.values()].find((f) => lower.startsWith(f.command));
    if (cliFault?.effect === 'stuck') {
      // cli-stuck: this command never returns to the prompt (the rest of the node answers).
      this.state = 'hung';
      return;
    }
    if (cliFault?.effect === 'flood') {
      this.flood();
      return;
    }
    let steps: OutputStep[];
    if (lower === 'set cli pagination off' || lower === 'set cli pagination on') {
      this.pagination = lower.endsWith('on');
      steps = [{ delayMs: 0, text: `${PAGINATION_REPLY[this.pagination ? 'on' : 'off']}\n` }];
    } else {
      const resolved = resolveCommand(line, node.product);
      const ctx = { node, lab, now: new Date(lab.clock.now()) };
      // Unknown commands, commands of the other product and bad arguments all get the CLI's one
      // refusal line (wire-formats.md §4.1).
      steps = (resolved && resolved.spec.run(ctx, resolved.args)) ?? [{ delayMs: 0, text: 'No valid command entered\n' }];
    }
    if (cliFault?.effect === 'damage') steps = damageSteps(steps, cliFault.line ?? 1, cliFault.mode ?? 'truncate');
    this.run(steps);
  }

  private run(steps: OutputStep[]): void {
    const { node } = this.opts;
    const seq = ++this.commandSeq;
    this.state = 'running';
    this.pageLines = 0;
    this.queue = [];
    this.producing = true;
    const garbage = node.faults.garbage;
    const slowMs = Math.max(0, node.faults.slowMs);
    if (node.faults.sshDrop) {
      this.later(slowMs + (steps[0]?.delayMs ?? 0), () => void this.dropHalfway(steps));
      return;
    }
    let i = 0;
    const next = (): void => {
      if (seq !== this.commandSeq || this.state === 'closed') return;
      if (i >= steps.length) {
        this.producing = false;
        this.flush();
        return;
      }
      const step = steps[i++];
      const delay = step.delayMs + (i === 1 ? slowMs : 0);
      const emit = (): void => {
        if (seq !== this.commandSeq || this.state === 'closed') return;
        void text(step).then((out) => {
          if (seq !== this.commandSeq || this.state === 'closed') return;
          this.enqueue(out, garbage || node.faults.garbage);
          next();
        });
      };
      if (delay > 0) this.later(delay, emit);
      else emit();
    };
    next();
  }

  /** ssh-drop: the first half of the output's lines go out, then the connection is cut. */
  private async dropHalfway(steps: OutputStep[]): Promise<void> {
    if (this.state === 'closed') return;
    const lines = (await Promise.all(steps.map(text))).join('').split('\n');
    if (this.isClosed()) return; // the client may have left while the output was produced
    const half = lines.slice(0, Math.max(1, Math.floor(lines.length / 2)));
    this.opts.io.write(half.join(CRLF) + CRLF);
    this.later(30, () => {
      this.state = 'closed';
      this.opts.io.drop();
    });
  }

  private enqueue(chunk: string, garbage: boolean): void {
    const lines = chunk.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const tabs = this.opts.lab.settings.cli.tabs;
    for (const l of lines) this.queue.push(garbage ? garble(l, this.commandSeq * 7919 + this.queue.length) : tabs ? unexpand(l) : l);
    this.flush();
  }

  /** cli-flood: output without end (64 KB a tick) until the client gives up and closes the channel. */
  private flood(): void {
    const seq = ++this.commandSeq;
    this.state = 'running';
    const line = `Cisco Flood Service ${'x'.repeat(60)}[STARTED]${this.eol()}`;
    const chunk = line.repeat(Math.ceil(65_536 / line.length));
    const tick = (): void => {
      if (seq !== this.commandSeq || this.state === 'closed') return;
      this.opts.io.write(chunk);
      this.later(2, tick);
    };
    tick();
  }

  /** Line end of command output (lab option cli.lineEnd). */
  private eol(): string {
    const e = this.opts.lab.settings.cli.lineEnd;
    return e === 'lf' ? '\n' : e === 'cr-crlf' ? '\r\r\n' : CRLF;
  }

  /** Writes queued lines until the page is full (pager prompt) or the command is done (prompt). */
  private flush(): void {
    if (this.state !== 'running') return;
    const io = this.opts.io;
    while (this.queue.length > 0) {
      if (this.pagination && this.pageLines >= this.rows - 1) {
        io.write(PAGER_PROMPT);
        this.state = 'paging';
        this.pump();
        return;
      }
      const l = this.queue.shift() as string | Buffer;
      const eol = this.eol();
      if (typeof l === 'string') io.write(l + eol);
      else io.write(Buffer.concat([l, Buffer.from(eol)]));
      this.pageLines++;
    }
    if (!this.producing) {
      io.write(this.eol());
      this.showPrompt();
    }
  }

  private abortCommand(): void {
    this.commandSeq++;
    this.queue = [];
    this.producing = false;
    this.state = 'running';
    this.opts.io.write(CRLF);
    this.showPrompt();
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private showPrompt(): void {
    if (this.state === 'closed') return;
    this.state = 'prompt';
    this.opts.io.write(prompt(this.opts.username));
    this.pump();
  }

  // ---- timers ---------------------------------------------------------------------------------

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.state === 'closed') return;
      this.opts.io.write(CRLF);
      this.state = 'closed';
      this.opts.io.close();
    }, this.opts.idleMs ?? CLI_IDLE_MS);
  }
}

/** cli-damage: the command's output with one line spoiled (truncated, shifted, or noise). */
function damageSteps(steps: OutputStep[], line: number, mode: 'truncate' | 'misalign' | 'garble'): OutputStep[] {
  const all: OutputStep = {
    delayMs: steps.reduce((n, s) => n + s.delayMs, 0),
    text: async () => {
      const lines = (await Promise.all(steps.map(text))).join('').split('\n');
      // Output line numbers count from the first non-empty line, as an operator reads them.
      const first = lines.findIndex((l) => l.trim() !== '');
      const k = Math.max(0, first) + line - 1;
      const l = lines[k];
      if (l !== undefined) {
        if (mode === 'truncate') lines[k] = l.slice(0, Math.max(1, Math.floor(l.trimEnd().length / 2)));
        // misalign: the line's second value is missing and the rest moves left under the wrong headers.
        else if (mode === 'misalign') lines[k] = l.replace(/^(\s*\S+\s+)\S+\s+/, '$1');
        else lines[k] = '#'.repeat(Math.max(8, l.length));
      }
      return lines.join('\n');
    },
  };
  return [all];
}

async function text(step: OutputStep): Promise<string> {
  return typeof step.text === 'function' ? step.text() : step.text;
}
