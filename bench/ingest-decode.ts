// Decode-only rate of shop-like OTLP/protobuf batches of 512 spans: the
// ceiling for ingest. Usage: node dist/bench/ingest-decode.js [seconds]

import { decodeRequest } from '../src/collector/otlp/decode';
import { DEFAULT_LIMITS } from '../src/collector/otlp/limits';
import { tracePayload } from './ingest-payload';

const seconds = Number(process.argv[2] ?? 5);
const payloads = Array.from({ length: 16 }, (_, i) => tracePayload(512, i + 1));
const bytes = payloads.reduce((a, p) => a + p.length, 0) / payloads.length;
for (let i = 0; i < 50; i++)
  decodeRequest('traces', 'protobuf', payloads[i % 16] as Uint8Array, DEFAULT_LIMITS);
let spans = 0;
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
let i = 0;
while (process.hrtime.bigint() - t0 < BigInt(seconds * 1e9)) {
  spans += decodeRequest(
    'traces',
    'protobuf',
    payloads[i++ % 16] as Uint8Array,
    DEFAULT_LIMITS,
  ).accepted;
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    benchmark: 'decode-only OTLP/protobuf traces, 512 spans/request',
    spansPerSecond: Math.round(spans / secs),
    // On a shared machine wall-clock rates are noisy; the rate per CPU-second is the steadier figure.
    spansPerCpuSecond: Math.round(spans / ((cpu.user + cpu.system) / 1e6)),
    bytesPerSpanOnWire: Math.round(bytes / 512),
    cpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / secs) * 100),
    rssMiB: Math.round(process.memoryUsage().rss / 1048576),
  }),
);
