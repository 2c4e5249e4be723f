// Session 7 (bench/RESULTS.md "Session 7"): the lab API's heavier reads on a
// big store at serve's default memory limit: the trace list's other sorts,
// attribute and duration distributions, dependencies. Each read runs --runs
// times (the first reported apart); HTTP errors are counted and printed.
//
//   npm run build
//   node dist/bench/trace-search.js --spans 10000000 --dir D      # a store to read
//   node bench/lab-reads.mjs D [--runs 3] [--memory-limit 256MB] [--dist dist]
//
// The backend is `otel-lab serve` on D/data (loopback, ports 18080/14318/14317,
// retention off, a flags file inside D), stopped at the end. The time range is
// D/trace-search.json's: the 30 minutes of trace starts before the load.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '3' },
    'memory-limit': { type: 'string', default: '256MB' },
    dist: { type: 'string', default: 'dist' },
  },
});
const dir = positionals[0];
if (dir === undefined) throw new Error('usage: node bench/lab-reads.mjs DIR [--runs N]');
const runs = Number(values.runs);
const info = JSON.parse(readFileSync(join(dir, 'trace-search.json'), 'utf8'));
const child = spawn(
  process.execPath,
  [
    resolve(values.dist, 'src/cli/main.js'),
    'serve',
    '--data-dir',
    join(dir, 'data'),
    '--flags-file',
    join(dir, 'flags.json'),
    '--http-port',
    '18080',
    '--otlp-http-port',
    '14318',
    '--otlp-grpc-port',
    '14317',
    '--retention-size',
    '1TB',
    '--retention-age',
    '3650d',
    '--memory-limit',
    values['memory-limit'],
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise((ok, fail) => {
  child.on('exit', (code) => fail(new Error(`serve exited with ${code}`)));
  child.stdout.on('data', (d) => {
    if (/ready/.test(String(d))) ok();
  });
});

const base = 'http://127.0.0.1:18080';
const startUs = (info.loadStartMs - 32 * 60_000) * 1000;
const endUs = (info.loadStartMs + 10 * 60_000) * 1000;
const range = `start=${startUs}&end=${endUs}`;
const tag = encodeURIComponent('app.cache_hit=false');
const reads = {
  'traces, longest first, one service': `/api/trace-summaries?service=recommendation&limit=20&sort=longest&${range}`,
  'traces, most spans first, one service': `/api/trace-summaries?service=recommendation&limit=20&sort=most-spans&${range}`,
  'traces, longest first, all, limit 1500': `/api/trace-summaries?limit=1500&sort=longest&${range}`,
  'attributes, all spans': `/api/spans/attributes?${range}`,
  'attributes, one service': `/api/spans/attributes?service=recommendation&${range}`,
  'attributes, one service + tag': `/api/spans/attributes?service=recommendation&tags=${tag}&${range}`,
  'durations, all spans': `/api/spans/distribution?${range}`,
  'durations, one service + tag': `/api/spans/distribution?service=recommendation&tags=${tag}&${range}`,
  'durations, tag over all': `/api/spans/distribution?tags=${encodeURIComponent('app.cache_hit=true')}&${range}`,
  dependencies: `/api/dependencies?${range}`,
};
console.log(`\n| read | first s | then s (${runs - 1} runs) | HTTP errors |`);
console.log('|---|---:|---|---|');
try {
  for (const [name, path] of Object.entries(reads)) {
    const times = [];
    let errors = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = await fetch(base + path);
      const body = await r.text();
      times.push((performance.now() - t) / 1000);
      if (!r.ok) errors++;
      if (!r.ok) console.error(`${name}: HTTP ${r.status} ${body.slice(0, 200)}`);
    }
    const rest = times
      .slice(1)
      .map((x) => x.toFixed(2))
      .join(' / ');
    console.log(`| ${name} | ${times[0].toFixed(2)} | ${rest} | ${errors} of ${runs} |`);
  }
} finally {
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
  await new Promise((ok) => child.on('exit', ok));
}
