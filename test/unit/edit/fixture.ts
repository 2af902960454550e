/**
 * Fixtures for the edit-layer tests: an editor on one document of a text, node lookup by
 * path, and `apply`, which applies edits and checks what every edit must keep (the output
 * parses strictly, every comment of the input is still there in order, the data is as
 * intended).
 */
import assert from 'node:assert/strict';
import { isMap, isScalar, isSeq, parseAllDocuments, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { YamlEditor } from '../../../server/src/core/edit/yaml';
import { applyEdits } from '../../../server/src/core/engine';
import { parseYamlFile, YamlDocCache, type YamlDoc } from '../../../server/src/core/parse/yaml';
import { TextIndex } from '../../../server/src/core/text';
import type { TextEdit } from '../../../server/src/core/types';
import { assertParsesStrictly } from './strict';

export interface Fixture {
  text: string;
  ydoc: YamlDoc;
  ed: YamlEditor;
}

/** An editor on document `i` of `text`, built the way the models build it. */
export function open(text: string, i = 0): Fixture {
  const ydoc = parseYamlFile(text, new YamlDocCache())[i];
  assert.ok(ydoc, `no document ${i}`);
  assert.deepEqual(ydoc.errors, [], 'the input must parse');
  return { text, ydoc, ed: new YamlEditor({ text, index: new TextIndex(text) }, ydoc) };
}

/** The node at a path of map keys and sequence indexes from the document's root (aliases not followed). */
export function at(f: Fixture, ...path: (string | number)[]): Node {
  let n: unknown = f.ydoc.doc.contents;
  for (const k of path) {
    if (isMap(n)) n = n.get(k, true);
    else if (isSeq(n) && typeof k === 'number') n = n.items[k];
    else assert.fail(`no ${String(k)} in ${JSON.stringify(path)}`);
  }
  assert.ok(n, `nothing at ${JSON.stringify(path)}`);
  return n as Node;
}

export function mapAt(f: Fixture, ...path: (string | number)[]): YAMLMap {
  const n = path.length ? at(f, ...path) : f.ydoc.doc.contents;
  assert.ok(isMap(n), `${JSON.stringify(path)} is not a map`);
  return n;
}

export function seqAt(f: Fixture, ...path: (string | number)[]): YAMLSeq {
  const n = at(f, ...path);
  assert.ok(isSeq(n), `${JSON.stringify(path)} is not a sequence`);
  return n;
}

export function scalarAt(f: Fixture, ...path: (string | number)[]): Scalar {
  const n = at(f, ...path);
  assert.ok(isScalar(n), `${JSON.stringify(path)} is not a scalar`);
  return n;
}

export function pairOf(map: YAMLMap, key: string): Pair<Node, Node | null> {
  const p = (map.items as Pair<Node, Node | null>[]).find((x) => isScalar(x.key) && x.key.value === key);
  assert.ok(p, `no key ${key}`);
  return p;
}

const comments = (t: string) => t.match(/#.*/g) ?? [];

/**
 * Applies the edits (refused, null, fails the test) and checks the output: it parses
 * strictly, keeps every comment of the input in order (unless `lost` lists the ones the
 * edit removes on purpose), and reads as `js` when given (merge keys resolved).
 */
export function apply(f: Fixture, edits: TextEdit[] | TextEdit | null, js?: unknown, lost: string[] = []): string {
  assert.ok(edits, 'the editor refused the edit');
  const list = Array.isArray(edits) ? edits : [edits];
  for (const e of list) assert.ok(0 <= e.start && e.start <= e.end && e.end <= f.text.length, `edit [${e.start}, ${e.end}) outside the text`);
  const out = applyEdits(f.text, list);
  assertParsesStrictly(out);
  let from = 0;
  for (const c of comments(f.text)) {
    if (lost.includes(c)) continue;
    const i = out.indexOf(c, from);
    assert.ok(i >= 0, `comment ${JSON.stringify(c)} lost:\n${out}`);
    from = i + c.length;
  }
  if (js !== undefined) {
    const docs = parseAllDocuments(out, { merge: true });
    assert.ok(Array.isArray(docs));
    assert.deepEqual(docs.length === 1 ? docs[0].toJS() : docs.map((d) => d.toJS()), js);
  }
  return out;
}
