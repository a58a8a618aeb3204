// Sign-in as the product does it: argon2id accounts in the database, one answer for an unknown
// user and a wrong password, throttling, sign-out and password changes that end sessions, role
// changes that apply at the next request, the first-admin setup token, proxy and loopback modes,
// the redacted configuration, and the audit log behind all of it.
import type { IncomingMessage } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/load';
import { resolveInventory } from '../../config/resolve';
import { queryAudit } from '../../db/audit';
import { getAccount } from '../../db/accounts';
import { openDatabase, type ImpulseDatabase } from '../../db/index';
import { requestContext } from '../../server/security/context';
import { hashPassword, needsRehash, verifyPassword } from '../../server/security/passwords';
import { SecretScrubber } from '../../server/security/scrub';
import type { ImpulseRuntime } from '../../server/runtime';
import { AuditService } from '../../server/services/audit';
import { SecurityCore } from '../../server/services/security';

const dbs: ImpulseDatabase[] = [];
afterEach(() => {
  while (dbs.length) dbs.pop()!.close();
});

function runtime(authYaml: string, opts: { lab?: boolean } = {}): { rt: ImpulseRuntime; logs: string[]; db: ImpulseDatabase } {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-sec-'));
  const text = `clusters:
  - name: imp01
    product: imp
    publisher: imp01-pub
    allowInlineSecrets: true
    credentials: { axl: { username: axl, password: inline-axl-password }, os: { username: admin, password: env:OS_PW } }
    ssh: { knownHosts: kh, trustOnFirstUse: true }
server: { dataDir: ${dir}, metricsToken: env:METRICS }
${authYaml}`;
  const loaded = parseConfigText(text, path.join(dir, 'impulse.config.yaml'), { checkFiles: false });
  const db = openDatabase({ dataDir: dir });
  dbs.push(db);
  const logs: string[] = [];
  const rt: ImpulseRuntime = {
    configPath: loaded.file,
    config: loaded.config,
    inventory: resolveInventory(loaded.config, { dir }),
    dataDir: dir,
    db,
    startedAt: Date.now(),
    log: (l) => logs.push(l),
    lab: opts.lab ? { controlUrl: 'http://127.0.0.1:1' } : undefined,
  };
  new AuditService({ log: (l) => logs.push(l) }).start(rt);
  return { rt, logs, db };
}

function request(o: { cookie?: string; peer?: string; headers?: Record<string, string> } = {}): IncomingMessage {
  return { headers: { host: '127.0.0.1:3000', ...(o.cookie ? { cookie: o.cookie } : {}), ...o.headers }, socket: { remoteAddress: o.peer ?? '127.0.0.1' } } as unknown as IncomingMessage;
}

const cookieOf = (setCookie: string) => setCookie.split(';')[0];
const PW = 'correct horse battery staple';

describe('passwords', () => {
  it('hashes with argon2id at 64 MiB, 3 passes, one lane, and verifies', async () => {
    const h = await hashPassword(PW);
    expect(h).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=1\$/);
    expect(await verifyPassword(h, PW)).toBe(true);
    expect(await verifyPassword(h, `${PW}!`)).toBe(false);
    expect(await verifyPassword(undefined, PW)).toBe(false);
    expect(needsRehash(h)).toBe(false);
    expect(needsRehash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA')).toBe(true);
  });
});

describe('local sign-in', () => {
  it('answers an unknown user and a wrong password the same way, and records both', async () => {
    const { rt, db } = runtime('auth: { mode: local }');
    const core = new SecurityCore(rt);
    expect(await core.accounts!.create({ name: 'cli:root', address: 'local' }, 'alice', 'operator', PW)).toEqual({ ok: true });
    const wrong = await core.signIn({ username: 'alice', password: 'not the password', address: '10.0.0.5' });
    const unknown = await core.signIn({ username: 'mallory', password: PW, address: '10.0.0.5' });
    expect(wrong).toEqual({ ok: false, reason: 'invalid' });
    expect(unknown).toEqual(wrong);
    const ok = await core.signIn({ username: 'ALICE', password: PW, address: '10.0.0.5' });
    expect(ok).toMatchObject({ ok: true, user: 'alice', role: 'operator' });
    const rows = queryAudit(db, { action: 'auth.signin' }, { limit: 10 });
    expect(rows.map((r) => [r.actor, r.address, r.outcome, r.detail])).toEqual([
      ['ALICE', '10.0.0.5', 'success', 'local sign-in as operator'],
      ['mallory', '10.0.0.5', 'failure', 'unknown user name'],
      ['alice', '10.0.0.5', 'failure', 'wrong password'],
    ]);
    expect(queryAudit(db, { action: 'account.create' }, { limit: 1 })[0]).toMatchObject({ actor: 'cli:root', target: 'alice', detail: 'role operator' });
    expect(getAccount(db, 'alice')!.lastSignInAt).not.toBeNull();
  });

  it('throttles repeated failures: even the right password waits', async () => {
    const { rt } = runtime('auth: { mode: local }');
    const core = new SecurityCore(rt);
    await core.accounts!.create({ name: 'x', address: 'y' }, 'bob', 'viewer', PW);
    for (let i = 0; i < 6; i++) await core.signIn({ username: 'bob', password: 'wrong wrong wrong', address: '10.0.0.6' });
    const r = await core.signIn({ username: 'bob', password: PW, address: '10.0.0.6' });
    expect(r).toMatchObject({ ok: false, reason: 'throttled' });
    expect((r as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('identifies the session on each request with the account\'s current role; sign-out, a new password and deletion end it', async () => {
    const { rt, db } = runtime('auth: { mode: local }');
    const core = new SecurityCore(rt);
    const admin = { name: 'root', address: 'local' };
    await core.accounts!.create(admin, 'carol', 'viewer', PW);
    await core.accounts!.create(admin, 'dave', 'admin', PW);
    const signIn = async (u: string) => cookieOf(((await core.signIn({ username: u, password: PW, address: '1.2.3.4' })) as { cookie: string }).cookie);
    let c = await signIn('carol');
    expect((await core.identify(request({ cookie: c }))).identity).toEqual({ name: 'carol', role: 'viewer', via: 'session' });
    expect(core.accounts!.setRole(admin, 'carol', 'operator')).toEqual({ ok: true });
    expect((await core.identify(request({ cookie: c }))).identity?.role).toBe('operator');
    // Sign-out revokes this session on the server, not only in the browser.
    await core.signOut(c, { name: 'carol', address: '1.2.3.4' });
    const after = await core.identify(request({ cookie: c }));
    expect(after.identity).toBeUndefined();
    expect(after.why).toBe('signed out');
    expect(after.setCookie).toMatch(/Max-Age=0/);
    c = await signIn('carol');
    expect(await core.accounts!.setPassword(admin, 'carol', 'another long password')).toEqual({ ok: true });
    expect((await core.identify(request({ cookie: c }))).why).toMatch(/password changed/);
    const d = await signIn('dave');
    expect(core.accounts!.remove(admin, 'carol')).toEqual({ ok: true });
    expect(core.accounts!.remove(admin, 'dave')).toEqual({ ok: false, message: "'dave' is the last admin; make another account admin first" });
    expect(core.accounts!.setRole(admin, 'dave', 'viewer')).toMatchObject({ ok: false });
    expect((await core.identify(request({ cookie: d }))).identity?.name).toBe('dave');
    expect(queryAudit(db, { action: 'account.' }, { limit: 20 }).map((r) => `${r.action} ${r.target} ${r.outcome}`)).toEqual([
      'account.role dave failure',
      'account.delete dave failure',
      'account.delete carol success',
      'account.password carol success',
      'account.role carol success',
      'account.create dave success',
      'account.create carol success',
    ]);
    expect(queryAudit(db, { action: 'auth.signout' }, { limit: 1 })[0]).toMatchObject({ actor: 'carol', outcome: 'success' });
  });

  it('refuses weak passwords and bad names with the rule', async () => {
    const { rt } = runtime('auth: { mode: local }');
    const core = new SecurityCore(rt);
    const a = { name: 'x', address: 'y' };
    expect(await core.accounts!.create(a, 'erin', 'viewer', 'short')).toEqual({ ok: false, message: 'a password needs at least 12 characters' });
    expect(await core.accounts!.create(a, 'erin', 'viewer', 'erin-erin-erin-erin')).toEqual({ ok: false, message: 'a password must not contain the account name' });
    expect(await core.accounts!.create(a, '../erin', 'viewer', PW)).toMatchObject({ ok: false, message: expect.stringMatching(/account name is 1–64 letters/) });
  });

  it('creates the first admin with the one-time setup token, once', async () => {
    const { rt, db } = runtime('auth: { mode: local }');
    const core = new SecurityCore(rt);
    expect(core.setupPending()).toBe(true);
    const token = core.setupToken!;
    expect(await core.completeSetup({ token: 'nope', username: 'root', password: PW, address: '1.1.1.1' })).toEqual({ ok: false, reason: 'token' });
    const r = await core.completeSetup({ token, username: 'root', password: PW, address: '1.1.1.1' });
    expect(r).toMatchObject({ ok: true, user: 'root', role: 'admin' });
    expect(core.setupPending()).toBe(false);
    expect(await core.completeSetup({ token, username: 'root2', password: PW, address: '1.1.1.1' })).toEqual({ ok: false, reason: 'done' });
    expect(queryAudit(db, { action: 'account.create' }, { limit: 1 })[0].detail).toMatch(/first administrator, created with the setup token/);
    // No token once an account exists (another start, or `impulse user add` meanwhile).
    expect(new SecurityCore(rt).setupToken).toBeUndefined();
  });
});

describe('other sign-in modes', () => {
  it('none: the built-in lab default, loopback clients addressed by a loopback name, never through a proxy', async () => {
    const { rt } = runtime('', { lab: true });
    const core = new SecurityCore(rt);
    expect(core.mode).toBe('none');
    expect((await core.identify(request())).identity).toEqual({ name: 'anonymous', role: 'admin', via: 'none' });
    expect((await core.identify(request({ peer: '::ffff:127.0.0.1' }))).identity?.role).toBe('admin');
    expect((await core.identify(request({ peer: '10.0.0.9' }))).why).toMatch(/this machine only/);
    expect((await core.identify(request({ headers: { 'x-forwarded-for': '10.0.0.9' } }))).why).toMatch(/through a proxy/);
    expect((await core.identify(request({ headers: { host: 'rebind.evil.example:3000' } }))).why).toMatch(/loopback names/);
    // Without the lab and without an auth block, sign-in is local.
    expect(new SecurityCore(runtime('').rt).mode).toBe('local');
  });

  it('proxy: believes the user header only from the configured proxies, maps groups to roles', async () => {
    const { rt } = runtime(`auth:
  mode: proxy
  proxy: { trustedProxies: [10.9.0.0/16], groupsHeader: X-Forwarded-Groups, roles: { admin: [uc-admins], operator: [noc] }, defaultRole: viewer }`);
    const core = new SecurityCore(rt);
    const via = (peer: string, headers: Record<string, string>) => core.identify(request({ peer, headers }));
    expect((await via('10.9.1.1', { 'x-forwarded-user': 'frank', 'x-forwarded-groups': 'staff, NOC' })).identity).toEqual({ name: 'frank', role: 'operator', via: 'proxy' });
    expect((await via('10.9.1.1', { 'x-forwarded-user': 'gina', 'x-forwarded-groups': 'uc-admins,noc' })).identity?.role).toBe('admin');
    expect((await via('10.9.1.1', { 'x-forwarded-user': 'hal' })).identity?.role).toBe('viewer');
    const forged = request({ peer: '10.8.0.1', headers: { 'x-forwarded-user': 'admin', 'x-forwarded-groups': 'uc-admins' } });
    expect((await core.identify(forged)).identity).toBeUndefined();
    expect(forged.headers['x-forwarded-user']).toBeUndefined();
    expect(core.clientAddress(request({ peer: '10.9.1.1', headers: { 'x-forwarded-for': '203.0.113.7, 10.9.2.2' } }))).toBe('203.0.113.7');
    expect(core.clientAddress(request({ peer: '198.51.100.1', headers: { 'x-forwarded-for': '203.0.113.7' } }))).toBe('198.51.100.1');
  });
});

describe('configuration view', () => {
  it('shows references and hides inline secrets', () => {
    const { rt } = runtime('auth: { mode: local, session: { key: env:SESSION_KEY } }');
    process.env.SESSION_KEY = 's'.repeat(40);
    const text = new SecurityCore(rt).redactedConfig();
    delete process.env.SESSION_KEY;
    expect(text).not.toContain('inline-axl-password');
    expect(text).toMatch(/password: •+ \(inline secret, not shown\)/);
    expect(text).toMatch(/password: env:OS_PW \(value not shown\)/);
    expect(text).toMatch(/metricsToken: env:METRICS \(value not shown\)/);
    expect(text).toMatch(/key: env:SESSION_KEY \(value not shown\)/);
  });
});

describe('audit service', () => {
  it('marks the request as recorded, scrubs secrets, and keeps to the retention', () => {
    const { rt, db } = runtime('auth: { mode: local, auditRetention: 30d }');
    const scrubber = new SecretScrubber();
    scrubber.add('hunter2-secret');
    const now = { t: Date.parse('2026-01-01T00:00:00Z') };
    const audit = new AuditService({ log: () => {}, scrubber, now: () => now.t });
    audit.start(rt);
    const ctx = { method: 'POST', path: '/x', address: '1.1.1.1', recorded: false };
    requestContext.run(ctx, () => audit.record({ actor: { name: 'ann', address: '1.1.1.1' }, action: 'troubleshooter.run', detail: 'password was hunter2-secret', target: 'imp01' }));
    expect(ctx.recorded).toBe(true);
    const [row] = queryAudit(db, {}, { limit: 1 });
    expect(row).toMatchObject({ actor: 'ann', action: 'troubleshooter.run', target: 'imp01', detail: 'password was [secret]', outcome: 'success' });
    now.t += 31 * 86_400_000;
    expect(audit.prune()).toBe(1);
    audit.stop();
  });

  it('writes to the log what the database cannot keep', () => {
    const { rt, db } = runtime('auth: { mode: local }');
    const logs: string[] = [];
    const audit = new AuditService({ log: (l) => logs.push(l) });
    audit.start(rt);
    db.close();
    audit.record({ actor: { name: 'ann', address: 'local' }, action: 'config.reload', detail: 'ok' });
    expect(logs).toEqual(['audit (not saved: no database): success config.reload by ann from local: ok']);
    audit.stop();
  });
});
