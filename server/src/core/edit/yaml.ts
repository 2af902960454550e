import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { YamlDoc } from '../parse/yaml';
import type { TextIndex } from '../text';
import type { TextEdit } from '../types';
import { EditBatch } from './batch';
import { deref as derefNode } from '../model/yamlTree';

/**
 * The YAML edit layer: the only place YAML text is synthesised. Edits insert at the file's
 * own indentation and sequence style, keep every comment and unrelated byte, keep the
 * line break style, and refuse (return null) where they would have to write through an
 * anchor that others share, write a duplicate key, or drop values merged from an anchor.
 *
 * Every operation returns edits with FILE offsets; null means "refused": never a partial edit.
 */

/** A value to write: a scalar already in YAML syntax (see renderScalar), a map, or a list. */
export type YamlValue = string | { [key: string]: YamlValue } | YamlValue[];

export interface YamlFile {
  text: string;
  index: TextIndex;
}

type AnyPair = Pair<Node, Node | null>;
type Collection = YAMLMap | YAMLSeq;

/** Where a node sits: its collection, and the pair holding it when that is a map. */
interface Where {
  parent: Collection;
  pair: AnyPair | null;
}

/** What the editor knows about a document's tree, built once per parsed document. */
interface TreeIndex {
  parents: Map<Node, Where>;
  /** Every alias: its anchor name and document range. */
  aliases: { source: string; start: number; end: number }[];
  /** Anchor names some alias refers to. */
  referenced: Set<string>;
}

const trees = new WeakMap<Document, TreeIndex>();

function treeOf(doc: Document): TreeIndex {
  const known = trees.get(doc);
  if (known) return known;
  const index: TreeIndex = { parents: new Map(), aliases: [], referenced: new Set() };
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const n = stack.pop();
    if (isAlias(n)) {
      index.referenced.add(n.source);
      if (n.range) index.aliases.push({ source: n.source, start: n.range[0], end: n.range[1] });
    } else if (isMap(n)) {
      for (const p of n.items as AnyPair[]) {
        for (const c of [p.key, p.value]) {
          if (c && typeof c === 'object') {
            index.parents.set(c, { parent: n, pair: p });
            stack.push(c);
          }
        }
      }
    } else if (isSeq(n)) {
      for (const it of n.items as Node[]) {
        if (isPair(it)) {
          // `- a: 1` inside a flow sequence (`[a: 1]`): a single-pair map without a node
          stack.push(it.key, it.value);
          continue;
        }
        if (it && typeof it === 'object') {
          index.parents.set(it, { parent: n, pair: null });
          stack.push(it);
        }
      }
    }
  }
  trees.set(doc, index);
  return index;
}

const NOT_SCALAR = Symbol('not a scalar');
const scalarValues = new Map<string, unknown>();

/** The value a scalar written in YAML syntax reads as (YAML 1.2 core schema, as the parser reads documents). */
function readScalar(text: string): unknown {
  if (scalarValues.has(text)) return scalarValues.get(text);
  let value: unknown = NOT_SCALAR;
  if (text.length <= 4096) {
    const d = parseDocument(text);
    if (!d.errors.length && (isScalar(d.contents) || d.contents === null)) value = d.contents === null ? null : (d.contents as Scalar).value;
  }
  if (scalarValues.size > 1000) scalarValues.clear();
  scalarValues.set(text, value);
  return value;
}

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/;

/** A double-quoted scalar, valid YAML 1.1, 1.2 and JSON: JSON escapes plus \\u for what YAML 1.1 reads as line breaks. */
export function quoteDouble(s: string): string {
    return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Whether a string can be written as a plain scalar and read back as the same string by
 * YAML 1.2 and YAML 1.1 readers (Kubernetes uses one), in block and in flow context.
 * Conservative: anything number-, boolean- or null-like, any indicator, flow character or
 * comment-like text is quoted.
 */
export function plainSafe(s: string): boolean {
  if (!syntaxSafe(s)) return false;
  if (/^[-+]?(\.?[0-9]|\.(inf|nan)$)/i.test(s)) return false;
  if (/^(y|n|yes|no|true|false|on|off|null|~|nan|inf|=|<<)$/i.test(s)) return false;
  return true;
}

/** Whether a string can be written plain at all (block and flow context), whatever type it then reads as. */
function syntaxSafe(s: string): boolean {
  if (s === '' || /^\s|\s$/.test(s) || UNPRINTABLE.test(s)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s)) return false;
  if (/^(---|\.\.\.)/.test(s)) return false;
  return !/: |:$| #|[,[\]{}]/.test(s);
}

export class YamlEditor {
  private unit: number | null = null;
  private seqIndented: boolean | null = null;

  /** A JSON document (JSON is YAML): keys and strings are written with double quotes. */
  readonly json: boolean;

  constructor(
    readonly file: YamlFile,
    readonly ydoc: YamlDoc,
  ) {
    this.json = /^\s*[{[]/.test(ydoc.text.replace(/^(\s*#[^\n]*\n)*/, ''));
  }

  // ---------------------------------------------------------------- rendering

  /**
   * A scalar rendered safely for YAML 1.1 and 1.2 readers: strings that would read as
   * something else (`true`, `yes`, `on`, `010`, `1e3`, `0:0`, `~`, `null`, ...) or could not
   * be written plain (`*x`, `- x`, `a: b`, `#x`, leading or trailing space, ...) are
   * double-quoted; JSON documents get JSON quoting for every string.
   */
  renderScalar(value: string | number | boolean): string {
    if (typeof value === 'boolean') return String(value);
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : quoteDouble(String(value));
    if (this.json) return quoteDouble(value);
    return plainSafe(value) ? value : quoteDouble(value);
  }

  /** A key as the document writes keys. */
  private key(k: string): string {
    if (this.json) return JSON.stringify(k);
    return syntaxSafe(k) && k !== '<<' ? k : quoteDouble(k);
  }

  /** A scalar (given in YAML syntax) as the document writes scalars. */
  private scalar(v: string): string {
    if (!this.json) return v;
    if (/^(true|false|null|-?\d+(\.\d+)?)$/.test(v) || v.startsWith('"')) return v;
    if (v.startsWith("'") && v.endsWith("'")) return JSON.stringify(v.slice(1, -1).replace(/''/g, "'"));
    return JSON.stringify(v);
  }

  private get eol(): string {
    return this.file.index.eol;
  }

  private abs(offset: number): number {
    return this.ydoc.base + offset;
  }

  private edit(start: number, end: number, text: string): TextEdit {
    return { start: this.abs(start), end: this.abs(end), text };
  }

  /** The indentation step the file uses (the most common increase), default 2. */
  indentUnit(): number {
    if (this.unit !== null) return this.unit;
    const counts = new Map<number, number>();
    let prev = 0;
    // line by line without splitting the text (a document's editor is often made once, so
    // this runs cold): blank and comment lines are skipped, the rest counted by leading spaces
    const t = this.ydoc.text;
    for (let at = 0; at <= t.length; ) {
      let end = at;
      while (end < t.length && t.charCodeAt(end) !== 10 && t.charCodeAt(end) !== 13) end++;
      let i = at;
      while (i < end && t.charCodeAt(i) === 32) i++;
      const c = i < end ? t.charCodeAt(i) : -1;
      // a line with text after its spaces counts unless it is a comment; anything else
      // (only spaces, a tab or other white space next) is judged as written: trimmed
      const counted = c > 32 && c < 127 ? c !== 35 : ((l) => Boolean(l.trim()) && !l.trimStart().startsWith('#'))(t.slice(at, end));
      if (counted) {
        const ind = i - at;
        if (ind > prev) counts.set(ind - prev, (counts.get(ind - prev) ?? 0) + 1);
        prev = ind;
      }
      if (end >= t.length) break;
      at = end + (t.charCodeAt(end) === 13 && t.charCodeAt(end + 1) === 10 ? 2 : 1);
    }
    let best = 2;
    let n = 0;
    for (const [d, c] of counts) if (c > n || (c === n && d < best)) [best, n] = [d, c];
    this.unit = Math.min(Math.max(best, 1), 8);
    return this.unit;
  }

  /** Whether block sequences are indented under their key (`k:\n  - a`) or not (`k:\n- a`). */
  sequencesIndented(): boolean {
    if (this.seqIndented !== null) return this.seqIndented;
    this.seqIndented = true;
    const visit = (n: unknown, keyCol: number | null): boolean => {
      if (isSeq(n) && !n.flow && keyCol !== null && n.range) {
        this.seqIndented = this.column(n.range[0]) > keyCol;
        return true;
      }
      if (isMap(n)) {
        for (const p of n.items as AnyPair[]) {
          const col = p.key && (p.key as Node).range ? this.column((p.key as Node).range![0]) : null;
          if (visit(p.value, col)) return true;
        }
      } else if (isSeq(n)) for (const it of n.items) if (visit(it, null)) return true;
      return false;
    };
    visit(this.ydoc.doc.contents, null);
    return this.seqIndented;
  }

  /** Column of a document-relative offset. */
  column(offset: number): number {
    return this.file.index.positionAt(this.abs(offset)).character;
  }

  /** Document line of a document offset. */
  private lineOf(offset: number): number {
    return this.file.index.positionAt(this.abs(offset)).line;
  }

  /** Document offset of a line's start. */
  private lineStartDoc(line: number): number {
    return this.file.index.lineStart(line) - this.ydoc.base;
  }

  /** Document offset of a line's end (before its line break). */
  private lineEndDoc(line: number): number {
    return this.file.index.lineEnd(line) - this.ydoc.base;
  }

  /** Document offset of the next line's start, or the end of the line when it is the last. */
  private nextLineDoc(line: number): number {
    const idx = this.file.index;
    return (line + 1 < idx.lineCount ? idx.lineStart(line + 1) : idx.lineEnd(line)) - this.ydoc.base;
  }

  private lineEndAfter(offset: number): number {
    const line = this.file.index.positionAt(this.abs(offset)).line;
    return this.file.index.lineEnd(line);
  }

  /** Where a node's own content ends (the deepest last value; trailing comments excluded). */
  private contentEnd(node: Node): number {
    if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length) {
      const last = node.items[node.items.length - 1] as unknown;
      if (isMap(node)) {
        const p = last as AnyPair;
        if (p.value && (p.value as Node).range) return this.contentEnd(p.value as Node);
        return (p.key as Node).range![1];
      }
      return this.contentEnd(last as Node);
    }
    return node.range![1];
  }

  /** Like contentEnd, without the line breaks a block scalar's range takes in. */
  private textEnd(node: Node): number {
    const t = this.ydoc.text;
    let end = this.contentEnd(node);
    const floor = node.range![0];
    while (end > floor && (t[end - 1] === '\n' || t[end - 1] === '\r')) end--;
    return end;
  }

  /** The last line of a node's own text. */
  private lastLine(node: Node): number {
    return this.lineOf(Math.max(this.textEnd(node) - 1, node.range![0]));
  }

  /**
   * The comments among lines [from, to] (inclusive) for a removed or replaced range to
   * keep, each as a line ending with a line break: whole comment lines as written, and with
   * `trailing` also end-of-line comments (moved onto a line of their own at that line's
   * indentation). Lines and `#` inside a scalar of `node` are text, not comments.
   */
  private commentLines(from: number, to: number, node: Node | null | undefined, trailing = false): string {
    if (from > to) return '';
    const t = this.ydoc.text;
    const text: string[] = [];
    const scalars: [number, number][] = [];
    const stack: unknown[] = [node];
    while (stack.length) {
      const n = stack.pop();
      if (isScalar(n) && n.range) scalars.push([n.range[0], n.range[1]]);
      else if (isMap(n)) for (const p of n.items as AnyPair[]) stack.push(p.key, p.value);
      else if (isSeq(n)) for (const it of n.items) stack.push(isPair(it) ? it.key : null, isPair(it) ? it.value : it);
    }
    const inScalar = (o: number) => scalars.some(([a, b]) => a <= o && o < b);
    for (let l = from; l <= to; l++) {
      const start = this.lineStartDoc(l);
      const end = this.lineEndDoc(l);
      const line = t.slice(start, end);
      const lead = /^[ \t]*/.exec(line)![0];
      if (line.startsWith('#', lead.length)) {
        if (!inScalar(start + lead.length)) text.push(line + this.eol);
        continue;
      }
      if (!trailing) continue;
      for (let i = line.indexOf('#', 1); i > 0; i = line.indexOf('#', i + 1)) {
        if ((line[i - 1] === ' ' || line[i - 1] === '\t') && !inScalar(start + i)) {
          text.push(lead + line.slice(i) + this.eol);
          break;
        }
      }
    }
    return text.join('');
  }

  // ---------------------------------------------------------------- the tree

  private aliasesInText: boolean | undefined;

  /** False when the document's text has no `*`, so no alias. */
  private mayHaveAliases(): boolean {
    return (this.aliasesInText ??= this.ydoc.text.includes('*'));
  }

  private get tree(): TreeIndex {
    return treeOf(this.ydoc.doc);
  }

  /**
   * True when edits inside this node would change what others share through an anchor:
   * the node or one of its ancestors is an anchor some alias refers to.
   */
  shared(node: Node | null | undefined): boolean {
    if (!node) return false;
    // no alias in the text: a node without an anchor of its own shares nothing (no tree index needed)
    if (!(node as { anchor?: string }).anchor && !this.mayHaveAliases()) return false;
    const { parents, referenced } = this.tree;
    if (!parents.has(node) && node !== this.ydoc.doc.contents) return Boolean((node as { anchor?: string }).anchor);
    for (let n: Node | undefined = node; n; n = parents.get(n)?.parent) {
      const a = (n as { anchor?: string }).anchor;
      if (a && referenced.has(a)) return true;
    }
    return false;
  }

  /** True when removing or replacing this node would delete an anchor an alias elsewhere refers to. */
  private definesUsedAnchor(node: Node | null | undefined): boolean {
    if (!node || !node.range) return false;
    const { referenced, aliases } = this.tree;
    if (!referenced.size) return false;
    const names = new Set<string>();
    const stack: unknown[] = [node];
    while (stack.length) {
      const n = stack.pop() as Node & { anchor?: string };
      if (!n || typeof n !== 'object') continue;
      if (n.anchor && referenced.has(n.anchor)) names.add(n.anchor);
      if (isMap(n)) for (const p of n.items as AnyPair[]) stack.push(p.key, p.value);
      else if (isSeq(n)) for (const it of n.items) stack.push(isPair(it) ? it.value : it);
      else if (isPair(n)) stack.push(n.key, n.value);
    }
    if (!names.size) return false;
    const [from, to] = [node.range[0], node.range[2] ?? node.range[1]];
    return aliases.some((a) => names.has(a.source) && (a.start < from || a.start >= to));
  }

  private deref(node: unknown): Node | null {
    // one alias map per parsed document (yamlTree): Alias.resolve walks the whole document
    if (isAlias(node)) return derefNode(node, this.ydoc.doc);
    return (node as Node | null) ?? null;
  }

  private keyOf(p: AnyPair): string | null {
    return isScalar(p.key) && p.key.value !== null && p.key.value !== undefined ? String(p.key.value) : null;
  }

  /** The map's own pairs with this key (more than one: a duplicate key). */
  private own(map: YAMLMap, key: string): AnyPair[] {
    return (map.items as AnyPair[]).filter((p) => this.keyOf(p) === key);
  }

  /** The maps merged into `map` with `<<`, in priority order. */
  private mergeSources(map: YAMLMap): YAMLMap[] {
    const out: YAMLMap[] = [];
    for (const p of map.items as AnyPair[]) {
      if (this.keyOf(p) !== '<<') continue;
      const v = this.deref(p.value);
      if (isSeq(v)) {
        for (const it of v.items) {
          const m = this.deref(it);
          if (isMap(m)) out.push(m);
        }
      } else if (isMap(v)) out.push(v);
    }
    return out;
  }

  /** The value a `<<` merge gives `key` in `map` (followed through nested merges), or null when none does. */
  private mergedValue(map: YAMLMap, key: string): { value: Node | null } | null {
    const seen = new Set<YAMLMap>([map]);
    const visit = (m: YAMLMap, depth: number): { value: Node | null } | null => {
      if (depth > 32) return null;
      for (const src of this.mergeSources(m)) {
        if (seen.has(src)) continue;
        seen.add(src);
        const own = this.own(src, key);
        if (own.length) return { value: this.deref(own[0].value) };
        const deeper = visit(src, depth + 1);
        if (deeper) return deeper;
      }
      return null;
    };
    return visit(map, 0);
  }

  /** The effective value of `key` in `map`: its own pair, else a merged one; undefined when absent. */
  private effective(map: YAMLMap, key: string): Node | null | undefined {
    const own = this.own(map, key);
    if (own.length) return this.deref(own[0].value);
    const m = this.mergedValue(map, key);
    return m ? m.value : undefined;
  }

  /** A `key:` with no value, `key: null` or `key: ~`. */
  private isNull(v: Node | null | undefined): boolean {
    return !v || (isScalar(v) && (v.value === null || v.value === undefined));
  }

  /** Nothing written after the colon (`key:`). */
  private isBlank(v: Node | null | undefined): boolean {
    if (!v) return true;
    return isScalar(v) && (v.value === null || v.value === undefined) && (!v.range || this.ydoc.text.slice(v.range[0], v.range[1]).trim() === '');
  }

  /** Whether a node already holds a value (maps: holds each of its keys). */
  private holds(node: Node | null | undefined, value: YamlValue): boolean {
    const n = this.deref(node);
    if (typeof value === 'string') {
      const want = readScalar(value);
      if (want === NOT_SCALAR) return false;
      if (this.isNull(n)) return want === null;
      return isScalar(n) && n.value === want;
    }
    if (Array.isArray(value)) return isSeq(n) && n.items.length === value.length && value.every((v, i) => this.holds(n.items[i] as Node, v));
    return isMap(n) && Object.entries(value).every(([k, v]) => this.holds(this.effective(n, k), v));
  }

  /** Whether a node sits inside a flow collection (or is one). */
  private inFlow(node: Node): boolean {
    const { parents } = this.tree;
    for (let n: Node | undefined = node; n; n = parents.get(n)?.parent) if ((isMap(n) || isSeq(n)) && n.flow) return true;
    return false;
  }

  // ---------------------------------------------------------------- rendering values

  private pad(n: number): string {
    return ' '.repeat(n);
  }

  /** What follows `key:` for a value whose key is at column `indent`: ` scalar`, or the lines of a block collection. */
  private renderAfterKey(value: YamlValue, indent: number): string {
    if (typeof value === 'string') return ` ${value}`;
    if (Array.isArray(value)) {
      if (!value.length) return ' []';
      const seqCol = this.sequencesIndented() ? indent + this.indentUnit() : indent;
      return value.map((v) => this.eol + this.pad(seqCol) + this.renderItem(v, seqCol)).join('');
    }
    const entries = Object.entries(value);
    if (!entries.length) return ' {}';
    const inner = indent + this.indentUnit();
    return entries.map(([k, v]) => this.eol + this.pad(inner) + this.renderPair(k, v, inner)).join('');
  }

  /** Renders `key: value` lines at a block indentation (the first line without its padding). */
  private renderPair(key: string, value: YamlValue, indent: number): string {
    return `${this.key(key)}:${this.renderAfterKey(value, indent)}`;
  }

  /** Renders a sequence item starting with `- ` at column `col`. */
  renderItem(value: YamlValue, col: number): string {
    if (typeof value === 'string') return `- ${value}`;
    if (Array.isArray(value)) return `- ${this.flow(value)}`;
    const entries = Object.entries(value);
    if (!entries.length) return '- {}';
    const inner = col + 2;
    return `- ${entries.map(([k, v], i) => (i ? this.eol + this.pad(inner) : '') + this.renderPair(k, v, inner)).join('')}`;
  }

  flow(value: YamlValue): string {
    if (typeof value === 'string') return this.scalar(value);
    if (Array.isArray(value)) return `[${value.map((v) => this.flow(v)).join(', ')}]`;
    return `{${Object.entries(value)
      .map(([k, v]) => `${this.key(k)}: ${this.flow(v)}`)
      .join(', ')}}`;
  }

  private keyColumn(map: YAMLMap): number {
    const first = map.items[0] as AnyPair | undefined;
    if (!first || !(first.key as Node)?.range) return 0;
    const start = (first.key as Node).range![0];
    const col = this.column(start);
    // `&a image: x` / `!!map key: x`: the map's column is where its properties start, not its first key
    const before = this.ydoc.text.slice(Math.max(0, start - col), start);
    const props = /(?:^|[\s-])((?:[&!][^\s]*[ \t]+)+)$/.exec(before);
    return props ? col - props[1].length : col;
  }

  // ---------------------------------------------------------------- the original operations

  /**
   * Inserts pairs at the end of a map, in its own style. Refused (null) when the map is
   * shared through an anchor or one of the keys is already there (no duplicate keys).
   */
  insertPairs(map: YAMLMap, pairs: [string, YamlValue][]): TextEdit | null {
    if (!pairs.length || !map.range || this.shared(map)) return null;
    const keys = pairs.map(([k]) => k);
    if (new Set(keys).size !== keys.length || keys.some((k) => this.own(map, k).length > 0 || k === '<<')) return null;
    if (map.flow) {
      const text = pairs.map(([k, v]) => `${this.key(k)}: ${this.flow(v)}`).join(', ');
      if (!map.items.length) {
        const close = this.ydoc.text.lastIndexOf('}', map.range[1] - 1);
        if (close < map.range[0]) return null;
        return this.edit(close, close, text);
      }
      const last = map.items[map.items.length - 1] as AnyPair;
      const end = ((last.value as Node | null)?.range ?? (last.key as Node).range!)[1];
      return this.edit(end, end, `, ${text}`);
    }
    const col = this.keyColumn(map);
    const at = this.lineEndAfter(Math.max(this.contentEnd(map) - 1, map.range[0]));
    return { start: at, end: at, text: pairs.map(([k, v]) => this.eol + this.pad(col) + this.renderPair(k, v, col)).join('') };
  }

  /** Gives an existing key with no value (`key:` or `key: null`) a block map of pairs. */
  fillEmpty(pair: AnyPair, pairs: [string, YamlValue][]): TextEdit | null {
    const key = pair.key as Node;
    if (!key.range) return null;
    const col = this.column(key.range[0]) + this.indentUnit();
    const body = pairs.map(([k, v]) => this.eol + this.pad(col) + this.renderPair(k, v, col)).join('');
    const v = pair.value as Node | null;
    if (v && isScalar(v) && v.range) {
      // `key: null # c` -> `key: # c` and the pairs below: the comment stays on the key's line
      const colon = this.ydoc.text.lastIndexOf(':', v.range[0]);
      const lineEnd = this.lineEndAfter(v.range[0]);
      const rest = this.file.text.slice(this.abs(v.range[1]), lineEnd);
      return { start: this.abs(colon + 1), end: lineEnd, text: (rest.trim() ? rest : '') + body };
    }
    const at = this.lineEndAfter(key.range[1]);
    return { start: at, end: at, text: body };
  }

  /**
   * Makes `map.path...` hold the given pairs: missing keys are added, parents created in
   * block or flow style as the map is written. Existing keys are left alone (use
   * replaceScalar to change one).
   */
  ensurePairs(map: YAMLMap, path: string[], pairs: [string, YamlValue][], existing: (m: YAMLMap) => Set<string>): TextEdit | null {
    let current: YAMLMap = map;
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      const pair = (current.items as AnyPair[]).find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair) {
        let value: YamlValue = Object.fromEntries(pairs);
        for (let j = path.length - 1; j > i; j--) value = { [path[j]]: value };
        return this.insertPairs(current, [[key, value]]);
      }
      const v = pair.value as Node | null;
      if (v === null || (isScalar(v) && (v.value === null || v.value === undefined))) {
        let value: [string, YamlValue][] = pairs;
        for (let j = path.length - 1; j > i; j--) value = [[path[j], Object.fromEntries(value)]];
        return this.fillEmpty(pair, value);
      }
      if (!isMap(v)) return null; // an alias or a non-map: not ours to rewrite
      current = v;
    }
    const have = existing(current);
    return this.insertPairs(
      current,
      pairs.filter(([k]) => !have.has(k)),
    );
  }

  /** Sets a pair's scalar value: replaces it, or fills an empty `key:` (`key: text`). */
  setScalar(pair: AnyPair, text: string): TextEdit | null {
    const v = pair.value as Node | null;
    const written = v && isScalar(v) && v.range ? this.ydoc.text.slice(v.range[0], v.range[1]) : '';
    if (v && isScalar(v) && written.trim() !== '') return this.replaceScalar(v, text);
    const key = pair.key as Node;
    if (!key.range || (v && !isScalar(v))) return null;
    const colon = this.ydoc.text.indexOf(':', key.range[1]);
    if (colon < 0) return null;
    return { start: this.abs(colon + 1), end: this.abs(colon + 1), text: ` ${this.scalar(text)}` };
  }

  replaceScalar(node: Node, text: string): TextEdit | null {
    if (!node.range || !isScalar(node) || this.shared(node)) return null;
    return { start: this.abs(node.range[0]), end: this.abs(node.range[1]), text };
  }

  /** Appends an item to a sequence in its own style. */
  appendItem(seq: YAMLSeq, value: YamlValue): TextEdit | null {
    if (!seq.range || this.shared(seq)) return null;
    if (seq.flow) {
      if (!seq.items.length) {
        const close = this.ydoc.text.lastIndexOf(']', seq.range[1] - 1);
        if (close < seq.range[0]) return null;
        return this.edit(close, close, this.flow(value));
      }
      const last = seq.items[seq.items.length - 1] as Node;
      if (!last?.range) return null;
      return this.edit(last.range[1], last.range[1], `, ${this.flow(value)}`);
    }
    const col = this.column(seq.range[0]);
    const at = this.lineEndAfter(Math.max(this.contentEnd(seq) - 1, seq.range[0]));
    return { start: at, end: at, text: this.eol + this.pad(col) + this.renderItem(value, col) };
  }

  // ---------------------------------------------------------------- make this true

  /**
   * Makes `map.path[0]...path[n-1]` hold `value` whatever is there now: missing (parents
   * created in the map's style), `key:`/`key: null` (filled, comment kept), a wrong scalar
   * or collection (replaced). A map value written over an existing map sets each of its
   * keys (the map's other keys stay). No-op ([]) when the value is already there, also
   * when it comes from a merged anchor.
   *
   * Merge keys: a merged scalar is overridden by writing the key on the map itself; a path
   * that would have to be created under a merged map, or a map written over one, is
   * refused. Nothing shared through an anchor is edited, and no duplicate key is written.
   */
  setAt(map: YAMLMap, path: string[], value: YamlValue): TextEdit[] | null {
    if (!path.length || !map.range || this.shared(map)) return null;
    return this.setIn(map, path, value);
  }

  private setIn(map: YAMLMap, path: string[], value: YamlValue): TextEdit[] | null {
    const [key, ...rest] = path;
    if (key === '<<' || this.shared(map)) return null;
    const own = this.own(map, key);
    if (own.length > 1) return null;
    const nested = (): YamlValue => rest.reduceRight<YamlValue>((v, k) => ({ [k]: v }), value);
    const pair = own[0];
    if (!pair) {
      const merged = this.mergedValue(map, key);
      if (merged) {
        const mv = merged.value;
        if (rest.length) {
          if (isMap(mv)) {
            // the merged map may already hold it; otherwise writing the key here would drop the anchor's other keys
            return this.holds(this.effectiveAt(mv, rest), value) ? [] : null;
          }
        } else {
          if (this.holds(mv, value)) return [];
          if (isMap(mv) && typeof value === 'object' && !Array.isArray(value)) return null;
        }
      }
      const e = this.insertPairs(map, [[key, nested()]]);
      return e ? [e] : null;
    }
    const v = pair.value as Node | null;
    if (rest.length) {
      if (isMap(v)) return this.setIn(v, rest, value);
      if (isAlias(v)) {
        const target = this.deref(v);
        return isMap(target) && this.holds(this.effectiveAt(target, rest), value) ? [] : null;
      }
      return this.replaceValue(map, pair, nested());
    }
    if (this.holds(v, value)) return [];
    if (isMap(v) && typeof value === 'object' && !Array.isArray(value)) return this.setKeys(v, value);
    return this.replaceValue(map, pair, value);
  }

  /** The effective value at a path (merges and aliases followed), undefined when absent. */
  private effectiveAt(map: YAMLMap, path: string[]): Node | null | undefined {
    let cur: Node | null | undefined = map;
    for (const k of path) {
      if (!isMap(cur)) return undefined;
      cur = this.effective(cur, k);
    }
    return cur;
  }

  /** Sets each key of `value` in an existing map; the keys to add are inserted together. */
  private setKeys(map: YAMLMap, value: { [key: string]: YamlValue }): TextEdit[] | null {
    if (this.shared(map)) return null;
    const batch = new EditBatch(this.file);
    const missing: [string, YamlValue][] = [];
    for (const [k, v] of Object.entries(value)) {
      if (this.own(map, k).length) {
        batch.add(this.setIn(map, [k], v));
        continue;
      }
      const merged = this.mergedValue(map, k);
      if (merged && this.holds(merged.value, v)) continue;
      if (merged && isMap(merged.value) && typeof v === 'object' && !Array.isArray(v)) return null;
      missing.push([k, v]);
    }
    if (missing.length) batch.add(this.insertPairs(map, missing));
    return batch.edits();
  }

  /** The document offset of the `:` after a pair's key, or -1 (complex keys). */
  private colonAfter(key: Node): number {
    const t = this.ydoc.text;
    let i = key.range![1];
    while (i < t.length && (t[i] === ' ' || t[i] === '\t')) i++;
    return t[i] === ':' ? i : -1;
  }

  /** The comment on a key's line after its colon (` # c`), or ''. */
  private keyLineComment(colon: number): string {
    const line = this.lineOf(colon);
    const rest = this.ydoc.text.slice(colon + 1, this.lineEndDoc(line)).trim();
    return rest.startsWith('#') ? ` ${rest}` : '';
  }

  /**
   * Replaces (or fills) a pair's value with `value`: a scalar in place; a collection in
   * flow style inside flow collections or over a flow value, else as block lines under the
   * key. Comments on the key's line are kept.
   */
  private replaceValue(map: YAMLMap, pair: AnyPair, value: YamlValue): TextEdit[] | null {
    const key = pair.key as Node | null;
    if (!key?.range || this.shared(map)) return null;
    const v = pair.value as Node | null;
    if (v && (this.shared(v) || this.definesUsedAnchor(v) || (v as { tag?: string }).tag)) return null;
    if (v && !v.range) return null;
    const colon = this.colonAfter(key);
    if (colon < 0) return null;
    const t = this.ydoc.text;
    if (v && !this.isBlank(v)) {
      // only whitespace and comments may sit between the colon and the value
      const between = t.slice(colon + 1, v.range![0]).replace(/#[^\r\n]*/g, '');
      if (between.trim() !== '') return null;
    }
    const blank = this.isBlank(v);
    const blockCollection = v && (isMap(v) || isSeq(v)) && !v.flow;
    const flowStyle = map.flow || this.json || (v !== null && (isMap(v) || isSeq(v)) && v.flow);
    if (typeof value === 'string' || flowStyle) {
      const text = typeof value === 'string' ? this.scalar(value) : this.flow(value);
      if (blank) return [this.edit(colon + 1, colon + 1, ` ${text}`)];
      if (blockCollection) {
        // the key line takes the value; the old value's comments stay below it, one a line
        const last = this.lastLine(v!);
        const kept = this.commentLines(this.lineOf(colon) + 1, last, v, true);
        return [this.edit(colon + 1, this.lineEndDoc(last), ` ${text}${this.keyLineComment(colon)}${kept ? this.eol + kept.replace(/\r?\n$/, '') : ''}`)];
      }
      return [this.edit(v!.range![0], this.textEnd(v!), text)];
    }
    const body = this.renderAfterKey(value, this.column(key.range[0]));
    if (blank) {
      const at = this.lineEndDoc(this.lineOf(colon));
      return [this.edit(at, at, body)];
    }
    if (blockCollection) {
      const last = this.lastLine(v!);
      const kept = this.commentLines(this.lineOf(colon) + 1, last, v, true);
      return [this.edit(colon + 1, this.lineEndDoc(last), this.keyLineComment(colon) + body + (kept ? this.eol + kept.replace(/\r?\n$/, '') : ''))];
    }
    // a scalar or alias (possibly over several lines): the comment after it moves to the key's line
    const end = this.textEnd(v!);
    const lineEnd = this.lineEndDoc(this.lineOf(Math.max(end - 1, v!.range![0])));
    const rest = t.slice(end, lineEnd);
    const comment = rest.trim().startsWith('#') ? ` ${rest.trim()}` : '';
    return [this.edit(colon + 1, lineEnd, this.keyLineComment(colon) + comment + body)];
  }

  /**
   * Makes the sequence at `path` contain `item` (compared with `same`, by default: the same
   * scalar, as strings): creates the key (and parents), fills `key:`, appends in the list's
   * own style, or turns a scalar value into a list (`k: a` -> `k:\n  - a\n  - item`).
   * A list merged from an anchor is copied onto the map with the item added (its items
   * must be single-line scalars); a merged map on the way is refused.
   */
  ensureItem(map: YAMLMap, path: string[], item: YamlValue, same?: (n: Node) => boolean): TextEdit[] | null {
    return this.ensureItems(map, path, [{ item, same }]);
  }

  /**
   * ensureItem for several items of one list in one edit (a list created once with all the
   * missing items, or each appended in order): two ensureItem calls on an absent list would
   * each create the key.
   */
  ensureItems(map: YAMLMap, path: string[], wanted: { item: YamlValue; same?: (n: Node) => boolean }[]): TextEdit[] | null {
    if (!path.length || !map.range || this.shared(map)) return null;
    const eqOf = (w: { item: YamlValue; same?: (n: Node) => boolean }) => (n: Node | null | undefined): boolean => {
      const d = this.deref(n);
      if (!d) return false;
      if (w.same) return w.same(d);
      if (typeof w.item === 'string') {
        const want = readScalar(w.item);
        return isScalar(d) && d.value !== null && want !== NOT_SCALAR && want !== null && String(d.value) === String(want);
      }
      return this.holds(d, w.item);
    };
    const containsOne = (w: { item: YamlValue; same?: (n: Node) => boolean }, n: Node | null | undefined): boolean => {
      const d = this.deref(n);
      const eq = eqOf(w);
      return isSeq(d) ? d.items.some((it) => eq(it as Node)) : !this.isNull(d) && isScalar(d) && eq(d);
    };
    const missing = (n: Node | null | undefined): YamlValue[] => wanted.filter((w) => !containsOne(w, n)).map((w) => w.item);
    let cur = map;
    for (let i = 0; i < path.length - 1; i++) {
      const own = this.own(cur, path[i]);
      if (own.length > 1) return null;
      const v = own[0]?.value as Node | null | undefined;
      if (!own.length || !isMap(v)) {
        const there = this.effectiveAt(cur, path.slice(i));
        const need = there !== undefined ? missing(there) : wanted.map((w) => w.item);
        if (!need.length) return [];
        if (own.length && isAlias(v)) return null;
        return this.setIn(cur, path.slice(i), need);
      }
      if (this.shared(v)) return null;
      cur = v;
    }
    const key = path[path.length - 1];
    if (key === '<<') return null;
    const own = this.own(cur, key);
    if (own.length > 1) return null;
    const pair = own[0];
    if (!pair) {
      const merged = this.mergedValue(cur, key);
      if (!merged || this.isNull(merged.value)) return this.single(this.insertPairs(cur, [[key, wanted.map((w) => w.item)]]));
      const need = missing(merged.value);
      if (!need.length) return [];
      const mv = merged.value!;
      const copied = isSeq(mv) ? mv.items.map((n) => this.sourceOf(n as Node)) : [this.sourceOf(mv)];
      if (copied.some((c) => c === null)) return null;
      return this.single(this.insertPairs(cur, [[key, [...(copied as string[]), ...need]]]));
    }
    const v = pair.value as Node | null;
    const need = missing(v);
    if (!need.length) return [];
    if (this.isNull(v)) return this.replaceValue(cur, pair, need);
    if (isAlias(v)) return null;
    if (isSeq(v)) {
      const batch = new EditBatch(this.file);
      for (const it of need) if (!batch.add(this.appendItem(v, it))) return null;
      return batch.edits();
    }
    if (isScalar(v)) {
      const src = this.sourceOf(v);
      return src === null ? null : this.replaceValue(cur, pair, [src, ...need]);
    }
    return null;
  }

  private single(e: TextEdit | null): TextEdit[] | null {
    return e ? [e] : null;
  }

  /** A single-line scalar's text as written (to copy it elsewhere), or null. */
  private sourceOf(node: Node | null | undefined): string | null {
    const n = this.deref(node);
    if (!isScalar(n) || !n.range || n.value === null || n.value === undefined) return null;
    if (n.type === 'BLOCK_FOLDED' || n.type === 'BLOCK_LITERAL') return null;
    const src = this.ydoc.text.slice(n.range[0], n.range[1]);
    if (/[\r\n]/.test(src)) return null;
    if (n.type === 'PLAIN' && /[,[\]{}]/.test(src)) return null;
    return src;
  }

  // ---------------------------------------------------------------- removal

  /**
   * Removes the pair at `path` (nothing to do, [], when it is not there). Collections on the
   * path that the removal empties go too, up to (not including) `map`; one whose key
   * shadows a merge becomes `{}`/`[]` instead, so the anchor's values do not switch back on.
   * Refused when the key is only merged (the anchor would have to change), or is a scalar
   * that shadows a merged one (removing it would switch the merged value on).
   */
  removeAt(map: YAMLMap, path: string[]): TextEdit[] | null {
    if (!path.length || !map.range || this.shared(map)) return null;
    let cur = map;
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      const own = this.own(cur, key);
      if (own.length > 1) return null;
      if (!own.length) return this.effectiveAt(cur, path.slice(i)) === undefined ? [] : null;
      const pair = own[0];
      const v = pair.value as Node | null;
      if (i === path.length - 1) {
        if (this.mergedValue(cur, key)) {
          const d = this.deref(v);
          if (isMap(d)) return isMap(v) && !d.items.length ? [] : this.replaceValue(cur, pair, '{}');
          if (isSeq(d)) return isSeq(v) && !d.items.length ? [] : this.replaceValue(cur, pair, '[]');
          return null;
        }
        return this.single(this.removePairIn(cur, pair, path.length - 1));
      }
      if (isAlias(v)) return this.effectiveAt(cur, path.slice(i)) === undefined ? [] : null;
      if (!isMap(v)) return [];
      if (this.shared(v)) return null;
      cur = v;
    }
    return null;
  }

  /**
   * Removes a pair: its whole line(s) in a block map (also the first pair of a sequence
   * item: `- name: x\n  image: y` -> `- image: y`), `key: value` and a comma in a flow map.
   * A map the removal empties becomes `{}` where its key shadows a merge or it is the only
   * entry of its parent; otherwise its own pair (or sequence item) goes too.
   */
  removePair(map: YAMLMap, pair: AnyPair): TextEdit[] | null {
    if (!map.range || !(map.items as AnyPair[]).includes(pair)) return null;
    return this.single(this.removePairIn(map, pair, 1));
  }

  /** Removes one item of a sequence (its lines in block style); an emptied sequence follows removePair's rule. */
  removeItem(seq: YAMLSeq, item: Node): TextEdit[] | null {
    if (!seq.range || !item?.range || !(seq.items as Node[]).includes(item) || this.shared(seq) || this.definesUsedAnchor(item)) return null;
    if (seq.items.length === 1) return this.single(this.emptied(seq, 1));
    return this.single(this.itemRemoval(seq, item));
  }

  private removePairIn(map: YAMLMap, pair: AnyPair, budget: number): TextEdit | null {
    const key = pair.key as Node | null;
    if (!key?.range || this.shared(map) || this.definesUsedAnchor(key) || this.definesUsedAnchor(pair.value as Node | null)) return null;
    if (map.items.length === 1) return this.emptied(map, budget);
    return this.pairRemoval(map, pair);
  }

  /**
   * What to do with a collection whose last entry is removed: remove it from its own
   * parent (when `budget` allows, its key shadows no merge and the parent keeps other
   * entries), else write it as `{}`/`[]`.
   */
  private emptied(c: Collection, budget: number): TextEdit | null {
    const where = this.tree.parents.get(c);
    if (budget > 0 && where) {
      const p = where.parent;
      if (isMap(p) && where.pair && !this.shared(p)) {
        const k = this.keyOf(where.pair);
        const shadows = k !== null && this.mergedValue(p, k) !== null;
        if (!shadows && k !== '<<') {
          if (p.items.length > 1) return this.pairRemoval(p, where.pair);
          if (budget > 1) return this.emptied(p, budget - 1);
        }
      } else if (isSeq(p) && !this.shared(p)) {
        if (p.items.length > 1) return this.itemRemoval(p, c);
        if (budget > 1) return this.emptied(p, budget - 1);
      }
    }
    return this.writeEmpty(c);
  }

  /** Writes an emptied collection as `{}` or `[]` in place. */
  private writeEmpty(c: Collection): TextEdit | null {
    if (!c.range || this.shared(c)) return null;
    const text = isMap(c) ? '{}' : '[]';
    if (c.flow) return this.edit(c.range[0], c.range[1], text);
    const where = this.tree.parents.get(c);
    if (where && isMap(where.parent) && where.pair) {
      const e = this.replaceValue(where.parent, where.pair, text);
      return e ? e[0] : null;
    }
    return this.edit(c.range[0], this.textEnd(c), text);
  }

  /** Removes a pair from a map that keeps other entries. */
  private pairRemoval(map: YAMLMap, pair: AnyPair): TextEdit | null {
    const key = pair.key as Node;
    const value = pair.value as Node | null;
    if (!key?.range) return null;
    const start = key.range[0];
    const end = value?.range ? this.textEnd(value) : key.range[1];
    if (map.flow) return this.removeFlowItem(map.items as unknown[], pair, start, end);
    const t = this.ydoc.text;
    const startLine = this.lineOf(start);
    const endLine = this.lineOf(Math.max(end - 1, start));
    const lineStart = this.lineStartDoc(startLine);
    const prefix = t.slice(lineStart, start);
    if (prefix.trim() === '') return this.edit(lineStart, this.nextLineDoc(endLine), this.commentLines(startLine, endLine, value, true));
    // `- key: v` (the first pair of a sequence item): the next pair moves up after the dash
    if (!/^[ \t]*(-[ \t]+)+$/.test(prefix) || map.items[0] !== pair) return null;
    const next = map.items[1] as AnyPair;
    const nextKey = next?.key as Node | null;
    if (!nextKey?.range) return null;
    const nextLine = this.lineOf(nextKey.range[0]);
    if (nextLine <= endLine) return null;
    // comments of the pair (end-of-line ones on lines of their own) and between the two pairs stay, above the item
    return this.edit(lineStart, nextKey.range[0], this.commentLines(startLine, nextLine - 1, value, true) + prefix);
  }

  /** Removes an item from a sequence that keeps other items. */
  private itemRemoval(seq: YAMLSeq, item: Node): TextEdit | null {
    if (!item.range) return null;
    if (seq.flow) return this.removeFlowItem(seq.items as unknown[], item, item.range[0], this.textEnd(item));
    const t = this.ydoc.text;
    let startLine = this.lineOf(item.range[0]);
    const prefix = t.slice(this.lineStartDoc(startLine), item.range[0]);
    if (prefix.trim() === '') {
      // the item's text starts below its dash (`-\n  a: 1`): the dash's line goes too
      let l = startLine - 1;
      while (l >= 0 && /^[ \t]*(#.*)?$/.test(t.slice(this.lineStartDoc(l), this.lineEndDoc(l))) && this.lineStartDoc(l) > (seq.range?.[0] ?? 0)) l--;
      if (l < 0 || !/^[ \t]*-[ \t]*(#.*)?$/.test(t.slice(this.lineStartDoc(l), this.lineEndDoc(l)))) return null;
      startLine = l;
    } else if (!/^[ \t]*-[ \t]*$/.test(prefix)) return null;
    const endLine = this.lastLine(item);
    return this.edit(this.lineStartDoc(startLine), this.nextLineDoc(endLine), this.commentLines(startLine, endLine, item, true));
  }

  private removeFlowItem(items: unknown[], item: unknown, start: number, end: number): TextEdit {
    const i = items.indexOf(item);
    const t = this.ydoc.text;
    if (items.length === 1) return this.edit(start, end, '');
    if (i < items.length - 1) {
      // up to the next item
      let e = end;
      while (e < t.length && t[e] !== ',') e++;
      e++;
      while (e < t.length && /[ \t\r\n]/.test(t[e])) e++;
      return this.edit(start, e, '');
    }
    let s = start;
    while (s > 0 && t[s - 1] !== ',') s--;
    s--;
    return this.edit(s, end, '');
  }

  // ---------------------------------------------------------------- inside a scalar

  /**
   * Replaces `[from, to)` of a scalar's value (offsets into the value as YAML reads it)
   * with `text`, keeping the scalar's style: plain stays plain (refused when the result
   * would read differently), quoted text is escaped for its quotes. Refused for block
   * scalars, multi-line scalars, shared anchors, and offsets inside an escape sequence.
   */
  replaceInScalar(node: Scalar, from: number, to: number, text: string): TextEdit[] | null {
    if (!isScalar(node) || !node.range || this.shared(node) || from < 0 || to < from) return null;
    const t = this.ydoc.text;
    const [s, e] = [node.range[0], node.range[1]];
    const src = t.slice(s, e);
    if (/[\r\n]/.test(src)) return null;
    let map: number[] | null;
    let escaped: string;
    let newValue: string;
    if (node.type === 'PLAIN') {
      map = Array.from({ length: src.length + 1 }, (_, i) => i);
      if (to > src.length) return null;
      newValue = src.slice(0, from) + text + src.slice(to);
      if (!plainSafe(newValue)) return null;
      escaped = text;
    } else if (node.type === 'QUOTE_SINGLE') {
      map = singleQuotedMap(src);
      if (UNPRINTABLE.test(text)) return null;
      escaped = text.replace(/'/g, "''");
      newValue = '';
    } else if (node.type === 'QUOTE_DOUBLE') {
      map = doubleQuotedMap(src);
      escaped = quoteDouble(text).slice(1, -1);
      newValue = '';
    } else return null;
    if (!map || to >= map.length || map[from] < 0 || map[to] < 0) return null;
    if (node.type !== 'PLAIN') {
      const value = String(node.value);
      if (value.length !== map.length - 1) return null;
      newValue = value.slice(0, from) + text + value.slice(to);
    }
    const newSrc = src.slice(0, map[from]) + escaped + src.slice(map[to]);
    // what YAML will read back must be exactly the intended string
    const flow = this.inFlow(node);
    const back = parseDocument(flow ? `[${newSrc}]` : `- ${newSrc}`);
    const read = !back.errors.length && isSeq(back.contents) && isScalar(back.contents.items[0]) ? (back.contents.items[0] as Scalar).value : undefined;
    if (read !== newValue) return null;
    if (map[from] === map[to] && escaped === '') return [];
    return [this.edit(s + map[from], s + map[to], escaped)];
  }
}

/** Source offsets (into the quoted text with its quotes) of each value position of a single-quoted scalar. */
function singleQuotedMap(src: string): number[] | null {
  if (src.length < 2 || src[0] !== "'" || src[src.length - 1] !== "'") return null;
  const out: number[] = [];
  let i = 1;
  while (i < src.length - 1) {
    out.push(i);
    i += src[i] === "'" ? 2 : 1;
  }
  out.push(src.length - 1);
  return out;
}

/** Source offsets of each value position (UTF-16) of a double-quoted scalar; -1 inside an escape's output. */
function doubleQuotedMap(src: string): number[] | null {
  if (src.length < 2 || src[0] !== '"' || src[src.length - 1] !== '"') return null;
  const out: number[] = [];
  let i = 1;
  const end = src.length - 1;
  while (i < end) {
    if (src[i] === '\\') {
      const c = src[i + 1];
      const len = c === 'x' ? 4 : c === 'u' ? 6 : c === 'U' ? 10 : 2;
      let units = 1;
      if (c === 'U') units = parseInt(src.slice(i + 2, i + 10), 16) > 0xffff ? 2 : 1;
      out.push(i);
      for (let k = 1; k < units; k++) out.push(-1);
      i += len;
    } else {
      const code = src.charCodeAt(i);
      out.push(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < end) {
        out.push(-1);
        i += 2;
      } else i += 1;
    }
  }
  if (i !== end) return null;
  out.push(end);
  return out;
}
