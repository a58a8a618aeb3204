// `impulse parse <kind> [file]`: runs one collector parser over a saved capture (or stdin) and prints
// the typed result as JSON. Useful to check what IMPulse reads from a node's output before trusting it.
import { readFileSync } from 'node:fs';
import { ParseError, SoapFaultError } from '../../collectors/errors';
import { parserKinds, parsers, type ParserKind } from '../../collectors/parsers/index';
import type { Unparsed } from '../../collectors/parsers/problems';
import { parse as parseArgv, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';

const width = Math.max(...parserKinds.map((k) => k.length));
const help = `Usage: impulse parse <kind> [file]

Parses a saved CLI output or SOAP response with the collector's parser and prints the result as JSON.
Without a file, reads standard input. The parser keeps every row it can read: the rows it could not
are listed on standard error as <file>:<line>: <reason>, followed by the raw line (and are in the
JSON as "unparsed").

Exit status: 0 every row parsed; 1 some rows could not be parsed (the JSON holds the others);
2 nothing could be parsed (the reason, file and line on standard error), or a usage error.

Kinds:
${parserKinds.map((k) => `  ${k.padEnd(width)}  ${parsers[k].reads}`).join('\n')}

Options:
  --compact   one-line JSON
  -h, --help  this help
`;

function unparsedOf(result: unknown): Unparsed[] {
  const u = (result as { unparsed?: unknown } | null)?.unparsed;
  return Array.isArray(u) ? (u as Unparsed[]) : [];
}

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
      return 2;
    }
    let result: unknown;
    try {
      result = parsers[kind as ParserKind].parse(text, source);
    } catch (err) {
      if (err instanceof ParseError || err instanceof SoapFaultError) {
        process.stderr.write(`impulse parse: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
    process.stdout.write(JSON.stringify(result, null, values.compact ? undefined : 2) + '\n');
    const unparsed = unparsedOf(result);
    for (const u of unparsed) process.stderr.write(`${source}:${u.line}: ${u.reason}\n${u.raw ? `    ${u.raw}\n` : ''}`);
    if (unparsed.length) {
      process.stderr.write(`impulse parse: ${unparsed.length} row(s) of ${source} could not be parsed; the others are in the output\n`);
      return 1;
    }
    return 0;
  },
};
