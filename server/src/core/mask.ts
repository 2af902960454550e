/**
 * The one masking step every message and fix title passes on its way out of the engine
 * (CONTRACT.md: a finding never shows a secret value). Messages quote what is written
 * (an image, a URL, an unknown instruction, a YAML parser's complaint), and what is written
 * may be a credential, a megabyte long, or hold terminal escape sequences.
 */
import { scanText } from '../secrets/detect';
import { looksRandom } from '../secrets/values';

/** The longest message or title the engine hands out, in UTF-16 code units, `…` included. */
export const MAX_MESSAGE_LENGTH = 300;

const MASK = '***';

/**
 * C0 and C1 controls, DEL, and the bidirectional overrides and isolates that make a
 * terminal or an editor show text in another order than it is (U+202A–U+202E, U+2066–U+2069).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `scheme://user:password@`: the password (any, even a placeholder: a message needs none). */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/?#'"`<>]*):([^\s@/?#'"`<>]*)@/gi;
/** `scheme://token@host`: a user part that is a token (long, or with digits and letters mixed). */
const URL_TOKEN_USER = /(\b[a-z][a-z0-9+.-]{0,30}:\/\/)([^\s:@/?#'"`<>]{16,})@/gi;
/** Query and fragment parameters that carry credentials: `?token=`, `&access_token=`, `sig=`, `key=`, `password=` … */
const QUERY_SECRET = /([?&;#][A-Za-z0-9_.-]*(?:token|key|secret|passw(?:or)?d|pwd|pass|sig|signature|auth|credential|session|code)[A-Za-z0-9_.-]*=)([^&#;\s'"`<>]+)/gi;

/**
 * A message or fix title made safe to show: control characters replaced, URL credentials
 * and query tokens masked, anything a secret detector matches masked, bounded in length.
 */
export function safeText(text: string, max = MAX_MESSAGE_LENGTH): string {
  // Bound first (generously) so that a 1 MB image name costs no more than a short one;
  // the final cut is shorter, so a secret cut here is cut away there too.
  let t = text.length > max * 4 ? text.slice(0, max * 4) : text;
  t = t.replace(CONTROL, (c) => (c === '\t' || c === '\n' || c === '\r' ? ' ' : '\uFFFD'));
  t = t.replace(URL_PASSWORD, (_m, head: string, pw: string) => (pw === '' ? `${head}:@` : `${head}:${MASK}@`));
  t = t.replace(URL_TOKEN_USER, (m, head: string, user: string) => (/[0-9]/.test(user) && /[A-Za-z]/.test(user) ? `${head}${MASK}@` : m));
  t = t.replace(QUERY_SECRET, (_m, name: string) => `${name}${MASK}`);
  t = maskHits(t);
  return bound(t, max);
}

/**
 * Everything the secret detectors find, masked. They read values the way files hold them;
 * a message wraps what it quotes in quotes (`Unknown instruction 'KEY=…'`), so the text is
 * also read with its quotes turned into spaces (same offsets).
 */
function maskHits(t: string): string {
  if (t.length < 8) return t;
  const spaced = t.replace(/['"`\u2018\u2019\u201c\u201d]/g, ' ');
  const hits = [...scanText(t), ...(spaced === t ? [] : scanText(spaced))];
  if (hits.length === 0) return t;
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let last = 0;
  for (const h of hits) {
    if (h.end <= last) continue;
    out += t.slice(last, Math.max(last, h.start)) + MASK;
    last = h.end;
  }
  return out + t.slice(last);
}

/** At most `max` code units, cut at a code point boundary, `…` marking the cut. */
function bound(t: string, max: number): string {
  if (t.length <= max) return t;
  let cut = max - 1;
  const c = t.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--; // do not split a surrogate pair
  return `${t.slice(0, cut)}…`;
}

/**
 * For text a parser echoes from the file (`Not a YAML token: …`, `Unresolved tag: …`): also
 * masks every word that looks generated (a token of a format no detector knows). Only for
 * such messages: in a rule's message an image digest or a tag looks random too.
 */
export function maskRandomWords(text: string): string {
  return text.replace(/[^\s'"`,:;()[\]{}<>]{16,}/g, (w) => (looksRandom(w) ? MASK : w));
}

/** Text for a terminal as is, but with control characters and bidi overrides replaced (a file name may hold escape sequences). */
export function printable(text: string): string {
  return text.replace(CONTROL, '\uFFFD');
}
