// AXL executeSQLQuery on the lab's publishers (wire-formats §3): [WIRE] response bytes, the SQL
// subset, paging over 75,000 on-demand users, Informix faults, the 8 MB limit, one query at a time.
import { Agent, request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontEnd, LabNode } from '../../lab/model';
import { createHttpsFrontEnd } from '../../lab/https/server';
import { buildDeployment, type LabState } from '../../lab/state/deployment';

const ENV_OPEN = `<?xml version='1.0' encoding='utf-8'?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>`;
const ENV_CLOSE = '</soapenv:Body></soapenv:Envelope>';

let lab: LabState;
let agent: Agent;
const frontEnds: FrontEnd[] = [];
let cucm: LabNode;
let imp: LabNode;
let impSub: LabNode;

interface Reply {
  status: number;
  body: string;
  ms: number;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function axl(node: LabNode, sql: string, opts: { version?: string; soapAction?: string | null; sequence?: string; path?: string } = {}): Promise<Reply> {
  const version = opts.version ?? '14.0';
  const seq = opts.sequence !== undefined ? ` sequence="${opts.sequence}"` : '';
  const body = `<?xml version="1.0" encoding="UTF-8" standalone="no"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="http://www.cisco.com/AXL/API/${version}"><SOAP-ENV:Header/><SOAP-ENV:Body><ns:executeSQLQuery${seq}><sql>${escapeXml(sql)}</sql></ns:executeSQLQuery></SOAP-ENV:Body></SOAP-ENV:Envelope>`;
  const headers: Record<string, string> = {
    'Content-Type': 'text/xml',
    Authorization: `Basic ${Buffer.from(`${lab.credentials.axl.username}:${lab.credentials.axl.password}`).toString('base64')}`,
  };
  const action = opts.soapAction === undefined ? `"CUCM:DB ver=${version} executeSQLQuery"` : opts.soapAction;
  if (action !== null) headers.SOAPAction = action;
  const t = Date.now();
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: node.host, port: node.ports.https, method: 'POST', path: opts.path ?? '/axl/', headers, ca: lab.ca.pem, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - t }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function rows(body: string): Array<Record<string, string | null>> {
  const ret = /<return>(.*)<\/return>/s.exec(body)?.[1] ?? '';
  return [...ret.matchAll(/<row>(.*?)<\/row>/g)].map((m) =>
    Object.fromEntries([...m[1].matchAll(/<([a-z_0-9]+)(?:\/>|>(.*?)<\/\1>)/g)].map((c) => [c[1], c[2] === undefined ? null : c[2]])),
  );
}

function axlFault(message: string, code: number): string {
  return `${ENV_OPEN}<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>${message}</faultstring><detail><axlError><axlcode>${code}</axlcode><axlmessage>${message}</axlmessage><request>executeSQLQuery</request></axlError></detail></soapenv:Fault>${ENV_CLOSE}`;
}

beforeAll(async () => {
  lab = await buildDeployment({ clusters: 1, nodes: 2, seed: 11, addressBase: '127.31', httpsPort: 8443 }); // 75,000 users per cluster
  agent = new Agent({ keepAlive: true, ca: lab.ca.pem });
  cucm = lab.node('cucm01-pub')!;
  imp = lab.node('imp01-pub')!;
  impSub = lab.node('imp01-sub1')!;
  for (const n of lab.nodes) frontEnds.push(await createHttpsFrontEnd(n, lab));
});

afterAll(async () => {
  agent?.destroy();
  await Promise.all(frontEnds.map((f) => f.close()));
});

describe('executeSQLQuery response bytes (wire-formats §3.3)', () => {
  it('answers with the ns: root, unqualified return/row, the echoed sequence and utf-8 declaration', async () => {
    const r = await axl(imp, "SELECT count(*) from processnode WHERE systemnode='f' and tknodeusage= 0", { version: '8.0', sequence: '1563080407841' });
    expect(r.status).toBe(200);
    // The [WIRE] capture of TechNote 217581 answered 2: the CUCM and the IM&P publishers.
    expect(r.body).toBe(
      `${ENV_OPEN}<ns:executeSQLQueryResponse sequence="1563080407841" xmlns:ns="http://www.cisco.com/AXL/API/8.0"><return><row><count>2</count></row></return></ns:executeSQLQueryResponse>${ENV_CLOSE}`,
    );
    expect(cucm.stats.axlRequests + imp.stats.axlRequests).toBeGreaterThanOrEqual(1);
  });

  it('answers an empty result with an empty return, and omits sequence when none was sent', async () => {
    const r = await axl(cucm, "select userid from enduser where userid = 'nobody-here'");
    expect(r.body).toBe(`${ENV_OPEN}<ns:executeSQLQueryResponse xmlns:ns="http://www.cisco.com/AXL/API/14.0"><return/></ns:executeSQLQueryResponse>${ENV_CLOSE}`);
  });
});

describe('the SQL subset over the lab state', () => {
  it('counts 75,000 users and pages them with skip/first in O(first)', async () => {
    const count = await axl(cucm, 'select count(*) from enduser');
    expect(rows(count.body)).toEqual([{ count: '75000' }]);
    const page = await axl(cucm, 'select skip 74990 first 20 pkid, userid, directoryuri from enduser');
    const got = rows(page.body);
    expect(got).toHaveLength(10);
    for (let k = 0; k < 10; k++) {
      const u = cucm.cluster.users.user(74990 + k);
      expect(got[k]).toEqual({ pkid: u.pkid, userid: u.userid, directoryuri: u.directoryuri });
    }
    expect(page.ms).toBeLessThan(1000);
  });

  it('pages an ORDER BY walk without gaps or overlaps', async () => {
    const pageSize = 500;
    const seen: string[] = [];
    for (let p = 0; p < 4; p++) {
      const r = await axl(cucm, `select skip ${p * pageSize} first ${pageSize} userid from enduser order by userid`);
      expect(r.status).toBe(200);
      seen.push(...rows(r.body).map((x) => x.userid!));
    }
    expect(seen).toHaveLength(4 * pageSize);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
    const all = Array.from({ length: 75_000 }, (_, i) => cucm.cluster.users.user(i).userid).sort();
    expect(seen).toEqual(all.slice(0, 4 * pageSize));
  });

  it('finds one user by userid with the IM&P enduser columns of TechNote 217518, in order', async () => {
    const u = imp.cluster.users.user(1234);
    const r = await axl(imp, `select * from enduser where enduser.userid = '${u.userid}'`);
    const got = rows(r.body);
    expect(got).toHaveLength(1);
    expect(Object.keys(got[0]).join(' ')).toBe(
      'pkid userid xcp_user_id tkuserlocale imaddress xep106imaddress directoryuri mailid status fkdirectorypluginconfig deletedtimestamp passwordreverse tkuserprofile tkassignmentstate ocsprimaryuseraddress fkucccmcipprofile tkphonepresence primarynodeid xep106userid xep106mailid auth_pwd login_stamp logout_stamp auth_count pwd_stamp last_status fkucserviceprofile enablecalendarpresence enablecups discoveryuseridentity',
    );
    expect(got[0].userid).toBe(u.userid);
    expect(got[0].directoryuri).toBe(u.directoryuri);
    expect(got[0].primarynodeid).toBe(String(lab.node(u.homeNode!)!.nodeId));
    expect(got[0].enablecups).toBe('t');
    expect(got[0].deletedtimestamp).toBeNull();
  });

  it('filters with LIKE, comparisons and boolean logic (XML-escaped SQL)', async () => {
    const r = await axl(cucm, "select first 5 userid, status from enduser where (userid like 'a%' or userid < 'b') and status = 1 and not directoryuri = ''");
    const got = rows(r.body);
    expect(got).toHaveLength(5);
    for (const x of got) {
      expect(x.userid!.startsWith('a')).toBe(true);
      expect(x.status).toBe('1');
    }
  });

  it('describes the topology: processnode, presence redundancy groups, enterprisenode, ClusterID', async () => {
    const pn = rows((await axl(cucm, "select name, nodeid, tkprocessnoderole, systemnode, tknodeusage from processnode order by nodeid")).body);
    expect(pn).toEqual([
      { name: 'EnterpriseWideData', nodeid: '1', tkprocessnoderole: '1', systemnode: 't', tknodeusage: '0' },
      { name: 'cucm01-pub', nodeid: String(cucm.nodeId), tkprocessnoderole: '1', systemnode: 'f', tknodeusage: '0' },
      { name: 'imp01-pub', nodeid: String(imp.nodeId), tkprocessnoderole: '2', systemnode: 'f', tknodeusage: '0' },
      { name: 'imp01-sub1', nodeid: String(impSub.nodeId), tkprocessnoderole: '2', systemnode: 'f', tknodeusage: '1' },
    ]);
    const groups = rows((await axl(imp, 'select name, haenabled, pkid from enterprisesubcluster')).body);
    expect(groups.map((g) => [g.name, g.haenabled])).toEqual(imp.cluster.groups.map((g) => [g.name, g.haEnabled ? 't' : 'f']));
    const en = rows((await axl(imp, 'select name, isprimary, tkhaserverstate, fksubcluster from enterprisenode')).body);
    expect(en.map((n) => [n.name, n.isprimary])).toEqual([['imp01-pub', 't'], ['imp01-sub1', 'f']]);
    expect(en[0].fksubcluster).toBe(groups[0].pkid);
    expect(en[0].tkhaserverstate).toBe(imp.ha!.state === 'Normal' ? '3' : en[0].tkhaserverstate);
    const cid = rows((await axl(cucm, "select paramvalue from processconfig where paramname = 'ClusterID'")).body);
    expect(cid).toEqual([{ paramvalue: 'cucm01' }]);
  });
});

describe('AXL faults (wire-formats §3.6)', () => {
  it('answers SQL it does not understand with an Informix fault, never an empty result', async () => {
    const syntax = await axl(cucm, 'selec userid from enduser');
    expect(syntax.status).toBe(500);
    expect(syntax.body).toBe(axlFault('A syntax error has occurred.', -201));
    expect((await axl(cucm, 'select userid from enduser group by userid')).body).toBe(axlFault('A syntax error has occurred.', -201));
    expect((await axl(cucm, 'update enduser set status = 0')).body).toBe(axlFault('A syntax error has occurred.', -201));
    expect((await axl(cucm, 'select * from nosuchtable')).body).toBe(axlFault('The specified table (nosuchtable) is not in the database.', -206));
    expect((await axl(cucm, 'select nosuchcolumn from enduser')).body).toBe(axlFault('Column (nosuchcolumn) not found in any table in the query (or SLV is undefined).', -217));
  });

  it('refuses results over 8 MB with the verbatim "Query request too large" fault', async () => {
    const r = await axl(imp, 'select * from enduser');
    expect(r.status).toBe(500);
    const m = /<faultstring>Query request too large\. Total rows matched: (\d+) rows\. Suggestive Row Fetch: less than (\d+) rows<\/faultstring>/.exec(r.body);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(75_000);
    const suggested = Number(m![2]);
    expect(suggested).toBeGreaterThan(1000);
    expect(suggested).toBeLessThan(75_000);
    expect(r.body).toBe(axlFault(`Query request too large. Total rows matched: 75000 rows. Suggestive Row Fetch: less than ${suggested} rows`, -1));
    // The suggested page size fits.
    const ok = await axl(imp, `select first ${suggested - 1} * from enduser`);
    expect(ok.status).toBe(200);
    expect(Buffer.byteLength(ok.body)).toBeLessThan(lab.settings.axlMaxResponseBytes + 4096);
  });

  it('allows one query at a time per publisher ("Maximum AXL Memory Allocation Consumed")', async () => {
    cucm.faults.slowMs = 300;
    try {
      const [a, b] = await Promise.all([axl(cucm, 'select count(*) from enduser'), new Promise<Reply>((r) => setTimeout(() => r(axl(cucm, 'select count(*) from enduser')), 50))]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(500);
      expect(b.body).toBe(axlFault('Maximum AXL Memory Allocation Consumed. Please retry once requests in progress have completed', -1));
    } finally {
      cucm.faults.slowMs = 0;
    }
    expect((await axl(cucm, 'select count(*) from enduser')).status).toBe(200);
  });

  it('checks SOAPAction against the namespace version; without SOAPAction the namespace decides', async () => {
    const mismatch = await axl(cucm, 'select count(*) from enduser', { version: '14.0', soapAction: '"CUCM:DB ver=12.5 executeSQLQuery"' });
    expect(mismatch.status).toBe(500);
    expect(mismatch.body).toContain('<faultcode>soapenv:Client</faultcode>');
    expect(mismatch.body).toContain('<axlError><axlcode>-1</axlcode>');
    const none = await axl(cucm, 'select count(*) from enduser', { version: '12.5', soapAction: null });
    expect(none.status).toBe(200);
    expect(none.body).toContain('xmlns:ns="http://www.cisco.com/AXL/API/12.5"');
  });

  it('answers 503 on a subscriber, which does not serve AXL', async () => {
    const r = await axl(impSub, 'select count(*) from enduser');
    expect(r.status).toBe(503);
  });
});
