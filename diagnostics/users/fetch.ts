// Reads one IM&P cluster's end users through AXL on its publisher (reference/wire-formats.md §3.5):
// IM&P's own `enduser` replica carries each user's IM address and home node (`primarynodeid`, the
// processnode id of the IM&P node; NULL = not assigned, userid-uri-troubleshooter.md §4.8). Paged
// (`select skip N first M`, stable `order by pkid`), one query at a time per publisher (the
// engine's AXL queue), each page waiting for room in the node's request budget.
import type { AxlRow } from '../../collectors/clients/axl';
import type { SourceClients } from '../../collectors/sources/types';
import type { InventoryCluster } from '../../config/resolve';
import type { ClusterUsersReading } from './dataset';
import type { UserTable } from './table';

export interface FetchUsersOptions {
  pageSize: number;
  /** Per page: a first `order by` page of tens of thousands of users takes a large cluster a while. */
  pageTimeoutMs: number;
  /** Before each AXL request (budget, cancellation). */
  beforeRequest(): Promise<void>;
  onPage?(rows: number): void;
  signal?: AbortSignal;
}

const COLUMNS = 'pkid, userid, directoryuri, mailid, imaddress, primarynodeid';

/**
 * A string the table can keep without keeping the whole AXL page alive: the parser's substrings of
 * a large response are slices that hold their parent (8 MB per page); a copy made through a buffer
 * is flat and independent (and flat strings hash several times faster than slices or cons strings).
 */
function own(s: string | null | undefined): string {
  if (!s) return '';
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

export async function fetchClusterUsers(cluster: InventoryCluster, clients: SourceClients, table: UserTable, o: FetchUsersOptions): Promise<ClusterUsersReading> {
  const reading: ClusterUsersReading = { cluster: cluster.name, ok: false, assigned: 0, unassigned: 0, remote: 0, pages: 0 };
  // IM&P nodes by processnode id; only this cluster's own nodes are homes its users are read for.
  await o.beforeRequest();
  const nodes: AxlRow[] = await clients.axl.query('select name, nodeid from processnode where nodeid > 1 and tkprocessnoderole = 2 order by nodeid', { timeoutMs: o.pageTimeoutMs });
  reading.pages++;
  const own_ = new Set(cluster.nodes.map((n) => n.name.toLowerCase()));
  const ci = table.clusterOf(cluster.name);
  const homeById = new Map<string, number>();
  for (const r of nodes) {
    if (r.name && r.nodeid && (own_.has(r.name.toLowerCase()) || cluster.discoverNodes)) homeById.set(r.nodeid, table.nodeOf(ci, r.name));
  }
  const rest = `${COLUMNS} from enduser order by pkid`;
  let offset = 0;
  let size = o.pageSize;
  for (;;) {
    if (o.signal?.aborted) throw o.signal.reason;
    // One page per call (rather than queryPaged) so each request waits for budget room.
    const rows = await pageWithShrink(clients, rest, offset, size, (s) => (size = s), o);
    reading.pages++;
    for (const r of rows) {
      const home = r.primarynodeid;
      if (home === null || home === undefined || home === '') {
        reading.unassigned++;
        continue;
      }
      const node = homeById.get(home);
      if (node === undefined) {
        reading.remote++;
        continue;
      }
      table.add({ pkid: own(r.pkid), userid: own(r.userid), directoryUri: own(r.directoryuri), mail: own(r.mailid), imAddress: own(r.imaddress) }, ci, node);
      reading.assigned++;
    }
    o.onPage?.(rows.length);
    if (rows.length < size) break;
    offset += rows.length;
  }
  reading.ok = true;
  reading.at = Date.now();
  return reading;
}

const TOO_LARGE = /Query request too large.*Suggestive Row Fetch:\s*less than\s*(\d+)\s*rows/is;

/** One page; shrinks the page size as the node suggests when the answer would exceed 8 MB (§3.6). */
async function pageWithShrink(clients: SourceClients, rest: string, offset: number, size: number, setSize: (s: number) => void, o: FetchUsersOptions): Promise<AxlRow[]> {
  for (let shrinks = 0; ; shrinks++) {
    await o.beforeRequest();
    try {
      return await clients.axl.query(`select skip ${offset} first ${size} ${rest}`, { timeoutMs: o.pageTimeoutMs });
    } catch (err) {
      const m = TOO_LARGE.exec((err as { faultstring?: string }).faultstring ?? '');
      if (!m || shrinks >= 10) throw err;
      size = Math.max(1, Math.min(size - 1, Math.floor(Number(m[1]) * 0.9)));
      setSize(size);
    }
  }
}
