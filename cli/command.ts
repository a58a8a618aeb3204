// The shape every `impulse` subcommand module exports as `command`.
export interface CliCommand {
  /** Words after `impulse`, e.g. "lab" or "config". Subcommands are handled by the module itself. */
  name: string;
  /** One line for `impulse --help`. */
  summary: string;
  /** Full help text printed for `impulse <name> --help` (and for each sub-subcommand the module knows). */
  help: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

/** A usage error: printed with the command's help hint, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
