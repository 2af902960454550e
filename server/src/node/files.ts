/**
 * Every read and write of a workspace file goes through here. A cloned repository decides
 * what its paths point at (a symlink to /dev/zero, a FIFO named Dockerfile, a build context
 * of ../../../../etc), so: only regular files are read, at most MAX_FILE_SIZE bytes of them,
 * and never a path whose real location is outside the workspace root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type writeFileAtomicModule from 'write-file-atomic';
import type { FileRequest } from '../core/types';
import { MAX_FILE_SIZE, type WorkspaceView } from '../core/engine';

// O_NONBLOCK: opening a FIFO does not wait for a writer; O_NOFOLLOW: the last component is
// not a symlink (the path passed is already the real one). Both are 0 where unsupported.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);

/** Whether `p` is `root` or below it (both absolute). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

// One realpath(3) call instead of Node's JavaScript walk (an lstat per path component);
// on Windows the JavaScript one, which resolves subst drives and mapped shares as before.
const realpathSync = process.platform === 'win32' ? fs.realpathSync : fs.realpathSync.native;

let writeFileAtomicLib: typeof writeFileAtomicModule | undefined;
/** write-file-atomic, loaded by the first write (it loads crypto and worker_threads; most runs write nothing). */
function atomic(): typeof writeFileAtomicModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (writeFileAtomicLib ??= require('write-file-atomic') as typeof writeFileAtomicModule);
}

/** The real path (links resolved), or null when it does not exist. */
export function realpathOrNull(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

/** The nearest folder at or above `p` holding `.git` (a folder, or a file for worktrees/submodules). */
export function gitWorkTree(p: string): string | null {
  let d = path.resolve(p);
  for (;;) {
    try {
      fs.lstatSync(path.join(d, '.git'));
      return d;
    } catch {
      // not here
    }
    const up = path.dirname(d);
    if (up === d) return null;
    d = up;
  }
}

/**
 * The root a path may read within: the git work tree enclosing it, else `cwd` when the path
 * is really inside it, else the path itself when it is a folder (also one named through a
 * link), else the file's folder.
 */
export function scanRoot(p: string, cwd: string): string {
  const abs = path.resolve(cwd, p);
  const git = gitWorkTree(abs);
  if (git) return git;
  const base = path.resolve(cwd);
  if (isInside(base, abs)) {
    // a folder named through a link to elsewhere is its own root (below)
    const realAbs = realpathOrNull(abs);
    const realBase = realpathOrNull(base);
    if (!realAbs || !realBase || isInside(realBase, realAbs)) return base;
  }
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(abs);
  } catch {
    st = undefined;
  }
  return st?.isDirectory() ? abs : path.dirname(abs);
}

export type ReadRefusal = 'missing' | 'outside-root' | 'not-regular' | 'symlink';

export type ReadResult =
  | { ok: true; text: string; /** bytes on disk; larger than the text read when over the limit */ size: number; truncated: boolean; realPath: string }
  | { ok: false; reason: ReadRefusal };

export interface ReadOptions {
  /** The real path must be inside this folder (symlinks are followed only when it is). */
  root?: string;
  /** Refuse a symlink whatever it points at (git does not follow a symlinked .gitignore). */
  noSymlinks?: boolean;
  /** Bytes to read at most; past it the text is cut and `truncated` set. Default: MAX_FILE_SIZE + 1. */
  maxBytes?: number;
  /** The real path of `root`, when the caller already knows it (a scan reads many files below one root). */
  realRoot?: string;
}

/**
 * Reads a regular file as UTF-8: never a FIFO, device or socket (no hang, no endless
 * read), never more than `maxBytes`, never outside `root`.
 */
export function readRegularFile(file: string, options: ReadOptions = {}): ReadResult {
  const abs = path.resolve(file);
  if (options.root && !isInside(path.resolve(options.root), abs)) return { ok: false, reason: 'outside-root' };
  let lst: fs.Stats;
  try {
    lst = fs.lstatSync(abs);
  } catch {
    return { ok: false, reason: 'missing' };
  }
  if (lst.isSymbolicLink() && options.noSymlinks) return { ok: false, reason: 'symlink' };
  const real = realpathOrNull(abs);
  if (!real) return { ok: false, reason: 'missing' };
  if (options.root) {
    const realRoot = options.realRoot ?? realpathOrNull(options.root) ?? path.resolve(options.root);
    if (!isInside(realRoot, real)) return { ok: false, reason: 'outside-root' };
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(real);
  } catch {
    return { ok: false, reason: 'missing' };
  }
  if (!st.isFile()) return { ok: false, reason: 'not-regular' };
  return readOpened(real, options.maxBytes);
}

/**
 * Opens `real` (never through a link as its last part, never waiting on a FIFO) and reads it
 * when it is a regular file: the part of readRegularFile after its checks of where the path
 * leads. For a path known to be a regular file inside the root (a file the CLI's walk found,
 * node/scanFiles.ts).
 */
export function readOpened(real: string, maxBytes = MAX_FILE_SIZE + 1): ReadResult {
  let fd: number;
  try {
    fd = fs.openSync(real, OPEN_FLAGS);
  } catch {
    return { ok: false, reason: 'missing' };
  }
  try {
    const fst = fs.fstatSync(fd);
    if (!fst.isFile()) return { ok: false, reason: 'not-regular' }; // swapped since the stat
    const want = Math.min(maxBytes, fst.size);
    const buf = Buffer.allocUnsafe(Math.max(want, 0));
    let got = 0;
    while (got < want) {
      const n = fs.readSync(fd, buf, got, want - got, null);
      if (n === 0) break;
      got += n;
    }
    return { ok: true, text: buf.subarray(0, got).toString('utf8'), size: fst.size, truncated: fst.size > got, realPath: real };
  } catch {
    return { ok: false, reason: 'not-regular' };
  } finally {
    fs.closeSync(fd);
  }
}

/** The text of a regular file inside `root`, or undefined (missing, not regular, outside, too large). */
export function readWorkspaceFile(file: string, root: string): string | undefined {
  const r = readRegularFile(file, { root });
  return r.ok && !r.truncated ? r.text : undefined;
}

/** Files next to `file`, read from disk (for cross-file facts), never outside `root`. */
export function diskWorkspace(file: string, root: string): WorkspaceView {
  const dir = path.dirname(path.resolve(file));
  return {
    read(rel) {
      return readWorkspaceFile(path.resolve(dir, rel), root);
    },
    exists(rel) {
      const target = path.resolve(dir, rel);
      if (!isInside(path.resolve(root), target)) return false;
      try {
        fs.lstatSync(target);
        return true;
      } catch {
        return false;
      }
    },
  };
}

export type WriteTarget = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Where a fix of `file` may be written: the file itself, or the file a symlink points at
 * when that stays inside `root` (the link stays a link). Not a regular file, or a link
 * leaving the root: refused with the reason.
 */
export function writeTarget(file: string, root: string): WriteTarget {
  const real = realpathOrNull(file);
  if (!real) return { ok: false, reason: 'it does not exist' };
  const realRoot = realpathOrNull(root) ?? path.resolve(root);
  if (!isInside(realRoot, real)) return { ok: false, reason: `it is a link to a file outside ${root}` };
  try {
    if (!fs.statSync(real).isFile()) return { ok: false, reason: 'it is not a regular file' };
  } catch {
    return { ok: false, reason: 'it does not exist' };
  }
  return { ok: true, path: real };
}

/**
 * Replaces a file's content atomically (temp file + rename) keeping its mode and owner; a
 * symlink is written through (callers check `writeTarget` first).
 */
export function writeFileAtomic(file: string, data: string): void {
  atomic().sync(file, data);
}

/**
 * Writes a report (`--output`): a regular file, or a new one, atomically (as writeFileAtomic);
 * anything else that exists is written in place and never replaced: a device such as
 * /dev/null or /dev/stdout, a FIFO, a socket. (Replacing /dev/null with a regular file, as an
 * atomic write run as root would, breaks every other program on the machine.)
 */
export function writeReport(file: string, data: string): void {
  let st: fs.Stats | null = null;
  try {
    st = fs.statSync(file);
  } catch {
    // not there yet (or a dangling link): a new file
  }
  if (st?.isDirectory()) throw new Error('it is a directory');
  if (st && !st.isFile()) fs.writeFileSync(file, data);
  else writeFileAtomic(file, data);
}

/**
 * Why a side file cannot be written, or null when it can: it must stay inside `baseDir`
 * (the folder of the file fixed) and really be inside `root` (no link out of the project).
 */
export function sideFileProblem(target: string, baseDir: string, root: string): string | null {
  if (!isInside(baseDir, target)) return 'it would be outside the folder of the file fixed';
  const realRoot = realpathOrNull(root) ?? path.resolve(root);
  // the deepest part of the path that exists must really be inside the project
  let existing = target;
  for (;;) {
    try {
      fs.lstatSync(existing); // a dangling link counts: its realpath fails below
      break;
    } catch {
      const up = path.dirname(existing);
      if (up === existing) break;
      existing = up;
    }
  }
  const real = realpathOrNull(existing);
  if (!real || !isInside(realRoot, real)) return 'it would be written through a link that leaves the project';
  if (existing === target) {
    try {
      if (!fs.statSync(real).isFile()) return 'it is not a regular file';
    } catch {
      return 'it is not a regular file';
    }
  }
  return null;
}

/** Side files that hold a secret value are created readable by their owner only. */
function newFileMode(rel: string): number {
  const base = path.basename(rel);
  return base === '.gitignore' || base === '.dockerignore' ? 0o666 : 0o600;
}

export interface FileRequestOutcome {
  written: string[];
  /** Requests not carried out, with the reason (for a message on stderr). */
  refused: { path: string; reason: string }[];
}

/**
 * Carries out a fix's file requests relative to `baseDir` (the fixed file's folder), never
 * outside it and never through a link leaving `root`: `create` writes a file that does not
 * exist yet; `append` adds text (creating the file) unless `unlessLine` is there. An existing
 * file keeps its mode and owner.
 */
export function applyFileRequests(baseDir: string, requests: FileRequest[], root: string = baseDir): FileRequestOutcome {
  const out: FileRequestOutcome = { written: [], refused: [] };
  for (const r of requests) {
    const target = path.resolve(baseDir, r.path);
    const problem = sideFileProblem(target, path.resolve(baseDir), root);
    if (problem) {
      out.refused.push({ path: target, reason: problem });
      continue;
    }
    let exists = true;
    try {
      fs.lstatSync(target);
    } catch {
      exists = false;
    }
    if (r.kind === 'create') {
      if (exists) continue;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      // 'wx': fails rather than follow anything created meanwhile
      const fd = fs.openSync(target, 'wx', newFileMode(r.path));
      try {
        fs.writeFileSync(fd, r.text);
      } finally {
        fs.closeSync(fd);
      }
    } else if (!exists) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const fd = fs.openSync(target, 'wx', newFileMode(r.path));
      try {
        fs.writeFileSync(fd, r.text);
      } finally {
        fs.closeSync(fd);
      }
    } else {
      const cur = readRegularFile(target, { root });
      if (!cur.ok || cur.truncated) {
        out.refused.push({ path: target, reason: 'it cannot be read as a regular file' });
        continue;
      }
      const current = cur.text;
      if (r.unlessLine !== undefined && current.split(/\r?\n/).includes(r.unlessLine)) continue;
      const sep = current.length > 0 && !current.endsWith('\n') ? '\n' : '';
      atomic().sync(cur.realPath, current + sep + r.text);
    }
    out.written.push(target);
  }
  return out;
}
