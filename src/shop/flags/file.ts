// The flags file: one flagd JSON document shared by the CLI, the lab API and
// every shop service (which watch it through the flagd provider). Writers
// replace it atomically (temp file in the same directory, then rename), so a
// reader never sees half a document.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import demoFlags from './demo.flagd.json';

export const FLAGD_SCHEMA = 'https://flagd.dev/schema/v0/flags.json';

/** The demo's flags, all off: the seed of a new flags file. */
export const DEMO_FLAGS_FILE = path.join(__dirname, 'demo.flagd.json');

/** Flags files are small; anything bigger is not one (and is not read whole). */
export const MAX_FLAGS_FILE_BYTES = 1024 * 1024;

export type FlagValue = boolean | number | string | { readonly [key: string]: unknown };

export interface FlagDefinition {
  readonly description?: string;
  readonly state: 'ENABLED' | 'DISABLED';
  readonly variants: Readonly<Record<string, FlagValue>>;
  readonly defaultVariant: string;
  readonly targeting?: Readonly<Record<string, unknown>>;
}

export interface FlagsDocument {
  readonly $schema?: string;
  readonly flags: Readonly<Record<string, FlagDefinition>>;
}

/** One flag as the CLI and the lab API show it. */
export interface FlagSummary {
  readonly name: string;
  readonly description: string;
  readonly state: 'ENABLED' | 'DISABLED';
  /** The variant in effect (flagd's `defaultVariant`). */
  readonly variant: string;
  readonly value: FlagValue;
  /** Variant names in file order. */
  readonly variants: readonly string[];
}

/** The flags file is missing, unreadable or not a valid flagd document. */
export class FlagsFileError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`flags file ${path}: ${problem}`);
    this.name = 'FlagsFileError';
  }
}

/** A request named a flag or variant the file does not have. */
export class UnknownFlagError extends Error {
  constructor(
    readonly flag: string,
    readonly validFlags: readonly string[],
  ) {
    super(`unknown flag ${quote(flag)}; valid flags: ${validFlags.join(', ')}`);
    this.name = 'UnknownFlagError';
  }
}

export class UnknownVariantError extends Error {
  constructor(
    readonly flag: string,
    readonly variant: string,
    readonly validVariants: readonly string[],
  ) {
    super(
      `flag ${flag} has no variant ${quote(variant)}; valid variants: ${validVariants.join(', ')}`,
    );
    this.name = 'UnknownVariantError';
  }
}

/** The lab's home: `OTEL_LAB_HOME`, else `~/.otel-lab` (flags file, data directory). */
export function labHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env['OTEL_LAB_HOME'];
  return home !== undefined && home !== '' ? home : path.join(os.homedir(), '.otel-lab');
}

/** `OTEL_LAB_FLAGS_FILE`, else `<OTEL_LAB_HOME or ~/.otel-lab>/flags.json`. */
export function resolveFlagsPath(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['OTEL_LAB_FLAGS_FILE'];
  if (explicit !== undefined && explicit !== '') return path.resolve(explicit);
  return path.resolve(labHome(env), 'flags.json');
}

/**
 * Creates the flags file from the demo's flags when it does not exist yet.
 * Returns true when it created it. An existing file is never touched.
 */
export function ensureFlagsFile(file: string): boolean {
  if (fs.existsSync(file)) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const doc = validateFlags(demoFlags, DEMO_FLAGS_FILE);
  writeAtomically(file, serialize(doc));
  return true;
}

/** Reads and validates the flags file; throws FlagsFileError saying what is wrong. */
export function readFlagsFile(file: string): FlagsDocument {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_FLAGS_FILE_BYTES) {
      throw new FlagsFileError(
        file,
        `is ${size} bytes; a flags file is at most ${MAX_FLAGS_FILE_BYTES}`,
      );
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof FlagsFileError) throw err;
    throw new FlagsFileError(file, `cannot be read (${(err as Error).message})`);
  }
  return parseFlags(text, file);
}

/** Parses and validates flagd JSON text; `source` names it in errors. */
export function parseFlags(text: string, source: string): FlagsDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FlagsFileError(source, `is not valid JSON (${(err as Error).message})`);
  }
  return validateFlags(doc, source);
}

/** Checks a parsed document against the parts of flagd's schema we rely on. */
export function validateFlags(doc: unknown, source: string): FlagsDocument {
  const fail = (problem: string): never => {
    throw new FlagsFileError(source, problem);
  };
  if (!isObject(doc)) return fail('must hold a JSON object');
  const flags = doc['flags'];
  if (!isObject(flags)) return fail('has no "flags" object');
  for (const [name, def] of Object.entries(flags)) {
    const at = `flag ${quote(name)}`;
    if (!isObject(def)) return fail(`${at} must be an object`);
    if (def['state'] !== 'ENABLED' && def['state'] !== 'DISABLED') {
      fail(`${at}: "state" must be "ENABLED" or "DISABLED"`);
    }
    if (def['description'] !== undefined && typeof def['description'] !== 'string') {
      fail(`${at}: "description" must be a string`);
    }
    const variants = def['variants'];
    if (!isObject(variants) || Object.keys(variants).length === 0) {
      return fail(`${at}: "variants" must be a non-empty object`);
    }
    for (const [variant, value] of Object.entries(variants)) {
      const t = typeof value;
      if (!(t === 'boolean' || t === 'number' || t === 'string' || isObject(value))) {
        fail(`${at}: variant ${quote(variant)} must be a boolean, number, string or object`);
      }
    }
    const dv = def['defaultVariant'];
    if (typeof dv !== 'string' || !Object.hasOwn(variants, dv)) {
      fail(
        `${at}: "defaultVariant" must name one of its variants (${Object.keys(variants).join(', ')})`,
      );
    }
    if (def['targeting'] !== undefined && !isObject(def['targeting'])) {
      fail(`${at}: "targeting" must be an object`);
    }
  }
  return doc as unknown as FlagsDocument;
}

/** The flags of a file, in file order. */
export function listFlags(file: string): FlagSummary[] {
  return summarize(readFlagsFile(file));
}

export function summarize(doc: FlagsDocument): FlagSummary[] {
  return Object.entries(doc.flags).map(([name, def]) => ({
    name,
    description: def.description ?? '',
    state: def.state,
    variant: def.defaultVariant,
    value: def.variants[def.defaultVariant] as FlagValue,
    variants: Object.keys(def.variants),
  }));
}

/**
 * Switches `flag` to `variant` and replaces the file atomically. Unknown flag
 * or variant: throws UnknownFlagError / UnknownVariantError and leaves the
 * file as it was. Everything else in the document is kept.
 */
export function setFlag(file: string, flag: string, variant: string): FlagSummary {
  const doc = readFlagsFile(file);
  const def = Object.hasOwn(doc.flags, flag) ? doc.flags[flag] : undefined;
  if (def === undefined) throw new UnknownFlagError(flag, Object.keys(doc.flags));
  if (!Object.hasOwn(def.variants, variant)) {
    throw new UnknownVariantError(flag, variant, Object.keys(def.variants));
  }
  const next: FlagsDocument = {
    ...doc,
    flags: { ...doc.flags, [flag]: { ...def, defaultVariant: variant } },
  };
  writeAtomically(file, serialize(next));
  const summary = summarize(next).find((f) => f.name === flag);
  if (summary === undefined) throw new Error(`flag ${flag} vanished while being set`);
  return summary;
}

/** The value a flag has now (its default variant's), or undefined if absent. */
export function currentValue(doc: FlagsDocument, flag: string): FlagValue | undefined {
  const def = Object.hasOwn(doc.flags, flag) ? doc.flags[flag] : undefined;
  return def === undefined ? undefined : def.variants[def.defaultVariant];
}

function serialize(doc: FlagsDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function writeAtomically(file: string, text: string): void {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    fs.writeFileSync(tmp, text, { mode: 0o644 });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new FlagsFileError(file, `cannot be written (${(err as Error).message})`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Names in messages come from users (and the HTTP API): quoted and bounded. */
function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}...` : s);
}
