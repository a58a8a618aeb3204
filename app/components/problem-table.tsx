// The "wrong now" list: severity, cluster, node, what (linking where to look) and since when.
import Link from 'next/link';
import type { Problem } from '../../collectors/views/problems';
import { SeverityBadge } from './badges';
import { Since } from './since';
import { TableNav } from './table-nav';

export function ProblemTable({ problems, now, showCluster = true, label = 'Problems' }: { problems: Problem[]; now: number; showCluster?: boolean; label?: string }) {
  return (
    <TableNav label={label}>
      <table className="problem-table">
        <thead>
          <tr>
            <th scope="col">Severity</th>
            {showCluster && <th scope="col">Cluster</th>}
            <th scope="col">Node</th>
            <th scope="col">What</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p) => (
            <tr key={p.id} data-problem={p.kind} data-cluster={p.cluster} data-node={p.node}>
              <td>
                <SeverityBadge severity={p.severity} />
              </td>
              {showCluster && (
                <td>
                  <Link href={`/clusters/${encodeURIComponent(p.cluster)}`} prefetch={false}>
                    {p.cluster}
                  </Link>
                </td>
              )}
              <td className="nowrap">{p.node}</td>
              <td>
                <Link href={p.href} prefetch={false} className="problem-what">
                  {p.what}
                </Link>
                {p.detail && <div className="problem-detail">{p.detail}</div>}
              </td>
              <td className="problem-since">
                <Since since={p.since} basis={p.sinceBasis} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableNav>
  );
}

export function SinceNote({ basis }: { basis: 'events' | 'observations' }) {
  return (
    <p className="hint" data-testid="since-basis" data-basis={basis}>
      {basis === 'events'
        ? 'Times are when the change was recorded in the event log.'
        : 'The event log is not available: times are those of the latest poll, not of the change.'}
    </p>
  );
}
