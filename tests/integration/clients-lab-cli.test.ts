// The admin CLI client against the lab's SSH front-end (127.63.x.x): keyboard-interactive login,
// pagination off, cleaned output, session reuse, host-key pinning / trust-on-first-use, ssh-drop
// → connection then reconnect, hang → timeout.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliPool } from '../../collectors/clients/cli';
import { failure, startTestLab, type TestLab } from './clients-lab-helpers';

let t: TestLab;
const PUB = 'imp01-pub';

beforeAll(async () => {
  t = await startTestLab({ addressBase: '127.63', clusters: 1, nodes: 2, usersPerCluster: 1000 });
});
afterAll(async () => t?.stop());

function pool(name: string, over: Partial<ConstructorParameters<typeof CliPool>[0]> = {}): CliPool {
  const { node } = t.node(name);
  return new CliPool({
    node: node.name,
    host: node.host,
    port: node.ports.ssh,
    credentials: () => t.lab.manifest.credentials.os,
    knownHostsFile: node.ssh.knownHostsFile,
    connectTimeoutMs: 15_000,
    commandTimeoutMs: 20_000,
    ...over,
  });
}

describe('CliPool against the lab', () => {
  it('logs in with keyboard-interactive, turns pagination off once, and returns cleaned output', async () => {
    const nc = t.clients(PUB);
    const before = t.lab.deployment.node(PUB)!.stats.sshCommands;
    const status = await nc.cli.run('show status');
    expect(status).toMatch(/^Host Name\s+: /m);
    expect(status).not.toMatch(/\r|\x1b|admin:/);
    const list = await nc.cli.run('utils service list');
    expect(list).toContain('Cisco XCP Router');
    expect(list).not.toMatch(/Press <enter>/);
    // One shell reused: login command (pagination off) + two commands.
    expect(t.lab.deployment.node(PUB)!.stats.sshCommands - before).toBe(3);
    expect(nc.cli.size).toBe(1);
  });

  it('rejects a host key that differs from known_hosts', async () => {
    const { node } = t.node(PUB);
    const file = path.join(t.dir, 'wrong_known_hosts');
    const fake = utils.generateKeyPairSync('ed25519').public.trim().split(/\s+/);
    writeFileSync(file, `[${node.host}]:${node.ports.ssh} ${fake[0]} ${fake[1]}\n`);
    const p = pool(PUB, { knownHostsFile: file, trustOnFirstUse: true });
    const err = await failure(p.run('show status'));
    await p.close();
    expect(err.kind).toBe('ssh-host-key');
    expect(err.message).toContain('MISMATCH');
  });

  it('refuses an unknown host unless trustOnFirstUse, which records it', async () => {
    const file = path.join(t.dir, 'empty_known_hosts');
    writeFileSync(file, '');
    const strict = pool(PUB, { knownHostsFile: file });
    expect((await failure(strict.run('show status'))).kind).toBe('ssh-host-key');
    await strict.close();
    const tofu = pool(PUB, { knownHostsFile: file, trustOnFirstUse: true });
    expect(await tofu.run('show status')).toContain('Host Name');
    await tofu.close();
    expect(readFileSync(file, 'utf8')).toContain(`[${t.node(PUB).node.host}]:`);
    const again = pool(PUB, { knownHostsFile: file });
    expect(await again.run('show status')).toContain('Host Name');
    await again.close();
  });

  it('wrong OS password → auth', async () => {
    const p = pool(PUB, { credentials: () => ({ username: t.lab.manifest.credentials.os.username, password: 'wrong' }) });
    const err = await failure(p.run('show status'));
    await p.close();
    expect(err.kind).toBe('auth');
  });

  it('ssh-drop mid-output → connection naming the command; the next run reconnects', async () => {
    const p = pool('imp01-sub1');
    expect(await p.run('show status')).toContain('Host Name');
    const id = await t.fault('ssh-drop', 'imp01-sub1');
    const err = await failure(p.run('utils service list'));
    await t.clearFault(id);
    expect(err.kind).toBe('connection');
    expect(err.message).toContain('utils service list');
    expect(await p.run('utils service list')).toContain('Cisco XCP Router');
    await p.close();
  });

  it('hang → timeout within the configured connect timeout', async () => {
    const id = await t.fault('hang', 'imp01-sub1');
    try {
      const p = pool('imp01-sub1', { connectTimeoutMs: 1000 });
      const started = Date.now();
      const err = await failure(p.run('show status'));
      await p.close();
      expect(err.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      await t.clearFault(id);
    }
  });
});
