// Feature flags for the shop's services: the OpenFeature server SDK with the
// official flagd provider in in-process mode, reading the flags file itself
// (no flagd daemon).
//
// Why the extra watcher: the provider watches the file with fs.watchFile at
// Node's default 5 s poll, and a flag change must reach every service within
// 2 s. Node shares one stat watcher per path, so registering ours first (250
// ms poll) makes the provider's listener fire at our pace too. The stat poll
// sees the CLI's write-temp-then-rename (a new inode). Ours also validates
// the file, so a corrupt file is reported clearly; flagd-core then keeps the
// last good flags.
import fs from 'node:fs';
import path from 'node:path';
import { FlagdProvider } from '@openfeature/flagd-provider';
import {
  OpenFeature,
  type EvaluationContext,
  type Logger as OfLogger,
} from '@openfeature/server-sdk';
import { packageRoot } from '../telemetry/package';
import { parseFlags } from './file';

/** What services need from flags; tests pass `staticFlags`. */
export interface FlagSource {
  bool(name: string, fallback: boolean, context?: EvaluationContext): Promise<boolean>;
  number(name: string, fallback: number, context?: EvaluationContext): Promise<number>;
}

export interface FileFlags extends FlagSource {
  readonly file: string;
  close(): Promise<void>;
}

export interface FlagsLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const FLAGS_POLL_MS = 250;

/** OTEL_LAB_FLAGS_FILE, else the demo flags in the package (src/shop/flags/demo.flagd.json). */
export function flagsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['OTEL_LAB_FLAGS_FILE'];
  if (explicit) return path.resolve(explicit);
  return path.join(packageRoot(), 'src', 'shop', 'flags', 'demo.flagd.json');
}

const consoleLogger: FlagsLogger = {
  info: (m) => console.log(`flags: ${m}`),
  warn: (m) => console.warn(`flags: ${m}`),
  error: (m) => console.error(`flags: ${m}`),
};

function providerLogger(log: FlagsLogger): OfLogger {
  const text = (args: unknown[]) =>
    args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  return {
    error: (...a: unknown[]) => log.error(`flagd provider: ${text(a)}`),
    warn: (...a: unknown[]) => log.warn(`flagd provider: ${text(a)}`),
    info: () => undefined,
    debug: () => undefined,
  };
}

/**
 * Starts OpenFeature with the flagd provider on `file` and resolves once the
 * flags are loaded. One per process (OpenFeature's provider is global).
 * A missing or invalid file does not stop the service: every flag evaluates
 * to its default (off) and the file is loaded as soon as it becomes valid.
 */
export async function startFileFlags(
  opts: { file?: string; pollMs?: number; logger?: FlagsLogger } = {},
): Promise<FileFlags> {
  const file = path.resolve(opts.file ?? flagsFilePath());
  const log = opts.logger ?? consoleLogger;
  let loaded = false;
  let connecting: Promise<void> | undefined;
  let lastProblem: string | undefined;

  const connect = (): Promise<void> =>
    (connecting ??= OpenFeature.setProviderAndWait(
      new FlagdProvider(
        { resolverType: 'in-process', offlineFlagSourcePath: file },
        providerLogger(log),
      ),
    )
      .then(() => {
        loaded = true;
        log.info(`flags loaded from ${file}`);
      })
      .catch((err: unknown) => {
        log.error(
          `cannot load flags from ${file} (${err instanceof Error ? err.message : String(err)}): ` +
            'every flag is at its default (off) until the file is fixed',
        );
      })
      .finally(() => {
        connecting = undefined;
      }));

  const check = (): boolean => {
    try {
      parseFlags(fs.readFileSync(file, 'utf8'), file);
      if (lastProblem !== undefined) log.info(`flags file ${file} is valid again`);
      lastProblem = undefined;
      if (!loaded) void connect();
      return true;
    } catch (err) {
      const problem = err instanceof Error ? err.message : String(err);
      if (problem !== lastProblem) {
        log.error(
          loaded
            ? `${problem}: keeping the last good flags until the file is fixed`
            : `${problem}: every flag is at its default (off) until the file is fixed`,
        );
      }
      lastProblem = problem;
      return false;
    }
  };
  const pollMs = opts.pollMs ?? FLAGS_POLL_MS;
  fs.watchFile(file, { interval: pollMs, persistent: false }, () => check());
  // fs.watchFile compares against its first stat, taken asynchronously: a file
  // that appears between our first read and that stat never shows as a
  // change. Until the flags are loaded, look for the file on our own too.
  const untilLoaded = setInterval(() => {
    if (loaded) clearInterval(untilLoaded);
    else if (connecting === undefined) check();
  }, pollMs);
  untilLoaded.unref();
  if (check()) await connect();

  const client = OpenFeature.getClient();
  return {
    file,
    bool: (name, fallback, context) => client.getBooleanValue(name, fallback, context),
    number: (name, fallback, context) => client.getNumberValue(name, fallback, context),
    close: async () => {
      clearInterval(untilLoaded);
      fs.unwatchFile(file);
      await connecting;
      await OpenFeature.close();
    },
  };
}

/** Fixed flags for tests; `set` changes them. */
export function staticFlags(values: Record<string, boolean | number> = {}): FlagSource & {
  set(name: string, value: boolean | number): void;
} {
  const v = new Map(Object.entries(values));
  return {
    bool: async (name, fallback) => {
      const x = v.get(name);
      return typeof x === 'boolean' ? x : fallback;
    },
    number: async (name, fallback) => {
      const x = v.get(name);
      return typeof x === 'number' ? x : fallback;
    },
    set: (name, value) => void v.set(name, value),
  };
}
