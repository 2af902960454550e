import type { DockerInstruction, DockerStage, ParsedDockerfile } from '../parse/dockerfile';

export interface VarDef {
  /** null: declared without a value (ARG NAME), so set only by --build-arg. */
  value: string | null;
  source: 'arg' | 'env';
}

export type Scope = Map<string, VarDef>;

export interface Expansion {
  value: string;
  /** A variable with no value anywhere was used: the result is not known offline. */
  unknown: boolean;
  /** Global ARGs used but not redeclared in the stage (they expand to empty). */
  emptyGlobals: string[];
}

/** Global ARG defaults, which apply in FROM lines and to ARGs redeclared in a stage. */
export function globalScope(df: ParsedDockerfile): Scope {
  const scope: Scope = new Map();
  for (const ins of df.globalArgs) declareArgs(ins, scope, scope, df.escape);
  return scope;
}

function declareArgs(ins: DockerInstruction, scope: Scope, globals: Scope, escape: string): void {
  for (const p of ins.properties) {
    if (p.value === null) {
      const g = globals.get(p.name);
      scope.set(p.name, { value: g?.value ?? null, source: 'arg' });
    } else {
      scope.set(p.name, { value: expand(unquote(p.value), scope, globals, escape).value, source: 'arg' });
    }
  }
}

/**
 * The variables visible just before `upTo` in `stage` (or at its end), following
 * `FROM <stage>` for ENV (ARG does not carry over between stages).
 */
export function stageScope(df: ParsedDockerfile, stage: DockerStage, upTo?: DockerInstruction, seen = new Set<number>()): Scope {
  const globals = globalScope(df);
  const scope: Scope = new Map();
  const parent = parentStage(df, stage);
  if (parent && !seen.has(parent.index)) {
    seen.add(parent.index);
    for (const [k, v] of stageScope(df, parent, undefined, seen)) if (v.source === 'env') scope.set(k, v);
  }
  for (const ins of stage.instructions) {
    if (ins === upTo) break;
    if (ins.keyword === 'ARG') declareArgs(ins, scope, globals, df.escape);
    else if (ins.keyword === 'ENV') {
      for (const p of ins.properties) {
        scope.set(p.name, { value: expand(unquote(p.value ?? ''), scope, globals, df.escape).value, source: 'env' });
      }
    }
  }
  return scope;
}

/** The earlier stage a stage is built `FROM`, if its image names one. */
export function parentStage(df: ParsedDockerfile, stage: DockerStage): DockerStage | null {
  if (!stage.image) return null;
  const name = stage.image.toLowerCase();
  for (let i = stage.index - 1; i >= 0; i--) if (df.stages[i].name === name) return df.stages[i];
  return null;
}

export function unquote(s: string): string {
  if (s.length >= 2 && ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'")))) return s.slice(1, -1);
  return s;
}

const VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Expands $X, ${X}, ${X:-word}, ${X-word}, ${X:+word}, ${X+word} as BuildKit does when
 * no --build-arg is given. `globals` are the global ARGs: one that is not in `scope`
 * expands to empty and is recorded.
 */
export function expand(text: string, scope: Scope, globals: Scope, escape = '\\'): Expansion {
  let unknown = false;
  const emptyGlobals: string[] = [];
  let out = '';
  let last = 0;
  VAR.lastIndex = 0;
  for (let m = VAR.exec(text); m; m = VAR.exec(text)) {
    if (m.index > 0 && text[m.index - 1] === escape) {
      out += text.slice(last, m.index - 1) + m[0];
      last = m.index + m[0].length;
      continue;
    }
    out += text.slice(last, m.index);
    last = m.index + m[0].length;
    const name = m[1] ?? m[4];
    const op = m[2];
    const word = m[3] ?? '';
    const def = scope.get(name);
    let value: string | null | undefined;
    if (def) value = def.value;
    else if (globals.has(name)) {
      emptyGlobals.push(name);
      value = '';
    } else value = undefined;
    const set = value !== undefined && value !== null;
    const nonEmpty = set && value !== '';
    if (op === ':-') {
      if (nonEmpty) out += value;
      else if (value === null) out += word; // declared without a default: the default applies unless a build arg is passed
      else out += word;
    } else if (op === '-') {
      out += set ? value : word;
    } else if (op === ':+') {
      if (value === null) unknown = true;
      out += nonEmpty ? word : '';
    } else if (op === '+') {
      out += set ? word : '';
    } else if (value === null || value === undefined) {
      unknown = true;
    } else {
      out += value;
    }
  }
  out += text.slice(last);
  return { value: out, unknown, emptyGlobals };
}
