// The RE2 -> JavaScript rewrite PromQL used before store/labels parsed RE2
// as Go does. Nothing in the query path uses it any more: PromQL validates
// and matches regexes with store/labels (re2Matcher) and label_replace uses
// re2-submatch.ts. It stays only as the baseline bench/regex-matchers.ts
// measures the RE2 matcher against; delete it with that comparison.

// RE2's ASCII classes, spelled out for JavaScript.
const posix: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

function posixClasses(body: string): string {
  return body.replace(/\[:(\^?)([a-z]+):\]/g, (all, negated: string, name: string) => {
    const ranges = posix[name];
    if (ranges === undefined) throw new Error(`invalid character class range: ${all}`);
    if (negated) throw new Error(`negated character class ${all} is not supported`);
    return ranges;
  });
}

function swapCase(c: string): string {
  const lower = c.toLowerCase();
  return lower === c ? c.toUpperCase() : lower;
}

function isLetter(c: string): boolean {
  return c.toLowerCase() !== c.toUpperCase();
}

/** Rewrites a character class body so it matches both cases. */
function foldClass(body: string): string {
  let extra = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\') {
      i++;
      continue;
    }
    const next = body[i + 1];
    const end = body[i + 2];
    if (next === '-' && end !== undefined && isLetter(c) && isLetter(end)) {
      extra += `${swapCase(c)}-${swapCase(end)}`;
      i += 2;
    } else if (isLetter(c)) {
      extra += swapCase(c);
    }
  }
  return body + extra;
}

/**
 * RE2 -> JavaScript: scoped flag groups `(?i)`, `(?i:...)` become explicit
 * case alternatives, `(?P<name>` becomes `(?<name>`, `\z` and `\A` anchors.
 */
export function translateRe2(pattern: string): { source: string; dotAll: boolean } {
  let out = '';
  let ci = false;
  let dotAll = false;
  const stack: boolean[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      if (e === 'z') out += '$';
      else if (e === 'A') out += '^';
      else out += c + e;
      i++;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') {
        const posix =
          pattern[j] === '[' && pattern[j + 1] === ':' ? pattern.indexOf(':]', j + 2) : -1;
        j = posix !== -1 ? posix + 2 : j + (pattern[j] === '\\' ? 2 : 1);
      }
      const negated = pattern[i + 1] === '^';
      const body = posixClasses(pattern.slice(i + 1 + (negated ? 1 : 0), j));
      out += '[' + (negated ? '^' : '') + (ci ? foldClass(body) : body) + ']';
      i = j;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const flagGroup = /^\(\?([a-zA-Z-]*)(\)|:)/.exec(pattern.slice(i));
      if (flagGroup && flagGroup[1] !== undefined && !pattern.startsWith('(?P<', i)) {
        const flags = flagGroup[1];
        const on = flags.split('-')[0] ?? '';
        const off = flags.split('-')[1] ?? '';
        const nextCi: boolean = on.includes('i') ? true : off.includes('i') ? false : ci;
        if (on.includes('s') && i === 0) dotAll = true;
        if (flagGroup[2] === ')') {
          ci = nextCi;
        } else {
          stack.push(ci);
          ci = nextCi;
          out += '(?:';
        }
        i += flagGroup[0].length - 1;
        continue;
      }
      if (pattern.startsWith('(?P<', i)) {
        stack.push(ci);
        out += '(?<';
        i += 3;
        continue;
      }
      stack.push(ci);
      out += '(';
      continue;
    }
    if (c === '(') {
      stack.push(ci);
      out += c;
      continue;
    }
    if (c === ')') {
      ci = stack.pop() ?? ci;
      out += c;
      continue;
    }
    if (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i))) {
      const q = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i))?.[0] ?? '';
      out += q;
      i += q.length - 1;
      continue;
    }
    out += ci && isLetter(c) ? `[${c}${swapCase(c)}]` : c;
  }
  return { source: out, dotAll };
}
