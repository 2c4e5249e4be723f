// Building attribute maps from untrusted keys: shared by the protobuf and JSON decoders.

import type { AnyValue } from '../../model/telemetry';

/** Accumulates one item's attributes, enforcing maxAttributesPerItem. */
export class AttrSet {
  readonly values: Record<string, AnyValue> = {};
  private n = 0;
  /** Dropped here, by the limit. */
  dropped = 0;
  /** Elements of the repeated field read so far: the index an error path names. */
  index = 0;
  /** The item's `dropped_attributes_count` as the sender sent it. */
  sentDropped = 0;

  constructor(private readonly max: number) {}

  /** What the item reports: dropped by the sender plus dropped here. */
  get droppedCount(): number {
    return this.sentDropped + this.dropped;
  }

  put(key: string, value: AnyValue): void {
    const values = this.values;
    // Fast path: a key neither own nor inherited is new (`in` is cheaper than hasOwnProperty).
    if (!(key in values) && this.n < this.max) {
      this.n++;
      values[key] = value;
      return;
    }
    if (Object.prototype.hasOwnProperty.call(values, key)) {
      // The spec says keys are unique; when they are not, the last one wins.
      setOwn(values, key, value);
      return;
    }
    if (this.n >= this.max) {
      this.dropped++;
      return;
    }
    this.n++;
    setOwn(values, key, value);
  }
}

/** Assigns without letting a key like `__proto__` reach the prototype. */
export function setOwn(obj: Record<string, AnyValue>, key: string, value: AnyValue): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    obj[key] = value;
  }
}

export const EMPTY_ATTRS: Readonly<Record<string, AnyValue>> = Object.freeze({});
