// Differential PromQL suite (issue 5, part 2): the same seeded samples in a
// real Prometheus 2.x (promtool blocks, Debian's 2.42 in CI) and in our
// stores behind our /prometheus API; every corpus expression runs as
// instant queries at several times and as range queries on both, and the
// answers must agree (compare.ts says how). The corpus runs once per store
// (memory, and DuckDB as the lab serves it). Expressions listed in
// known-differences.json must still differ: the list only shrinks.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hono } from 'hono';
import { createPrometheusApi } from '../../../src/api/prometheus/index';
import { createDuckDbStore } from '../../../src/store/duckdb';
import { createMemoryStore } from '../../../src/store/memory';
import type { TelemetryStore } from '../../../src/store/store';
import { diffAnswers, type Answer } from './compare';
import { corpus, dashboard } from './corpus';
import { apiPaths, instantTimes, rangeWindows } from './requests';
import { generate } from './data';
import knownList from './known-differences.json';
import { missingPrometheus, startPrometheus, type RealPrometheus } from './prometheus';

interface Known {
  readonly expr: string;
  readonly reason: string;
  /** Only this store differs; absent: every store. */
  readonly store?: string;
}

const known = knownList as Known[];
const data = generate();
const startS = data.startMs / 1000;
const endS = data.endMs / 1000;

const stores: readonly (readonly [string, () => Promise<TelemetryStore>])[] = [
  ['memory', async () => createMemoryStore()],
  ['duckdb', () => createDuckDbStore({ dataDir: ':memory:', threads: 1 })],
];

const samplesPerName = new Map<string, number>();
for (const s of data.series) {
  const name = s.labels['__name__'] ?? '';
  samplesPerName.set(name, (samplesPerName.get(name) ?? 0) + s.samples.length);
}

function countQuery(name: string): string {
  const hours = Math.ceil((endS - startS) / 3600) + 1;
  return `/api/v1/query?query=${encodeURIComponent(`sum(count_over_time(${name}[${hours}h]))`)}&time=${endS}`;
}

function count(a: Answer): string | undefined {
  return (a.body.data?.result as { value: [number, string] }[] | undefined)?.[0]?.value[1];
}

async function answer(res: Response): Promise<Answer> {
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

// Not skipped when missing: CI installs it, and a green run must mean the comparison ran.
it('finds prometheus and promtool', () => {
  assert.equal(missingPrometheus(), undefined);
});

it('lists only corpus expressions as known differences, each with a reason', () => {
  for (const k of known) {
    assert.ok(corpus.includes(k.expr), `known-differences.json: ${k.expr} is not in the corpus`);
    assert.ok(k.reason.trim().length > 10, `known-differences.json: ${k.expr} needs a reason`);
    assert.ok(!k.store || stores.some(([name]) => name === k.store), `unknown store ${k.store}`);
  }
});

describe('PromQL differential: our engine vs a real Prometheus', () => {
  let prom: RealPrometheus | undefined;
  // Prometheus's answers are the same for every store: ask once.
  const cache = new Map<string, Promise<Answer>>();

  before(async () => {
    const missing = missingPrometheus();
    if (missing) throw new Error(missing);
    prom = await startPrometheus(data.series);
    // Blocks outside the retention or head window would load silently empty: check first.
    for (const [name, want] of samplesPerName) {
      const got = count(await theirs(countQuery(name)));
      if (got !== String(want)) {
        throw new Error(`Prometheus holds ${got ?? 'no'} ${name} samples, ${want} were written`);
      }
    }
    console.log(`# ${prom.version}; ${data.series.length} series, ${data.sampleCount} samples`);
  });

  after(async () => {
    await prom?.stop();
  });

  function theirs(path: string): Promise<Answer> {
    if (!prom) throw new Error('prometheus did not start: see the before hook');
    let hit = cache.get(path);
    if (!hit) cache.set(path, (hit = fetch(`${prom.base}${path}`).then(answer)));
    return hit;
  }

  /** Whether Prometheus itself answers this differently when asked again (ties fed in Go map order). */
  async function unstable(path: string, first: Answer, ranged: boolean): Promise<string> {
    if (!prom) return '';
    for (let i = 0; i < 3; i++) {
      const again = await answer(await fetch(`${prom.base}${path}`));
      const d = diffAnswers(path, first, again, ranged);
      if (d !== undefined) {
        return `\n      (Prometheus itself answers this differently when asked again, so the expression cannot be compared exactly: take it out of the corpus)`;
      }
    }
    return '';
  }

  for (const [storeName, open] of stores) {
    describe(`${storeName} store`, () => {
      let store: TelemetryStore | undefined;
      let ours: Hono | undefined;

      before(async () => {
        store = await open();
        await store.write({ samples: data.series });
        // Every query passes time/start/end; the clock would only matter if one did not.
        ours = createPrometheusApi({ store, now: () => data.endMs });
      });

      after(async () => {
        await store?.close();
      });

      async function ask(path: string, init?: RequestInit): Promise<[Answer, Answer]> {
        if (!prom || !ours) throw new Error('setup failed: see the before hooks');
        if (init) {
          const [a, b] = await Promise.all([
            fetch(`${prom.base}${path}`, init),
            ours.request(`http://localhost${path}`, init),
          ]);
          return [await answer(a), await answer(b)];
        }
        const mine = async (app: Hono): Promise<Answer> =>
          answer(await app.request(`http://localhost${path}`));
        return Promise.all([theirs(path), mine(ours)]);
      }

      it('holds the same samples as Prometheus', async () => {
        for (const [name, want] of samplesPerName) {
          const [p, o] = await ask(countQuery(name));
          assert.equal(
            count(p),
            String(want),
            `Prometheus holds the wrong number of ${name} samples`,
          );
          assert.equal(
            count(o),
            String(want),
            `our store holds the wrong number of ${name} samples`,
          );
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
            const show = (a: Answer): string =>
              `${a.status} ${JSON.stringify(a.body).slice(0, 300)}`;
            diffs.push(`  ${path}\n    Prometheus ${show(want)}\n    ours       ${show(got)}`);
          }
        }
        assert.equal(diffs.length, 0, `differs from Prometheus:\n${diffs.join('\n')}`);
      });

      it('agrees on form POSTs (as Grafana sends them)', async () => {
        const diffs: string[] = [];
        for (const expr of dashboard) {
          for (const [path, form] of [
            ['/api/v1/query', { query: expr, time: String(endS) }],
            [
              '/api/v1/query_range',
              { query: expr, start: String(endS - 3600), end: String(endS), step: '15' },
            ],
          ] as const) {
            const [want, got] = await ask(path, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams(form).toString(),
            });
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
            if (d !== undefined)
              diffs.push(`  ${label}: ${d}${await unstable(path, want, ranged)}`);
            // Same errorType is what counts; the parsers word some messages differently.
            if (d === undefined && want.body.error !== got.body.error) {
              wording.add(`"${want.body.error}" vs ours "${got.body.error}"`);
            }
          }
          for (const w of wording) t.diagnostic(`error text differs: ${w}`);
          const k = known.find((x) => x.expr === expr && (!x.store || x.store === storeName));
          if (k) {
            t.diagnostic(
              `known difference (${diffs.length} of ${cases.length} cases): ${k.reason}`,
            );
            assert.ok(
              diffs.length > 0,
              `${expr} now agrees with Prometheus on the ${storeName} store: remove it from known-differences.json`,
            );
            return;
          }
          assert.equal(
            diffs.length,
            0,
            `${expr} (${storeName} store) differs from Prometheus in ${diffs.length} of ${cases.length} cases:\n${diffs.join('\n')}`,
          );
        });
      }
    });
  }
});
