// The SSH admin CLI of one lab node (wire-formats.md §4.1): keyboard-interactive authentication
// only, pty + shell only (no exec), the VOS shell of ./shell.ts. Faults: node-down closes the
// listener (re-listens when cleared), hang accepts TCP and never sends the SSH identification,
// slow delays the identification and every command's output, auth-fail rejects every password.
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ssh2, { type Connection, type Session } from 'ssh2';
import type { FrontEnd, LabDeployment, LabNode, StartFrontEnd } from '../model';
import { CLI_IDLE_MS, VosShell } from './shell';

// ssh2 is CommonJS: its classes come off the default export under ESM.
const { Server: SshServer } = ssh2;

/** The identification string of the OpenSSH build shipped on VOS 12.5–15 (RHEL 7). */
const SSH_IDENT = 'OpenSSH_7.4';
/** Real sshd pauses before answering a failed attempt; kept short so tests stay fast. */
const AUTH_FAIL_DELAY_MS = 150;

export interface SshFrontEndOptions {
  /** Real ms of CLI inactivity before logout (default 30 min). */
  idleMs?: number;
  /** Real ms between the first banner line and the prompt (default 300). */
  startupMs?: number;
}

export function createSshFrontEnd(options: SshFrontEndOptions = {}): StartFrontEnd {
  return (node, lab) => startNodeSsh(node, lab, options);
}

export const startSshFrontEnd: StartFrontEnd = createSshFrontEnd();

async function startNodeSsh(node: LabNode, lab: LabDeployment, options: SshFrontEndOptions): Promise<FrontEnd> {
  const sockets = new Set<Socket>();
  const sshSockets = new Map<string, Socket>();
  const ssh = new SshServer({ hostKeys: [node.sshHostKey.privatePem], ident: SSH_IDENT });
  ssh.on('connection', (client, info) => {
    const socket = sshSockets.get(`${info.ip}:${info.port}`);
    handleClient(client, socket, node, lab, options);
  });
  ssh.on('error', () => undefined);

  const tcp: NetServer = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    if (node.faults.hang) return; // TCP accepted, SSH identification never sent
    const key = `${socket.remoteAddress}:${socket.remotePort}`;
    const inject = (): void => {
      if (socket.destroyed) return;
      sshSockets.set(key, socket);
      node.stats.sshSessionsOpen++;
      socket.once('close', () => {
        sshSockets.delete(key);
        node.stats.sshSessionsOpen--;
      });
      ssh.injectSocket(socket);
    };
    const slow = node.faults.slowMs;
    if (slow > 0) setTimeout(inject, slow);
    else inject();
  });

  let listening = false;
  let closed = false;
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(new Error(`lab ssh ${node.name}: cannot listen on ${node.host}:${node.ports.ssh}: ${err.message}`));
      tcp.once('error', onError);
      tcp.listen(node.ports.ssh, node.host, () => {
        tcp.off('error', onError);
        listening = true;
        resolve();
      });
    });
  const unlisten = (): Promise<void> =>
    new Promise((resolve) => {
      listening = false;
      for (const s of sockets) s.destroy();
      tcp.close(() => resolve());
    });

  // Fault changes are applied one at a time, in order.
  let applying: Promise<void> = Promise.resolve();
  const reconcile = (): void => {
    applying = applying
      .then(async () => {
        const want = !closed && !node.faults.down;
        if (want && !listening) await listen();
        else if (!want && listening) await unlisten();
      })
      .catch(() => undefined);
  };
  node.events.on('faults', reconcile);

  if (!node.faults.down) await listen();

  return {
    async close() {
      closed = true;
      node.events.off('faults', reconcile);
      reconcile();
      await applying;
      for (const s of sockets) s.destroy();
    },
  };
}

function handleClient(client: Connection, socket: Socket | undefined, node: LabNode, lab: LabDeployment, options: SshFrontEndOptions): void {
  const creds = lab.credentials.os;
  let username = creds.username;
  client.on('error', () => undefined);

  client.on('authentication', (ctx) => {
    if (ctx.method !== 'keyboard-interactive') {
      // Only keyboard-interactive is offered, as on VOS (password/publickey/none are refused).
      ctx.reject(['keyboard-interactive']);
      return;
    }
    ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
      const ok = !node.faults.authFail && ctx.username === creds.username && Array.isArray(answers) && answers[0] === creds.password;
      if (ok) {
        username = ctx.username;
        ctx.accept();
      } else setTimeout(() => ctx.reject(['keyboard-interactive']), AUTH_FAIL_DELAY_MS);
    });
  });

  const shells = new Set<VosShell>();
  let channelsOpen = 0;
  client.on('close', () => {
    for (const s of shells) s.dispose();
    node.stats.sshChannelsOpen -= channelsOpen;
    channelsOpen = 0;
  });

  client.on('ready', () => {
    client.on('session', (accept) => {
      const session: Session = accept();
      channelsOpen++;
      node.stats.sshChannelsOpen++;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        if (channelsOpen > 0) {
          channelsOpen--;
          node.stats.sshChannelsOpen--;
        }
      };
      session.on('close', release);
      let rows = 0;
      let shell: VosShell | undefined;
      session.on('pty', (acceptPty, _reject, info) => {
        rows = info.rows;
        acceptPty?.();
      });
      session.on('window-change', (acceptWc, _reject, info) => {
        shell?.resize(info.rows);
        acceptWc?.();
      });
      session.on('env', (acceptEnv) => acceptEnv?.());
      // No exec channel on VOS: clients must drive the interactive shell.
      session.on('exec', (_accept, reject) => reject?.());
      session.on('subsystem', (_accept, reject) => reject?.());
      session.on('shell', (acceptShell) => {
        const stream = acceptShell();
        stream.on('close', release);
        const vos = new VosShell({
          node,
          lab,
          username,
          rows,
          startupMs: options.startupMs,
          idleMs: options.idleMs ?? CLI_IDLE_MS,
          onCommand: () => node.stats.sshCommands++,
          io: {
            write: (data) => {
              if (stream.writable) stream.write(data);
            },
            close: () => {
              vos.dispose();
              stream.exit(0);
              stream.end();
              client.end();
            },
            drop: () => {
              vos.dispose();
              if (socket) socket.destroy();
              else client.end();
            },
          },
        });
        shell = vos;
        shells.add(vos);
        stream.on('data', (d: Buffer) => vos.input(d));
        stream.on('close', () => {
          vos.dispose();
          shells.delete(vos);
        });
        vos.start();
      });
    });
  });
}
