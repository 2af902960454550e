import type { DockerInstruction, DockerStage, ParsedDockerfile } from '../parse/dockerfile';
import { parentStage } from '../model/dockerVars';
import type { TextEdit } from '../types';

/**
 * Dockerfile edits that turn a build arg or ENV holding a secret into a BuildKit secret
 * mount: the declaration goes, each RUN that reads the variable gets
 * `--mount=type=secret,id=<id>,env=<NAME>,required=true` (Dockerfile syntax 1.10+), and
 * `# syntax=docker/dockerfile:1` becomes the first line. Never writes above a directive.
 */

export type DockerProperty = DockerInstruction['properties'][number];

export interface SecretDeclaration {
  ins: DockerInstruction;
  prop: DockerProperty;
  /** null for a global ARG (before the first FROM). */
  stage: DockerStage | null;
}

export interface SecretMountPlan {
  edits: TextEdit[];
  /** The RUN instructions that read the variable. */
  runs: DockerInstruction[];
}

const SYNTAX = '# syntax=docker/dockerfile:1';
/** Frontends that know `env=` on secret mounts: dockerfile:1 (latest 1.x), labs, 1.10 and later. */
const MODERN = /^(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?:(?:1|labs|1-labs|latest|1\.(?:[1-9][0-9]+)(?:\.[0-9]+)?(?:-labs)?)(?:@sha256:[0-9a-f]{64})?$/;
const DOCKER_FRONTEND = /^(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?:/;

function references(text: string, name: string): boolean {
  return new RegExp(`\\$(?:${name}(?![A-Za-z0-9_])|\\{${name}(?![A-Za-z0-9_]))`).test(text);
}

/** The instruction's text after its keyword. */
function body(df: ParsedDockerfile, ins: DockerInstruction): string {
  return df.text.slice(ins.keywordSpan.end, ins.span.end);
}

/** Stages built FROM `stage`, directly or through others (ENV is inherited there). */
function descendants(df: ParsedDockerfile, stage: DockerStage): DockerStage[] {
  return df.stages.filter((s) => {
    const seen = new Set<number>();
    for (let p = parentStage(df, s); p && !seen.has(p.index); p = parentStage(df, p)) {
      if (p === stage) return true;
      seen.add(p.index);
    }
    return false;
  });
}

/** Removes one `NAME=value` of an ENV/ARG, or the whole instruction (its lines) when it is the only one. */
export function removeProperty(df: ParsedDockerfile, ins: DockerInstruction, prop: DockerProperty): TextEdit {
  const props = ins.properties;
  const i = props.indexOf(prop);
  if (props.length <= 1 || i < 0) {
    const first = df.index.positionAt(ins.span.start).line;
    const last = df.index.positionAt(ins.span.end).line;
    const start = df.index.lineStart(first);
    const end = last + 1 < df.index.lineCount ? df.index.lineStart(last + 1) : df.text.length;
    return { start, end, text: '' };
  }
  const endOf = (p: DockerProperty) => (p.valueSpan ?? p.nameSpan).end;
  if (i < props.length - 1) return { start: prop.nameSpan.start, end: props[i + 1].nameSpan.start, text: '' };
  return { start: endOf(props[i - 1]), end: endOf(prop), text: '' };
}

/** Adds the secret mount right after the RUN keyword; null when the RUN already mounts it. */
export function addSecretMount(ins: DockerInstruction, id: string, env: string): TextEdit | null {
  const have = ins.flags.some((f) => f.name === 'mount' && f.value !== null && /(?:^|,)type=secret(?:,|$)/.test(f.value) && new RegExp(`(?:^|,)id=${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:,|$)`).test(f.value));
  if (have) return null;
  const at = ins.keywordSpan.end;
  return { start: at, end: at, text: ` --mount=type=secret,id=${id},env=${env},required=true` };
}

/**
 * Makes `# syntax=docker/dockerfile:1` the first line: inserted at the top (a new first
 * directive), or an older docker/dockerfile version raised. Null: nothing to do.
 * 'unsupported': a custom frontend whose support for `env=` is unknown.
 */
export function ensureModernSyntax(df: ParsedDockerfile): TextEdit | null | 'unsupported' {
  const d = df.directives.find((x) => x.name === 'syntax');
  if (!d) return { start: 0, end: 0, text: SYNTAX + df.index.eol };
  const value = d.value.trim();
  if (MODERN.test(value)) return null;
  if (!DOCKER_FRONTEND.test(value)) return 'unsupported';
  const at = df.text.indexOf(value, d.span.start);
  if (at < 0 || at >= d.span.end) return 'unsupported';
  return { start: at, end: at + value.length, text: 'docker/dockerfile:1' };
}

/**
 * The edits that move a declared variable to a secret mount, or null when the variable is
 * read by anything but RUN (a mount exists for RUN only), is declared again, or no RUN reads
 * it (a variable read at run time has no build-time replacement).
 */
export function planSecretMount(df: ParsedDockerfile, decl: SecretDeclaration, id: string): SecretMountPlan | null {
  const name = decl.prop.name;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return null;
  const declarations: { ins: DockerInstruction; prop: DockerProperty }[] = [{ ins: decl.ins, prop: decl.prop }];
  const scope: DockerInstruction[] = [];
  if (decl.stage === null) {
    // a global ARG: visible in FROM lines, and in the stages that redeclare it without a value
    if (df.stages.some((s) => references(body(df, s.from), name))) return null;
    if (df.globalArgs.some((a) => a !== decl.ins && (references(body(df, a), name) || a.properties.some((p) => p.name === name)))) return null;
    for (const s of df.stages) {
      const at = s.instructions.findIndex((i) => i.keyword === 'ARG' && i.properties.some((p) => p.name === name));
      if (at < 0) continue;
      const re = s.instructions[at];
      const p = re.properties.find((x) => x.name === name)!;
      if (p.value !== null) return null;
      declarations.push({ ins: re, prop: p });
      scope.push(...s.instructions.slice(at + 1));
    }
  } else {
    const own = decl.stage.instructions;
    scope.push(...own.slice(own.indexOf(decl.ins) + 1));
    // other pairs of the same instruction may read it (`ENV A=x B=$A`)
    if (decl.ins.properties.some((p) => p !== decl.prop && p.value !== null && references(p.value, name))) return null;
    if (decl.ins.keyword === 'ENV') for (const s of descendants(df, decl.stage)) scope.push(...s.instructions);
  }
  const runs: DockerInstruction[] = [];
  for (const ins of scope) {
    if ((ins.keyword === 'ARG' || ins.keyword === 'ENV') && ins.properties.some((p) => p.name === name)) {
      if (declarations.some((d) => d.ins === ins)) continue;
      return null;
    }
    if (!references(body(df, ins), name)) continue;
    if (ins.keyword !== 'RUN') return null;
    runs.push(ins);
  }
  if (runs.length === 0) return null;
  const syntax = ensureModernSyntax(df);
  if (syntax === 'unsupported') return null;
  const edits: TextEdit[] = [];
  if (syntax) edits.push(syntax);
  for (const d of declarations) edits.push(removeProperty(df, d.ins, d.prop));
  for (const r of runs) {
    const e = addSecretMount(r, id, name);
    if (e) edits.push(e);
  }
  return { edits: joinSameStart(edits), runs };
}

/** One edit per offset: the `# syntax=` line inserted at 0 and a declaration removed from 0 become one. */
function joinSameStart(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const prev = out[out.length - 1];
    if (prev && prev.start === e.start && prev.end === prev.start) out[out.length - 1] = { start: e.start, end: e.end, text: prev.text + e.text };
    else out.push(e);
  }
  return out;
}
