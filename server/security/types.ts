// What the app (sign-in, account and audit pages, route handlers) reaches through
// runtime.security. Implemented by server/services/security.ts.
import type { AccountSummary } from '../../db/accounts';
import type { Role } from './roles';

export type AuthMode = 'local' | 'ldap' | 'proxy' | 'none';

/** Who a request is, as the gate established it. */
export interface Identity {
  name: string;
  role: Role;
  /** How it was established. */
  via: 'session' | 'proxy' | 'none';
}

export type SignInResult =
  | { ok: true; user: string; role: Role; /** Set-Cookie header value */ cookie: string }
  | {
      ok: false;
      /** invalid: unknown user or wrong password (one answer for both); throttled: too many failures; norole: no IMPulse role; unavailable: accounts or directory cannot be reached. */
      reason: 'invalid' | 'throttled' | 'norole' | 'unavailable' | 'mode';
      retryAfterSeconds?: number;
    };

export type ChangeResult = { ok: true } | { ok: false; message: string };

export interface AccountAdmin {
  list(): AccountSummary[];
  create(actor: Actorish, name: string, role: Role, password: string): Promise<ChangeResult>;
  setRole(actor: Actorish, name: string, role: Role): ChangeResult;
  setPassword(actor: Actorish, name: string, password: string): Promise<ChangeResult>;
  remove(actor: Actorish, name: string): ChangeResult;
  /** A signed-in user's own password (the current one must match). */
  changeOwnPassword(actor: Actorish, current: string, next: string): Promise<ChangeResult>;
}

export interface Actorish {
  name: string;
  address: string;
}

export interface SecurityHandle {
  readonly mode: AuthMode;
  /** Per-process secret the gate sets on every request it let through (getActor checks it). */
  readonly gateToken: string;
  /** Session lifetime settings, for the sign-in page. */
  readonly session?: { idleSeconds: number; absoluteSeconds: number };
  signIn(input: { username: string; password: string; address: string }): Promise<SignInResult>;
  /** Ends the session in this Cookie header; returns the Set-Cookie that clears it. */
  signOut(cookieHeader: string | undefined, actor: Actorish): Promise<string | undefined>;
  /** local mode with no account yet: the one-time setup token is waiting. */
  setupPending(): boolean;
  completeSetup(input: { token: string; username: string; password: string; address: string }): Promise<SignInResult | { ok: false; reason: 'token' | 'done' | 'password'; message?: string }>;
  /** local mode only. */
  readonly accounts?: AccountAdmin;
  /** The running configuration as YAML, every secret replaced by a mark (admin page). */
  redactedConfig(): string;
}
