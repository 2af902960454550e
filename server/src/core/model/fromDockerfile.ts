import { Attached } from '../attach';
import { instructionWords, type DockerInstruction, type DockerStage, type ParsedDockerfile } from '../parse/dockerfile';
import { defaultFacts, type ContainerSpec, type ContainerSetters, type PortFact, type UserFact } from './container';
import { parsePortSpec } from './ports';
import { expand, globalScope, memoizedInScope, parentStage, stageScope, unquote, type Expansion, type Scope } from './dockerVars';
import { memoizedValue, moveSpan } from '../parse/dockerMemo';
import { appendLine, endsInsideInstruction, insertLineAfter, insertLineBefore, replaceArguments } from '../edit/dockerfile';
import { matchesImagePattern, type ImageUse } from './images';
import { lookupImage, type ImageKnowledge } from './imageTable';
import { devServerIn, findPrivilegeDrop, type PrivilegeDrop } from './privilegeDrop';
import type { TextEdit } from '../types';

export interface DockerfileModel {
  parsed: ParsedDockerfile;
  finalStage: DockerStage | null;
  /** The final stage and the stages it is built FROM, final first. */
  chain: DockerStage[];
  /** The external image at the root of the chain, ARG defaults expanded. */
  baseImage: string | null;
  windows: boolean;
  container: ContainerSpec | null;
  /** Every FROM that pulls an image (not `scratch`, not an earlier stage), in order. */
  images: ImageUse[];
  /** VOLUME paths of the final stage and the stages it is built FROM (ARG/ENV defaults expanded; unknown ones left out). */
  volumes: string[];
}

export interface DockerfileOptions {
  nonRootImages: string[];
  /** The build target (a stage name): the stage that ships instead of the last one. */
  target?: string;
  /** Reads a file of the build context (the Dockerfile's folder), to check an entrypoint script it copies in. */
  read?: (relativePath: string) => string | undefined;
}

const WINDOWS_IMAGE = /(^|\/)windows(servercore|\b|\/)|nanoserver|windowsservercore/i;

export function isWindowsImage(ref: string): boolean {
  return /^mcr\.microsoft\.com\/windows/i.test(ref) || WINDOWS_IMAGE.test(ref);
}

/** Expands ARG defaults in a FROM image. */
export function resolveFromImage(df: ParsedDockerfile, stage: DockerStage): string | null {
  return expandFromImage(df, stage)?.value ?? null;
}

/** The same, saying whether a variable without a value was used (global ARGs only apply in FROM). */
export function expandFromImage(df: ParsedDockerfile, stage: DockerStage): Expansion | null {
  if (!stage.image) return null;
  return expand(stage.image, globalScope(df), new Map(), df.escape);
}

/**
 * The images a Dockerfile pulls: every FROM except `scratch` and earlier stages, also when
 * an ARG default names them (`ARG BASE=builder` … `FROM ${BASE}`).
 */
export function fromImages(df: ParsedDockerfile): ImageUse[] {
  const out: ImageUse[] = [];
  for (const stage of df.stages) {
    if (!stage.image || !stage.imageSpan || parentStage(df, stage)) continue;
    const x = expandFromImage(df, stage)!;
    const ref = x.value.trim();
    const lower = ref.toLowerCase();
    if (stage.image.toLowerCase() === 'scratch' || lower === 'scratch') continue;
    if (!x.unknown && earlierStageNamed(df, stage.index, lower)) continue;
    out.push({ ref, written: stage.image, span: stage.imageSpan, unknown: x.unknown || ref === '', owner: null });
  }
  return out;
}

/** Whether a stage before number `before` is named `name`. */
function earlierStageNamed(df: ParsedDockerfile, before: number, name: string): boolean {
  for (let i = 0; i < before; i++) if (df.stages[i].name === name) return true;
  return false;
}

export function buildDockerfileModel(df: ParsedDockerfile, opts: DockerfileOptions): DockerfileModel {
  const targeted = opts.target ? df.stages.find((st) => st.name === opts.target!.toLowerCase()) : undefined;
  const finalStage = targeted ?? (df.stages.length ? df.stages[df.stages.length - 1] : null);
  const chain: DockerStage[] = [];
  for (let s = finalStage; s && !chain.includes(s); s = parentStage(df, s)) chain.push(s);
  const root = chain[chain.length - 1];
  const baseImage = root ? resolveFromImage(df, root) : null;
  const windows = baseImage !== null && isWindowsImage(baseImage);
  const model: DockerfileModel = { parsed: df, finalStage, chain, baseImage, windows, container: null, images: fromImages(df), volumes: dockerfileVolumes(df, chain) };
  if (!finalStage) return model;
  const anchor = finalStage.imageSpan ?? finalStage.from.span;
  const { fact: user, stage: userStage } = resolveUser(df, chain, baseImage, opts);
  addUserFixSafety(df, chain, baseImage, user, opts);
  const safe = user.fix?.safe ?? false;
  const setters: ContainerSetters = {
    runAsUser: (uidGid) => {
      // Replace a root USER of the final stage, unless build steps follow it (they may need root):
      // then a USER goes before CMD/ENTRYPOINT instead.
      if (user.span && userStage === finalStage) {
        const ins = findInstructionAt(finalStage, user.span.start);
        const later = ins ? finalStage.instructions.slice(finalStage.instructions.indexOf(ins) + 1) : [];
        const edit = ins && !later.some((i) => BUILD_STEPS.has(i.keyword)) && replaceArguments(ins, uidGid);
        if (edit) return { edits: [edit], safe, caveat: user.fix?.caveat };
      }
      const insertion = userInsertion(df, finalStage, `USER ${uidGid}`);
      return insertion ? { edits: [insertion], safe, caveat: user.fix?.caveat } : null;
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
    ...defaultFacts(),
    platform: 'dockerfile',
    name: finalStage.name ? `final stage '${finalStage.name}'` : 'final stage',
    anchor,
    image: baseImage !== null && finalStage.imageSpan ? { ref: baseImage, raw: finalStage.image ?? '', span: finalStage.imageSpan } : null,
    user,
    windows,
    partial: false,
    builds: false,
    ports: chainPorts(df, chain),
    env: [],
    setters,
  };
  return model;
}

/** EXPOSE of the chain's stages (with ARG/ENV defaults expanded): the final stage inherits those of the stages it is built FROM. */
function chainPorts(df: ParsedDockerfile, chain: DockerStage[]): PortFact[] {
  const out: PortFact[] = [];
  for (let s = chain.length - 1; s >= 0; s--) {
    const stage = chain[s];
    for (const ins of stage.instructions) {
      if (ins.keyword !== 'EXPOSE') continue;
      // per instruction text and the variables it reads: kept across edits
      out.push(...memoizedInScope(df, stage, ins, 'ports', '', (scope, globals) => exposed(df, ins, scope, globals), movePorts));
    }
  }
  return out;
}

const movePorts = (ports: PortFact[], d: number): PortFact[] => ports.map((p) => ({ ...p, span: moveSpan(p.span, d) }));

function exposed(df: ParsedDockerfile, ins: DockerInstruction, scope: Scope, globals: Scope): PortFact[] {
  const out: PortFact[] = [];
  for (const a of ins.args) {
    const x = expand(a.value, scope, globals, df.escape);
    const p = parsePortSpec(x.unknown ? '' : x.value, a.span, 'expose', false);
    // keep the span of what is written, even when a variable was expanded
    if (p) out.push({ ...p, span: x.value === a.value ? p.span : a.span });
  }
  return out;
}

/** VOLUME paths of the chain's stages (a volume declared in a stage the final one is built FROM is inherited). */
function dockerfileVolumes(df: ParsedDockerfile, chain: DockerStage[]): string[] {
  const out: string[] = [];
  for (let s = chain.length - 1; s >= 0; s--) {
    const stage = chain[s];
    for (const ins of stage.instructions) {
      if (ins.keyword !== 'VOLUME') continue;
      const paths = memoizedInScope(df, stage, ins, 'volumes', '', (scope, globals) => {
        const found: string[] = [];
        for (const w of instructionWords(df, ins).words) {
          const x = expand(w.value, scope, globals, df.escape);
          if (x.unknown || !/^\//.test(x.value)) continue;
          found.push(x.value.replace(/\/+$/, '') || '/');
        }
        return found;
      }, (v) => v);
      for (const path of paths) if (!out.includes(path)) out.push(path);
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
function userInsertion(df: ParsedDockerfile, stage: DockerStage, line: string): TextEdit | null {
  const ins = stage.instructions;
  let lastBuildStep = -1;
  ins.forEach((i, n) => {
    if (BUILD_STEPS.has(i.keyword)) lastBuildStep = n;
  });
  const target = ins.find((i, n) => n > lastBuildStep && (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'));
  if (target) return insertLineBefore(df, target, line);
  // not while the file ends inside an instruction (an open heredoc, a continuation): the line would join it
  if (stage.index === df.stages.length - 1) return endsInsideInstruction(df) ? null : appendLine(df, line);
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
  if (nonRootImage(df, baseImage, opts)) {
    return { fact: { state: 'nonroot', detail: 'known-nonroot-image', value: baseImage }, stage: null };
  }
  return { fact: imageUser(baseImage, knowledgeOf(df, baseImage)), stage: null };
}

/** What the image table knows of an image (once per document and image while it is edited). */
function knowledgeOf(df: ParsedDockerfile, image: string): ReturnType<typeof lookupImage> {
  return df.memo ? df.memo.value(`image\0${image}`, () => lookupImage(image)) : lookupImage(image);
}

/** Whether the config's nonRootImages name an image (the memo is the config's: it is dropped when the config changes). */
function nonRootImage(df: ParsedDockerfile, image: string, opts: Pick<DockerfileOptions, 'nonRootImages'>): boolean {
  const match = () => opts.nonRootImages.some((p) => matchesImagePattern(image, p));
  return df.memo ? df.memo.value(`nonroot\0${image}`, match) : match();
}

/** The user of an image nothing overrides, from the image table (RULES.md, "Images"). */
export function imageUser(image: string, k = lookupImage(image)): UserFact {
  if (!k) return { state: 'unset', detail: 'image-default', value: image };
  const known = knownSummary(k);
  if (k.startsAs === 'nonroot') return { state: 'nonroot', detail: 'known-nonroot-image', value: image, known };
  if (k.stepsDown) return { state: 'unset', detail: 'steps-down', value: image, known, stepDown: { by: 'image', image, family: k.family, runsAs: k.runsAs } };
  return { state: 'unset', detail: 'image-default', value: image, known };
}

export function knownSummary(k: ImageKnowledge): NonNullable<UserFact['known']> {
  return { family: k.family, runsAs: k.runsAs, uid: k.uid, startsAs: k.startsAs };
}

/**
 * Whether replacing or inserting a USER is known not to break the image (RULES.md, "Fixes"):
 * only when nothing in the image switches user by itself (a base image that steps down, a
 * CMD/ENTRYPOINT or its script running gosu/su-exec/setpriv/runuser/su, a build step installing
 * one) and the base image is known to run as any uid (image table `anyUidSafe`, or scratch).
 * A drop the CMD/ENTRYPOINT performs also makes the user fact say so (`stepDown`).
 */
function addUserFixSafety(df: ParsedDockerfile, chain: DockerStage[], baseImage: string | null, user: UserFact, opts: DockerfileOptions): void {
  if (!chain.length) return;
  const { drop, unchecked } = findPrivilegeDrop(df, chain, opts.read);
  if (drop) {
    user.fix = { safe: false, caveat: dropCaveat(drop) };
    if (drop.where === 'runtime' && (user.state === 'root' || user.state === 'unset') && user.detail !== 'global-arg-not-redeclared') {
      user.stepDown = { by: 'tool', tool: drop.tool, line: drop.line, script: drop.script };
      if (user.state === 'unset') user.detail = 'steps-down';
    }
    return;
  }
  const root = chain[chain.length - 1];
  if (!baseImage || root.image?.toLowerCase() === 'scratch' || baseImage.toLowerCase() === 'scratch') {
    user.fix = unchecked ? { safe: false, caveat: uncheckedCaveat(unchecked) } : { safe: true };
    return;
  }
  const k = knowledgeOf(df, baseImage);
  if (k?.stepsDown) {
    user.fix = { safe: false, caveat: `${k.family} starts as root and switches to ${k.runsAs ?? 'its user'} itself` };
    return;
  }
  if (!k?.anyUidSafe) {
    user.fix = { safe: false, caveat: `the base image '${baseImage}' is not known to work as any uid` };
    return;
  }
  const dev = devServerIn(df, chain, opts.read);
  if (dev) {
    user.fix = { safe: false, caveat: `${dev} is a development server, which writes into the app's folder` };
    return;
  }
  user.fix = unchecked ? { safe: false, caveat: uncheckedCaveat(unchecked) } : { safe: true };
}

function dropCaveat(d: PrivilegeDrop): string {
  if (d.script) return `its entrypoint ${d.script} switches user with ${d.tool}`;
  return d.where === 'runtime' ? `its entrypoint switches user with ${d.tool}` : `it installs ${d.tool} to switch user at start`;
}

function uncheckedCaveat(script: string): string {
  return `its entrypoint ${script} was not checked for gosu/su-exec`;
}

/** The user a build step runs as: what the USER instructions before it (or the base image) leave. */
export interface UserAt {
  state: 'root' | 'nonroot' | 'unknown' | 'image-default' | 'known-nonroot-image';
  /** The USER argument as written, when a USER decides it. */
  written?: string;
  /** Its value with variables expanded, when known. */
  resolved?: string;
  /** The deciding USER is in this stage and no ARG/ENV comes between it and the step, so `written` means the same there. */
  sameScope: boolean;
}

/**
 * Per stage, computed once per parse: each instruction's index and, before each index, the
 * last USER (with arguments), SHELL and ARG/ENV. Rules ask "the user / shell before this
 * RUN" for every RUN; walking back through the stage each time made a long stage quadratic.
 */
interface StageIndex {
  position: Map<DockerInstruction, number>;
  /** lastUser[n]: index of the last USER with arguments before instruction n, or -1 (n = length: the whole stage). */
  lastUser: Int32Array;
  lastShell: Int32Array;
  lastVar: Int32Array;
}

const stageIndexes = new Attached<DockerStage, StageIndex>('stageIndex');

function stageIndex(stage: DockerStage): StageIndex {
  let x = stageIndexes.get(stage);
  if (x) return x;
  const ins = stage.instructions;
  const position = new Map<DockerInstruction, number>();
  const lastUser = new Int32Array(ins.length + 1);
  const lastShell = new Int32Array(ins.length + 1);
  const lastVar = new Int32Array(ins.length + 1);
  let user = -1;
  let shell = -1;
  let v = -1;
  for (let n = 0; n <= ins.length; n++) {
    lastUser[n] = user;
    lastShell[n] = shell;
    lastVar[n] = v;
    if (n === ins.length) break;
    const i = ins[n];
    position.set(i, n);
    if (i.keyword === 'USER' && i.args.length > 0) user = n;
    else if (i.keyword === 'SHELL') shell = n;
    else if (i.keyword === 'ARG' || i.keyword === 'ENV') v = n;
  }
  x = { position, lastUser, lastShell, lastVar };
  stageIndexes.set(stage, x);
  return x;
}

/** Where to look before `ins` in `st`: its index when `st` is the instruction's stage, else the end of `st`. */
function before(st: DockerStage, x: StageIndex, stage: DockerStage, ins: DockerInstruction): number {
  return st === stage ? (x.position.get(ins) ?? -1) : st.instructions.length;
}

/** The effective user just before `ins` in `stage`, following `FROM <earlier-stage>`. */
export function userBefore(df: ParsedDockerfile, stage: DockerStage, ins: DockerInstruction, opts: DockerfileOptions): UserAt {
  const chain: DockerStage[] = [];
  for (let s: DockerStage | null = stage; s && !chain.includes(s); s = parentStage(df, s)) chain.push(s);
  for (const st of chain) {
    const x = stageIndex(st);
    const end = before(st, x, stage, ins);
    const n = end < 0 ? -1 : x.lastUser[end];
    if (n < 0) continue;
    const user = st.instructions[n];
    const written = df.text.slice(user.args[0].span.start, user.args[user.args.length - 1].span.end);
    const xp = expand(unquote(written), stageScope(df, st, user), globalScope(df), df.escape);
    const sameScope = st === stage && x.lastVar[end] < n;
    const known = !xp.unknown && xp.value.split(':')[0] !== '';
    const resolved = known ? xp.value : undefined;
    const state = !known ? (xp.emptyGlobals.length ? 'root' : 'unknown') : isRootUser(xp.value) ? 'root' : 'nonroot';
    return { state, written, resolved, sameScope };
  }
  const root = chain[chain.length - 1];
  const image = resolveFromImage(df, root);
  if (!image || image.toLowerCase() === 'scratch') return { state: 'root', sameScope: false };
  if (nonRootImage(df, image, opts)) return { state: 'known-nonroot-image', sameScope: false };
  return { state: 'image-default', sameScope: false };
}

/**
 * The SHELL a shell-form instruction runs with (from SHELL in the stage or the stages it is
 * built FROM), or null for the platform default (`/bin/sh -c`, `cmd /S /C` on Windows).
 */
export function shellAt(df: ParsedDockerfile, stage: DockerStage, ins: DockerInstruction): string[] | null {
  const chain: DockerStage[] = [];
  for (let s: DockerStage | null = stage; s && !chain.includes(s); s = parentStage(df, s)) chain.push(s);
  for (const st of chain) {
    const x = stageIndex(st);
    const end = before(st, x, stage, ins);
    const n = end < 0 ? -1 : x.lastShell[end];
    if (n >= 0) {
      const shell = st.instructions[n];
      return memoizedValue(df, shell, 'shell', '', () => {
        const w = instructionWords(df, shell);
        return w.json ? w.words.map((y) => y.value) : null;
      });
    }
  }
  return null;
}

/**
 * What an ADD source fetches, as BuildKit decides it: a git repository (`git@…`, `git://`,
 * `ssh://`, or an http(s) URL whose path ends in `.git`), another http(s) URL, or a path in
 * the build context (or in the `--from` stage or image).
 */
export function addSourceKind(source: string): 'git' | 'http' | 'local' {
  if (/^(git@|git:\/\/|ssh:\/\/)/i.test(source)) return 'git';
  const m = /^https?:\/\/[^/?#]*([^?#]*)/i.exec(source);
  if (!m) return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) ? 'http' : 'local';
  return /\.git\/?$/i.test(m[1]) ? 'git' : 'http';
}
