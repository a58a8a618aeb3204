// The check catalogue, in page order (sections as Cisco's System Troubleshooter lays them out, then
// IMPulse's own). One module per check; each declares its data and evaluates purely.
import type { CheckDefinition } from '../types';
import { certExpired } from './cert-expired';
import { certExpiring } from './cert-expiring';
import { certTrust } from './cert-trust';
import { haEnabled } from './ha-enabled';
import { haJsm } from './ha-jsm';
import { haState } from './ha-state';
import { icDefaultDomain } from './ic-default-domain';
import { icDomainSyntax } from './ic-domain-syntax';
import { icPeerCertificates } from './ic-peer-certificates';
import { icPeerUsers } from './ic-peer-users';
import { icPeers } from './ic-peers';
import { icS2sSan } from './ic-s2s-san';
import { icScheme } from './ic-scheme';
import { icServices } from './ic-services';
import { platCores } from './plat-cores';
import { platDiagnose } from './plat-diagnose';
import { platDisk } from './plat-disk';
import { platNtp } from './plat-ntp';
import { platVersions } from './plat-versions';
import { replQueue } from './repl-queue';
import { replState } from './repl-state';
import { svcCritical } from './svc-critical';
import { svcDataMonitor } from './svc-data-monitor';
import { u1UniqueUserId } from './u1-unique-user-id';
import { u2UriConfigured } from './u2-uri-configured';
import { u3UniqueUri } from './u3-unique-uri';
import { u4ValidUri } from './u4-valid-uri';
import { u5UniqueMail } from './u5-unique-mail';
import { u6ImAddressCollision } from './u6-im-address-collision';

export const CHECKS: readonly CheckDefinition[] = [
  u1UniqueUserId,
  u2UriConfigured,
  u3UniqueUri,
  u4ValidUri,
  u5UniqueMail,
  u6ImAddressCollision,
  icScheme,
  icDefaultDomain,
  icDomainSyntax,
  icS2sSan,
  icServices,
  icPeers,
  icPeerUsers,
  icPeerCertificates,
  haState,
  haEnabled,
  haJsm,
  replState,
  replQueue,
  certExpired,
  certExpiring,
  certTrust,
  svcCritical,
  svcDataMonitor,
  platDisk,
  platNtp,
  platCores,
  platDiagnose,
  platVersions,
];

/** The User Troubleshooter checks (impulse validate-users, /users). */
export const USER_CHECK_IDS = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6'] as const;

export function checkById(id: string): CheckDefinition | undefined {
  return CHECKS.find((c) => c.id.toLowerCase() === id.toLowerCase());
}
