// Differential PromQL suite (issue 5, part 2): the same seeded samples in a
// real Prometheus 2.x (promtool blocks, Debian's 2.42 in CI) and in our
// stores behind our /prometheus API, compared answer by answer (compare.ts
// says how). One Prometheus holds both data sets (data.ts): the scenario set
// with its corpus (corpus.ts, at requests.ts's times and windows) and the
// classic set with its corpus (corpus-classic.ts) and the RE2 cases
// (corpus-regex.ts). Everything runs once per store (memory, and DuckDB as
// the lab serves it); Prometheus is asked once per request. Expressions
// listed in known-differences.json must still differ: the list only shrinks.

import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Hono } from 'hono';
import { createPrometheusApi } from '../../../src/api/prometheus/index';
import type { SeriesSamples } from '../../../src/model/telemetry';
import { createDuckDbStore } from '../../../src/store/duckdb';
import { createMemoryStore } from '../../../src/store/memory';
import type { TelemetryStore } from '../../../src/store/store';
import { diffAnswers, type Answer } from './compare';
import { corpus, dashboard } from './corpus';
import {
  classicMidTime,
  classicQueries,
  classicRanges,
  classicSyntax,
  classicTimes,
} from './corpus-classic';
import { regexCorpus } from './corpus-regex';
import { apiPaths, classicApiPaths, instantTimes, rangeWindows } from './requests';
import { classicStartMs, suiteData } from './data';
import knownList from './known-differences.json';
import { missingPrometheus, startPrometheus, type RealPrometheus } from './prometheus';

interface Known {
  readonly expr: string;
  readonly reason: string;
  /** Only this store differs; absent: every store. */
  readonly store?: string;
}

const known = knownList as Known[];
const { scenario, classic } = suiteData();
const startS = scenario.startMs / 1000;
const endS = scenario.endMs / 1000;
const classicS = classicStartMs / 1000;
const classicEndS = Math.max(...classic.flatMap((s) => s.samples.map((p) => p.t))) / 1000;
const everyExpr = new Set([...corpus, ...classicQueries, ...classicSyntax, ...regexCorpus]);
for (const [q] of classicRanges) everyExpr.add(q);

const stores: readonly (readonly [string, () => Promise<TelemetryStore>])[] = [
  ['memory', async () => createMemoryStore()],
  ['duckdb', () => createDuckDbStore({ dataDir: ':memory:', threads: 1 })],
];

/** [query path, what it should count] per metric name and set: each set's window counted apart. */
function sampleCounts(series: readonly SeriesSamples[], atS: number): [string, string][] {
  const perName = new Map<string, number>();
  for (const s of series) {
    const name = s.labels['__name__'] ?? '';
    perName.set(name, (perName.get(name) ?? 0) + s.samples.length);
  }
  return [...perName].map(([name, n]) => [
    `/api/v1/query?query=${encodeURIComponent(`sum(count_over_time(${name}[7h]))`)}&time=${atS}`,
    String(n),
  ]);
}
const counts = [...sampleCounts(scenario.series, endS), ...sampleCounts(classic, classicEndS)];

function count(a: Answer): string | undefined {
  return (a.body.data?.result as { value: [number, string] }[] | undefined)?.[0]?.value[1];
}

async function answer(res: Response): Promise<Answer> {
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

type Case = readonly [label: string, path: string, ranged: boolean];

function instantCases(expr: string, times: readonly number[]): Case[] {
  const q = encodeURIComponent(expr);
  return times.map((at) => [`instant @ ${at}`, `/api/v1/query?query=${q}&time=${at}`, false]);
}

function rangeCases(expr: string, windows: readonly (readonly [number, number, string])[]): Case[] {
  const q = encodeURIComponent(expr);
  return windows.map(([s, e, step]) => [
    `range ${s}..${e} step ${step}`,
    `/api/v1/query_range?query=${q}&start=${s}&end=${e}&step=${step}`,
    true,
  ]);
}

// Not skipped when missing: CI installs it, and a green run must mean the comparison ran.
it('finds prometheus and promtool', () => {
  assert.equal(missingPrometheus(), undefined);
});

it('lists only corpus expressions as known differences, each with a reason', () => {
  for (const k of known) {
    assert.ok(everyExpr.has(k.expr), `known-differences.json: ${k.expr} is not in any corpus`);
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
    prom = await startPrometheus([...scenario.series, ...classic]);
    // Blocks outside the retention or head window would load silently empty: check first.
    for (const [path, want] of counts) {
      const got = count(await theirs(path));
      if (got !== want)
        throw new Error(
          `Prometheus holds ${got ?? 'no'} samples for ${path}, ${want} were written`,
        );
    }
    const n = scenario.series.length + classic.length;
    const samples = scenario.sampleCount + classic.reduce((a, s) => a + s.samples.length, 0);
    console.log(`# ${prom.version}; ${n} series, ${samples} samples`);
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
      if (diffAnswers(path, first, again, ranged) !== undefined) {
        return `\n      (Prometheus itself answers this differently when asked again, so the expression cannot be compared exactly: take it out of the corpus)`;
      }
    }
    return '';
  }

  for (const [storeName, open] of stores) {
    describe(`${storeName} store`, () => {
      let store: TelemetryStore | undefined;
      let ours: Hono | undefined;
      let nonEmptyClassic = 0;

      before(async () => {
        store = await open();
        await store.write({ samples: [...scenario.series, ...classic] });
        // Every query passes time/start/end; the clock would only matter if one did not.
        ours = createPrometheusApi({ store, now: () => scenario.endMs });
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
        const app = ours;
        const mine = async (): Promise<Answer> =>
          answer(await app.request(`http://localhost${path}`));
        return Promise.all([theirs(path), mine()]);
      }

      /** Runs an expression's cases; fails unless it agrees (or, if listed as known, unless it still differs). */
      async function agrees(
        t: TestContext,
        expr: string,
        cases: readonly Case[],
        tally?: (want: Answer) => void,
      ): Promise<void> {
        const diffs: string[] = [];
        const wording = new Set<string>();
        for (const [label, path, ranged] of cases) {
          const [want, got] = await ask(path);
          const d = diffAnswers(expr, want, got, ranged);
          if (d !== undefined) diffs.push(`  ${label}: ${d}${await unstable(path, want, ranged)}`);
          // Same errorType is what counts; the parsers word some messages differently.
          if (d === undefined && want.body.error !== got.body.error) {
            wording.add(`"${want.body.error}" vs ours "${got.body.error}"`);
          }
          tally?.(want);
        }
        for (const w of wording) t.diagnostic(`error text differs: ${w}`);
        const k = known.find((x) => x.expr === expr && (!x.store || x.store === storeName));
        if (k) {
          t.diagnostic(`known difference (${diffs.length} of ${cases.length} cases): ${k.reason}`);
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
      }

      it('holds the same samples as Prometheus', async () => {
        for (const [path, want] of counts) {
          const [p, o] = await ask(path);
          assert.equal(count(p), want, `Prometheus holds the wrong number of samples: ${path}`);
          assert.equal(count(o), want, `our store holds the wrong number of samples: ${path}`);
        }
      });

      it('agrees on parameter errors, limits, the label browser and series', async () => {
        const diffs: string[] = [];
        for (const path of [...apiPaths(startS, endS), ...classicApiPaths(classicS)]) {
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

      describe('scenario set', () => {
        for (const expr of corpus) {
          it(expr, (t) =>
            agrees(t, expr, [
              ...instantCases(expr, instantTimes(startS, endS)),
              ...rangeCases(
                expr,
                rangeWindows(startS, endS).map(([s, e, step]) => [s, e, String(step)] as const),
              ),
            ]),
          );
        }
      });

      describe('classic set', () => {
        for (const expr of classicQueries) {
          it(expr, (t) =>
            agrees(
              t,
              expr,
              instantCases(
                expr,
                classicTimes.map((off) => classicS + off),
              ),
              (want) => {
                const result = want.body.data?.result;
                if (Array.isArray(result) && result.length > 0) nonEmptyClassic++;
              },
            ),
          );
        }
        for (const expr of classicSyntax) {
          it(`syntax: ${expr}`, (t) =>
            agrees(t, expr, instantCases(expr, [classicS + classicMidTime])));
        }
        for (const [expr, from, to, step] of classicRanges) {
          it(`range: ${expr} [${from}, ${to}] step ${step}`, (t) =>
            agrees(t, expr, rangeCases(expr, [[classicS + from, classicS + to, step]])));
        }
        // Guards against comparing two empty databases.
        it('had data to compare', () => {
          assert.ok(
            nonEmptyClassic > classicQueries.length * 2,
            `only ${nonEmptyClassic} non-empty answers from Prometheus over the classic set`,
          );
        });
      });

      describe('RE2 regex matchers', () => {
        for (const expr of regexCorpus) {
          it(expr, (t) => agrees(t, expr, instantCases(expr, [classicS + classicMidTime])));
        }
      });
    });
  }
});
