// Loads impulse.config.yaml: YAML → zod, with errors that name the file, the line and the field.
import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { configSchema, type ImpulseConfig } from './schema';

export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted field path, e.g. "clusters[0].credentials.axl.password". */
  field: string;
  message: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
  }
}

export function formatIssue(i: ConfigIssue): string {
  return `${i.file}:${i.line}:${i.column}: ${i.field ? `${i.field}: ` : ''}${i.message}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** Parses and validates config text. Throws ConfigError with every issue found. */
export function parseConfig(text: string, file: string): ImpulseConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number | undefined) => {
    const p = lineCounter.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({ file, ...pos(e.pos[0]), field: '', message: `YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    throw new ConfigError([{ file, line: 1, column: 1, field: '', message: 'the file is empty; expected a mapping with at least `clusters:`' }]);
  }
  const result = configSchema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const { node, missingKey } = locate(doc.contents, issue.path);
      let offset = node?.range?.[0];
      let path = issue.path;
      if (issue.code === 'unrecognized_keys' && isMap(node)) {
        // Point at the first unknown key itself, not at the mapping that holds it.
        const pair = node.items.find((it) => String((it.key as { value?: unknown })?.value) === issue.keys[0]);
        offset = (pair?.key as YamlNode | undefined)?.range?.[0] ?? offset;
        path = [...issue.path, issue.keys[0]];
      }
      return { file, ...pos(offset), field: formatPath(path), message: describe(issue, missingKey) };
    }),
  );
}

export function loadConfig(file: string): ImpulseConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([{ file, line: 0, column: 0, field: '', message: code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}` }]);
  }
  return parseConfig(text, file);
}

/** The deepest YAML node on `path` (the parent when the key itself is missing). */
function locate(root: unknown, path: readonly PropertyKey[]): { node: YamlNode | undefined; missingKey: boolean } {
  let node = root as YamlNode | undefined;
  for (const key of path) {
    let next: unknown;
    if (isMap(node)) next = node.get(key as string, true);
    else if (isSeq(node)) next = node.get(key as number, true);
    if (next === undefined || next === null || typeof next !== 'object') {
      return { node, missingKey: true };
    }
    node = next as YamlNode;
  }
  return { node, missingKey: false };
}

function describe(issue: z.core.$ZodIssue, missingKey: boolean): string {
  switch (issue.code) {
    case 'invalid_type':
      if (missingKey && issue.input === undefined) return `required; expected ${issue.expected}`;
      return `expected ${issue.expected}, got ${typeName(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(issue.input)}`;
    case 'invalid_format':
      return issue.message.startsWith('Invalid') ? `expected ${issue.format}` : issue.message;
    case 'invalid_union':
      return issue.message === 'Invalid input' ? 'expected a number of seconds or a duration such as 30s, 5m, 1h' : issue.message;
    case 'too_small':
    case 'too_big':
      return issue.message;
    default:
      return issue.message;
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
