// Test support: the vendored OTLP protos through protobufjs reflection, to
// encode fixtures, to build a request with every field of every message set
// (so a field the decoders miss fails a test), and to write the same request
// as OTLP/JSON. Never used outside tests: the decoders are hand-written.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';
import type { Signal } from '../decode';

function protoDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'proto', 'opentelemetry');
    if (existsSync(candidate)) return join(dir, 'proto');
    const up = dirname(dir);
    if (up === dir) throw new Error(`proto/opentelemetry not found above ${__dirname}`);
    dir = up;
  }
}

let cached: protobuf.Root | undefined;

export function otlpRoot(): protobuf.Root {
  if (cached !== undefined) return cached;
  const root = new protobuf.Root();
  const base = protoDir();
  root.resolvePath = (_origin, target) => join(base, target);
  root.loadSync([
    'opentelemetry/proto/collector/trace/v1/trace_service.proto',
    'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
    'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  ]);
  root.resolveAll();
  cached = root;
  return root;
}

const REQUEST: Record<Signal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  metrics: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  logs: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
};

export function requestType(signal: Signal): protobuf.Type {
  return otlpRoot().lookupType(REQUEST[signal]);
}

export function encodeRequest(signal: Signal, obj: Record<string, unknown>): Uint8Array {
  const t = requestType(signal);
  return t.encode(t.fromObject(obj)).finish();
}

export function decodeWithProtobufjs(typeName: string, bytes: Uint8Array): Record<string, unknown> {
  const t = otlpRoot().lookupType(typeName);
  return t.toObject(t.decode(bytes), { longs: String, bytes: String, defaults: false }) as Record<
    string,
    unknown
  >;
}

/** Fields the domain model deliberately has no place for (see ARCHITECTURE.md): none today. */
export const UNMAPPED_FIELDS = new Set<string>();

export interface FullFixture {
  readonly obj: Record<string, unknown>;
  /** One distinctive leaf value per scalar field set, as text, with the field that carries it. */
  readonly leaves: Map<string, string>;
}

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);
const MAX_DEPTH = 12;

/**
 * A message with every field set to a value unique to it. Oneofs can hold one
 * member at a time, so `variant` picks member `variant % n` of each; running
 * variants 0..6 covers every member (AnyValue has 7).
 */
export function fullFixture(typeName: string, variant: number): FullFixture {
  const leaves = new Map<string, string>();
  let counter = 1000;
  const build = (type: protobuf.Type, depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const chosen = new Set<string>();
    for (const oneof of type.oneofsArray) {
      const members = oneof.fieldsArray;
      if (oneof.name.startsWith('_') && members.length === 1) chosen.add(members[0]!.name);
      else chosen.add(members[variant % members.length]!.name);
    }
    for (const f of type.fieldsArray) {
      if (f.partOf !== null && !chosen.has(f.name)) continue;
      if (UNMAPPED_FIELDS.has(`${type.name}.${f.name}`)) continue;
      const where = `${type.name}.${f.name}`;
      const one = (): unknown => {
        const rt = f.resolvedType;
        if (rt instanceof protobuf.Type) return depth >= MAX_DEPTH ? {} : build(rt, depth + 1);
        if (rt instanceof protobuf.Enum) {
          const values = Object.values(rt.values);
          const v = values[values.length - 1]!;
          return v;
        }
        counter++;
        switch (f.type) {
          case 'string': {
            const s = `${where}#${counter}`;
            leaves.set(s, where);
            return s;
          }
          case 'bool':
            return true;
          case 'double':
          case 'float': {
            const d = counter + 0.5;
            leaves.set(String(d), where);
            return d;
          }
          case 'bytes': {
            const len = ID_FIELDS.has(f.name) ? (f.name === 'traceId' ? 16 : 8) : 5;
            const b = Buffer.alloc(len);
            b.writeUInt32BE(counter, len - 4);
            b[0] = 0xab;
            leaves.set(b.toString('hex'), where);
            return b;
          }
          default: {
            // All integer kinds: a value that also fits sint32 and fixed32.
            leaves.set(String(counter), where);
            return counter;
          }
        }
      };
      // Histogram bucket_counts must be one longer than explicit_bounds to be valid.
      const n = f.repeated
        ? f.name === 'bucketCounts' && type.name === 'HistogramDataPoint'
          ? 3
          : 2
        : 1;
      if (f.repeated) out[f.name] = Array.from({ length: n }, one);
      else out[f.name] = one();
    }
    return out;
  };
  return { obj: build(otlpRoot().lookupType(typeName), 0), leaves };
}

/** Every scalar in a decoded domain value (and every attribute key), as text. */
export function collectLeaves(
  v: unknown,
  out = new Set<string>(),
  seen = new Set<object>(),
): Set<string> {
  if (v === null || v === undefined) return out;
  if (
    typeof v === 'string' ||
    typeof v === 'number' ||
    typeof v === 'bigint' ||
    typeof v === 'boolean'
  ) {
    out.add(String(v));
    return out;
  }
  if (v instanceof Uint8Array) {
    out.add(Buffer.from(v).toString('hex'));
    return out;
  }
  if (typeof v === 'object') {
    if (seen.has(v)) return out;
    seen.add(v);
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      collectLeaves(x, out, seen);
    }
  }
  return out;
}

/** The protobufjs message object written as OTLP/JSON: hex ids, int64 as strings, enums as numbers. */
export function toOtlpJson(
  typeName: string,
  obj: Record<string, unknown>,
  snake = false,
): Record<string, unknown> {
  const conv = (type: protobuf.Type, o: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const f of type.fieldsArray) {
      const v = o[f.name];
      if (v === undefined) continue;
      const key = snake ? f.name.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`) : f.name;
      const one = (x: unknown): unknown => {
        const rt = f.resolvedType;
        if (rt instanceof protobuf.Type) return conv(rt, x as Record<string, unknown>);
        if (rt instanceof protobuf.Enum) return x;
        if (f.type === 'bytes')
          return ID_FIELDS.has(f.name)
            ? Buffer.from(x as Uint8Array).toString('hex')
            : Buffer.from(x as Uint8Array).toString('base64');
        if (/64$/.test(f.type)) return String(x);
        return x;
      };
      out[key] = f.repeated ? (v as unknown[]).map(one) : one(v);
    }
    return out;
  };
  return conv(otlpRoot().lookupType(typeName), obj);
}
