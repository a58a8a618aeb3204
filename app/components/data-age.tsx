// The data-age banner every page shows under its title: when its data was collected, and — said
// plainly — which sources are stale or failing (their values are not shown as current).
import type { Freshness } from '../../collectors/views/freshness';
import { ago, formatTime } from '../../collectors/views/format';

export function DataAge({ freshness: f, collecting }: { freshness: Freshness; collecting: boolean }) {
  if (!collecting) {
    return (
      <p className="data-age warn" data-testid="data-age">
        The collector is not running (started with --no-collect): this page shows the configuration only, no collected data.
      </p>
    );
  }
  const bad = f.stale + f.failing;
  return (
    <div className="data-age-wrap" data-testid="data-age">
      <p className="data-age">
        {f.latestAt === undefined ? (
          <>Nothing collected yet{f.pending ? `: ${f.pending} polls pending` : ''}.</>
        ) : (
          <>
            Data collected up to <time dateTime={new Date(f.latestAt).toISOString()}>{formatTime(f.latestAt)}</time>{' '}
            <span className="muted">({ago(f.latestAt, f.now)})</span> · {f.fresh} of {f.total} sources current
            {f.pending ? ` · ${f.pending} not polled yet` : ''}
          </>
        )}
      </p>
      {bad > 0 && (
        <p className="stale-banner" data-testid="stale-banner">
          <strong>
            {f.failing > 0 && `${f.failing} source${f.failing === 1 ? ' is' : 's are'} failing`}
            {f.failing > 0 && f.stale > 0 && ' and '}
            {f.stale > 0 && `${f.stale} ${f.stale === 1 ? 'is' : 'are'} stale`}
          </strong>
          : their values are not shown as current.{' '}
          <span className="muted">
            {f.examples.map((e) => `${e.node} ${e.source} ${e.state}${e.error ? ` (${e.error.split(':')[0]})` : ''}`).join('; ')}
            {bad > f.examples.length ? '; …' : ''}
          </span>
        </p>
      )}
    </div>
  );
}
