import { isMap, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { FileKind } from './types';

/** What a file name says about its kind, before looking at its content. */
export type NameHint = 'dockerfile' | 'yaml' | 'json' | 'config' | 'none';

/** The text after the last `/` or `\\` (the whole path when it has neither). */
export function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

export function isDockerfileName(name: string): boolean {
  const n = name.toLowerCase();
  return n === 'dockerfile' || n === 'containerfile' || n.startsWith('dockerfile.') || n.startsWith('containerfile.') || n.endsWith('.dockerfile') || n.endsWith('.containerfile');
}

export function nameHint(path: string | undefined): NameHint {
  if (!path) return 'none';
  const name = basename(path);
  const n = name.toLowerCase();
  if (n === '.bulkhead.yaml' || n === '.bulkhead.yml') return 'config';
  if (isDockerfileName(name)) return 'dockerfile';
  if (n.endsWith('.yaml') || n.endsWith('.yml')) return 'yaml';
  if (n.endsWith('.json')) return 'json';
  return 'none';
}

const YAML_LANGUAGE_IDS = new Set(['yaml', 'dockercompose', 'yaml.docker-compose', 'docker-compose', 'compose', 'helm', 'kubernetes', 'yaml.kubernetes']);

/**
 * Classifies a document by its language id, name and content. Language ids from VS Code
 * (`dockerfile`, `yaml`, `dockercompose`), Neovim (`yaml.docker-compose`) and Emacs
 * (`dockerfile`, `yaml`) are understood; none at all is fine.
 */
export function classify(text: string, path?: string, languageId?: string): FileKind {
  const hint = nameHint(path);
  const lang = languageId?.toLowerCase();
  if (hint === 'config') return 'unknown';
  if (lang === 'dockerfile' || lang === 'containerfile' || hint === 'dockerfile') return 'dockerfile';
  if (lang && YAML_LANGUAGE_IDS.has(lang)) return classifyYaml(text, path);
  if (lang === 'json' || hint === 'json') return classifyJson(text);
  if (hint === 'yaml') return classifyYaml(text, path);
  // No name or language id: sniff.
  if (/^\s*(#[^\n]*\n\s*)*(FROM|ARG)\s/i.test(text)) return 'dockerfile';
  const t = text.trimStart();
  if (t.startsWith('{')) return classifyJson(text);
  return classifyYaml(text, path);
}

/** A Compose file name (RULES.md): `docker-compose*.y?ml`, `compose*.y?ml`, `*.compose.y?ml`. */
export function isComposeName(path: string | undefined): boolean {
  if (!path) return false;
  const n = basename(path).toLowerCase();
  return /^(?:docker-compose.*|compose.*|.*\.compose)\.ya?ml$/.test(n);
}

/** The keys of a legacy (v1) Compose service (docker-compose 1.x `config_schema_v1.json`). */
export const V1_SERVICE_KEYS: ReadonlySet<string> = new Set([
  'build', 'cap_add', 'cap_drop', 'cgroup_parent', 'command', 'container_name', 'cpu_shares', 'cpu_quota', 'cpuset',
  'devices', 'dns', 'dns_search', 'dockerfile', 'domainname', 'entrypoint', 'env_file', 'environment', 'expose',
  'extends', 'external_links', 'extra_hosts', 'hostname', 'image', 'ipc', 'labels', 'links', 'log_driver', 'log_opt',
  'mac_address', 'mem_limit', 'memswap_limit', 'mem_swappiness', 'net', 'pid', 'ports', 'privileged', 'read_only',
  'restart', 'security_opt', 'shm_size', 'stdin_open', 'stop_signal', 'tty', 'ulimits', 'user', 'volumes',
  'volume_driver', 'volumes_from', 'working_dir',
]);

/**
 * Whether a document's top-level map is a legacy v1 Compose file: no `services:`/`version:`,
 * at least one entry, and every top-level value a map with `image:` or `build:` and only
 * v1 service keys (merge keys allowed). The file name is checked by the caller.
 */
export function isLegacyComposeRoot(root: YAMLMap | null, doc: Document): boolean {
  if (!root || !root.items.length) return false;
  for (const p of root.items as Pair<Node, Node | null>[]) {
    const key = (p.key as { value?: unknown } | null)?.value;
    if (typeof key !== 'string' || key === 'services' || key === 'version' || key === '<<') return false;
    const v = resolveAlias(p.value, doc);
    if (!isMap(v) || !v1Service(v, doc, 0)) return false;
  }
  return true;
}

/** A v1 service map: only v1 keys, and `image:` or `build:` (own or merged with `<<`). */
function v1Service(map: YAMLMap, doc: Document, depth: number): 'image' | 'keys' | false {
  let image = false;
  for (const q of map.items as Pair<Node, Node | null>[]) {
    const k = (q.key as { value?: unknown } | null)?.value;
    if (k === '<<') {
      if (depth > 8) return false;
      const v = q.value as unknown;
      const sources = v && typeof v === 'object' && 'items' in v && !isMap(v) ? ((v as { items: unknown[] }).items) : [v];
      for (const src of sources) {
        const m = resolveAlias(src, doc);
        if (!isMap(m)) return false;
        const r = v1Service(m, doc, depth + 1);
        if (!r) return false;
        if (r === 'image') image = true;
      }
      continue;
    }
    if (typeof k !== 'string' || !V1_SERVICE_KEYS.has(k)) return false;
    if (k === 'image' || k === 'build') image = true;
  }
  if (depth === 0) return image ? 'image' : false;
  return image ? 'image' : 'keys';
}

function resolveAlias(node: unknown, doc: Document): unknown {
  const n = node as { source?: string; resolve?: (d: Document) => unknown } | null;
  return n && typeof n.resolve === 'function' && typeof n.source === 'string' ? n.resolve(doc) : node;
}

/** A legacy v1 Compose file: a Compose file name and every document a v1 service map. */
function isLegacyCompose(text: string, path: string | undefined): boolean {
  if (!isComposeName(path) || text.length > 4 * 1024 * 1024) return false;
  const doc = parseDocument(text, { prettyErrors: false, strict: false });
  if (doc.errors.length) return false;
  return isLegacyComposeRoot(isMap(doc.contents) ? doc.contents : null, doc);
}

/**
 * Kubernetes if any document is an object (apiVersion + kind at its top level), else
 * Compose if a document has a top-level `services:` map or the file is a legacy v1 Compose
 * file (CONTRACT.md: a Compose file name and every top-level value a v1 service map).
 */
export function classifyYaml(text: string, path?: string): FileKind {
  let apiVersion = false;
  let kind = false;
  let services = false;
  const re = /^(?:(apiVersion|kind|services)[ \t]*:|(---))(.*)$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[2] === '---') {
      if (apiVersion && kind) return 'kubernetes';
      apiVersion = kind = false;
    } else if (m[1] === 'apiVersion') apiVersion = true;
    else if (m[1] === 'kind') kind = true;
    else if (m[1] === 'services') {
      const rest = m[3].replace(/#.*/, '').trim();
      if (rest.startsWith('{')) services = true;
      else if (rest === '') {
        // a block map must follow (not a list): the next content line is an indented key
        const next = /^(?:[ \t]*(?:#.*)?(?:\r\n|\r|\n))*([ \t]*)(-?)/.exec(text.slice(m.index + m[0].length + 1));
        if (next && next[1].length > 0 && next[2] !== '-') services = true;
      }
    }
  }
  if (apiVersion && kind) return 'kubernetes';
  if (services) return 'compose';
  return isLegacyCompose(text, path) ? 'compose' : 'unknown';
}

function classifyJson(text: string): FileKind {
  return /"apiVersion"\s*:/.test(text) && /"kind"\s*:/.test(text) ? 'kubernetes' : /"services"\s*:\s*\{/.test(text) ? 'compose' : 'unknown';
}
