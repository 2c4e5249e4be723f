// Human units on the command line: `7d`, `12h`, `2GB`, `512MiB`.

const NS_PER: Readonly<Record<string, bigint>> = {
  s: 1_000_000_000n,
  m: 60n * 1_000_000_000n,
  h: 3600n * 1_000_000_000n,
  d: 86_400n * 1_000_000_000n,
  w: 7n * 86_400n * 1_000_000_000n,
};

/** A positive whole number of s, m, h, d or w, in nanoseconds. */
export function parseDuration(text: string): bigint {
  const m = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (!m)
    throw new RangeError(
      `'${text}' is not a duration: use a whole number and s, m, h, d or w (e.g. 7d)`,
    );
  const n = BigInt(m[1]!);
  if (n === 0n) throw new RangeError(`'${text}': a duration must be more than zero`);
  return n * NS_PER[m[2]!]!;
}

const BYTES_PER: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** A positive size such as 2GB, 1.5GiB or 500MB, in bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)$/i.exec(text.trim());
  const unit = m ? BYTES_PER[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new RangeError(
      `'${text}' is not a size: use a number and B, KB, MB, GB, TB or KiB..TiB (e.g. 2GB)`,
    );
  }
  const bytes = Math.floor(Number(m[1]) * unit);
  if (bytes <= 0 || !Number.isSafeInteger(bytes))
    throw new RangeError(`'${text}': a size must be more than zero`);
  return bytes;
}
