import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileRequest } from '../core/types';
import type { WorkspaceView } from '../core/engine';

/** Files next to `file`, read from disk (for cross-file facts). */
export function diskWorkspace(file: string): WorkspaceView {
  const dir = path.dirname(file);
  return {
    read(rel) {
      try {
        return fs.readFileSync(path.resolve(dir, rel), 'utf8');
      } catch {
        return undefined;
      }
    },
    exists(rel) {
      try {
        fs.lstatSync(path.resolve(dir, rel));
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * Carries out a fix's file requests relative to `baseDir`: `create` writes a file that
 * does not exist yet; `append` adds text (creating the file) unless `unlessLine` is there.
 * Returns the paths written.
 */
export function applyFileRequests(baseDir: string, requests: FileRequest[]): string[] {
  const written: string[] = [];
  for (const r of requests) {
    const target = path.resolve(baseDir, r.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const exists = fs.existsSync(target);
    if (r.kind === 'create') {
      if (exists) continue;
      fs.writeFileSync(target, r.text);
    } else {
      const current = exists ? fs.readFileSync(target, 'utf8') : '';
      if (r.unlessLine !== undefined && current.split(/\r?\n/).includes(r.unlessLine)) continue;
      const sep = current.length > 0 && !current.endsWith('\n') ? '\n' : '';
      fs.writeFileSync(target, current + sep + r.text);
    }
    written.push(target);
  }
  return written;
}

/** Writes a file atomically (temp file + rename), so a failure leaves nothing half-written. */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
