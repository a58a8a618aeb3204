// runtime.audit: the audit log. Every action that changes something is recorded with who did it,
// from where, when, on what and how it ended; sign-ins (also failed ones), account and role
// changes, configuration reloads, lab faults, and what the other rooms record (troubleshooter
// runs, readiness reports, maintenance windows, silences). Kept auth.auditRetention (default one
// year), pruned at start and daily. Without a working database an entry goes to the log instead
// of being lost silently.
import { insertAudit, pruneAudit } from '../../db/audit';
import { parseDuration } from '../../config/schema';
import type { AuditEntry, AuditSink, ImpulseRuntime } from '../runtime';
import { requestContext } from '../security/context';
import type { SecretScrubber } from '../security/scrub';
import type { RuntimeService } from '../services';

export const DEFAULT_AUDIT_RETENTION_DAYS = 365;
const DAY = 86_400_000;

const ACTION = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;

function clean(v: string | undefined, max: number): string | null {
  if (v === undefined) return null;
  // eslint-disable-next-line no-control-regex
  const s = v.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export interface AuditServiceOptions {
  log: (line: string) => void;
  scrubber?: SecretScrubber;
  now?: () => number;
}

export class AuditService implements RuntimeService, AuditSink {
  readonly name = 'audit log';
  private timer: NodeJS.Timeout | undefined;
  private rt: ImpulseRuntime | undefined;

  constructor(private readonly o: AuditServiceOptions) {}

  retentionMs(rt: ImpulseRuntime): number {
    const r = rt.config.auth?.auditRetention;
    return (typeof r === 'number' ? r : (parseDuration(r) ?? DEFAULT_AUDIT_RETENTION_DAYS * 86_400)) * 1000;
  }

  start(rt: ImpulseRuntime): void {
    this.rt = rt;
    rt.audit = this;
    this.prune();
    this.timer = setInterval(() => this.prune(), DAY);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  prune(): number {
    const rt = this.rt;
    if (!rt?.db || rt.db.closed) return 0;
    return pruneAudit(rt.db, (this.o.now ?? Date.now)() - this.retentionMs(rt));
  }

  record(entry: AuditEntry): void {
    const ctx = requestContext.getStore();
    if (ctx) ctx.recorded = true;
    const scrub = (s: string | undefined) => (s === undefined || !this.o.scrubber ? s : this.o.scrubber.scrub(s));
    const action = ACTION.test(entry.action) ? entry.action : `other.${entry.action.toLowerCase().replace(/[^a-z0-9.-]+/g, '-')}`;
    const row = {
      at: (this.o.now ?? Date.now)(),
      actor: clean(scrub(entry.actor.name) || 'unknown', 128)!,
      address: clean(entry.actor.address || 'unknown', 64)!,
      action: clean(action, 96)!,
      target: clean(scrub(entry.target), 512),
      detail: clean(scrub(entry.detail), 2000),
      outcome: entry.outcome ?? 'success',
    };
    const db = this.rt?.db;
    let saved = false;
    try {
      saved = db !== undefined && !db.closed && insertAudit(db, row) !== undefined;
    } catch (err) {
      this.o.log(`audit log: ${(err as Error).message}`);
    }
    if (!saved) {
      // The trail must not vanish: the log keeps what the database could not.
      const why = !db || db.closed ? 'no database' : `the database cannot be written${db.health().kind ? ` (${db.health().kind})` : ''}`;
      this.o.log(`audit (not saved: ${why}): ${row.outcome} ${row.action} by ${row.actor} from ${row.address}${row.target ? ` on ${row.target}` : ''}${row.detail ? `: ${row.detail}` : ''}`);
    }
  }
}
