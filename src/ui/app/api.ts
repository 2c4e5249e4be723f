// Every request the UI makes goes through here, so every failure turns into
// one readable sentence: backend down, a 4xx naming the bad parameter (Jaeger,
// Prometheus and lab error shapes are all understood), or a malformed answer.

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function errorFromBody(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  if (typeof b['error'] === 'string') return b['error'];
  if (typeof b['message'] === 'string') return b['message'];
  const errors = b['errors'];
  if (Array.isArray(errors) && errors.length > 0) {
    const first = errors[0] as Record<string, unknown> | undefined;
    if (first && typeof first['msg'] === 'string') return first['msg'];
  }
  return null;
}

export async function request<T>(
  url: string,
  init: RequestInit & { signal?: AbortSignal } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      headers: { accept: 'application/json', ...(init.headers ?? {}) },
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(
      `Cannot reach the lab backend (${url.split('?')[0]}): is \`otel-lab serve\` running?`,
      0,
    );
  }
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    if (res.ok)
      throw new ApiError(
        `The backend answered ${url.split('?')[0]} with something that is not JSON`,
        res.status,
      );
  }
  if (!res.ok) {
    const detail = errorFromBody(body) ?? (text.slice(0, 300) || res.statusText);
    const what =
      res.status === 404 ? 'not found' : res.status >= 500 ? 'backend error' : 'bad request';
    throw new ApiError(`${what} (HTTP ${res.status}): ${detail}`, res.status);
  }
  if (
    typeof body === 'object' &&
    body !== null &&
    (body as Record<string, unknown>)['status'] === 'error'
  ) {
    throw new ApiError(`query error: ${errorFromBody(body) ?? 'unknown'}`, res.status);
  }
  return body as T;
}

export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
