// `utils diagnose test` (reference/wire-formats.md §4.7). Result grammar:
// `(test|skip) - <module padded> : <Passed|Failed|Warning|…>[ free text]`, the free text possibly
// continuing on the following lines. Output that starts the run but never prints
// `Diagnostics Completed` is a ParseError (a cut-off run must not read as "all passed").
import { z } from 'zod';
import { ParseError } from '../errors';
import { checked } from './check';
import { inputName, readCli } from './cli-text';

const COMMAND = 'utils diagnose test';

export const DIAGNOSE_RESULTS = ['Passed', 'Failed', 'Warning', 'Error'] as const;

export const diagnoseTestSchema = z.object({
  /** `Log file: platform/log/diagN.log`. */
  logFile: z.string().nullable(),
  modules: z
    .array(
      z.object({
        action: z.enum(['test', 'skip']),
        module: z.string().min(1),
        /** Leading result word; null when a test prints only text (e.g. "Reverse DNS lookup failed") or was skipped. */
        result: z.enum(DIAGNOSE_RESULTS).nullable(),
        /** True only for `test` modules whose result is Passed. */
        passed: z.boolean(),
        /** Text after the result word (continuation lines joined with a space). */
        text: z.string(),
        line: z.number().int().positive(),
      }),
    )
    .min(1),
});
export type DiagnoseTest = z.infer<typeof diagnoseTestSchema>;

const RESULT = /^(test|skip)\s+-\s+(\S+)\s*:\s*(.*)$/;

export function parseDiagnoseTest(text: string, source?: string): DiagnoseTest {
  const input = inputName(COMMAND, source);
  const lines = readCli(text, input, /utils\s+diagnose\s+test/);
  let logFile: string | null = null;
  let started = false;
  let completed = false;
  const modules: DiagnoseTest['modules'] = [];
  for (const { text: raw, line } of lines) {
    const t = raw.trim();
    if (!t) continue;
    let m: RegExpExecArray | null;
    if (completed) continue; // the closing notes ("The final output will be in Log file: …")
    if ((m = /^Log file:\s*(\S+)$/.exec(t))) logFile = m[1];
    else if (t === 'Starting diagnostic test(s)') started = true;
    else if (/^=+$/.test(t)) continue;
    else if (t === 'Diagnostics Completed') completed = true;
    else if ((m = RESULT.exec(t))) {
      const action = m[1] as 'test' | 'skip';
      const rest = m[3].trim();
      const r = new RegExp(`^(${DIAGNOSE_RESULTS.join('|')})\\b\\s*(.*)$`).exec(rest);
      const result = action === 'test' && r ? (r[1] as DiagnoseTest['modules'][number]['result']) : null;
      const body = result ? r![2] : rest;
      modules.push({ action, module: m[2], result, passed: action === 'test' && result === 'Passed', text: body, line });
    } else if (modules.length) {
      const last = modules[modules.length - 1];
      last.text = last.text ? `${last.text} ${t}` : t;
    } else throw new ParseError(input, line, `unexpected line before the first result: "${t}"`);
  }
  if (!modules.length) throw new ParseError(input, lines[lines.length - 1]?.line, 'no "test - <module> : <result>" lines in the output');
  if (started && !completed) throw new ParseError(input, lines[lines.length - 1]?.line, 'the run never printed "Diagnostics Completed" (truncated output?)');
  return checked(diagnoseTestSchema, { logFile, modules }, input);
}
