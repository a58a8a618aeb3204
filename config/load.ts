// Loads impulse.config.yaml: YAML → zod → cross-field rules → referenced files, with errors that
// name the file, the line, the field and what was expected. One round reports everything it can.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { crossCheckConfig } from './cross-check';
import { configSchema, type ImpulseConfig } from './schema';
import { suggestKey } from './suggest';

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

/** A validated configuration with where it came from (for relative paths and issue positions). */
export interface LoadedConfig {
  file: string;
  /** Directory relative paths in the file are resolved against. */
  dir: string;
  config: ImpulseConfig;
  /** Line/column of a field (its value), or of the nearest parent present in the file. */
  position(path: readonly PropertyKey[]): { line: number; column: number };
}

export interface ParseOptions {
  /** Check that caBundle / knownHosts files exist (default true). */
  checkFiles?: boolean;
  /** Base for relative paths (default: the file's directory). */
  dir?: string;
}

/** Parses and validates config text. Throws ConfigError with every issue found. */
export function parseConfig(text: string, file: string, options: ParseOptions = {}): ImpulseConfig {
  return parseConfigText(text, file, options).config;
}

export function parseConfigText(text: string, file: string, options: ParseOptions = {}): LoadedConfig {
  const dir = options.dir ?? path.dirname(path.resolve(file));
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number | undefined) => {
    const p = lineCounter.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => ({ file, ...pos(e.pos[0]), field: '', message: yamlMessage(e.code, e.message, text, e.pos) })));
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    throw new ConfigError([{ file, line: 1, column: 1, field: '', message: 'the file is empty; expected a mapping with at least `clusters:`' }]);
  }
  const position = (p: readonly PropertyKey[]) => pos(locate(doc, p).node?.range?.[0]);

  const issues: ConfigIssue[] = [];
  const result = configSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) issues.push(...toIssues(issue, doc, file, pos));
    // zod skips the cross-field rules after a type error: run them here on the raw input.
    for (const c of crossCheckConfig(data)) {
      issues.push({ file, ...position(c.path), field: formatPath(c.path), message: c.message });
    }
  }
  if (options.checkFiles !== false) {
    for (const c of referencedFileIssues(data, dir)) issues.push({ file, ...position(c.path), field: formatPath(c.path), message: c.message });
  }
  if (issues.length > 0 || !result.success) throw new ConfigError(dedupe(issues));
  return { file, dir, config: result.data, position };
}

export function loadConfigFile(file: string, options: ParseOptions = {}): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'file not found; pass --config <file>, set $IMPULSE_CONFIG, or start from examples/impulse.config.yaml'
        : code === 'EISDIR'
          ? 'is a directory; expected a YAML file'
          : `cannot read: ${code ?? (err as Error).message}`;
    throw new ConfigError([{ file, line: 0, column: 0, field: '', message }]);
  }
  return parseConfigText(text, file, options);
}

export function loadConfig(file: string): ImpulseConfig {
  return loadConfigFile(file).config;
}

/** Resolves a path from the config file against its directory (absolute paths stay as they are). */
export function resolveConfigPath(p: string, dir: string): string {
  return path.resolve(dir, p.startsWith('~/') ? path.join(process.env.HOME ?? '~', p.slice(2)) : p);
}

/** caBundle and knownHosts files must exist and be readable (a known_hosts file may be created by TOFU). */
function referencedFileIssues(data: unknown, dir: string): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  if (typeof data !== 'object' || data === null) return out;
  const root = data as Record<string, unknown>;
  const obj = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const checkCa = (tls: unknown, at: (string | number)[]) => {
    const file = obj(tls)?.caBundle;
    if (typeof file !== 'string' || file === '') return;
    const full = resolveConfigPath(file, dir);
    const problem = fileProblem(full);
    if (problem) out.push({ path: [...at, 'caBundle'], message: `CA bundle ${full} ${problem}; expected a PEM file with the CA certificate(s) that signed the nodes' certificates` });
    else if (!/-----BEGIN CERTIFICATE-----/.test(readFileSync(full, 'utf8'))) {
      out.push({ path: [...at, 'caBundle'], message: `CA bundle ${full} holds no PEM certificate (-----BEGIN CERTIFICATE-----)` });
    }
  };
  (Array.isArray(root.clusters) ? root.clusters : []).forEach((c, i) => {
    const cluster = obj(c);
    if (!cluster) return;
    checkCa(cluster.tls, ['clusters', i, 'tls']);
    const ssh = obj(cluster.ssh);
    if (ssh && typeof ssh.knownHosts === 'string' && ssh.knownHosts !== '') {
      const full = resolveConfigPath(ssh.knownHosts, dir);
      const problem = fileProblem(full);
      if (problem && !(ssh.trustOnFirstUse === true && problem === 'does not exist' && dirWritable(path.dirname(full)))) {
        out.push({
          path: ['clusters', i, 'ssh', 'knownHosts'],
          message: `known_hosts file ${full} ${problem}; expected an OpenSSH known_hosts file with the nodes' host keys${ssh.trustOnFirstUse === true ? '' : ' (or set trustOnFirstUse: true to create it)'}`,
        });
      }
    }
  });
  (Array.isArray(root.ldap) ? root.ldap : []).forEach((l, i) => checkCa(obj(l)?.tls, ['ldap', i, 'tls']));
  // Security: the directory users sign in against, and the dashboard's own certificate and key.
  checkCa(obj(obj(root.auth)?.ldap)?.tls, ['auth', 'ldap', 'tls']);
  const serverTls = obj(obj(root.server)?.tls);
  for (const [field, what] of [['certificate', 'the server certificate'], ['key', 'the private key']] as const) {
    const file = serverTls?.[field];
    if (typeof file !== 'string' || file === '') continue;
    const full = resolveConfigPath(file, dir);
    const problem = fileProblem(full);
    if (problem) out.push({ path: ['server', 'tls', field], message: `${full} ${problem}; expected a PEM file with ${what}` });
  }
  const alerting = obj(root.alerting);
  for (const kind of ['alertmanagers', 'webhooks'] as const) {
    (Array.isArray(alerting?.[kind]) ? (alerting[kind] as unknown[]) : []).forEach((e, i) => checkCa(obj(e)?.tls, ['alerting', kind, i, 'tls']));
  }
  checkCa(obj(alerting?.prometheus)?.tls, ['alerting', 'prometheus', 'tls']);
  return out;
}

function fileProblem(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return 'is not a file';
    accessSync(file, constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code})`;
  }
}

function dirWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The deepest YAML node on `path` (the parent when the key itself is missing). */
function locate(doc: Document, path: readonly PropertyKey[]): { node: YamlNode | undefined; missingKey: boolean } {
  let node = doc.contents as YamlNode | undefined;
  for (const key of path) {
    let next: unknown;
    if (isMap(node)) next = node.get(key as string, true);
    else if (isSeq(node)) next = node.get(key as number, true);
    if (next === undefined || next === null || typeof next !== 'object') return { node, missingKey: true };
    node = next as YamlNode;
  }
  return { node, missingKey: false };
}

type Pos = (offset: number | undefined) => { line: number; column: number };

function toIssues(issue: z.core.$ZodIssue, doc: Document, file: string, pos: Pos): ConfigIssue[] {
  const { node, missingKey } = locate(doc, issue.path);
  if (issue.code === 'unrecognized_keys') {
    // One issue per unknown key, pointing at the key itself, with a "did you mean" when close.
    return issue.keys.map((key) => {
      const pair = isMap(node) ? node.items.find((it) => String((it.key as { value?: unknown })?.value) === key) : undefined;
      const offset = (pair?.key as YamlNode | undefined)?.range?.[0] ?? node?.range?.[0];
      const hint = suggestKey(configSchema, issue.path, key);
      return { file, ...pos(offset), field: formatPath([...issue.path, key]), message: `unknown field '${key}'${hint ? `; ${hint}` : ''}` };
    });
  }
  return [{ file, ...pos(node?.range?.[0]), field: formatPath(issue.path), message: describe(issue, missingKey) }];
}

function describe(issue: z.core.$ZodIssue, missingKey: boolean): string {
  const got = 'input' in issue ? `, got ${shown(issue.input)}` : '';
  switch (issue.code) {
    case 'invalid_type':
      if (missingKey && issue.input === undefined) return `required; expected ${expectedName(issue.expected)}`;
      if (issue.expected === 'int') return `expected a whole number${got}`;
      return `expected ${expectedName(issue.expected)}${got}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}${got}`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${got}`;
    case 'invalid_format':
      return issue.message.startsWith('Invalid') ? `expected ${issue.format}${got}` : `expected ${issue.message}${got}`;
    case 'too_small':
    case 'too_big': {
      if (!issue.message.startsWith('Too ')) return issue.message; // the schema's own wording
      const small = issue.code === 'too_small';
      const bound = small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum;
      if (issue.origin === 'string') return small && Number(bound) === 1 ? 'must not be empty' : `expected at ${small ? 'least' : 'most'} ${bound} characters`;
      if (issue.origin === 'array') return `expected at ${small ? 'least' : 'most'} ${bound} item${Number(bound) === 1 ? '' : 's'}`;
      return `expected a number ${small ? '≥' : '≤'} ${bound}${got}`;
    }
    case 'invalid_union':
      return `expected a different kind of value${got}`;
    default:
      return issue.message;
  }
}

function expectedName(expected: string): string {
  return ({ object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false' } as Record<string, string>)[expected] ?? expected;
}

function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null (an empty value)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return String(v);
}

function yamlMessage(code: string, message: string, text: string, range: [number, number]): string {
  switch (code) {
    case 'DUPLICATE_KEY': {
      const key = /^[^:\n]*/.exec(text.slice(range[0]))?.[0].trim();
      return `YAML: duplicate key${key ? ` '${key}'` : ''}; each key may appear once in a mapping`;
    }
    case 'TAB_AS_INDENT':
      return 'YAML: tabs are not allowed for indentation; indent with spaces';
    case 'BAD_INDENT':
      return `YAML: ${message}; check this line's indentation against the lines above`;
    case 'MISSING_CHAR':
      return /indicator/.test(message) ? `YAML: ${message}; check this line's indentation against the lines above` : `YAML: ${message}`;
    case 'BLOCK_AS_IMPLICIT_KEY':
      return `YAML: ${message}; quote values that contain ': '`;
    default:
      return `YAML: ${message.split('\n')[0]}`;
  }
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues
    .filter((i) => {
      const k = `${i.field}\u0000${i.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}
