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

/** One ExportTraceServiceRequest of `spans` spans (one resource per service, traces of 8 spans). */
export function tracePayload(spans: number, seed = 1): Uint8Array {
  const perService = new Map<string, unknown[]>();
  const base = 1_700_000_000_000_000_000n + BigInt(seed) * 1_000_000_000n;
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
