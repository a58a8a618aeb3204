// Cisco's vocabulary, verbatim, in one place: the parsers recognise it and the metric catalogue
// exports it (one-hot label values). Sources: reference/ha.md §1, §1.1; wire-formats.md §2.2, §4.3.

/**
 * HA node states, verbatim (reference/ha.md §1: definitions and pair table). The metric catalogue always exports
 * these (0 or 1) so that `== 0` alerts work; a state outside the list keeps its own verbatim label.
 */
export const HA_STATES = [
  'Initializing',
  'Idle',
  'Normal',
  'Running in Backup Mode',
  'Taking Over',
  'Failing Over',
  'Failed Over',
  'Failed Over with Critical Services Not Running',
  'Falling Back',
  'Taking Back',
  'Running in Failed Mode',
  'Unknown',
  'Backup Mode',
  'Backup Activated',
  'Failover Affected Services',
  'Failed',
] as const;

/** HA reasons, verbatim (reference/ha.md §1.1, plus "High Availability Not Enabled" from wire-formats §4.3). */
export const HA_REASONS = [
  'Normal',
  'On Admin Request',
  'Initialization',
  'Automatic Fallback',
  'Initialization or Critical Services Down',
  'Critical Service Down',
  'Database Failure',
  'Start of Critical Services Failed',
  'Peer Down',
  'Peer Reboot',
  'Peer Down During Initialization',
  'Cisco Server Recovery Manager Take Over Users Failed',
  'Cisco Server Recovery Manager Take Back Users Failed',
  'Unknown',
  'Auto Recover Database Failure',
  'Auto Recovery Database Failure.',
  'Auto Recover Critical Service Down',
  'High Availability Not Enabled',
] as const;

/** Control Center ServiceStatus enum (wire-formats §2.2). */
export const SERVICE_STATUSES = ['Started', 'Stopped', 'Starting', 'Stopping', 'Unknown'] as const;

/**
 * IM address schemes (Presence > Settings > Advanced Configuration; reference/userid-uri-troubleshooter.md
 * §1.1): UserID@[Default_Domain] is the default on install and upgrade. The scheme decides whether
 * the Data Monitor raises DuplicateDirectoryURI / InvalidDirectoryURI or their …Warning variants.
 */
export const IM_ADDRESS_SCHEMES = ['UserID@Default_Domain', 'Directory URI'] as const;
