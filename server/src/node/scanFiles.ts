/**
 * The disk as one CLI run sees it: the same checks as readRegularFile and diskWorkspace
 * (files.ts), with what a scan asks again and again answered once — the real path of each
 * root, and, in a run that writes nothing, the folder listings the walk already made and
 * the files other files' analyses read (a kustomization next to every manifest of a folder,
 * a Compose service's Dockerfile). A run that writes (`--fix`, `--harden`) reads the disk
 * every time, so a later file sees what an earlier fix wrote.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkspaceView } from '../core/engine';
import { isInside, readOpened, readRegularFile, realpathOrNull, type ReadOptions, type ReadResult } from './files';

export class ScanFiles {
  private readonly realRoots = new Map<string, string>();
  /** Folder -> the lower-cased names in it, from the walk's own readdir (never stale: nothing is written). */
  private readonly listings = new Map<string, Set<string>>();
  /** Workspace reads by absolute path, with their root (the same path under another root may be refused). */
  private readonly reads = new Map<string, string | undefined>();
  private readonly existing = new Map<string, boolean>();
  /** Files the walk found as regular files (not links) below a folder that really is inside its root: their real paths, by root and path. */
  private readonly walked = new Map<string, string>();

  /** Counts for tests: reads that reached the disk, and those answered from what the run knew. */
  readonly stats = { diskReads: 0, cachedReads: 0, listedMissing: 0, walkedReads: 0 };

  /** @param remember whether the run writes nothing, so what was read or listed stays true for the whole run */
  constructor(private readonly remember: boolean) {}

  /** The real path of a root (as readRegularFile resolves it), once per root. */
  realRoot(root: string): string {
    let r = this.realRoots.get(root);
    if (r === undefined) {
      r = realpathOrNull(root) ?? path.resolve(root);
      this.realRoots.set(root, r);
    }
    return r;
  }

  /** The walk listed this folder: names not in it need no look-up while the run writes nothing. */
  noteListing(dir: string, names: readonly string[]): void {
    if (!this.remember) return;
    this.listings.set(path.resolve(dir), new Set(names.map((n) => n.toLowerCase())));
  }

  /**
   * False only when the folder was listed and holds no entry of that name in any letter case
   * (a case-insensitive file system finds `Dockerfile` for `dockerfile`: then the disk decides).
   */
  mayExist(file: string): boolean {
    const names = this.listings.get(path.dirname(file));
    return !names || names.has(path.basename(file).toLowerCase());
  }

  /**
   * The walk of `dir` (a folder under `root`) found `found`: regular files, reached through
   * folders only (the walk follows no link). When `dir` itself really is inside the root, so
   * is each of them, at the same place below `dir`'s real path: reading one needs no further
   * look at where it leads (readOpened still refuses a link or a non-regular file there now).
   */
  noteWalk(dir: string, root: string, found: readonly string[]): void {
    const abs = path.resolve(dir);
    const real = realpathOrNull(abs);
    if (!real || !isInside(path.resolve(root), abs) || !isInside(this.realRoot(root), real)) return;
    for (const f of found) this.walked.set(`${path.resolve(root)}\0${f}`, path.join(real, path.relative(abs, f)));
  }

  /** readRegularFile, without asking the disk for a file the listing shows is not there. */
  read(file: string, options: ReadOptions = {}): ReadResult {
    const abs = path.resolve(file);
    const real = options.noSymlinks || !options.root ? undefined : this.walked.get(`${path.resolve(options.root)}\0${abs}`);
    if (real !== undefined) {
      const r = readOpened(real, options.maxBytes);
      if (r.ok) {
        this.stats.walkedReads++;
        return r;
      }
      // changed since the walk: the full checks say why
    }
    if (!this.mayExist(abs)) {
      if (options.root && !isInside(path.resolve(options.root), abs)) return { ok: false, reason: 'outside-root' };
      this.stats.listedMissing++;
      return { ok: false, reason: 'missing' };
    }
    return readRegularFile(abs, options.root ? { ...options, realRoot: options.realRoot ?? this.realRoot(options.root) } : options);
  }

  /** diskWorkspace(file, root), its answers kept for the run when it writes nothing. */
  workspace(file: string, root: string): WorkspaceView {
    const dir = path.dirname(path.resolve(file));
    const absRoot = path.resolve(root);
    return {
      read: (rel) => {
        const target = path.resolve(dir, rel);
        const key = `${absRoot}\0${target}`;
        if (this.remember && this.reads.has(key)) {
          this.stats.cachedReads++;
          return this.reads.get(key);
        }
        this.stats.diskReads++;
        const r = this.read(target, { root: absRoot });
        const text = r.ok && !r.truncated ? r.text : undefined;
        if (this.remember) this.reads.set(key, text);
        return text;
      },
      exists: (rel) => {
        const target = path.resolve(dir, rel);
        if (!isInside(absRoot, target)) return false;
        if (this.remember && this.existing.has(target)) return this.existing.get(target)!;
        let found = this.mayExist(target);
        if (found) {
          try {
            fs.lstatSync(target);
          } catch {
            found = false;
          }
        }
        if (this.remember) this.existing.set(target, found);
        return found;
      },
    };
  }
}
