// Preloaded by `shop-footprint.mjs --one`: prints the service's V8 heap in
// use and how many CommonJS modules it loaded, just before the bench samples
// its memory. Unref'd, so it never keeps a process alive.
/* global process, require, setTimeout */
'use strict';
setTimeout(
  () => {
    const heap = (process.memoryUsage().heapUsed / 1048576).toFixed(1);
    const modules = Object.keys(require.cache).length;
    process.stderr.write(`OTEL_LAB_PROBE heap=${heap} modules=${modules}\n`);
  },
  Number(process.env.OTEL_LAB_PROBE_AT_MS ?? 4500),
).unref();
