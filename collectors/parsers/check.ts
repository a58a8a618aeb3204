// The last step of every parser: the typed record must satisfy its zod schema. A mismatch is a
// ParseError (never a half-valid object handed to the engine).
import type { z } from 'zod';
import { ParseError } from '../errors';

export function checked<S extends z.ZodType>(schema: S, value: unknown, input: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ParseError(input, undefined, `result failed validation at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data;
}
