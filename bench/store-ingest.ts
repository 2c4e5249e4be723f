// Store ingest benchmark: shop-like spans into a DuckDB file store in big
// batches (what the collector's group commit hands the store), then bytes
// per span on disk and trace-by-id / tag-search latency.
//
//   npx tsx bench/store-ingest.ts [spans=500000] [batch=20000]
//
// Not a test: prints numbers for bench/STORE-RESULTS.md.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Span } from '../src/model/telemetry';
import { DuckDBInstance } from '@duckdb/node-api';

import { DB_FILE_NAME, createDuckDbStore } from '../src/store/duckdb';
import { makeResource, makeScope } from '../src/store/testing';

const total = Number(process.argv[2] ?? 500_000);
const batchSize = Number(process.argv[3] ?? 20_000);

const services = [
  'frontend',
  'product-catalog',
  'recommendation',
  'ad',
  'cart',
  'checkout',
  'currency',
];
const resources = services.map((s) =>
  makeResource(s, {
    'service.version': '1.11.0',
    'service.instance.id': `${s}-0b6c1f`,
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '2.2.0',
    'host.name': 'laptop',
    'process.pid': 4242n,
  }),
);
const scope = makeScope({ name: '@opentelemetry/instrumentation-grpc', version: '0.208.0' });

const hex = (n: bigint, w: number): string => n.toString(16).padStart(w, '0');
const rnd = (): bigint =>
  BigInt(Math.floor(Math.random() * 2 ** 48)) * 65_536n +
  BigInt(Math.floor(Math.random() * 65_536));

/** One frontend request: server span, client call, recommendation server span, inner span. */
function trace(start: bigint): Span[] {
  const traceId = hex(rnd(), 16) + hex(rnd(), 16);
  const ids = [rnd(), rnd(), rnd(), rnd()].map((i) => hex(i, 16));
  const miss = Math.random() < 0.5;
  const d = BigInt(Math.floor(1e6 + Math.random() * (miss ? 5e8 : 5e6)));
  const base = {
    traceState: '',
    flags: 1,
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    scope,
  };
  const ok = { code: 0 as const, message: '' };
  return [
    {
      ...base,
      traceId,
      spanId: ids[0]!,
      parentSpanId: '',
      name: 'GET /api/recommendations',
      kind: 2,
      startTimeUnixNano: start,
      endTimeUnixNano: start + d + 3_000_000n,
      status: ok,
      resource: resources[0]!,
      attributes: {
        'http.method': 'GET',
        'http.route': '/api/recommendations',
        'http.status_code': 200n,
        'http.target': '/api/recommendations?productIds=OLJCESPC7Z',
        'net.host.port': 8081n,
      },
    },
    {
      ...base,
      traceId,
      spanId: ids[1]!,
      parentSpanId: ids[0]!,
      name: 'oteldemo.RecommendationService/ListRecommendations',
      kind: 3,
      startTimeUnixNano: start + 1_000_000n,
      endTimeUnixNano: start + d + 2_000_000n,
      status: ok,
      resource: resources[0]!,
      attributes: {
        'rpc.system': 'grpc',
        'rpc.service': 'oteldemo.RecommendationService',
        'rpc.method': 'ListRecommendations',
        'net.peer.name': 'localhost',
        'net.peer.port': 9001n,
        'rpc.grpc.status_code': 0n,
      },
    },
    {
      ...base,
      traceId,
      spanId: ids[2]!,
      parentSpanId: ids[1]!,
      name: 'oteldemo.RecommendationService/ListRecommendations',
      kind: 2,
      startTimeUnixNano: start + 1_200_000n,
      endTimeUnixNano: start + d + 1_800_000n,
      status: ok,
      resource: resources[2]!,
      attributes: {
        'rpc.system': 'grpc',
        'rpc.service': 'oteldemo.RecommendationService',
        'rpc.method': 'ListRecommendations',
        'rpc.grpc.status_code': 0n,
        'app.products_recommended.count': 5n,
      },
    },
    {
      ...base,
      traceId,
      spanId: ids[3]!,
      parentSpanId: ids[2]!,
      name: 'get_product_list',
      kind: 1,
      startTimeUnixNano: start + 1_300_000n,
      endTimeUnixNano: start + d + 1_500_000n,
      status: ok,
      resource: resources[2]!,
      attributes: {
        'app.recommendation.cache_enabled': true,
        'app.cache_hit': !miss,
        'app.products.count': BigInt(Math.floor(Math.random() * 400_000)),
        'app.filtered_products.count': 9n,
      },
    },
  ];
}

/** Bytes of the blocks in use (what retention's size limit counts). */
async function usedBytes(file: string): Promise<number> {
  const db = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  const row = (
    await conn.runAndReadAll(
      'SELECT block_size * used_blocks FROM pragma_database_size() WHERE database_name = current_database()',
    )
  ).getRows()[0];
  conn.closeSync();
  db.closeSync();
  return Number(row?.[0] ?? 0);
}

/** Bytes per column: each column copied alone into a fresh database file. */
async function printStorage(file: string): Promise<void> {
  const db = await DuckDBInstance.create(file);
  const conn = await db.connect();
  const size = (
    await conn.runAndReadAll(
      'SELECT block_size, total_blocks, used_blocks, free_blocks FROM pragma_database_size() WHERE database_name = current_database()',
    )
  ).getRowObjectsJson()[0];
  console.log('blocks:', JSON.stringify(size));
  const probe = `${file}.probe`;
  // trace_index_hot: schema 5 on (the trace index's recent rows).
  for (const table of ['spans', 'trace_index', 'trace_index_hot']) {
    const rows = (await conn.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows();
    const n = Number(rows[0]![0]);
    const cols = (
      await conn.runAndReadAll(
        `SELECT column_name FROM information_schema.columns WHERE table_name = '${table}'`,
      )
    ).getRows();
    console.log(`${table}: ${n} rows`);
    for (const [col] of cols) {
      rmSync(probe, { force: true });
      await conn.run(`ATTACH '${probe}' AS probe`);
      await conn.run(`CREATE TABLE probe.c AS SELECT "${String(col)}" FROM ${table}`);
      await conn.run('DETACH probe');
      const empty = `${probe}.empty`;
      rmSync(empty, { force: true });
      await conn.run(`ATTACH '${empty}' AS empty`);
      await conn.run(`CREATE TABLE empty.c AS SELECT "${String(col)}" FROM ${table} LIMIT 0`);
      await conn.run('DETACH empty');
      const bytes = statSync(probe).size - statSync(empty).size;
      console.log(`  ${String(col).padEnd(16)} ${(bytes / n).toFixed(1)} bytes/row`);
      rmSync(empty, { force: true });
    }
  }
  rmSync(probe, { force: true });
  conn.closeSync();
  db.closeSync();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'otel-lab-bench-'));
  const store = await createDuckDbStore({ dataDir: dir, threads: 2 });
  let t = 1_700_000_000_000_000_000n;
  // Each service exports its own spans (BatchSpanProcessor, ~5 s delay), so
  // a trace's spans reach the store in different batches: the recommendation
  // service's spans arrive 3 s (60k traces) after the frontend's. Batches are
  // made one at a time, outside the measured time, so the benchmark's own
  // data does not sit in the heap.
  const delayed: { due: bigint; span: Span }[] = [];
  let produced = 0;
  const nextBatch = (): Span[] => {
    const batch: Span[] = [];
    while (batch.length < batchSize && produced < total) {
      for (const span of trace(t)) {
        if (span.resource === resources[2]) delayed.push({ due: t + 3_000_000_000n, span });
        else batch.push(span);
      }
      while (delayed.length > 0 && delayed[0]!.due <= t) batch.push(delayed.shift()!.span);
      t += 50_000n; // 20k traces/s of simulated time
      produced += 4;
    }
    if (produced >= total) batch.push(...delayed.splice(0).map((d) => d.span));
    return batch;
  };
  const someTraces: string[] = [];
  let written = 0;
  let writeMs = 0;
  let cpuMs = 0;
  // Event-loop gaps while a write runs: how long a concurrent read could wait.
  let inWrite = false;
  let last = performance.now();
  const gaps: number[] = [];
  const ticker = setInterval(() => {
    const now = performance.now();
    if (inWrite) gaps.push(now - last);
    last = now;
  }, 1);
  for (let spans = nextBatch(); spans.length > 0; spans = nextBatch()) {
    someTraces.push(spans[0]!.traceId);
    last = performance.now();
    inWrite = true;
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    await store.write({ spans });
    writeMs += performance.now() - w0;
    const cpu = process.cpuUsage(cpu0);
    cpuMs += (cpu.user + cpu.system) / 1000;
    inWrite = false;
    written += spans.length;
  }
  clearInterval(ticker);
  gaps.sort((a, b) => a - b);
  const gapAt = (q: number): string => (gaps[Math.floor(q * (gaps.length - 1))] ?? 0).toFixed(1);
  console.log(
    `event loop gaps during writes: p99 ${gapAt(0.99)} ms, max ${gapAt(1)} ms (what a concurrent read waits at worst)`,
  );
  console.log(
    `wrote ${written} spans in batches of ${batchSize}: ${Math.round((written / writeMs) * 1000)} spans/s wall, ` +
      `${Math.round((written / cpuMs) * 1000)} spans per CPU-second (all threads), load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`,
  );
  // What the CLI does every so often: retention, which also compacts the trace index.
  const c0 = performance.now();
  await store.applyRetention({}, t + 10n * 60n * 1_000_000_000n);
  console.log(`applyRetention (trace index compaction): ${(performance.now() - c0).toFixed(0)} ms`);
  await store.close();
  const reopened = await createDuckDbStore({ dataDir: dir, threads: 2 });
  const st = await reopened.stats();
  console.log(
    `on disk after close (checkpointed): ${st.bytesOnDisk} bytes, ${(st.bytesOnDisk / st.spans).toFixed(1)} bytes/span`,
  );
  const lat: number[] = [];
  for (const id of someTraces) {
    const a = performance.now();
    const got = await reopened.getTrace(id);
    lat.push(performance.now() - a);
    if (got.length === 0) throw new Error(`trace ${id} not found`);
  }
  lat.sort((a, b) => a - b);
  console.log(
    `getTrace: p50 ${lat[Math.floor(lat.length / 2)]!.toFixed(2)} ms, max ${lat[lat.length - 1]!.toFixed(2)} ms over ${lat.length}`,
  );
  const s0 = performance.now();
  const found = await reopened.searchTraces({
    range: { start: 0n, end: t },
    service: 'recommendation',
    attributes: { 'app.cache_hit': 'false' },
    minDuration: 100_000_000n,
    limit: 20,
  });
  console.log(
    `searchTraces(service+tag+minDuration, limit 20) over ${st.spans} spans: ${(performance.now() - s0).toFixed(1)} ms, ${found.length} traces`,
  );
  const d0 = performance.now();
  await reopened.attributeDistribution(
    { range: { start: 0n, end: t }, service: 'recommendation', operation: 'get_product_list' },
    5,
  );
  console.log(`attributeDistribution(get_product_list): ${(performance.now() - d0).toFixed(1)} ms`);
  await reopened.close();
  const used = await usedBytes(path.join(dir, DB_FILE_NAME));
  console.log(
    `blocks in use: ${used} bytes, ${(used / st.spans).toFixed(1)} bytes/span (the file also holds free blocks DuckDB reuses)`,
  );
  if (process.env['STORAGE_INFO']) await printStorage(path.join(dir, DB_FILE_NAME));
  if (process.env['KEEP']) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

void main();
