// "Since when" for a problem, saying where the time comes from: the event log's record of the
// change, or only the latest observation (the change time is then unknown).
import type { SinceBasis } from '../../collectors/views/problems';
import { ago, formatTime } from '../../collectors/views/format';

export function Since({ since, basis, now }: { since?: number; basis: SinceBasis; now: number }) {
  if (basis === 'never') return <span className="since">no successful poll yet</span>;
  if (since === undefined) return <span className="since muted">—</span>;
  const when = (
    <time dateTime={new Date(since).toISOString()} title={formatTime(since)}>
      {formatTime(since)}
    </time>
  );
  switch (basis) {
    case 'event':
      return (
        <span className="since" data-basis="event">
          since {when} <span className="muted">({ago(since, now)}, event log)</span>
        </span>
      );
    case 'first-seen':
      return (
        <span className="since" data-basis="first-seen">
          at least since {when} <span className="muted">({ago(since, now)}, when first seen)</span>
        </span>
      );
    case 'last-success':
      return (
        <span className="since" data-basis="last-success">
          no successful poll since {when} <span className="muted">({ago(since, now)})</span>
        </span>
      );
    case 'expiry':
      return (
        <span className="since" data-basis="expiry">
          not after {when}
        </span>
      );
    default:
      return (
        <span className="since" data-basis="observed">
          seen {when} <span className="muted">(latest poll; change time not recorded)</span>
        </span>
      );
  }
}
