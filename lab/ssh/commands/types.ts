// The contract between the shell (lab/ssh/shell.ts) and the command renderers in this folder.
// Renderers are pure: they read the node's live state and return text; the shell owns timing,
// pagination, CRLF and VT100 decoration.
import type { LabDeployment, LabNode, Product } from '../../model';

export interface CliContext {
  readonly node: LabNode;
  readonly lab: LabDeployment;
  /** Simulated wall-clock time of the command. */
  readonly now: Date;
}

/**
 * One piece of output, printed `delayMs` (real ms) after the previous piece. Text uses LF line ends;
 * a function is evaluated when the piece is due, so slow commands report the state at that moment.
 * It may return a Promise: long scans yield to the event loop so that one node's slow command never
 * stalls the other nodes served by the same lab process.
 */
export interface OutputStep {
  readonly delayMs: number;
  readonly text: string | (() => string | Promise<string>);
}

export interface CliCommandSpec {
  /** Lower-case leading keywords, e.g. ['utils', 'service', 'list']. */
  readonly words: readonly string[];
  /** Products whose CLI has the command; absent = every VOS node. */
  readonly products?: readonly Product[];
  /** `args` are the tokens after `words`, quotes removed, original case. Undefined = invalid arguments. */
  run(ctx: CliContext, args: readonly string[]): OutputStep[] | undefined;
}

/** Output printed at once. */
export function immediate(text: string): OutputStep[] {
  return [{ delayMs: 0, text }];
}
