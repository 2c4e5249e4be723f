// Service map layout: services in columns by call depth (callers left of
// callees), ordered inside a column by their callers' positions to keep
// edges from crossing. Cycles (A calls B calls A) are cut at the edge that
// closes them, so layout always ends.

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

export interface ServiceMap {
  nodes: PlacedNode[];
  edges: DependencyEdge[];
  columns: number;
  rows: number;
}

export function layoutServiceMap(input: readonly DependencyEdge[]): ServiceMap {
  const edges = input.filter((e) => e.parent !== '' && e.child !== '');
  const names = [...new Set(edges.flatMap((e) => [e.parent, e.child]))].sort();
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

  const columns = Math.max(0, ...column.values()) + 1;
  const rowOf = new Map<string, number>();
  const byColumn: string[][] = Array.from({ length: names.length ? columns : 0 }, () => []);
  for (const n of names) byColumn[column.get(n) ?? 0]?.push(n);
  byColumn.forEach((col, ci) => {
    const weight = (n: string): number => {
      const parents = edges.filter(
        (e) => e.child === n && e.parent !== n && (column.get(e.parent) ?? 0) < ci,
      );
      if (parents.length === 0) return Number.MAX_SAFE_INTEGER;
      return parents.reduce((s, e) => s + (rowOf.get(e.parent) ?? 0), 0) / parents.length;
    };
    col.sort((a, b) => weight(a) - weight(b) || a.localeCompare(b));
    col.forEach((n, i) => rowOf.set(n, i));
  });

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
  return {
    nodes,
    edges,
    columns: names.length ? columns : 0,
    rows: Math.max(0, ...byColumn.map((c) => c.length)),
  };
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
