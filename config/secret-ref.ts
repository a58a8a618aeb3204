// What counts as a secret reference in impulse.config.yaml (kept apart so schema and checks share it).

/** "env:NAME" (a POSIX variable name) or "file:<path>". */
export function isSecretReference(value: string): boolean {
  return /^env:[A-Za-z_][A-Za-z0-9_]*$/.test(value) || /^file:.+/.test(value);
}
