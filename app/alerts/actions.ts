'use server';
// Server actions of the /alerts page: open and cancel maintenance windows (and silences). The
// rules live in alerts/ (forms.ts parses, the alerting service validates, records and mirrors to
// Alertmanager); roles are enforced centrally, the actor comes from app/lib/actor.ts.
import { revalidatePath } from 'next/cache';
import { parseWindowForm } from '../../alerts/forms';
import { getActor } from '../lib/actor';
import { getRuntime } from '../lib/runtime';

export interface WindowFormState {
  ok?: boolean;
  message?: string;
  errors: string[];
  /** What the user typed, kept when the window could not be opened. */
  values?: Record<string, string>;
}

const FIELDS = ['cluster', 'node', 'alertname', 'start', 'end', 'duration', 'reason', 'tzOffset'] as const;

export async function openWindowAction(_prev: WindowFormState, form: FormData): Promise<WindowFormState> {
  const alerts = getRuntime()?.alerts;
  const values = Object.fromEntries(FIELDS.map((k) => [k, String(form.get(k) ?? '')]));
  if (!alerts) return { errors: ['alerting is not running in this process'], values };
  const parsed = parseWindowForm(values, Date.now());
  if (!parsed.ok) return { errors: parsed.errors, values };
  const result = await alerts.openWindow(parsed.input, await getActor());
  if (!result.ok) return { errors: result.errors, values };
  revalidatePath('/alerts');
  const w = result.window;
  return { ok: true, errors: [], message: `${w.alertname ? 'Silence' : 'Maintenance window'} #${w.id} opened for ${w.scope}.` };
}

export async function cancelWindowAction(form: FormData): Promise<void> {
  const alerts = getRuntime()?.alerts;
  const id = Number(form.get('id'));
  if (!alerts || !Number.isInteger(id)) return;
  await alerts.cancelWindow(id, await getActor());
  revalidatePath('/alerts');
}
