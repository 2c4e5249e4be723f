// The seam to the backend command. `serve.ts` (the lead's) exports
// `runServe(argv)`; it is loaded at run time so that the CLI builds and runs
// before the backend exists, and `start` falls back to "bring your own OTLP
// endpoint" when it does not.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export type RunServe = (argv: string[]) => Promise<number>;

/** The compiled serve module beside this file, or undefined when it is not built. */
export function serveModulePath(dir: string = __dirname): string | undefined {
  for (const name of ['serve.js', 'serve.ts']) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

export async function loadServe(dir: string = __dirname): Promise<RunServe | undefined> {
  const file = serveModulePath(dir);
  if (file === undefined) return undefined;
  const mod: unknown = await import(pathToFileURL(file).href);
  const runServe = pickRunServe(mod);
  if (runServe === undefined) throw new Error(`${file} does not export runServe(argv)`);
  return runServe;
}

function pickRunServe(mod: unknown): RunServe | undefined {
  if (typeof mod !== 'object' || mod === null) return undefined;
  const direct = (mod as { runServe?: unknown }).runServe;
  if (typeof direct === 'function') return direct as RunServe;
  // A CommonJS module imported as ESM may only expose `default`.
  const viaDefault = (mod as { default?: { runServe?: unknown } }).default?.runServe;
  return typeof viaDefault === 'function' ? (viaDefault as RunServe) : undefined;
}
