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

/** NaN sorts as the smallest value, as Prometheus's heaps do. */
function lessForTop(a: number, b: number): boolean {
  if (Number.isNaN(a)) return !Number.isNaN(b);
  return a < b;
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
  const groups = new Map<string, Group>();
  const order: Group[] = [];
  for (const s of vec) {
    let metric = s.labels;
    if (op === 'count_values') metric = { ...metric, [valueLabel]: formatFloatPlain(s.v) };
    const key = e.without ? keyWithout(metric, grouping) : keyWith(metric, grouping);
    let g = groups.get(key);
    if (!g) {
      g = {
        labels: groupLabels(metric, grouping, e.without),
        value: s.v,
        mean: s.v,
        count: 1,
        items: [s],
      };
      if (op === 'stddev' || op === 'stdvar') g.value = 0;
      if (op === 'group') g.value = 1;
      groups.set(key, g);
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
        const top = op === 'topk';
        const sorted = [...g.items].sort((a, b) => {
          const before = top ? lessForTop(b.v, a.v) : lessForBottom(a.v, b.v);
          const after = top ? lessForTop(a.v, b.v) : lessForBottom(b.v, a.v);
          return before ? -1 : after ? 1 : 0;
        });
        for (const s of sorted.slice(0, k)) out.push({ labels: s.labels, v: s.v });
        continue;
      }
      default:
        break;
    }
    out.push({ labels: g.labels, v: g.value });
  }
  return out;
}

/** For bottomk NaN also loses: it sorts after every number. */
function lessForBottom(a: number, b: number): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return a < b;
}
