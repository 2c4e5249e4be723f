// A fixed-row-height virtual list: only the rows in view (plus a margin) are
// in the DOM, so 10,000 spans or thousands of traces scroll smoothly.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export interface VirtualListProps<T> {
  items: T[];
  rowHeight: number;
  height: number;
  render: (item: T, index: number) => JSX.Element;
  label: string;
  /** Index to keep in view (keyboard selection). */
  focusIndex?: number;
  /** `tree` for the waterfall (rows are treeitems); default a plain list. */
  role?: 'list' | 'tree';
  /** Makes the list itself focusable and keyboard-driven (with aria-activedescendant). */
  onKeyDown?: (e: KeyboardEvent) => void;
  activeDescendant?: string;
}

export function VirtualList<T>(props: VirtualListProps<T>): JSX.Element {
  const { items, rowHeight, height } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const overscan = 10;
  // When the list shrinks under a scrolled view (a new search, a brush), the
  // browser clamps scrollTop without always telling us: clamp here too.
  const top = Math.min(scrollTop, Math.max(0, items.length * rowHeight - height));
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + overscan);

  useEffect(() => {
    const el = ref.current;
    const i = props.focusIndex;
    if (!el || i === undefined || i < 0) return;
    const top = i * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + height) el.scrollTop = top + rowHeight - height;
  }, [props.focusIndex, rowHeight, height]);

  const rows: JSX.Element[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        class="vrow"
        key={i}
        role={props.role === 'tree' ? 'none' : 'listitem'}
        style={{ top: `${i * rowHeight}px`, height: `${rowHeight}px` }}
      >
        {props.render(items[i] as T, i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      class="vlist"
      role={props.role ?? 'list'}
      aria-label={props.label}
      tabIndex={props.onKeyDown ? 0 : undefined}
      onKeyDown={props.onKeyDown}
      aria-activedescendant={props.activeDescendant}
      style={{ height: `${Math.min(height, Math.max(items.length * rowHeight, rowHeight))}px` }}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
    >
      <div class="vlist-inner" style={{ height: `${items.length * rowHeight}px` }}>
        {rows}
      </div>
    </div>
  );
}
