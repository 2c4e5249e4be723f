// Compares two Prometheus HTTP API answers to one query: same outcome
// (success, or error of the same errorType), same result type, same label
// sets, values within a relative tolerance, and the same order where
// Prometheus defines one (sort/sort_desc by value, range results by labels).

export interface Answer {
  readonly status: number;
  readonly body: {
    readonly status?: string;
    readonly errorType?: string;
    readonly error?: string;
    readonly data?: { readonly resultType?: string; readonly result?: unknown };
  };
}

type Pair = [number, string];
interface Series {
  readonly metric: Record<string, string>;
  readonly value?: Pair;
  readonly values?: Pair[];
}

/** Relative tolerance; the absolute floor only forgives float noise around zero (e.g. 1e-17 vs 0). */
export const relTolerance = 1e-9;
const absFloor = 1e-12;

export function parseValue(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

export function sameNumber(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const diff = Math.abs(a - b);
  return diff <= absFloor || diff <= relTolerance * Math.max(Math.abs(a), Math.abs(b));
}

/** Equal values must also be spelled alike (Go's float formatting: "1e+06", "+Inf", "NaN"). */
function samePair(a: Pair | undefined, b: Pair | undefined): boolean {
  if (!a || !b) return a === b;
  const x = parseValue(a[1]);
  const y = parseValue(b[1]);
  if (a[0] !== b[0] || !sameNumber(x, y)) return false;
  return a[1] === b[1] || x !== y;
}

export function labelsKey(m: Record<string, string>): string {
  return JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function show(v: unknown, max = 400): string {
  const s = JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

function diffPoints(want: Pair[], got: Pair[]): string | undefined {
  const gotAt = new Map(got.map((p) => [p[0], p[1]]));
  const wantAt = new Set(want.map((p) => p[0]));
  const bad: string[] = [];
  for (const [t, v] of want) {
    const mine = gotAt.get(t);
    if (mine === undefined) bad.push(`@${t}: ${v} vs ours (none)`);
    else if (!samePair([t, v], [t, mine])) bad.push(`@${t}: ${v} vs ours ${mine}`);
  }
  for (const [t, v] of got) if (!wantAt.has(t)) bad.push(`@${t}: (none) vs ours ${v}`);
  if (bad.length === 0) return undefined;
  return `${bad.length} of ${want.length} points differ: ${bad.slice(0, 6).join('; ')}${bad.length > 6 ? '; ...' : ''}`;
}

/** Undefined when the answers agree, else a readable account of what differs. */
export function diffAnswers(
  query: string,
  want: Answer,
  got: Answer,
  ranged: boolean,
): string | undefined {
  const w = want.body;
  const g = got.body;
  if (w.status !== 'success' || g.status !== 'success') {
    if (w.status === g.status && w.errorType === g.errorType && want.status === got.status)
      return undefined;
    const side = (a: Answer): string =>
      a.body.status === 'success'
        ? `success (${a.body.data?.resultType})`
        : `${a.status} ${a.body.errorType}: ${a.body.error}`;
    return `outcome: Prometheus ${side(want)}\n      ours       ${side(got)}`;
  }
  const wt = w.data?.resultType;
  const gt = g.data?.resultType;
  if (wt !== gt) return `resultType: Prometheus ${wt}, ours ${gt}`;
  if (wt === 'scalar' || wt === 'string') {
    const a = w.data?.result as Pair;
    const b = g.data?.result as Pair;
    const same = wt === 'string' ? show(a) === show(b) : samePair(a, b);
    return same ? undefined : `${wt}: Prometheus ${show(a)}, ours ${show(b)}`;
  }
  const ws = (w.data?.result ?? []) as Series[];
  const gs = (g.data?.result ?? []) as Series[];
  const wKeys = ws.map((s) => labelsKey(s.metric));
  const gIndex = new Map(gs.map((s, i) => [labelsKey(s.metric), i]));
  const missing = ws.filter((_, i) => !gIndex.has(wKeys[i] ?? ''));
  const wSet = new Set(wKeys);
  const extra = gs.filter((s) => !wSet.has(labelsKey(s.metric)));
  if (missing.length > 0 || extra.length > 0) {
    return [
      `label sets: Prometheus ${ws.length} series, ours ${gs.length}`,
      ...missing.slice(0, 5).map((s) => `      only in Prometheus: ${show(s.metric, 320)}`),
      ...extra.slice(0, 5).map((s) => `      only in ours:       ${show(s.metric, 320)}`),
    ].join('\n');
  }
  const problems: string[] = [];
  for (const [i, s] of ws.entries()) {
    const mine = gs[gIndex.get(wKeys[i] ?? '') ?? -1];
    if (!mine) continue;
    if (s.value !== undefined || mine.value !== undefined) {
      if (!samePair(s.value, mine.value))
        problems.push(
          `${show(s.metric, 320)}: Prometheus ${show(s.value)}, ours ${show(mine.value)}`,
        );
    } else {
      const d = diffPoints(s.values ?? [], mine.values ?? []);
      if (d) problems.push(`${show(s.metric, 320)}: ${d}`);
    }
  }
  if (problems.length > 0) {
    return `values of ${problems.length} series differ:\n      ${problems.slice(0, 5).join('\n      ')}`;
  }
  // Range results are sorted by labels; sort()/sort_desc() order by value (ties in any order).
  if (ranged && wKeys.some((k, i) => gIndex.get(k) !== i)) {
    return `order: Prometheus ${show(ws.map((s) => s.metric))}\n      ours       ${show(gs.map((s) => s.metric))}`;
  }
  if (!ranged && /^\s*sort(_desc)?\s*\(/.test(query)) {
    const values = (xs: Series[]): string[] => xs.map((s) => s.value?.[1] ?? '');
    if (show(values(ws)) !== show(values(gs))) {
      return `sort order: Prometheus ${show(values(ws))}, ours ${show(values(gs))}`;
    }
  }
  return undefined;
}
