// What /audit and its CSV export show: the filters from the query string (zod), the matching
// entries newest first, page by page, and the choices for the filter fields.
import { z } from 'zod';
import { auditFacets, countAudit, iterateAudit, queryAudit, type AuditFilter, type AuditRow } from '../../db/audit';
import type { ImpulseRuntime } from '../runtime';

export const AUDIT_PAGE_SIZE = 100;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const filterSchema = z.object({
  actor: z.string().trim().max(128).optional(),
  action: z.string().trim().max(96).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  q: z.string().trim().max(200).optional(),
  from: day.optional(),
  to: day.optional(),
  before: z.coerce.number().int().positive().optional(),
});

export interface AuditQuery {
  /** As given (for the form). */
  values: { actor: string; action: string; outcome: string; q: string; from: string; to: string };
  filter: AuditFilter;
  before?: number;
  problems: string[];
}

type Params = Record<string, string | string[] | undefined>;

/** Reads the query string; an unreadable field is reported and ignored, the rest still applies. */
export function parseAuditQuery(params: Params): AuditQuery {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const s = Array.isArray(v) ? v[0] : v;
    if (s !== undefined && s !== '') flat[k] = s;
  }
  const problems: string[] = [];
  const ok: Record<string, unknown> = {};
  for (const key of Object.keys(filterSchema.shape) as (keyof typeof filterSchema.shape)[]) {
    if (flat[key] === undefined) continue;
    const r = filterSchema.shape[key].safeParse(flat[key]);
    if (r.success) ok[key] = r.data;
    else problems.push(`${key}: ${r.error.issues[0]?.message ?? 'not understood'}`);
  }
  const v = ok as z.infer<typeof filterSchema>;
  const filter: AuditFilter = {
    actor: v.actor || undefined,
    action: v.action || undefined,
    outcome: v.outcome,
    text: v.q || undefined,
    from: v.from ? Date.parse(`${v.from}T00:00:00Z`) : undefined,
    to: v.to ? Date.parse(`${v.to}T00:00:00Z`) + 86_400_000 : undefined,
  };
  return {
    values: { actor: flat.actor ?? '', action: flat.action ?? '', outcome: flat.outcome ?? '', q: flat.q ?? '', from: flat.from ?? '', to: flat.to ?? '' },
    filter,
    before: v.before,
    problems,
  };
}

export interface AuditPage {
  state: 'ok' | 'unavailable';
  message?: string;
  rows: AuditRow[];
  total: number;
  /** `before` for the next (older) page, when there is one. */
  older?: number;
  actions: string[];
  actors: string[];
  retentionDays: number;
}

export function auditPage(rt: ImpulseRuntime | undefined, q: AuditQuery): AuditPage {
  const retention = rt?.config.auth?.auditRetention;
  const retentionDays = Math.round((typeof retention === 'number' ? retention : 365 * 86_400) / 86_400);
  const empty = { rows: [], total: 0, actions: [], actors: [], retentionDays };
  if (!rt?.db || rt.db.closed) return { state: 'unavailable', message: rt?.dbError ?? 'the database is not open', ...empty };
  const rows = queryAudit(rt.db, q.filter, { limit: AUDIT_PAGE_SIZE + 1, beforeId: q.before });
  const more = rows.length > AUDIT_PAGE_SIZE;
  const shown = more ? rows.slice(0, AUDIT_PAGE_SIZE) : rows;
  const facets = auditFacets(rt.db);
  const health = rt.db.health();
  return {
    state: 'ok',
    message: health.ok ? undefined : `new entries are not being saved: ${health.error}`,
    rows: shown,
    total: countAudit(rt.db, q.filter),
    older: more ? shown[shown.length - 1].id : undefined,
    actions: facets.actions,
    actors: facets.actors,
    retentionDays,
  };
}

/** RFC 4180 field, with cells that a spreadsheet would run as a formula defused (OWASP CSV injection). */
export function csvField(v: string | number | null): string {
  let s = v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_HEADER = ['time (UTC)', 'actor', 'address', 'action', 'target', 'detail', 'outcome'];

export function csvLine(r: AuditRow): string {
  return [new Date(r.at).toISOString(), r.actor, r.address, r.action, r.target, r.detail, r.outcome].map(csvField).join(',');
}

/** The whole filtered log as CSV, streamed. */
export function auditCsv(rt: ImpulseRuntime, filter: AuditFilter): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const rows = iterateAudit(rt.db!, filter);
  let header = true;
  return new ReadableStream({
    pull(controller) {
      if (header) {
        header = false;
        controller.enqueue(enc.encode(`${CSV_HEADER.join(',')}\r\n`));
        return;
      }
      let chunk = '';
      for (let i = 0; i < 500; i++) {
        const n = rows.next();
        if (n.done) {
          if (chunk) controller.enqueue(enc.encode(chunk));
          controller.close();
          return;
        }
        chunk += `${csvLine(n.value)}\r\n`;
      }
      controller.enqueue(enc.encode(chunk));
    },
    cancel() {
      rows.return?.(undefined);
    },
  });
}
