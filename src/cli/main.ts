#!/usr/bin/env node
// The `otel-lab` command. Subcommands are wired here; each lives in its own file.

import { runFlags } from './flags';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, processIo } from './io';
import { loadServe } from './serve-seam';
import { runStart } from './start';

const usage = `usage: otel-lab <command> [options]

commands:
  start            run the whole lab: backend, shop services and load generator
  serve            run the backend alone (OTLP in, APIs and UI out)
  compact          give the disk space retention freed back (backend stopped)
  flags list       list the feature flags and their current variants
  flags set F V    switch flag F to variant V

Run 'otel-lab <command> --help' for a command's options.
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      process.stderr.write(usage);
      return EXIT_USAGE;
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(usage);
      return EXIT_OK;
    case 'flags':
      return runFlags(rest, processIo);
    case 'start':
      return runStart(rest, processIo);
    case 'compact': {
      const { runCompact } = await import('./compact.js');
      return runCompact(rest, processIo);
    }
    case 'serve': {
      const runServe = await loadServe();
      if (runServe === undefined) {
        process.stderr.write(
          'otel-lab serve: the backend is not built into this copy yet; ' +
            "send telemetry to any OTLP endpoint ('otel-lab start --otlp-endpoint URL').\n",
        );
        return EXIT_FAILURE;
      }
      return runServe(rest);
    }
    default:
      process.stderr.write(`otel-lab: unknown command '${command}'\n\n${usage}`);
      return EXIT_USAGE;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `otel-lab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = EXIT_FAILURE;
  },
);
