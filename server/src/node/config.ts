import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAMES, parseConfigFile, type ConfigLayer, type ConfigProblem } from '../core/config';
import { gitWorkTree, readRegularFile } from './files';

export interface LoadedConfig {
  file: string;
  layer: ConfigLayer;
  problems: ConfigProblem[];
  text: string;
}

/** Finds the nearest .bulkhead.yaml at or above `dir` (not above `stopAt`, if given). */
export function findConfigFile(dir: string, stopAt?: string): string | null {
  let d = path.resolve(dir);
  const stop = stopAt ? path.resolve(stopAt) : null;
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const f = path.join(d, name);
      try {
        if (fs.statSync(f).isFile()) return f;
      } catch {
        // not here
      }
    }
    const up = path.dirname(d);
    if (up === d || (stop && d === stop)) return null;
    d = up;
  }
}

const REFUSED: Record<string, string> = {
  'missing': 'cannot be read',
  'outside-root': 'is a link to a file outside the project',
  'not-regular': 'is not a regular file',
  'symlink': 'is a link',
};

/**
 * Reads and parses a configuration file: a regular file, within the git work tree that
 * holds it (else its folder) unless `root` says otherwise, and at most 2 MiB.
 */
export function loadConfigFile(file: string, root?: string): LoadedConfig {
  const r = readRegularFile(file, { root: root ?? gitWorkTree(path.dirname(file)) ?? path.dirname(file), maxBytes: 2 * 1024 * 1024 });
  if (!r.ok) {
    if (r.reason === 'missing') throw Object.assign(new Error(`${file} cannot be read`), { code: 'ENOENT' });
    return { file, layer: {}, problems: [{ message: `The configuration file ${REFUSED[r.reason]}` }], text: '' };
  }
  if (r.truncated) return { file, layer: {}, problems: [{ message: 'The configuration file is larger than 2 MiB' }], text: '' };
  const { layer, problems } = parseConfigFile(r.text);
  return { file, layer, problems, text: r.text };
}

/**
 * Caches loaded config files by path for one run, and the nearest one of each folder: a
 * folder's answer is its own file or its parent's, so each folder is looked at once.
 */
export class ConfigCache {
  private readonly byDir = new Map<string, string | null>();
  private readonly byFile = new Map<string, LoadedConfig>();

  /** @param mayExist false when a file is known not to be there (a folder listing the caller already has) */
  constructor(private readonly mayExist: (file: string) => boolean = () => true) {}

  /** The nearest configuration file at or above `dir`, as findConfigFile finds it. */
  nearestFile(dir: string): string | null {
    const d = path.resolve(dir);
    let f = this.byDir.get(d);
    if (f !== undefined) return f;
    f = null;
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(d, name);
      if (!this.mayExist(candidate)) continue;
      try {
        if (fs.statSync(candidate).isFile()) {
          f = candidate;
          break;
        }
      } catch {
        // not here
      }
    }
    if (f === null) {
      const up = path.dirname(d);
      if (up !== d) f = this.nearestFile(up);
    }
    this.byDir.set(d, f);
    return f;
  }

  nearest(dir: string): LoadedConfig | null {
    const f = this.nearestFile(dir);
    if (!f) return null;
    let c = this.byFile.get(f);
    if (!c) {
      c = loadConfigFile(f);
      this.byFile.set(f, c);
    }
    return c;
  }

  clear(): void {
    this.byDir.clear();
    this.byFile.clear();
  }
}
