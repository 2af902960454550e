/**
 * Where a document may read other files: the deepest workspace folder holding it, else its
 * own folder. Reads go through node/files (regular files only, bounded, never out of the
 * root); an open copy of a file wins over the disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { WorkspaceView } from '../core/engine';
import { isInside, readWorkspaceFile } from '../node/files';

export class WorkspaceRoots {
  private roots: string[] = [];

  /** The folders of initialize (workspaceFolders, else rootUri). */
  set(uris: string[]): void {
    this.roots = fsPaths(uris);
  }

  change(added: string[], removed: string[]): void {
    const gone = new Set(fsPaths(removed));
    this.roots = [...this.roots.filter((r) => !gone.has(r)), ...fsPaths(added)];
  }

  /** The workspace folders (file system paths). */
  all(): string[] {
    return [...this.roots];
  }

  rootOf(file: string): string {
    let best: string | null = null;
    for (const r of this.roots) if (isInside(r, file) && (!best || r.length > best.length)) best = r;
    return best ?? path.dirname(file);
  }
}

function fsPaths(uris: string[]): string[] {
  return uris.map((u) => URI.parse(u)).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
}

/**
 * What files on disk held when last read, for the diagnostics path: after the first read of
 * a file, keystrokes read it from here, never from the disk. Entries are dropped when the
 * client reports the file changed (file-watch events), and, for clients that cannot watch,
 * after `maxAgeMs`.
 */
export class DiskCache {
  private readonly texts = new Map<string, { text: string | undefined; at: number }>();
  private readonly existing = new Map<string, { exists: boolean; at: number }>();
  /** Disk reads and stats made (for tests). */
  reads = 0;
  maxAgeMs = Infinity;
  now: () => number = () => Date.now();

  private fresh(at: number): boolean {
    return this.maxAgeMs === Infinity || this.now() - at <= this.maxAgeMs;
  }

  read(file: string, root: string): string | undefined {
    const key = `${root}\0${file}`;
    const hit = this.texts.get(key);
    if (hit && this.fresh(hit.at)) return hit.text;
    this.reads++;
    const text = readWorkspaceFile(file, root);
    this.texts.set(key, { text, at: this.now() });
    return text;
  }

  exists(file: string): boolean {
    const hit = this.existing.get(file);
    if (hit && this.fresh(hit.at)) return hit.exists;
    this.reads++;
    let exists = true;
    try {
      fs.lstatSync(file);
    } catch {
      exists = false;
    }
    this.existing.set(file, { exists, at: this.now() });
    return exists;
  }

  /** Forgets files (changed on disk); true when any was cached, so analyses may have used it. */
  drop(files: string[]): boolean {
    let any = false;
    const set = new Set(files);
    for (const k of [...this.texts.keys()]) {
      if (set.has(k.slice(k.indexOf('\0') + 1))) any = this.texts.delete(k) || any;
    }
    for (const f of files) any = this.existing.delete(f) || any;
    return any;
  }

  clear(): void {
    this.texts.clear();
    this.existing.clear();
  }

  get size(): number {
    return this.texts.size + this.existing.size;
  }
}

/**
 * Files next to a document (a `file:` URI) for cross-file facts, never outside `root`. With
 * a cache, disk files are read through it (the diagnostics path); without, from the disk.
 */
export function workspaceView(uri: URI, root: string, openText: (uri: string) => string | undefined, cache?: DiskCache): WorkspaceView {
  const dir = path.dirname(uri.fsPath);
  return {
    read(rel) {
      const file = path.resolve(dir, rel);
      if (!isInside(root, file)) return undefined; // build.context: ../../../../etc
      const open = openText(URI.file(file).toString());
      if (open !== undefined) return open;
      return cache ? cache.read(file, root) : readWorkspaceFile(file, root);
    },
    exists(rel) {
      const file = path.resolve(dir, rel);
      if (!isInside(root, file)) return false;
      if (openText(URI.file(file).toString()) !== undefined) return true;
      if (cache) return cache.exists(file);
      try {
        fs.lstatSync(file);
        return true;
      } catch {
        return false;
      }
    },
  };
}
