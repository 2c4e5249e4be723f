// OTLP/JSON AnyValue, KeyValue lists, Resource and InstrumentationScope.

import type {
  AnyValue,
  Attributes,
  EntityRef,
  InstrumentationScope,
  Resource,
} from '../../../model/telemetry';
import { AttrSet } from '../attributes';
import { FieldPath } from '../errors';
import { checkAnyValueDepth } from '../limits';
import type { OtlpLimits } from '../limits';
import type { Decoded } from '../validate';
import { arr, base64, bool, double, get, int64, obj, str, text, uint32 } from './values';
import type { Ctx, Json, JsonObject } from './values';

export function anyValue(c: Ctx, v: Json, depth: number): AnyValue {
  const o = obj(c, v, 'value');
  if (o === undefined) return null;
  let x: Json;
  if ((x = get(o, 'stringValue', 'string_value')) !== undefined) return text(c, x, 'stringValue');
  if ((x = get(o, 'boolValue', 'bool_value')) !== undefined) return bool(c, x, 'boolValue');
  if ((x = get(o, 'intValue', 'int_value')) !== undefined) return int64(c, x, 'intValue');
  if ((x = get(o, 'doubleValue', 'double_value')) !== undefined) return double(c, x, 'doubleValue');
  if ((x = get(o, 'bytesValue', 'bytes_value')) !== undefined) return base64(c, x, 'bytesValue');
  if ((x = get(o, 'arrayValue', 'array_value')) !== undefined) {
    checkAnyValueDepth(c, depth + 1);
    c.path.push('arrayValue');
    const list = obj(c, x, 'arrayValue') ?? {};
    const values = arr(c, list['values'], 'values');
    const out: AnyValue[] = [];
    for (let i = 0; i < values.length; i++) {
      c.path.push('values', i);
      out.push(anyValue(c, values[i], depth + 1));
      c.path.pop(true);
    }
    c.path.pop();
    return out;
  }
  if ((x = get(o, 'kvlistValue', 'kvlist_value')) !== undefined) {
    checkAnyValueDepth(c, depth + 1);
    c.path.push('kvlistValue');
    const list = obj(c, x, 'kvlistValue') ?? {};
    const set = new AttrSet(c.limits.maxAttributesPerItem);
    keyValues(c, list['values'], 'values', set, depth + 1);
    c.path.pop();
    return { kvlist: set.values };
  }
  return null;
}

export function keyValues(c: Ctx, v: Json, name: string, set: AttrSet, depth = 0): void {
  const list = arr(c, v, name);
  for (let i = 0; i < list.length; i++) {
    c.path.push(name, i);
    const kv = obj(c, list[i], '') ?? {};
    const key = str(c, kv['key'], 'key');
    c.path.push('value');
    const value = anyValue(c, kv['value'], depth);
    c.path.pop();
    set.put(key, value);
    c.path.pop(true);
  }
}

/** `attributes` (or another KeyValue list) of an item plus its dropped count. */
export function attributes(
  c: Ctx,
  o: JsonObject,
  camel: string,
  snake: string,
): { values: Attributes; dropped: number } {
  const set = new AttrSet(c.limits.maxAttributesPerItem);
  keyValues(c, get(o, camel, snake), camel, set);
  return { values: set.values, dropped: set.dropped };
}

export function droppedCount(c: Ctx, o: JsonObject): number {
  return uint32(
    c,
    get(o, 'droppedAttributesCount', 'dropped_attributes_count'),
    'droppedAttributesCount',
  );
}

export function resource(c: Ctx, v: Json, schemaUrl: string): Resource {
  c.path.push('resource');
  const o = obj(c, v, '') ?? {};
  const a = attributes(c, o, 'attributes', 'attributes');
  const refs = entityRefs(c, get(o, 'entityRefs', 'entity_refs'));
  const r: Resource = {
    attributes: a.values,
    droppedAttributesCount: droppedCount(c, o) + a.dropped,
    schemaUrl,
    ...(refs.length > 0 ? { entityRefs: refs } : {}),
  };
  c.path.pop();
  return r;
}

/** As the protobuf decoder: at most maxAttributesPerItem refs, and keys per list. */
function entityRefs(c: Ctx, v: Json): EntityRef[] {
  const list = arr(c, v, 'entityRefs');
  const max = c.limits.maxAttributesPerItem;
  const out: EntityRef[] = [];
  for (let i = 0; i < list.length && out.length < max; i++) {
    c.path.push('entityRefs', i);
    const o = obj(c, list[i], '') ?? {};
    out.push({
      schemaUrl: schemaUrl(c, o),
      type: text(c, o['type'], 'type'),
      idKeys: keys(c, get(o, 'idKeys', 'id_keys'), 'idKeys'),
      descriptionKeys: keys(c, get(o, 'descriptionKeys', 'description_keys'), 'descriptionKeys'),
    });
    c.path.pop(true);
  }
  return out;
}

function keys(c: Ctx, v: Json, name: string): string[] {
  const list = arr(c, v, name);
  const n = Math.min(list.length, c.limits.maxAttributesPerItem);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    c.path.push(name, i);
    out.push(text(c, list[i], ''));
    c.path.pop(true);
  }
  return out;
}

export function scope(c: Ctx, v: Json, schemaUrl: string): InstrumentationScope {
  c.path.push('scope');
  const o = obj(c, v, '') ?? {};
  const a = attributes(c, o, 'attributes', 'attributes');
  const s = {
    name: text(c, o['name'], 'name'),
    version: text(c, o['version'], 'version'),
    attributes: a.values,
    droppedAttributesCount: droppedCount(c, o) + a.dropped,
    schemaUrl,
  };
  c.path.pop();
  return s;
}

export function schemaUrl(c: Ctx, o: JsonObject): string {
  return text(c, get(o, 'schemaUrl', 'schema_url'), 'schemaUrl');
}

type Names = readonly [resources: string, scopes: string, items: string];

const snake = (camel: string): string => camel.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);

/**
 * Decodes a request: walks `resourceX[].scopeX[].items[]` (camelCase names;
 * the proto's snake_case accepted too) and hands each item
 * object to `item` with its resource and scope; `item` pushes what it keeps
 * to `out` (see keep), so each signal only decodes its own records.
 */
export function decodeJson<T>(
  root: Json,
  limits: OtlpLimits,
  names: Names,
  item: (c: Ctx, o: JsonObject, res: Resource, sc: InstrumentationScope, out: T[]) => void,
): Decoded<T> {
  const c: Ctx = { path: new FieldPath(), limits, items: 0, rejected: 0, rejectReason: '' };
  const out: T[] = [];
  const [rName, sName, iName] = names;
  const [rSnake, sSnake, iSnake] = names.map(snake) as [string, string, string];
  const top = obj(c, root, '');
  if (top === undefined)
    throw c.path.error(`expected an object, got ${root === null ? 'null' : 'nothing'}`);
  const rs = arr(c, get(top, rName, rSnake), rName);
  for (let i = 0; i < rs.length; i++) {
    c.path.push(rName, i);
    const ro = obj(c, rs[i], '') ?? {};
    const res = resource(c, ro['resource'], schemaUrl(c, ro));
    const ss = arr(c, get(ro, sName, sSnake), sName);
    for (let j = 0; j < ss.length; j++) {
      c.path.push(sName, j);
      const so = obj(c, ss[j], '') ?? {};
      const sc = scope(c, so['scope'], schemaUrl(c, so));
      const items = arr(c, get(so, iName, iSnake), iName);
      for (let k = 0; k < items.length; k++) {
        c.path.push(iName, k);
        item(c, obj(c, items[k], '') ?? {}, res, sc, out);
        c.path.pop(true);
      }
      c.path.pop(true);
    }
    c.path.pop(true);
  }
  return { items: out, rejected: c.rejected, rejectReason: c.rejectReason };
}

/** Keeps a decoded item, or counts it as refused (partial success) with the reason. */
export function keep<T>(c: Ctx, item: T, problem: (item: T) => string, out: T[]): void {
  const bad = problem(item);
  if (bad === '') out.push(item);
  else reject(c, bad);
}

export function countItem(c: Ctx): void {
  if (++c.items > c.limits.maxItemsPerRequest) {
    throw c.path.error(
      `more than ${c.limits.maxItemsPerRequest} items in one request (limit maxItemsPerRequest)`,
      'limit',
    );
  }
}

export function reject(c: Ctx, reason: string): void {
  c.rejected++;
  if (c.rejectReason === '') c.rejectReason = `${c.path.toString()}: ${reason}`;
}
