import type { DockerInstruction, DockerStage, ParsedDockerfile } from '../parse/dockerfile';
import type { ContainerSpec, ContainerSetters, PortFact, UserFact } from './container';
import { parsePortSpec } from './ports';
import { expand, globalScope, parentStage, stageScope, unquote } from './dockerVars';
import { appendLine, insertLineAfter, insertLineBefore, replaceArguments } from '../edit/dockerfile';
import { matchesImagePattern } from './images';

export interface DockerfileModel {
  parsed: ParsedDockerfile;
  finalStage: DockerStage | null;
  /** The final stage and the stages it is built FROM, final first. */
  chain: DockerStage[];
  /** The external image at the root of the chain, ARG defaults expanded. */
  baseImage: string | null;
  windows: boolean;
  container: ContainerSpec | null;
}

export interface DockerfileOptions {
  nonRootImages: string[];
}

const WINDOWS_IMAGE = /(^|\/)windows(servercore|\b|\/)|nanoserver|windowsservercore/i;

export function isWindowsImage(ref: string): boolean {
  return /^mcr\.microsoft\.com\/windows/i.test(ref) || WINDOWS_IMAGE.test(ref);
}

/** Expands ARG defaults in a FROM image. */
export function resolveFromImage(df: ParsedDockerfile, stage: DockerStage): string | null {
  if (!stage.image) return null;
  const globals = globalScope(df);
  return expand(stage.image, globals, new Map(), df.escape).value;
}

export function buildDockerfileModel(df: ParsedDockerfile, opts: DockerfileOptions): DockerfileModel {
  const finalStage = df.stages.length ? df.stages[df.stages.length - 1] : null;
  const chain: DockerStage[] = [];
  for (let s = finalStage; s && !chain.includes(s); s = parentStage(df, s)) chain.push(s);
  const root = chain[chain.length - 1];
  const baseImage = root ? resolveFromImage(df, root) : null;
  const windows = baseImage !== null && isWindowsImage(baseImage);
  const model: DockerfileModel = { parsed: df, finalStage, chain, baseImage, windows, container: null };
  if (!finalStage) return model;
  const anchor = finalStage.imageSpan ?? finalStage.from.span;
  const { fact: user, stage: userStage } = resolveUser(df, chain, baseImage, opts);
  const setters: ContainerSetters = {
    runAsUser: (uidGid) => {
      // Replace a root USER of the final stage, unless build steps follow it (they may need root):
      // then a USER goes before CMD/ENTRYPOINT instead.
      if (user.span && userStage === finalStage) {
        const ins = findInstructionAt(finalStage, user.span.start);
        const later = ins ? finalStage.instructions.slice(finalStage.instructions.indexOf(ins) + 1) : [];
        const edit = ins && !later.some((i) => BUILD_STEPS.has(i.keyword)) && replaceArguments(ins, uidGid);
        if (edit) return { edits: [edit], safe: true };
      }
      return { edits: [userInsertion(df, finalStage, `USER ${uidGid}`)], safe: true };
    },
    repairUser: () => {
      if (user.detail !== 'global-arg-not-redeclared' || !user.argName || !userStage) return null;
      return {
        title: `Redeclare ARG ${user.argName} in ${userStage === finalStage ? 'the final stage' : `stage '${user.fromName}'`}`,
        preferred: true,
        edits: [insertLineAfter(df, userStage.from, `ARG ${user.argName}`)],
      };
    },
  };
  model.container = {
    platform: 'dockerfile',
    name: finalStage.name ? `final stage '${finalStage.name}'` : 'final stage',
    anchor,
    image: baseImage !== null && finalStage.imageSpan ? { ref: baseImage, raw: finalStage.image ?? '', span: finalStage.imageSpan } : null,
    user,
    windows,
    partial: false,
    builds: false,
    ports: dockerfilePorts(df, finalStage),
    env: [],
    setters,
  };
  return model;
}

/** EXPOSE of the final stage (with ARG/ENV defaults expanded). */
function dockerfilePorts(df: ParsedDockerfile, stage: DockerStage): PortFact[] {
  const out: PortFact[] = [];
  for (const ins of stage.instructions) {
    if (ins.keyword !== 'EXPOSE') continue;
    const scope = stageScope(df, stage, ins);
    for (const a of ins.args) {
      const x = expand(a.value, scope, globalScope(df), df.escape);
      const p = parsePortSpec(x.unknown ? '' : x.value, a.span, 'expose', false);
      // keep the span of what is written, even when a variable was expanded
      if (p) out.push({ ...p, span: x.value === a.value ? p.span : a.span });
    }
  }
  return out;
}

const BUILD_STEPS = new Set(['RUN', 'COPY', 'ADD']);

function findInstructionAt(stage: DockerStage, offset: number): DockerInstruction | undefined {
  return stage.instructions.find((i) => i.span.start <= offset && offset < i.span.end);
}

/**
 * Where USER goes: before the first CMD/ENTRYPOINT that no RUN follows (so later build
 * steps keep their user), else at the end of the stage.
 */
function userInsertion(df: ParsedDockerfile, stage: DockerStage, line: string) {
  const ins = stage.instructions;
  let lastBuildStep = -1;
  ins.forEach((i, n) => {
    if (BUILD_STEPS.has(i.keyword)) lastBuildStep = n;
  });
  const target = ins.find((i, n) => n > lastBuildStep && (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'));
  if (target) return insertLineBefore(df, target, line);
  if (stage.index === df.stages.length - 1) return appendLine(df, line);
  const last = ins[ins.length - 1] ?? stage.from;
  return insertLineAfter(df, last, line);
}

export function isRootUser(user: string): boolean {
  const name = user.split(':')[0].trim();
  return name === 'root' || /^0+$/.test(name);
}

function resolveUser(df: ParsedDockerfile, chain: DockerStage[], baseImage: string | null, opts: DockerfileOptions): { fact: UserFact; stage: DockerStage | null } {
  const final = chain[0];
  for (const stage of chain) {
    const users = stage.instructions.filter((i) => i.keyword === 'USER' && i.args.length > 0);
    const last = users[users.length - 1];
    if (!last) continue;
    const written = df.text.slice(last.args[0].span.start, last.args[last.args.length - 1].span.end);
    const span = { start: last.args[0].span.start, end: last.args[last.args.length - 1].span.end };
    const scope = stageScope(df, stage, last);
    const x = expand(unquote(written), scope, globalScope(df), df.escape);
    const inherited = stage !== final;
    const base: Partial<UserFact> = inherited
      ? { fromLine: df.index.positionAt(last.span.start).line, fromName: stage.name ?? `stage ${stage.index + 1}` }
      : {};
    if (x.emptyGlobals.length && (x.value.split(':')[0] === '' || isRootUser(x.value))) {
      return { fact: { state: 'root', detail: 'global-arg-not-redeclared', value: written, span, argName: x.emptyGlobals[0], ...base }, stage };
    }
    if (x.unknown) return { fact: { state: 'unknown', detail: inherited ? 'inherited' : 'explicit', value: written, span, ...base }, stage };
    return {
      fact: { state: isRootUser(x.value) ? 'root' : 'nonroot', detail: inherited ? 'inherited' : 'explicit', value: written, span, ...base },
      stage,
    };
  }
  const root = chain[chain.length - 1];
  if (!baseImage || root.image?.toLowerCase() === 'scratch' || baseImage.toLowerCase() === 'scratch') {
    return { fact: { state: 'root', detail: 'scratch' }, stage: null };
  }
  if (opts.nonRootImages.some((p) => matchesImagePattern(baseImage, p))) {
    return { fact: { state: 'nonroot', detail: 'known-nonroot-image', value: baseImage }, stage: null };
  }
  return { fact: { state: 'unset', detail: 'image-default', value: baseImage }, stage: null };
}
