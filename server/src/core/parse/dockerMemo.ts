/**
 * Per-instruction reuse for a Dockerfile analysed on every keystroke (issue 16, part 5).
 *
 * Work done for one instruction (its arguments, the secrets in it, what a rule finds in it)
 * depends on the instruction's text, the escape character and, where variables are expanded,
 * the values in effect of the variables it names. An `InstructionMemo` keeps such results per
 * instruction text, with offsets as they were when computed; a result asked for at another
 * place is moved there. The engine keeps one memo per document (its `cacheKey`), holding the
 * results of the latest text only: what an analysis does not ask for again is dropped at its
 * end. Callers without a memo (the CLI, fix-all, a full analysis) compute everything afresh.
 * No kept result reads another file (an entrypoint script, package.json, .gitignore: those
 * are read on every analysis), so `engine.invalidate` has nothing here to drop; fixes are
 * never kept: rules build them against the current parse.
 */
import { Attached } from '../attach';

/** What the memo reads of an instruction (core/parse/dockerfile.ts's DockerInstruction). */
export interface MemoInstruction {
  readonly span: { start: number; end: number };
  /** The line it starts on, when known. */
  readonly line?: number;
  /**
   * The memo's record for this instruction, on instructions made with this field
   * (core/parse/dockerfile.ts's: set from construction, so storing the record keeps the
   * object's shape; reading an absent symbol property, as `Attached` does, is a slow lookup on
   * every result asked for). Other objects keep their record as an `Attached` value.
   */
  memoRecord?: InstructionRecord;
}

/** The results kept for one instruction text: per slot (what was computed, under which variable values), where and what. */
export interface InstructionRecord {
  /** The text the record is for (a copy: never a view into a whole file). */
  readonly key: string;
  readonly slots: Map<string, MemoSlot>;
}

/** One result kept for an instruction text: moved in place when asked for at another offset. */
interface MemoSlot {
  readonly variant: string;
  readonly deps: unknown;
  base: number;
  value: unknown;
}

export class InstructionMemo {
  private current = new Map<string, InstructionRecord>();
  private previous = new Map<string, InstructionRecord>();
  private values = new Map<string, unknown>();
  private previousValues = new Map<string, unknown>();
  /** The config and escape character the results were computed under; another one drops them. */
  private identity = '';
  private escapeChar = '\\';
  /** The parse of the latest text (core/parse/dockerfile.ts reads it to re-parse only what an edit touched). */
  lastParse: unknown;
  /** Whole-text parses and parses of edited lines only, so far. */
  readonly parses = { whole: 0, lines: 0 };
  /** Results computed, and results reused, since the memo was made (tests count these). */
  computed = 0;
  reused = 0;

  /** Starts an analysis: results not asked for by its end are dropped then. */
  begin(identity: string): void {
    if (identity !== this.identity) {
      this.identity = identity;
      this.current.clear();
      this.values.clear();
    }
    this.previous = this.current;
    this.current = new Map();
    this.previousValues = this.values;
    this.values = new Map();
  }

  /** The escape character of the text being analysed: results read with another one are dropped. */
  escape(char: string): void {
    if (char === this.escapeChar) return;
    this.escapeChar = char;
    this.current.clear();
    this.previous.clear();
    this.values.clear();
    this.previousValues.clear();
  }

  /** Ends an analysis: only what it used is kept. */
  end(): void {
    this.previous = new Map();
    this.previousValues = new Map();
  }

  /** A value of the whole document (not of one instruction) by a key that says all it depends on, kept like the rest. */
  value<T>(key: string, compute: () => T): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    let v: T;
    if (this.previousValues.has(key)) {
      v = this.previousValues.get(key) as T;
      this.reused++;
    } else {
      v = compute();
      this.computed++;
    }
    this.values.set(key, v);
    return v;
  }

  /** The record for an instruction's text (`text` may be a slice of the file: it is copied only when stored). */
  record(text: string): InstructionRecord {
    let r = this.current.get(text);
    if (r) return r;
    r = this.previous.get(text);
    if (r) this.previous.delete(text);
    else r = { key: ownString(text), slots: new Map() };
    this.current.set(r.key, r);
    return r;
  }

  /** Instruction texts and results held. */
  size(): { instructions: number; results: number; chars: number } {
    let results = 0;
    let chars = 0;
    for (const m of [this.current, this.previous]) {
      for (const r of m.values()) {
        results += r.slots.size;
        chars += r.key.length;
      }
    }
    return { instructions: this.current.size + this.previous.size, results: results + this.values.size + this.previousValues.size, chars };
  }
}

/**
 * One InstructionMemo per document key, for the 16 documents analysed last (the ones being
 * typed into; each keeps its parse, ~40 KB for a 35-line Dockerfile): the least recently
 * analysed goes first, and its next analysis starts afresh.
 */
const MAX_DOCUMENTS = 16;

export class DockerMemos {
  private readonly memos = new Map<string, InstructionMemo>();

  /** The memo of a document, begun for an analysis under a config (`identity`: the config as a key). */
  take(key: string, identity: string): InstructionMemo {
    let memo = this.memos.get(key);
    if (memo) this.memos.delete(key);
    else memo = new InstructionMemo();
    this.memos.set(key, memo);
    for (const k of this.memos.keys()) {
      if (this.memos.size <= MAX_DOCUMENTS) break;
      this.delete(k);
    }
    memo.begin(identity);
    return memo;
  }

  /** Counts of memos dropped, so the totals stay totals. */
  private computed = 0;
  private reused = 0;

  delete(key: string): void {
    const m = this.memos.get(key);
    if (m) this.count(m);
    this.memos.delete(key);
  }

  clear(): void {
    for (const m of this.memos.values()) this.count(m);
    this.memos.clear();
  }

  private count(m: InstructionMemo): void {
    this.computed += m.computed;
    this.reused += m.reused;
  }

  size(): { keys: number; instructions: number; results: number; chars: number; computed: number; reused: number } {
    const out = { keys: this.memos.size, instructions: 0, results: 0, chars: 0, computed: this.computed, reused: this.reused };
    for (const m of this.memos.values()) {
      const s = m.size();
      out.instructions += s.instructions;
      out.results += s.results;
      out.chars += s.chars;
      out.computed += m.computed;
      out.reused += m.reused;
    }
    return out;
  }
}

/** A copy of `s` that does not keep the string it was sliced from alive. */
function ownString(s: string): string {
  return s.length < 16 ? s : (' ' + s).slice(1);
}

const records = new Attached<MemoInstruction, InstructionRecord>('record');

/** The text a memo keys an instruction by: its whole lines, so what shares a line with it is part of it. */
function recordOf(memo: InstructionMemo, df: MemoDocument, ins: MemoInstruction): InstructionRecord {
  const own = 'memoRecord' in ins;
  let r = own ? ins.memoRecord : records.get(ins);
  if (!r) {
    const { index, text } = df;
    const from = index.lineStart(ins.line ?? index.positionAt(ins.span.start).line);
    const to = index.lineEnd(index.positionAt(ins.span.end).line);
    r = memo.record(text.slice(Math.min(from, ins.span.start), Math.max(to, ins.span.end)));
    if (own) ins.memoRecord = r;
    else records.set(ins, r);
  }
  return r;
}

/** What `memoized` needs of a parsed Dockerfile (core/parse/dockerfile.ts). */
export interface MemoDocument {
  text: string;
  index: { lineStart(line: number): number; lineEnd(line: number): number; positionAt(offset: number): { line: number } };
  memo?: InstructionMemo;
}

/**
 * `compute()` for an instruction, or its result kept from an instruction with the same text
 * (and the same `variant`: what else the result depends on, such as the shell it runs in),
 * moved by `move` from where it was computed to where this instruction starts. `compute`
 * gives offsets into the current text; `move(value, delta)` adds delta to every offset in
 * it, returning a new value (a kept value is never changed). Without a memo: `compute()`.
 * One result is kept per slot: another variant replaces it.
 */
export function memoized<T>(df: MemoDocument, ins: MemoInstruction, slot: string, variant: string, compute: () => T, move: (value: T, delta: number) => T): T {
  return memoizedTracked(df, ins, slot, variant, () => ({ value: compute(), deps: null }), () => true, move);
}

/**
 * The same for a result that also depends on what `compute` read while it ran (`deps`, the
 * variables it expanded): a kept result is used only when `valid(deps)` says those still
 * read the same.
 */
export function memoizedTracked<T, D>(
  df: MemoDocument,
  ins: MemoInstruction,
  slot: string,
  variant: string,
  compute: () => { value: T; deps: D },
  valid: (deps: D) => boolean,
  move: (value: T, delta: number) => T,
): T {
  const memo = df.memo;
  if (!memo) return compute().value;
  const r = recordOf(memo, df, ins);
  const base = ins.span.start;
  const kept = r.slots.get(slot);
  if (kept && kept.variant === variant && valid(kept.deps as D)) {
    memo.reused++;
    if (kept.base === base) return kept.value as T;
    // nothing to move in an empty list (most results: no findings in this instruction)
    const value = isEmptyList(kept.value) ? (kept.value as T) : move(kept.value as T, base - kept.base);
    // the slot is the memo's own (no result points at it): moved in place
    kept.base = base;
    kept.value = value;
    return value;
  }
  memo.computed++;
  const { value, deps } = compute();
  r.slots.set(slot, { variant, deps, base, value });
  return value;
}

function isEmptyList(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0;
}

/** The same for results without offsets (nothing to move). */
export function memoizedValue<T>(df: MemoDocument, ins: MemoInstruction, slot: string, variant: string, compute: () => T): T {
  return memoized(df, ins, slot, variant, compute, (v) => v);
}

/** A span moved by `delta`. */
export function moveSpan<S extends { start: number; end: number }>(s: S, delta: number): S {
  return { ...s, start: s.start + delta, end: s.end + delta };
}

/** Spans (of objects with a start and an end) moved by `delta`. */
export function moveSpans<S extends { start: number; end: number }>(list: readonly S[], delta: number): S[] {
  return list.map((s) => moveSpan(s, delta));
}
