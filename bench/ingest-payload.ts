// Shop-like OTLP trace payloads for the ingest benchmarks: batches of spans
// with the attributes an instrumented gRPC/HTTP service sets.

import { encodeRequest } from '../src/collector/otlp/testing/otlp-proto';

const SERVICES = [
  'frontend',
  'cart',
  'checkout',
  'product-catalog',
  'recommendation',
  'currency',
  'payment',
  'shipping',
  'email',
  'ad',
];

function rand8(seed: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE((seed * 2654435761) >>> 0, 0);
  b.writeUInt32BE((seed * 40503 + 1) >>> 0, 4);
  return b;
}

/** Payload `seed`'s spans start in second `seed` after this instant. */
const baseOf = (seed: number): bigint => 1_700_000_000_000_000_000n + BigInt(seed) * 1_000_000_000n;

/** One ExportTraceServiceRequest of `spans` spans (one resource per service, traces of 8 spans). */
export function tracePayload(spans: number, seed = 1): Uint8Array {
  const perService = new Map<string, unknown[]>();
  const base = baseOf(seed);
  for (let i = 0; i < spans; i++) {
    const service = SERVICES[i % SERVICES.length] as string;
    const trace = Buffer.concat([rand8(seed * 100_000 + Math.floor(i / 8)), rand8(seed)]);
    const start = base + BigInt(i) * 1_000_000n;
    const span = {
      traceId: trace,
      spanId: rand8(seed * 1_000_000 + i + 1),
      parentSpanId: i % 8 === 0 ? undefined : rand8(seed * 1_000_000 + i),
      name: `oteldemo.${service}Service/Get`,
      kind: i % 2 === 0 ? 2 : 3,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (start + 3_500_000n).toString(),
      flags: 0x101,
      attributes: [
        { key: 'rpc.system', value: { stringValue: 'grpc' } },
        { key: 'rpc.service', value: { stringValue: `oteldemo.${service}Service` } },
        { key: 'rpc.method', value: { stringValue: 'Get' } },
        { key: 'rpc.grpc.status_code', value: { intValue: 0 } },
        { key: 'net.peer.name', value: { stringValue: service } },
        { key: 'net.peer.port', value: { intValue: 7070 } },
        { key: 'app.product.id', value: { stringValue: `OLJCESPC7Z${i % 10}` } },
        { key: 'app.cart.items.count', value: { intValue: i % 5 } },
      ],
      events:
        i % 10 === 0
          ? [
              {
                timeUnixNano: (start + 1000n).toString(),
                name: 'message',
                attributes: [{ key: 'message.type', value: { stringValue: 'SENT' } }],
              },
            ]
          : [],
      status: { code: i % 50 === 0 ? 2 : 0 },
    };
    const list = perService.get(service) ?? [];
    list.push(span);
    perService.set(service, list);
  }
  return encodeRequest('traces', {
    resourceSpans: [...perService].map(([service, list]) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: service } },
          { key: 'telemetry.sdk.language', value: { stringValue: 'nodejs' } },
          { key: 'service.version', value: { stringValue: '1.11.0' } },
        ],
      },
      scopeSpans: [
        { scope: { name: '@opentelemetry/instrumentation-grpc', version: '0.223.0' }, spans: list },
      ],
    })),
  });
}

/**
 * A payload that can be re-sent as new data: each copy gets its own trace ids
 * (the 8 bytes every trace id of the payload shares are replaced) and its
 * times moved to the copy's own second, so a long run stores unique traces in
 * time order instead of the same 512 spans again and again. Patched in place
 * in the encoded bytes: ids and times are fixed-size fields.
 */
export class FreshPayload {
  private readonly bytes: Buffer;
  private readonly idTails: number[] = [];
  private readonly times: number[] = [];
  /** The first 8 bytes (hex) of each distinct trace id in the payload. */
  readonly traceHeads: string[] = [];

  constructor(private readonly seed: number) {
    this.bytes = Buffer.from(tracePayload(512, seed));
    const tail = rand8(seed);
    const heads = new Set<string>();
    for (let o = this.bytes.indexOf(tail); o >= 0; o = this.bytes.indexOf(tail, o + 8)) {
      // A trace id field: tag 0x0a, length 16, head, tail.
      if (this.bytes[o - 10] === 0x0a && this.bytes[o - 9] === 16) {
        this.idTails.push(o);
        heads.add(this.bytes.subarray(o - 8, o).toString('hex'));
      }
    }
    this.traceHeads = [...heads];
    // fixed64 times (span start 0x39, end 0x41, event time 0x09) of this seed's second.
    const lo = baseOf(seed);
    const hi = lo + 1_000_000_000n;
    for (let o = 0; o + 9 <= this.bytes.length; o++) {
      const tag = this.bytes[o];
      if (tag !== 0x39 && tag !== 0x41 && tag !== 0x09) continue;
      const v = this.bytes.readBigUInt64LE(o + 1);
      if (v >= lo && v < hi) this.times.push(o + 1);
    }
  }

  /** Copy number `n`: trace ids `<head><n as 16 hex digits>`, times in second `n`. */
  copy(n: number): Buffer {
    const b = Buffer.from(this.bytes);
    for (const o of this.idTails) b.writeBigUInt64BE(BigInt(n), o);
    const delta = (BigInt(n) - BigInt(this.seed)) * 1_000_000_000n;
    for (const o of this.times) b.writeBigUInt64LE(b.readBigUInt64LE(o) + delta, o);
    return b;
  }

  static traceId(head: string, n: number): string {
    return head + n.toString(16).padStart(16, '0');
  }
}
