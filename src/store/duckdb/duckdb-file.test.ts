import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

import { runStoreContract } from '../contract';
import { createDuckDbStore } from './index';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-store-'));
let n = 0;
runStoreContract('duckdb file', () =>
  createDuckDbStore({ dataDir: path.join(root, String(n++)), threads: 1 }),
);
after(() => rmSync(root, { recursive: true, force: true }));
