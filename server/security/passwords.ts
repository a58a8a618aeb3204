// Password hashing for local accounts: argon2id through @node-rs/argon2, with the cost chosen so a
// sign-in takes well under 150 ms on a small server (bench/security.bench.ts measures it).
// RFC 9106 §4's second recommended option is 64 MiB and 3 passes; we use one lane so a burst of
// sign-ins cannot take every core. At most four hashes run at once (64 MiB each), so a flood of
// attempts queues instead of exhausting memory.
import { hash, parseOptions, verify } from '@node-rs/argon2';
export { passwordProblem, PASSWORD_MAX, PASSWORD_MIN } from './policy';

export const ARGON2_PARAMS = { memoryCost: 65_536, timeCost: 3, parallelism: 1 } as const;

let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= 4) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export function hashPassword(password: string): Promise<string> {
  return limited(() => hash(password, ARGON2_PARAMS));
}

/** A hash of nothing anyone knows: unknown accounts are checked against it, so they cost the same time. */
let decoy: Promise<string> | undefined;
function decoyHash(): Promise<string> {
  return (decoy ??= hash(`decoy-${Math.random()}-${Date.now()}`, ARGON2_PARAMS));
}

/** Verifies a password; with no hash (unknown account) it spends the same time and returns false. */
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  const target = stored ?? (await decoyHash());
  const ok = await limited(() => verify(target, password).catch(() => false));
  return ok && stored !== undefined;
}

/** Whether a stored hash was made with other parameters than today's (rehash after a good sign-in). */
export function needsRehash(stored: string): boolean {
  try {
    const o = parseOptions(stored);
    return o.memoryCost !== ARGON2_PARAMS.memoryCost || o.timeCost !== ARGON2_PARAMS.timeCost || o.parallelism !== ARGON2_PARAMS.parallelism || !stored.startsWith('$argon2id$');
  } catch {
    return true;
  }
}
