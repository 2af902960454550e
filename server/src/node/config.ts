import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAMES, parseConfigFile, type ConfigLayer, type ConfigProblem } from '../core/config';

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

export function loadConfigFile(file: string): LoadedConfig {
  const text = fs.readFileSync(file, 'utf8');
  const { layer, problems } = parseConfigFile(text);
  return { file, layer, problems, text };
}

/** Caches loaded config files by path for one run. */
export class ConfigCache {
  private readonly byDir = new Map<string, string | null>();
  private readonly byFile = new Map<string, LoadedConfig>();

  nearest(dir: string): LoadedConfig | null {
    let f = this.byDir.get(dir);
    if (f === undefined) {
      f = findConfigFile(dir);
      this.byDir.set(dir, f);
    }
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
