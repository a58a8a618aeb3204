// Words the pages show beside Cisco's raw values. Replicate_State / REPLICATION SETUP meanings are
// defined once beside the series (collectors/metrics/series.ts, from the RTMT counter appendix).
import { REPLICATION_STATES } from '../metrics/series';

export function replicationMeaning(state: number | null | undefined): string {
  if (state === null || state === undefined) return 'Not reported';
  const m = REPLICATION_STATES[state];
  return m ? m[0].toUpperCase() + m.slice(1) : `Unknown state ${state}`;
}

/** Control Center reasons that mean the service is not meant to run (wire-formats §2.5). */
export const NOT_ACTIVATED_CODE = -1068;
export const COMMANDED_OUT_OF_SERVICE_CODE = -1069;
