// `otel-lab serve`: the backend alone, for anyone's OTLP telemetry.

import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveFlagsPath } from '../shop/flags/file';
import { watchSupervisor } from '../shop/parent-watch';
import { createFlagsService } from './flags-service';
import { DEFAULT_MEMORY_LIMIT, StoreOpenError } from '../store/duckdb';
import { startBackend } from './backend';
import { resolveDataDir } from './data-dir';
import type { Backend } from './backend';
import { EXIT_CONFIG, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io';
import { parseDuration, parseSize } from './units';

const usage = `usage: otel-lab serve [options]

Runs the backend: OTLP in (gRPC and HTTP), the store, the Jaeger and
Prometheus APIs and the lab UI.

options:
  --host H              address to listen on (default 127.0.0.1; 0.0.0.0 exposes it to your network)
  --http-port N         UI and query APIs (default 8080)
  --otlp-http-port N    OTLP/HTTP (default 4318)
  --otlp-grpc-port N    OTLP/gRPC (default 4317)
  --data-dir D          where the DuckDB store lives (default $OTEL_LAB_DATA_DIR,
                        else $OTEL_LAB_HOME/data, else ~/.otel-lab/data)
  --in-memory           keep everything in memory (lost on exit)
  --memory-limit M      DuckDB memory limit (default 256MB; bounds the backend's RSS)
  --retention-age T     drop data older than T (default 7d; e.g. 12h, 30d)
  --retention-size S    drop the oldest data beyond S on disk (default 2GB)
  --cors-origin O       allow browser apps from origin O to send OTLP/HTTP (repeatable, or *)
  --flags-file F        flagd file the UI's Flags page edits (default $OTEL_LAB_FLAGS_FILE,
                        else $OTEL_LAB_HOME/flags.json)
  -h, --help            this text
`;

function port(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`--${name} ${raw}: not a port number (0-65535)`);
  }
  return n;
}

class UsageError extends Error {}

export async function runServe(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let backend: Backend;
  let readyText: string;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        'http-port': { type: 'string', default: '8080' },
        'otlp-http-port': { type: 'string', default: '4318' },
        'otlp-grpc-port': { type: 'string', default: '4317' },
        'data-dir': { type: 'string' },
        'in-memory': { type: 'boolean', default: false },
        'memory-limit': { type: 'string', default: DEFAULT_MEMORY_LIMIT },
        'retention-age': { type: 'string', default: '7d' },
        'retention-size': { type: 'string', default: '2GB' },
        'cors-origin': { type: 'string', multiple: true },
        'flags-file': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(usage);
      return EXIT_OK;
    }
    const dataDir = values['in-memory'] ? ':memory:' : resolveDataDir(values['data-dir'], env);
    const flagsFile = values['flags-file']
      ? path.resolve(values['flags-file'])
      : resolveFlagsPath(env);
    const options = {
      host: values.host,
      httpPort: port('http-port', values['http-port']),
      otlpHttpPort: port('otlp-http-port', values['otlp-http-port']),
      otlpGrpcPort: port('otlp-grpc-port', values['otlp-grpc-port']),
      dataDir,
      memoryLimit: values['memory-limit'],
      retention: {
        maxAge: parseDuration(values['retention-age']),
        maxBytes: parseSize(values['retention-size']),
      },
      corsOrigins: values['cors-origin'] ?? [],
      flags: createFlagsService(flagsFile),
    };
    backend = await startBackend(options);
    const where = dataDir === ':memory:' ? 'in memory (lost on exit)' : dataDir;
    readyText = [
      `otel-lab serve: ready`,
      `  lab UI        ${backend.url}/`,
      `  OTLP/gRPC     ${values.host}:${backend.ports.otlpGrpc}`,
      `  OTLP/HTTP     http://${values.host}:${backend.ports.otlpHttp}/v1/{traces,metrics,logs}`,
      `  Jaeger API    ${backend.url}/jaeger/api/`,
      `  Prometheus    ${backend.url}/prometheus/`,
      `  health        ${backend.url}/metrics`,
      `  data          ${where}`,
      '',
    ].join('\n');
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`otel-lab serve: ${(e as Error).message}\n\n${usage}`);
      return EXIT_USAGE;
    }
    if (e instanceof RangeError) {
      process.stderr.write(`otel-lab serve: ${e.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`otel-lab serve: ${e instanceof Error ? e.message : String(e)}\n`);
    // A store that cannot open will not open on a retry: tell a supervisor not to restart.
    return e instanceof StoreOpenError ? EXIT_CONFIG : EXIT_FAILURE;
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`otel-lab serve: ${signal}, finishing writes and closing the store\n`);
      backend.close().then(
        () => resolve(EXIT_OK),
        (e: unknown) => {
          process.stderr.write(`otel-lab serve: close failed: ${String(e)}\n`);
          resolve(EXIT_FAILURE);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Under `otel-lab start`: close cleanly even when the supervisor was SIGKILLed.
    watchSupervisor(() => stop('SIGTERM'), env);
    // Only now: whoever waits for this text may signal at once (a process
    // preempted between the write and the handlers died of that SIGTERM).
    process.stdout.write(readyText);
  });
}
