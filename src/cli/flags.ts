// `otel-lab flags list` and `otel-lab flags set <flag> <variant>`.

import { parseArgs } from 'node:util';
import {
  FlagsFileError,
  UnknownFlagError,
  UnknownVariantError,
  ensureFlagsFile,
  listFlags,
  resolveFlagsPath,
  setFlag,
} from '../shop/flags/file';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, formatTable, type CliIo } from './io';

export const flagsUsage = `usage: otel-lab flags list [--json]
       otel-lab flags set <flag> <variant>

Shows or switches the lab's feature flags (flagd JSON). Running services
pick a change up within seconds.

The flags file is $OTEL_LAB_FLAGS_FILE, else $OTEL_LAB_HOME/flags.json,
else ~/.otel-lab/flags.json; it is created from the demo's flags (all off)
on first use.

options:
  --json       (list) print the flags as JSON
  -h, --help   show this help
`;

export function runFlags(argv: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    io.err(`otel-lab flags: ${(err as Error).message}\n\n${flagsUsage}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.out(flagsUsage);
    return EXIT_OK;
  }
  const [sub, ...rest] = positionals;
  const file = resolveFlagsPath(io.env);
  try {
    if (sub === 'list' && rest.length === 0) {
      if (ensureFlagsFile(file)) io.err(`created ${file} from the demo flags (all off)\n`);
      return list(file, values.json === true, io);
    }
    if (sub === 'set' && rest.length === 2 && values.json !== true) {
      const [flag = '', variant = ''] = rest;
      if (ensureFlagsFile(file)) io.err(`created ${file} from the demo flags (all off)\n`);
      const before = listFlags(file).find((f) => f.name === flag)?.variant;
      const after = setFlag(file, flag, variant);
      io.out(
        `${after.name}: ${before ?? '?'} -> ${after.variant} (${JSON.stringify(after.value)})\n`,
      );
      return EXIT_OK;
    }
  } catch (err) {
    if (err instanceof UnknownFlagError || err instanceof UnknownVariantError) {
      io.err(`otel-lab flags set: ${err.message}\nthe flags file was not changed.\n`);
      return EXIT_USAGE;
    }
    if (err instanceof FlagsFileError) {
      io.err(
        `otel-lab flags: ${err.message}\nfix or delete the file (it is recreated with every flag off).\n`,
      );
      return EXIT_FAILURE;
    }
    throw err;
  }
  const what = sub === undefined ? 'missing subcommand' : `bad arguments for '${sub}'`;
  io.err(`otel-lab flags: ${what}\n\n${flagsUsage}`);
  return EXIT_USAGE;
}

function list(file: string, json: boolean, io: CliIo): number {
  const flags = listFlags(file);
  if (json) {
    io.out(`${JSON.stringify(flags, null, 2)}\n`);
    return EXIT_OK;
  }
  const rows = flags.map((f) => [
    f.name,
    f.state === 'ENABLED' ? f.variant : `${f.variant} (disabled)`,
    f.variants.join(','),
    f.description,
  ]);
  io.out(formatTable([['FLAG', 'VARIANT', 'VARIANTS', 'DESCRIPTION'], ...rows]));
  io.out(`\nfile: ${file}\n`);
  return EXIT_OK;
}
