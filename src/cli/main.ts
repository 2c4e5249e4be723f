#!/usr/bin/env node
// The `otel-lab` command. Subcommands are wired here; each lives in its own file.

const usage = `usage: otel-lab <command>

commands:
  start            run the whole lab: backend, shop services and load generator
  serve            run the backend alone (OTLP in, APIs and UI out)
  flags list       list the feature flags and their current variants
  flags set F V    switch flag F to variant V
`;

function main(argv: readonly string[]): number {
  const [command] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(usage);
    return command === undefined ? 2 : 0;
  }
  process.stderr.write(`otel-lab: unknown command '${command}'\n${usage}`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
