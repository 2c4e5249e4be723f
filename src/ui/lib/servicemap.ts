// Service map layout: services in columns by call depth (callers left of
// callees), ordered inside a column by their neighbours' positions to keep
// edges from crossing. Cycles (A calls B calls A) are cut at the edge that
// closes them, so layout always ends. Services that call nobody and are
// called by nobody still get a place.

import type { PromMatrixSeries } from './prom';

export interface DependencyEdge {
  parent: string;
  child: string;
  callCount: number;
  errorCount: number;
}

export interface PlacedNode {
  name: string;
  column: number;
  row: number;
  calls: number;
  errors: number;
}

/** A column and row a call passes through without a service there. */
export interface Slot {
  column: number;
  row: number;
}

export interface ServiceMap {
  nodes: PlacedNode[];
  edges: DependencyEdge[];
  /** By edgeKey: the empty slots a call skipping columns runs through, left to right. */
  routes: Record<string, Slot[]>;
  columns: number;
  rows: number;
}

export function layoutServiceMap(
  input: readonly DependencyEdge[],
  services: readonly string[] = [],
): ServiceMap {
  const edges = input.filter((e) => e.parent !== '' && e.child !== '');
  const names = [
    ...new Set([...edges.flatMap((e) => [e.parent, e.child]), ...services.filter((s) => s !== '')]),
  ].sort();
  const out = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const e of edges) if (e.parent !== e.child) out.get(e.parent)?.push(e.child);

  // Back edges found by DFS are ignored for layering.
  const state = new Map<string, 'open' | 'done'>();
  const forward = new Map<string, string[]>(names.map((n) => [n, []]));
  const visit = (n: string): void => {
    state.set(n, 'open');
    for (const c of out.get(n) ?? []) {
      const s = state.get(c);
      if (s === 'open') continue;
      forward.get(n)?.push(c);
      if (s === undefined) visit(c);
    }
    state.set(n, 'done');
  };
  const hasParent = new Set(edges.filter((e) => e.parent !== e.child).map((e) => e.child));
  for (const n of names) if (!hasParent.has(n) && !state.has(n)) visit(n);
  for (const n of names) if (!state.has(n)) visit(n);

  // Longest path from a root, over forward edges only (a DAG now).
  const column = new Map<string, number>(names.map((n) => [n, 0]));
  const order = topological(names, forward);
  for (const n of order)
    for (const c of forward.get(n) ?? [])
      column.set(c, Math.max(column.get(c) ?? 0, (column.get(n) ?? 0) + 1));
  const columns = names.length ? Math.max(0, ...column.values()) + 1 : 0;

  // A call that skips columns gets one placeholder slot in every column it
  // crosses (Sugiyama's dummy nodes): its line runs through those empty
  // slots instead of behind the boxes sitting there.
  const layers: string[][] = Array.from({ length: columns }, () => []);
  const connected = new Set(edges.flatMap((e) => [e.parent, e.child]));
  // Services with no calls either way go under the connected ones of column 0, after ordering.
  for (const n of names) if (connected.has(n)) layers[column.get(n) ?? 0]?.push(n);
  const links: [string, string][] = [];
  const viaSlots = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const e of edges) {
    const key = edgeKey(e);
    if (e.parent === e.child || seen.has(key)) continue;
    seen.add(key);
    const from = column.get(e.parent) ?? 0;
    const to = column.get(e.child) ?? 0;
    if (to <= from) continue; // a back edge: drawn around the map, not laid out
    const chain = [e.parent];
    for (let c = from + 1; c < to; c++) {
      const slot = `\u0000${key}\u0000${c}`;
      layers[c]?.push(slot);
      chain.push(slot);
    }
    chain.push(e.child);
    viaSlots.set(key, chain.slice(1, -1));
    for (let i = 1; i < chain.length; i++) links.push([chain[i - 1] as string, chain[i] as string]);
  }
  const ordered = orderLayers(layers, links);
  for (const n of names) if (!connected.has(n)) ordered[0]?.push(n);
  const rowOf = new Map<string, number>();
  for (const layer of ordered) layer.forEach((n, i) => rowOf.set(n, i));

  const nodes = names.map((name) => {
    const incoming = edges.filter((e) => e.child === name);
    return {
      name,
      column: column.get(name) ?? 0,
      row: rowOf.get(name) ?? 0,
      calls: incoming.reduce((s, e) => s + e.callCount, 0),
      errors: incoming.reduce((s, e) => s + e.errorCount, 0),
    };
  });
  const routes: Record<string, Slot[]> = {};
  for (const [key, slots] of viaSlots)
    routes[key] = slots.map((s) => ({
      column: Number(s.slice(s.lastIndexOf('\u0000') + 1)),
      row: rowOf.get(s) ?? 0,
    }));
  return {
    nodes,
    edges,
    routes,
    columns,
    rows: Math.max(0, ...ordered.map((c) => c.length)),
  };
}

export function edgeKey(e: { parent: string; child: string }): string {
  return `${e.parent}>${e.child}`;
}

/** Crossings between adjacent columns, for links given as pairs of slot names. */
export function countCrossings(
  layers: readonly string[][],
  links: readonly [string, string][],
): number {
  const pos = new Map<string, number>();
  for (const layer of layers) layer.forEach((n, i) => pos.set(n, i));
  let n = 0;
  for (let i = 0; i < links.length; i++)
    for (let j = i + 1; j < links.length; j++) {
      const [a1, b1] = links[i] as [string, string];
      const [a2, b2] = links[j] as [string, string];
      const d1 = (pos.get(a1) ?? 0) - (pos.get(a2) ?? 0);
      const d2 = (pos.get(b1) ?? 0) - (pos.get(b2) ?? 0);
      if (d1 * d2 < 0) n++;
    }
  return n;
}

// Barycenter sweeps, down then up, keeping the order with the fewest
// crossings; a few rounds are plenty for a shop of a dozen services.
function orderLayers(start: string[][], links: readonly [string, string][]): string[][] {
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const [a, b] of links) {
    preds.set(b, [...(preds.get(b) ?? []), a]);
    succs.set(a, [...(succs.get(a) ?? []), b]);
  }
  let layers = start.map((l) => [...l]);
  let best = layers;
  let bestCrossings = countCrossings(layers, links);
  const sweep = (i: number, neighbours: Map<string, string[]>, ref: string[]): void => {
    const refPos = new Map(ref.map((n, k) => [n, k]));
    const layer = layers[i] ?? [];
    const weight = new Map(
      layer.map((n, k) => {
        const ns = (neighbours.get(n) ?? []).filter((m) => refPos.has(m));
        // Nothing to follow: keep the current place.
        if (ns.length === 0) return [n, k];
        return [n, ns.reduce((s, m) => s + (refPos.get(m) ?? 0), 0) / ns.length];
      }),
    );
    const index = new Map(layer.map((n, k) => [n, k]));
    layers[i] = [...layer].sort(
      (a, b) =>
        (weight.get(a) ?? 0) - (weight.get(b) ?? 0) || (index.get(a) ?? 0) - (index.get(b) ?? 0),
    );
  };
  for (let round = 0; round < 4; round++) {
    layers = layers.map((l) => [...l]);
    if (round % 2 === 0)
      for (let i = 1; i < layers.length; i++) sweep(i, preds, layers[i - 1] ?? []);
    else for (let i = layers.length - 2; i >= 0; i--) sweep(i, succs, layers[i + 1] ?? []);
    const c = countCrossings(layers, links);
    if (c < bestCrossings) {
      best = layers;
      bestCrossings = c;
    }
  }
  return best;
}

function topological(names: string[], forward: Map<string, string[]>): string[] {
  const indegree = new Map<string, number>(names.map((n) => [n, 0]));
  for (const cs of forward.values())
    for (const c of cs) indegree.set(c, (indegree.get(c) ?? 0) + 1);
  const queue = names.filter((n) => indegree.get(n) === 0);
  const order: string[] = [];
  while (queue.length > 0) {
    const n = queue.shift() as string;
    order.push(n);
    for (const c of forward.get(n) ?? []) {
      indegree.set(c, (indegree.get(c) ?? 0) - 1);
      if (indegree.get(c) === 0) queue.push(c);
    }
  }
  return order;
}

/** Calls per second and error share of an edge over a window. */
export function edgeRates(
  e: DependencyEdge,
  windowSeconds: number,
): { perSecond: number; errorRatio: number } {
  return {
    perSecond: windowSeconds > 0 ? e.callCount / windowSeconds : 0,
    errorRatio: e.callCount > 0 ? e.errorCount / e.callCount : 0,
  };
}

/**
 * What a range query of span-metrics series per service says about a range:
 * the services that sent spans in it, and the seconds of it that data
 * covers. Calls counted over a range that began before the lab did are
 * divided by this, not by the whole range. The first sample comes one
 * flush after the first spans, so coverage starts one flush earlier.
 */
export function spanCoverage(
  result: readonly PromMatrixSeries[],
  range: { start: number; end: number },
  flushSeconds = 15,
): { services: string[]; seconds: number } {
  const services = new Set<string>();
  let first = Infinity;
  for (const s of result) {
    const name = s.metric['service_name'];
    const times = s.values.filter(([, v]) => Number.isFinite(Number(v))).map(([t]) => t);
    if (times.length === 0) continue;
    if (name) services.add(name);
    first = Math.min(first, ...times);
  }
  const whole = Math.max(0, range.end - range.start);
  if (!Number.isFinite(first)) return { services: [], seconds: whole };
  const from = Math.max(range.start, first - flushSeconds);
  return {
    services: [...services].sort(),
    seconds: Math.min(whole, Math.max(flushSeconds, range.end - from)),
  };
}
