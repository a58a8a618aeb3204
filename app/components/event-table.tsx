// State changes as a table, newest first: time, (cluster, node,) kind, subject, from → to, detail.
import Link from 'next/link';
import { EVENT_KIND_LABEL } from '../../collectors/views/events';
import type { EventRecord } from '../../collectors/history/types';
import { nodeHref } from '../../collectors/views/readings';
import { HealthBadge, SeverityBadge } from './badges';
import { TableNav } from './table-nav';
import { Time } from './time';

export function EventTable({ rows, label, showNode = true, testId }: { rows: EventRecord[]; label: string; showNode?: boolean; testId?: string }) {
  return (
    <TableNav label={label}>
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {showNode && <th scope="col">Cluster</th>}
            {showNode && <th scope="col">Node</th>}
            <th scope="col">Kind</th>
            <th scope="col">Subject</th>
            <th scope="col">Change</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.id} data-kind={e.kind} data-node={e.node} data-severity={e.severity}>
              <td className="nowrap">
                <Time ms={e.at} />
              </td>
              {showNode && <td>{e.cluster}</td>}
              {showNode && (
                <td className="nowrap">
                  <Link href={nodeHref(e.cluster, e.node)} prefetch={false}>
                    {e.node}
                  </Link>
                </td>
              )}
              <td>{EVENT_KIND_LABEL[e.kind] ?? e.kind}</td>
              <td>{e.subject}</td>
              <td>
                {e.severity === 'ok' ? <HealthBadge health="ok" /> : <SeverityBadge severity={e.severity} />} {e.from ?? '(first seen)'} → <strong>{e.to}</strong>
              </td>
              <td className="muted">{e.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableNav>
  );
}
