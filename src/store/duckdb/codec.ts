// Domain values <-> column values. Ids are numbers in the database (trace
// ids UHUGEINT, span ids UBIGINT) and lowercase hex in the domain; nested
// parts (events, links, OTLP exemplars) are JSON with tagged attribute values.

import type { DuckDBValue } from '@duckdb/node-api';
import { DuckDBListValue } from '@duckdb/node-api';

import type {
  AnyValue,
  Attributes,
  Exemplar,
  Span,
  SpanEvent,
  SpanLink,
} from '../../model/telemetry';
import { decodeAttributes, decodeValue, encodeValue } from '../values';

/** Attribute keys repeat across spans: their JSON text is kept, up to a bound (keys are client text). */
const keyJson = new Map<string, string>();
const KEY_CACHE_MAX = 4096;

/**
 * Byte for byte what `encodeAttributes` (store/values.ts) writes, about twice
 * as fast: key texts are cached and the common scalar values skip the generic
 * tagging. The write path calls it once per span.
 */
export function encodeAttributesFast(attrs: Attributes): string {
  let out = '';
  for (const k of Object.keys(attrs)) {
    let kj = keyJson.get(k);
    if (kj === undefined) {
      kj = `${JSON.stringify(k)}:`;
      if (keyJson.size < KEY_CACHE_MAX) keyJson.set(k, kj);
    }
    const v = attrs[k] ?? null;
    let vj: string;
    switch (typeof v) {
      case 'string':
        vj = JSON.stringify(`s${v}`);
        break;
      case 'boolean':
        vj = v ? '"btrue"' : '"bfalse"';
        break;
      case 'bigint':
        vj = `"i${v.toString()}"`;
        break;
      default:
        vj = JSON.stringify(encodeValue(v));
    }
    out += out === '' ? `{${kj}${vj}` : `,${kj}${vj}`;
  }
  return out === '' ? '{}' : `${out}}`;
}

/** `encodeValue` (store/values.ts), with the common scalars first: one call per stored span attribute. */
export function encodeValueFast(v: AnyValue): string {
  switch (typeof v) {
    case 'string':
      return `s${v}`;
    case 'boolean':
      return v ? 'btrue' : 'bfalse';
    case 'bigint':
      return `i${v.toString()}`;
    default:
      return encodeValue(v);
  }
}

export function hexToBig(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

export function bigToHex(v: bigint, chars: number): string {
  return v.toString(16).padStart(chars, '0');
}

export const traceHex = (v: DuckDBValue): string => (v === null ? '' : bigToHex(asBig(v), 32));
export const spanHex = (v: DuckDBValue): string => (v === null ? '' : bigToHex(asBig(v), 16));

export function asBig(v: DuckDBValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  throw new Error(`expected an integer column value, got ${String(v)}`);
}

export function asNum(v: DuckDBValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new Error(`expected a numeric column value, got ${String(v)}`);
}

export function asStr(v: DuckDBValue): string {
  if (typeof v === 'string') return v;
  throw new Error(`expected a text column value, got ${String(v)}`);
}

export function optNum(v: DuckDBValue): number | undefined {
  return v === null ? undefined : asNum(v);
}

export function listItems(v: DuckDBValue): readonly DuckDBValue[] {
  if (v === null) return [];
  if (v instanceof DuckDBListValue) return v.items;
  throw new Error('expected a list column value');
}

interface EventJson {
  t: string;
  n: string;
  a: Record<string, string>;
  d: number;
}

function attrsObject(
  attrs: Readonly<Record<string, import('../../model/telemetry').AnyValue>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = encodeValue(v);
  return out;
}

function eventsJson(events: readonly SpanEvent[]): EventJson[] {
  return events.map((e) => ({
    t: e.timeUnixNano.toString(),
    n: e.name,
    a: attrsObject(e.attributes),
    d: e.droppedAttributesCount,
  }));
}

function eventsFromJson(json: readonly EventJson[]): SpanEvent[] {
  return json.map((e) => ({
    timeUnixNano: BigInt(e.t),
    name: e.n,
    attributes: decodeAttributes(JSON.stringify(e.a)),
    droppedAttributesCount: e.d,
  }));
}

interface LinkJson {
  t: string;
  s: string;
  ts: string;
  a: Record<string, string>;
  d: number;
  f: number;
}

function linksJson(links: readonly SpanLink[]): LinkJson[] {
  return links.map((l) => ({
    t: l.traceId,
    s: l.spanId,
    ts: l.traceState,
    a: attrsObject(l.attributes),
    d: l.droppedAttributesCount,
    f: l.flags,
  }));
}

function linksFromJson(json: readonly LinkJson[]): SpanLink[] {
  return json.map((l) => ({
    traceId: l.t,
    spanId: l.s,
    traceState: l.ts,
    attributes: decodeAttributes(JSON.stringify(l.a)),
    droppedAttributesCount: l.d,
    flags: l.f,
  }));
}

/** The rarely-set span fields, short keys, defaults left out. */
interface ExtrasJson {
  ts?: string;
  da?: number;
  ev?: EventJson[];
  de?: number;
  li?: LinkJson[];
  dl?: number;
  sm?: string;
}

export type SpanExtras = Pick<
  Span,
  | 'traceState'
  | 'droppedAttributesCount'
  | 'events'
  | 'droppedEventsCount'
  | 'links'
  | 'droppedLinksCount'
> & { readonly statusMessage: string };

/** NULL (no JSON at all) when every rare field has its default. */
export function encodeSpanExtras(s: Span): string | null {
  if (
    s.traceState === '' &&
    s.droppedAttributesCount === 0 &&
    s.events.length === 0 &&
    s.droppedEventsCount === 0 &&
    s.links.length === 0 &&
    s.droppedLinksCount === 0 &&
    s.status.message === ''
  ) {
    return null;
  }
  const x: ExtrasJson = {};
  if (s.traceState !== '') x.ts = s.traceState;
  if (s.droppedAttributesCount !== 0) x.da = s.droppedAttributesCount;
  if (s.events.length > 0) x.ev = eventsJson(s.events);
  if (s.droppedEventsCount !== 0) x.de = s.droppedEventsCount;
  if (s.links.length > 0) x.li = linksJson(s.links);
  if (s.droppedLinksCount !== 0) x.dl = s.droppedLinksCount;
  if (s.status.message !== '') x.sm = s.status.message;
  return JSON.stringify(x);
}

export function decodeSpanExtras(v: DuckDBValue): SpanExtras {
  const x: ExtrasJson = v === null ? {} : (JSON.parse(asStr(v)) as ExtrasJson);
  return {
    traceState: x.ts ?? '',
    droppedAttributesCount: x.da ?? 0,
    events: eventsFromJson(x.ev ?? []),
    droppedEventsCount: x.de ?? 0,
    links: linksFromJson(x.li ?? []),
    droppedLinksCount: x.dl ?? 0,
    statusMessage: x.sm ?? '',
  };
}

interface ExemplarJson {
  a: Record<string, string>;
  t: string;
  v: string;
  s: string;
  tr: string;
}

export function encodeExemplars(exemplars: readonly Exemplar[]): string | null {
  if (exemplars.length === 0) return null;
  const json: ExemplarJson[] = exemplars.map((e) => ({
    a: attrsObject(e.filteredAttributes),
    t: e.timeUnixNano.toString(),
    v: encodeValue(e.value),
    s: e.spanId,
    tr: e.traceId,
  }));
  return JSON.stringify(json);
}

export function decodeExemplars(v: DuckDBValue): Exemplar[] {
  if (v === null) return [];
  return (JSON.parse(asStr(v)) as ExemplarJson[]).map((e) => {
    const value = decodeValue(e.v);
    return {
      filteredAttributes: decodeAttributes(JSON.stringify(e.a)),
      timeUnixNano: BigInt(e.t),
      value: typeof value === 'bigint' ? value : Number(value),
      spanId: e.s,
      traceId: e.tr,
    };
  });
}
