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

/** Files next to a document (a `file:` URI) for cross-file facts, never outside `root`. */
export function workspaceView(uri: URI, root: string, openText: (uri: string) => string | undefined): WorkspaceView {
  const dir = path.dirname(uri.fsPath);
  return {
    read(rel) {
      const file = path.resolve(dir, rel);
      if (!isInside(root, file)) return undefined; // build.context: ../../../../etc
      const open = openText(URI.file(file).toString());
      if (open !== undefined) return open;
      return readWorkspaceFile(file, root);
    },
    exists(rel) {
      const file = path.resolve(dir, rel);
      if (!isInside(root, file)) return false;
      if (openText(URI.file(file).toString()) !== undefined) return true;
      try {
        fs.lstatSync(file);
        return true;
      } catch {
        return false;
      }
    },
  };
}
