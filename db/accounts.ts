// Accounts (local sign-in) and revoked sessions. Passwords arrive here already hashed (argon2id,
// server/security/passwords.ts); this module never sees a password.
import type { ImpulseDatabase } from './database';

export type Role = 'viewer' | 'operator' | 'admin';

export interface Account {
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: number;
  updatedAt: number;
  passwordChangedAt: number;
  lastSignInAt: number | null;
  sessionEpoch: number;
}

/** An account without its hash: what pages and the CLI show. */
export type AccountSummary = Omit<Account, 'passwordHash'>;

interface Row {
  name: string;
  role: Role;
  password_hash: string;
  created_at: number;
  updated_at: number;
  password_changed_at: number;
  last_sign_in_at: number | null;
  session_epoch: number;
}

const toAccount = (r: Row): Account => ({
  name: r.name,
  role: r.role,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  passwordChangedAt: r.password_changed_at,
  lastSignInAt: r.last_sign_in_at,
  sessionEpoch: r.session_epoch,
});

/** Thrown for changes that would break an invariant (duplicate name, last admin). */
export class AccountError extends Error {
  override name = 'AccountError';
  constructor(
    readonly code: 'exists' | 'missing' | 'last-admin',
    message: string,
  ) {
    super(message);
  }
}

export function getAccount(db: ImpulseDatabase, name: string): Account | undefined {
  const r = db.sqlite.prepare('select * from accounts where name = ?').get(name) as Row | undefined;
  return r && toAccount(r);
}

export function listAccounts(db: ImpulseDatabase): AccountSummary[] {
  return (db.sqlite.prepare('select * from accounts order by name collate nocase').all() as Row[]).map((r) => {
    const { passwordHash: _hash, ...rest } = toAccount(r);
    return rest;
  });
}

export function countAccounts(db: ImpulseDatabase): number {
  return (db.sqlite.prepare('select count(*) as n from accounts').get() as { n: number }).n;
}

function admins(db: ImpulseDatabase): number {
  return (db.sqlite.prepare("select count(*) as n from accounts where role = 'admin'").get() as { n: number }).n;
}

/** Writes go through db.write: a full disk returns undefined instead of throwing. */
export function createAccount(db: ImpulseDatabase, a: { name: string; role: Role; passwordHash: string }, now = Date.now()): boolean {
  return (
    db.write('create account', () => {
      if (getAccount(db, a.name)) throw new AccountError('exists', `an account named '${a.name}' already exists`);
      db.sqlite
        .prepare('insert into accounts (name, role, password_hash, created_at, updated_at, password_changed_at) values (?, ?, ?, ?, ?, ?)')
        .run(a.name, a.role, a.passwordHash, now, now, now);
      return true;
    }) ?? false
  );
}

/** Sets the password and ends every session of the account. */
export function setPassword(db: ImpulseDatabase, name: string, passwordHash: string, now = Date.now()): boolean {
  return (
    db.write('change password', () => {
      const r = db.sqlite
        .prepare('update accounts set password_hash = ?, password_changed_at = ?, updated_at = ?, session_epoch = session_epoch + 1 where name = ?')
        .run(passwordHash, now, now, name);
      if (r.changes === 0) throw new AccountError('missing', `no account named '${name}'`);
      return true;
    }) ?? false
  );
}

/** Changes the role; refuses to demote the last admin. Returns the previous role. */
export function setRole(db: ImpulseDatabase, name: string, role: Role, now = Date.now()): Role | undefined {
  return db.write('change role', () => {
    const a = getAccount(db, name);
    if (!a) throw new AccountError('missing', `no account named '${name}'`);
    if (a.role === 'admin' && role !== 'admin' && admins(db) === 1) throw new AccountError('last-admin', `'${a.name}' is the last admin; make another account admin first`);
    db.sqlite.prepare('update accounts set role = ?, updated_at = ? where name = ?').run(role, now, name);
    return a.role;
  });
}

/** Deletes the account; refuses to delete the last admin. */
export function deleteAccount(db: ImpulseDatabase, name: string): boolean {
  return (
    db.write('delete account', () => {
      const a = getAccount(db, name);
      if (!a) throw new AccountError('missing', `no account named '${name}'`);
      if (a.role === 'admin' && admins(db) === 1) throw new AccountError('last-admin', `'${a.name}' is the last admin; make another account admin first`);
      db.sqlite.prepare('delete from accounts where name = ?').run(name);
      return true;
    }) ?? false
  );
}

/** Replaces the hash with one of the same password under newer parameters (sessions stay valid). */
export function replaceHash(db: ImpulseDatabase, name: string, passwordHash: string): void {
  db.write('upgrade password hash', () => db.sqlite.prepare('update accounts set password_hash = ? where name = ?').run(passwordHash, name));
}

export function recordSignIn(db: ImpulseDatabase, name: string, now = Date.now()): void {
  db.write('record sign-in', () => db.sqlite.prepare('update accounts set last_sign_in_at = ? where name = ?').run(now, name));
}

export function revokeSession(db: ImpulseDatabase, sid: string, until: number): void {
  db.write('sign out', () => db.sqlite.prepare('insert or replace into revoked_sessions (sid, until) values (?, ?)').run(sid, until));
}

export function isSessionRevoked(db: ImpulseDatabase, sid: string): boolean {
  return db.sqlite.prepare('select 1 from revoked_sessions where sid = ?').get(sid) !== undefined;
}

/** Forgets revocations of cookies that have expired anyway. */
export function pruneRevokedSessions(db: ImpulseDatabase, now = Date.now()): number {
  return db.write('prune revoked sessions', () => db.sqlite.prepare('delete from revoked_sessions where until < ?').run(now).changes) ?? 0;
}
