// Reading services from the service-status dataset (Control Center, or `utils service list` when
// Control Center is down): whether a named service runs on a node, in Cisco's words.
import type { ServicesObservation } from '../../collectors/sources/services';

export type ServiceState = 'running' | 'stopped' | 'not-activated' | 'missing';

const NOT_ACTIVATED = -1068;

export function serviceState(obs: ServicesObservation, name: string): { state: ServiceState; text: string } {
  const s = obs.services.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!s) return { state: 'missing', text: `${name} is not listed on this node` };
  if (s.status === 'Started') return { state: 'running', text: `${name} Started` };
  if (s.reasonCode === NOT_ACTIVATED || /not activated/i.test(s.reason ?? '')) return { state: 'not-activated', text: `${name} ${s.status} (Service Not Activated)` };
  return { state: 'stopped', text: `${name} ${s.status}${s.reason ? ` (${s.reason})` : ''}` };
}
