// AXL against the lab's CUCM publisher (127.62.x.x): paging every one of 75,000 users with
// skip/first, one query at a time, within the node's response-size limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '../../collectors/clients/hooks';
import { failure, startTestLab, type TestLab } from './clients-lab-helpers';

let t: TestLab;

beforeAll(async () => {
  t = await startTestLab({ addressBase: '127.62', clusters: 1, nodes: 2, usersPerCluster: 75_000 });
});
afterAll(async () => t?.stop());

describe('AXL executeSQLQuery against the lab', () => {
  it('reads processnode from the CUCM publisher', async () => {
    const nc = t.clients('cucm01-pub');
    const rows = await nc.axl.query('select name, nodeid from processnode where nodeid > 1 order by nodeid');
    expect(rows.map((r) => r.name)).toContain('cucm01-pub');
  });

  it('pages through all 75,000 users', async () => {
    const events: RequestEvent[] = [];
    const nc = t.clients('cucm01-pub', { hooks: { onRequest: (e) => events.push(e) } });
    const pages: number[] = [];
    const rows = await nc.axl.queryPaged('pkid, userid, mailid, directoryuri from enduser order by pkid', 10_000, { onPage: (p) => pages.push(p.pageSize) });
    expect(rows).toHaveLength(75_000);
    expect(new Set(rows.map((r) => r.pkid)).size).toBe(75_000);
    expect(rows[0].pkid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(events.every((e) => e.protocol === 'axl' && e.operation === 'executeSQLQuery')).toBe(true);
    expect(events.filter((e) => e.outcome === 'ok')).toHaveLength(pages.length);
  }, 60_000);

  it('AXL is refused on a subscriber node', async () => {
    expect(() => t.clients('imp01-sub1').axl).toThrow(/publisher \(imp01-pub\)/);
  });

  it('an SQL error is a fault naming the operation', async () => {
    const err = await failure(t.clients('cucm01-pub').axl.query('select nosuchcolumn from nosuchtable'));
    expect(err.kind).toBe('fault');
    expect(err.message).toContain('executeSQLQuery');
  });
});
