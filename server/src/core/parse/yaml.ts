import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Span } from '../text';

/** One YAML document of a file: parsed on its own, positions relative to `base`. */
export interface YamlDoc {
  /** Offset of the document's first character in the file. */
  base: number;
  text: string;
  doc: Document.Parsed;
  /** Real syntax errors, as file spans. */
  errors: { span: Span; message: string }[];
  /** The top-level map, if the document is one. */
  root: YAMLMap | null;
  /**
   * Keys written twice in one mapping (the second and later ones, as file spans): YAML
   * readers keep only one of the values, so the document still parses and is analysed,
   * but each is reported. Merge keys (`<<`) are not counted.
   */
  duplicates: DuplicateKey[];
}

export interface DuplicateKey {
  span: Span;
  /** The key as written, bounded and without control characters (safe for messages). */
  key: string;
  /** `Duplicate key 'x' ...`: never quotes a value. */
  message: string;
}

/**
 * Parsed documents by their exact text: an edit re-parses only the document it touches.
 * Bounded by the total text held (a parsed document costs tens of times its text).
 */
export class YamlDocCache {
  private readonly map = new Map<string, Document.Parsed>();
  private chars = 0;
  parses = 0;

  constructor(private readonly capacityChars = 4 * 1024 * 1024) {}

  get(text: string): Document.Parsed {
    let doc = this.map.get(text);
    if (doc) {
      // refresh its place for LRU eviction
      this.map.delete(text);
      this.map.set(text, doc);
      return doc;
    }
    this.parses++;
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false, strict: false });
    this.map.set(text, doc);
    this.chars += text.length;
    while (this.chars > this.capacityChars && this.map.size > 1) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
      this.chars -= oldest.length;
    }
    return doc;
  }
}

const MARKER = /^---(?=[ \t]|\r|\n|$)/gm;

/**
 * Splits a file at `---` markers (a marker at column 0 always starts a new document, even
 * inside what looks like a block scalar). A marker right after a part holding only
 * comments or directives belongs to that part.
 */
export function splitDocuments(text: string): { base: number; text: string }[] {
  const cuts: number[] = [0];
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
    if (m.index === 0) continue;
    const prev = text.slice(cuts[cuts.length - 1], m.index);
    if (/^(?:[ \t]*(?:#.*|%.*)?(?:\r\n|\r|\n))*$/.test(prev) && !/^---/.test(prev)) continue;
    cuts.push(m.index);
  }
  return cuts.map((start, i) => ({ base: start, text: text.slice(start, cuts[i + 1] ?? text.length) }));
}

export function parseYamlFile(text: string, cache: YamlDocCache): YamlDoc[] {
  return splitDocuments(text).map(({ base, text: t }) => {
    const doc = cache.get(t);
    const errors = doc.errors.map((e) => ({
      span: { start: base + e.pos[0], end: base + Math.max(e.pos[0], Math.min(e.pos[1], t.length)) },
      message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
    }));
    const duplicates = duplicateKeys(doc).map((d) => ({ span: { start: base + d.start, end: base + d.end }, key: d.key, message: d.message }));
    return { base, text: t, doc, errors, root: isMap(doc.contents) ? doc.contents : null, duplicates };
  });
}

/** A key for messages: at most 60 characters, control characters shown as `?`. */
export function keyForMessage(key: string): string {
    const clean = key.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
}

interface DocDuplicate {
  start: number;
  end: number;
  key: string;
  message: string;
}

/** Duplicates per parsed document: documents are immutable and cached by their text. */
const duplicatesOf = new WeakMap<Document.Parsed, DocDuplicate[]>();

/**
 * Keys that appear twice in one mapping, at the later occurrence (document offsets).
 * Two keys are the same when their scalar values are (so `1` and `"1"` differ, as in
 * the YAML readers Compose and Kubernetes use). Aliases are not followed: every mapping is
 * visited once where it is written.
 */
export function duplicateKeys(doc: Document.Parsed): DocDuplicate[] {
  const known = duplicatesOf.get(doc);
  if (known) return known;
  const out: DocDuplicate[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const n = stack.pop();
    if (isMap(n)) {
      const seen = new Set<string>();
      for (const p of n.items as Pair<unknown, unknown>[]) {
        const k = p.key;
        if (isScalar(k) && k.value !== null && k.value !== undefined && k.range) {
          const id = `${typeof k.value}:${String(k.value)}`;
          if (k.value !== '<<') {
            if (seen.has(id)) {
              const key = keyForMessage(String(k.value));
              out.push({ start: k.range[0], end: k.range[1], key, message: `Duplicate key '${key}' in this mapping: YAML readers keep only one of its values` });
            }
            seen.add(id);
          }
        } else if (k) stack.push(k);
        if (p.value) stack.push(p.value);
      }
    } else if (isSeq(n)) {
      for (const it of n.items) stack.push(it);
    } else if (isPair(n)) {
      stack.push(n.key, n.value);
    }
  }
  out.sort((a, b) => a.start - b.start);
  duplicatesOf.set(doc, out);
  return out;
}

/** The file span of a node (its value, without trailing comments). */
export function nodeSpan(node: Node | null | undefined, base: number): Span | null {
  if (!node || !node.range) return null;
  return { start: base + node.range[0], end: base + node.range[1] };
}

export function scalarString(node: unknown): string | null {
  if (!isScalar(node)) return null;
  const v = node.value;
  return v === null || v === undefined ? null : String(v);
}
