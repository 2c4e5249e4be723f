// The load generator process: `--users N` simulated shoppers against the
// frontend (FRONTEND_ADDR), think time divided by `--speed F`. Traced as
// service `load-generator`; its requests carry synthetic_request=true baggage.
import { SERVICE_NAME, telemetry } from './instrument';

import { parseArgs } from 'node:util';
import { startFileFlags } from '../flags/openfeature';
import { createLogger } from '../telemetry/log';
import { HttpFrontend } from './client';
import { watchSupervisor } from '../parent-watch';
import { LoadStats } from './stats';
import { runUser } from './user';

const usage = `usage: node dist/src/shop/loadgen/main.js [--users N] [--speed F]

  --users N   simulated users (default 5, 1-1000)
  --speed F   divide the 1-10 s think time by F (default 1)

env: FRONTEND_ADDR (default 127.0.0.1:8081), OTEL_LAB_FLAGS_FILE, OTEL_EXPORTER_OTLP_*
`;

const SUMMARY_EVERY_S = 30;

function parse(argv: string[]): { users: number; speed: number } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      users: { type: 'string', default: '5' },
      speed: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const users = Number(values.users);
  const speed = Number(values.speed);
  if (!Number.isInteger(users) || users < 1 || users > 1000) {
    throw new Error(
      `--users ${JSON.stringify(values.users)} must be a whole number from 1 to 1000`,
    );
  }
  if (!Number.isFinite(speed) || speed <= 0 || speed > 1000) {
    throw new Error(
      `--speed ${JSON.stringify(values.speed)} must be a number above 0 and at most 1000`,
    );
  }
  return { users, speed };
}

async function main(): Promise<void> {
  const log = createLogger(SERVICE_NAME);
  let opts: { users: number; speed: number };
  try {
    opts = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`load-generator: ${(err as Error).message}\n\n${usage}`);
    await telemetry.shutdown();
    process.exit(2);
  }
  const addr = process.env['FRONTEND_ADDR'] || '127.0.0.1:8081';
  const flags = await startFileFlags({ logger: log });
  const stats = new LoadStats();
  const stop = new AbortController();
  const frontends: HttpFrontend[] = [];
  const users: Promise<void>[] = [];
  log.info(`${opts.users} users against http://${addr}/, think time 1-10 s / ${opts.speed}`);
  for (let i = 0; i < opts.users; i++) {
    const frontend = new HttpFrontend(addr);
    frontends.push(frontend);
    // Users arrive one by one, as Locust spawns them, not all in one burst.
    const arrival = new Promise((r) => setTimeout(r, (i * 1000) / opts.speed));
    users.push(
      arrival.then(() =>
        stop.signal.aborted
          ? undefined
          : runUser(
              {
                frontend,
                rand: Math.random,
                speed: opts.speed,
                floodFlag: () => flags.number('loadgeneratorFloodHomepage', 0),
                onResult: (_task, r) => stats.record(r),
              },
              stop.signal,
            ).catch((err: unknown) => log.error(`user ${i + 1} stopped: ${String(err)}`)),
      ),
    );
  }
  const summary = setInterval(
    () => log.info(stats.drain(opts.users, SUMMARY_EVERY_S)),
    SUMMARY_EVERY_S * 1000,
  );

  const shutdown = async (): Promise<void> => {
    if (stop.signal.aborted) return;
    stop.abort();
    clearInterval(summary);
    // In-flight requests get a moment to finish, so their spans are complete.
    await Promise.race([Promise.all(users), new Promise((r) => setTimeout(r, 2000))]);
    for (const f of frontends) f.close();
    await flags.close().catch(() => undefined);
    await Promise.race([telemetry.shutdown(), new Promise((r) => setTimeout(r, 3000))]);
    process.exit(0);
  };
  watchSupervisor(() => {
    log.warn('otel-lab start is gone; stopping');
    void shutdown();
  });
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

main().catch((err: unknown) => {
  process.stderr.write(
    `load-generator: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
