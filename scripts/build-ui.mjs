// Builds the lab UI (src/ui, a Vite app) into dist/ui, which the API server serves.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const uiRoot = join(root, 'src', 'ui');
if (!existsSync(join(uiRoot, 'index.html'))) {
  console.log('build-ui: src/ui/index.html not found, nothing to build');
  process.exit(0);
}
const { build } = await import('vite');
await build({ root: uiRoot, configFile: join(uiRoot, 'vite.config.mts'), logLevel: 'warn' });
console.log('build-ui: dist/ui written');
