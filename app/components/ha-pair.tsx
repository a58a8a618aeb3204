// One presence redundancy group as a pair: both nodes' state and reason verbatim, HA enabled,
// time in state, JSM sessions, and Cisco's cause and recommended actions for the pair of states.
import Link from 'next/link';
import type { HaGroup, HaNodeCell } from '../../collectors/views/ha-groups';
import type { Health } from '../../collectors/views/health';
import { ago, formatTime, formatValue } from '../../collectors/views/format';
import { HealthBadge } from './badges';

interface NodeView extends HaNodeCell {
  href?: string;
  since?: number;
  sinceBasis?: 'event' | 'first-seen' | 'observed';
}

export function HaPairCard({ group, nodes, health, now, id, showCluster }: { group: Omit<HaGroup, 'nodes'>; nodes: NodeView[]; health: Health; now: number; id?: string; showCluster?: boolean }) {
  const v = group.verdict;
  return (
    <article className="ha-pair" id={id} data-group={group.name} data-cluster={group.cluster} data-health={health}>
      <header className="ha-pair-head">
        <h3>
          {showCluster && (
            <>
              <Link href={`/clusters/${encodeURIComponent(group.cluster)}`} prefetch={false}>
                {group.cluster}
              </Link>{' '}
              /{' '}
            </>
          )}
          {group.name}
        </h3>
        <HealthBadge health={health} />
        <span className="muted ha-enabled" data-ha-enabled={String(group.haEnabled)}>
          High Availability: {group.haEnabled === null ? 'unknown' : group.haEnabled ? 'enabled' : 'not enabled'}
          {group.haEnabledFrom === 'configuration' ? ' (per configuration)' : group.haEnabledFrom === 'cli' ? ' (per utils ha status)' : ''}
        </span>
      </header>
      <div className="ha-nodes">
        {nodes.map((n, i) => (
          <div key={n.node} className="ha-node" data-node={n.node}>
            <div className="ha-node-name">
              <span className="muted">Node {i + 1}</span>{' '}
              {n.href ? (
                <Link href={n.href} prefetch={false}>
                  {n.node}
                </Link>
              ) : (
                n.node
              )}
            </div>
            {n.unreachable && <div className="ha-unreachable">Not answering (its HA status cannot be read)</div>}
            {n.state === null ? (
              <div className="ha-state muted">{n.source === 'pending' ? 'Not polled yet' : 'State unknown: no current `utils ha status` output names this node'}</div>
            ) : (
              <>
                <div className="ha-state" data-field="state">
                  {n.state}
                </div>
                <div className="ha-reason" data-field="reason">
                  Reason: {n.reason ?? (n.state.toLowerCase() === 'normal' ? 'Normal' : '—')}
                </div>
                <div className="ha-time muted">
                  {n.since !== undefined && (n.sinceBasis === 'event' || n.sinceBasis === 'first-seen') ? (
                    <>
                      In this state {n.sinceBasis === 'first-seen' ? 'at least ' : ''}since <time dateTime={new Date(n.since).toISOString()}>{formatTime(n.since)}</time> ({ago(n.since, now).replace(' ago', '')})
                    </>
                  ) : n.at !== undefined ? (
                    <>
                      Seen <time dateTime={new Date(n.at).toISOString()}>{formatTime(n.at)}</time>; time in state not recorded
                    </>
                  ) : null}
                  {n.via === 'peer' && ' (from another node’s more recent utils ha status)'}
                </div>
              </>
            )}
            <div className="ha-jsm">
              JSM sessions (ActiveJsmSessions):{' '}
              <strong>{n.jsmSessions !== null ? formatValue(n.jsmSessions, '') : n.perfmon === 'fresh' ? 'not reported (Presence Engine not running)' : `PerfMon ${n.perfmon === 'pending' ? 'not polled yet' : n.perfmon}`}</strong>
            </div>
          </div>
        ))}
      </div>
      {v && (
        <div className={`ha-advice health-border-${health}`} data-row={v.row ?? ''}>
          <p className="ha-cause">
            {v.row ? <strong>Cisco {v.row}: </strong> : <strong>Not in Cisco&apos;s table: </strong>}
            {v.cause}
          </p>
          {v.actions.length > 0 && (
            <ol className="ha-actions">
              {v.actions.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ol>
          )}
        </div>
      )}
    </article>
  );
}
