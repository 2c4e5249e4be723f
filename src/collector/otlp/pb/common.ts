// common.proto and resource.proto: AnyValue, KeyValue, InstrumentationScope, Resource.

import type { AnyValue, EntityRef, InstrumentationScope, Resource } from '../../../model/telemetry';
import { AttrSet } from '../attributes';
import { checkAnyValueDepth } from '../limits';
import { fields, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './reader';
import type { Reader } from './reader';

const T1_LEN = (1 << 3) | WIRE_LEN;
const T2_LEN = (2 << 3) | WIRE_LEN;
const T2_VARINT = (2 << 3) | WIRE_VARINT;
const T3_LEN = (3 << 3) | WIRE_LEN;
const T3_VARINT = (3 << 3) | WIRE_VARINT;
const T4_I64 = (4 << 3) | WIRE_I64;
const T4_LEN = (4 << 3) | WIRE_LEN;
const T4_VARINT = (4 << 3) | WIRE_VARINT;
const T5_LEN = (5 << 3) | WIRE_LEN;
const T6_LEN = (6 << 3) | WIRE_LEN;
const T7_LEN = (7 << 3) | WIRE_LEN;

const ANY_FIELDS = fields(1, 2, 3, 4, 5, 6, 7);
const KV_FIELDS = fields(1, 2);
const LIST_FIELDS = fields(1);
const SCOPE_FIELDS = fields(1, 2, 3, 4);
const RESOURCE_FIELDS = fields(1, 2, 3);
const ENTITY_REF_FIELDS = fields(1, 2, 3, 4);

/** An AnyValue message ending at `end`; an empty message is null (no value set). */
export function readAnyValue(r: Reader, end: number, depth: number): AnyValue {
  let v: AnyValue = null;
  while (r.pos < end) {
    const tag = r.varint32();
    switch (tag) {
      case T1_LEN:
        v = r.value(end);
        break;
      case T2_VARINT:
        v = r.bool();
        break;
      case T3_VARINT:
        v = r.int64();
        break;
      case T4_I64:
        v = r.double();
        break;
      case T5_LEN:
        v = readArray(r, r.lenEnd(end), depth + 1);
        break;
      case T6_LEN:
        v = { kvlist: readKvList(r, r.lenEnd(end), depth + 1) };
        break;
      case T7_LEN:
        v = r.bytes(end);
        break;
      default:
        r.skip(tag, end, ANY_FIELDS);
    }
  }
  r.expectEnd(end);
  return v;
}

function readArray(r: Reader, end: number, depth: number): AnyValue[] {
  checkAnyValueDepth(r, depth);
  const out: AnyValue[] = [];
  while (r.pos < end) {
    const tag = r.varint32();
    if (tag === T1_LEN) {
      r.path.push('values', out.length);
      out.push(readAnyValue(r, r.lenEnd(end), depth));
      r.path.pop(true);
    } else {
      r.skip(tag, end, LIST_FIELDS);
    }
  }
  r.expectEnd(end);
  return out;
}

function readKvList(r: Reader, end: number, depth: number): Record<string, AnyValue> {
  checkAnyValueDepth(r, depth);
  const set = new AttrSet(r.limits.maxAttributesPerItem);
  while (r.pos < end) {
    const tag = r.varint32();
    if (tag === T1_LEN) {
      r.path.push('values', set.index++);
      readKeyValue(r, r.lenEnd(end), set, depth);
      r.path.pop(true);
    } else {
      r.skip(tag, end, LIST_FIELDS);
    }
  }
  r.expectEnd(end);
  return set.values;
}

/** One KeyValue message into `set`. */
export function readKeyValue(r: Reader, end: number, set: AttrSet, depth = 0): void {
  let key = '';
  let value: AnyValue = null;
  while (r.pos < end) {
    const tag = r.varint32();
    if (tag === T1_LEN) key = r.string(end);
    else if (tag === T2_LEN) value = readAnyValue(r, r.lenEnd(end), depth);
    else r.skip(tag, end, KV_FIELDS);
  }
  r.expectEnd(end);
  set.put(key, value);
}

/** One element of a repeated KeyValue field (`attributes[i]` unless named), tracking the path. */
export function readAttribute(r: Reader, end: number, set: AttrSet, name = 'attributes'): void {
  r.path.push(name, set.index++);
  readKeyValue(r, r.lenEnd(end), set);
  r.path.pop(true);
}

export function readScope(r: Reader, end: number, schemaUrl: string): InstrumentationScope {
  let name = '';
  let version = '';
  const attrs = new AttrSet(r.limits.maxAttributesPerItem);
  while (r.pos < end) {
    const tag = r.varint32();
    switch (tag) {
      case T1_LEN:
        name = r.value(end);
        break;
      case T2_LEN:
        version = r.value(end);
        break;
      case T3_LEN:
        readAttribute(r, end, attrs);
        break;
      case T4_VARINT:
        attrs.sentDropped = r.varint32();
        break;
      default:
        r.skip(tag, end, SCOPE_FIELDS);
    }
  }
  r.expectEnd(end);
  return {
    name,
    version,
    attributes: attrs.values,
    droppedAttributesCount: attrs.droppedCount,
    schemaUrl,
  };
}

/** Resource fields without schemaUrl (that lives on the enclosing Resource* message). */
export interface ResourceBody {
  attributes: Resource['attributes'];
  droppedAttributesCount: number;
  /** Empty when none were sent. */
  entityRefs: EntityRef[];
}

export function readResource(r: Reader, end: number): ResourceBody {
  const attrs = new AttrSet(r.limits.maxAttributesPerItem);
  const refs: EntityRef[] = [];
  let ri = 0;
  while (r.pos < end) {
    const tag = r.varint32();
    switch (tag) {
      case T1_LEN:
        readAttribute(r, end, attrs);
        break;
      case T2_VARINT:
        attrs.sentDropped = r.varint32();
        break;
      case T3_LEN: {
        r.path.push('entityRefs', ri++);
        const ref = readEntityRef(r, r.lenEnd(end));
        r.path.pop(true);
        // Bounded like attributes: a resource names a handful of entities.
        if (refs.length < r.limits.maxAttributesPerItem) refs.push(ref);
        break;
      }
      default:
        r.skip(tag, end, RESOURCE_FIELDS);
    }
  }
  r.expectEnd(end);
  return {
    attributes: attrs.values,
    droppedAttributesCount: attrs.droppedCount,
    entityRefs: refs,
  };
}

function readEntityRef(r: Reader, end: number): EntityRef {
  let schemaUrl = '';
  let type = '';
  const idKeys: string[] = [];
  const descriptionKeys: string[] = [];
  const max = r.limits.maxAttributesPerItem;
  while (r.pos < end) {
    const tag = r.varint32();
    switch (tag) {
      case T1_LEN:
        schemaUrl = r.value(end);
        break;
      case T2_LEN:
        type = r.value(end);
        break;
      case T3_LEN: {
        const k = r.value(end);
        if (idKeys.length < max) idKeys.push(k);
        break;
      }
      case T4_LEN: {
        const k = r.value(end);
        if (descriptionKeys.length < max) descriptionKeys.push(k);
        break;
      }
      default:
        r.skip(tag, end, ENTITY_REF_FIELDS);
    }
  }
  r.expectEnd(end);
  return { schemaUrl, type, idKeys, descriptionKeys };
}
