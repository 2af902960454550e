import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isDockerfileName } from '../core/classify';
import { readRegularFile } from '../node/files';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Names worth reading when walking a folder; content decides the kind afterwards. */
export function isCandidateName(name: string): boolean {
  const n = name.toLowerCase();
  if (n === '.bulkhead.yaml' || n === '.bulkhead.yml') return false;
  if (isDockerfileName(name)) return true;
  if (n.endsWith('.yaml') || n.endsWith('.yml')) return true;
  return n.endsWith('.json') && !n.endsWith('package.json') && !n.endsWith('package-lock.json') && !n.endsWith('tsconfig.json');
}

interface IgnoreLayer {
  dir: string;
  ig: Ignore;
}

function readGitignore(dir: string): IgnoreLayer | null {
  // as git: a regular file, not followed through a symlink; no FIFO, no endless device
  const r = readRegularFile(path.join(dir, '.gitignore'), { noSymlinks: true, root: dir });
  if (!r.ok || r.truncated) return null;
  return { dir, ig: ignore().add(r.text) };
}

/**
 * Whether .gitignore layers (outermost first) leave `file` out: as git, a deeper file's
 * pattern overrides a shallower one, so a deeper `!negation` keeps a file a parent ignores.
 * (A file below an ignored folder never gets here: ignored folders are not walked.)
 */
function ignoredByGit(layers: IgnoreLayer[], file: string, isDir: boolean): boolean {
  let ignored = false;
  for (const l of layers) {
    const rel = path.relative(l.dir, file).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    const r = l.ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/** Whether any configuration layer's `ignore` globs leave `file` out (no negation across layers). */
function ignoredByConfig(layers: IgnoreLayer[], file: string, isDir: boolean): boolean {
  for (const l of layers) {
    const rel = path.relative(l.dir, file).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (l.ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** The `ignore` globs of the configuration that governs a folder, relative to the config's folder. */
export type ConfigIgnores = (dir: string) => { base: string; patterns: string[] } | null;

/**
 * Walks a folder for candidate files, honouring .gitignore files (and those of parent
 * folders up to the repository root) and the `ignore` globs of each folder's configuration.
 */
export function walk(root: string, configIgnores: ConfigIgnores = () => null, listed?: (dir: string, names: string[]) => void): string[] {
  const out: string[] = [];
  const layers: IgnoreLayer[] = [];
  // .gitignore files above the walked folder, up to the repository root.
  for (let d = path.dirname(path.resolve(root)); ; d = path.dirname(d)) {
    const l = readGitignore(d);
    if (l) layers.unshift(l);
    if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) break;
  }
  const fromConfig = new Map<string, IgnoreLayer>();
  const configLayer = (dir: string): IgnoreLayer | null => {
    const c = configIgnores(dir);
    if (!c || !c.patterns.length) return null;
    let l = fromConfig.get(c.base);
    if (!l) {
      l = { dir: c.base, ig: ignore().add(c.patterns) };
      fromConfig.set(c.base, l);
    }
    return l;
  };
  const visit = (dir: string, inheritedGit: IgnoreLayer[], inheritedConfig: IgnoreLayer[]) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      configLayer(dir); // its configuration is still checked
      return;
    }
    listed?.(dir, entries.map((e) => e.name));
    // a .gitignore is read only as a regular file (readGitignore): no such entry, nothing to read
    // (any letter case: a case-insensitive file system opens `.GITIGNORE` for `.gitignore`)
    const own = entries.some((e) => e.name.toLowerCase() === '.gitignore' && e.isFile()) ? readGitignore(dir) : null;
    const cfg = configLayer(dir);
    const git = own ? [...inheritedGit, own] : inheritedGit;
    const config = cfg && !inheritedConfig.includes(cfg) ? [...inheritedConfig, cfg] : inheritedConfig;
    const ignored = (full: string, isDir: boolean) => ignoredByGit(git, full, isDir) || ignoredByConfig(config, full, isDir);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || ignored(full, true)) continue;
        visit(full, git, config);
      } else if (e.isFile() && isCandidateName(e.name) && !ignored(full, false)) {
        out.push(full);
      }
    }
  };
  visit(path.resolve(root), layers, []);
  return out;
}
