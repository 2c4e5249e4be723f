// Regex label matchers: what the store's RE2 matcher (store/re2) costs
// against the JavaScript path it replaced (translateRe2 below, PromQL's
// old RE2 -> JavaScript rewrite, then `^(?:...)$` with the `s` flag,
// cached), over label values shaped like the lab's (service names, span
// names, instances).
//
//   npm run build && node dist/bench/regex-matchers.js [--values 200000] [--runs 5]
//
// Single process, no I/O; about 10 s at the defaults. Prints the median
// nanoseconds per test for each pattern, the compile time of a new
// pattern (first use, cache empty), and label_replace's submatches on
// RegExp against the Pike VM (store/re2/submatch.ts).

import { parseArgs } from 'node:util';
import { compileRe2, compileSubmatcher, re2Matcher } from '../src/store/re2';

const { values: args } = parseArgs({
  options: {
    values: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '5' },
  },
});
const n = Number(args.values);
const runs = Number(args.runs);

const services = ['recommendation', 'frontend', 'cart', 'checkout', 'product-catalog', 'ad'];
const values = Array.from({ length: n }, (_, i) => {
  const s = services[i % services.length] ?? 'x';
  return i % 3 === 0
    ? s
    : i % 3 === 1
      ? `${s}:${9000 + (i % 997)}`
      : `/oteldemo.${s}/Call${i % 50}`;
});

const patterns = [
  '.*',
  'cart|checkout|frontend',
  'rec.*|front.*',
  '(?i)REC.*',
  '.*Recommendation.*',
  '[[:alpha:]]+:\\d+',
  '/oteldemo\\.[a-z-]+/Call(1|2)\\d',
];

// ---------- the baseline: PromQL's rewrite before store/re2, kept as it was ----------

// RE2's ASCII classes, spelled out for JavaScript.
const posix: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

function posixClasses(body: string): string {
  return body.replace(/\[:(\^?)([a-z]+):\]/g, (all, negated: string, name: string) => {
    const ranges = posix[name];
    if (ranges === undefined) throw new Error(`invalid character class range: ${all}`);
    if (negated) throw new Error(`negated character class ${all} is not supported`);
    return ranges;
  });
}

function swapCase(c: string): string {
  const lower = c.toLowerCase();
  return lower === c ? c.toUpperCase() : lower;
}

function isLetter(c: string): boolean {
  return c.toLowerCase() !== c.toUpperCase();
}

/** Rewrites a character class body so it matches both cases. */
function foldClass(body: string): string {
  let extra = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\') {
      i++;
      continue;
    }
    const next = body[i + 1];
    const end = body[i + 2];
    if (next === '-' && end !== undefined && isLetter(c) && isLetter(end)) {
      extra += `${swapCase(c)}-${swapCase(end)}`;
      i += 2;
    } else if (isLetter(c)) {
      extra += swapCase(c);
    }
  }
  return body + extra;
}

/**
 * RE2 -> JavaScript: scoped flag groups `(?i)`, `(?i:...)` become explicit
 * case alternatives, `(?P<name>` becomes `(?<name>`, `\z` and `\A` anchors.
 */
function translateRe2(pattern: string): { source: string; dotAll: boolean } {
  let out = '';
  let ci = false;
  let dotAll = false;
  const stack: boolean[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      if (e === 'z') out += '$';
      else if (e === 'A') out += '^';
      else out += c + e;
      i++;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') {
        const posix =
          pattern[j] === '[' && pattern[j + 1] === ':' ? pattern.indexOf(':]', j + 2) : -1;
        j = posix !== -1 ? posix + 2 : j + (pattern[j] === '\\' ? 2 : 1);
      }
      const negated = pattern[i + 1] === '^';
      const body = posixClasses(pattern.slice(i + 1 + (negated ? 1 : 0), j));
      out += '[' + (negated ? '^' : '') + (ci ? foldClass(body) : body) + ']';
      i = j;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const flagGroup = /^\(\?([a-zA-Z-]*)(\)|:)/.exec(pattern.slice(i));
      if (flagGroup && flagGroup[1] !== undefined && !pattern.startsWith('(?P<', i)) {
        const flags = flagGroup[1];
        const on = flags.split('-')[0] ?? '';
        const off = flags.split('-')[1] ?? '';
        const nextCi: boolean = on.includes('i') ? true : off.includes('i') ? false : ci;
        if (on.includes('s') && i === 0) dotAll = true;
        if (flagGroup[2] === ')') {
          ci = nextCi;
        } else {
          stack.push(ci);
          ci = nextCi;
          out += '(?:';
        }
        i += flagGroup[0].length - 1;
        continue;
      }
      if (pattern.startsWith('(?P<', i)) {
        stack.push(ci);
        out += '(?<';
        i += 3;
        continue;
      }
      stack.push(ci);
      out += '(';
      continue;
    }
    if (c === '(') {
      stack.push(ci);
      out += c;
      continue;
    }
    if (c === ')') {
      ci = stack.pop() ?? ci;
      out += c;
      continue;
    }
    if (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i))) {
      const q = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i))?.[0] ?? '';
      out += q;
      i += q.length - 1;
      continue;
    }
    out += ci && isLetter(c) ? `[${c}${swapCase(c)}]` : c;
  }
  return { source: out, dotAll };
}

const oldCache = new Map<string, RegExp>();
function oldMatcher(p: string): (v: string) => boolean {
  let re = oldCache.get(p);
  if (!re) {
    re = new RegExp(`^(?:${translateRe2(p).source})$`, 's');
    oldCache.set(p, re);
  }
  const r = re;
  return (v) => r.test(v);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Median ns per test over runs; each test looks its matcher up, as the store does per series. */
function time(
  get: (p: string) => (v: string) => boolean,
  p: string,
  vs = values,
): [number, number] {
  const ns: number[] = [];
  let hits = 0;
  for (let r = 0; r < runs; r++) {
    hits = 0;
    const t0 = process.hrtime.bigint();
    for (const v of vs) if (get(p)(v)) hits++;
    ns.push(Number(process.hrtime.bigint() - t0) / vs.length);
  }
  return [median(ns), hits];
}

console.log(`# ${n} values, ${runs} runs, node ${process.version}`);
console.log('pattern'.padEnd(40), 'old ns/test', 'new ns/test', 'hits old/new');
for (const p of patterns) {
  const [o, ho] = time(oldMatcher, p);
  const [m, hm] = time(re2Matcher, p);
  console.log(p.padEnd(40), o.toFixed(1).padStart(11), m.toFixed(1).padStart(11), `${ho}/${hm}`);
}
// Compile cost of a pattern seen for the first time (distinct patterns defeat both caches).
const k = 2000;
for (const [name, get] of [
  ['old', oldMatcher],
  ['new', re2Matcher],
] as const) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < k; i++) get(`(?i)svc${i}-[a-z]+:\\d{2,4}|front.*`);
  console.log(
    `${name}: first use of a pattern ${(Number(process.hrtime.bigint() - t0) / k / 1000).toFixed(1)} µs`,
  );
}
// Where backtracking blows up: one 64 KiB value (the longest attribute value the lab keeps).
const long = 'a'.repeat(64 * 1024);
for (const p of ['.*a.*a.*b', '(a|aa)*b', '.*Recommendation.*']) {
  const t0 = process.hrtime.bigint();
  const hit = re2Matcher(p)(long);
  console.log(
    `${p} on 64 KiB: ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(1)} ms (match ${hit})`,
  );
}
const t1 = process.hrtime.bigint();
compileRe2('.*a.*b', 'regexp')('a'.repeat(16 * 1024));
console.log(
  `.*a.*b on 16 KiB with RegExp alone: ${(Number(process.hrtime.bigint() - t1) / 1e6).toFixed(1)} ms`,
);
// label_replace's submatches: RegExp with captures against the Pike VM, per value
// (on at most 20000 values: the VM costs microseconds each).
const some = values.slice(0, 20000);
console.log('submatch pattern'.padEnd(40), 'regexp ns', '  pike ns');
for (const p of ['([a-z-]+):(\\d+)', '/oteldemo\\.([a-z-]+)/(.*)', '(?:([a-z]+)-?)+']) {
  const re = compileSubmatcher(p, 'regexp');
  const pike = compileSubmatcher(p, 'pike');
  const [r] = time(() => (v) => re.exec(v) !== null, p, some);
  const [k] = time(() => (v) => pike.exec(v) !== null, p, some);
  console.log(p.padEnd(40), r.toFixed(1).padStart(9), k.toFixed(1).padStart(9));
}
