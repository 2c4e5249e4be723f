// Cheap architecture check run by `npm run lint`: dependencies point one way,
// shop -> collector -> store -> query -> api -> ui, with cli/ on top and
// model/ (shared domain types) at the bottom. A layer may import itself,
// model/, and the layers listed for it below; anything else fails.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');
const allowed = {
  model: [],
  shop: [],
  collector: ['store'],
  store: [],
  query: ['store'],
  api: ['query', 'store', 'collector'],
  ui: [],
  cli: ['api', 'query', 'store', 'collector', 'shop'],
};

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|tsx)$/.test(name)) yield p;
  }
}

const problems = [];
for (const file of walk(src)) {
  const layer = relative(src, file).split(sep)[0];
  const ok = new Set([layer, 'model', ...(allowed[layer] ?? [])]);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2];
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(src + sep)) continue;
    const targetLayer = relative(src, target).split(sep)[0];
    if (!ok.has(targetLayer)) {
      problems.push(
        `${relative(root, file)} imports ${spec} (${layer}/ may not depend on ${targetLayer}/)`,
      );
    }
  }
}
if (problems.length) {
  console.error('Layering violations:\n  ' + problems.join('\n  '));
  process.exit(1);
}
console.log('layers ok');
