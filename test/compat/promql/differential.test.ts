// Differential suite: the same data and queries against a real Prometheus
// 2.42 (Debian's package; .ci/run installs it) and our /prometheus API.
// Results must agree: status, errorType, resultType, labels and values
// (relative error 1e-6, as Prometheus's own test runner allows).
//
// Error texts are compared too, but only reported: lezer's parse errors are
// worded differently from Prometheus's yacc parser.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Hono } from 'hono';
import { createPrometheusApi } from '../../../src/api/prometheus/index';
import { almostEqual } from '../../../src/query/promql/testfile';
import { createMemoryStore } from '../../../src/store/memory';
import { differentialSeries, t0, toOpenMetrics } from './differential-data';
import { instantQueries, instantTimes, rangeQueries, syntaxQueries } from './differential-queries';
import { knownDifferences } from './differential-known';

const promtool = spawnSync('promtool', ['--version']).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  body: {
    status?: string;
    errorType?: string;
    error?: string;
    data?: { resultType?: string; result?: unknown };
  };
}

type Sample = {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
};

function key(m: Record<string, string>): string {
  return JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function sameValue(a: string, b: string): boolean {
  return (
    a === b ||
    almostEqual(
      Number(a.replace('+Inf', 'Infinity').replace('-Inf', '-Infinity')),
      Number(b.replace('+Inf', 'Infinity').replace('-Inf', '-Infinity')),
    )
  );
}

function samePair(a: [number, string] | undefined, b: [number, string] | undefined): boolean {
  return a !== undefined && b !== undefined && a[0] === b[0] && sameValue(a[1], b[1]);
}

/** undefined when equal, else what differs. */
export function diff(query: string, want: Answer, got: Answer): string | undefined {
  if (
    want.status !== got.status ||
    want.body.status !== got.body.status ||
    want.body.errorType !== got.body.errorType
  ) {
    return `status ${want.status} ${want.body.errorType ?? ''} ${want.body.error ?? ''} vs ours ${got.status} ${got.body.errorType ?? ''} ${got.body.error ?? ''}`;
  }
  if (want.body.status !== 'success') return undefined;
  const w = want.body.data;
  const g = got.body.data;
  if (w?.resultType !== g?.resultType)
    return `resultType ${w?.resultType} vs ours ${g?.resultType}`;
  if (w?.resultType === 'scalar' || w?.resultType === 'string') {
    const a = w.result as [number, string];
    const b = g?.result as [number, string];
    return samePair(a, b) ? undefined : `scalar ${JSON.stringify(a)} vs ours ${JSON.stringify(b)}`;
  }
  const ws = (w?.result ?? []) as Sample[];
  const gs = (g?.result ?? []) as Sample[];
  if (ws.length !== gs.length)
    return `${ws.length} series vs ours ${gs.length}: ${JSON.stringify(ws.map((s) => s.metric))} vs ${JSON.stringify(gs.map((s) => s.metric))}`;
  const ordered = /^\s*sort/.test(query) || w?.resultType === 'matrix';
  const byKey = new Map(gs.map((s, i) => [key(s.metric), { s, i }]));
  for (const [i, s] of ws.entries()) {
    const mine = byKey.get(key(s.metric));
    if (!mine) return `series ${JSON.stringify(s.metric)} missing from ours`;
    if (ordered && mine.i !== i)
      return `series ${JSON.stringify(s.metric)} at ${mine.i}, Prometheus has it at ${i}`;
    if (s.value && !samePair(s.value, mine.s.value))
      return `${JSON.stringify(s.metric)}: ${JSON.stringify(s.value)} vs ours ${JSON.stringify(mine.s.value)}`;
    if (s.values) {
      const other = mine.s.values ?? [];
      if (s.values.length !== other.length || s.values.some((p, k) => !samePair(p, other[k]))) {
        return `${JSON.stringify(s.metric)}: ${JSON.stringify(s.values.slice(0, 5))}... (${s.values.length}) vs ours ${JSON.stringify(other.slice(0, 5))}... (${other.length})`;
      }
    }
  }
  return undefined;
}

describe('PromQL differential against Prometheus 2.42', () => {
  let dir = '';
  let prom: ChildProcess | undefined;
  let base = '';
  let ours: Hono | undefined;

  before(async () => {
    if (!promtool) return;
    dir = mkdtempSync(join(tmpdir(), 'otel-lab-promql-'));
    const series = differentialSeries();
    writeFileSync(join(dir, 'data.om'), toOpenMetrics(series));
    const made = spawnSync(
      'promtool',
      ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'data.om'), join(dir, 'tsdb')],
      { encoding: 'utf8' },
    );
    assert.equal(made.status, 0, made.stderr);
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    prom = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    const child = prom;
    // Never leave Prometheus behind, even if this process dies early.
    process.once('exit', () => child.kill('SIGKILL'));
    let ready = false;
    for (let i = 0; i < 150 && !ready; i++) {
      try {
        ready = (await fetch(`${base}/-/ready`)).ok;
      } catch {
        // not listening yet
      }
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(ready, `prometheus did not become ready on ${base} within 15 s`);
    const store = createMemoryStore();
    await store.write({ samples: series });
    ours = createPrometheusApi({ store, now: () => t0 + 3600_000 });
  });

  after(() => {
    prom?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function both(path: string): Promise<[Answer, Answer]> {
    const a = await fetch(`${base}${path}`);
    const b = await (ours as Hono).request(`http://localhost${path}`);
    return [
      { status: a.status, body: (await a.json()) as Answer['body'] },
      { status: b.status, body: (await b.json()) as Answer['body'] },
    ];
  }

  function check(
    label: string,
    query: string,
    want: Answer,
    got: Answer,
    failures: string[],
    wording: string[],
  ): void {
    const d = diff(query, want, got);
    const known = knownDifferences.get(query);
    if (d !== undefined && known === undefined) failures.push(`${label}\n    ${d}`);
    if (d === undefined && known !== undefined)
      failures.push(`${label}\n    now agrees: remove it from differential-known.ts`);
    if (d === undefined && want.body.error !== got.body.error)
      wording.push(`${label}: "${want.body.error}" vs ours "${got.body.error}"`);
  }

  it('finds promtool and prometheus (installed by .ci/run)', () => {
    assert.ok(promtool, 'promtool is not installed: apt-get install prometheus');
  });

  it('agrees on instant queries', async () => {
    const failures: string[] = [];
    const wording: string[] = [];
    let nonEmpty = 0;
    for (const q of instantQueries) {
      for (const off of instantTimes) {
        const time = (t0 / 1000 + off).toString();
        const [want, got] = await both(`/api/v1/query?query=${encodeURIComponent(q)}&time=${time}`);
        check(`${q} @ t0+${off}s`, q, want, got, failures, wording);
        const result = want.body.data?.result;
        if (Array.isArray(result) && result.length > 0) nonEmpty++;
      }
    }
    // Guards against comparing two empty databases.
    assert.ok(
      nonEmpty > instantQueries.length * 2,
      `only ${nonEmpty} non-empty answers from Prometheus`,
    );
    if (wording.length > 0)
      console.log(
        `# error wording differs (${wording.length}):\n# ${[...new Set(wording)].slice(0, 20).join('\n# ')}`,
      );
    assert.deepEqual(failures, []);
  });

  it('agrees on syntax corners', async () => {
    const failures: string[] = [];
    const wording: string[] = [];
    for (const q of syntaxQueries) {
      const [want, got] = await both(
        `/api/v1/query?query=${encodeURIComponent(q)}&time=${t0 / 1000 + 1800}`,
      );
      check(q, q, want, got, failures, wording);
    }
    if (wording.length > 0) console.log(`# error wording differs:\n# ${wording.join('\n# ')}`);
    assert.deepEqual(failures, []);
  });

  it('agrees on range queries', async () => {
    const failures: string[] = [];
    const wording: string[] = [];
    for (const [q, from, to, step] of rangeQueries) {
      const path = `/api/v1/query_range?query=${encodeURIComponent(q)}&start=${t0 / 1000 + from}&end=${t0 / 1000 + to}&step=${step}`;
      const [want, got] = await both(path);
      check(`range ${q} [${from}, ${to}] step ${step}`, q, want, got, failures, wording);
    }
    if (wording.length > 0) console.log(`# error wording differs:\n# ${wording.join('\n# ')}`);
    assert.deepEqual(failures, []);
  });

  it('agrees on label names, values, series and parameter errors', async () => {
    const failures: string[] = [];
    for (const path of [
      '/api/v1/labels',
      `/api/v1/labels?start=${t0 / 1000}&end=${t0 / 1000 + 60}&match[]=up`,
      '/api/v1/label/service/values',
      '/api/v1/label/__name__/values',
      `/api/v1/label/code/values?match[]=${encodeURIComponent('app_requests_total{service="cart"}')}`,
      `/api/v1/series?match[]=up&match[]=${encodeURIComponent('{__name__=~"process_.*"}')}`,
      '/api/v1/series',
      `/api/v1/series?match[]=${encodeURIComponent('{a=""}')}`,
      '/api/v1/label/a-b/values',
      '/api/v1/query?query=up&time=abc',
      '/api/v1/query?query=up&time=1e30',
      '/api/v1/query?query=up&timeout=abc',
      `/api/v1/query?query=up&time=${t0 / 1000 + 60}&timeout=1m`,
      `/api/v1/query?query=up&time=2023-11-14T22:15:00.000Z`,
      `/api/v1/query?query=up&time=2023-11-14T23:15:00%2B01:00`,
      '/api/v1/query_range?query=up&start=0&end=100000000&step=1',
      '/api/v1/query_range?query=up&start=abc&end=1&step=1',
      '/api/v1/query_range?query=up&start=0&end=1',
      '/api/v1/query_range?query=sum(&start=0&end=1&step=1',
    ]) {
      const [want, got] = await both(path);
      const sortBody = (b: Answer['body']): unknown =>
        Array.isArray(b.data) ? [...(b.data as unknown[])].map((x) => JSON.stringify(x)).sort() : b;
      if (
        want.status !== got.status ||
        JSON.stringify(sortBody(want.body)) !== JSON.stringify(sortBody(got.body))
      ) {
        failures.push(
          `${path}\n    ${JSON.stringify(want.body).slice(0, 300)}\n    vs ours ${JSON.stringify(got.body).slice(0, 300)}`,
        );
      }
    }
    assert.deepEqual(failures, []);
  });
});
