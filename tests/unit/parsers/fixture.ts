// Reads capture fixtures (tests/fixtures/captures/<kind>/<file>; sources in each folder's README).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ParseError } from '../../../collectors/errors';

export const capturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/captures');

export function fixture(kind: string, file: string): string {
  return readFileSync(path.join(capturesDir, kind, file), 'utf8');
}

export function fixtureFiles(kind: string): string[] {
  return readdirSync(path.join(capturesDir, kind)).filter((f) => !f.endsWith('.md') && !f.endsWith('.source.json'));
}

/** Cisco documents elide with a line of "..."; real output never has one. */
export function withoutElisions(text: string): string {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '...')
    .join('\n');
}

/** Asserts that exactly these lines are unparsed (reason matching), returning the result. */
export function expectUnparsed<T extends { unparsed: Array<{ line: number; raw: string; reason: string }> }>(r: T, lines: number[], reason?: RegExp): T {
  expect(r.unparsed.map((u) => u.line)).toEqual(lines);
  if (reason) expect(r.unparsed[0].reason).toMatch(reason);
  return r;
}

/** Asserts a ParseError naming the input and (when given) the line. */
export function expectParseError(f: () => unknown, input: RegExp, line?: number): ParseError {
  let caught: unknown;
  try {
    f();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ParseError);
  const e = caught as ParseError;
  expect(e.kind).toBe('parse');
  expect(e.input).toMatch(input);
  if (line !== undefined) expect(e.line).toBe(line);
  return e;
}
