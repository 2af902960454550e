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
 * A copy of `s` that does not keep a larger string alive: V8 may represent a slice as a view
 * into its parent (the whole file), so a cache keyed by one document's slice would retain a
 * copy of the whole file per entry. Concatenating and slicing again flattens it.
 */
export function ownString(s: string): string {
  return s.length < 16 ? s : (' ' + s).slice(1);
}

interface CacheEntry {
  /** The document's own text (never a slice of a file). */
  key: string;
  doc: Document.Parsed;
}

/**
 * Parsed documents by their exact text: an edit re-parses only the document it touches.
 *
 * Between `begin(owner)` and `end()` (one analysis of one file: the owner is its path or
 * URI), documents are kept per owner, and `end()` keeps only those this analysis used: an
 * open document holds at most the documents of its latest text, however many edits came
 * before. At most `maxOwners` files are kept (least recently analysed dropped first), and
 * at most `capacityChars` of text in all. Outside begin/end (helpers, tests) a shared LRU
 * holds documents, bounded by the same number of characters.
 */
export class YamlDocCache {
  private readonly shared = new Map<string, CacheEntry>();
  private sharedChars = 0;
  private readonly owners = new Map<string, { entries: Map<string, CacheEntry>; order: CacheEntry[]; chars: number }>();
  private ownedChars = 0;
  private current: { owner: string; prev: Map<string, CacheEntry> | undefined; prevOrder: CacheEntry[]; next: Map<string, CacheEntry>; order: CacheEntry[]; chars: number } | null = null;
  parses = 0;

  constructor(
    private readonly capacityChars = 4 * 1024 * 1024,
    private readonly maxOwners = 64,
  ) {}

  /** Starts one file's analysis: documents it parses or reuses are kept for `owner`. */
  begin(owner: string): void {
    const o = this.owners.get(owner);
    this.current = { owner, prev: o?.entries, prevOrder: o?.order ?? [], next: new Map(), order: [], chars: 0 };
  }

  /** Ends it: the owner keeps exactly the documents this analysis used. */
  end(): void {
    const c = this.current;
    if (!c) return;
    this.current = null;
    this.forget(c.owner);
    this.owners.set(c.owner, { entries: c.next, order: c.order, chars: c.chars });
    this.ownedChars += c.chars;
    for (const owner of [...this.owners.keys()]) {
      if (this.owners.size <= this.maxOwners && this.ownedChars <= this.capacityChars) break;
      if (owner === c.owner) continue;
      this.forget(owner);
    }
  }

  /** Drops an owner's documents (a document closed). */
  forget(owner: string): void {
    const o = this.owners.get(owner);
    if (!o) return;
    this.owners.delete(owner);
    this.ownedChars -= o.chars;
  }

  /** Drops every owner's documents. */
  clearOwners(): void {
    this.owners.clear();
    this.ownedChars = 0;
  }

  /** What the cache holds: entries and characters of text (for tests and the bench). */
  size(): { owners: number; entries: number; chars: number } {
    let entries = this.shared.size;
    for (const o of this.owners.values()) entries += o.entries.size;
    return { owners: this.owners.size, entries, chars: this.sharedChars + this.ownedChars };
  }

  private parse(text: string): CacheEntry {
    this.parses++;
    const key = ownString(text);
    return { key, doc: parseDocument(key, { prettyErrors: false, uniqueKeys: false, strict: false }) };
  }

  get(text: string): Document.Parsed {
    const c = this.current;
    if (c) {
      // First the document at the same place in the owner's previous text, compared as a
      // string (no hash of the text computed: an edit leaves all but one document as they were)
      const same = c.prevOrder[c.order.length];
      let e = same !== undefined && same.key.length === text.length && same.key === text ? same : c.next.get(text);
      if (e === undefined) e = c.prev?.get(text) ?? this.parse(text);
      c.order.push(e);
      if (!c.next.has(e.key)) {
        c.next.set(e.key, e);
        c.chars += e.key.length;
      }
      return e.doc;
    }
    let e = this.shared.get(text);
    if (e) {
      // refresh its place for LRU eviction
      this.shared.delete(e.key);
      this.shared.set(e.key, e);
      return e.doc;
    }
    e = this.parse(text);
    this.shared.set(e.key, e);
    this.sharedChars += e.key.length;
    while (this.sharedChars > this.capacityChars && this.shared.size > 1) {
      const oldest = this.shared.values().next().value as CacheEntry;
      this.shared.delete(oldest.key);
      this.sharedChars -= oldest.key.length;
    }
    return e.doc;
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
