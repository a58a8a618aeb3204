// Which stopped services count as "not started": a service that is not activated on the node is
// not meant to run, nor is one an administrator commanded out of service — unless it is one of
// the HA critical services of an IM&P node, which must run for high availability (ha.md §3.1).
import { HA_CRITICAL_SERVICES } from '../ha-pairs';
import { COMMANDED_OUT_OF_SERVICE_CODE, NOT_ACTIVATED_CODE } from './vocabulary';

export function isHaCritical(service: string, product: 'cucm' | 'imp'): boolean {
  return product === 'imp' && (HA_CRITICAL_SERVICES as readonly string[]).includes(service);
}

export function notActivated(s: { reasonCode: number | null; reason: string | null }): boolean {
  return s.reasonCode === NOT_ACTIVATED_CODE || /^service not activated$/i.test(s.reason ?? '');
}

/** Whether a service that is not Started should be: activated, and not deliberately stopped (HA critical services always). */
export function shouldRun(s: { name: string; reasonCode: number | null; reason: string | null }, product: 'cucm' | 'imp'): boolean {
  if (notActivated(s)) return false;
  if (!isHaCritical(s.name, product) && (s.reasonCode === COMMANDED_OUT_OF_SERVICE_CODE || /^commanded out of service$/i.test(s.reason ?? ''))) return false;
  return true;
}
