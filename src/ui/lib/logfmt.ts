// Tags typed by people in logfmt (`app.cache_hit=false http.route="/a b"`),
// the syntax Jaeger UI's search form uses. Parsing is strict so a typo is
// reported to the user instead of silently searching for something else.

export type LogfmtResult =
  { ok: true; tags: Record<string, string> } | { ok: false; error: string };

const MAX_INPUT = 4096;

export function parseLogfmt(input: string): LogfmtResult {
  if (input.length > MAX_INPUT)
    return { ok: false, error: `tags are longer than ${MAX_INPUT} characters` };
  const tags: Record<string, string> = {};
  let i = 0;
  const n = input.length;
  const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n';
  while (i < n) {
    while (i < n && isSpace(input[i])) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && input[i] !== '=' && !isSpace(input[i]) && input[i] !== '"') i++;
    const key = input.slice(keyStart, i);
    if (key === '') return { ok: false, error: `expected a key at position ${keyStart + 1}` };
    if (input[i] !== '=') {
      return { ok: false, error: `tag "${key}" has no value: write ${key}=value` };
    }
    i++;
    let value = '';
    if (input[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = input[i];
        if (c === '\\' && i + 1 < n) {
          const next = input[i + 1];
          value += next === 'n' ? '\n' : next === 't' ? '\t' : (next ?? '');
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        value += c;
        i++;
      }
      if (!closed) return { ok: false, error: `unterminated quote in the value of "${key}"` };
      if (i < n && !isSpace(input[i])) {
        return { ok: false, error: `expected a space after the quoted value of "${key}"` };
      }
    } else {
      const valueStart = i;
      while (i < n && !isSpace(input[i])) i++;
      value = input.slice(valueStart, i);
      if (value.includes('"')) return { ok: false, error: `stray quote in the value of "${key}"` };
    }
    tags[key] = value;
  }
  return { ok: true, tags };
}

export function formatLogfmt(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => {
      const needsQuotes = v === '' || /[\s"\\=]/.test(v);
      const quoted = needsQuotes
        ? `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
        : v;
      return `${k}=${quoted}`;
    })
    .join(' ');
}
