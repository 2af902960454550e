import { Attached } from '../attach';
import type { DockerInstruction, DockerStage, ParsedDockerfile } from '../parse/dockerfile';
import { memoizedTracked } from '../parse/dockerMemo';

export interface VarDef {
  /** null: declared without a value (ARG NAME), so set only by --build-arg. */
  value: string | null;
  source: 'arg' | 'env';
}

/** What expansion reads: a variable by name (a Map is one). */
export interface Scope {
  get(name: string): VarDef | undefined;
  has(name: string): boolean;
}

export interface Expansion {
  value: string;
  /** A variable with no value anywhere was used: the result is not known offline. */
  unknown: boolean;
  /** Global ARGs used but not redeclared in the stage (they expand to empty). */
  emptyGlobals: string[];
}

/**
 * Scopes are computed once per parse: a parsed Dockerfile never changes, and rules ask for
 * the scope before every instruction (a stage of 40,000 RUNs must not be re-read 40,000 times).
 */
const globalsOf = new Attached<ParsedDockerfile, Map<string, VarDef>>('globals');

/** Global ARG defaults, which apply in FROM lines and to ARGs redeclared in a stage. Read-only. */
export function globalScope(df: ParsedDockerfile): Scope {
  return globals(df);
}

function globals(df: ParsedDockerfile): Map<string, VarDef> {
  let scope = globalsOf.get(df);
  if (!scope) {
    scope = new Map();
    for (const ins of df.globalArgs) declareArgs(ins, scope, scope, df.escape, () => undefined);
    globalsOf.set(df, scope);
  }
  return scope;
}

function declareArgs(ins: DockerInstruction, scope: Map<string, VarDef>, globals: Scope, escape: string, record: (name: string, def: VarDef) => void): void {
  for (const p of ins.properties) {
    let def: VarDef;
    if (p.value === null) {
      const g = globals.get(p.name);
      def = { value: g?.value ?? null, source: 'arg' };
    } else {
      def = { value: expand(unquote(p.value), scope, globals, escape).value, source: 'arg' };
    }
    scope.set(p.name, def);
    record(p.name, def);
  }
}

/** Every definition of a stage in order: per name, the instruction index that set it and the value. */
interface StageTimeline {
  /** Instruction -> its index in the stage. */
  position: Map<DockerInstruction, number>;
  /** Per variable: [instruction index, definition], in instruction order. */
  history: Map<string, [number, VarDef][]>;
  /** Variables inherited from the parent stage (its ENV at its end). */
  inherited: Map<string, VarDef>;
  /** The scope at the end of the stage. */
  final: Map<string, VarDef>;
}

const timelines = new Attached<DockerStage, StageTimeline>('timeline');

function timeline(df: ParsedDockerfile, stage: DockerStage, seen: Set<number>): StageTimeline {
  const known = timelines.get(stage);
  if (known) return known;
  const g = globals(df);
  const inherited = new Map<string, VarDef>();
  const parent = parentStage(df, stage);
  if (parent && !seen.has(parent.index)) {
    seen.add(parent.index);
    for (const [k, v] of timeline(df, parent, seen).final) if (v.source === 'env') inherited.set(k, v);
  }
  const scope = new Map(inherited);
  const position = new Map<DockerInstruction, number>();
  const history = new Map<string, [number, VarDef][]>();
  stage.instructions.forEach((ins, n) => {
    position.set(ins, n);
    const record = (name: string, def: VarDef) => {
      let h = history.get(name);
      if (!h) history.set(name, (h = []));
      h.push([n, def]);
    };
    if (ins.keyword === 'ARG') declareArgs(ins, scope, g, df.escape, record);
    else if (ins.keyword === 'ENV') {
      for (const p of ins.properties) {
        const def: VarDef = { value: expand(unquote(p.value ?? ''), scope, g, df.escape).value, source: 'env' };
        scope.set(p.name, def);
        record(p.name, def);
      }
    }
  });
  const t: StageTimeline = { position, history, inherited, final: scope };
  timelines.set(stage, t);
  return t;
}

/** The scope just before instruction number `at` of a stage, read from its timeline. */
class ScopeAt implements Scope {
  constructor(private readonly t: StageTimeline, private readonly at: number) {}

  get(name: string): VarDef | undefined {
    const h = this.t.history.get(name);
    if (h) {
      // the last definition before `at` (binary search: definitions are in instruction order)
      let lo = 0;
      let hi = h.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (h[mid][0] < this.at) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0) return h[lo - 1][1];
    }
    return this.t.inherited.get(name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

/**
 * The variables visible just before `upTo` in `stage` (or at its end), following
 * `FROM <stage>` for ENV (ARG does not carry over between stages).
 */
export function stageScope(df: ParsedDockerfile, stage: DockerStage, upTo?: DockerInstruction, seen = new Set<number>()): Scope {
  const t = timeline(df, stage, seen);
  const at = upTo === undefined ? undefined : t.position.get(upTo);
  if (at === undefined) return t.final;
  return new ScopeAt(t, at);
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

/** A variable read while a result was computed, and what it read. */
type Read = [name: string, def: VarDef | undefined];

/** A scope that records what is read from it. */
class Recording implements Scope {
  constructor(private readonly inner: Scope, readonly reads: Read[]) {}

  get(name: string): VarDef | undefined {
    const d = this.inner.get(name);
    this.reads.push([name, d]);
    return d;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

const sameDef = (a: VarDef | undefined, b: VarDef | undefined) => a === b || (a !== undefined && b !== undefined && a.value === b.value && a.source === b.source);

/**
 * `compute(scope, globals)` for an instruction of a stage, kept per instruction text across
 * edits (core/parse/dockerMemo.ts) for as long as every variable it read (from the stage's
 * scope before the instruction and from the global ARGs) reads the same.
 */
export function memoizedInScope<T>(
  df: ParsedDockerfile,
  stage: DockerStage,
  ins: DockerInstruction,
  slot: string,
  variant: string,
  compute: (scope: Scope, globals: Scope) => T,
  move: (value: T, delta: number) => T,
): T {
  if (!df.memo) return compute(stageScope(df, stage, ins), globalScope(df));
  return memoizedTracked(
    df,
    ins,
    slot,
    variant,
    () => {
      const local: Read[] = [];
      const global: Read[] = [];
      const value = compute(new Recording(stageScope(df, stage, ins), local), new Recording(globalScope(df), global));
      return { value, deps: { local, global } };
    },
    (deps) => {
      if (deps.local.length === 0 && deps.global.length === 0) return true;
      const scope = stageScope(df, stage, ins);
      const g = globalScope(df);
      return deps.local.every(([n, d]) => sameDef(scope.get(n), d)) && deps.global.every(([n, d]) => sameDef(g.get(n), d));
    },
    move,
  );
}
