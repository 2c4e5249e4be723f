// Where the store lives, for every command that opens it: --data-dir, else
// $OTEL_LAB_DATA_DIR, else $OTEL_LAB_HOME/data, else ~/.otel-lab/data.

import * as os from 'node:os';
import * as path from 'node:path';

export function labHome(env: NodeJS.ProcessEnv): string {
  const home = env['OTEL_LAB_HOME'];
  return home !== undefined && home !== '' ? home : path.join(os.homedir(), '.otel-lab');
}

/** An absolute data directory from the flag (if given) and the environment. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const fromEnv = env['OTEL_LAB_DATA_DIR'];
  return path.resolve(
    flag ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : path.join(labHome(env), 'data')),
  );
}
