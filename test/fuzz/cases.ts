/**
 * One fuzz case: a generated file (Dockerfile, Compose file or Kubernetes manifest) after
 * its mutations, the secrets planted in it, the path it is analysed under, a configuration
 * and sometimes the files beside it (a service's Dockerfile, a .gitignore, a kustomization).
 */
import fc from 'fast-check';
import type { ConfigLayer } from '../../server/src/core/config';
import { composeArb } from './compose';
import { dockerfileArb } from './dockerfile';
import { kubernetesArb } from './kubernetes';
import { heldBack } from './flags';
import { mutate, mutationsArb, type Mutation } from './mutate';
import { plant } from './secrets';

export type FuzzKind = 'dockerfile' | 'compose' | 'kubernetes';

export interface FuzzCase {
  kind: FuzzKind;
  path: string;
  text: string;
  /** Every planted secret value (of this file and of its workspace files). */
  secrets: string[];
  config: ConfigLayer;
  /** Files beside the analysed one, by path relative to its folder. */
  workspace?: Record<string, string>;
  /** What was done to the generated text, for reports. */
  mutations: string[];
  /** Which of the fixes fix-all does not take are applied alone (an index, modulo their count). */
  pick: number;
}

const configArb: fc.Arbitrary<ConfigLayer> = fc.constantFrom<ConfigLayer>(
  {},
  {},
  { preset: 'strict' },
  { preset: 'strict', trustedRegistries: ['registry.example.com', 'ghcr.io/org'] },
  { defaultUser: '1000' },
  { compose: { target: 'stack' }, nonRootImages: ['example/*', '********x'] },
).map((c) => (c.nonRootImages && heldBack('ISSUE11_ITEM5_GLOB_REDOS') ? { ...c, nonRootImages: ['example/*', '**x'] } : c));

const describe = (m: Mutation) => `${m.kind}(${m.at % 1000},${m.n % 1000})`;

const BREAKING = new Set(['truncate', 'junk', 'tab', 'dup-line', 'drop-line', 'indent-shift', 'helm']);

function applyAll(text: string, ms: Mutation[], platform: 'dockerfile' | 'yaml'): string {
  let out = text;
  const broken = ms.some((m) => BREAKING.has(m.kind));
  for (const m of ms) {
    if (platform === 'yaml' && broken && (m.kind === 'crlf' || m.kind === 'mixed-eol') && heldBack('ISSUE11_ITEM9_CRLF_POSITIONS')) continue;
    out = mutate(out, m, platform);
  }
  return out;
}

const dockerfileCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(dockerfileArb, mutationsArb('dockerfile'), configArb, fc.constantFrom('Dockerfile', 'build/Dockerfile.prod', 'app.dockerfile', 'Containerfile'), fc.nat(1000))
  .map(([marked, ms, config, path, pick]) => {
    const { text, secrets } = plant(marked);
    let out = applyAll(text, ms, 'dockerfile');
    if (heldBack('ISSUE11_ITEM4_FIXALL_NEVER_ENDS')) out = closeOpenEnd(out);
    return { kind: 'dockerfile' as const, path, text: out, secrets, config, mutations: ms.map(describe), pick };
  });

const composeCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(composeArb, mutationsArb('yaml'), configArb, fc.constantFrom('compose.yaml', 'docker-compose.yml', 'deploy/docker-stack.yml', 'compose.override.yaml'), fc.option(dockerfileArb, { nil: undefined }), fc.boolean(), fc.nat(1000))
  .map(([marked, ms, config, path, dockerfile, gitignore, pick]) => {
    const { text, secrets } = plant(marked);
    const workspace: Record<string, string> = {};
    if (dockerfile !== undefined) {
      const df = plant(dockerfile);
      workspace.Dockerfile = df.text;
      workspace['api/Dockerfile'] = df.text;
      secrets.push(...df.secrets);
    }
    if (gitignore) workspace['.gitignore'] = '.env\n.secrets/\n';
    return { kind: 'compose' as const, path, text: applyAll(text, ms, 'yaml'), secrets, config, workspace: Object.keys(workspace).length ? workspace : undefined, mutations: ms.map(describe), pick };
  });

const kubernetesCase: fc.Arbitrary<FuzzCase> = fc
  .tuple(kubernetesArb, mutationsArb('yaml'), configArb, fc.constantFrom('k8s/deploy.yaml', 'manifest.yml', 'chart/templates/deployment.yaml', 'deploy.yaml'), fc.boolean(), fc.nat(1000))
  .map(([k, ms, config, yamlPath, kustomize, pick]) => {
    const { text, secrets } = plant(k.text);
    const path = k.json ? 'k8s/deploy.json' : yamlPath;
    const workspace = kustomize ? { 'kustomization.yaml': 'resources:\n  - deploy.yaml\npatches:\n  - path: manifest.yml\n', '.gitignore': '*-secrets.env\n' } : undefined;
    return { kind: 'kubernetes' as const, path, text: applyAll(text, ms, 'yaml'), secrets, config, workspace, mutations: ms.map(describe), pick };
  });

export const caseArb: Record<FuzzKind, fc.Arbitrary<FuzzCase>> = { dockerfile: dockerfileCase, compose: composeCase, kubernetes: kubernetesCase };

/**
 * Ends a Dockerfile that stops inside a heredoc or a line continuation (truncation, a
 * duplicated heredoc line): the terminators, or one more word. Only while the issue 11 item 4
 * flag holds that feature back.
 */
export function closeOpenEnd(text: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  const pending: { tag: string; dash: boolean }[] = [];
  for (const line of lines) {
    if (pending.length) {
      const p = pending[0];
      if ((p.dash ? line.replace(/^\t+/, '') : line) === p.tag) pending.shift();
      continue;
    }
    if (/^\s*#/.test(line)) continue;
    for (const m of line.matchAll(/<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)) pending.push({ tag: m[3], dash: m[1] === '-' });
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let out = text;
  if (pending.length) out += (out.endsWith('\n') || out === '' ? '' : eol) + pending.map((p) => p.tag).join(eol) + eol;
  const lastWords = out.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '' && !/^\s*#/.test(l)).pop() ?? '';
  if (/\\\s*$/.test(lastWords)) out += (out.endsWith('\n') ? '' : eol) + `  true${eol}`;
  return out;
}

/** The case as text for a report: secrets replaced by `<secret N: L chars>`, control characters escaped. */
export function describeCase(c: FuzzCase): string {
  let text = c.text;
  c.secrets.forEach((s, i) => {
    text = text.split(s).join(`<secret ${i + 1}: ${s.length} chars>`);
  });
  // long runs (the long-line mutation) shortened: "A1b2C3d4" repeated 400 times -> «A1b2C3d4 x400»
  text = text.replace(/(.{1,8}?)\1{15,}/g, (m, unit: string) => `«${unit} x${m.length / unit.length}»`);
  const ws = c.workspace ? `\nworkspace files: ${Object.keys(c.workspace).join(', ')}` : '';
  return `path: ${c.path}\npick: ${c.pick}\nconfig: ${JSON.stringify(c.config)}\nmutations: ${c.mutations.join(' ') || '(none)'}${ws}\ntext (JSON string):\n${JSON.stringify(text)}`;
}
