// Error kinds that mean "the node does not answer" rather than "the node refuses or garbles":
// when every source of a node fails with one of these, the node is unreachable.
import type { ErrorKind } from '../engine/store';

export const UNREACHABLE_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['connection', 'timeout']);
