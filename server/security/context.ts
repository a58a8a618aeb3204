// The request the gate is serving, for code that runs inside it (the audit service marks that a
// handler recorded its own entry, so the gate does not add a generic one).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Identity } from './types';

export interface RequestContext {
  method: string;
  path: string;
  address: string;
  identity?: Identity;
  /** Set by the audit service when something recorded an entry during this request. */
  recorded: boolean;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();
