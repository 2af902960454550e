import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { BUILTIN_IDS, CATALOG_IDS } from './rule';
import { DEFAULT_NON_ROOT_IMAGES } from './model/images';
import type { Span } from './text';
import type { Preset, RuleSetting } from './types';

export interface Config {
  preset: Preset;
  rules: Record<string, RuleSetting>;
  /** uid:gid that fixes write. */
  defaultUser: string;
  /**
   * Limits the resource-limits fix inserts: memory with a binary unit (`512m`, `1g`; written
   * `512m` in Compose, `512Mi` in Kubernetes), CPUs as a decimal count (`1`, `0.5`), PIDs as a count.
   */
  defaultLimits: DefaultLimits;
  /** Images known to run as non-root (defaults plus configured). */
  nonRootImages: string[];
  trustedRegistries: string[];
  compose: { target: 'compose' | 'stack' };
  /** `emptyDirMedium: Memory`: the read-only fixes write in-memory emptyDirs (they count against the memory limit). */
  kubernetes: { emptyDirMedium: 'default' | 'Memory' };
  /** Globs of files to leave out (CLI walk and editor). */
  ignore: string[];
}

export interface DefaultLimits {
  memory: string;
  cpus: string;
  pids: number;
}

/** A partial config as one source (settings, a .bulkhead.yaml) gives it. */
export type ConfigLayer = Partial<Omit<Config, 'compose' | 'defaultLimits' | 'kubernetes'>> & { compose?: Partial<Config['compose']>; defaultLimits?: Partial<DefaultLimits>; kubernetes?: Partial<Config['kubernetes']> };

export interface ConfigProblem {
  message: string;
  span?: Span;
  /**
   * `warning`: an unknown key or rule id, left out while the rest of the file applies (a
   * typo that leaves a rule on fails safe). Absent or `error`: the file is invalid and
   * none of it is used — the CLI stops with exit code 2, the editor uses its settings and
   * says so on every file (docs/configuration.md).
   */
  severity?: 'error' | 'warning';
}

/** The problems that make a configuration file unusable (all but the warnings). */
export function configErrors(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return problems.filter((p) => p.severity !== 'warning');
}

export const DEFAULT_CONFIG: Config = {
  preset: 'recommended',
  rules: {},
  defaultUser: '10001:10001',
  defaultLimits: { memory: '512m', cpus: '1', pids: 200 },
  nonRootImages: DEFAULT_NON_ROOT_IMAGES,
  trustedRegistries: [],
  compose: { target: 'compose' },
  kubernetes: { emptyDirMedium: 'default' },
  ignore: [],
};

/** Later layers win; list settings that extend defaults (nonRootImages) are added up. */
export function mergeConfig(...layers: (ConfigLayer | undefined)[]): Config {
  const out: Config = { ...DEFAULT_CONFIG, rules: {}, compose: { ...DEFAULT_CONFIG.compose }, kubernetes: { ...DEFAULT_CONFIG.kubernetes }, defaultLimits: { ...DEFAULT_CONFIG.defaultLimits }, nonRootImages: [...DEFAULT_NON_ROOT_IMAGES], trustedRegistries: [], ignore: [] };
  for (const l of layers) {
    if (!l) continue;
    if (l.preset) out.preset = l.preset;
    if (l.rules) Object.assign(out.rules, l.rules);
    if (l.defaultUser) out.defaultUser = l.defaultUser;
    if (l.defaultLimits) Object.assign(out.defaultLimits, l.defaultLimits);
    if (l.nonRootImages) out.nonRootImages.push(...l.nonRootImages.filter((x) => !out.nonRootImages.includes(x)));
    if (l.trustedRegistries) out.trustedRegistries = [...l.trustedRegistries];
    if (l.compose?.target) out.compose.target = l.compose.target;
    if (l.kubernetes?.emptyDirMedium) out.kubernetes.emptyDirMedium = l.kubernetes.emptyDirMedium;
    if (l.ignore) out.ignore = [...out.ignore, ...l.ignore];
  }
  return out;
}

const KNOWN_IDS = new Set([...CATALOG_IDS, ...Object.keys(BUILTIN_IDS)]);
const SETTINGS = ['off', 'info', 'warning', 'error'];

/**
 * Validates a plain object (editor settings or a parsed .bulkhead.yaml) into a layer.
 * `where` maps a key path to a span for problems found in a file.
 */
export function validateConfig(raw: unknown, where: (path: (string | number)[]) => Span | undefined = () => undefined): { layer: ConfigLayer; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const layer: ConfigLayer = {};
  const bad = (path: (string | number)[], message: string) => problems.push({ message, span: where(path) });
  const unknown = (path: (string | number)[], message: string) => problems.push({ message, span: where(path), severity: 'warning' });
  if (raw === null || raw === undefined) return { layer, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    bad([], 'The configuration must be a map of settings');
    return { layer, problems };
  }
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const v = o[key];
    switch (key) {
      case 'preset':
        if (v === 'baseline' || v === 'recommended' || v === 'strict') layer.preset = v;
        else bad([key], `preset must be 'baseline', 'recommended' or 'strict'`);
        break;
      case 'rules':
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          layer.rules = {};
          for (const [id, s] of Object.entries(v as Record<string, unknown>)) {
            if (!KNOWN_IDS.has(id)) unknown([key, id], `Unknown rule '${id}'`);
            else if (typeof s !== 'string' || !SETTINGS.includes(s)) bad([key, id], `Rule '${id}' must be one of off, info, warning, error`);
            else layer.rules[id] = s as RuleSetting;
          }
        } else bad([key], 'rules must be a map of rule id to off|info|warning|error');
        break;
      case 'defaultUser': {
        const s = typeof v === 'number' ? String(v) : v;
        if (typeof s === 'string' && /^\d+(:\d+)?$/.test(s) && !/^0+(:|$)/.test(s)) layer.defaultUser = s.includes(':') ? s : `${s}:${s}`;
        else bad([key], `defaultUser must be a non-root numeric uid or uid:gid, such as "10001:10001"`);
        break;
      }
      case 'defaultLimits': {
        if (!v || typeof v !== 'object' || Array.isArray(v)) {
          bad([key], 'defaultLimits must be a map with memory, cpus and pids');
          break;
        }
        const limits: Partial<DefaultLimits> = {};
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
          if (k === 'memory') {
            const m = typeof x === 'string' ? parseMemory(x) : null;
            if (m) limits.memory = m;
            else bad([key, k], 'defaultLimits.memory must be a size with a unit, such as "512m" or "1g" (binary units: 512m is 512 MiB)');
          } else if (k === 'cpus') {
            const c = typeof x === 'number' ? String(x) : x;
            if (typeof c === 'string' && /^(?:\d+(?:\.\d{1,3})?|\.\d{1,3})$/.test(c) && Number(c) > 0) limits.cpus = c;
            else bad([key, k], 'defaultLimits.cpus must be a positive number of CPUs, such as 1 or 0.5');
          } else if (k === 'pids') {
            if (typeof x === 'number' && Number.isInteger(x) && x > 0) limits.pids = x;
            else bad([key, k], 'defaultLimits.pids must be a positive whole number, such as 200');
          } else unknown([key, k], `Unknown setting 'defaultLimits.${k}'`);
        }
        layer.defaultLimits = limits;
        break;
      }
      case 'nonRootImages':
      case 'trustedRegistries':
      case 'ignore':
        if (Array.isArray(v) && v.every((x) => typeof x === 'string')) layer[key] = v as string[];
        else bad([key], `${key} must be a list of strings`);
        break;
      case 'compose': {
        const t = v && typeof v === 'object' ? (v as Record<string, unknown>).target : undefined;
        if (t === undefined) break;
        if (t === 'compose' || t === 'stack') layer.compose = { target: t };
        else bad([key, 'target'], `compose.target must be 'compose' or 'stack'`);
        break;
      }
      case 'kubernetes': {
        const m = v && typeof v === 'object' ? (v as Record<string, unknown>).emptyDirMedium : undefined;
        for (const k of v && typeof v === 'object' ? Object.keys(v) : []) if (k !== 'emptyDirMedium') bad([key, k], `Unknown setting 'kubernetes.${k}'`);
        if (m === undefined) break;
        if (m === 'default' || m === 'Memory') layer.kubernetes = { emptyDirMedium: m };
        else bad([key, 'emptyDirMedium'], `kubernetes.emptyDirMedium must be 'default' or 'Memory'`);
        break;
      }
      case 'trace':
      case 'enable':
      case 'run':
      case 'codeLens':
        break; // editor-only settings
      default:
        unknown([key], `Unknown setting '${key}'`);
    }
  }
  return { layer, problems };
}

/** A memory size in binary units, normalised to Compose's spelling (`512m`, `1g`); null when not one. */
export function parseMemory(raw: string): string | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg])(?:i?b?)?\s*$/i.exec(raw);
  if (!m || Number(m[1]) <= 0) return null;
  return `${m[1]}${m[2].toLowerCase()}`;
}

/** Parses a .bulkhead.yaml text; problems carry spans into that text. */
export function parseConfigFile(text: string): { layer: ConfigLayer; problems: ConfigProblem[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      layer: {},
      problems: doc.errors.map((e) => ({ message: `Not valid YAML: ${e.message.split('\n')[0]}`, span: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) } })),
    };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { layer: {}, problems: [{ message: `Cannot read the configuration: ${(e as Error).message}` }] };
  }
  const where = (path: (string | number)[]): Span | undefined => {
    let node: Node | null | undefined = doc.contents as Node | null;
    let keySpan: Span | undefined;
    for (const p of path) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && it.key.value === p);
        if (!pair) break;
        const k = pair.key as Node;
        if (k.range) keySpan = { start: k.range[0], end: k.range[1] };
        node = pair.value as Node | null;
      } else if (isSeq(node) && typeof p === 'number') node = node.items[p] as Node;
      else break;
    }
    if (node && node.range && path.length && !isMap(node)) return { start: node.range[0], end: node.range[1] };
    return keySpan ?? (doc.contents?.range ? { start: doc.contents.range[0], end: doc.contents.range[0] } : undefined);
  };
  return validateConfig(raw ?? {}, where);
}

export const CONFIG_FILE_NAMES = ['.bulkhead.yaml', '.bulkhead.yml'];
