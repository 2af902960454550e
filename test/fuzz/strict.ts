/**
 * Strict YAML checks shared by the rule test harness (test/helpers/testRule.ts) and the
 * property tests: a fix must leave a document that parses with duplicate keys as errors,
 * keep every comment, and leave every node it did not edit where it was, meaning the same.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, Lexer, parseDocument, type Node } from 'yaml';
import { splitDocuments } from '../../server/src/core/parse/yaml';
import type { TextEdit } from '../../server/src/core/types';

/** What the checks need of one document, computed once per document text (a fix usually touches one). */
interface DocInfo {
  /** Error codes of a strict parse (`uniqueKeys: true`). */
  codes: string[];
  /** Scalars and aliases, offsets relative to the document. */
  leaves: Omit<Leaf, 'doc'>[];
  comments: string[];
}

const memo = new Map<string, DocInfo>();

function docInfo(text: string): DocInfo {
  let info = memo.get(text);
  if (info) return info;
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true });
  const comments: string[] = [];
  for (const tok of new Lexer().lex(text)) if (tok.startsWith('#')) comments.push(tok.trimEnd());
  info = { codes: doc.errors.map((e) => e.code), leaves: leavesOf(doc.contents), comments };
  if (memo.size > 400) memo.clear();
  memo.set(text, info);
  return info;
}

/** Error codes of a strict parse (`uniqueKeys: true`) of each document, one list per document. */
export function strictErrors(text: string): string[][] {
  return splitDocuments(text).map((part) => docInfo(part.text).codes);
}

/**
 * Strict parse errors `after` has in documents that parsed strictly in `before` (documents
 * matched by their order), as "CODE xN" strings; a changed number of documents is one too.
 * A document that was already broken is not compared: a fix may move its errors around.
 */
export function newStrictErrors(before: string, after: string): string[] {
  const a = strictErrors(before);
  const b = strictErrors(after);
  const count = new Map<string, number>();
  if (a.length !== b.length) count.set(`DOCUMENT_COUNT ${a.length}->${b.length}`, 1);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i].length > 0) continue;
    for (const code of b[i]) count.set(code, (count.get(code) ?? 0) + 1);
  }
  return [...count].map(([code, n]) => `${code} x${n}`).sort();
}

/** Every comment token of a YAML text (the lexer's view: not `#` inside scalars), trimmed. */
export function yamlComments(text: string): string[] {
  return splitDocuments(text).flatMap((part) => docInfo(part.text).comments);
}

/** Comment lines of a Dockerfile (`#` first on the line), trimmed. */
export function dockerfileComments(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l.startsWith('#'));
}

/** Items of `before` (a multiset) missing from `after`. */
export function missingItems(before: readonly string[], after: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const x of after) count.set(x, (count.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of before) {
    const n = count.get(x) ?? 0;
    if (n === 0) out.push(x);
    else count.set(x, n - 1);
  }
  return out;
}

/** One node of the text as written: a scalar, an alias, or a pair's key. */
export interface Leaf {
  start: number;
  end: number;
  /** Map keys from the document root, `[]` for a sequence item, `#key` for a key itself. */
  path: string;
  /** The scalar's value (or `*name` for an alias). */
  value: string;
  doc: number;
}

/** Every scalar and alias of every document (of every document that parses strictly, with `onlyValid`), with file offsets and its key path. */
export function yamlLeaves(text: string, onlyValid = false): Leaf[] {
  const out: Leaf[] = [];
  splitDocuments(text).forEach((part, doc) => {
    const info = docInfo(part.text);
    if (onlyValid && info.codes.length) return;
    for (const l of info.leaves) out.push({ ...l, start: part.base + l.start, end: part.base + l.end, doc });
  });
  return out;
}

function leavesOf(root: unknown): Omit<Leaf, 'doc'>[] {
  const out: Omit<Leaf, 'doc'>[] = [];
  const visit = (node: unknown, path: string, isKey: boolean, depth: number) => {
    if (depth > 200 || !node) return;
    if (isScalar(node) || isAlias(node)) {
      const r = (node as Node).range;
      if (!r) return;
      const value = isAlias(node) ? `*${node.source}` : String(node.value);
      out.push({ start: r[0], end: r[1], path: isKey ? `${path}#key` : path, value });
      return;
    }
    if (isMap(node)) {
      for (const p of node.items) {
        if (!isPair(p)) continue;
        const k = isScalar(p.key) ? String(p.key.value) : isAlias(p.key) ? `*${p.key.source}` : '?';
        visit(p.key, `${path}/${k}`, true, depth + 1);
        visit(p.value, `${path}/${k}`, false, depth + 1);
      }
      return;
    }
    if (isSeq(node)) {
      for (const item of node.items) visit(item, `${path}[]`, false, depth + 1);
    }
  };
  visit(root, '', false, 0);
  return out;
}

/**
 * Nodes of `before` that no edit touches but that are no longer at their shifted place in
 * `after` with the same value and key path (a fix that re-indents, re-parents or rewrites
 * text it was not asked to). Documents that did not parse before are not compared.
 * Returns a description of each, without values.
 */
export function movedLeaves(before: string, after: string, edits: readonly TextEdit[]): string[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const touched = (s: number, e: number) => sorted.some((x) => x.start <= e && s <= x.end);
  const shift = (offset: number) => {
    let d = 0;
    for (const x of sorted) if (x.end <= offset) d += x.text.length - (x.end - x.start);
    return offset + d;
  };
  const afterLeaves = new Map<string, Leaf>();
  for (const l of yamlLeaves(after)) afterLeaves.set(`${l.start}:${l.end}`, l);
  const out: string[] = [];
  for (const l of yamlLeaves(before, true)) {
    // an empty value (`user:`) has no text to keep; YAML places it loosely after the colon
    if (l.start === l.end || touched(l.start, l.end)) continue;
    const m = afterLeaves.get(`${shift(l.start)}:${shift(l.end)}`);
    if (!m) out.push(`node at ${l.path || '/'} (offset ${l.start}) is gone or changed`);
    else if (m.path !== l.path) out.push(`node at ${l.path || '/'} (offset ${l.start}) moved to ${m.path || '/'}`);
    else if (m.value !== l.value) out.push(`node at ${l.path || '/'} (offset ${l.start}) changed its value`);
  }
  return out;
}
