// The lab's SSH admin CLI over real sockets: keyboard-interactive only, no exec, the VOS banner
// and prompt, echo, pagination, `set cli pagination off`, unknown commands, exit, and the
// session counters. Address base 127.40.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type ClientChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontEnd, LabDeployment, LabNode } from '../../lab/model';
import { startSshFrontEnd } from '../../lab/ssh/server';
import { buildDeployment } from '../../lab/state/deployment';

const { Client } = ssh2;
const SSH_PORT = 2222;
const PAGER = 'Press <enter> for 1 line, <space> for one page, or <q> to quit';

let lab: LabDeployment;
let imp: LabNode;
let cucm: LabNode;
const frontEnds: FrontEnd[] = [];
let dir: string;

beforeAll(async () => {
  lab = await buildDeployment({ clusters: 1, nodes: 2, usersPerCluster: 200, addressBase: '127.40', sshPort: SSH_PORT });
  imp = lab.node('imp01-pub') as LabNode;
  cucm = lab.node('cucm01-pub') as LabNode;
  for (const n of lab.nodes) frontEnds.push(await startSshFrontEnd(n, lab));
  dir = mkdtempSync(join(tmpdir(), 'lab-ssh-'));
});

afterAll(async () => {
  for (const f of frontEnds) await f.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Shell {
  stream: ClientChannel;
  text(): string;
  /** Resolves with everything received once `pattern` appears after `from`. */
  until(pattern: RegExp | string, from?: number, timeoutMs?: number): Promise<string>;
  send(s: string): void;
  end(): Promise<void>;
}

function connect(node: LabNode, password = lab.credentials.os.password): Promise<InstanceType<typeof Client>> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.on('keyboard-interactive', (_n, _i, _l, _prompts, finish) => finish([password]));
    c.once('ready', () => resolve(c));
    c.on('error', reject);
    c.connect({ host: node.host, port: node.ports.ssh, username: lab.credentials.os.username, tryKeyboard: true, readyTimeout: 10_000 });
  });
}

async function openShell(node: LabNode, rows = 24): Promise<Shell> {
  const c = await connect(node);
  const stream = await new Promise<ClientChannel>((resolve, reject) =>
    c.shell({ term: 'vt100', rows, cols: 200 }, (err, s) => (err ? reject(err) : resolve(s))),
  );
  let buf = '';
  const waiters: Array<() => void> = [];
  stream.on('data', (d: Buffer) => {
    buf += d.toString('latin1');
    for (const w of waiters.splice(0)) w();
  });
  const shell: Shell = {
    stream,
    text: () => buf,
    until(pattern, from = 0, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timeout waiting for ${String(pattern)}; got ${JSON.stringify(buf.slice(from))}`)), timeoutMs);
        const check = (): void => {
          const rest = buf.slice(from);
          if (typeof pattern === 'string' ? rest.includes(pattern) : pattern.test(rest)) {
            clearTimeout(timer);
            resolve(rest);
          } else waiters.push(check);
        };
        check();
      });
    },
    send: (s) => stream.write(s),
    end: () =>
      new Promise((resolve) => {
        c.once('close', () => resolve());
        c.end();
      }),
  };
  await shell.until(/admin:$/);
  return shell;
}

/** Runs one command and returns its output (echo included, trailing prompt included). */
async function run(shell: Shell, command: string): Promise<string> {
  const from = shell.text().length;
  shell.send(`${command}\n`);
  return shell.until(/admin:$/, from, 20_000);
}

describe('lab SSH: authentication and channels', () => {
  it('offers keyboard-interactive only and prompts "Password: "', async () => {
    const prompts: string[] = [];
    const c = new Client();
    await new Promise<void>((resolve, reject) => {
      c.on('keyboard-interactive', (_n, _i, _l, p, finish) => {
        prompts.push(...p.map((x) => x.prompt));
        finish([lab.credentials.os.password]);
      });
      c.once('ready', () => resolve());
      c.on('error', reject);
      c.connect({ host: imp.host, port: SSH_PORT, username: 'admin', tryKeyboard: true });
    });
    c.end();
    expect(prompts).toEqual(['Password: ']);
  });

  it('refuses password authentication even with the right password', async () => {
    const c = new Client();
    const err = await new Promise<Error>((resolve) => {
      c.once('ready', () => resolve(new Error('unexpectedly authenticated')));
      c.once('error', resolve);
      c.connect({ host: imp.host, port: SSH_PORT, username: 'admin', password: lab.credentials.os.password, tryKeyboard: false });
    });
    expect(err.message).toMatch(/All configured authentication methods failed/);
  });

  it('rejects a wrong password over keyboard-interactive', async () => {
    await expect(connect(imp, 'not-the-password')).rejects.toThrow(/authentication methods failed/);
  });

  it('refuses exec channels (VOS has no exec) but grants a pty shell', async () => {
    const c = await connect(imp);
    const execErr = await new Promise<Error | undefined>((resolve) => c.exec('show status', (err) => resolve(err)));
    expect(execErr?.message).toMatch(/Unable to exec/);
    const shell = await new Promise<ClientChannel>((resolve, reject) => c.shell({ term: 'vt100' }, (e, s) => (e ? reject(e) : resolve(s))));
    expect(shell).toBeDefined();
    c.end();
  });

  it('the system ssh client is offered only keyboard-interactive (ssh -v)', async () => {
    const out = await new Promise<string>((resolve) => {
      const p = spawn('ssh', ['-v', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-p', String(SSH_PORT), `admin@${imp.host}`, 'true'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let s = '';
      p.stderr.on('data', (d) => (s += d));
      p.on('close', () => resolve(s));
    });
    expect(out).toMatch(/Authentications that can continue: keyboard-interactive\r?\n/);
    expect(out).toMatch(/Permission denied \(keyboard-interactive\)/);
  });

  it('the system ssh client logs in with the pinned host key and runs a command in a pty', async () => {
    const known = join(dir, 'known_hosts');
    writeFileSync(known, `[${imp.host}]:${SSH_PORT} ${imp.sshHostKey.publicLine}\n`);
    const askpass = join(dir, 'askpass.sh');
    writeFileSync(askpass, `#!/bin/sh\nprintf '%s\\n' '${lab.credentials.os.password.replace(/'/g, `'\\''`)}'\n`, { mode: 0o700 });
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(
        'ssh',
        ['-tt', '-o', 'PreferredAuthentications=keyboard-interactive', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${known}`, '-p', String(SSH_PORT), `admin@${imp.host}`],
        { env: { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' }, stdio: ['pipe', 'pipe', 'pipe'] },
      );
      let s = '';
      const timer = setTimeout(() => {
        p.kill();
        reject(new Error(`ssh timed out: ${s}`));
      }, 20_000);
      let sent = 0;
      p.stdout.on('data', (d) => {
        s += d;
        const prompts = s.split('admin:').length - 1;
        if (prompts === 1 && sent === 0) {
          sent = 1;
          p.stdin.write('set cli pagination off\n');
        } else if (prompts === 2 && sent === 1) {
          sent = 2;
          p.stdin.write('show network cluster\n');
        } else if (prompts === 3 && sent === 2) {
          sent = 3;
          p.stdin.write('exit\n');
        }
      });
      p.on('close', () => {
        clearTimeout(timer);
        resolve(s);
      });
    });
    expect(out).toContain('Welcome to the Platform Command Line Interface');
    expect(out).toContain(`${imp.host} ${imp.fqdn} ${imp.name} Subscriber cups DBPub authenticated\r\n`);
  });
});

describe('lab SSH: the VOS shell', () => {
  it('prints the banner with CRLF, then the admin: prompt after a start-up delay', async () => {
    const start = Date.now();
    const shell = await openShell(imp);
    const elapsed = Date.now() - start;
    const text = shell.text();
    expect(text.startsWith('Command Line Interface is starting up, please wait ...\r\n\r\n   Welcome to the Platform Command Line Interface\r\n\r\nVMware Installation:\r\n')).toBe(true);
    expect(text).toMatch(/\r\n {8}\d+ vCPU: .+\r\n {8}Disk 1: \d+GB, Partitions aligned\r\n {8}\d+ Mbytes RAM\r\n/);
    expect(text).toContain('\x1b[?1h\x1b=');
    expect(text.endsWith('admin:')).toBe(true);
    expect(text).not.toMatch(/[^\r]\n/); // every LF is part of a CRLF
    expect(elapsed).toBeGreaterThanOrEqual(250);
    await shell.end();
  });

  it('echoes typed characters, handles backspace and is case-insensitive', async () => {
    const shell = await openShell(imp);
    await run(shell, 'set cli pagination off');
    const from = shell.text().length;
    shell.send('SHOW STATUX\x7fS\r');
    const out = await shell.until(/admin:$/, from);
    expect(out.startsWith('SHOW STATUX\b \bS\r\n')).toBe(true);
    expect(out).toContain(`Host Name          : ${imp.name}\r\n`);
    await shell.end();
  });

  it('answers an unknown command with "No valid command entered"', async () => {
    const shell = await openShell(imp);
    const out = await run(shell, 'show me the money');
    expect(out).toMatch(/^show me the money\r\nNo valid command entered\r\n/);
    // IM&P-only commands do not exist on CUCM.
    const c = await openShell(cucm);
    expect(await run(c, 'utils ha status')).toContain('No valid command entered');
    await shell.end();
    await c.end();
  });

  it('pages long output at the pty height and continues on enter/space, quits on q', async () => {
    const shell = await openShell(imp, 24);
    let from = shell.text().length;
    shell.send('utils service list\n');
    const first = await shell.until(PAGER, from);
    const beforePager = first.slice(0, first.indexOf(PAGER));
    // The echoed command line, then 23 lines of output (rows - 1) before the pager prompt.
    expect(beforePager.split('\r\n').length - 1).toBe(24);
    expect(beforePager).toContain('Requesting service status, please wait...\r\n');
    from = shell.text().length;
    shell.send('\r');
    const oneLine = await shell.until(PAGER, from);
    expect(oneLine.startsWith('\r\x1b[K')).toBe(true);
    expect(oneLine.split('\r\n').length - 1).toBe(1);
    from = shell.text().length;
    shell.send(' ');
    const page = await shell.until(PAGER, from);
    expect(page.split('\r\n').length - 1).toBe(23);
    from = shell.text().length;
    shell.send('q');
    const rest = await shell.until(/admin:$/, from);
    expect(rest).not.toContain('Command successful');
    await shell.end();
  });

  it('`set cli pagination off` prints the whole output without the pager', async () => {
    const shell = await openShell(imp, 24);
    expect(await run(shell, 'set cli pagination off')).toContain('Automatic pagination is turned off\r\n');
    const out = await run(shell, 'utils service list');
    expect(out).not.toContain(PAGER);
    expect(out).toContain('Primary Node =true\r\nCommand successful\r\n');
    await shell.end();
  });

  it('`exit` closes the session and the counters return to zero', async () => {
    // Earlier tests' connections finish closing first.
    for (let i = 0; i < 100 && (imp.stats.sshSessionsOpen > 0 || imp.stats.sshChannelsOpen > 0); i++) await new Promise((r) => setTimeout(r, 20));
    const before = { ...imp.stats };
    expect(before.sshSessionsOpen).toBe(0);
    const shell = await openShell(imp);
    expect(imp.stats.sshSessionsOpen).toBe(before.sshSessionsOpen + 1);
    expect(imp.stats.sshChannelsOpen).toBe(before.sshChannelsOpen + 1);
    await run(shell, 'utils ha status');
    expect(imp.stats.sshCommands).toBe(before.sshCommands + 1);
    const closed = new Promise<void>((resolve) => shell.stream.once('close', () => resolve()));
    shell.send('exit\n');
    await closed;
    for (let i = 0; i < 50 && imp.stats.sshSessionsOpen !== before.sshSessionsOpen; i++) await new Promise((r) => setTimeout(r, 20));
    expect(imp.stats.sshSessionsOpen).toBe(before.sshSessionsOpen);
    expect(imp.stats.sshChannelsOpen).toBe(before.sshChannelsOpen);
  });

  it('many sessions opened and dropped leave no channel or session behind', async () => {
    const shells = await Promise.all([1, 2, 3, 4, 5].map(() => openShell(cucm)));
    expect(cucm.stats.sshSessionsOpen).toBe(5);
    await Promise.all(shells.map((s) => s.end()));
    for (let i = 0; i < 50 && cucm.stats.sshSessionsOpen > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(cucm.stats.sshSessionsOpen).toBe(0);
    expect(cucm.stats.sshChannelsOpen).toBe(0);
  });
});
