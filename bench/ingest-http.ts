// Ingest benchmark: concurrent clients POST OTLP/HTTP protobuf batches of 512
// spans to the receiver, through the pipeline, into a store.
// Usage: node dist/bench/ingest-http.js [--store duckdb|memory] [--dir DIR] [--seconds N] [--clients N]
// The clients run in this process too (they cost CPU the server would have).

import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startOtlpHttpReceiver } from '../src/collector/http/receiver';
import { IngestPipeline } from '../src/collector/pipeline';
import { createDuckDbStore } from '../src/store/duckdb';
import { createMemoryStore } from '../src/store/memory';
import type { TelemetryStore } from '../src/store/store';
import { tracePayload } from './ingest-payload';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      store: { type: 'string', default: 'duckdb' },
      dir: { type: 'string' },
      seconds: { type: 'string', default: '10' },
      clients: { type: 'string', default: '4' },
    },
  });
  const seconds = Number(values.seconds);
  const clients = Number(values.clients);
  const tmp =
    values.dir === undefined && values.store === 'duckdb'
      ? mkdtempSync(join(tmpdir(), 'otel-lab-bench-'))
      : undefined;
  const store: TelemetryStore =
    values.store === 'memory'
      ? createMemoryStore()
      : await createDuckDbStore({ dataDir: values.dir ?? (tmp as string) });
  const pipeline = new IngestPipeline({ store });
  const rx = await startOtlpHttpReceiver({ port: 0, pipeline });
  const payloads = Array.from({ length: 64 }, (_, i) => Buffer.from(tracePayload(512, i + 1)));
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  let sent = 0;
  let refused = 0;
  let n = 0;
  const post = (body: Buffer): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: rx.port,
          path: '/v1/traces',
          method: 'POST',
          agent,
          headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const progress = setInterval(
    () =>
      process.stderr.write(
        `\r${sent} spans acknowledged, ${Math.round((Date.now() - t0) / 1000)} s`,
      ),
    1000,
  );
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() - t0 < seconds * 1000) {
        const status = await post(payloads[n++ % payloads.length] as Buffer);
        if (status === 200) sent += 512;
        else if (status === 503) {
          refused++;
          await new Promise((r) => setTimeout(r, 50));
        } else throw new Error(`unexpected HTTP ${status}`);
      }
    }),
  );
  const secs = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  clearInterval(progress);
  process.stderr.write('\n');
  await rx.close();
  await pipeline.close();
  const stats = await store.stats();
  console.log(
    JSON.stringify({
      benchmark: `OTLP/HTTP protobuf ingest, ${clients} clients, 512 spans/request, ${values.store} store`,
      spansPerSecond: Math.round(sent / secs),
      spansAcknowledged: sent,
      refused503: refused,
      cpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / secs) * 100),
      peakRssMiB: Math.round(peakRss / 1048576),
      storeSpans: stats.spans,
      bytesPerSpanOnDisk: stats.spans > 0 ? Math.round(stats.bytesOnDisk / stats.spans) : 0,
      storeWrites: pipeline.stats().storeWrites,
    }),
  );
  await store.close();
  agent.destroy();
  if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
