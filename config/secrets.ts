// Resolves secret references ("env:NAME", "file:/path") at the moment a client needs them.
// Values are never logged; errors name the reference, never the value.
import { readFileSync } from 'node:fs';
import { isSecretReference } from './schema';

export class SecretError extends Error {
  override name = 'SecretError';
}

/**
 * Returns the secret's value. `inlineAllowed` lets a literal through (clusters with
 * allowInlineSecrets: true, e.g. the lab's generated config).
 */
export function resolveSecret(ref: string, inlineAllowed = false, env: NodeJS.ProcessEnv = process.env): string {
  if (ref.startsWith('env:') && isSecretReference(ref)) {
    const name = ref.slice(4);
    const value = env[name];
    if (value === undefined || value === '') throw new SecretError(`environment variable ${name} (from ${ref}) is not set`);
    return value;
  }
  if (ref.startsWith('file:')) {
    const path = ref.slice(5);
    try {
      return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new SecretError(`cannot read secret file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (inlineAllowed) return ref;
  throw new SecretError('a literal secret is not allowed here; use env:NAME or file:/path');
}
