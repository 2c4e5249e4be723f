// Decode-only rate of shop-like OTLP/protobuf batches of 512 spans: the
// ceiling for ingest. Usage: node dist/bench/ingest-decode.js [seconds] [--unique-values]
//
// --unique-values: every span's 8 attribute values are distinct random
// 36-character strings (high-cardinality attributes such as ids or URLs),
// the worst case for the decoder's cache of short strings.

import { randomBytes } from 'node:crypto';
import { decodeRequest } from '../src/collector/otlp/decode';
import { DEFAULT_LIMITS } from '../src/collector/otlp/limits';
import { encodeRequest } from '../src/collector/otlp/testing/otlp-proto';
import { tracePayload } from './ingest-payload';

const args = process.argv.slice(2);
const unique = args.includes('--unique-values');
const seconds = Number(args.find((a) => !a.startsWith('--')) ?? 5);

/** 512 spans whose string attribute values never repeat (within the payload or across payloads). */
function uniqueValuesPayload(): Uint8Array {
  const spans = Array.from({ length: 512 }, () => ({
    traceId: randomBytes(16),
    spanId: randomBytes(8),
    name: 'GET /api/products',
    kind: 2,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000003500000',
    attributes: Array.from({ length: 8 }, (_, k) => ({
      key: `app.attribute.${k}`,
      value: { stringValue: randomBytes(18).toString('hex') },
    })),
    status: {},
  }));
  return encodeRequest('traces', {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'frontend' } }] },
        scopeSpans: [{ scope: { name: 'bench' }, spans }],
      },
    ],
  });
}

// 32 unique-value payloads cycle through 131k distinct values: far more than the cache holds.
const payloads = unique
  ? Array.from({ length: 32 }, () => uniqueValuesPayload())
  : Array.from({ length: 16 }, (_, i) => tracePayload(512, i + 1));
const bytes = payloads.reduce((a, p) => a + p.length, 0) / payloads.length;
for (let i = 0; i < 50; i++)
  decodeRequest('traces', 'protobuf', payloads[i % payloads.length] as Uint8Array, DEFAULT_LIMITS);
let spans = 0;
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
let i = 0;
while (process.hrtime.bigint() - t0 < BigInt(seconds * 1e9)) {
  spans += decodeRequest(
    'traces',
    'protobuf',
    payloads[i++ % payloads.length] as Uint8Array,
    DEFAULT_LIMITS,
  ).accepted;
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    benchmark: `decode-only OTLP/protobuf traces, 512 spans/request${unique ? ', unique attribute values' : ''}`,
    spansPerSecond: Math.round(spans / secs),
    // On a shared machine wall-clock rates are noisy; the rate per CPU-second is the steadier figure.
    spansPerCpuSecond: Math.round(spans / ((cpu.user + cpu.system) / 1e6)),
    bytesPerSpanOnWire: Math.round(bytes / 512),
    cpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / secs) * 100),
    rssMiB: Math.round(process.memoryUsage().rss / 1048576),
  }),
);
