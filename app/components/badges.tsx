// Status badges: one look for health, severities and source states on every page. The text is
// always there (colour is never the only signal).
import { HEALTH_LABEL, type Health, type Severity } from '../../collectors/views/health';
import type { SourceState } from '../../collectors/views/readings';

export function HealthBadge({ health, label }: { health: Health; label?: string }) {
  return (
    <span className={`badge health-${health}`} data-health={health}>
      {label ?? HEALTH_LABEL[health]}
    </span>
  );
}

const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', warning: 'Warning', info: 'Notice' };

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`badge health-${severity}`} data-severity={severity}>
      {SEVERITY_LABEL[severity]}
    </span>
  );
}

const STATE_LABEL: Record<SourceState, string> = { fresh: 'current', stale: 'stale', failing: 'failing', pending: 'not polled yet', absent: 'n/a' };

export function SourceBadge({ state, title, label }: { state: SourceState; title?: string; label?: string }) {
  return (
    <span className={`badge source-${state}`} data-source-state={state} title={title ?? STATE_LABEL[state]}>
      {label ?? STATE_LABEL[state]}
    </span>
  );
}

export function ProductBadge({ product }: { product: 'cucm' | 'imp' }) {
  return <span className={`badge product-${product}`}>{product === 'cucm' ? 'CUCM' : 'IM&P'}</span>;
}
