// Domain values <-> column values. Ids are numbers in the database (trace
// ids UHUGEINT, span ids UBIGINT) and lowercase hex in the domain; nested
// parts (events, links, OTLP exemplars) are JSON with tagged attribute values.

import type { DuckDBValue } from '@duckdb/node-api';
import { DuckDBListValue } from '@duckdb/node-api';

import type { Exemplar, SpanEvent, SpanLink } from '../../model/telemetry';
import { decodeAttributes, decodeValue, encodeValue } from '../values';

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

export function encodeEvents(events: readonly SpanEvent[]): string | null {
  if (events.length === 0) return null;
  const json: EventJson[] = events.map((e) => ({
    t: e.timeUnixNano.toString(),
    n: e.name,
    a: attrsObject(e.attributes),
    d: e.droppedAttributesCount,
  }));
  return JSON.stringify(json);
}

export function decodeEvents(v: DuckDBValue): SpanEvent[] {
  if (v === null) return [];
  return (JSON.parse(asStr(v)) as EventJson[]).map((e) => ({
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

export function encodeLinks(links: readonly SpanLink[]): string | null {
  if (links.length === 0) return null;
  const json: LinkJson[] = links.map((l) => ({
    t: l.traceId,
    s: l.spanId,
    ts: l.traceState,
    a: attrsObject(l.attributes),
    d: l.droppedAttributesCount,
    f: l.flags,
  }));
  return JSON.stringify(json);
}

export function decodeLinks(v: DuckDBValue): SpanLink[] {
  if (v === null) return [];
  return (JSON.parse(asStr(v)) as LinkJson[]).map((l) => ({
    traceId: l.t,
    spanId: l.s,
    traceState: l.ts,
    attributes: decodeAttributes(JSON.stringify(l.a)),
    droppedAttributesCount: l.d,
    flags: l.f,
  }));
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
