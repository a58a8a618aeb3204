// The audit log's table and its page model: filters (actor, action prefix, outcome, text, days),
// newest-first keyset pages that stay stable while entries arrive, CSV that a spreadsheet cannot
// turn into a formula, and the PerfMon session ledger's rows.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countAudit, insertAudit, queryAudit, type AuditRow } from '../../db/audit';
import { openDatabase } from '../../db/index';
import { forgetSession, listOpenSessions, recordOpenSession } from '../../db/perfmon-sessions';
import { auditCsv, csvField, parseAuditQuery } from '../../server/security/audit-view';
import type { ImpulseRuntime } from '../../server/runtime';

function db() {
  return openDatabase({ dataDir: mkdtempSync(path.join(tmpdir(), 'impulse-audit-')) });
}

const day = (d: string, h = 12) => Date.parse(`${d}T${String(h).padStart(2, '0')}:00:00Z`);

describe('audit table', () => {
  it('filters by actor, action prefix, outcome, text and UTC days, newest first, page by page', () => {
    const d = db();
    const add = (at: number, actor: string, action: string, outcome: AuditRow['outcome'], target: string | null = null, detail: string | null = null) => insertAudit(d, { at, actor, address: '10.0.0.1', action, target, detail, outcome });
    add(day('2026-03-01'), 'Alice', 'auth.signin', 'success');
    add(day('2026-03-01', 13), 'bob', 'auth.signin', 'failure', 'bob', 'wrong password');
    add(day('2026-03-02'), 'alice', 'troubleshooter.run', 'success', 'imp01');
    add(day('2026-03-03'), 'vera', 'troubleshooter.run', 'denied', '/api/troubleshooter/run');
    add(day('2026-03-04'), 'alice', 'lab.fault.inject', 'success', 'imp01-sub1', 'node-down');
    const q = (params: Record<string, string>) => queryAudit(d, parseAuditQuery(params).filter, { limit: 50 }).map((r) => `${r.actor} ${r.action}`);
    expect(q({ actor: 'ALICE' })).toEqual(['alice lab.fault.inject', 'alice troubleshooter.run', 'Alice auth.signin']);
    expect(q({ action: 'auth.' })).toEqual(['bob auth.signin', 'Alice auth.signin']);
    expect(q({ action: 'troubleshooter.run', outcome: 'denied' })).toEqual(['vera troubleshooter.run']);
    expect(q({ q: 'NODE-DOWN' })).toEqual(['alice lab.fault.inject']);
    expect(q({ from: '2026-03-02', to: '2026-03-03' })).toEqual(['vera troubleshooter.run', 'alice troubleshooter.run']);
    expect(parseAuditQuery({ from: 'yesterday', outcome: 'maybe' }).problems).toEqual(['outcome: Invalid option: expected one of "success"|"failure"|"denied"', 'from: a date YYYY-MM-DD']);
    // Keyset pages: the next page starts below the last id shown, whatever arrived meanwhile.
    const first = queryAudit(d, {}, { limit: 2 });
    add(day('2026-03-05'), 'new', 'auth.signin', 'success');
    const second = queryAudit(d, {}, { limit: 2, beforeId: first[1].id });
    expect([...first, ...second].map((r) => r.actor)).toEqual(['alice', 'vera', 'alice', 'bob']);
    expect(countAudit(d, { action: 'auth.' })).toBe(3);
    d.close();
  });

  it('exports CSV with quoting, UTC times, and formula cells defused', async () => {
    const d = db();
    insertAudit(d, { at: day('2026-03-01'), actor: '=HYPERLINK("x")', address: '::1', action: 'auth.signin', target: 'a,b', detail: 'line1\nline "2"', outcome: 'failure' });
    const rt = { db: d } as unknown as ImpulseRuntime;
    const text = await new Response(auditCsv(rt, {})).text();
    expect(text).toBe('time (UTC),actor,address,action,target,detail,outcome\r\n2026-03-01T12:00:00.000Z,"\'=HYPERLINK(""x"")",::1,auth.signin,"a,b","line1\nline ""2""",failure\r\n');
    expect(csvField('-1+1')).toBe("'-1+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    d.close();
  });
});

describe('PerfMon session ledger table', () => {
  it('keeps one row per open handle per node', () => {
    const d = db();
    recordOpenSession(d, { nodeId: 'imp01/a', host: '10.0.0.1', port: 8443, handle: 'h1', openedAt: 1 });
    recordOpenSession(d, { nodeId: 'imp01/a', host: '10.0.0.1', port: 8443, handle: 'h2', openedAt: 2 });
    recordOpenSession(d, { nodeId: 'imp01/b', host: '10.0.0.2', port: 8443, handle: 'h1', openedAt: 3 });
    forgetSession(d, 'imp01/a', 'h1');
    expect(listOpenSessions(d).map((r) => `${r.nodeId} ${r.handle}`)).toEqual(['imp01/a h2', 'imp01/b h1']);
    d.close();
  });
});
