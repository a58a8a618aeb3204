// `impulse` CLI entry: dispatches to lazily loaded subcommand modules.
import type { CliCommand } from './command';
import { UsageError } from './command';

const registry: Record<string, () => Promise<{ command: CliCommand }>> = {
  start: () => import('./commands/start'),
  lab: () => import('./commands/lab'),
  config: () => import('./commands/config'),
  collect: () => import('./commands/collect'),
  parse: () => import('./commands/parse'),
  user: () => import('./commands/user'),
  rules: () => import('./commands/rules'),
  dashboards: () => import('./commands/dashboards'),
  troubleshoot: () => import('./commands/troubleshoot'),
  'validate-users': () => import('./commands/validate-users'),
  readiness: () => import('./commands/readiness'),
};

async function loadAll(): Promise<CliCommand[]> {
  const out: CliCommand[] = [];
  for (const load of Object.values(registry)) {
    try {
      out.push((await load()).command);
    } catch {
      // A command whose module is missing is simply not listed.
    }
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const cmds = await loadAll();
    const width = Math.max(...cmds.map((c) => c.name.length));
    process.stdout.write(
      'Usage: impulse <command> [options]\n\nCommands:\n' +
        cmds.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n') +
        '\n\nRun `impulse <command> --help` for the options of a command.\n',
    );
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
    process.stdout.write(`impulse ${pkg.version}\n`);
    return 0;
  }
  const load = registry[name];
  if (!load) {
    process.stderr.write(`impulse: unknown command '${name}'. Run \`impulse --help\` for the list.\n`);
    return 2;
  }
  const { command } = await load();
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`impulse ${command.name}: ${err.message}\nRun \`impulse ${command.name} --help\` for usage.\n`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // Long-running commands (start, lab, collect) never resolve; the rest exit here.
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`impulse: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
