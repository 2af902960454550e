/**
 * The name heuristic: does a variable, key or flag name say its value is a secret?
 * `DB_PASSWORD`, `githubToken`, `--api-key`, `spring.datasource.password`, `_authToken`.
 * Exemptions (RULES.md) switch this heuristic off, never the other detectors.
 */

export interface SecretName {
  /** 'strong': any literal is a secret; 'weak': only a random-looking literal (`CACHE_KEY=users` is not). */
  strength: 'strong' | 'weak';
  /** What the message calls the value: "password", "token", "API key"... */
  kind: string;
}

/** Splits `DB_PASSWORD`, `dbPassword`, `db-password`, `db.password`, `_authToken` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'passwort', 'pwd', 'pass', 'passphrase', 'pw', 'pswd', 'pword', 'passcode', 'requirepass', 'masterauth']);
const TOKEN_WORDS = new Set(['token', 'authtoken', 'accesstoken', 'refreshtoken', 'apitoken', 'bearer', 'pat']);
const SECRET_WORDS = new Set(['secret', 'clientsecret', 'secretkey']);
const CREDENTIAL_WORDS = new Set(['credential', 'credentials', 'creds', 'cred']);
const GLUED_KEYS: Record<string, string> = {
  apikey: 'API key',
  privatekey: 'private key',
  accesskey: 'access key',
  authkey: 'key',
  masterkey: 'key',
  signingkey: 'key',
  encryptionkey: 'key',
  sessionkey: 'key',
  licensekey: 'key',
  secretkey: 'secret key',
};
/** Words that make a following KEY a secret one (`API_KEY`, `ENCRYPTION_KEY`); `CACHE_KEY` is not. */
const KEY_QUALIFIERS = new Set([
  'api', 'secret', 'private', 'access', 'auth', 'encryption', 'encrypt', 'crypt', 'crypto', 'aes', 'signing', 'sign',
  'master', 'license', 'licence', 'session', 'hmac', 'jwt', 'webhook', 'app', 'application', 'account', 'storage',
  'shared', 'subscription', 'client', 'admin', 'write', 'ssh', 'deploy', 'sdk', 'server', 'service', 'cookie', 'csrf',
  'integration', 'ingest', 'consumer', 'signature', 'psk', 'root', 'token', 'secure', 'security', 'mac',
]);
/** Long secret words are also found glued to others (`PGPASSWORD`, `MYSECRET`, `XAUTHTOKEN`). */
const GLUED_SUFFIXES = ['password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'credentials', 'credential'];

/**
 * A last word that says the value is not the secret itself (RULES.md: _FILE/_PATH/_URL/_ID/
 * _NAME/_USER/_LENGTH/_TTL/_VERSION, and words of the same sort: a place, a setting about the
 * secret, a duration, a count).
 */
const MODIFIERS = new Set([
  'file', 'files', 'filename', 'filepath', 'path', 'paths', 'dir', 'directory', 'folder', 'url', 'urls', 'uri', 'endpoint', 'host', 'hostname',
  'port', 'id', 'ids', 'name', 'names', 'user', 'username', 'login', 'email', 'length', 'len', 'ttl', 'version', 'expiry', 'expires',
  'expiration', 'expire', 'timeout', 'lifetime', 'duration', 'age', 'size', 'count', 'min', 'max', 'limit', 'enabled', 'enable',
  'disabled', 'disable', 'required', 'optional', 'type', 'mode', 'algorithm', 'algo', 'alg', 'header', 'prefix', 'suffix', 'field',
  'param', 'ref', 'reference', 'kind', 'policy', 'issuer', 'audience', 'scope', 'scopes', 'hint', 'location', 'rotation', 'format',
  'regex', 'pattern', 'provider', 'method', 'strategy', 'store', 'backend', 'server', 'service', 'region', 'bucket', 'arn', 'stdin',
  'env', 'var', 'variable', 'label', 'schema', 'secs', 'seconds', 'minutes', 'hours', 'days', 'ms', 'interval', 'retries',
  'attempts', 'threshold', 'strength', 'complexity', 'rules', 'reset', 'template', 'source', 'manager', 'namespace', 'mount',
  'volume', 'class', 'handler', 'plugin', 'lookup', 'cache', 'table', 'collection', 'queue', 'topic', 'validation', 'validator',
  'encoder', 'encoding', 'hasher', 'flag', 'check', 'verify', 'verification', 'level', 'status', 'state', 'option', 'options',
  'config', 'settings', 'fd', 'cmd', 'command', 'program', 'script', 'helper', 'generator', 'length', 'chars', 'charset', 'digits',
  'symbols', 'policy', 'sender', 'recipient', 'channel', 'key_id', 'keyid', 'realm', 'grant', 'lifespan', 'window', 'period',
]);
/** Words that say the value is public or an identifier (`PUBLIC_KEY`, `GPG_KEY` fingerprints). */
const PUBLIC_WORDS = new Set(['public', 'publishable', 'pub', 'gpg', 'pgp', 'gnupg', 'fingerprint', 'keyserver', 'keyring', 'cert', 'certificate', 'crt']);

/** Null when the name does not look like it holds a secret. */
/** Every secret word above contains one of these: most names fail this test at once. */
const MAYBE_SECRET = /pass|pwd|pw|pswd|pword|secret|token|key|psk|cred|auth|bearer|pat|salt|hmac|dsn/i;

export function secretName(name: string): SecretName | null {
  if (!MAYBE_SECRET.test(name)) return null;
  const words = nameWords(name);
  if (words.length === 0) return null;
  const last = words[words.length - 1];
  if (MODIFIERS.has(last)) return null;
  if (words.some((w) => PUBLIC_WORDS.has(w))) return null;
  let found: SecretName | null = null;
  const take = (s: SecretName) => {
    if (!found || (found.strength === 'weak' && s.strength === 'strong')) found = s;
  };
  words.forEach((word, i) => {
    // `MAX_TOKENS`, `NUM_KEYS`: a count of them, not a list of them
    const w = i > 0 && COUNT_WORDS.has(words[i - 1]) ? word : singular(word);
    if (PASSWORD_WORDS.has(w)) take({ strength: 'strong', kind: 'password' });
    else if (TOKEN_WORDS.has(w)) take({ strength: 'strong', kind: 'token' });
    else if (SECRET_WORDS.has(w)) take({ strength: 'strong', kind: w === 'secretkey' ? 'secret key' : 'secret' });
    else if (CREDENTIAL_WORDS.has(w)) take({ strength: 'strong', kind: 'credentials' });
    else if (w in GLUED_KEYS) take({ strength: 'strong', kind: GLUED_KEYS[w] });
    else if (w === 'key' || w === 'psk') {
      const q = words[i - 1];
      if (w === 'psk' || (q && KEY_QUALIFIERS.has(q))) {
        take({ strength: 'strong', kind: q === 'api' ? 'API key' : q === 'private' || q === 'ssh' ? 'private key' : q === 'access' ? 'access key' : q === 'secret' ? 'secret key' : 'key' });
      } else take({ strength: 'weak', kind: 'key' });
    } else if (w === 'auth' || w === 'salt' || w === 'hmac' || w === 'dsn') {
      take({ strength: 'weak', kind: w === 'salt' ? 'secret' : 'credentials' });
    } else {
      const glued = GLUED_SUFFIXES.find((s) => w.length > s.length && w.endsWith(s));
      if (glued) take({ strength: 'strong', kind: /pass/.test(glued) ? 'password' : glued === 'apikey' ? 'API key' : glued.startsWith('cred') ? 'credentials' : glued });
    }
  });
  return found;
}

const COUNT_WORDS = new Set(['max', 'min', 'num', 'number', 'total', 'count', 'limit', 'n', 'no', 'allowed', 'remaining', 'used']);
const KNOWN_SINGULAR = new Set([...PASSWORD_WORDS, ...TOKEN_WORDS, ...SECRET_WORDS, ...Object.keys(GLUED_KEYS), 'key', 'psk']);

/** `passwords` -> `password`, `tokens` -> `token`, `apikeys` -> `apikey`, `mypasswords` -> `mypassword`; other words unchanged. */
function singular(w: string): string {
  if (w.length < 4 || !w.endsWith('s') || KNOWN_SINGULAR.has(w) || CREDENTIAL_WORDS.has(w)) return w;
  const s = w.slice(0, -1);
  if (KNOWN_SINGULAR.has(s) || GLUED_SUFFIXES.some((x) => s.length > x.length && s.endsWith(x))) return s;
  return w;
}

/** HTTP header names whose value is a credential. */
const AUTH_HEADERS = new Set([
  'authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'apikey', 'x-auth-token', 'private-token', 'job-token',
  'x-vault-token', 'x-gitlab-token', 'x-access-token', 'x-api-token', 'circle-token', 'x-jfrog-art-api', 'x-functions-key',
  'ocp-apim-subscription-key', 'x-goog-api-key', 'x-figma-token', 'dd-api-key', 'x-dd-api-key', 'x-honeycomb-team',
]);

export function isAuthHeaderName(name: string): boolean {
  return AUTH_HEADERS.has(name.trim().toLowerCase());
}

export const AUTH_HEADER_NAMES: readonly string[] = [...AUTH_HEADERS];

/**
 * A name as a message may show it: names come from the file, and a pasted token can sit
 * where a name belongs (`environment: [ghp_...]`); such a name is never echoed.
 */
export function safeName(name: string, looksSecret: (s: string) => boolean): string {
  if (name.length > 80 || /[\t\r\n"'`]/.test(name) || looksSecret(name)) return '(unnamed)';
  return name;
}

/** The name says the value is not the secret itself (`DB_USER`, `TOKEN_TTL`, `PUBLIC_KEY`, `tls.crt`). */
export function exemptName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0) return false;
  return MODIFIERS.has(words[words.length - 1]) || words.some((w) => PUBLIC_WORDS.has(w));
}
