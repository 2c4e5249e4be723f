import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import protobuf from 'protobufjs';

import { read } from './params';
import { OTLP_FIELD_GAPS, OTLP_FIELD_MAP } from './fields';
import { openDatabase } from './open';

function protoRoot(): protobuf.Root {
  const root = new protobuf.Root();
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'proto', 'opentelemetry'))) dir = path.dirname(dir);
  const protoDir = path.join(dir, 'proto');
  root.resolvePath = (_origin, target) => path.join(protoDir, target);
  root.loadSync(
    ['trace/v1/trace.proto', 'metrics/v1/metrics.proto', 'logs/v1/logs.proto'].map(
      (p) => `opentelemetry/proto/${p}`,
    ),
    { keepCase: true },
  );
  root.resolveAll();
  return root;
}

/** Every message type under a package, nested ones included. */
function messages(ns: protobuf.NamespaceBase, out: protobuf.Type[] = []): protobuf.Type[] {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested);
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type)
      messages(nested, out);
  }
  return out;
}

const REQUIRED = [
  'trace.v1.Span',
  'trace.v1.Span.Event',
  'trace.v1.Span.Link',
  'trace.v1.Status',
  'resource.v1.Resource',
  'common.v1.EntityRef',
  'common.v1.InstrumentationScope',
  'metrics.v1.NumberDataPoint',
  'metrics.v1.HistogramDataPoint',
  'metrics.v1.ExponentialHistogramDataPoint',
  'metrics.v1.SummaryDataPoint',
  'metrics.v1.Exemplar',
  'logs.v1.LogRecord',
].map((n) => `opentelemetry.proto.${n}`);

describe('every OTLP field has a place to land', () => {
  const root = protoRoot();
  const fullName = (t: protobuf.Type): string => t.fullName.replace(/^\./, '');

  it('covers the messages the store keeps, and every data point kind', () => {
    const dataPoints = messages(root.lookup('opentelemetry.proto.metrics.v1') as protobuf.Namespace)
      .map(fullName)
      .filter((n) => n.endsWith('DataPoint'));
    assert.ok(dataPoints.length >= 4);
    for (const name of [...REQUIRED, ...dataPoints])
      assert.ok(OTLP_FIELD_MAP[name], `${name} has no mapping`);
  });

  it('maps every message a request can carry (found by walking the protos, not listed)', () => {
    // AnyValue and its containers are the value encoding of attribute
    // columns (src/store/values.ts); the *Data roots are the requests.
    const valueTypes = ['AnyValue', 'ArrayValue', 'KeyValueList', 'KeyValue'].map(
      (n) => `opentelemetry.proto.common.v1.${n}`,
    );
    const roots = ['trace.v1.TracesData', 'metrics.v1.MetricsData', 'logs.v1.LogsData'].map((n) =>
      root.lookupType(`opentelemetry.proto.${n}`),
    );
    const seen = new Set<string>();
    const walk = (t: protobuf.Type): void => {
      if (seen.has(fullName(t))) return;
      seen.add(fullName(t));
      for (const f of t.fieldsArray) {
        f.resolve();
        if (f.resolvedType instanceof protobuf.Type) walk(f.resolvedType);
      }
    };
    for (const r of roots) walk(r);
    const unmapped = [...seen]
      .filter((n) => !valueTypes.includes(n) && !roots.some((r) => fullName(r) === n))
      .filter((n) => OTLP_FIELD_MAP[n] === undefined)
      .sort();
    assert.ok(seen.has('opentelemetry.proto.common.v1.EntityRef'));
    assert.deepEqual(unmapped, [], 'messages with no mapping');
    assert.deepEqual(OTLP_FIELD_GAPS, {}, 'fields listed as having no place');
  });

  for (const message of Object.keys(OTLP_FIELD_MAP)) {
    it(`maps every field of ${message.replace('opentelemetry.proto.', '')}`, () => {
      const type = root.lookupType(message);
      const mapped = OTLP_FIELD_MAP[message] ?? {};
      const gaps = OTLP_FIELD_GAPS[message] ?? {};
      const unmapped = Object.keys(type.fields).filter((f) => !(f in mapped) && !(f in gaps));
      assert.deepEqual(unmapped, [], `fields of ${message} with no column`);
      const stale = Object.keys(mapped).filter((f) => !(f in type.fields));
      assert.deepEqual(stale, [], `mapped fields ${message} no longer has`);
    });
  }

  it('maps only to tables and columns that exist in the schema', async () => {
    const opened = await openDatabase({ dataDir: ':memory:', memoryLimit: '64MB', threads: 1 });
    const conn = await opened.instance.connect();
    try {
      const rows = await read(
        conn,
        'SELECT table_name, column_name FROM information_schema.columns',
      );
      const columns = new Set(rows.getRows().map(([t, c]) => `${String(t)}.${String(c)}`));
      const tables = new Set(rows.getRows().map(([t]) => String(t)));
      for (const [message, fields] of Object.entries(OTLP_FIELD_MAP)) {
        for (const [field, target] of Object.entries(fields)) {
          const place = target.split(':')[0]!;
          const ok = place.includes('.') ? columns.has(place) : tables.has(place);
          assert.ok(ok, `${message}.${field} maps to ${target}, which the schema lacks`);
        }
      }
    } finally {
      conn.closeSync();
      opened.instance.closeSync();
    }
  });
});
