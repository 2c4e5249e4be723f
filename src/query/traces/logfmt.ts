// The tag filter the lab UI and Jaeger's search form take: logfmt pairs such
// as `app.cache_hit=false http.status_code=200 msg="two words"`.
//
// Values may be double-quoted with `\"` and `\\` escapes. A key with no `=`
// is refused rather than guessed at: a filter that silently matches
// everything is worse than an error.

export type LogfmtResult =
  { ok: true; pairs: Record<string, string> } | { ok: false; error: string };

const MAX_INPUT = 8192;
const MAX_PAIRS = 64;

export function parseLogfmt(text: string): LogfmtResult {
  if (text.length > MAX_INPUT) return { ok: false, error: `longer than ${MAX_INPUT} characters` };
  // A Map, so a key like `__proto__` is data, not a prototype change.
  const pairs = new Map<string, string>();
  let i = 0;
  const n = text.length;
  const isSpace = (c: string | undefined): boolean =>
    c === ' ' || c === '\t' || c === '\n' || c === '\r';
  while (i < n) {
    while (i < n && isSpace(text[i])) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && text[i] !== '=' && !isSpace(text[i]) && text[i] !== '"') i++;
    const key = text.slice(keyStart, i);
    if (key === '') return { ok: false, error: `expected a key at position ${keyStart}` };
    if (text[i] !== '=') return { ok: false, error: `key "${key}" has no "=value"` };
    i++;
    let value = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i];
        if (c === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          closed = true;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) return { ok: false, error: `unterminated quote in the value of "${key}"` };
      if (i < n && !isSpace(text[i])) {
        return { ok: false, error: `expected a space after the quoted value of "${key}"` };
      }
    } else {
      const valueStart = i;
      while (i < n && !isSpace(text[i])) i++;
      value = text.slice(valueStart, i);
      if (value.includes('"')) return { ok: false, error: `stray quote in the value of "${key}"` };
    }
    pairs.set(key, value);
    if (pairs.size > MAX_PAIRS) return { ok: false, error: `more than ${MAX_PAIRS} pairs` };
  }
  return { ok: true, pairs: Object.fromEntries(pairs) };
}
