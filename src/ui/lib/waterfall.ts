// The waterfall model: a span tree built from Jaeger references, flattened
// into rows for the visible (not collapsed) part, with bar positions as
// fractions of the trace's duration. Pure, so a 10,000-span trace is laid
// out once and scrolled through a virtual list.
import { isErrorSpan, type JaegerSpan, type JaegerTrace } from './jaeger';

export interface SpanNode {
  span: JaegerSpan;
  service: string;
  depth: number;
  parentID: string | null;
  children: SpanNode[];
  /** Time not covered by children, in µs (Jaeger UI's self time). */
  selfTime: number;
  isError: boolean;
}

export interface TraceTree {
  roots: SpanNode[];
  byID: Map<string, SpanNode>;
  start: number;
  end: number;
  duration: number;
  maxDepth: number;
}

export interface Row {
  node: SpanNode;
  hasChildren: boolean;
  collapsed: boolean;
  /** Bar start and width as fractions of the trace duration, in [0, 1]. */
  left: number;
  width: number;
}

export function buildTree(trace: JaegerTrace): TraceTree {
  const byID = new Map<string, SpanNode>();
  let start = Infinity;
  let end = -Infinity;
  for (const span of trace.spans) {
    if (byID.has(span.spanID)) continue; // duplicate span ids: keep the first
    byID.set(span.spanID, {
      span,
      service: trace.processes[span.processID]?.serviceName ?? 'unknown',
      depth: 0,
      parentID: null,
      children: [],
      selfTime: span.duration,
      isError: isErrorSpan(span),
    });
    start = Math.min(start, span.startTime);
    end = Math.max(end, span.startTime + span.duration);
  }
  const roots: SpanNode[] = [];
  for (const node of byID.values()) {
    const refs = node.span.references ?? [];
    const parentRef =
      refs.find((r) => r.refType === 'CHILD_OF' && byID.has(r.spanID)) ??
      refs.find((r) => byID.has(r.spanID));
    const parent =
      parentRef && parentRef.spanID !== node.span.spanID ? byID.get(parentRef.spanID) : undefined;
    if (parent && !isAncestor(node, parent, byID)) {
      node.parentID = parent.span.spanID;
      parent.children.push(node);
    } else {
      roots.push(node);
    }
  }
  const byStart = (a: SpanNode, b: SpanNode): number => a.span.startTime - b.span.startTime;
  roots.sort(byStart);
  let maxDepth = 0;
  const stack: SpanNode[] = [...roots];
  while (stack.length > 0) {
    const node = stack.pop() as SpanNode;
    node.children.sort(byStart);
    node.selfTime = selfTime(node);
    maxDepth = Math.max(maxDepth, node.depth);
    for (const c of node.children) {
      c.depth = node.depth + 1;
      stack.push(c);
    }
  }
  if (!Number.isFinite(start)) {
    start = 0;
    end = 0;
  }
  return { roots, byID, start, end, duration: end - start, maxDepth };
}

// Guards against reference cycles in malformed traces, which would otherwise
// hang the depth walk.
function isAncestor(node: SpanNode, candidate: SpanNode, byID: Map<string, SpanNode>): boolean {
  let cur: SpanNode | undefined = candidate;
  let steps = 0;
  while (cur && steps++ <= byID.size) {
    if (cur === node) return true;
    cur = cur.parentID ? byID.get(cur.parentID) : undefined;
  }
  return false;
}

/** Span duration minus the union of its children's intervals clipped to the span. */
export function selfTime(node: SpanNode): number {
  const s0 = node.span.startTime;
  const s1 = s0 + node.span.duration;
  const intervals = node.children
    .map(
      (c) =>
        [Math.max(s0, c.span.startTime), Math.min(s1, c.span.startTime + c.span.duration)] as const,
    )
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let curA = -Infinity;
  let curB = -Infinity;
  for (const [a, b] of intervals) {
    if (a > curB) {
      if (curB > curA) covered += curB - curA;
      curA = a;
      curB = b;
    } else {
      curB = Math.max(curB, b);
    }
  }
  if (curB > curA) covered += curB - curA;
  return Math.max(0, node.span.duration - covered);
}

export function visibleRows(tree: TraceTree, collapsed: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  const total = tree.duration > 0 ? tree.duration : 1;
  const stack: SpanNode[] = [...tree.roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as SpanNode;
    const isCollapsed = collapsed.has(node.span.spanID);
    rows.push({
      node,
      hasChildren: node.children.length > 0,
      collapsed: isCollapsed,
      left: clamp01((node.span.startTime - tree.start) / total),
      width: clamp01(node.span.duration / total),
    });
    if (!isCollapsed)
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as SpanNode);
  }
  return rows;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** Span ids whose operation, service, id or any tag/log/process text contains the query. */
export function searchSpans(tree: TraceTree, trace: JaegerTrace, query: string): Set<string> {
  const q = query.trim().toLowerCase();
  const hits = new Set<string>();
  if (q === '') return hits;
  for (const node of tree.byID.values()) {
    const s = node.span;
    const texts: string[] = [s.operationName, node.service, s.spanID];
    for (const t of s.tags ?? []) texts.push(`${t.key}=${String(t.value)}`);
    for (const l of s.logs ?? [])
      for (const f of l.fields) texts.push(`${f.key}=${String(f.value)}`);
    for (const t of trace.processes[s.processID]?.tags ?? [])
      texts.push(`${t.key}=${String(t.value)}`);
    if (texts.some((t) => t.toLowerCase().includes(q))) hits.add(s.spanID);
  }
  return hits;
}

/** Ancestors of the given spans, to expand so that search hits are visible. */
export function ancestorsOf(tree: TraceTree, ids: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const id of ids) {
    let cur = tree.byID.get(id);
    while (cur?.parentID && !out.has(cur.parentID)) {
      out.add(cur.parentID);
      cur = tree.byID.get(cur.parentID);
    }
  }
  return out;
}

export interface StatRow {
  service: string;
  operation: string;
  count: number;
  total: number;
  self: number;
  max: number;
  errors: number;
}

/** Per service/operation statistics, largest self time first. */
export function traceStats(tree: TraceTree): StatRow[] {
  const rows = new Map<string, StatRow>();
  for (const n of tree.byID.values()) {
    const key = `${n.service}\u0000${n.span.operationName}`;
    let r = rows.get(key);
    if (!r) {
      r = {
        service: n.service,
        operation: n.span.operationName,
        count: 0,
        total: 0,
        self: 0,
        max: 0,
        errors: 0,
      };
      rows.set(key, r);
    }
    r.count++;
    r.total += n.span.duration;
    r.self += n.selfTime;
    r.max = Math.max(r.max, n.span.duration);
    if (n.isError) r.errors++;
  }
  return [...rows.values()].sort((a, b) => b.self - a.self);
}

/**
 * Critical path as Jaeger UI computes it: walk back from a span's end, always
 * into the child that finished last before the current point in time.
 * Returns span ids on the path.
 */
export function criticalPath(tree: TraceTree): Set<string> {
  const path = new Set<string>();
  const visit = (node: SpanNode): void => {
    path.add(node.span.spanID);
    const parentEnd = node.span.startTime + node.span.duration;
    // Children that outlive their parent (clock skew) are clipped to its end.
    const end = (c: SpanNode): number => Math.min(parentEnd, c.span.startTime + c.span.duration);
    const kids = [...node.children].sort((a, b) => end(b) - end(a));
    let cursor = parentEnd;
    for (const child of kids) {
      if (end(child) <= cursor && end(child) > node.span.startTime) {
        visit(child);
        cursor = child.span.startTime;
      }
    }
  };
  for (const r of tree.roots) visit(r);
  return path;
}

export function serviceColor(service: string): string {
  let h = 2166136261;
  for (let i = 0; i < service.length; i++) {
    h ^= service.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  const hue = (h >>> 0) % 360;
  return `hsl(${hue} 65% 50%)`;
}
