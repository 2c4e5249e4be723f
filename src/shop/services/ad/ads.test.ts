import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { staticFlags } from '../../flags/openfeature';
import type { GrpcError } from '../../grpc/server';
import { MAX_ADS_TO_SERVE, adHandlers } from './ads';
import { CpuLoad } from './cpu-load';

test('targeted ads by category; unknown or no keys give random ads', async () => {
  const h = adHandlers({ flags: staticFlags() });
  const t = await h.GetAds({ contextKeys: ['accessories'] });
  assert.equal(t.ads.length, 3);
  assert.ok(t.ads.every((a) => a.redirectUrl.startsWith('/product/')));
  assert.equal((await h.GetAds({ contextKeys: [] })).ads.length, MAX_ADS_TO_SERVE);
  assert.equal((await h.GetAds({ contextKeys: ['nothing'] })).ads.length, MAX_ADS_TO_SERVE);
});

test('adServiceFailure: the call fails when the 1-in-10 draw hits', async () => {
  let r = 0.05;
  const h = adHandlers({ flags: staticFlags({ adServiceFailure: true }), random: () => r });
  await assert.rejects(
    h.GetAds({ contextKeys: ['travel'] }),
    (e: GrpcError) => e.code === status.UNAVAILABLE,
  );
  r = 0.5;
  assert.equal((await h.GetAds({ contextKeys: ['travel'] })).ads.length, 1);
  const off = adHandlers({ flags: staticFlags(), random: () => 0.05 });
  assert.equal((await off.GetAds({ contextKeys: ['travel'] })).ads.length, 1);
});

test('adServiceManualGc triggers a GC per request; adServiceHighCpu starts and stops the burner', async () => {
  let gcs = 0;
  const cpu = new CpuLoad(1, 50);
  const flags = staticFlags({ adServiceManualGc: true, adServiceHighCpu: true });
  const h = adHandlers({ flags, gc: () => gcs++, cpu });
  await h.GetAds({ contextKeys: ['travel'] });
  assert.equal(gcs, 1);
  assert.equal(cpu.running, true);
  flags.set('adServiceHighCpu', false);
  flags.set('adServiceManualGc', false);
  await h.GetAds({ contextKeys: ['travel'] });
  assert.equal(gcs, 1);
  assert.equal(cpu.running, false);
});
