// Differential PromQL suite (issue 5, part 2): the same seeded samples in a
// real Prometheus 2.x (promtool blocks, Debian's 2.42 in CI) and in our
// memory store behind our /prometheus API; every corpus expression runs as
// instant queries at several times and as range queries on both, and the
// answers must agree (compare.ts says how). Expressions listed in
// known-differences.json must still differ: the list only shrinks.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hono } from 'hono';
import { createPrometheusApi } from '../../../src/api/prometheus/index';
import { createMemoryStore } from '../../../src/store/memory';
import { diffAnswers, type Answer } from './compare';
import { apiPaths, corpus, dashboard, instantTimes, rangeWindows } from './corpus';
import { generate } from './data';
import knownList from './known-differences.json';
import { missingPrometheus, startPrometheus, type RealPrometheus } from './prometheus';

interface Known {
  readonly expr: string;
  readonly reason: string;
}

const known = new Map((knownList as Known[]).map((k) => [k.expr, k.reason]));
const data = generate();
const startS = data.startMs / 1000;
const endS = data.endMs / 1000;

// Not skipped when missing: CI installs it, and a green run must mean the comparison ran.
it('finds prometheus and promtool', () => {
  assert.equal(missingPrometheus(), undefined);
});

describe('PromQL differential: our engine vs a real Prometheus', () => {
  let prom: RealPrometheus | undefined;
  let ours: Hono | undefined;

  before(async () => {
    const missing = missingPrometheus();
    if (missing) throw new Error(missing);
    prom = await startPrometheus(data.series);
    const store = createMemoryStore();
    await store.write({ samples: data.series });
    // Every query passes time/start/end; the clock would only matter if one did not.
    ours = createPrometheusApi({ store, now: () => data.endMs });
    console.log(`# ${prom.version}; ${data.series.length} series, ${data.sampleCount} samples`);
  });

  after(async () => {
    await prom?.stop();
  });

  async function ask(path: string): Promise<[Answer, Answer]> {
    if (!prom || !ours) throw new Error('setup failed: see the before hook');
    const [a, b] = await Promise.all([
      fetch(`${prom.base}${path}`),
      ours.request(`http://localhost${path}`),
    ]);
    return [
      { status: a.status, body: (await a.json()) as Answer['body'] },
      { status: b.status, body: (await b.json()) as Answer['body'] },
    ];
  }

  it('loads the same samples into both', async () => {
    const names = [...new Set(data.series.map((s) => s.labels['__name__'] ?? ''))];
    for (const name of names) {
      const want = data.series
        .filter((s) => s.labels['__name__'] === name)
        .reduce((n, s) => n + s.samples.length, 0);
      const q = encodeURIComponent(`sum(count_over_time(${name}[7h]))`);
      const [p, o] = await ask(`/api/v1/query?query=${q}&time=${endS}`);
      const count = (a: Answer): string | undefined =>
        (a.body.data?.result as { value: [number, string] }[] | undefined)?.[0]?.value[1];
      assert.equal(count(p), String(want), `Prometheus holds the wrong number of ${name} samples`);
      assert.equal(count(o), String(want), `our store holds the wrong number of ${name} samples`);
    }
  });

  it('lists only corpus expressions as known differences, each with a reason', () => {
    for (const [expr, reason] of known) {
      assert.ok(corpus.includes(expr), `known-differences.json: ${expr} is not in the corpus`);
      assert.ok(reason.trim().length > 10, `known-differences.json: ${expr} needs a reason`);
    }
  });

  it('agrees on parameter errors, limits and the label browser', async () => {
    const diffs: string[] = [];
    for (const path of apiPaths(startS, endS)) {
      const [want, got] = await ask(path);
      const same =
        want.status === got.status &&
        want.body.status === got.body.status &&
        want.body.errorType === got.body.errorType &&
        JSON.stringify(want.body.data) === JSON.stringify(got.body.data);
      if (!same) {
        diffs.push(
          `  ${path}\n    Prometheus ${want.status} ${JSON.stringify(want.body).slice(0, 300)}\n    ours       ${got.status} ${JSON.stringify(got.body).slice(0, 300)}`,
        );
      }
    }
    assert.equal(diffs.length, 0, `differs from Prometheus:\n${diffs.join('\n')}`);
  });

  it('agrees on form POSTs (as Grafana sends them)', async () => {
    if (!prom || !ours) throw new Error('setup failed: see the before hook');
    const diffs: string[] = [];
    for (const expr of dashboard) {
      const [s, e] = [endS - 3600, endS];
      for (const [path, form] of [
        ['/api/v1/query', { query: expr, time: String(e) }],
        ['/api/v1/query_range', { query: expr, start: String(s), end: String(e), step: '15' }],
      ] as const) {
        const init = () => ({
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        });
        const a = await fetch(`${prom.base}${path}`, init());
        const b = await ours.request(`http://localhost${path}`, init());
        const want = { status: a.status, body: (await a.json()) as Answer['body'] };
        const got = { status: b.status, body: (await b.json()) as Answer['body'] };
        const d = diffAnswers(expr, want, got, path.endsWith('range'));
        if (d !== undefined) diffs.push(`  POST ${path} ${expr}: ${d}`);
      }
    }
    assert.equal(diffs.length, 0, diffs.join('\n'));
  });

  for (const expr of corpus) {
    it(expr, async (t) => {
      const q = encodeURIComponent(expr);
      const cases: [string, string, boolean][] = [
        ...instantTimes(startS, endS).map((at): [string, string, boolean] => [
          `instant @ ${at}`,
          `/api/v1/query?query=${q}&time=${at}`,
          false,
        ]),
        ...rangeWindows(startS, endS).map(([s, e, step]): [string, string, boolean] => [
          `range ${s}..${e} step ${step}`,
          `/api/v1/query_range?query=${q}&start=${s}&end=${e}&step=${step}`,
          true,
        ]),
      ];
      const diffs: string[] = [];
      const wording = new Set<string>();
      for (const [label, path, ranged] of cases) {
        const [want, got] = await ask(path);
        const d = diffAnswers(expr, want, got, ranged);
        if (d !== undefined) diffs.push(`  ${label}: ${d}`);
        // Same errorType is what counts; the parsers word some messages differently.
        if (d === undefined && want.body.error !== got.body.error)
          wording.add(`"${want.body.error}" vs ours "${got.body.error}"`);
      }
      for (const w of wording) t.diagnostic(`error text differs: ${w}`);
      const reason = known.get(expr);
      if (reason !== undefined) {
        t.diagnostic(`known difference (${diffs.length} of ${cases.length} cases): ${reason}`);
        assert.ok(
          diffs.length > 0,
          `${expr} now agrees with Prometheus: remove it from known-differences.json`,
        );
        return;
      }
      assert.equal(
        diffs.length,
        0,
        `${expr} differs from Prometheus in ${diffs.length} of ${cases.length} cases:\n${diffs.join('\n')}`,
      );
    });
  }
});
