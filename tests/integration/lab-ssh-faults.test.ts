// Faults on the lab's SSH admin CLI: node-down, hang, slow, garbage, ssh-drop, auth-fail.
// Address base 127.42.
import { connect as tcpConnect } from 'node:net';
import ssh2, { type ClientChannel } from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FrontEnd, LabDeployment, LabNode } from '../../lab/model';
import { createSshFrontEnd, startSshFrontEnd } from '../../lab/ssh/server';
import { buildDeployment } from '../../lab/state/deployment';

const { Client } = ssh2;
type SshClient = InstanceType<typeof Client>;

let lab: LabDeployment;
let node: LabNode;
const frontEnds: FrontEnd[] = [];

beforeAll(async () => {
  lab = await buildDeployment({ clusters: 1, nodes: 1, usersPerCluster: 100, addressBase: '127.42', sshPort: 2222 });
  node = lab.node('imp01-pub') as LabNode;
  frontEnds.push(await startSshFrontEnd(node, lab));
  // The CUCM node runs with a short CLI idle timeout to show the logout without waiting 30 min.
  frontEnds.push(await createSshFrontEnd({ idleMs: 400 })(lab.node('cucm01-pub') as LabNode, lab));
});

afterAll(async () => {
  for (const f of frontEnds) await f.close();
});

function setFaults(f: Partial<LabNode['faults']>): void {
  Object.assign(node.faults, f);
  node.events.emit('faults');
}

afterEach(() => setFaults({ down: false, hang: false, slowMs: 0, garbage: false, authFail: false, sshDrop: false }));

function login(readyTimeout = 5_000, target: LabNode = node): Promise<SshClient> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.on('keyboard-interactive', (_a, _b, _c, _p, finish) => finish([lab.credentials.os.password]));
    c.once('ready', () => resolve(c));
    c.on('error', reject);
    c.connect({ host: target.host, port: target.ports.ssh, username: lab.credentials.os.username, tryKeyboard: true, readyTimeout });
  });
}

interface Shell {
  stream: ClientChannel;
  client: SshClient;
  buf(): Buffer;
  /** Resolves when the latin1 text after `from` matches, or rejects after the timeout. */
  until(re: RegExp, from: number, timeoutMs?: number): Promise<string>;
}

async function shell(): Promise<Shell> {
  const client = await login();
  const stream = await new Promise<ClientChannel>((resolve, reject) => client.shell({ term: 'vt100', rows: 24, cols: 200 }, (e, s) => (e ? reject(e) : resolve(s))));
  const chunks: Buffer[] = [];
  let notify: (() => void) | undefined;
  stream.on('data', (d: Buffer) => {
    chunks.push(d);
    notify?.();
  });
  const buf = (): Buffer => Buffer.concat(chunks);
  const until = (re: RegExp, from: number, timeoutMs = 10_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        notify = undefined;
        reject(new Error(`timeout; got ${JSON.stringify(buf().subarray(from).toString('latin1'))}`));
      }, timeoutMs);
      const check = (): void => {
        const text = buf().subarray(from).toString('latin1');
        if (re.test(text)) {
          clearTimeout(t);
          notify = undefined;
          resolve(text);
        }
      };
      notify = check;
      check();
    });
  await until(/admin:$/, 0);
  const from = buf().length;
  stream.write('set cli pagination off\n');
  await until(/admin:$/, from);
  return { stream, client, buf, until };
}

describe('lab SSH faults', () => {
  it('node-down closes the listener; clearing it listens again', async () => {
    setFaults({ down: true });
    await new Promise((r) => setTimeout(r, 50));
    await expect(login()).rejects.toThrow(/ECONNREFUSED/);
    setFaults({ down: false });
    await new Promise((r) => setTimeout(r, 50));
    const c = await login();
    c.end();
  });

  it('node-down also cuts open sessions', async () => {
    const s = await shell();
    const closed = new Promise<void>((resolve) => s.client.once('close', () => resolve()));
    setFaults({ down: true });
    await closed;
  });

  it('hang accepts TCP but never sends the SSH identification', async () => {
    setFaults({ hang: true });
    const received = await new Promise<number>((resolve, reject) => {
      const sock = tcpConnect(node.ports.ssh, node.host);
      let bytes = 0;
      sock.on('data', (d) => (bytes += d.length));
      sock.on('error', reject);
      sock.on('connect', () =>
        setTimeout(() => {
          sock.destroy();
          resolve(bytes);
        }, 800),
      );
    });
    expect(received).toBe(0);
    await expect(login(1_000)).rejects.toThrow(/Timed out while waiting for handshake/);
  });

  it('hang freezes an open session: the command never answers', async () => {
    const s = await shell();
    setFaults({ hang: true });
    const from = s.buf().length;
    s.stream.write('utils ha status\n');
    await expect(s.until(/admin:$/, from, 1_000)).rejects.toThrow(/timeout/);
    s.client.end();
  });

  it('slow delays the identification and every command output', async () => {
    const s = await shell();
    setFaults({ slowMs: 700 });
    const from = s.buf().length;
    const t0 = Date.now();
    s.stream.write('utils ha status\n');
    const out = await s.until(/admin:$/, from);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(650);
    expect(out).toContain('Subcluster Name: ');
    s.client.end();
    const t1 = Date.now();
    const c = await login();
    expect(Date.now() - t1).toBeGreaterThanOrEqual(650);
    c.end();
  });

  it('garbage replaces the command output with garbled bytes, the prompt still returns', async () => {
    const s = await shell();
    setFaults({ garbage: true });
    const from = s.buf().length;
    s.stream.write('utils ha status\n');
    const out = await s.until(/admin:$/, from);
    expect(out.startsWith('utils ha status\r\n')).toBe(true);
    const body = s.buf().subarray(from + 'utils ha status\r\n'.length);
    expect(body.toString('latin1')).not.toContain('Subcluster Name');
    expect(body.some((b) => b >= 0x80)).toBe(true);
    s.client.end();
  });

  it('ssh-drop cuts the connection half-way through the output, and the session is released', async () => {
    const s = await shell();
    setFaults({ sshDrop: true });
    const closed = new Promise<void>((resolve) => s.client.once('close', () => resolve()));
    s.client.on('error', () => undefined);
    const from = s.buf().length;
    s.stream.write('show status\n');
    await closed;
    const got = s.buf().subarray(from).toString('latin1');
    expect(got).toContain('Host Name          : imp01-pub');
    expect(got).not.toContain('Disk/logging');
    expect(got).not.toMatch(/admin:$/);
    for (let i = 0; i < 50 && node.stats.sshSessionsOpen > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(node.stats.sshSessionsOpen).toBe(0);
    expect(node.stats.sshChannelsOpen).toBe(0);
  });

  it('auth-fail rejects the right password', async () => {
    setFaults({ authFail: true });
    await expect(login()).rejects.toThrow(/All configured authentication methods failed/);
    setFaults({ authFail: false });
    const c = await login();
    c.end();
  });

  it('an idle CLI session is logged out after the idle timeout', async () => {
    const c = await login(5_000, lab.node('cucm01-pub') as LabNode);
    const stream = await new Promise<ClientChannel>((resolve, reject) => c.shell({ term: 'vt100' }, (e, s) => (e ? reject(e) : resolve(s))));
    stream.on('data', () => undefined);
    const t0 = Date.now();
    await new Promise<void>((resolve) => c.once('close', () => resolve()));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
