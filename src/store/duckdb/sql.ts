// Loads the store's SQL from the .sql files beside this code.
//
// The files are read from the source tree, found relative to the package
// root, so the same lookup works under tsx (src/) and after `npm run build`
// (dist/src/... has no .sql files; tsc does not copy them). The package
// therefore ships src/store/duckdb/sql with dist.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const SQL_SUBDIR = path.join('src', 'store', 'duckdb', 'sql');

function findSqlDir(): string {
  const beside = path.join(__dirname, 'sql');
  if (existsSync(path.join(beside, 'migrations'))) return beside;
  for (let dir = __dirname; ;) {
    const candidate = path.join(dir, SQL_SUBDIR);
    if (existsSync(path.join(candidate, 'migrations'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) {
      throw new Error(
        `cannot find the store's SQL files (${SQL_SUBDIR}) above ${__dirname}: is the package installed whole?`,
      );
    }
    dir = up;
  }
}

let sqlDir: string | undefined;
const cache = new Map<string, string>();

function dir(): string {
  sqlDir ??= findSqlDir();
  return sqlDir;
}

function read(relative: string): string {
  let text = cache.get(relative);
  if (text === undefined) {
    text = readFileSync(path.join(dir(), relative), 'utf8');
    cache.set(relative, text);
  }
  return text;
}

/** A named query from sql/queries/<name>.sql. */
export function query(name: string): string {
  return read(path.join('queries', `${name}.sql`));
}

/** A file directly under sql/ (schema-version.sql, macros.sql). */
export function sqlFile(name: string): string {
  return read(`${name}.sql`);
}

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** sql/migrations/NNN_name.sql, in version order; versions must be 1, 2, 3, ... */
export function migrations(): Migration[] {
  const files = readdirSync(path.join(dir(), 'migrations'))
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  return files.map((file, i) => {
    const version = Number(file.slice(0, 3));
    if (version !== i + 1)
      throw new Error(`migration ${file} is out of sequence: expected version ${i + 1}`);
    return { version, name: file, sql: read(path.join('migrations', file)) };
  });
}
