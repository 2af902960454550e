import { isAlias, isMap, isScalar, isSeq, visit, type Alias, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

/** A key's value in a map, and whether it came through a merge key (`<<: *anchor`). */
export interface Entry {
  key: string;
  pair: Pair<Node, Node | null>;
  value: Node | null;
  /** Set when the value comes from an anchor merged into this map: edits must not go there. */
  merged: boolean;
}

/**
 * Every alias of a document with the node it refers to, built in one walk per document.
 * `Alias.resolve` walks the whole document on each call, which made 4,000 aliases take
 * seconds; parsed documents are immutable and cached by their text, so one walk serves all.
 */
const aliasTargets = new WeakMap<Document, Map<Alias, Node | null>>();

function aliasMap(doc: Document): Map<Alias, Node | null> {
  let targets = aliasTargets.get(doc);
  if (targets) return targets;
  const found = new Map<Alias, Node | null>();
  const latest = new Map<string, Node>();
  // the same order as Alias.resolve: the last node with the anchor that precedes the alias
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) found.set(node, latest.get(node.source) ?? null);
      else if (typeof (node as { anchor?: unknown }).anchor === 'string') latest.set((node as { anchor: string }).anchor, node as Node);
    },
  });
  targets = found;
  aliasTargets.set(doc, targets);
  return targets;
}

/** Follows an alias to its anchored node (one hop; anchors cannot be cyclic in a parsed tree). */
export function deref(node: unknown, doc: Document): Node | null {
  if (isAlias(node)) {
    const target = aliasMap(doc).get(node);
    // an alias outside the walked tree (a node built after parsing): ask the document
    if (target === undefined) return (node.resolve(doc) as Node | undefined) ?? null;
    return target;
  }
  return (node as Node | null) ?? null;
}

/**
 * Resolved entries per map node. Parsed documents are immutable and cached by their text,
 * so a map's entries never change; remembering them keeps merge-key bombs (`<<: [*a, *a,
 * …]` nested) linear in the number of distinct maps.
 */
const resolved = new WeakMap<YAMLMap, Map<string, Entry>>();

/**
 * The effective entries of a map with `<<` merges resolved: own keys win over merged
 * ones, earlier merge sources over later ones. Depth-limited and memoised per node.
 */
export function entries(map: YAMLMap, doc: Document, depth = 0): Map<string, Entry> {
  const known = resolved.get(map);
  if (known) return known;
  const out = new Map<string, Entry>();
  const merges: Node[] = [];
  for (const p of map.items as Pair<Node, Node | null>[]) {
    const k = isScalar(p.key) ? String(p.key.value) : null;
    if (k === null) continue;
    if (k === '<<' && depth < 32) {
      const v = p.value;
      if (isSeq(v)) for (const it of v.items as Node[]) merges.push(it);
      else if (v) merges.push(v);
      continue;
    }
    if (!out.has(k)) out.set(k, { key: k, pair: p, value: deref(p.value, doc), merged: isAlias(p.value) });
  }
  const seen = new Set<YAMLMap>();
  for (const m of merges) {
    const src = deref(m, doc);
    if (!isMap(src) || seen.has(src) || src === map) continue;
    seen.add(src);
    for (const [k, e] of entries(src, doc, depth + 1)) if (!out.has(k)) out.set(k, e.merged ? e : { ...e, merged: true });
  }
  resolved.set(map, out);
  return out;
}

export function get(map: YAMLMap | null | undefined, key: string, doc: Document): Entry | undefined {
  return map ? entries(map, doc).get(key) : undefined;
}

export function getMap(map: YAMLMap | null | undefined, key: string, doc: Document): YAMLMap | null {
  const v = get(map, key, doc)?.value;
  return isMap(v) ? v : null;
}

export function getSeq(map: YAMLMap | null | undefined, key: string, doc: Document): YAMLSeq | null {
  const v = get(map, key, doc)?.value;
  return isSeq(v) ? v : null;
}

export function getPath(map: YAMLMap | null, path: string[], doc: Document): YAMLMap | null {
  let m: YAMLMap | null = map;
  for (const k of path) m = getMap(m, k, doc);
  return m;
}

export function scalar(node: Node | null | undefined): string | number | boolean | null | undefined {
  if (!isScalar(node)) return undefined;
  return node.value as string | number | boolean | null;
}

export function str(node: Node | null | undefined): string | undefined {
  const v = scalar(node);
  return v === undefined || v === null ? undefined : String(v);
}

export function seqItems(seq: YAMLSeq | null, doc: Document): Node[] {
  return seq ? (seq.items as Node[]).map((n) => deref(n, doc)).filter((n): n is Node => n !== null) : [];
}
