// OpenSSH known_hosts: the pinned SSH host keys of a cluster's nodes (ARCHITECTURE.md: host keys
// are pinned; trust-on-first-use only when asked for). Understands plain and `[host]:port`
// patterns, comma lists, `*`/`?` wildcards and `!` negation, hashed `|1|salt|hash` entries, and
// the `@revoked` marker (`@cert-authority` lines are skipped: nodes present plain host keys).
import { createHmac } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { CollectError } from '../errors';

export interface KnownHostEntry {
  marker?: '@revoked' | '@cert-authority';
  /** The host field as written (comma list, or one hashed `|1|…|…`). */
  hosts: string;
  keyType: string;
  key: Buffer;
  line: number;
}

export type HostKeyVerdict = 'match' | 'mismatch' | 'revoked' | 'unknown';

/** `host` for port 22, `[host]:port` otherwise (OpenSSH's own form). */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Key type named inside an SSH public key blob (first string of the blob). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** Parsed files by path, with the size and mtime they were parsed at. */
const loaded = new Map<string, { stamp: string; hosts: KnownHosts }>();

export class KnownHosts {
  constructor(readonly entries: readonly KnownHostEntry[]) {}

  static parse(text: string, source = 'known_hosts'): KnownHosts {
    const entries: KnownHostEntry[] = [];
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith('#')) return;
      const fields = line.split(/\s+/);
      let marker: KnownHostEntry['marker'];
      if (fields[0].startsWith('@')) {
        if (fields[0] !== '@revoked' && fields[0] !== '@cert-authority') throw new CollectError('config', `${source}:${i + 1}: unknown marker ${fields[0]}`);
        marker = fields.shift() as KnownHostEntry['marker'];
      }
      if (fields.length < 3) throw new CollectError('config', `${source}:${i + 1}: expected "hosts keytype base64-key"`);
      const [hosts, keyType, b64] = fields;
      if (!/^[A-Za-z0-9+/]+=*$/.test(b64)) throw new CollectError('config', `${source}:${i + 1}: the key is not base64`);
      const key = Buffer.from(b64, 'base64');
      if (keyTypeOf(key) !== keyType) throw new CollectError('config', `${source}:${i + 1}: key type ${keyType} does not match the key blob (${keyTypeOf(key)})`);
      entries.push({ marker, hosts, keyType, key, line: i + 1 });
    });
    return new KnownHosts(entries);
  }

  /**
   * Loads a file; a missing file is an empty list (trust-on-first-use creates it). Parsed once per
   * version of the file (size and mtime): every SSH login checks its host key, and re-reading a
   * full mesh's known_hosts for each of 420 logins was a sizeable share of start-up garbage.
   */
  static load(file: string): KnownHosts {
    let stamp: string;
    try {
      const st = statSync(file);
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new KnownHosts([]);
      throw new CollectError('config', `cannot read known_hosts ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const cached = loaded.get(file);
    if (cached?.stamp === stamp) return cached.hosts;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new CollectError('config', `cannot read known_hosts ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const hosts = KnownHosts.parse(text, file);
    loaded.set(file, { stamp, hosts });
    return hosts;
  }

  /** Checks `key` (raw SSH public key blob) for any of `names` (already in knownHostsName form). */
  verify(names: readonly string[], key: Buffer): HostKeyVerdict {
    let seen = false;
    let matched = false;
    for (const e of this.entries) {
      if (e.marker === '@cert-authority') continue;
      if (!names.some((n) => hostsMatch(e.hosts, n))) continue;
      const same = e.key.equals(key);
      if (e.marker === '@revoked') {
        if (same) return 'revoked';
        continue;
      }
      seen = true;
      if (same) matched = true;
    }
    if (matched) return 'match';
    return seen ? 'mismatch' : 'unknown';
  }
}

/** Appends a trust-on-first-use entry. */
export function appendKnownHost(file: string, names: readonly string[], key: Buffer): void {
  const line = `${names.join(',')} ${keyTypeOf(key)} ${key.toString('base64')}\n`;
  try {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    appendFileSync(file, text.length > 0 && !text.endsWith('\n') ? `\n${line}` : line, { mode: 0o600 });
  } catch (err) {
    throw new CollectError('config', `cannot write known_hosts ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function hostsMatch(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  let positive = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    if (wildcard(p, name)) {
      if (negated) return false;
      positive = true;
    }
  }
  return positive;
}

function wildcard(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === name.toLowerCase();
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}
