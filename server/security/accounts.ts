// Account changes for local sign-in, shared by the admin page and `impulse user`: checked,
// hashed (argon2id) and recorded in the audit log. Errors come back as messages a person can act on.
import { AccountError, createAccount, deleteAccount, getAccount, listAccounts, setPassword, setRole, type AccountSummary, type Role } from '../../db/accounts';
import type { ImpulseDatabase } from '../../db/database';
import type { AuditSink } from '../runtime';
import { hashPassword, verifyPassword } from './passwords';
import { passwordProblem } from './policy';
import type { AccountAdmin, Actorish, ChangeResult } from './types';

export const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function accountNameProblem(name: string): string | undefined {
  return ACCOUNT_NAME.test(name) ? undefined : 'an account name is 1–64 letters, digits, dot, dash, underscore or @, starting with a letter or digit';
}

function fail(message: string): ChangeResult {
  return { ok: false, message };
}

function unsaved(db: ImpulseDatabase): ChangeResult {
  return fail(`the database cannot be written right now (${db.health().error ?? 'unknown error'}); nothing was changed`);
}

export class Accounts implements AccountAdmin {
  constructor(
    private readonly db: ImpulseDatabase,
    private readonly audit: AuditSink | undefined,
  ) {}

  list(): AccountSummary[] {
    return listAccounts(this.db);
  }

  private record(actor: Actorish, action: string, target: string, detail: string, ok: boolean) {
    this.audit?.record({ actor, action, target, detail, outcome: ok ? 'success' : 'failure' });
  }

  /** A refused change: recorded too (attempts on accounts are what an audit is for), then returned. */
  private refuse(actor: Actorish, action: string, target: string, message: string): ChangeResult {
    this.record(actor, action, target, message, false);
    return fail(message);
  }

  async create(actor: Actorish, name: string, role: Role, password: string, how = ''): Promise<ChangeResult> {
    const problem = accountNameProblem(name) ?? passwordProblem(password, name);
    if (problem) return this.refuse(actor, 'account.create', name.slice(0, 64), problem);
    if (getAccount(this.db, name)) return this.refuse(actor, 'account.create', name, `an account named '${name}' already exists`);
    const hash = await hashPassword(password);
    try {
      if (!createAccount(this.db, { name, role, passwordHash: hash })) return unsaved(this.db);
    } catch (err) {
      if (err instanceof AccountError) return fail(err.message);
      throw err;
    }
    this.record(actor, 'account.create', name, `role ${role}${how ? `; ${how}` : ''}`, true);
    return { ok: true };
  }

  setRole(actor: Actorish, name: string, role: Role): ChangeResult {
    try {
      const before = setRole(this.db, name, role);
      if (before === undefined) return unsaved(this.db);
      this.record(actor, 'account.role', name, `${before} → ${role}`, true);
      return { ok: true };
    } catch (err) {
      if (!(err instanceof AccountError)) throw err;
      this.record(actor, 'account.role', name, `to ${role}: ${err.message}`, false);
      return fail(err.message);
    }
  }

  async setPassword(actor: Actorish, name: string, password: string): Promise<ChangeResult> {
    const problem = passwordProblem(password, name);
    if (problem) return this.refuse(actor, 'account.password', name, problem);
    if (!getAccount(this.db, name)) return this.refuse(actor, 'account.password', name, `no account named '${name}'`);
    const hash = await hashPassword(password);
    try {
      if (!setPassword(this.db, name, hash)) return unsaved(this.db);
    } catch (err) {
      if (err instanceof AccountError) return fail(err.message);
      throw err;
    }
    this.record(actor, 'account.password', name, actor.name.toLowerCase() === name.toLowerCase() ? 'own password changed; other sessions ended' : 'password reset; the account\'s sessions ended', true);
    return { ok: true };
  }

  async changeOwnPassword(actor: Actorish, current: string, next: string): Promise<ChangeResult> {
    const a = getAccount(this.db, actor.name);
    if (!a || !(await verifyPassword(a.passwordHash, current))) {
      this.record(actor, 'account.password', actor.name, 'current password did not match', false);
      return fail('the current password is not right');
    }
    return this.setPassword(actor, a.name, next);
  }

  remove(actor: Actorish, name: string): ChangeResult {
    try {
      if (!deleteAccount(this.db, name)) return unsaved(this.db);
      this.record(actor, 'account.delete', name, 'account deleted', true);
      return { ok: true };
    } catch (err) {
      if (!(err instanceof AccountError)) throw err;
      this.record(actor, 'account.delete', name, err.message, false);
      return fail(err.message);
    }
  }
}
