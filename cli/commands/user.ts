// `impulse user add|passwd|role|del|list`: local sign-in accounts (auth.mode: local), in the
// database of the configuration's data dir. Passwords are read from the terminal without echo, or
// from standard input (one line) when it is not a terminal — never from the command line, where
// other users of the machine could read them. Every change is recorded in the audit log as
// cli:<os user>.
import { userInfo } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { ConfigError, formatIssue, loadConfigFile } from '../../config/load';
import { defaultConfigFile, locateConfig } from '../../config/locate';
import { resolveLoaded } from '../../config/resolve';
import { getAccount, listAccounts } from '../../db/accounts';
import { insertAudit } from '../../db/audit';
import { DatabaseError, openDatabase, type ImpulseDatabase } from '../../db/index';
import { Accounts } from '../../server/security/accounts';
import { passwordProblem } from '../../server/security/policy';
import { isRole, ROLES, type Role } from '../../server/security/roles';
import type { AuditSink } from '../../server/runtime';
import { parse, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';

const help = `Usage: impulse user <add|passwd|role|del|list> … [--config <file> | --data-dir <dir>]

Local sign-in accounts (auth.mode: local), kept in the product database of the data dir.

  impulse user add <name> --role <viewer|operator|admin>   create an account (asks for its password)
  impulse user passwd <name>                                set a new password (ends its sessions)
  impulse user role <name> <viewer|operator|admin>          change the role
  impulse user del <name>                                   delete the account
  impulse user list                                         the accounts and their roles

  --config <file>     the configuration whose server.dataDir holds the database
                      (default: $IMPULSE_CONFIG, else ./${defaultConfigFile}, else ./data)
  --data-dir <dir>    the data dir itself
  --password-stdin    read the password from standard input (one line), e.g. from a secret store;
                      this is the default when standard input is not a terminal

Roles: viewer (every page), operator (also runs the troubleshooter, opens maintenance windows,
silences alerts, injects lab faults), admin (also accounts, the audit log, the configuration).
The first admin can also be created at /setup with the token \`impulse start\` prints.
`;

const options = {
  config: { type: 'string', short: 'c' },
  'data-dir': { type: 'string' },
  role: { type: 'string' },
  'password-stdin': { type: 'boolean' },
} as const;

function dataDirOf(values: { config?: string; 'data-dir'?: string }): string {
  if (values['data-dir']) return path.resolve(values['data-dir']);
  const where = locateConfig(values.config);
  if (!where) return path.resolve('data');
  const loaded = loadConfigFile(where.file, { checkFiles: false });
  return resolveLoaded(loaded).server.dataDir;
}

function role(text: string | undefined): Role {
  if (!isRole(text)) throw new UsageError(`expected a role (${ROLES.join(', ')}), got '${text ?? ''}'`);
  return text;
}

/** One line from a non-terminal stdin, or a prompt without echo (asked twice) on a terminal. */
async function readPassword(name: string, fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.replace(/\r?\n[\s\S]*$/, '');
  }
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      let muted = false;
      const out = new Writable({
        write(chunk, _enc, cb) {
          if (!muted) process.stderr.write(chunk);
          cb();
        },
      });
      const rl = createInterface({ input: process.stdin, output: out, terminal: true });
      rl.question(question, (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
      muted = true;
    });
  const first = await ask(`password for ${name}: `);
  const second = await ask('again: ');
  if (first !== second) throw new UsageError('the two passwords differ');
  return first;
}

function auditTo(db: ImpulseDatabase): AuditSink {
  return {
    record: (e) =>
      void insertAudit(db, { at: Date.now(), actor: e.actor.name, address: e.actor.address, action: e.action, target: e.target ?? null, detail: e.detail ?? null, outcome: e.outcome ?? 'success' }),
  };
}

export const command: CliCommand = {
  name: 'user',
  summary: 'Manage local sign-in accounts (impulse user add|passwd|role|del|list)',
  help,
  async run(argv) {
    if (argv.length === 0 || wantsHelp(argv)) {
      process.stdout.write(help);
      return argv.length === 0 ? 2 : 0;
    }
    const [sub, ...rest] = argv;
    const { values, positionals } = parse(rest, options);
    const name = positionals[0];
    const need = (n: number, what: string) => {
      if (positionals.length !== n) throw new UsageError(`impulse user ${sub} expects ${what}`);
    };
    if (!['add', 'passwd', 'role', 'del', 'list'].includes(sub)) throw new UsageError(`unknown subcommand '${sub}'; expected add, passwd, role, del or list`);
    if (sub === 'list') need(0, 'no arguments');
    else if (sub === 'role') need(2, '<name> <role>');
    else need(1, '<name>');
    if (sub === 'add' && !values.role) throw new UsageError('--role <viewer|operator|admin> is required');

    let dataDir: string;
    try {
      dataDir = dataDirOf(values);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const issue of err.issues) process.stderr.write(`${formatIssue(issue)}\n`);
      return 1;
    }
    let db: ImpulseDatabase;
    try {
      db = openDatabase({ dataDir });
    } catch (err) {
      if (!(err instanceof DatabaseError)) throw err;
      process.stderr.write(`impulse user: ${err.message}\n`);
      return 1;
    }
    try {
      const actor = { name: `cli:${safeUser()}`, address: 'local' };
      const accounts = new Accounts(db, auditTo(db));
      const report = (r: { ok: true } | { ok: false; message: string }, done: string) => {
        if (r.ok) process.stdout.write(`${done}\n`);
        else process.stderr.write(`impulse user ${sub}: ${r.message}\n`);
        return r.ok ? 0 : 1;
      };
      switch (sub) {
        case 'list': {
          const all = listAccounts(db);
          if (all.length === 0) process.stdout.write(`no accounts in ${db.file}\n`);
          const width = Math.max(7, ...all.map((a) => a.name.length));
          for (const a of all) process.stdout.write(`${a.name.padEnd(width)}  ${a.role.padEnd(8)}  last sign-in ${a.lastSignInAt ? new Date(a.lastSignInAt).toISOString() : 'never'}\n`);
          return 0;
        }
        case 'add': {
          const r = role(values.role);
          if (getAccount(db, name)) return report({ ok: false, message: `an account named '${name}' already exists` }, '');
          const password = await readPassword(name, values['password-stdin'] === true);
          const problem = passwordProblem(password, name);
          if (problem) return report({ ok: false, message: problem }, '');
          return report(await accounts.create(actor, name, r, password, 'created with impulse user add'), `created ${name} (${r}) in ${db.file}`);
        }
        case 'passwd': {
          if (!getAccount(db, name)) return report({ ok: false, message: `no account named '${name}'` }, '');
          const password = await readPassword(name, values['password-stdin'] === true);
          return report(await accounts.setPassword(actor, name, password), `new password for ${name}; its sessions have ended`);
        }
        case 'role': {
          const r = role(positionals[1]);
          return report(accounts.setRole(actor, name, r), `${name} is now ${r}`);
        }
        case 'del':
          return report(accounts.remove(actor, name), `deleted ${name}`);
      }
      return 2;
    } finally {
      db.close();
    }
  },
};

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}
