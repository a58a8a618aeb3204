// The tables the lab's AXL answers from, as the CUCM/IM&P Informix database names them
// (wire-formats §3.5). enduser is virtual (rows generated on demand from the user directory);
// the topology tables are small and rebuilt from live state on each query.
import { createHash } from 'node:crypto';
import type { LabCluster, LabDeployment, LabNode, LabUser } from '../../model';

export type Cell = string | number | null;
export type Row = Record<string, Cell>;
export type ColumnType = 'text' | 'int';

export interface SqlTable {
  readonly name: string;
  readonly columns: ReadonlyArray<{ name: string; type: ColumnType }>;
  readonly size: number;
  row(index: number): Row;
  /** Row indexes whose `column` equals `value` exactly, when the table can answer without a scan. */
  lookup?(column: string, value: string): number[] | undefined;
  /** Identity for caches of derived data (sort orders); equal identities describe the same rows. */
  readonly identity: object;
}

/** Lower-case UUID without braces, stable per name (SQL returns pkids in this form, §3.1). */
export function stableUuid(...parts: Array<string | number>): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const bool = (b: boolean) => (b ? 't' : 'f');

/** CUCM and its IM&P clusters share one processnode/presence-group view (IM&P replicates it from CUCM). */
function family(cluster: LabCluster, lab: LabDeployment): { cucm?: LabCluster; imp: LabCluster[] } {
  const cucm = cluster.product === 'cucm' ? cluster : cluster.cucmCluster ? lab.cluster(cluster.cucmCluster) : undefined;
  const imp = lab.clusters.filter((c) => c.product === 'imp' && (c === cluster || (cucm !== undefined && c.cucmCluster === cucm.name)));
  return { cucm, imp };
}

function staticTable(name: string, columns: Array<[string, ColumnType]>, rows: Row[]): SqlTable {
  return { name, columns: columns.map(([n, type]) => ({ name: n, type })), size: rows.length, row: (i) => rows[i], identity: {} };
}

// Node usage (tknodeusage): 0 = publisher, 1 = subscriber; `systemnode='f' and tknodeusage=0` counts
// the CUCM and IM&P publishers (TechNote 217581 query answered 2, §3.3).
function processnode(cluster: LabCluster, lab: LabDeployment): SqlTable {
  const { cucm, imp } = family(cluster, lab);
  const nodes: LabNode[] = [...(cucm?.nodes ?? []), ...imp.flatMap((c) => c.nodes)].sort((a, b) => a.nodeId - b.nodeId);
  const rows: Row[] = [
    { pkid: stableUuid('processnode', cluster.name, 'EnterpriseWideData'), name: 'EnterpriseWideData', description: '', mac: '', systemnode: 't', nodeid: 1, tkprocessnoderole: 1, tknodeusage: 0, isactive: 't' },
    ...nodes.map((n) => ({
      pkid: stableUuid('processnode', n.name),
      name: n.name,
      description: n.fqdn,
      mac: '',
      systemnode: 'f',
      nodeid: n.nodeId,
      tkprocessnoderole: n.product === 'cucm' ? 1 : 2,
      tknodeusage: n.role === 'publisher' ? 0 : 1,
      isactive: 't',
    })),
  ];
  return staticTable(
    'processnode',
    [['pkid', 'text'], ['name', 'text'], ['description', 'text'], ['mac', 'text'], ['systemnode', 'text'], ['nodeid', 'int'], ['tkprocessnoderole', 'int'], ['tknodeusage', 'int'], ['isactive', 'text']],
    rows,
  );
}

function groupPkid(name: string): string {
  return stableUuid('enterprisesubcluster', name);
}

function enterprisesubcluster(cluster: LabCluster, lab: LabDeployment): SqlTable {
  const groups = family(cluster, lab).imp.flatMap((c) => c.groups);
  return staticTable(
    'enterprisesubcluster',
    [['pkid', 'text'], ['name', 'text'], ['description', 'text'], ['haenabled', 'text']],
    groups.map((g) => ({ pkid: groupPkid(g.name), name: g.name, description: '', haenabled: bool(g.haEnabled) })),
  );
}

// typehaserverstate: 2 idle, 3 normal, 4 backup are documented (§3.5); the other values are the
// lab's numbering of the remaining ha.md §1 states, in the order the states are listed there.
const HA_SERVER_STATE: ReadonlyArray<[string, number]> = [
  ['unknown', 0],
  ['initializing', 1],
  ['idle', 2],
  ['normal', 3],
  ['running in backup mode', 4],
  ['backup mode', 4],
  ['taking over', 5],
  ['failing over', 6],
  ['failed over', 7],
  ['failed over with critical services not running', 8],
  ['falling back', 9],
  ['taking back', 10],
  ['running in failed mode', 11],
];

export function haServerState(state: string | undefined): number {
  const s = (state ?? 'unknown').toLowerCase();
  return HA_SERVER_STATE.find(([name]) => name === s)?.[1] ?? 0;
}

function enterprisenode(cluster: LabCluster, lab: LabDeployment): SqlTable {
  const rows: Row[] = [];
  for (const c of family(cluster, lab).imp) {
    for (const g of c.groups) {
      g.nodes.forEach((n, k) =>
        rows.push({
          pkid: stableUuid('enterprisenode', n.name),
          name: n.name,
          isprimary: bool(k === 0),
          tkhaserverstate: haServerState(n.ha?.state),
          fksubcluster: groupPkid(g.name),
          fkprocessnode: stableUuid('processnode', n.name),
        }),
      );
    }
  }
  return staticTable(
    'enterprisenode',
    [['pkid', 'text'], ['name', 'text'], ['isprimary', 'text'], ['tkhaserverstate', 'int'], ['fksubcluster', 'text'], ['fkprocessnode', 'text']],
    rows,
  );
}

function processconfig(cluster: LabCluster): SqlTable {
  // Only the cluster-wide ClusterID enterprise parameter (§3.5: paramname = 'ClusterID').
  return staticTable(
    'processconfig',
    [['pkid', 'text'], ['fkprocessnode', 'text'], ['tkservice', 'int'], ['paramname', 'text'], ['paramvalue', 'text']],
    [{ pkid: stableUuid('processconfig', cluster.name, 'ClusterID'), fkprocessnode: stableUuid('processnode', cluster.name, 'EnterpriseWideData'), tkservice: 11, paramname: 'ClusterID', paramvalue: cluster.name }],
  );
}

const CUCM_ENDUSER: Array<[string, ColumnType]> = [
  ['pkid', 'text'], ['firstname', 'text'], ['middlename', 'text'], ['lastname', 'text'], ['userid', 'text'],
  ['department', 'text'], ['status', 'int'], ['islocaluser', 'text'], ['directoryuri', 'text'], ['mailid', 'text'],
];

// IM&P enduser, column list verbatim from TechNote 217518 (§3.5).
const IMP_ENDUSER: Array<[string, ColumnType]> = [
  ['pkid', 'text'], ['userid', 'text'], ['xcp_user_id', 'int'], ['tkuserlocale', 'int'], ['imaddress', 'text'],
  ['xep106imaddress', 'text'], ['directoryuri', 'text'], ['mailid', 'text'], ['status', 'int'],
  ['fkdirectorypluginconfig', 'text'], ['deletedtimestamp', 'int'], ['passwordreverse', 'text'], ['tkuserprofile', 'int'],
  ['tkassignmentstate', 'int'], ['ocsprimaryuseraddress', 'text'], ['fkucccmcipprofile', 'text'], ['tkphonepresence', 'int'],
  ['primarynodeid', 'int'], ['xep106userid', 'text'], ['xep106mailid', 'text'], ['auth_pwd', 'text'], ['login_stamp', 'int'],
  ['logout_stamp', 'int'], ['auth_count', 'int'], ['pwd_stamp', 'int'], ['last_status', 'text'], ['fkucserviceprofile', 'text'],
  ['enablecalendarpresence', 'text'], ['enablecups', 'text'], ['discoveryuseridentity', 'text'],
];

/** XEP-0106 escaping of a JID node (the xep106* columns). */
function xep106(s: string): string {
  return s.replace(/[ "&'/:<>@\\]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function cucmUserRow(u: LabUser): Row {
  return {
    pkid: u.pkid, firstname: u.firstname, middlename: null, lastname: u.lastname, userid: u.userid,
    department: u.department, status: u.status, islocaluser: 'f', directoryuri: u.directoryuri, mailid: u.mailid,
  };
}

function impUserRow(u: LabUser, index: number, cluster: LabCluster, lab: LabDeployment): Row {
  const home = u.homeNode ? lab.node(u.homeNode) : undefined;
  // The IM address IM&P derives from the cluster's scheme: UserID@[Default_Domain] (a UPN user ID has
  // its first @ escaped, userid-uri-troubleshooter.md §1.3) or the directory URI.
  const imaddress = cluster.imAddressScheme === 'directoryuri' ? u.directoryuri : `${u.userid.replace('@', '%20%')}@${cluster.defaultDomain}`;
  return {
    pkid: u.pkid,
    userid: u.userid,
    xcp_user_id: 10000 + index,
    tkuserlocale: 1,
    imaddress,
    xep106imaddress: imaddress,
    directoryuri: u.directoryuri,
    mailid: u.mailid,
    status: u.status,
    fkdirectorypluginconfig: null,
    deletedtimestamp: null,
    passwordreverse: null,
    tkuserprofile: null,
    tkassignmentstate: home ? 1 : 0,
    ocsprimaryuseraddress: null,
    fkucccmcipprofile: null,
    tkphonepresence: 0,
    primarynodeid: home ? home.nodeId : null,
    xep106userid: xep106(u.userid),
    xep106mailid: xep106(u.mailid),
    auth_pwd: null,
    login_stamp: null,
    logout_stamp: null,
    auth_count: 0,
    pwd_stamp: null,
    last_status: null,
    fkucserviceprofile: null,
    enablecalendarpresence: 'f',
    enablecups: bool(home !== undefined),
    discoveryuseridentity: null,
  };
}

function enduser(cluster: LabCluster, lab: LabDeployment): SqlTable {
  const users = cluster.users;
  const imp = cluster.product === 'imp';
  return {
    name: 'enduser',
    columns: (imp ? IMP_ENDUSER : CUCM_ENDUSER).map(([name, type]) => ({ name, type })),
    size: users.count,
    row: (i) => (imp ? impUserRow(users.user(i), i, cluster, lab) : cucmUserRow(users.user(i))),
    // User IDs are unique inside a cluster (duplicates exist only across clusters), so one probe answers.
    lookup: (column, value) => {
      if (column !== 'userid') return undefined;
      const i = users.indexOf(value);
      return i >= 0 ? [i] : [];
    },
    identity: users,
  };
}

const TABLES: Record<string, (cluster: LabCluster, lab: LabDeployment) => SqlTable> = {
  enduser,
  processnode,
  enterprisesubcluster,
  enterprisenode,
  processconfig: (c) => processconfig(c),
};

export function openTable(name: string, cluster: LabCluster, lab: LabDeployment): SqlTable | undefined {
  const make = Object.hasOwn(TABLES, name) ? TABLES[name] : undefined;
  return make?.(cluster, lab);
}
