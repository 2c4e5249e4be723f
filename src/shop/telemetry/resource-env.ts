// OTEL_RESOURCE_ATTRIBUTES as the SDK reads it, for what must know a
// service's identity without loading the SDK (the supervisor of
// `otel-lab start` sets each service's service.instance.id).

export const INSTANCE_ID_KEY = 'service.instance.id';

/**
 * The `service.instance.id` set in OTEL_RESOURCE_ATTRIBUTES (comma-separated
 * `key=value`, values percent-encoded), if any. `otel-lab start` sets one per
 * service for the lab's run, so a restarted process keeps its identity (as a
 * restarted container does upstream) and its series continue instead of a
 * new one appearing beside the dead one's.
 */
export function instanceIdFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env['OTEL_RESOURCE_ATTRIBUTES'];
  if (raw === undefined) return undefined;
  let found: string | undefined;
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== INSTANCE_ID_KEY) continue;
    let value = pair.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not valid percent-encoding: the SDK's detector drops it too.
      continue;
    }
    if (value !== '' && value.length <= 255) found = value;
  }
  return found;
}

/**
 * `env` with a `service.instance.id` added to OTEL_RESOURCE_ATTRIBUTES, the
 * attributes already there kept; unchanged when one is set (the user's wins).
 */
export function withInstanceId(env: NodeJS.ProcessEnv, id: string): NodeJS.ProcessEnv {
  if (instanceIdFromEnv(env) !== undefined) return env;
  const existing = env['OTEL_RESOURCE_ATTRIBUTES']?.trim() ?? '';
  const ours = `${INSTANCE_ID_KEY}=${encodeURIComponent(id)}`;
  return { ...env, OTEL_RESOURCE_ATTRIBUTES: existing === '' ? ours : `${existing},${ours}` };
}
