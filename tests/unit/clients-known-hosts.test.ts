// known_hosts parsing and verdicts: plain, [host]:port, hashed, wildcard/negation, @revoked, TOFU append.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { utils } from 'ssh2';
import { appendKnownHost, keyTypeOf, KnownHosts, knownHostsName } from '../../collectors/clients/known-hosts';
import { CollectError } from '../../collectors/errors';

function hostKey(): { blob: Buffer; line: string } {
  const pub = utils.generateKeyPairSync('ed25519').public.trim();
  const [type, b64] = pub.split(/\s+/);
  return { blob: Buffer.from(b64, 'base64'), line: `${type} ${b64}` };
}

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('KnownHosts', () => {
  const a = hostKey();
  const b = hostKey();

  it('names hosts the OpenSSH way', () => {
    expect(knownHostsName('10.0.0.5', 22)).toBe('10.0.0.5');
    expect(knownHostsName('127.60.1.10', 2222)).toBe('[127.60.1.10]:2222');
    expect(keyTypeOf(a.blob)).toBe('ssh-ed25519');
  });

  it('matches plain, bracketed-port, comma-listed and hashed entries', () => {
    const kh = KnownHosts.parse(
      [
        '# lab nodes',
        `imp01-pub,10.0.0.5 ${a.line}`,
        `[127.60.1.10]:2222 ${a.line} comment here`,
        `${hashed('[127.60.1.11]:2222')} ${b.line}`,
        '',
      ].join('\n'),
    );
    expect(kh.verify(['imp01-pub'], a.blob)).toBe('match');
    expect(kh.verify(['10.0.0.5'], a.blob)).toBe('match');
    expect(kh.verify(['[127.60.1.10]:2222'], a.blob)).toBe('match');
    expect(kh.verify(['[127.60.1.11]:2222'], b.blob)).toBe('match');
    // Same host, different key: a mismatch (never silently accepted).
    expect(kh.verify(['[127.60.1.10]:2222'], b.blob)).toBe('mismatch');
    expect(kh.verify(['[127.60.1.11]:2222'], a.blob)).toBe('mismatch');
    // Port matters: 127.60.1.10 on 22 is another entry.
    expect(kh.verify(['127.60.1.10'], a.blob)).toBe('unknown');
  });

  it('honours wildcards, negation and @revoked', () => {
    const kh = KnownHosts.parse([`*.uc01.example.com,!bad.uc01.example.com ${a.line}`, `@revoked * ${b.line}`].join('\n'));
    expect(kh.verify(['imp01-sub1.uc01.example.com'], a.blob)).toBe('match');
    expect(kh.verify(['bad.uc01.example.com'], a.blob)).toBe('unknown');
    expect(kh.verify(['anything'], b.blob)).toBe('revoked');
  });

  it('rejects lines it does not understand, naming file and line', () => {
    expect(() => KnownHosts.parse(`host ssh-ed25519`, '/etc/kh')).toThrow(/\/etc\/kh:1/);
    expect(() => KnownHosts.parse(`host ssh-rsa ${a.blob.toString('base64')}`, 'kh')).toThrow(CollectError);
    expect(() => KnownHosts.parse(`@weird host ${a.line}`, 'kh')).toThrow(/unknown marker/);
  });

  it('appends a trust-on-first-use entry that verifies afterwards', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kh-'));
    const file = path.join(dir, 'known_hosts');
    writeFileSync(file, `other ${b.line}`); // no trailing newline
    appendKnownHost(file, ['[127.60.1.12]:2222', '[imp01-sub2]:2222'], a.blob);
    const kh = KnownHosts.load(file);
    expect(kh.verify(['[imp01-sub2]:2222'], a.blob)).toBe('match');
    expect(kh.verify(['other'], b.blob)).toBe('match');
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    expect(KnownHosts.load(path.join(dir, 'missing')).entries).toHaveLength(0);
  });
});
