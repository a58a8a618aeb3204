// Which configuration file a command uses: an explicit path, else $IMPULSE_CONFIG, else
// ./impulse.config.yaml when it exists.
import { existsSync } from 'node:fs';
import path from 'node:path';

export const defaultConfigFile = 'impulse.config.yaml';

export interface ConfigLocation {
  file: string;
  /** Where the choice came from, for messages. */
  from: 'argument' | 'IMPULSE_CONFIG' | 'default';
}

/** The config file to use, or undefined when none is given and ./impulse.config.yaml does not exist. */
export function locateConfig(explicit: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): ConfigLocation | undefined {
  if (explicit) return { file: explicit, from: 'argument' };
  if (env.IMPULSE_CONFIG) return { file: env.IMPULSE_CONFIG, from: 'IMPULSE_CONFIG' };
  const local = path.join(cwd, defaultConfigFile);
  return existsSync(local) ? { file: path.relative(cwd, local) || defaultConfigFile, from: 'default' } : undefined;
}
