// Regex label matchers: what the store's RE2 matcher (store/labels.ts) costs
// against the JavaScript path it replaced (query/promql/regex.ts's
// translateRe2, then `^(?:...)$` with the `s` flag, cached), over label
// values shaped like the lab's (service names, span names, instances).
//
//   npm run build && node dist/bench/regex-matchers.js [--values 200000] [--runs 5]
//
// Single process, no I/O; about 10 s at the defaults. Prints the median
// nanoseconds per test for each pattern, and the compile time of a new
// pattern (first use, cache empty).

import { parseArgs } from 'node:util';
import { translateRe2 } from '../src/query/promql/regex';
import { compileRe2, re2Matcher } from '../src/store/labels';

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
function time(get: (p: string) => (v: string) => boolean, p: string): [number, number] {
  const ns: number[] = [];
  let hits = 0;
  for (let r = 0; r < runs; r++) {
    hits = 0;
    const t0 = process.hrtime.bigint();
    for (const v of values) if (get(p)(v)) hits++;
    ns.push(Number(process.hrtime.bigint() - t0) / values.length);
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
