/**
 * Planted secrets: provider-like tokens and passwords generated at run time (never written
 * whole in a source file: prefixes are built by concatenation, as in test/unit/secrets/fakes.ts).
 *
 * A generator marks the part of a value that must never be echoed with `SECRET_OPEN` and
 * `SECRET_CLOSE` (private-use characters no generator emits otherwise); `plant()` strips the
 * marks from the final text and returns the values they enclosed.
 */
import fc from 'fast-check';

export const SECRET_OPEN = '\uE000';
export const SECRET_CLOSE = '\uE001';

const j = (...parts: string[]) => parts.join('');
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;

const chars = (alphabet: string, min: number, max = min) =>
  fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength: min, maxLength: max });

const mark = (s: string) => `${SECRET_OPEN}${s}${SECRET_CLOSE}`;

/** A password-like value: starts with a letter, 12-24 characters, a few punctuation marks YAML and shells accept unquoted. */
export const passwordArb = fc
  .tuple(chars(UPPER + LOWER, 1), chars(ALNUM + '_.-', 11, 23), chars(DIGITS, 1))
  .map(([a, b, c]) => a + b + c);

/** A whole value holding one planted secret (marked), e.g. a GitHub token or a URL with a password. */
export const secretValueArb: fc.Arbitrary<string> = fc.oneof(
  chars(ALNUM, 36).map((s) => mark(j('gh', 'p_', s))),
  chars(UPPER + DIGITS, 16).map((s) => mark(j('AK', 'IA', s))),
  chars(ALNUM, 20).map((s) => mark(j('gl', 'pat-', s))),
  chars(ALNUM, 24).map((s) => mark(j('sk', '_live_', s))),
  fc.tuple(chars(DIGITS, 10), chars(DIGITS, 10), chars(ALNUM, 24)).map(([a, b, c]) => mark(j('xo', 'xb-', a, '-', b, '-', c))),
  passwordArb.map((pw) => `postgres://app:${mark(pw)}@db.internal:5432/app`),
  passwordArb.map((pw) => `https://deploy:${mark(pw)}@git.example.com/org/repo.git`),
  passwordArb.map(mark),
  passwordArb.map(mark),
);

/** Names a secret detector should look at, and harmless ones. */
export const secretNameArb = fc.constantFrom(
  'DB_PASSWORD', 'POSTGRES_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'API_KEY', 'API_TOKEN', 'GITHUB_TOKEN',
  'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'SECRET_KEY', 'DATABASE_URL', 'NPM_TOKEN', 'SLACK_TOKEN', 'REDIS_PASSWORD',
);
export const plainNameArb = fc.constantFrom('LOG_LEVEL', 'PORT', 'NODE_ENV', 'TZ', 'APP_MODE', 'DB_HOST', 'FEATURE_FLAGS', 'PASSWORD_FILE');
export const plainValueArb = fc.constantFrom('debug', 'info', '8080', 'production', 'UTC', 'db', 'a,b,c', '/run/secrets/db_password', '${DB_PASSWORD}', 'changeme', 'true', '');

/** An environment entry: a secret most of the time, sometimes a harmless pair. */
export const envPairArb: fc.Arbitrary<[string, string]> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(secretNameArb, secretValueArb) },
  { weight: 2, arbitrary: fc.tuple(plainNameArb, plainValueArb) },
);

/** Strips the marks: the final text and every planted secret it held (before any mutation). */
export function plant(marked: string): { text: string; secrets: string[] } {
  const secrets: string[] = [];
  const text = marked.replace(/\uE000([^\uE001]*)\uE001/g, (_m, s: string) => {
    if (!secrets.includes(s)) secrets.push(s);
    return s;
  });
  return { text: text.replace(/[\uE000\uE001]/g, ''), secrets };
}

/** The first 12-character (or whole, if shorter) piece of `secret` found in `text`, as a description without the value. */
export function leakOf(secret: string, text: string): string | null {
  if (secret.length < 12) return text.includes(secret) ? `the whole ${secret.length}-character secret` : null;
  for (let i = 0; i + 12 <= secret.length; i++) {
    if (text.includes(secret.slice(i, i + 12))) return `12 characters from offset ${i} of a ${secret.length}-character secret`;
  }
  return null;
}
