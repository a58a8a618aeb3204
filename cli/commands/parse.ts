// `impulse parse <kind> [file]`: runs one collector parser over a saved capture (or stdin) and prints
// the typed result as JSON. Useful to check what IMPulse reads from a node's output before trusting it.
import { readFileSync } from 'node:fs';
import { ParseError, SoapFaultError } from '../../collectors/errors';
import { parserKinds, parsers, type ParserKind } from '../../collectors/parsers/index';
import { parse as parseArgv, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';

const width = Math.max(...parserKinds.map((k) => k.length));
const help = `Usage: impulse parse <kind> [file]

Parses a saved CLI output or SOAP response with the collector's parser and prints the result as JSON.
Without a file, reads standard input. On text the parser does not understand it prints the reason,
naming the file and line, and exits 1.

Kinds:
${parserKinds.map((k) => `  ${k.padEnd(width)}  ${parsers[k].reads}`).join('\n')}

Options:
  --compact   one-line JSON
  -h, --help  this help
`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const command: CliCommand = {
  name: 'parse',
  summary: 'Parse a saved CLI output or SOAP response (kinds: ha-status, dbreplication-runtimestate, perfmon, …)',
  help,
  async run(argv) {
    if (wantsHelp(argv)) {
      process.stdout.write(help);
      return 0;
    }
    const { values, positionals } = parseArgv(argv, { compact: { type: 'boolean' } });
    const [kind, file, ...extra] = positionals;
    if (!kind) throw new UsageError('missing <kind>');
    if (!(parserKinds as string[]).includes(kind)) throw new UsageError(`unknown kind '${kind}'; kinds: ${parserKinds.join(', ')}`);
    if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const source = file && file !== '-' ? file : '<stdin>';
    let text: string;
    try {
      text = file && file !== '-' ? readFileSync(file, 'utf8') : await readStdin();
    } catch (err) {
      process.stderr.write(`impulse parse: cannot read ${source}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    try {
      const result = parsers[kind as ParserKind].parse(text, source);
      process.stdout.write(JSON.stringify(result, null, values.compact ? undefined : 2) + '\n');
      return 0;
    } catch (err) {
      if (err instanceof ParseError || err instanceof SoapFaultError) {
        process.stderr.write(`impulse parse: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
