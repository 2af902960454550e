/**
 * What secret fixes write beside the analysed file, as FileRequests: the value itself
 * (`.env`, `.secrets/<id>`, `secrets/<id>.txt`, `<workload>-secrets.env`) and the
 * `.gitignore` / `.dockerignore` lines that keep it out of git and the build context.
 * Reads go through the workspace view; nothing here touches the disk.
 */
import ignore from 'ignore';
import type { WorkspaceView } from '../core/engine';
import type { FileRequest } from '../core/types';

/** The path's folders, for relating a `.gitignore` higher up to the analysed file's folder. */
function folderNames(filePath: string | undefined): string[] {
  if (!filePath) return [];
  const parts = filePath.replace(/\\/g, '/').split('/').filter(Boolean);
  return parts.slice(0, -1);
}

/**
 * Whether `rel` (relative to the analysed file's folder; a trailing `/` for a folder) is
 * ignored by `.gitignore` files from the repository root (the folder holding `.git`) down
 * to that folder, and by `.git/info/exclude`. Without a workspace: false.
 */
export function isIgnored(ws: WorkspaceView | undefined, filePath: string | undefined, rel: string, file = '.gitignore'): boolean {
  if (!ws) return false;
  const folders = folderNames(filePath);
  const levels: { prefix: string; text: string }[] = [];
  for (let up = 0; up <= Math.min(folders.length, 12); up++) {
    const prefix = '../'.repeat(up);
    const text = ws.read(`${prefix}${file}`);
    // a path below this level, as the ignore file there sees it
    const below = [...folders.slice(folders.length - up), ''].join('/');
    if (text !== undefined) levels.push({ prefix: below, text });
    if (file === '.gitignore' && ws.read(`${prefix}.git/HEAD`) !== undefined) {
      const exclude = ws.read(`${prefix}.git/info/exclude`);
      if (exclude !== undefined) levels.push({ prefix: below, text: exclude });
      break;
    }
    if (file !== '.gitignore') break; // .dockerignore applies at the build context only
  }
  let state = false;
  for (const l of levels.reverse()) {
    const r = ignore().add(l.text).test(`${l.prefix}${rel}`);
    if (r.ignored) state = true;
    else if (r.unignored) state = false;
  }
  return state;
}

/** `NAME='value'` for a Compose `.env` (single quotes: no interpolation); null when it cannot be written. */
export function dotenvLine(name: string, value: string): string | null {
  if (/[\r\n]/.test(value)) return null;
  if (!value.includes("'")) return `${name}='${value}'`;
  if (!/["\\$`]/.test(value)) return `${name}="${value}"`;
  return null;
}

/** Variables already set in an env file, with their values (quotes removed). */
export function envFileValues(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!text) return out;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let v = m[2];
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) v = v.slice(1, -1);
    out.set(m[1], v);
  }
  return out;
}

/**
 * A pattern line for `.gitignore` / `.dockerignore` matching exactly `path` (relative, `/`
 * separated): glob characters and a leading `#`/`!` escaped; null when no line can say it
 * (control characters, trailing spaces).
 */
export function ignoreLine(path: string): string | null {
  if (/[\0-\x1f\x7f]/.test(path) || /\s$/.test(path) || path.includes('\\')) return null;
  return path.replace(/[*?[\]]/g, (c) => `\\${c}`).replace(/^[#!]/, (c) => `\\${c}`);
}

/**
 * The requests that keep `rel` out of git (and, with `dockerignore`, out of the build
 * context, when that is the analysed file's folder): a line appended to the file beside the
 * analysed one, unless already ignored. Null when no ignore line can say `rel` exactly.
 */
export function ignoreRequests(ws: WorkspaceView | undefined, filePath: string | undefined, pattern: string, dockerignore = false): FileRequest[] | null {
  const out: FileRequest[] = [];
  const probe = pattern.replace(/^\//, '');
  const line = ignoreLine(pattern);
  if (line === null) return null;
  if (!isIgnored(ws, filePath, probe)) out.push({ path: '.gitignore', kind: 'append', text: `${line}\n`, unlessLine: line });
  if (dockerignore && !isIgnored(ws, filePath, probe, '.dockerignore')) out.push({ path: '.dockerignore', kind: 'append', text: `${line}\n`, unlessLine: line });
  return out;
}

/**
 * A side file's path is one the fix may ask for: relative to the analysed file's folder and
 * inside it (no `..`, no absolute or drive path, no backslash), no empty or `.` segment, no
 * control character (NUL, line breaks).
 */
export function isSafeSidePath(path: string): boolean {
  if (path === '' || /[\0-\x1f\x7f\\]/.test(path) || /^\//.test(path) || /^[A-Za-z]:/.test(path)) return false;
  const parts = path.split('/');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.length > 0 && parts.every((p) => p !== '' && p !== '.' && p !== '..');
}

/** Whether a file exists beside the analysed one, readable or not (views without `exists`: readable ones only). */
export function fileExists(ws: WorkspaceView | undefined, rel: string): boolean {
  if (!ws) return false;
  return ws.exists ? ws.exists(rel) : ws.read(rel) !== undefined;
}

/**
 * The requests when each can be carried out as meant, else null (no fix): every path is safe
 * (isSafeSidePath: never outside the folder); no file that exists is written without being
 * read (an unreadable `.env` or secret file); a `create` never meets an existing file with
 * other content (it would be skipped, and the value lost).
 */
export function safeSideFiles(requests: FileRequest[] | null, ws?: WorkspaceView): FileRequest[] | null {
  if (!requests) return null;
  for (const r of requests) {
    if (!isSafeSidePath(r.path)) return null;
    if (!ws) continue;
    const text = ws.read(r.path);
    if (text === undefined ? fileExists(ws, r.path) : r.kind === 'create' && text !== r.text) return null;
  }
  return requests;
}

/** The file holding a moved value and the ignore lines that keep it out of git: null unless all can be written safely. */
export function sideFiles(ws: WorkspaceView | undefined, value: FileRequest, ignores: FileRequest[] | null): FileRequest[] | null {
  return ignores ? safeSideFiles([value, ...ignores], ws) : null;
}

/** A name for a variable or key: `[A-Z0-9_]`, starting with a letter or `_`. */
export function envName(s: string): string {
  const t = s.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
  return /^[A-Z_]/.test(t) ? t : `_${t}`;
}

/** A secret id: `[a-z0-9_]`. */
export function secretId(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[_.-]+|[_.-]+$/g, '').toLowerCase() || 'secret';
}

/** Every secret fix title ends so: the value stays in git (and image) history. */
export const ROTATE = 'rotate the secret: it stays in your history';
