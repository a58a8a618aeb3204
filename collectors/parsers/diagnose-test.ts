// `utils diagnose test` (reference/wire-formats.md §4.7). Result grammar:
// `(test|skip) - <module padded> : <Passed|Failed|Warning|…>[ free text]`, the free text possibly
// continuing on the following lines. Output that starts the run but never prints
// `Diagnostics Completed` is flagged (`completed: false` and an unparsed entry): a cut-off run must
// not read as "all passed".
import { z } from 'zod';
import { checked } from './check';
import { inputName, readCli, splitBefore } from './cli-text';
import { RowProblems, unparsedSchema } from './problems';

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
  /** False when the run started but never printed `Diagnostics Completed` (cut off: not "all passed"). */
  completed: z.boolean(),
  unparsed: z.array(unparsedSchema),
});
export type DiagnoseTest = z.infer<typeof diagnoseTestSchema>;

const RESULT = /^(test|skip)\s+-\s+(\S+)\s*:\s*(.*)$/;

export function parseDiagnoseTest(text: string, source?: string): DiagnoseTest {
  const input = inputName(COMMAND, source);
  // Documents that lost the line breaks: a record starts at each "test - " / "skip - " and label.
  const lines = splitBefore(
    readCli(text, input, /utils\s+diagnose\s+(?:test|module\s+\S+)/),
    /(?<=\s)(?:(?:test|skip) - \S+\s*:|Log file:|Starting diagnostic test\(s\)|={5,}|Diagnostics Completed)/g,
  );
  const problems = new RowProblems();
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
    else if (/^={5,}\s+\S/.test(t)) {
      // A flattened "=====" rule followed by the first result on the same line.
      continue;
    }
    else if (/^=+$/.test(t)) continue;
    else if (/^Diagnostics Completed\b/.test(t)) completed = true;
    else if ((m = RESULT.exec(t))) {
      const action = m[1] as 'test' | 'skip';
      const rest = m[3].trim();
      const r = new RegExp(`^(${DIAGNOSE_RESULTS.join('|')})\\b\\s*(.*)$`).exec(rest);
      const result = action === 'test' && r ? (r[1] as DiagnoseTest['modules'][number]['result']) : null;
      const body = result ? r![2] : rest;
      modules.push({ action, module: m[2], result, passed: action === 'test' && result === 'Passed', text: body, line });
    } else if (modules.length && /^(?:test|skip)\b|^(?:t|te|tes|s|sk|ski)$/i.test(t)) {
      // A result line cut short (free text never starts with these words): it costs itself only.
      problems.add(line, raw, `result line cut short: "${t}" (truncated output?)`);
    } else if (modules.length) {
      const last = modules[modules.length - 1];
      last.text = last.text ? `${last.text} ${t}` : t;
    } else problems.add(line, raw, `unexpected line before the first result: "${t}"`);
  }
  if (!modules.length) throw problems.nothingRead(input, { line: lines[lines.length - 1]?.line, detail: 'no "test - <module> : <result>" lines in the output' });
  if (started && !completed) {
    const last = lines[lines.length - 1];
    problems.add(last?.line ?? 0, last?.text ?? '', 'the run never printed "Diagnostics Completed" (truncated output?): modules after this line are missing');
  }
  return checked(diagnoseTestSchema, { logFile, modules, completed: completed || !started, unparsed: problems.list() }, input);
}
