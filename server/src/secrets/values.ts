/**
 * What a value is before any detector looks at it: references that something else fills
 * in (`$VAR`, `${VAR}`, `$(VAR)`, `{{ .Values.x }}`, `${{ secrets.X }}`, SOPS `ENC[...]`),
 * the literal default of `${VAR:-default}`, placeholders (`changeme`, `<password>`), and
 * shapes that are never a secret on their own (paths, plain URLs, digests, booleans).
 */

export interface Region {
  start: number;
  end: number;
}

/**
 * References, in order of precedence (an earlier alternative wins where two could match).
 * `${VAR:-word}` is matched with its default, which the caller treats as literal text.
 */
const REFERENCE = new RegExp(
  [
    String.raw`\$\$\{[^}]*\}|\$\$[A-Za-z_][A-Za-z0-9_]*`, // $${VAR}: Compose passes ${VAR} on, for the container's shell
    String.raw`\$\{\{[\s\S]*?\}\}`, // ${{ secrets.X }} (GitHub Actions)
    String.raw`\{\{[\s\S]*?\}\}`, // {{ .Values.x }} (Helm, Go templates, Jinja)
    String.raw`\{%[\s\S]*?%\}`, // {% ... %} (Jinja)
    String.raw`<%[\s\S]*?%>`, // ERB
    String.raw`\$\{[A-Za-z_][A-Za-z0-9_.]*(?:(?::?[-=+?])(?:[^{}]|\{[^{}]*\})*)?\}`, // ${VAR}, ${VAR:-word}
    String.raw`\$\((?:[^()]|\([^()]*\))*\)`, // $(VAR) (Kubernetes), $(command)
    '`[^`]*`', // `command`
    String.raw`\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*#?$!-]`, // $VAR, $1
    String.raw`ENC\[[^\]]*\]`, // SOPS
    String.raw`#\{[^}]*\}`, // Octopus, Ruby
    String.raw`%[A-Za-z_][A-Za-z0-9_]*%`, // %VAR% (Windows)
    String.raw`%\([A-Za-z_][A-Za-z0-9_]*\)[sd]`, // %(name)s
    String.raw`__[A-Z][A-Z0-9_]*__`, // __TOKEN__ (token replacement in pipelines)
    String.raw`\$?\{\{|\}\}`, // a template split across words (`ENV A=${{ x }}`)
  ].join('|'),
  'g',
);
const DEFAULT_OF = /^\$\{[A-Za-z_][A-Za-z0-9_.]*(:?[-=+])([\s\S]*)\}$/;

export interface ValueParts {
  /** Spans that another tool fills in. */
  refs: Region[];
  /** Literal defaults (`${VAR:-word}` -> word), which count as written values. */
  defaults: Region[];
}

export function valueParts(v: string): ValueParts {
  const refs: Region[] = [];
  const defaults: Region[] = [];
  if (!/[$`{%_<#E]/.test(v)) return { refs, defaults };
  REFERENCE.lastIndex = 0;
  for (let m = REFERENCE.exec(v); m; m = REFERENCE.exec(v)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].startsWith('${') && !m[0].startsWith('${{')) {
      const d = DEFAULT_OF.exec(m[0]);
      if (d && d[2].length > 0) {
        const inner = start + m[0].length - 1 - d[2].length;
        refs.push({ start, end: inner });
        defaults.push({ start: inner, end: end - 1 });
        refs.push({ start: end - 1, end });
        continue;
      }
    }
    refs.push({ start, end });
    if (m[0].length === 0) REFERENCE.lastIndex++;
  }
  return { refs, defaults };
}

export function overlaps(a: Region, list: readonly Region[]): boolean {
  return list.some((r) => a.start < r.end && r.start < a.end);
}

const SCHEMES = /^(?:bearer|basic|token|bot|digest|apikey|api-key|sso-key)$/i;

/**
 * Where a value's literal secret is, for the name heuristic: the whole value, the default
 * of `${VAR:-default}`, or null when the value is wholly a reference (`$A:$B`, `Bearer
 * ${TOKEN}`). `abc$def` is literal: part of it is written down.
 */
export function literalRegion(v: string): Region | null {
  const { refs, defaults } = valueParts(v);
  if (refs.length === 0) return v.length ? { start: 0, end: v.length } : null;
  let rest = '';
  let last = 0;
  for (const r of refs) {
    rest += v.slice(last, r.start);
    last = Math.max(last, r.end);
  }
  rest += v.slice(last);
  const bare = rest.replace(/[\s:@/=;,'"[\](){}]+/g, '');
  if (defaults.length > 0 && bare === v.slice(defaults[0].start, defaults[0].end).replace(/[\s:@/=;,'"[\](){}]+/g, '')) {
    // `${VAR:-default}` (alone, or with punctuation around it): the default is the value
    return defaults[0];
  }
  if (bare === '' || SCHEMES.test(bare)) return null;
  return { start: 0, end: v.length };
}

const PLACEHOLDER_WORDS = new Set([
  'changeme', 'change-me', 'change_me', 'changeit', 'changethis', 'change-this', 'replaceme', 'replace-me', 'replace_me',
  'placeholder', 'example', 'sample', 'dummy', 'fake', 'test', 'testing', 'secret', 'password', 'passwd', 'token', 'apikey',
  'api-key', 'api_key', 'key', 'pass', 'pwd', 'none', 'null', 'nil', 'undefined', 'empty', 'todo', 'tbd', 'fixme', 'redacted',
  'removed', 'hidden', 'masked', 'notset', 'not-set', 'not_set', 'unset', 'default', 'ignored', 'n/a', 'na', 'foo', 'bar', 'baz',
  'foobar', 'value', 'string', 'required', 'optional', 'mysecret', 'mypassword', 'my-secret', 'my-password', 'yourpassword',
  'yoursecret', 'secretvalue', 'secret-value', 'secret_value', 'supersecret', 'insert', 'generated', 'random',
]);
const PLACEHOLDER_PARTS = /example(?!\.(?:com|org|net|io)\b)|changeme|change[-_]me|placeholder|dummy|redacted|replace[-_]?me|x{4,}|\*{3,}|\.{3,}|…|your[-_ ]|[-_ ]here\b|^<[^<>]*>$|<[a-z][a-z0-9 _-]*>|^\[[^\]]*\]$|^\{[A-Za-z0-9 _-]*\}$|^%[sd]$/i;

/** `changeme`, `xxx`, `<password>`, `your-token-here`, `example`, one repeated character. */
export function isPlaceholder(v: string): boolean {
  const t = v.trim().replace(/^["']|["']$/g, '');
  if (t === '') return true;
  if (PLACEHOLDER_WORDS.has(t.toLowerCase())) return true;
  if (/^(.)\1*$/s.test(t)) return true;
  return PLACEHOLDER_PARTS.test(t);
}

/** A token found by its format is a placeholder when its body is (`ghp_xxxx...`, `...EXAMPLE`). */
export function isPlaceholderToken(token: string): boolean {
  if (/example|x{6,}|\*{3,}|\.{3,}|placeholder|redacted|your[-_]/i.test(token)) return true;
  const body = token.replace(/^[A-Za-z]+[-_.]/, '');
  return /^(.)\1*$/s.test(body) || new Set(body).size <= 3;
}

const BOOLEANISH = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', '0', '1', 'enabled', 'disabled', 'enable', 'disable', '~']);
const SECRET_STORE_REF = /^(?:arn:|op:\/\/|ref\+|vault:|awssm:|gcpsm:|azkv:|sm:\/\/|bws:\/\/|doppler:\/\/|infisical:\/\/|projects\/[^/\s]+\/secrets\/|secret\/data\/|kv\/)/i;

/** Shapes that are never a secret under a secret-looking name: booleans, paths, plain URLs, digests, references to secret stores. */
export function isNonSecretShape(v: string): boolean {
  const t = v.trim();
  if (BOOLEANISH.has(t.toLowerCase())) return true;
  if (/^(?:\/|\.\.?\/|~\/)[^\s]*$/.test(t) || /^[A-Za-z]:\\[^\s]*$/.test(t)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s]*$/i.test(t) && !/^[a-z][a-z0-9+.-]*:\/\/[^/\s]*:[^/\s]*@/i.test(t)) return true;
  if (/^(?:sha1|sha224|sha256|sha384|sha512|md5|blake2b|blake3):[0-9a-f]{16,}$/i.test(t)) return true;
  if (SECRET_STORE_REF.test(t)) return true;
  if (/^[^@\s:/]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(t)) return true;
  // a password hash (htpasswd, crypt, bcrypt, argon2) is not the credential: `user:$apr1$...`, `$$2y$$...` in Compose
  if (/(?:^|:)\$\$?(?:apr1|2[abxy]|1|5|6|y|argon2(?:id|i|d))\$\$?|^\{S?SHA\}/.test(t)) return true;
  return false;
}

/** Bits per character. */
export function entropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** For weak names (`KEY`, `AUTH`): a value that looks generated, not a word or a setting. */
export function looksRandom(v: string): boolean {
  const t = v.trim();
  if (t.length < 16 || /\s/.test(t)) return false;
  if (/^[a-z]+(?:[-_.][a-z]+)*$/.test(t)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(t)).length;
  if (classes < 2 || !/[0-9]/.test(t)) return false;
  return entropy(t) >= 3.2;
}
