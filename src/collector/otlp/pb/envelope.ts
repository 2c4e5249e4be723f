// The Resource* / Scope* envelope shared by the three signals: resource and
// scope objects are created up front and filled as their fields arrive,
// because schema_url follows the items on the wire yet every item shares them.

import type { InstrumentationScope, Resource } from '../../../model/telemetry';
import type { OtlpLimits } from '../limits';
import type { Decoded } from '../validate';
import { readResource, readScope } from './common';
import { fields, Reader, WIRE_LEN } from './reader';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const T1 = (1 << 3) | WIRE_LEN;
const T2 = (2 << 3) | WIRE_LEN;
const T3 = (3 << 3) | WIRE_LEN;
const ENVELOPE_FIELDS = fields(1, 2, 3);

type Names = readonly [resources: string, scopes: string, items: string];

/** Keeps a decoded item, or counts it as refused (partial success) with the reason. */
export function keep<T>(r: Reader, item: T, problem: (item: T) => string, out: T[]): void {
  const bad = problem(item);
  if (bad === '') out.push(item);
  else r.reject(bad);
}

/**
 * A request whose scope messages hold one item per element (spans, log
 * records): the signal only reads its item, this does the rest.
 */
export function decodeItems<T>(
  bytes: Uint8Array,
  limits: OtlpLimits,
  names: Names,
  readItem: (r: Reader, end: number, resource: Resource, scope: InstrumentationScope) => T,
  problem: (item: T) => string,
): Decoded<T> {
  const r = new Reader(bytes, limits);
  const items: T[] = [];
  readEnvelope(r, names, (rr, end, resource, scope) => {
    rr.countItem();
    keep(rr, readItem(rr, end, resource, scope), problem, items);
  });
  return { items, rejected: r.rejected, rejectReason: r.rejectReason };
}

/** Decodes the items of one scope message; `end` is that message's end. */
export type ItemsReader = (
  r: Reader,
  end: number,
  resource: Resource,
  scope: InstrumentationScope,
) => void;

/**
 * Reads a request: `repeated Resource* = 1`, each `{resource = 1, repeated Scope* = 2, schema_url = 3}`,
 * each scope message `{scope = 1, repeated items = 2, schema_url = 3}`.
 */
export function readEnvelope(r: Reader, names: Names, readItem: ItemsReader): void {
  const end = r.buf.length;
  let ri = 0;
  while (r.pos < end) {
    const tag = r.varint32();
    if (tag !== T1) {
      r.skip(tag, end, fields(1));
      continue;
    }
    r.path.push(names[0], ri++);
    readResourceMessage(r, r.lenEnd(end), names, readItem);
    r.path.pop(true);
  }
}

function readResourceMessage(r: Reader, end: number, names: Names, readItem: ItemsReader): void {
  const resource: Mutable<Resource> = { attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
  let si = 0;
  while (r.pos < end) {
    const tag = r.varint32();
    switch (tag) {
      case T1: {
        r.path.push('resource');
        const body = readResource(r, r.lenEnd(end));
        r.path.pop();
        resource.attributes = body.attributes;
        resource.droppedAttributesCount = body.droppedAttributesCount;
        if (body.entityRefs.length > 0) resource.entityRefs = body.entityRefs;
        else delete resource.entityRefs;
        break;
      }
      case T2:
        r.path.push(names[1], si++);
        readScopeMessage(r, r.lenEnd(end), resource, names[2], readItem);
        r.path.pop(true);
        break;
      case T3:
        resource.schemaUrl = r.value(end);
        break;
      default:
        r.skip(tag, end, ENVELOPE_FIELDS);
    }
  }
  r.expectEnd(end);
}

function readScopeMessage(
  r: Reader,
  end: number,
  resource: Resource,
  itemName: string,
  readItem: ItemsReader,
): void {
  const scope: Mutable<InstrumentationScope> = {
    name: '',
    version: '',
    attributes: {},
    droppedAttributesCount: 0,
    schemaUrl: '',
  };
  let ii = 0;
  while (r.pos < end) {
    const tag = r.varint32();
    switch (tag) {
      case T1: {
        r.path.push('scope');
        const s = readScope(r, r.lenEnd(end), scope.schemaUrl);
        r.path.pop();
        scope.name = s.name;
        scope.version = s.version;
        scope.attributes = s.attributes;
        scope.droppedAttributesCount = s.droppedAttributesCount;
        break;
      }
      case T2:
        r.path.push(itemName, ii++);
        readItem(r, r.lenEnd(end), resource, scope);
        r.path.pop(true);
        break;
      case T3:
        scope.schemaUrl = r.value(end);
        break;
      default:
        r.skip(tag, end, ENVELOPE_FIELDS);
    }
  }
  r.expectEnd(end);
}
