// A point in time: UTC text (server and browser render the same), machine-readable datetime.
import { ago, formatTime } from '../../collectors/views/format';

export function Time({ ms, now, relative }: { ms: number | undefined; now?: number; relative?: boolean }) {
  if (ms === undefined) return <span className="muted">never</span>;
  const iso = new Date(ms).toISOString();
  return (
    <time dateTime={iso} title={formatTime(ms)}>
      {relative && now !== undefined ? ago(ms, now) : formatTime(ms)}
    </time>
  );
}
