// Where the store lives, for every command that opens it: --data-dir, else
// $OTEL_LAB_DATA_DIR, else $OTEL_LAB_HOME/data, else ~/.otel-lab/data.

import * as path from 'node:path';
import { labHome } from '../shop/flags/file';

/** An absolute data directory from the flag (if given) and the environment. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const fromEnv = env['OTEL_LAB_DATA_DIR'];
  return path.resolve(
    flag ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : path.join(labHome(env), 'data')),
  );
}
