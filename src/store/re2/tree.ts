// Go's parse tree, kept only for the limits Go enforces on it (nesting
// height, program size, nested repeat counts): each node knows its height and
// size, computed as regexp/syntax computes them.
export interface Node {
  readonly op: 'lit' | 'leaf' | 'cap' | 'star' | 'plus' | 'quest' | 'rep' | 'cat' | 'alt';
  readonly h: number;
  readonly size: number;
  readonly subs: readonly Node[];
  readonly min?: number;
  readonly max?: number;
}
export const maxHeight = 1000;
// regexp/syntax's budget: 128 MB of 40-byte instructions.
export const maxSize = Math.floor((128 << 20) / 40);
export const leaf: Node = { op: 'leaf', h: 1, size: 1, subs: [] };
export const lit: Node = { op: 'lit', h: 1, size: 1, subs: [] };

export function node(
  op: Node['op'],
  subs: readonly Node[],
  size: number,
  rep?: [number, number],
): Node {
  const h = 1 + Math.max(0, ...subs.map((n) => n.h));
  return { op, h, size: Math.max(1, size), subs, ...(rep ? { min: rep[0], max: rep[1] } : {}) };
}

/** Concatenation as Go builds it: nested concatenations flattened, adjacent literals one string. */
export function concat(items: readonly Node[]): Node {
  const flat: Node[] = [];
  for (const n of items.flatMap((x) => (x.op === 'cat' ? x.subs : [x]))) {
    const last = flat[flat.length - 1];
    if (n.op === 'lit' && last?.op === 'lit')
      flat[flat.length - 1] = { ...last, size: last.size + n.size };
    else flat.push(n);
  }
  if (flat.length === 0) return leaf;
  if (flat.length === 1) return flat[0] ?? leaf;
  return node(
    'cat',
    flat,
    flat.reduce((a, n) => a + n.size, 0),
  );
}

export function alternate(alts: readonly Node[]): Node {
  const flat = alts.flatMap((x) => (x.op === 'alt' ? x.subs : [x]));
  if (flat.length === 1) return flat[0] ?? leaf;
  return node('alt', flat, flat.reduce((a, n) => a + n.size, 0) + flat.length - 1);
}

export function repeated(sub: Node, op: string): Node {
  if (op === '*') return node('star', [sub], 2 + sub.size);
  if (op === '+') return node('plus', [sub], 1 + sub.size);
  if (op === '?') return node('quest', [sub], 1 + sub.size);
  const m = /^\{(\d+)(,(\d*))?\}/.exec(op);
  const min = Number(m?.[1]);
  const max = m?.[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
  const size =
    max === -1 ? (min === 0 ? 2 + sub.size : 1 + min * sub.size) : max * sub.size + max - min;
  return node('rep', [sub], size, [min, max]);
}

/** Go's repeatIsValid: nested {n,m} counts multiply to at most n copies of the innermost thing. */
export function repeatIsValid(n: Node, budget: number): boolean {
  let left = budget;
  if (n.op === 'rep') {
    let m = n.max ?? 0;
    if (m === 0) return true;
    if (m < 0) m = n.min ?? 0;
    if (m > left) return false;
    if (m > 0) left = Math.floor(left / m);
  }
  return n.subs.every((s) => repeatIsValid(s, left));
}
