/**
 * What a value is before any detector looks at it: references that something else fills
 * in (`$VAR`, `${VAR}`, `$(VAR)`, `{{ .Values.x }}`, `${{ secrets.X }}`, SOPS `ENC[...]`),
 * the literal default of `${VAR:-default}`, placeholders (`changeme`, `<password>`), and
 * shapes that are never a secret on their own (paths, plain URLs, digests, booleans).
 */

import { secretName } from './names';

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
    String.raw`\$\$\((?:[^()]|\([^()]*\))*\)`, // $$(cat /run/secrets/x): Compose passes $(...) on
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

/**
 * Values that cannot be a credential (RULES.md's placeholder list, kept in
 * docs/rules/no-hardcoded-secrets.md): a word that says "nothing here" or "fill this in".
 */
const PLACEHOLDER_WORDS = new Set([
  'placeholder', 'replaceme', 'replace-me', 'replace_me', 'none', 'null', 'nil', 'undefined', 'empty', 'todo', 'tbd', 'fixme',
  'redacted', 'removed', 'hidden', 'masked', 'notset', 'not-set', 'not_set', 'unset', 'default', 'ignored', 'n/a', 'na', 'value',
  'string', 'required', 'optional', 'insert', 'generated', 'random', 'secretvalue', 'secret-value', 'secret_value', 'tobereplaced',
]);
const PLACEHOLDER_PARTS = /placeholder|redacted|replace[-_]?me|replace[-_]with|^insert[-_ ]|x{4,}|\*{3,}|\.{3,}|\u2026|(?:^|[-_ ])your[-_ ]|^your|[-_ ]here\b|^<[^<>]*>$|<[a-z][a-z0-9 _-]*>|^\[[^\]]*\]$|^\{[A-Za-z0-9 _-]*\}$|^%[sd]$/i;
/** `sk-xxx`, `xxx-yyy`: a part of only x's (three or more) is a mask, not a key. */
const X_PART = /(?:^|[-_.:])x{3,}(?:[-_.:]|$)/i;
/** `SECRET_KEY_VAL`, `API_TOKEN_VALUE`, `DB_PASSWORD_HERE`: an upper-case name a template fills in. */
const TEMPLATE_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:VAL|VALUE|HERE)$/;
/** Names made of words: `oss_secret_key`, `MINIO_SECRET_KEY`, `jwt-secret` describe a value, they are not one. */
const WORDS_NAME = /^(?:[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+|[A-Z][A-Z0-9]*(?:[-_.][A-Z0-9]+)+)$/;
/** The conventional example number. */
const EXAMPLE_NUMBER = /^(?:0?123456789|1234567890)$/;

/**
 * `<password>`, `your-token-here`, `INSERT_KEY_HERE`, `xxx`, `sk-xxx`, `SECRET_VAL`,
 * `oss_secret_key`, `username:password`, `1234567890`, the all-zero UUID, one repeated
 * character: values that cannot be a credential. Weak dictionary passwords (`changeme`,
 * `example`) are credentials: see isWeakCredential.
 * `name`: the key the value is written under (a value repeating it is a placeholder).
 */
export function isPlaceholder(v: string, name?: string): boolean {
  const t = v.trim().replace(/^["']|["']$/g, '');
  if (t === '') return true;
  const lower = t.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return true;
  if (/^(.)(?:\1|[-_.: ])*$/s.test(t)) return true;
  if (PLACEHOLDER_PARTS.test(t) || X_PART.test(t) || TEMPLATE_NAME.test(t) || EXAMPLE_NUMBER.test(t)) return true;
  if (WORDS_NAME.test(t) && secretName(t)?.strength === 'strong') return true;
  // documentation keys: `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`, `sk_test_ExampleKey0123456789`
  if (t.length >= 16 && /example(?!\.(?:com|org|net|io)\b)|dummy|changeme/i.test(t) && !isWeakCredential(t)) return true;
  if (/^(?:user|username|usr|login|name|user_?name)[:/](?:pass|password|passwd|pwd|secret)$/i.test(t)) return true;
  if (name !== undefined && norm(t) === norm(name) && norm(t).length > 0) return true;
  return false;
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Dictionary words people use as passwords and that samples ship as their real credentials:
 * reported at warning, not error and not silence (they do configure the thing).
 */
const WEAK_WORDS = new Set([
  'changeme', 'changeit', 'changethis', 'example', 'sample', 'dummy', 'fake', 'test', 'testing', 'tester', 'secret', 'password',
  'passwd', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'token', 'apikey', 'key', 'pass', 'pwd', 'foo', 'bar', 'baz', 'foobar', 'mysecret',
  'mypassword', 'mypass', 'mysecretpassword', 'yourpassword', 'yoursecret', 'supersecret', 'supersecretpassword', 'topsecret',
  'admin', 'administrator', 'root', 'toor', 'guest', 'user', 'demo', 'qwerty', 'letmein', 'welcome', 'abc', 'abcd', 'abcdef',
  'postgres', 'postgresql', 'mysql', 'mariadb', 'mongo', 'mongodb', 'redis', 'rabbitmq', 'minio', 'minioadmin', 'keycloak',
  'grafana', 'elastic', 'kibana', 'jenkins', 'sonar', 'gitea', 'nextcloud', 'wordpress', 'django', 'rails', 'docker', 'app',
  'dev', 'development', 'local', 'prod', 'staging', 'hello', 'world', 'login', 'sa',
  'oracle', 'postgrespw', 'pgpassword', 'dbpassword', 'dbpass', 'adminpass', 'adminpassword', 'rootpassword', 'rootpass',
]);

/**
 * `changeme`, `example_123`, `Password1!`, `admin`, `123456`: a dictionary word (with a
 * separator, digits or punctuation around it), or a short run of digits.
 */
export function isWeakCredential(v: string): boolean {
  const t = v.trim().replace(/^["']|["']$/g, '');
  if (t === '' || t.length > 40) return false;
  if (/^\d{1,8}$/.test(t) && (/^(?:0?1234|4321|0000|1111)/.test(t) || t.length <= 4)) return true;
  const core = t.toLowerCase().replace(/^(?:my|the|super|default|[-_.])+(?=[a-z@])/, '').replace(/[-_.!@#$*?]*[0-9]*[-_.!@#$*?]*$/, '');
  if (core.length === 0) return false;
  if (WEAK_WORDS.has(core) || WEAK_WORDS.has(t.toLowerCase()) || WEAK_WORDS.has(core.replace(/[-_.]/g, ''))) return true;
  // two dictionary words glued or joined: `secret-password`, `admin_admin`, `changeme123`
  const parts = core.split(/[-_.]/).filter(Boolean);
  return parts.length > 1 && parts.every((p) => WEAK_WORDS.has(p));
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
  if (PUBLIC_KEY.test(t) || isReferenceSyntax(t) || isFileName(t)) return true;
  return false;
}

/** A public key or certificate: `ssh-ed25519 AAAA...`, `-----BEGIN PUBLIC KEY-----`. */
const PUBLIC_KEY = /^(?:(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)\s+AAAA|-----BEGIN (?:PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE|PGP PUBLIC KEY BLOCK|SSH2 PUBLIC KEY)-----)/;

/**
 * Other tools' reference syntaxes, as a whole value: Argo CD notifications `$slack-token`
 * (a key of its Secret), Grafana `$__file{...}` / `$__env{...}` / `$__vault{...}`, Azure App
 * Service `@Microsoft.KeyVault(...)`, Spring Cloud Vault / Docker `file:`/`env:` prefixes, and
 * a `$NAME` written inside shell single quotes (commands.ts marks that `$` with `¤`): text
 * such as `echo 'secret_key=$AWS_SECRET_KEY' > ~/.s3cfg` is a template for a later reader.
 */
const REFERENCE_SYNTAX = /^(?:\$[A-Za-z_][A-Za-z0-9_.-]*|\u00a4\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$__(?:file|env|vault)\{[^}]*\}|@Microsoft\.KeyVault\([^)]*\)|(?:file|env|secretref|keyvault):[A-Za-z0-9_./-]+)$/;

export function isReferenceSyntax(v: string): boolean {
  return REFERENCE_SYNTAX.test(v.trim());
}

/** File extensions of the files secret-named variables point at: keys, certificates, stores, configs. */
const FILE_EXT = /\.(?:key|pem|crt|cer|der|csr|p8|p12|pfx|jks|jceks|keystore|truststore|kdb|txt|json|ya?ml|conf|cfg|ini|properties|toml|xml|env|asc|gpg|pgp|sig|pub|secret|secrets|token|b64|bin|dat)$/i;

/**
 * A path or file name, not a secret: `assets/tls/server.key`, `certs/privkey.pem`,
 * `secrets/jwt_secret`, `server.key`. A relative path's parts are lower-case words or end in
 * a file extension, so a base64 secret with `/` in it (`wJalr/K7MDENG/...`) is not one.
 */
export function isFileName(v: string): boolean {
  const t = v.trim();
  if (t.length > 200 || !/^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*\/?$/.test(t)) return false;
  const parts = t.replace(/\/$/, '').split('/');
  if (parts.some((p) => p === '' || p.length > 64)) return false;
  const last = parts[parts.length - 1];
  if (FILE_EXT.test(last) && /^[A-Za-z0-9_-]{1,40}(?:\.[A-Za-z0-9_-]{1,20})*$/.test(last) && !looksRandom(last.replace(FILE_EXT, ''))) return true;
  return parts.length > 1 && parts.every((p) => /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(p) && /[a-z]/.test(p) && !looksRandom(p));
}

/** An OpenPGP key fingerprint or long key id (or a list of them): public, the opposite of a secret. */
export function isFingerprint(v: string): boolean {
  const t = v.trim();
  return /^(?:(?:0x)?(?:[0-9A-F]{40}|[0-9A-F]{16}|(?:[0-9A-F]{4} ?){10}))(?:[\s,]+(?:0x)?(?:[0-9A-F]{40}|[0-9A-F]{16}))*$/i.test(t) && /[0-9]/.test(t);
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
