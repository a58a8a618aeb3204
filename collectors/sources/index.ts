// Every source, in the order --once runs them after inventory.
import { certificatesSource } from './certificates';
import { haSource } from './ha';
import { inventorySource } from './inventory';
import { peersSource } from './peers';
import { perfmonSource } from './perfmon';
import { replicationSource } from './replication';
import { servicesSource } from './services';
import type { Source } from './types';
import { usersSource } from './users';

export const allSources: readonly Source[] = [
  inventorySource,
  perfmonSource,
  servicesSource,
  replicationSource,
  haSource,
  certificatesSource,
  peersSource,
  usersSource,
] as unknown as readonly Source[];
