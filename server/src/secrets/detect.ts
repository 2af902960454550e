/**
 * The detectors, in the order RULES.md gives: provider token patterns, private key blocks,
 * credentials in URLs, auth headers (command-line passwords: commands.ts), then
 * secret-looking names with a literal value. Each returns ranges that cover the secret
 * itself, as offsets into the text it was given; none ever returns the secret's text.
 */
import { isAuthHeaderName, secretName, type SecretName } from './names';
import { PRIVATE_KEY, PROVIDER_KEYWORDS, PROVIDER_PATTERNS } from './patterns';
import { isNonSecretShape, isPlaceholder, isPlaceholderToken, isWeakCredential, literalRegion, looksRandom, overlaps, valueParts, type Region } from './values';

export type Detector = 'provider' | 'private-key' | 'url' | 'header' | 'cli' | 'name';

export interface SecretHit extends Region {
  /** For the message: "GitHub token", "Hardcoded password", "Password in a URL". */
  kind: string;
  detector: Detector;
  /** The variable, key or flag the value was found under, when a detector knows one. */
  name?: string;
  /** A dictionary word (`changeme`, `example_123`): a real but weak credential, reported at warning. */
  weak?: boolean;
}

/** The hit for a literal credential found by `detector`: weak (and so named) when it is a dictionary word. */
export function credentialHit(r: Region, kind: string, detector: Detector, literal: string, name?: string): SecretHit {
  const weak = isWeakCredential(literal);
  const hit: SecretHit = { ...r, kind: weak ? `Weak ${kind.charAt(0).toLowerCase()}${kind.slice(1)}` : kind, detector };
  if (name !== undefined) hit.name = name;
  if (weak) hit.weak = true;
  return hit;
}

const RANK: Record<Detector, number> = { provider: 0, 'private-key': 1, url: 2, header: 3, cli: 4, name: 5 };

/** Keeps the earliest detector's hit where two overlap; sorted by position. */
export function dedupe(hits: SecretHit[]): SecretHit[] {
  const sorted = [...hits].sort((a, b) => RANK[a.detector] - RANK[b.detector] || a.start - b.start);
  // kept hits never overlap, so, sorted by start, they are sorted by end too: one binary search per hit
  const out: SecretHit[] = [];
  for (const h of sorted) {
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (out[mid].end <= h.start) lo = mid + 1;
      else hi = mid;
    }
    if (lo < out.length && out[lo].start < h.end) continue;
    // an empty hit inside a kept one overlaps nothing in the old check either; keep the order by start
    out.splice(lo, 0, h);
  }
  return out;
}

function hasKeyword(lower: string, words: readonly string[]): boolean {
  for (const w of words) if (lower.includes(w)) return true;
  return false;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * One case-insensitive pass that every strong detector needs to match first: provider
 * keywords, a private key header, a URL, an auth header, a query secret. Most values fail it.
 */
const ANY_STRONG = new RegExp([...PROVIDER_KEYWORDS, 'private key', '://', 'authorization', 'token', 'key', 'x-honeycomb', '='].map(escape).join('|'), 'i');
const ANY_PROVIDER = new RegExp(PROVIDER_KEYWORDS.map(escape).join('|'), 'i');

/** Group 1's offsets (or the whole match's) for a regex match with the `d` flag unavailable. */
function groupRegion(m: RegExpExecArray): Region {
  if (m[1] === undefined) return { start: m.index, end: m.index + m[0].length };
  const at = m.index + m[0].lastIndexOf(m[1]);
  return { start: at, end: at + m[1].length };
}

function providerHits(text: string, lower: string, refs: Region[]): SecretHit[] {
  const out: SecretHit[] = [];
  if (!ANY_PROVIDER.test(text)) return out;
  for (const p of PROVIDER_PATTERNS) {
    if (!hasKeyword(lower, p.keywords)) continue;
    p.regex.lastIndex = 0;
    for (let m = p.regex.exec(text); m; m = p.regex.exec(text)) {
      const r = groupRegion(m);
      const token = text.slice(r.start, r.end);
      if (isPlaceholderToken(token) || overlaps(r, refs)) continue;
      out.push({ ...r, kind: p.kind, detector: 'provider' });
    }
  }
  return out;
}

function privateKeyHits(text: string, lower: string): SecretHit[] {
  const out: SecretHit[] = [];
  if (!lower.includes(PRIVATE_KEY.keyword)) return out;
  PRIVATE_KEY.begin.lastIndex = 0;
  for (let m = PRIVATE_KEY.begin.exec(text); m; m = PRIVATE_KEY.begin.exec(text)) {
    PRIVATE_KEY.end.lastIndex = m.index + m[0].length;
    const e = PRIVATE_KEY.end.exec(text);
    const end = e ? e.index + e[0].length : text.length;
    const body = text.slice(m.index + m[0].length, e ? e.index : end).replace(/\\n|\\r|[\s"',]/g, '');
    // a documentation stub ("-----BEGIN PRIVATE KEY-----\n...\n-----END ...") is not a key
    if (body.length < 40 || isPlaceholder(body)) continue;
    out.push({ start: m.index, end, kind: /OPENSSH/.test(m[0]) ? 'SSH private key' : /PGP/.test(m[0]) ? 'PGP private key' : 'Private key', detector: 'private-key' });
    PRIVATE_KEY.begin.lastIndex = end;
  }
  return out;
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{1,30}):\/\/([^\s:@/?#'"`<>]*):([^\s@/?#'"`<>]+)@/gi;
const URL_QUERY_SECRET = /[?&](access_token|token|api_?key|apikey|password|passwd|pwd|secret|client_secret|sig|private_token|auth_token)=([^&\s#'"`<>]+)/gi;

function urlHits(text: string, lower: string, refs: Region[]): SecretHit[] {
  const out: SecretHit[] = [];
  if (lower.includes('://')) {
    URL_CREDENTIALS.lastIndex = 0;
    for (let m = URL_CREDENTIALS.exec(text); m; m = URL_CREDENTIALS.exec(text)) {
      const pw = m[3];
      const start = m.index + m[0].length - 1 - pw.length;
      const r = { start, end: start + pw.length };
      if (overlaps(r, refs) || isPlaceholder(pw) || isPlaceholder(`${m[2]}:${pw}`) || /^%[sd]$|^\$/.test(pw)) continue;
      // `reverse:http://app:3000@8081` (mitmproxy's mode syntax): a port, then the port to listen on
      if (/^\d{1,5}$/.test(pw) && /^\d{1,5}(?![^\s'"`,;)\]])/.test(text.slice(m.index + m[0].length))) continue;
      out.push(credentialHit(r, 'Password in a URL', 'url', pw));
    }
  }
  if (lower.includes('=') && /[?&]/.test(text)) {
    URL_QUERY_SECRET.lastIndex = 0;
    for (let m = URL_QUERY_SECRET.exec(text); m; m = URL_QUERY_SECRET.exec(text)) {
      const v = m[2];
      const start = m.index + m[0].length - v.length;
      const r = { start, end: start + v.length };
      if (overlaps(r, refs) || isPlaceholder(v) || v.length < 6) continue;
      out.push({ ...r, kind: 'Token in a URL', detector: 'url', name: m[1] });
    }
  }
  return out;
}

const AUTHORIZATION = /\b(?:proxy-)?authorization(?:\s*:\s*(?:(bearer|basic|token|bot|digest|apikey|api-key|sso-key)\s+)?|["']?\s+["']?(bearer|basic|token)\s+)([^\s'"`\\,;]+)/gi;
const KEY_HEADER = /\b(x-api-key|api-key|x-auth-token|private-token|job-token|x-vault-token|x-gitlab-token|x-access-token|x-api-token|circle-token|x-jfrog-art-api|x-functions-key|ocp-apim-subscription-key|x-goog-api-key|x-figma-token|dd-api-key|x-dd-api-key|x-honeycomb-team)\s*:\s*([^\s'"`\\,;]+)/gi;

/** A header value that is a credential, not a word (`authorization: enabled` in a mongod.conf is not). */
function credentialLike(v: string, scheme: boolean): boolean {
  if (isPlaceholder(v) || isNonSecretShape(v)) return false;
  return scheme ? v.length >= 8 : v.length >= 16 && /[0-9]/.test(v);
}

function headerHits(text: string, lower: string, refs: Region[]): SecretHit[] {
  const out: SecretHit[] = [];
  if (lower.includes('authorization')) {
    AUTHORIZATION.lastIndex = 0;
    for (let m = AUTHORIZATION.exec(text); m; m = AUTHORIZATION.exec(text)) {
      const v = m[3];
      const scheme = m[1] ?? m[2];
      const start = m.index + m[0].length - v.length;
      const r = { start, end: start + v.length };
      if (overlaps(r, refs) || !credentialLike(v, Boolean(scheme))) continue;
      out.push({ ...r, kind: /basic/i.test(scheme ?? '') ? 'Credentials in an Authorization header' : 'Token in an Authorization header', detector: 'header' });
    }
  }
  if (/token|key|x-honeycomb/.test(lower)) {
    KEY_HEADER.lastIndex = 0;
    for (let m = KEY_HEADER.exec(text); m; m = KEY_HEADER.exec(text)) {
      const v = m[2];
      const start = m.index + m[0].length - v.length;
      const r = { start, end: start + v.length };
      if (overlaps(r, refs) || !credentialLike(v, true)) continue;
      out.push({ ...r, kind: `Token in a ${m[1]} header`, detector: 'header' });
    }
  }
  return out;
}

/**
 * Provider tokens, private keys, URL credentials and auth headers anywhere in a text
 * (a value, a command line, a config file held in a ConfigMap). Offsets into `text`.
 */
export function strongHits(text: string): SecretHit[] {
  if (text.length < 8 || !ANY_STRONG.test(text)) return [];
  const lower = text.toLowerCase();
  const refs = valueParts(text).refs;
  return [...providerHits(text, lower, refs), ...privateKeyHits(text, lower), ...urlHits(text, lower, refs), ...headerHits(text, lower, refs)];
}

/** The AWS secret access key by its name (`AWS_SECRET_ACCESS_KEY=...`): a 40-character value. */
const AWS_SECRET_NAME = /secret.?access.?key|aws.?secret/i;

/**
 * The name heuristic on one value: a hit over the literal part (the whole value, or the
 * default of `${VAR:-default}`), or null. `parsed` is the value as the platform reads it
 * (quotes and escapes resolved); offsets are into `raw`, the value as written.
 */
export function nameHit(name: string, raw: string, parsed = raw, info: SecretName | null = secretName(name)): SecretHit | null {
  if (!info) return null;
  const region = literalRegion(raw);
  if (!region) return null;
  const whole = region.start === 0 && region.end === raw.length;
  const literal = whole ? parsed : raw.slice(region.start, region.end);
  if (isPlaceholder(literal, name) || isNonSecretShape(literal)) return null;
  if (info.strength === 'weak' && !looksRandom(literal) && !/^[^:\s]+:[^:\s]{4,}$/.test(literal)) return null;
  const span = whole ? trimmedRegion(raw) : region;
  if (AWS_SECRET_NAME.test(name) && /^[A-Za-z0-9/+]{40}$/.test(literal)) return { ...span, kind: 'AWS secret access key', detector: 'name', name };
  return credentialHit(span, `Hardcoded ${info.kind}`, 'name', literal, name);
}

function trimmedRegion(raw: string): Region {
  const start = raw.length - raw.trimStart().length;
  return { start, end: raw.trimEnd().length };
}

/** An HTTP header given as name and value (Kubernetes httpHeaders): the credential after any scheme. */
export function headerValueHit(name: string, raw: string): SecretHit | null {
  if (!isAuthHeaderName(name)) return null;
  const m = /^\s*(?:(bearer|basic|token|bot|digest|apikey|api-key|sso-key)\s+)?(\S+)\s*$/i.exec(raw);
  if (!m) return null;
  const start = m.index + m[0].trimEnd().length - m[2].length;
  const r = { start, end: start + m[2].length };
  if (overlaps(r, valueParts(raw).refs) || !credentialLike(m[2], Boolean(m[1]) || name.toLowerCase() !== 'authorization')) return null;
  return { ...r, kind: /^authorization$/i.test(name) ? 'Token in an Authorization header' : `Token in a ${name} header`, detector: 'header', name };
}

/**
 * Every detector on one named value (ENV, an environment variable, a label, a build arg):
 * strong detectors narrow the range to the token; else the name heuristic covers the
 * literal value; else `key=value` pairs inside it (`JAVA_OPTS=-Ddb.password=...`).
 */
export function scanValue(name: string | null, raw: string, parsed = raw): SecretHit[] {
  const strong = dedupe(strongHits(raw));
  if (strong.length) return strong;
  if (name !== null) {
    const header = headerValueHit(name, raw);
    if (header) return [header];
    const hit = nameHit(name, raw, parsed);
    if (hit) return [hit];
  }
  return /[=:"<]/.test(raw) ? dedupe(pairHits(raw, /\n/.test(raw) || /^\s*[{[]/.test(raw))) : [];
}

/** The same for a text that is a file of its own (a ConfigMap entry, an annotation holding JSON). */
export function scanText(raw: string): SecretHit[] {
  return dedupe([...strongHits(raw), ...pairHits(raw, true)]);
}

const ASSIGNMENT = /(?:^|[\s;,&?{(:]|\\[nt])(?:export\s+)?(?:-D|--?)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*("[^"\n]*"|'[^'\n]*'|(?:\$\{[^}\n]*\}|[^\s;,&'"}<>)\\])+)/g;
// The unquoted value ends at its last character that is not a blank (greedy, not lazy: a lazy
// value before `[ \t]*$` retried the blanks at every character, quadratic in a run of spaces).
const LINE_PAIR = /^[ \t]*-?[ \t]*["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*:[ \t]+(?!\|)(?!>)("[^"\n]*"|'[^'\n]*'|[^\s#](?:[^\n#]*[^ \t\n#])?)[ \t]*(?:#.*)?$/gm;
const JSON_PAIR = /"([A-Za-z_][A-Za-z0-9_.-]*)"\s*:\s*"((?:[^"\\\n]|\\.)*)"/g;
/** `.netrc`: `machine h login u password p`, on one line or several. */
const NETRC_PAIR = /(?:^|\s|\\n)(password|passwd)[ \t]+("[^"\n]*"|[^\s"'\\]+)/g;
const XML_PAIR = /<([A-Za-z_][A-Za-z0-9_.-]*)>([^<>\n]+)<\/\1>/g;

/**
 * `key=value` (properties, env files, connection strings, `-Dkey=value`), and in files
 * also `key: value` lines, JSON and XML pairs, each judged by the name heuristic.
 */
export function pairHits(raw: string, file: boolean): SecretHit[] {
  const out: SecretHit[] = [];
  const visit = (re: RegExp) => {
    re.lastIndex = 0;
    for (let m = re.exec(raw); m; m = re.exec(raw)) {
      const name = m[1];
      let value = m[2];
      const after = m[0].indexOf(name) + name.length;
      let start = m.index + m[0].indexOf(value, after);
      if ((value.startsWith('"') && value.endsWith('"') && value.length >= 2) || (value.startsWith("'") && value.endsWith("'") && value.length >= 2)) {
        value = value.slice(1, -1);
        start++;
      }
      if (value.endsWith(',') && re === LINE_PAIR) value = value.slice(0, -1);
      if (isAuthHeaderName(name)) continue;
      const hit = nameHit(name, value);
      if (hit) out.push({ ...hit, start: start + hit.start, end: start + hit.end });
      if (m[0].length === 0) re.lastIndex++;
    }
  };
  if (raw.includes('=')) visit(ASSIGNMENT);
  if (file) {
    if (/machine|login|default/.test(raw) && /passw/.test(raw)) visit(NETRC_PAIR);
    if (raw.includes(':')) visit(LINE_PAIR);
    if (raw.includes('"')) visit(JSON_PAIR);
    if (raw.includes('</')) visit(XML_PAIR);
  }
  return out;
}

/** True when a string is or holds a secret by format (used to keep names out of messages). */
export function looksLikeToken(s: string): boolean {
  return strongHits(s).length > 0;
}
