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
//
// Why lazily: OpenFeature and the flagd provider (with its JSON-logic engine)
// are loaded on a process's first evaluation, not at start. currency and
// shipping never evaluate a flag and a quiet shop evaluates none; the
// provider costs ~1.5 MB of heap per process (bench/shop-footprint.md).
import fs from 'node:fs';
import path from 'node:path';
import type { FlagdProvider } from '@openfeature/flagd-provider';
import type {
  Client,
  EvaluationContext,
  Logger as OfLogger,
  OpenFeatureAPI,
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

interface OpenFeatureParts {
  readonly api: OpenFeatureAPI;
  readonly Provider: typeof FlagdProvider;
}

function loadOpenFeature(): OpenFeatureParts {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first evaluation */
  const { OpenFeature } =
    require('@openfeature/server-sdk') as typeof import('@openfeature/server-sdk');
  const { FlagdProvider: Provider } =
    require('@openfeature/flagd-provider') as typeof import('@openfeature/flagd-provider');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { api: OpenFeature, Provider };
}

/**
 * Watches `file` and, on the first evaluation, starts OpenFeature with the
 * flagd provider on it (that evaluation waits for the flags to load). One per
 * process (OpenFeature's provider is global). A missing or invalid file does
 * not stop the service: every flag evaluates to its default (off) and the
 * file is loaded as soon as it becomes valid. Whether or not anything was
 * evaluated yet, a broken file is reported in the log.
 */
export async function startFileFlags(
  opts: { file?: string; pollMs?: number; logger?: FlagsLogger } = {},
): Promise<FileFlags> {
  const file = path.resolve(opts.file ?? flagsFilePath());
  const log = opts.logger ?? consoleLogger;
  let openFeature: OpenFeatureParts | undefined;
  let client: Client | undefined;
  let wanted = false;
  let loaded = false;
  let seenValid = false;
  let connecting: Promise<void> | undefined;
  let lastProblem: string | undefined;

  const connect = (): Promise<void> => {
    if (connecting) return connecting;
    const of = (openFeature ??= loadOpenFeature());
    connecting = of.api
      .setProviderAndWait(
        new of.Provider(
          { resolverType: 'in-process', offlineFlagSourcePath: file },
          providerLogger(log),
        ),
      )
      .then(() => {
        client = of.api.getClient();
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
      });
    return connecting;
  };

  const check = (): boolean => {
    try {
      parseFlags(fs.readFileSync(file, 'utf8'), file);
      if (lastProblem !== undefined) log.info(`flags file ${file} is valid again`);
      lastProblem = undefined;
      seenValid = true;
      if (wanted && !loaded) void connect();
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
  // change. Until we have read the file once, look for it on our own too.
  const untilSeen = setInterval(() => {
    if (seenValid || loaded) clearInterval(untilSeen);
    else if (connecting === undefined) check();
  }, pollMs);
  untilSeen.unref();
  check();

  // While the file is broken, evaluations read it again at most once a poll.
  let lastTry = 0;
  /** The client once the flags are loaded; undefined means "use the fallback". */
  const ready = async (): Promise<Client | undefined> => {
    if (!loaded) {
      wanted = true;
      if (connecting === undefined && Date.now() - lastTry >= pollMs) {
        lastTry = Date.now();
        check();
      }
      await connecting;
    }
    return client;
  };
  return {
    file,
    bool: async (name, fallback, context) =>
      (await ready())?.getBooleanValue(name, fallback, context) ?? fallback,
    number: async (name, fallback, context) =>
      (await ready())?.getNumberValue(name, fallback, context) ?? fallback,
    close: async () => {
      clearInterval(untilSeen);
      fs.unwatchFile(file);
      await connecting;
      if (openFeature) await openFeature.api.close();
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
