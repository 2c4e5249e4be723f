// Binary operators: scalar/scalar, vector/scalar and vector/vector with
// on/ignoring/group_left/group_right, as promql/engine.go VectorBinop et al.

import type { Labels } from '../../model/telemetry';
import type { Binary, BinaryOp, VectorMatching } from './ast';
import { execution } from './errors';
import { isComparison } from './parse';
import type { EvalValue, VSample } from './values';
import { dropName, keyWith, keyWithout, labelsString } from './values';

function goMod(a: number, b: number): number {
  // Go's math.Mod and JS % agree (sign of the dividend), including NaN cases.
  return a % b;
}

function arith(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return goMod(l, r);
    case '^':
      return goPow(l, r);
    case 'atan2':
      return Math.atan2(l, r);
    default:
      return NaN;
  }
}

/** Go's math.Pow differs from JS `**` for (±1)^±Inf and 1^NaN. */
function goPow(l: number, r: number): number {
  if (r === 0) return 1;
  if (l === 1) return 1;
  if (l === -1 && !Number.isFinite(r) && !Number.isNaN(r)) return 1;
  return l ** r;
}

function compare(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '>':
      return l > r;
    case '<':
      return l < r;
    case '>=':
      return l >= r;
    case '<=':
      return l <= r;
    default:
      return false;
  }
}

/** [value, keep] for one pair of elements (vectorElemBinop). */
function elem(op: BinaryOp, l: number, r: number): [number, boolean] {
  if (isComparison(op)) return [l, compare(op, l, r)];
  return [arith(op, l, r), true];
}

function dropsName(op: BinaryOp): boolean {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^';
}

export function binary(e: Binary, lhs: EvalValue, rhs: EvalValue): EvalValue {
  if (lhs.type === 'scalar' && rhs.type === 'scalar') {
    const v = isComparison(e.op)
      ? compare(e.op, lhs.v, rhs.v)
        ? 1
        : 0
      : arith(e.op, lhs.v, rhs.v);
    return { type: 'scalar', v };
  }
  if (lhs.type === 'vector' && rhs.type === 'scalar')
    return { type: 'vector', samples: vectorScalar(e, lhs.samples, rhs.v, false) };
  if (lhs.type === 'scalar' && rhs.type === 'vector')
    return { type: 'vector', samples: vectorScalar(e, rhs.samples, lhs.v, true) };
  if (lhs.type === 'vector' && rhs.type === 'vector') {
    const m = e.matching ?? { card: 'one-to-one', on: false, labels: [], include: [] };
    switch (e.op) {
      case 'and':
        return { type: 'vector', samples: vectorAnd(lhs.samples, rhs.samples, m) };
      case 'or':
        return { type: 'vector', samples: vectorOr(lhs.samples, rhs.samples, m) };
      case 'unless':
        return { type: 'vector', samples: vectorUnless(lhs.samples, rhs.samples, m) };
      default:
        return { type: 'vector', samples: vectorBinop(e, lhs.samples, rhs.samples, m) };
    }
  }
  throw execution(`operands of types ${lhs.type} and ${rhs.type} are not supported by ${e.op}`);
}

function vectorScalar(
  e: Binary,
  vec: readonly VSample[],
  scalar: number,
  swap: boolean,
): VSample[] {
  const out: VSample[] = [];
  for (const s of vec) {
    const l = swap ? scalar : s.v;
    const r = swap ? s.v : scalar;
    let [value, keep] = elem(e.op, l, r);
    // Comparisons keep the vector element's value, whichever side it is on.
    if (isComparison(e.op) && swap) value = r;
    if (e.returnBool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    const labels = dropsName(e.op) || e.returnBool ? dropName(s.labels) : s.labels;
    out.push({ labels, v: value });
  }
  return out;
}

function signature(m: VectorMatching): (l: Labels) => string {
  return m.on ? (l) => keyWith(l, m.labels) : (l) => keyWithout(l, m.labels);
}

function vectorAnd(lhs: readonly VSample[], rhs: readonly VSample[], m: VectorMatching): VSample[] {
  if (lhs.length === 0 || rhs.length === 0) return [];
  const sig = signature(m);
  const right = new Set(rhs.map((s) => sig(s.labels)));
  return lhs.filter((s) => right.has(sig(s.labels))).map(stripSampleTime);
}

function vectorOr(lhs: readonly VSample[], rhs: readonly VSample[], m: VectorMatching): VSample[] {
  if (lhs.length === 0) return rhs.map(stripSampleTime);
  if (rhs.length === 0) return lhs.map(stripSampleTime);
  const sig = signature(m);
  const left = new Set(lhs.map((s) => sig(s.labels)));
  return [...lhs, ...rhs.filter((s) => !left.has(sig(s.labels)))].map(stripSampleTime);
}

function vectorUnless(
  lhs: readonly VSample[],
  rhs: readonly VSample[],
  m: VectorMatching,
): VSample[] {
  if (lhs.length === 0 || rhs.length === 0) return lhs.map(stripSampleTime);
  const sig = signature(m);
  const right = new Set(rhs.map((s) => sig(s.labels)));
  return lhs.filter((s) => !right.has(sig(s.labels))).map(stripSampleTime);
}

function stripSampleTime(s: VSample): VSample {
  return s.sampleT === undefined ? s : { labels: s.labels, v: s.v };
}

function matchedLabels(l: Labels, m: VectorMatching): Labels {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(l)) {
    const named = m.labels.includes(k);
    if (m.on ? named : !named && k !== '__name__') out[k] = v;
  }
  return out;
}

function vectorBinop(
  e: Binary,
  lhsIn: readonly VSample[],
  rhsIn: readonly VSample[],
  m: VectorMatching,
): VSample[] {
  if (m.card === 'many-to-many') throw execution('many-to-many only allowed for set operators');
  if (lhsIn.length === 0 || rhsIn.length === 0) return [];
  const swapped = m.card === 'one-to-many';
  const lhs = swapped ? rhsIn : lhsIn;
  const rhs = swapped ? lhsIn : rhsIn;
  const sig = signature(m);
  const right = new Map<string, VSample>();
  for (const rs of rhs) {
    const s = sig(rs.labels);
    const dup = right.get(s);
    if (dup) {
      const side = swapped ? 'left' : 'right';
      throw execution(
        `found duplicate series for the match group ${labelsString(matchedLabels(rs.labels, m))} on the ${side} hand-side of the operation: [${labelsString(rs.labels)}, ${labelsString(dup.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    right.set(s, rs);
  }
  const matched = new Map<string, Set<string> | null>();
  const out: VSample[] = [];
  for (const ls of lhs) {
    const s = sig(ls.labels);
    const rs = right.get(s);
    if (!rs) continue;
    const l = swapped ? rs.v : ls.v;
    const r = swapped ? ls.v : rs.v;
    const [raw, keep] = elem(e.op, l, r);
    let value = raw;
    if (e.returnBool) {
      value = keep ? 1 : 0;
    } else if (!keep) {
      continue;
    }
    let labels = resultLabels(ls.labels, rs.labels, e.op, m);
    if (e.returnBool) labels = dropName(labels);
    const inserted = matched.get(s);
    if (m.card === 'one-to-one') {
      if (inserted !== undefined)
        throw execution(
          'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
        );
      matched.set(s, null);
    } else {
      const key = keyWithout(labels, []) + '\xfe' + (labels['__name__'] ?? '');
      let set = inserted;
      if (!set) matched.set(s, (set = new Set()));
      else if (set.has(key))
        throw execution('multiple matches for labels: grouping labels must ensure unique matches');
      set.add(key);
    }
    out.push({ labels, v: value });
  }
  return out;
}

function resultLabels(lhs: Labels, rhs: Labels, op: BinaryOp, m: VectorMatching): Labels {
  const out: Record<string, string> = { ...lhs };
  if (dropsName(op)) delete out['__name__'];
  if (m.card === 'one-to-one') {
    for (const k of Object.keys(out)) {
      const named = m.labels.includes(k);
      if (m.on ? !named : named) delete out[k];
    }
  }
  for (const name of m.include) {
    const v = rhs[name];
    if (v !== undefined && v !== '') out[name] = v;
    else delete out[name];
  }
  return out;
}
