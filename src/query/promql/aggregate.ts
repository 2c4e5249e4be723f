// Aggregation operators with by/without, as promql/engine.go aggregation().

import type { Labels } from '../../model/telemetry';
import type { Aggregate } from './ast';
import { execution } from './errors';
import { formatFloatPlain, formatGoV } from './lexical';
import { quantile } from './quantile';
import type { EvalValue, VSample } from './values';
import { keyWith, keyWithout } from './values';

const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface Group {
  readonly labels: Labels;
  value: number;
  mean: number;
  count: number;
  items: VSample[];
}

function groupLabels(metric: Labels, grouping: readonly string[], without: boolean): Labels {
  const out: Record<string, string> = {};
  if (without) {
    for (const [k, v] of Object.entries(metric))
      if (k !== '__name__' && !grouping.includes(k)) out[k] = v;
  } else {
    for (const k of grouping) {
      const v = metric[k];
      if (v !== undefined && v !== '') out[k] = v;
    }
  }
  return out;
}

interface GroupOf {
  readonly key: string;
  readonly labels: Labels;
  /** Index of the group among this node's groups, or -1 past maxCanonicalGroups. */
  readonly slot: number;
}

/** The items of groups whose operator does not look at them. */
const unused: VSample[] = [];

// A range query aggregates the same input label objects, mostly in the same
// order, at every step. The group each one falls in is remembered per
// aggregation node (first by position, as at the last step, then by object),
// groups are numbered so that a step finds them in an array, and each group's
// label set is one object for the whole query, so the keys cached on it hit
// downstream (histogram_quantile, the range query's output series).
interface GroupCache {
  readonly byLabels: WeakMap<Labels, GroupOf>;
  readonly byKey: Map<string, GroupOf>;
  lastLabels: readonly Labels[];
  lastGroups: readonly GroupOf[];
}
const groupCaches = new WeakMap<Aggregate, GroupCache>();
const maxCanonicalGroups = 100_000;

function groupOf(
  cache: GroupCache,
  e: Aggregate,
  grouping: readonly string[],
  metric: Labels,
): GroupOf {
  const hit = cache.byLabels.get(metric);
  if (hit) return hit;
  const key = e.without ? keyWithout(metric, grouping) : keyWith(metric, grouping);
  let g = cache.byKey.get(key);
  if (!g) {
    const canonical = cache.byKey.size < maxCanonicalGroups;
    g = {
      key,
      labels: groupLabels(metric, grouping, e.without),
      slot: canonical ? cache.byKey.size : -1,
    };
    if (canonical) cache.byKey.set(key, g);
  }
  cache.byLabels.set(metric, g);
  return g;
}

/** The group of each sample, in order. */
function groupsOf(e: Aggregate, grouping: readonly string[], vec: readonly VSample[]): GroupOf[] {
  let cache = groupCaches.get(e);
  if (!cache) {
    cache = { byLabels: new WeakMap(), byKey: new Map(), lastLabels: [], lastGroups: [] };
    groupCaches.set(e, cache);
  }
  const { lastLabels, lastGroups } = cache;
  const labels: Labels[] = new Array<Labels>(vec.length);
  const out: GroupOf[] = new Array<GroupOf>(vec.length);
  for (let i = 0; i < vec.length; i++) {
    const l = (vec[i] as VSample).labels;
    labels[i] = l;
    out[i] = lastLabels[i] === l ? (lastGroups[i] as GroupOf) : groupOf(cache, e, grouping, l);
  }
  cache.lastLabels = labels;
  cache.lastGroups = out;
  return out;
}

export function aggregate(
  e: Aggregate,
  param: EvalValue | undefined,
  vec: readonly VSample[],
): VSample[] {
  const op = e.op;
  let k = 0;
  if (op === 'topk' || op === 'bottomk') {
    const f = param?.type === 'scalar' ? param.v : NaN;
    if (!(f >= -9.2e18 && f <= 9.2e18))
      throw execution(`Scalar value ${formatGoV(f)} overflows int64`);
    k = Math.trunc(f);
    if (k < 1) return [];
  }
  const q = op === 'quantile' && param?.type === 'scalar' ? param.v : NaN;
  let grouping = e.grouping;
  let valueLabel = '';
  if (op === 'count_values') {
    valueLabel = param?.type === 'string' ? param.v : '';
    if (!labelNamePattern.test(valueLabel)) throw execution(`invalid label name "${valueLabel}"`);
    if (!e.without) grouping = [...grouping, valueLabel];
  }
  const infos =
    op === 'count_values'
      ? vec.map((s): GroupOf => {
          // A new label set per sample: nothing to remember.
          const metric = { ...s.labels, [valueLabel]: formatFloatPlain(s.v) };
          return {
            key: e.without ? keyWithout(metric, grouping) : keyWith(metric, grouping),
            labels: groupLabels(metric, grouping, e.without),
            slot: -1,
          };
        })
      : groupsOf(e, grouping, vec);
  if (op === 'sum') {
    const sums = sumBySlot(vec, infos);
    if (sums) return sums;
  }
  const bySlot: (Group | undefined)[] = [];
  const byKey = new Map<string, Group>();
  const order: Group[] = [];
  for (let i = 0; i < vec.length; i++) {
    const s = vec[i] as VSample;
    const info = infos[i] as GroupOf;
    let g = info.slot >= 0 ? bySlot[info.slot] : byKey.get(info.key);
    if (!g) {
      g = {
        labels: info.labels,
        value: s.v,
        mean: s.v,
        count: 1,
        items: op === 'topk' || op === 'bottomk' || op === 'quantile' ? [s] : unused,
      };
      if (op === 'stddev' || op === 'stdvar') g.value = 0;
      if (op === 'group') g.value = 1;
      if (info.slot >= 0) bySlot[info.slot] = g;
      else byKey.set(info.key, g);
      order.push(g);
      continue;
    }
    switch (op) {
      case 'sum':
        g.value += s.v;
        break;
      case 'avg':
        g.count++;
        if (Number.isFinite(g.mean) || Number.isNaN(g.mean)) {
          g.mean += s.v / g.count - g.mean / g.count;
        } else if (!(Number.isFinite(s.v) || Number.isNaN(s.v)) && g.mean > 0 !== s.v > 0) {
          g.mean += s.v / g.count - g.mean / g.count;
        } else if (Number.isNaN(s.v)) {
          g.mean += s.v / g.count - g.mean / g.count;
        }
        break;
      case 'max':
        if (g.value < s.v || Number.isNaN(g.value)) g.value = s.v;
        break;
      case 'min':
        if (g.value > s.v || Number.isNaN(g.value)) g.value = s.v;
        break;
      case 'count':
      case 'count_values':
        g.count++;
        break;
      case 'stddev':
      case 'stdvar': {
        g.count++;
        const delta = s.v - g.mean;
        g.mean += delta / g.count;
        g.value += delta * (s.v - g.mean);
        break;
      }
      case 'topk':
      case 'bottomk':
        offerToHeap(g.items, s, k, op === 'topk');
        break;
      case 'quantile':
        g.items.push(s);
        break;
      case 'group':
        break;
    }
  }
  const out: VSample[] = [];
  for (const g of order) {
    switch (op) {
      case 'avg':
        g.value = g.mean;
        break;
      case 'count':
      case 'count_values':
        g.value = g.count;
        break;
      case 'stdvar':
        g.value = g.value / g.count;
        break;
      case 'stddev':
        g.value = Math.sqrt(g.value / g.count);
        break;
      case 'quantile':
        g.value = quantile(
          q,
          g.items.map((s) => s.v),
        );
        break;
      case 'topk':
      case 'bottomk': {
        const less = heapLess(op === 'topk');
        // sort.Sort(sort.Reverse(heap)); Go sorts up to 12 elements by insertion.
        const sorted = insertionSort(g.items, (a, b) => less(b, a));
        for (const s of sorted) out.push({ labels: s.labels, v: s.v });
        continue;
      }
      default:
        break;
    }
    out.push({ labels: g.labels, v: g.value });
  }
  return out;
}

/** sum, the dashboards' aggregation, without a Group per group; undefined past maxCanonicalGroups. */
function sumBySlot(vec: readonly VSample[], infos: readonly GroupOf[]): VSample[] | undefined {
  const at: number[] = [];
  const sums: number[] = [];
  const labels: Labels[] = [];
  for (let i = 0; i < vec.length; i++) {
    const info = infos[i] as GroupOf;
    if (info.slot < 0) return undefined;
    const v = (vec[i] as VSample).v;
    const p = at[info.slot];
    if (p === undefined) {
      at[info.slot] = sums.length;
      sums.push(v);
      labels.push(info.labels);
    } else sums[p] = (sums[p] as number) + v;
  }
  const out: VSample[] = new Array<VSample>(sums.length);
  for (let i = 0; i < sums.length; i++)
    out[i] = { labels: labels[i] as Labels, v: sums[i] as number };
  return out;
}

// topk and bottomk keep their candidates in a heap exactly as Prometheus
// 2.42 does (container/heap with vectorByValueHeap / vectorByReverseValueHeap),
// so ties and NaN pick the same series: a NaN at the top is always replaced.

type Less = (a: VSample, b: VSample) => boolean;

function heapLess(top: boolean): Less {
  return top ? (a, b) => Number.isNaN(a.v) || a.v < b.v : (a, b) => Number.isNaN(a.v) || a.v > b.v;
}

function up(h: VSample[], j0: number, less: Less): void {
  let j = j0;
  for (;;) {
    const i = Math.trunc((j - 1) / 2);
    if (i === j || !less(h[j] as VSample, h[i] as VSample)) break;
    [h[i], h[j]] = [h[j] as VSample, h[i] as VSample];
    j = i;
  }
}

function down(h: VSample[], i0: number, n: number, less: Less): void {
  let i = i0;
  for (;;) {
    const j1 = 2 * i + 1;
    if (j1 >= n) break;
    let j = j1;
    if (j1 + 1 < n && less(h[j1 + 1] as VSample, h[j1] as VSample)) j = j1 + 1;
    if (!less(h[j] as VSample, h[i] as VSample)) break;
    [h[i], h[j]] = [h[j] as VSample, h[i] as VSample];
    i = j;
  }
}

function offerToHeap(h: VSample[], s: VSample, k: number, top: boolean): void {
  const head = h[0] as VSample;
  const better = top ? head.v < s.v : head.v > s.v;
  if (!(h.length < k || better || Number.isNaN(head.v))) return;
  const less = heapLess(top);
  if (h.length === k) {
    if (k === 1) {
      h[0] = s;
      return;
    }
    const n = h.length - 1;
    [h[0], h[n]] = [h[n] as VSample, head];
    down(h, 0, n, less);
    h.pop();
  }
  h.push(s);
  up(h, h.length - 1, less);
}

function insertionSort(items: readonly VSample[], less: Less): VSample[] {
  const a = [...items];
  for (let i = 1; i < a.length; i++) {
    for (let j = i; j > 0 && less(a[j] as VSample, a[j - 1] as VSample); j--) {
      [a[j], a[j - 1]] = [a[j - 1] as VSample, a[j] as VSample];
    }
  }
  return a;
}
