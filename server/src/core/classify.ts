import type { FileKind } from './types';

/** What a file name says about its kind, before looking at its content. */
export type NameHint = 'dockerfile' | 'yaml' | 'json' | 'config' | 'none';

export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? '';
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
  if (lang && YAML_LANGUAGE_IDS.has(lang)) return classifyYaml(text);
  if (lang === 'json' || hint === 'json') return classifyJson(text);
  if (hint === 'yaml') return classifyYaml(text);
  // No name or language id: sniff.
  if (/^\s*(#[^\n]*\n\s*)*(FROM|ARG)\s/i.test(text)) return 'dockerfile';
  const t = text.trimStart();
  if (t.startsWith('{')) return classifyJson(text);
  return classifyYaml(text);
}

/**
 * Kubernetes if any document is an object (apiVersion + kind at its top level), else
 * Compose if a document has a top-level `services:` map.
 */
export function classifyYaml(text: string): FileKind {
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
  return services ? 'compose' : 'unknown';
}

function classifyJson(text: string): FileKind {
  return /"apiVersion"\s*:/.test(text) && /"kind"\s*:/.test(text) ? 'kubernetes' : /"services"\s*:\s*\{/.test(text) ? 'compose' : 'unknown';
}
