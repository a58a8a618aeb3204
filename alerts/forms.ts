// Maintenance window requests as they arrive: the dashboard's form (local date and time from a
// datetime-local field plus the browser's time-zone offset) and the JSON API (ISO times or a
// duration). Both become a MaintenanceInput, or the reasons they cannot, in words for the user.
import { z } from 'zod';
import { parseDuration } from '../config/schema';
import type { MaintenanceInput } from './maintenance';

export type Parsed = { ok: true; input: MaintenanceInput } | { ok: false; errors: string[] };

/** Durations the form offers for the end. */
export const FORM_DURATIONS = ['30m', '1h', '2h', '4h', '8h', '12h', '1d', '2d'] as const;

/** "2025-06-01T14:30" in the browser's zone (offset = Date#getTimezoneOffset(), minutes) → epoch ms. */
export function parseLocalDateTime(value: string, offsetMinutes: number): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return utc + offsetMinutes * 60_000;
}

/** The dashboard form: cluster, node, alertname, start (empty = now), end or duration, reason, tzOffset. */
export function parseWindowForm(f: Readonly<Record<string, string>>, now: number): Parsed {
  const errors: string[] = [];
  const offset = /^-?\d{1,4}$/.test(f.tzOffset ?? '') ? Number(f.tzOffset) : 0;
  let startsAt = now;
  if (f.start?.trim()) {
    const t = parseLocalDateTime(f.start, offset);
    if (t === undefined) errors.push(`the start '${f.start}' is not a date and time`);
    else startsAt = t;
  }
  let endsAt: number | undefined;
  if (f.end?.trim()) {
    endsAt = parseLocalDateTime(f.end, offset);
    if (endsAt === undefined) errors.push(`the end '${f.end}' is not a date and time`);
  } else if (f.duration?.trim()) {
    const s = parseDuration(f.duration);
    if (s === undefined) errors.push(`the duration '${f.duration}' is not a duration such as 2h`);
    else endsAt = startsAt + s * 1000;
  } else errors.push('choose an end or a duration');
  if (!f.cluster?.trim()) errors.push('choose a cluster');
  if (errors.length || endsAt === undefined) return { ok: false, errors };
  return { ok: true, input: { cluster: f.cluster.trim(), node: f.node?.trim() || undefined, alertname: f.alertname?.trim() || undefined, startsAt, endsAt, reason: f.reason ?? '' } };
}

export const apiWindowSchema = z
  .object({
    cluster: z.string().min(1),
    node: z.string().min(1).optional(),
    alertname: z.string().min(1).optional(),
    /** ISO 8601; default now. */
    startsAt: z.string().optional(),
    /** ISO 8601; or `duration`. */
    endsAt: z.string().optional(),
    /** "2h", "90m"…, from the start. */
    duration: z.union([z.string(), z.number()]).optional(),
    reason: z.string(),
  })
  .strict();

/** POST /api/alerts/maintenance. */
export function parseWindowRequest(body: unknown, now: number): Parsed {
  const r = apiWindowSchema.safeParse(body);
  if (!r.success) return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`) };
  const b = r.data;
  const errors: string[] = [];
  const time = (v: string, what: string) => {
    const t = Date.parse(v);
    if (Number.isNaN(t) || !/\d{4}-\d{2}-\d{2}T/.test(v)) errors.push(`${what}: '${v}' is not an ISO 8601 date and time`);
    return t;
  };
  const startsAt = b.startsAt ? time(b.startsAt, 'startsAt') : now;
  let endsAt: number | undefined;
  if (b.endsAt) endsAt = time(b.endsAt, 'endsAt');
  else if (b.duration !== undefined) {
    const s = parseDuration(b.duration);
    if (s === undefined) errors.push(`duration: '${b.duration}' is not a duration such as 2h`);
    else endsAt = startsAt + s * 1000;
  } else errors.push('endsAt or duration is required');
  if (errors.length || endsAt === undefined) return { ok: false, errors };
  return { ok: true, input: { cluster: b.cluster, node: b.node, alertname: b.alertname, startsAt, endsAt, reason: b.reason } };
}
