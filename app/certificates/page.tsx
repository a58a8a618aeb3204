// Certificates (/certificates): every certificate seen on the TLS ports and in the CLI inventory,
// one row each; expired and expiring first; sortable, filterable (all in the query string), CSV.
import type { Metadata } from 'next';
import Link from 'next/link';
import { certificatesModel, type CertificateFilter } from '../../collectors/views/certificates';
import { commonName, formatTime } from '../../collectors/views/format';
import { toQueryString } from '../../collectors/views/query';
import { DataAge } from '../components/data-age';
import { FilterForm } from '../components/filter-form';
import { ScopeFilters } from '../components/scope-filters';
import { LiveRefresh } from '../components/live-refresh';
import { SortHeader } from '../components/sort-header';
import { EmptyState, NoRuntime } from '../components/states';
import { TableNav } from '../components/table-nav';
import { fleetInput, type SearchParams } from '../lib/fleet';
import { getRuntime } from '../lib/runtime';
import { freshness } from '../../collectors/views/freshness';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Certificates' };

const STATUS_LABEL = { expired: 'Expired', critical: 'Expiring (critical)', warning: 'Expiring', ok: 'OK' } as const;

export default async function CertificatesPage({ searchParams }: { searchParams: SearchParams }) {
  const rt = getRuntime();
  if (!rt) return <NoRuntime />;
  const input = fleetInput(rt);
  const m = certificatesModel(input, await searchParams);
  const f = m.filter;
  const params = filterParams(f);
  const t = rt.inventory.thresholds;
  return (
    <>
      <div className="page-head">
        <h1>Certificates</h1>
        <p className="meta">
          <span>
            Served on the TLS ports and listed by <code>show cert list own</code>. Expiring: {t.certificateWarningDays} days or less (critical at {t.certificateCriticalDays}).
          </span>
        </p>
        <DataAge freshness={freshness(input.observations, input.now, (o) => o.source === 'certificates')} collecting={input.collecting} />
      </div>
      <section aria-label="Filters">
        <FilterForm action="/certificates" label="Certificate filters">
          <ScopeFilters clusters={m.clusters} nodes={m.nodes} cluster={f.cluster} node={f.node} />
          <label>
            Unit
            <select name="unit" defaultValue={f.unit ?? ''}>
              <option value="">All units</option>
              {m.units.map((u) => (
                <option key={u}>{u}</option>
              ))}
            </select>
          </label>
          <label>
            Status
            <select name="status" defaultValue={f.status}>
              <option value="all">All</option>
              <option value="expired">Expired</option>
              <option value="expiring">Expiring</option>
              <option value="ok">OK</option>
            </select>
          </label>
          <label>
            Search
            <input type="search" name="q" defaultValue={f.q ?? ''} placeholder="subject, SAN, issuer, serial" />
          </label>
          {f.sort !== 'status' && <input type="hidden" name="sort" value={f.sort} />}
          {f.dir !== 'asc' && <input type="hidden" name="dir" value={f.dir} />}
          <p className="actions">
            <a className="button" href={`/certificates/csv${toQueryString({ ...params, sort: f.sort === 'status' ? undefined : f.sort, dir: f.dir === 'asc' ? undefined : f.dir })}`} download data-testid="certificates-csv">
              Download CSV
            </a>
            <Link href="/certificates" prefetch={false}>
              Clear filters
            </Link>
          </p>
        </FilterForm>
        <p className="hint" data-testid="certificate-counts">
          {m.total} certificate{m.total === 1 ? '' : 's'}: {m.counts.expired} expired, {m.counts.critical + m.counts.warning} expiring, {m.counts.ok} OK.
          {m.pending > 0 && ` ${m.pending} nodes not read yet.`}
        </p>
        {m.unreadable.length > 0 && (
          <p className="stale-banner" data-testid="certificates-unreadable">
            <strong>Certificates of {m.unreadable.length} node{m.unreadable.length === 1 ? '' : 's'} are not current</strong> and not listed:{' '}
            {m.unreadable
              .slice(0, 6)
              .map((u) => `${u.node} (${u.state}${u.error ? `: ${u.error.split(':')[0]}` : ''})`)
              .join(', ')}
            {m.unreadable.length > 6 ? ', …' : ''}
          </p>
        )}
      </section>
      <section aria-label="Certificate list">
        {m.rows.length === 0 ? (
          <EmptyState title="No certificate matches these filters" />
        ) : (
          <TableNav label="Certificates">
            <table data-testid="certificates">
              <thead>
                <tr>
                  {(
                    [
                      ['status', 'Status'],
                      ['cluster', 'Cluster'],
                      ['node', 'Node'],
                      ['unit', 'Unit'],
                      ['subject', 'Subject'],
                      ['issuer', 'Issuer'],
                    ] as const
                  ).map(([col, label]) => (
                    <SortHeader key={col} label={label} column={col} sort={f.sort} dir={f.dir} params={params} path="/certificates" />
                  ))}
                  <th scope="col">SANs</th>
                  <SortHeader label="Not after" column="notAfter" sort={f.sort} dir={f.dir} params={params} path="/certificates" />
                  <SortHeader label="Days left" column="daysLeft" sort={f.sort} dir={f.dir} params={params} path="/certificates" className="num" />
                  <SortHeader label="Signed" column="signed" sort={f.sort} dir={f.dir} params={params} path="/certificates" />
                  <SortHeader label="Verification" column="verification" sort={f.sort} dir={f.dir} params={params} path="/certificates" />
                </tr>
              </thead>
              <tbody>
                {m.rows.map((r) => (
                  <tr key={r.id} id={r.id} data-cluster={r.cluster} data-node={r.node} data-unit={r.unit} data-status={r.status}>
                    <td>
                      <span className={`badge health-${r.status === 'expired' ? 'critical' : r.status}`}>{STATUS_LABEL[r.status]}</span>
                    </td>
                    <td>{r.cluster}</td>
                    <td className="nowrap">
                      <Link href={`${r.nodeHref}#certificates`} prefetch={false}>
                        {r.node}
                      </Link>
                    </td>
                    <td className="nowrap" title={r.seen.map((s) => (s.source === 'tls' ? `TLS port ${s.port}` : `CLI ${s.file ?? ''}`)).join(', ')}>
                      {r.unit}
                      <div className="muted" style={{ fontSize: '0.75rem' }}>
                        {r.seen.map((s) => (s.source === 'tls' ? `:${s.port}` : 'CLI')).join(' ')}
                      </div>
                    </td>
                    <td title={r.subject}>{commonName(r.subject)}</td>
                    <td title={r.issuer}>{commonName(r.issuer)}</td>
                    <td className="sans">{r.sans.join(', ')}</td>
                    <td className="nowrap">{formatTime(r.notAfter).slice(0, 10)}</td>
                    <td className="num" data-field="days-left">
                      {r.daysLeft}
                    </td>
                    <td>{r.selfSigned ? 'self-signed' : 'CA-signed'}</td>
                    <td className={r.verification === 'not verified' ? 'health-text-warning' : undefined}>{r.verification}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableNav>
        )}
        {m.rows.length < m.total && (
          <p>
            Showing {m.rows.length} of {m.total}.{' '}
            <Link href={`/certificates${toQueryString({ ...params, sort: f.sort === 'status' ? undefined : f.sort, dir: f.dir === 'asc' ? undefined : f.dir, limit: m.total })}`} prefetch={false} scroll={false}>
              Show all
            </Link>
          </p>
        )}
      </section>
      <LiveRefresh />
    </>
  );
}

/** The filters as query parameters (sorting is added by the links that need it). */
function filterParams(f: CertificateFilter): Record<string, string | undefined> {
  return { cluster: f.cluster, node: f.node, unit: f.unit, status: f.status === 'all' ? undefined : f.status, q: f.q };
}
