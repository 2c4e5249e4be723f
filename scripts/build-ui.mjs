// Builds the lab UI (src/ui, a Vite app) into dist/ui, which the API server serves.
// Vite only strips types, so the UI (outside the root tsconfig) is type-checked
// here first with its own tsconfig (DOM lib, Preact JSX): a type error fails
// the build instead of shipping.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const uiRoot = join(root, 'src', 'ui');
if (!existsSync(join(uiRoot, 'index.html'))) {
  console.log('build-ui: src/ui/index.html not found, nothing to build');
  process.exit(0);
}
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// The pure modules (src/ui/lib) are also compiled without the DOM lib into
// dist/src/ui/lib, which proves they are DOM-free and lets `npm test`
// (node --test dist/src/) run their tests with everyone else's.
for (const config of ['tsconfig.json', 'tsconfig.lib.json']) {
  try {
    execFileSync(process.execPath, [tsc, '-p', join(uiRoot, config)], { stdio: 'inherit' });
  } catch {
    console.error(`build-ui: type errors in src/ui (${config}, see above); dist/ui not written`);
    process.exit(1);
  }
}
const { build } = await import('vite');
await build({ root: uiRoot, configFile: join(uiRoot, 'vite.config.mts'), logLevel: 'warn' });
console.log('build-ui: dist/ui written');
