import ignore from 'ignore';
import { isMap, isScalar, parseDocument } from 'yaml';
import { planSecretMount, type DockerProperty } from '../core/edit/buildkit';
import type { WorkspaceView } from '../core/engine';
import type { DockerInstruction, DockerStage, ParsedDockerfile } from '../core/parse/dockerfile';
import type { RuleContext } from '../core/rule';
import type { FileRequest, Fix } from '../core/types';
import { fileExists, ignoreRequests, ROTATE, safeSideFiles, secretId } from './files';
import { literalRegion } from './values';

export const buildSecretTitle = (name: string, id: string, file: string | null, runtimeEnv: boolean) =>
  `Move ${name} to a build secret (RUN --mount=type=secret,id=${id},env=${name}${file ? `; value written to ${file}, git- and docker-ignored; build with --secret id=${id},src=${file}` : `; build with --secret id=${id},env=${name}`}${runtimeEnv ? `; containers no longer get ${name} at run time` : ''}); ${ROTATE}`;

/** How many `.secrets/<id>`, `<id>_2` … names a fix tries before it gives up. */
const MAX_SECRET_FILES = 9;

/**
 * The build-secret fix for an ENV or ARG that RUN reads at build time (shared with
 * no-secrets-in-build-args): the value goes to a new `.secrets/<id>` (when there is one).
 * An existing file is never reused or written into (it may hold another value, or be one
 * the editor cannot read): the next free name is taken, and without one no fix is offered.
 * Nor is one offered when the Dockerfile's build context is known to be a folder above it
 * whose `.dockerignore` does not already keep `.secrets/` out (the fix writes only beside
 * the Dockerfile).
 */
export function buildSecretFix(ctx: RuleContext, df: ParsedDockerfile, decl: { ins: DockerInstruction; prop: DockerProperty; stage: DockerStage | null }): Fix[] {
  const { prop } = decl;
  let value: string | null = null;
  if (prop.value !== null) {
    const region = literalRegion(prop.value);
    if (!region) return [];
    value = prop.value.slice(region.start, region.end);
    if (region.start > 0 && !/^\$\{[A-Za-z_][A-Za-z0-9_]*:?-$/.test(prop.value.slice(0, region.start))) return [];
    if (/\$/.test(value)) return [];
  }
  const ws = ctx.file.workspace;
  let id = secretId(prop.name);
  if (value !== null) {
    const free = freeSecretId(ws, id);
    if (free === null) return [];
    id = free;
  }
  const plan = planSecretMount(df, decl, id);
  if (!plan) return [];
  const chain = ctx.file.dockerfile?.chain ?? [];
  const runtimeEnv = decl.ins.keyword === 'ENV' && decl.stage !== null && chain.includes(decl.stage);
  const file = value !== null ? `.secrets/${id}` : null;
  let files: FileRequest[] = [];
  if (file) {
    const context = dockerignoreHere(ws, ctx.file.path);
    if (context === null) return [];
    const ignores = safeSideFiles(ignoreRequests(ws, ctx.file.path, '.secrets/', context), ws);
    const own = safeSideFiles([{ path: file, kind: 'create', text: value! }], ws);
    if (!ignores || !own) return [];
    files = [...own, ...ignores];
  }
  return [{
    title: buildSecretTitle(prop.name, id, file, runtimeEnv),
    preferred: false,
    edits: plan.edits,
    ...(files.length ? { files } : {}),
  }];
}

/** The first of `<id>`, `<id>_2` … `<id>_9` with no `.secrets/` file yet, or null. */
export function freeSecretId(ws: WorkspaceView | undefined, base: string): string | null {
  for (let n = 1; n <= MAX_SECRET_FILES; n++) {
    const id = n === 1 ? base : `${base}_${n}`;
    if (!fileExists(ws, `.secrets/${id}`)) return id;
  }
  return null;
}

const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
/** Compose files above this size are not read for build contexts. */
const MAX_COMPOSE_CHARS = 512 * 1024;

/** Resolves a relative path against a folder (path parts from the workspace view's root); null when it climbs above it. */
function resolve(folder: string[], rel: string): string[] | null {
  const out = [...folder];
  for (const part of rel.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') out.push(part);
    else if (out.length) out.pop();
    else return null;
  }
  return out;
}

/**
 * The build contexts Compose files give this Dockerfile, as paths relative to its folder
 * ('.' is its own folder, '..' the one above): every `build:` of a Compose file in this
 * folder or above (up to the repository root) whose Dockerfile is this file.
 */
export function composeBuildContexts(ws: WorkspaceView | undefined, filePath: string | undefined): string[] {
  if (!ws || !filePath) return [];
  const folders = filePath.replace(/\\/g, '/').split('/').filter(Boolean);
  const name = folders.pop();
  if (!name) return [];
  const self = [...folders, name].join('/');
  const out: string[] = [];
  for (let up = 0; up <= Math.min(folders.length, 8); up++) {
    const prefix = '../'.repeat(up);
    const composeDir = folders.slice(0, folders.length - up);
    for (const composeName of COMPOSE_NAMES) {
      const text = ws.read(`${prefix}${composeName}`);
      if (text === undefined || text.length > MAX_COMPOSE_CHARS) continue;
      for (const b of buildsIn(text)) {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(b.context) || b.context.startsWith('/') || b.dockerfile.startsWith('/')) continue;
        const context = resolve(composeDir, b.context);
        const dockerfile = context && resolve(context, b.dockerfile);
        if (!context || dockerfile?.join('/') !== self) continue;
        // the context relative to the Dockerfile's folder
        let common = 0;
        while (common < context.length && common < folders.length && context[common] === folders[common]) common++;
        out.push([...Array<string>(folders.length - common).fill('..'), ...context.slice(common)].join('/') || '.');
      }
    }
    if (ws.read(`${prefix}.git/HEAD`) !== undefined) break;
  }
  return out;
}

/** `build:` of every service: the context and the Dockerfile path in it. */
function buildsIn(text: string): { context: string; dockerfile: string }[] {
  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: false, strict: false, uniqueKeys: false });
  } catch {
    return [];
  }
  const services = isMap(doc.contents) ? doc.contents.get('services', true) : null;
  if (!isMap(services)) return [];
  const out: { context: string; dockerfile: string }[] = [];
  for (const p of services.items) {
    const svc = p.value;
    if (!isMap(svc)) continue;
    const b = svc.get('build', true);
    if (isScalar(b) && typeof b.value === 'string') out.push({ context: b.value, dockerfile: 'Dockerfile' });
    else if (isMap(b) && !b.has('dockerfile_inline')) {
      const c = b.get('context');
      const d = b.get('dockerfile');
      out.push({ context: typeof c === 'string' ? c : '.', dockerfile: typeof d === 'string' ? d : 'Dockerfile' });
    }
  }
  return out;
}

/**
 * Where `.secrets/` must be docker-ignored: true when the Dockerfile's folder is its build
 * context (the CLI's and editor's default; a Compose `build:` may say otherwise), false when
 * no `.dockerignore` line is needed (every known context leaves the folder out, or one above
 * already ignores it), null when a context above it does not ignore it: the fix cannot write
 * there (side files stay beside the Dockerfile), so it is not offered.
 */
export function dockerignoreHere(ws: WorkspaceView | undefined, filePath: string | undefined): boolean | null {
  const contexts = composeBuildContexts(ws, filePath);
  if (contexts.length === 0) return true;
  const folders = (filePath ?? '').replace(/\\/g, '/').split('/').filter(Boolean).slice(0, -1);
  let here = false;
  for (const c of new Set(contexts)) {
    if (c === '.') {
      here = true;
      continue;
    }
    const parts = c.split('/');
    if (!parts.every((x) => x === '..')) continue; // a folder below or beside: `.secrets/` is not in it
    if (parts.length > folders.length) return null;
    const below = [...folders.slice(folders.length - parts.length), '.secrets/'].join('/');
    const text = ws?.read(`${c}/.dockerignore`);
    if (text === undefined || !ignore().add(text).ignores(below)) return null;
  }
  return here;
}
