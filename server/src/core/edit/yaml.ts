import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { YamlDoc } from '../parse/yaml';
import type { TextIndex } from '../text';
import type { TextEdit } from '../types';

/**
 * The YAML edit layer: the only place YAML text is synthesised. Edits insert at the file's
 * own indentation and sequence style, keep every comment and unrelated byte, keep the
 * line break style, and refuse (return null) where they would have to write through an
 * anchor that others share.
 */

/** A value to write: a scalar already in YAML syntax, a map, or a list. */
export type YamlValue = string | { [key: string]: YamlValue } | YamlValue[];

export interface YamlFile {
  text: string;
  index: TextIndex;
}

export class YamlEditor {
  private unit: number | null = null;
  private seqIndented: boolean | null = null;

  /** A JSON document (JSON is YAML): keys and strings are written with double quotes. */
  readonly json: boolean;

  constructor(readonly file: YamlFile, readonly ydoc: YamlDoc) {
    this.json = /^\s*[{[]/.test(ydoc.text.replace(/^(\s*#[^\n]*\n)*/, ''));
  }

  /** A key as the document writes keys. */
  private key(k: string): string {
    return this.json ? JSON.stringify(k) : k;
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

  /** The indentation step the file uses (the most common increase), default 2. */
  indentUnit(): number {
    if (this.unit !== null) return this.unit;
    const counts = new Map<number, number>();
    let prev = 0;
    const lines = this.ydoc.text.split(/\r\n|\r|\n/);
    for (const l of lines) {
      if (!l.trim() || l.trimStart().startsWith('#')) continue;
      const ind = /^ */.exec(l)![0].length;
      if (ind > prev) counts.set(ind - prev, (counts.get(ind - prev) ?? 0) + 1);
      prev = ind;
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
        for (const p of n.items as Pair<Node, Node | null>[]) {
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

  private lineEndAfter(offset: number): number {
    const line = this.file.index.positionAt(this.abs(offset)).line;
    return this.file.index.lineEnd(line);
  }

  /** Where a node's own content ends (the deepest last value; trailing comments excluded). */
  private contentEnd(node: Node): number {
    if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length) {
      const last = node.items[node.items.length - 1] as unknown;
      if (isMap(node)) {
        const p = last as Pair<Node, Node | null>;
        if (p.value && (p.value as Node).range) return this.contentEnd(p.value as Node);
        return (p.key as Node).range![1];
      }
      return this.contentEnd(last as Node);
    }
    return node.range![1];
  }

  /** True when edits inside this node would change what others share through an anchor. */
  shared(node: Node | null | undefined): boolean {
    return Boolean(node && (node as { anchor?: string }).anchor);
  }

  private pad(n: number): string {
    return ' '.repeat(n);
  }

  /** Renders `key: value` lines at a block indentation (the first line without its padding). */
  private renderPair(key: string, value: YamlValue, indent: number): string {
    if (typeof value === 'string') return `${key}: ${value}`;
    if (Array.isArray(value)) {
      const seqCol = this.sequencesIndented() ? indent + this.indentUnit() : indent;
      return `${key}:${value.map((v) => this.eol + this.pad(seqCol) + this.renderItem(v, seqCol)).join('')}`;
    }
    const inner = indent + this.indentUnit();
    return `${key}:${Object.entries(value).map(([k, v]) => this.eol + this.pad(inner) + this.renderPair(k, v, inner)).join('')}`;
  }

  /** Renders a sequence item starting with `- ` at column `col`. */
  renderItem(value: YamlValue, col: number): string {
    if (typeof value === 'string') return `- ${value}`;
    if (Array.isArray(value)) return `- ${this.flow(value)}`;
    const inner = col + 2;
    return `- ${Object.entries(value).map(([k, v], i) => (i ? this.eol + this.pad(inner) : '') + this.renderPair(k, v, inner)).join('')}`;
  }

  flow(value: YamlValue): string {
    if (typeof value === 'string') return this.scalar(value);
    if (Array.isArray(value)) return `[${value.map((v) => this.flow(v)).join(', ')}]`;
    return `{${Object.entries(value).map(([k, v]) => `${this.key(k)}: ${this.flow(v)}`).join(', ')}}`;
  }

  private keyColumn(map: YAMLMap): number {
    const first = map.items[0] as Pair<Node, Node | null> | undefined;
    return first && (first.key as Node)?.range ? this.column((first.key as Node).range![0]) : 0;
  }

  /** Inserts pairs at the end of a map, in its own style. */
  insertPairs(map: YAMLMap, pairs: [string, YamlValue][]): TextEdit | null {
    if (!pairs.length || !map.range || this.shared(map)) return null;
    if (map.flow) {
      const text = pairs.map(([k, v]) => `${this.key(k)}: ${this.flow(v)}`).join(', ');
      if (!map.items.length) {
        const close = this.ydoc.text.lastIndexOf('}', map.range[1]);
        return { start: this.abs(close), end: this.abs(close), text };
      }
      const last = map.items[map.items.length - 1] as Pair<Node, Node | null>;
      const end = ((last.value as Node | null)?.range ?? (last.key as Node).range!)[1];
      return { start: this.abs(end), end: this.abs(end), text: `, ${text}` };
    }
    const col = this.keyColumn(map);
    const at = this.lineEndAfter(Math.max(this.contentEnd(map) - 1, map.range[0]));
    return { start: at, end: at, text: pairs.map(([k, v]) => this.eol + this.pad(col) + this.renderPair(k, v, col)).join('') };
  }

  /** Gives an existing key with no value (`key:` or `key: null`) a block map of pairs. */
  fillEmpty(pair: Pair<Node, Node | null>, pairs: [string, YamlValue][]): TextEdit | null {
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
      const pair = (current.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && p.key.value === key);
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
    return this.insertPairs(current, pairs.filter(([k]) => !have.has(k)));
  }

  /** Sets a pair's scalar value: replaces it, or fills an empty `key:` (`key: text`). */
  setScalar(pair: Pair<Node, Node | null>, text: string): TextEdit | null {
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

  /** Removes a pair: its whole line(s) in a block map, or `key: value` and a comma in a flow map. */
  removePair(map: YAMLMap, pair: Pair<Node, Node | null>): TextEdit | null {
    if (this.shared(map)) return null;
    const key = pair.key as Node;
    const value = pair.value as Node | null;
    if (!key.range) return null;
    const start = key.range[0];
    const end = value?.range ? this.contentEnd(value) : key.range[1];
    if (map.flow) return this.removeFlowItem(map.items as unknown[], pair, start, end);
    const idx = this.file.index;
    const startLine = idx.positionAt(this.abs(start)).line;
    const endLine = idx.positionAt(this.abs(Math.max(end - 1, start))).line;
    const lineStart = idx.lineStart(startLine);
    if (this.file.text.slice(lineStart, this.abs(start)).trim() !== '') {
      // `- key: v` as a sequence item's first pair: only whole-item removal is safe
      return null;
    }
    const next = endLine + 1 < idx.lineCount ? idx.lineStart(endLine + 1) : idx.lineEnd(endLine);
    return { start: lineStart, end: next, text: '' };
  }

  private removeFlowItem(items: unknown[], item: unknown, start: number, end: number): TextEdit {
    const i = items.indexOf(item);
    const t = this.ydoc.text;
    if (items.length === 1) return { start: this.abs(start), end: this.abs(end), text: '' };
    if (i < items.length - 1) {
      // up to the next item
      let e = end;
      while (e < t.length && t[e] !== ',') e++;
      e++;
      while (e < t.length && (t[e] === ' ' || t[e] === '\t')) e++;
      return { start: this.abs(start), end: this.abs(e), text: '' };
    }
    let s = start;
    while (s > 0 && t[s - 1] !== ',') s--;
    s--;
    return { start: this.abs(s), end: this.abs(end), text: '' };
  }

  /** Appends an item to a sequence in its own style. */
  appendItem(seq: YAMLSeq, value: YamlValue): TextEdit | null {
    if (!seq.range || this.shared(seq)) return null;
    if (seq.flow) {
      if (!seq.items.length) {
        const close = this.ydoc.text.lastIndexOf(']', seq.range[1]);
        return { start: this.abs(close), end: this.abs(close), text: this.flow(value) };
      }
      const last = seq.items[seq.items.length - 1] as Node;
      return { start: this.abs(last.range![1]), end: this.abs(last.range![1]), text: `, ${this.flow(value)}` };
    }
    const col = this.column(seq.range[0]);
    const at = this.lineEndAfter(Math.max(this.contentEnd(seq) - 1, seq.range[0]));
    return { start: at, end: at, text: this.eol + this.pad(col) + this.renderItem(value, col) };
  }

  /** Removes one item of a sequence (its lines in block style). */
  removeItem(seq: YAMLSeq, item: Node): TextEdit | null {
    if (!item.range || this.shared(seq)) return null;
    if (seq.flow) return this.removeFlowItem(seq.items as unknown[], item, item.range[0], item.range[1]);
    const idx = this.file.index;
    const startLine = idx.positionAt(this.abs(item.range[0])).line;
    const endLine = idx.positionAt(this.abs(Math.max(this.contentEnd(item) - 1, item.range[0]))).line;
    const next = endLine + 1 < idx.lineCount ? idx.lineStart(endLine + 1) : idx.lineEnd(endLine);
    return { start: idx.lineStart(startLine), end: next, text: '' };
  }
}
