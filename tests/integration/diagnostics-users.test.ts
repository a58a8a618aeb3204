// The User Troubleshooter and Inter-clustering Troubleshooter checks against the lab over real
// sockets (AXL paged through each IM&P publisher, Control Center, TLS, the admin CLI): every check
// passes on the healthy lab, and fails on the faulty one naming exactly the users, clusters, nodes
// and certificates the fault touched — the expected names computed from the lab's own users.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabUser } from '../../lab/model';
import { itemsOf, startDiagRig, type DiagRig } from './diagnostics-rig';

let rig: DiagRig;

beforeAll(async () => {
  rig = await startDiagRig({ addressBase: '127.132', clusters: 3, nodes: 2, users: 300 });
});

afterAll(async () => {
  await rig?.stop();
});

/** Every assigned user of every IM&P cluster as the lab holds it (the oracle). */
function labUsers(): Array<LabUser & { cluster: string }> {
  const out: Array<LabUser & { cluster: string }> = [];
  for (const c of rig.lab.deployment.clusters.filter((x) => x.product === 'imp')) {
    for (let i = 0; i < c.users.count; i++) {
      const u = c.users.user(i);
      if (u.homeNode) out.push({ ...u, cluster: c.name });
    }
  }
  return out;
}

/** The users whose `field` value (ignoring case) is held by more than one user. */
function sharing(field: 'userid' | 'directoryuri' | 'mailid'): string[] {
  const all = labUsers().filter((u) => u[field].trim() !== '' && (field !== 'directoryuri' || /^[^@\s]+@[a-zA-Z0-9.-]+$/.test(u[field])));
  const n = new Map<string, number>();
  for (const u of all) n.set(u[field].toLowerCase(), (n.get(u[field].toLowerCase()) ?? 0) + 1);
  return all.filter((u) => n.get(u[field].toLowerCase())! > 1).map((u) => `failed:${u.cluster}/${u.homeNode}:${u.userid}`).sort();
}

describe('on the healthy lab', () => {
  it('every user and inter-clustering check passes (Associated Users is skipped: no API shows it)', async () => {
    const out = await rig.run(['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'IC-SCHEME', 'IC-DOMAIN', 'IC-DOMAIN-SYNTAX', 'IC-S2S', 'IC-SERVICES', 'IC-PEERS', 'IC-PEER-USERS', 'IC-PEER-CERTS']);
    expect(out.status).toBe('completed');
    const notPassed = out.results.filter((r) => r.status !== 'passed').map((r) => `${r.checkId}: ${r.status} ${r.summary}`);
    expect(notPassed).toEqual([expect.stringMatching(/^IC-PEER-USERS: skipped Associated Users should read: imp01 → imp02: 300; imp01 → imp03: 300/)]);
    expect(out.summary.users).toEqual({ clusters: 3, users: 900 });
    // AXL pages went to the IM&P publishers only: one processnode query plus the pages of 300 users.
    for (const c of ['imp01', 'imp02', 'imp03']) expect(out.summary.requests.byNode[`${c}/${c}-pub`].axl).toBe(2);
  });
});

describe('on the faulty lab', () => {
  it('U1 and U3 name every user sharing a user ID or a directory URI, with its cluster and node', async () => {
    const f = rig.fault('duplicate-users', 'imp02', { count: 6, field: 'both', from: 'imp01', mailid: 'keep' });
    try {
      const u1 = await rig.check('U1');
      expect(u1.status).toBe('failed');
      expect(itemsOf(u1)).toEqual(sharing('userid'));
      expect(itemsOf(u1)).toHaveLength(6);
      expect(u1.items.every((i) => i.fix?.includes('/ccmadmin/userEdit.do?key='))).toBe(true);
      const u3 = await rig.check('U3');
      expect(u3.status).toBe('failed');
      expect(itemsOf(u3)).toEqual(sharing('directoryuri'));
      expect(itemsOf(u3)).toHaveLength(6);
      expect((await rig.check('U5')).status).toBe('passed');
    } finally {
      rig.clear(f);
    }
  });

  it('U2 and U4 name the users without or with an invalid directory URI', async () => {
    const f = rig.fault('invalid-uris', 'imp03', { count: 6 });
    try {
      const empty = labUsers().filter((u) => u.directoryuri === '').map((u) => `failed:${u.cluster}/${u.homeNode}:${u.userid}`).sort();
      const invalid = labUsers().filter((u) => u.directoryuri !== '' && !/^[^@\s]+@[a-zA-Z0-9.-]+$/.test(u.directoryuri)).map((u) => `failed:${u.cluster}/${u.homeNode}:${u.userid}`).sort();
      expect(empty).toHaveLength(2);
      expect(invalid).toHaveLength(4);
      expect(itemsOf(await rig.check('U2'))).toEqual(empty);
      expect(itemsOf(await rig.check('U4'))).toEqual(invalid);
    } finally {
      rig.clear(f);
    }
  });

  it('U5 names the users sharing a mail ID', async () => {
    const f = rig.fault('duplicate-mail', 'imp01', { count: 3, from: 'imp03' });
    try {
      const r = await rig.check('U5');
      expect(r.status).toBe('failed');
      expect(itemsOf(r)).toEqual(sharing('mailid'));
      expect(itemsOf(r)).toHaveLength(6);
    } finally {
      rig.clear(f);
    }
  });

  it('U6 names the users whose directory URI is another user\'s IM address, and that user', async () => {
    const f = rig.fault('im-address-collision', 'imp01', { count: 2, from: 'imp02' });
    try {
      const all = labUsers();
      const expected = all
        .filter((u) => u.cluster === 'imp01' && /^[a-z]+\d+@example\.com$/.test(u.directoryuri))
        .flatMap((u) => {
          const owner = all.find((o) => `${o.userid}@example.com` === u.directoryuri)!;
          return [`failed:${u.cluster}/${u.homeNode}:${u.userid}`, `failed:${owner.cluster}/${owner.homeNode}:${owner.userid}`];
        })
        .sort();
      expect(expected).toHaveLength(4);
      const r = await rig.check('U6');
      expect(r.status).toBe('failed');
      expect(itemsOf(r)).toEqual(expected);
    } finally {
      rig.clear(f);
    }
  });

  it('IC-SCHEME names the cluster whose IM address scheme is out of step with its peers', async () => {
    const f = rig.fault('im-address-scheme', 'imp02', { scheme: 'directoryuri' });
    try {
      const r = await rig.check('IC-SCHEME');
      expect(r.status).toBe('failed');
      expect(itemsOf(r)).toEqual(['failed:imp02/:imp02']);
      expect(r.items[0].detail).toContain('Directory URI');
    } finally {
      rig.clear(f);
    }
  });

  it('IC-DOMAIN names the cluster left with DOMAIN.NOT.SET', async () => {
    const f = rig.fault('default-domain', 'imp03');
    try {
      const r = await rig.check('IC-DOMAIN');
      expect(r.status).toBe('failed');
      expect(itemsOf(r)).toEqual(['failed:imp03/:imp03']);
      expect(r.items[0].detail).toContain('DOMAIN.NOT.SET');
    } finally {
      rig.clear(f);
    }
  });

  it('IC-DOMAIN-SYNTAX names an invalid IM domain; IC-S2S names the nodes whose cup-xmpp-s2s lacks a hosted domain', async () => {
    const bad = rig.fault('default-domain', 'imp01', { domain: 'Abc.1om' });
    const other = rig.fault('default-domain', 'imp02', { domain: 'sales.example.com' });
    try {
      const syntax = await rig.check('IC-DOMAIN-SYNTAX');
      expect(itemsOf(syntax)).toEqual(['failed:imp01/:abc.1om']);
      const s2s = await rig.check('IC-S2S');
      expect(s2s.status).toBe('warning');
      expect(itemsOf(s2s)).toEqual([
        'warning:imp01/imp01-pub:cup-xmpp-s2s on imp01-pub',
        'warning:imp01/imp01-sub1:cup-xmpp-s2s on imp01-sub1',
        'warning:imp02/imp02-pub:cup-xmpp-s2s on imp02-pub',
        'warning:imp02/imp02-sub1:cup-xmpp-s2s on imp02-sub1',
      ]);
      expect(s2s.items.find((i) => i.cluster === 'imp02')!.detail).toContain('lack sales.example.com');
    } finally {
      rig.clear(bad);
      rig.clear(other);
    }
  });

  it('IC-SERVICES names the intercluster services that are not running', async () => {
    const f = rig.fault('service-stop', 'imp03-sub1', { service: 'Cisco Intercluster Sync Agent' });
    try {
      const r = await rig.check('IC-SERVICES');
      expect(r.status).toBe('failed');
      expect(itemsOf(r)).toEqual(['failed:imp03/imp03-sub1:Cisco Intercluster Sync Agent']);
    } finally {
      rig.clear(f);
    }
  });

  it('IC-PEERS names the unreachable peer from both other clusters', async () => {
    const f = rig.fault('node-down', 'imp02-pub');
    try {
      const r = await rig.check('IC-PEERS');
      expect(r.status).toBe('failed');
      expect(itemsOf(r)).toEqual(['failed:imp01/imp02-pub:imp02', 'failed:imp03/imp02-pub:imp02']);
    } finally {
      rig.clear(f);
    }
  });

  it('IC-PEER-CERTS names the peer tomcat certificate the other clusters do not trust', async () => {
    const f = rig.fault('cert-self-signed', 'imp03-sub1');
    try {
      const r = await rig.check('IC-PEER-CERTS');
      expect(r.status).toBe('failed');
      expect(r.items.map((i) => `${i.group}:${i.cluster}/${i.node}:${i.label}`).sort()).toEqual(['imp01:imp03/imp03-sub1:tomcat on imp03-sub1', 'imp02:imp03/imp03-sub1:tomcat on imp03-sub1']);
      expect(r.items[0].detail).toMatch(/^Self-signed/);
    } finally {
      rig.clear(f);
    }
  });

  it('after the faults are cleared every check passes again', async () => {
    const out = await rig.run(['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'IC-SCHEME', 'IC-DOMAIN', 'IC-DOMAIN-SYNTAX', 'IC-SERVICES', 'IC-PEERS', 'IC-PEER-CERTS']);
    expect(out.results.filter((r) => r.status !== 'passed').map((r) => `${r.checkId}: ${r.summary}`)).toEqual([]);
  });
});
