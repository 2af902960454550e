import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Node } from 'yaml';
import { mapText, type Command, type Mapped, type Word } from '../../core/parse/shell';
import type { YamlDoc } from '../../core/parse/yaml';

/** A scalar's text as written, quotes and block header left out, with its file offset. */
export interface ScalarText {
  node: Scalar;
  /** The content as written (escapes not resolved). */
  raw: string;
  /** File offset of raw[0]. */
  start: number;
  /** The value as YAML reads it. */
  parsed: string;
  quote: 'plain' | 'single' | 'double' | 'block';
}

export function scalarText(ydoc: YamlDoc, node: Node | null | undefined): ScalarText | null {
  if (!isScalar(node) || !node.range || node.value === null || node.value === undefined) return null;
  const [s, e] = node.range;
  let src = ydoc.text.slice(s, e);
  let start = s;
  let quote: ScalarText['quote'] = 'plain';
  if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) {
    quote = node.type === Scalar.QUOTE_DOUBLE ? 'double' : 'single';
    const q = quote === 'double' ? '"' : "'";
    if (src.startsWith(q)) {
      src = src.slice(1);
      start++;
    }
    if (src.endsWith(q)) src = src.slice(0, -1);
  } else if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    quote = 'block';
    const nl = src.search(/\r?\n/);
    if (nl < 0) return null;
    const skip = src[nl] === '\r' ? nl + 2 : nl + 1;
    src = src.slice(skip);
    start += skip;
  }
  src = src.replace(/\s+$/, '');
  return { node, raw: src, start: ydoc.base + start, parsed: String(node.value), quote };
}

/** A scalar as one word whose characters map to the file (approximately, where escapes shift them). */
export function scalarWord(t: ScalarText): Word {
  const chars = mapText(t.parsed, t.start);
  const end = t.start + t.raw.length;
  for (let i = 0; i < chars.starts.length; i++) {
    chars.starts[i] = Math.min(chars.starts[i], Math.max(end - 1, t.start));
    chars.ends[i] = Math.min(chars.ends[i], end);
  }
  return { value: t.parsed, chars, span: { start: t.start, end }, nested: [] };
}

export function scalarMapped(t: ScalarText): Mapped {
  return scalarWord(t).chars;
}

/** A list of strings run as one command (exec form: no shell splits them). */
export function execCommand(words: Word[]): Command {
  const span = words.length ? { start: words[0].span.start, end: words[words.length - 1].span.end } : { start: 0, end: 0 };
  return { assignments: [], words, redirects: [], pipedFrom: null, span };
}

/** A key path, built only when a message needs it. */
export interface KeyPath {
  key: string;
  parent: KeyPath | null;
}

export function pathText(p: KeyPath | null): string[] {
  const out: string[] = [];
  for (let x = p; x; x = x.parent) out.unshift(x.key);
  return out;
}

/**
 * Visits every scalar under a node (not through aliases: an anchored value is visited
 * where it is written), with the key path above it.
 */
export function walkScalars(node: unknown, visit: (s: Scalar, path: KeyPath | null) => void, path: KeyPath | null = null, depth = 0): void {
  if (depth > 64 || isAlias(node)) return;
  if (isScalar(node)) visit(node, path);
  else if (isMap(node)) {
    for (const p of node.items) {
      if (!isPair(p) || !p.value) continue;
      walkScalars(p.value, visit, { key: isScalar(p.key) ? String(p.key.value) : '?', parent: path }, depth + 1);
    }
  } else if (isSeq(node)) node.items.forEach((it, i) => walkScalars(it, visit, { key: String(i), parent: path }, depth + 1));
}

/** Whether a document offset lies inside a flow collection (`{…}` / `[…]`), where `{`, `}` and `,` end a plain scalar. */
export function inFlowCollection(node: unknown, offset: number, depth = 0): boolean {
  if (depth > 64 || !(isMap(node) || isSeq(node)) || !node.range) return false;
  if (offset < node.range[0] || offset >= node.range[2]) return false;
  if (node.flow) return true;
  for (const it of node.items as unknown[]) {
    const child = isPair(it) ? [it.key, it.value] : [it];
    if (child.some((c) => inFlowCollection(c, offset, depth + 1))) return true;
  }
  return false;
}

/** The scalar items of a sequence (marked visited), as written. */
export function seqScalarTexts(ydoc: YamlDoc, items: Node[], visited: Set<Node>): ScalarText[] {
  return items.map((n) => {
    visited.add(n);
    return scalarText(ydoc, n);
  }).filter((t): t is ScalarText => t !== null);
}
