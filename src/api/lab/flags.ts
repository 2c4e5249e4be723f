// Feature flags over HTTP for the lab UI. The implementation (the shop's
// flagd file) is injected by the caller: api/ never imports shop/.

import { Hono } from 'hono';
import { jaegerError, statusOf } from '../errors';

export type FlagValue = boolean | number | string | { readonly [key: string]: unknown };

export interface Flag {
  readonly name: string;
  readonly description: string;
  /** Variant name -> value, as in the flagd file. */
  readonly variants: Readonly<Record<string, FlagValue>>;
  /** The variant in effect (flagd's `defaultVariant`). */
  readonly defaultVariant: string;
  readonly state: 'ENABLED' | 'DISABLED';
}

export interface FlagsService {
  list(): Promise<Flag[]>;
  /** Switches `name` to `variant` and returns the flag as it now is. */
  set(name: string, variant: string): Promise<Flag>;
}

const MAX_BODY = 4096;

export function createFlagsApi(flags: FlagsService | undefined): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    const { status, message } = statusOf(err);
    return jaegerError(c, status, message);
  });
  const unavailable =
    'flags are not available: this backend runs without the shop (use `otel-lab start`)';

  app.get('/flags', async (c) => {
    if (flags === undefined) return jaegerError(c, 503, unavailable);
    return c.json({ flags: await flags.list() });
  });

  app.put('/flags/:name', async (c) => {
    if (flags === undefined) return jaegerError(c, 503, unavailable);
    const name = c.req.param('name');
    const text = await c.req.text();
    if (text.length > MAX_BODY) return jaegerError(c, 413, `body longer than ${MAX_BODY} bytes`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return jaegerError(c, 400, 'body must be JSON such as {"variant":"on"}');
    }
    const variant = (body as { variant?: unknown } | null)?.variant;
    if (typeof variant !== 'string')
      return jaegerError(
        c,
        400,
        'body must be JSON such as {"variant":"on"}: "variant" is missing or not a string',
      );
    // Validated here, not left to the implementation, so the status codes do not depend on how it reports errors.
    const all = await flags.list();
    const flag = all.find((f) => f.name === name);
    if (flag === undefined) {
      return jaegerError(
        c,
        404,
        `unknown flag "${name.slice(0, 100)}" (known: ${all.map((f) => f.name).join(', ')})`,
      );
    }
    const valid = Object.keys(flag.variants);
    if (!valid.includes(variant)) {
      return jaegerError(
        c,
        400,
        `flag "${name}" has no variant "${variant.slice(0, 100)}" (valid: ${valid.join(', ')})`,
      );
    }
    return c.json(await flags.set(name, variant));
  });

  return app;
}
