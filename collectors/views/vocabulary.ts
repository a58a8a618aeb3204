// Words the pages show beside Cisco's raw values. Replicate_State / REPLICATION SETUP meanings:
// RTMT 12.5(1)SU4 performance-counter appendix (reference/peers.md §1.5, wire-formats §4.2).

export const REPLICATION_SETUP_MEANING: Record<number, string> = {
  0: 'Not started or initializing',
  1: 'Replicates created but the count is incorrect',
  2: 'Good',
  3: 'Bad in the cluster',
  4: 'Setup did not succeed',
};

export function replicationMeaning(state: number | null | undefined): string {
  if (state === null || state === undefined) return 'Not reported';
  return REPLICATION_SETUP_MEANING[state] ?? `Unknown state ${state}`;
}

/** Control Center reasons that mean the service is not meant to run (wire-formats §2.5). */
export const NOT_ACTIVATED_CODE = -1068;
export const COMMANDED_OUT_OF_SERVICE_CODE = -1069;
