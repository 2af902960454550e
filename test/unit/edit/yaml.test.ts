/**
 * The YAML edit layer (YamlEditor): the exact text each operation produces, applied with
 * the engine's applyEdits. Every output must parse, keep every comment, keep the file's
 * indentation, sequence style and line breaks, and leave unrelated bytes alone; edits that
 * would write through an anchor others share are refused (null).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { assertParsesStrictly } from './strict';
import { YamlEditor } from '../../../server/src/core/edit/yaml';
import { applyEdits } from '../../../server/src/core/engine';
import { parseYamlFile, YamlDocCache, type YamlDoc } from '../../../server/src/core/parse/yaml';
import { TextIndex } from '../../../server/src/core/text';
import type { TextEdit } from '../../../server/src/core/types';

interface Fixture {
  text: string;
  ydoc: YamlDoc;
  ed: YamlEditor;
}

/** An editor on document `i` of `text`, built the way the models build it. */
function open(text: string, i = 0): Fixture {
  const ydoc = parseYamlFile(text, new YamlDocCache())[i];
  assert.ok(ydoc, `no document ${i}`);
  assert.deepEqual(ydoc.errors, [], 'the input must parse');
  return { text, ydoc, ed: new YamlEditor({ text, index: new TextIndex(text) }, ydoc) };
}

/** The node at a path of map keys and sequence indexes from the document's root. */
function at(f: Fixture, ...path: (string | number)[]): Node {
  let n: unknown = f.ydoc.doc.contents;
  for (const k of path) {
    if (isMap(n)) n = n.get(k, true);
    else if (isSeq(n) && typeof k === 'number') n = n.items[k];
    else assert.fail(`no ${String(k)} in ${JSON.stringify(path)}`);
  }
  assert.ok(n, `nothing at ${JSON.stringify(path)}`);
  return n as Node;
}

function mapAt(f: Fixture, ...path: (string | number)[]): YAMLMap {
  const n = path.length ? at(f, ...path) : f.ydoc.doc.contents;
  assert.ok(isMap(n), `${JSON.stringify(path)} is not a map`);
  return n;
}

function seqAt(f: Fixture, ...path: (string | number)[]): YAMLSeq {
  const n = at(f, ...path);
  assert.ok(isSeq(n), `${JSON.stringify(path)} is not a sequence`);
  return n;
}

function pairOf(map: YAMLMap, key: string): Pair<Node, Node | null> {
  const p = (map.items as Pair<Node, Node | null>[]).find((x) => isScalar(x.key) && x.key.value === key);
  assert.ok(p, `no key ${key}`);
  return p;
}

const comments = (t: string) => t.match(/#.*/g) ?? [];

/**
 * Applies the edit(s) and checks what every edit must keep: the output parses strictly
 * (all its documents, duplicate keys are errors), every comment of the input is still
 * there in order, and (when `js` is given) the data is as intended. Returns the output text.
 */
function apply(f: Fixture, edit: TextEdit | TextEdit[] | null, js?: unknown): string {
  assert.ok(edit, 'the editor refused the edit');
  const edits = Array.isArray(edit) ? edit : [edit];
  for (const e of edits) assert.ok(0 <= e.start && e.start <= e.end && e.end <= f.text.length, `edit [${e.start}, ${e.end}) outside the text`);
  const out = applyEdits(f.text, edits);
  assertParsesStrictly(out);
  let from = 0;
  for (const c of comments(f.text)) {
    const i = out.indexOf(c, from);
    assert.ok(i >= 0, `comment ${JSON.stringify(c)} lost:\n${out}`);
    from = i + c.length;
  }
  if (js !== undefined) {
    const docs = parseAllDocuments(out);
    assert.ok(Array.isArray(docs));
    assert.deepEqual(docs.length === 1 ? docs[0].toJS() : docs.map((d) => d.toJS()), js);
  }
  return out;
}

/** For pure insertions: nothing of the input is replaced. */
function assertInsertion(edit: TextEdit | null): void {
  assert.ok(edit);
  assert.equal(edit.start, edit.end, 'an insertion must not replace text');
}

describe('YamlEditor.insertPairs: block maps', () => {
  test('2-space indentation', () => {
    const f = open('a:\n  b: 1\n  c: 2\nz: 3\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assertInsertion(e);
    assert.equal(apply(f, e, { a: { b: 1, c: 2, d: 4 }, z: 3 }), 'a:\n  b: 1\n  c: 2\n  d: 4\nz: 3\n');
  });

  test('4-space indentation', () => {
    const f = open('a:\n    b: 1\n    c: 2\nz: 3\n');
    assert.equal(f.ed.indentUnit(), 4);
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assert.equal(apply(f, e, { a: { b: 1, c: 2, d: 4 }, z: 3 }), 'a:\n    b: 1\n    c: 2\n    d: 4\nz: 3\n');
  });

  test('indentation step: line breaks, blank, comment and tab-led lines as the line-split reading counts them', () => {
    // the reading indentUnit had before it scanned the text in place (split into lines, trimmed)
    const reference = (text: string): number => {
      const counts = new Map<number, number>();
      let prev = 0;
      for (const l of text.split(/\r\n|\r|\n/)) {
        if (!l.trim() || l.trimStart().startsWith('#')) continue;
        const ind = /^ */.exec(l)![0].length;
        if (ind > prev) counts.set(ind - prev, (counts.get(ind - prev) ?? 0) + 1);
        prev = ind;
      }
      let best = 2;
      let n = 0;
      for (const [d, c] of counts) if (c > n || (c === n && d < best)) [best, n] = [d, c];
      return Math.min(Math.max(best, 1), 8);
    };
    const pieces = ['a:', 'b: 1', '- x', '# c', '', ' ', '\t', '\u00a0', '\ufeff', '"q": 1', '{}', 'k: |'];
    const breaks = ['\n', '\r\n', '\r'];
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const texts = ['', 'a: 1', 'a:\n   b: 1\n', 'a:\r\n\tb: 1\r\n  c: 2', 'a:\n  # x\n      b: 1\n  \n', 'a:\n    \t\n  b: 1\n', 'a:\n    \t# c\n  b: 1\n', 'a:\n    \u00a0\n  b: 1\n'];
    for (let i = 0; i < 400; i++) {
      let t = '';
      for (let l = next(12); l >= 0; l--) t += ' '.repeat(next(9)) + pieces[next(pieces.length)] + (l || next(2) ? breaks[next(3)] : '');
      texts.push(t);
    }
    let checked = 0;
    for (const t of texts) {
      const ydoc = parseYamlFile(t, new YamlDocCache())[0];
      if (!ydoc) continue;
      const ed = new YamlEditor({ text: t, index: new TextIndex(t) }, ydoc);
      assert.equal(ed.indentUnit(), reference(ydoc.text), JSON.stringify(ydoc.text));
      checked++;
    }
    assert.ok(checked > 300, `only ${checked} texts checked`);
  });

  test('several pairs at once, in order', () => {
    const f = open('a:\n  b: 1\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['c', '2'], ['d', 'x'], ['e', '"y"']]);
    assert.equal(apply(f, e, { a: { b: 1, c: 2, d: 'x', e: 'y' } }), 'a:\n  b: 1\n  c: 2\n  d: x\n  e: "y"\n');
  });

  test('the root map', () => {
    const f = open('# head\na: 1\n');
    assert.equal(apply(f, f.ed.insertPairs(mapAt(f), [['d', '4']]), { a: 1, d: 4 }), '# head\na: 1\nd: 4\n');
  });

  test('the root map followed by a comment line: inserted before the comment', () => {
    const f = open('a: 1\n# end\n');
    assert.equal(apply(f, f.ed.insertPairs(mapAt(f), [['d', '4']]), { a: 1, d: 4 }), 'a: 1\nd: 4\n# end\n');
  });

  test('the last value is a block sequence: after its last item', () => {
    const f = open('a:\n  b: 1\n  c:\n    - x\n    - y\nz: 3\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assert.equal(apply(f, e, { a: { b: 1, c: ['x', 'y'], d: 4 }, z: 3 }), 'a:\n  b: 1\n  c:\n    - x\n    - y\n  d: 4\nz: 3\n');
  });

  test('the last value is a block sequence of maps at the key column', () => {
    const f = open('a:\n  c:\n  - name: x\n    image: y\nz: 3\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assert.equal(apply(f, e, { a: { c: [{ name: 'x', image: 'y' }], d: 4 }, z: 3 }), 'a:\n  c:\n  - name: x\n    image: y\n  d: 4\nz: 3\n');
  });

  test('the last value is a literal block scalar (|): its text is unchanged', () => {
    const f = open('a:\n  b: 1\n  c: |\n    line1\n    line2\n\nz: 3\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assert.equal(apply(f, e, { a: { b: 1, c: 'line1\nline2\n', d: 4 }, z: 3 }), 'a:\n  b: 1\n  c: |\n    line1\n    line2\n  d: 4\n\nz: 3\n');
  });

  test('the last value is a keep block scalar (|+): its trailing blank line stays in it', () => {
    const f = open('a:\n  c: |+\n    line1\n\nz: 3\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assert.equal(apply(f, e, { a: { c: 'line1\n\n', d: 4 }, z: 3 }), 'a:\n  c: |+\n    line1\n\n  d: 4\nz: 3\n');
  });

  test('the last value is a folded block scalar (>-)', () => {
    const f = open('a:\n  c: >-\n    one\n    two\nz: 3\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assert.equal(apply(f, e, { a: { c: 'one two', d: 4 }, z: 3 }), 'a:\n  c: >-\n    one\n    two\n  d: 4\nz: 3\n');
  });

  test('the last value spans lines (multi-line flow sequence, quoted and plain scalars)', () => {
    for (const [text, want] of [
      ['a:\n  b: [1,\n    2]\nz: 1\n', 'a:\n  b: [1,\n    2]\n  d: 4\nz: 1\n'],
      ['a:\n  b: "multi\n    line"\nz: 1\n', 'a:\n  b: "multi\n    line"\n  d: 4\nz: 1\n'],
      ['a:\n  b: plain\n    continued\nz: 1\n', 'a:\n  b: plain\n    continued\n  d: 4\nz: 1\n'],
    ]) {
      const f = open(text);
      assert.equal(apply(f, f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']])), want);
    }
  });

  test('the last value has an end-of-line comment: the comment stays on its line', () => {
    const f = open('a:\n  b: 1\n  c: 2 # note\nz: 3\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assert.equal(apply(f, e, { a: { b: 1, c: 2, d: 4 }, z: 3 }), 'a:\n  b: 1\n  c: 2 # note\n  d: 4\nz: 3\n');
  });

  test('the map is followed by comment lines: inserted after the last value, comments kept', () => {
    const f = open('a:\n  b: 1\n  c: 2\n  # trailing comment\n# top comment\nz: 3\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assert.equal(apply(f, e, { a: { b: 1, c: 2, d: 4 }, z: 3 }), 'a:\n  b: 1\n  c: 2\n  d: 4\n  # trailing comment\n# top comment\nz: 3\n');
  });

  test('the last value is a nested map followed by comment lines', () => {
    const f = open('a:\n  b:\n    c: 1\n    # inner comment\n  # outer\nz: 1\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assert.equal(apply(f, e, { a: { b: { c: 1 }, d: 4 }, z: 1 }), 'a:\n  b:\n    c: 1\n  d: 4\n    # inner comment\n  # outer\nz: 1\n');
  });

  test('the last value is a key without a value', () => {
    const f = open('a:\n  b: 1\n  c:\nz: 1\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assert.equal(apply(f, e, { a: { b: 1, c: null, d: 4 }, z: 1 }), 'a:\n  b: 1\n  c:\n  d: 4\nz: 1\n');
  });

  test('the map is the last thing in the file, without a trailing newline', () => {
    const f = open('a:\n  b: 1\n  c: 2');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assert.equal(apply(f, e, { a: { b: 1, c: 2, d: 4 } }), 'a:\n  b: 1\n  c: 2\n  d: 4');
  });

  test('the map is the last thing in the file, ending in a comment without a trailing newline', () => {
    const f = open('a:\n  b: 1 # one');
    assert.equal(apply(f, f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]), { a: { b: 1, d: 4 } }), 'a:\n  b: 1 # one\n  d: 4');
  });

  test('a map that is a sequence item (indented sequence style)', () => {
    const f = open('c:\n  - name: x\n    image: y\n  - name: z\n');
    const e = f.ed.insertPairs(mapAt(f, 'c', 0), [['d', { e: '1' }]]);
    assert.equal(apply(f, e, { c: [{ name: 'x', image: 'y', d: { e: 1 } }, { name: 'z' }] }), 'c:\n  - name: x\n    image: y\n    d:\n      e: 1\n  - name: z\n');
  });

  test('a map that is a sequence item (sequence at the key column)', () => {
    const f = open('c:\n- name: x\n  image: y\n');
    const e = f.ed.insertPairs(mapAt(f, 'c', 0), [['d', ['1']]]);
    assert.equal(apply(f, e, { c: [{ name: 'x', image: 'y', d: [1] }] }), 'c:\n- name: x\n  image: y\n  d:\n  - 1\n');
  });

  test('in the second document of a multi-document file (file offsets)', () => {
    const f = open('x: 1\n---\na:\n  b: 1\n---\nc: 1\n', 1);
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assert.equal(apply(f, e, [{ x: 1 }, { a: { b: 1, d: 4 } }, { c: 1 }]), 'x: 1\n---\na:\n  b: 1\n  d: 4\n---\nc: 1\n');
  });

  test('nothing to insert: null', () => {
    const f = open('a:\n  b: 1\n');
    assert.equal(f.ed.insertPairs(mapAt(f, 'a'), []), null);
  });
});

describe('YamlEditor.insertPairs: nested values', () => {
  test('a nested map and a list at 2-space indentation, indented sequences', () => {
    const f = open('a:\n  b: 1\n  l:\n    - x\n');
    assert.equal(f.ed.sequencesIndented(), true);
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['m', { p: '1', q: { r: '2' } }], ['n', ['x', 'y']]]);
    assert.equal(
      apply(f, e, { a: { b: 1, l: ['x'], m: { p: 1, q: { r: 2 } }, n: ['x', 'y'] } }),
      'a:\n  b: 1\n  l:\n    - x\n  m:\n    p: 1\n    q:\n      r: 2\n  n:\n    - x\n    - y\n',
    );
  });

  test('a nested map and a list at 4-space indentation', () => {
    const f = open('a:\n    b: 1\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['m', { p: '1' }], ['l', ['x']]]);
    assert.equal(apply(f, e, { a: { b: 1, m: { p: 1 }, l: ['x'] } }), 'a:\n    b: 1\n    m:\n        p: 1\n    l:\n        - x\n');
  });

  test('a list of scalars and maps in a file whose sequences sit at the key column', () => {
    const f = open('a:\n- b: 1\n');
    assert.equal(f.ed.sequencesIndented(), false);
    const e = f.ed.insertPairs(mapAt(f), [['l', ['x', { n: '1', o: '2' }]]]);
    assert.equal(apply(f, e, { a: [{ b: 1 }], l: ['x', { n: 1, o: 2 }] }), 'a:\n- b: 1\nl:\n- x\n- n: 1\n  o: 2\n');
  });

  test('nested values into a flow map are written in flow style', () => {
    const f = open('a: {b: 1}\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['m', { p: '1' }], ['l', ['x', 'y']]]);
    assert.equal(apply(f, e, { a: { b: 1, m: { p: 1 }, l: ['x', 'y'] } }), 'a: {b: 1, m: {p: 1}, l: [x, y]}\n');
  });
});

describe('YamlEditor.insertPairs: flow maps', () => {
  test('{}', () => {
    const f = open('a: {}\n');
    const e = f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]);
    assertInsertion(e);
    assert.equal(apply(f, e, { a: { d: 4 } }), 'a: {d: 4}\n');
  });

  test('{a: 1}', () => {
    const f = open('a: {a: 1}\n');
    assert.equal(apply(f, f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]), { a: { a: 1, d: 4 } }), 'a: {a: 1, d: 4}\n');
  });

  test('{ a: 1 } keeps its inner spaces', () => {
    const f = open('a: { a: 1 }\n');
    assert.equal(apply(f, f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]), { a: { a: 1, d: 4 } }), 'a: { a: 1, d: 4 }\n');
  });

  test('several pairs into {a: 1} # comment', () => {
    const f = open('a: {a: 1} # c\n');
    assert.equal(apply(f, f.ed.insertPairs(mapAt(f, 'a'), [['d', '4'], ['e', '5']]), { a: { a: 1, d: 4, e: 5 } }), 'a: {a: 1, d: 4, e: 5} # c\n');
  });
});

describe('YamlEditor.ensurePairs', () => {
  const none = () => new Set<string>();
  const own = (m: YAMLMap) => new Set((m.items as Pair<Node, Node | null>[]).map((p) => String((p.key as { value?: unknown }).value)));

  test('creates missing parents in block style', () => {
    const f = open('a:\n  b: 1\n');
    const e = f.ed.ensurePairs(mapAt(f), ['a', 'x', 'y'], [['k', 'v']], none);
    assert.equal(apply(f, e, { a: { b: 1, x: { y: { k: 'v' } } } }), 'a:\n  b: 1\n  x:\n    y:\n      k: v\n');
  });

  test('creates a missing top-level parent with several pairs', () => {
    const f = open('a:\n  b: 1\n');
    const e = f.ed.ensurePairs(mapAt(f), ['q', 'x'], [['k', 'v'], ['l', 'w']], none);
    assert.equal(apply(f, e, { a: { b: 1 }, q: { x: { k: 'v', l: 'w' } } }), 'a:\n  b: 1\nq:\n  x:\n    k: v\n    l: w\n');
  });

  test('creates a missing parent inside a flow map in flow style', () => {
    const f = open('a:\n  b: {x: 1}\n');
    const e = f.ed.ensurePairs(mapAt(f, 'a'), ['b', 'c'], [['d', '4']], none);
    assert.equal(apply(f, e, { a: { b: { x: 1, c: { d: 4 } } } }), 'a:\n  b: {x: 1, c: {d: 4}}\n');
  });

  test('fills an existing `key:` with no value', () => {
    const f = open('a:\n  x:\n  b: 1\n');
    const e = f.ed.ensurePairs(mapAt(f, 'a'), ['x'], [['k', 'v'], ['l', 'w']], none);
    assertInsertion(e);
    assert.equal(apply(f, e, { a: { x: { k: 'v', l: 'w' }, b: 1 } }), 'a:\n  x:\n    k: v\n    l: w\n  b: 1\n');
  });

  test('fills an existing `key:` with no value and the missing levels below it', () => {
    const f = open('a:\n  x:\n  b: 1\n');
    const e = f.ed.ensurePairs(mapAt(f, 'a'), ['x', 'y'], [['k', 'v']], none);
    assert.equal(apply(f, e, { a: { x: { y: { k: 'v' } }, b: 1 } }), 'a:\n  x:\n    y:\n      k: v\n  b: 1\n');
  });

  test('fills `key: null` and `key: ~`', () => {
    for (const empty of ['null', '~']) {
      const f = open(`a:\n  x: ${empty}\n  b: 1\n`);
      const e = f.ed.ensurePairs(mapAt(f, 'a'), ['x'], [['k', 'v']], none);
      assert.equal(apply(f, e, { a: { x: { k: 'v' }, b: 1 } }), 'a:\n  x:\n    k: v\n  b: 1\n', empty);
    }
  });

  test(
    '`key: null # comment`: the comment stays on the key line',
    () => {
      const f = open('a:\n  x: null # c\n  b: 1\n');
      const e = f.ed.ensurePairs(mapAt(f, 'a'), ['x'], [['k', 'v']], none);
      assert.equal(apply(f, e, { a: { x: { k: 'v' }, b: 1 } }), 'a:\n  x: # c\n    k: v\n  b: 1\n');
    },
  );

  test('an existing block map: only the missing pairs are added', () => {
    const f = open('a:\n  sc:\n    k: old\n');
    const e = f.ed.ensurePairs(mapAt(f, 'a'), ['sc'], [['k', 'v'], ['l', 'w']], own);
    assert.equal(apply(f, e, { a: { sc: { k: 'old', l: 'w' } } }), 'a:\n  sc:\n    k: old\n    l: w\n');
  });

  test('an existing flow map: {} and {x: 1}', () => {
    let f = open('a:\n  sc: {}\n');
    assert.equal(apply(f, f.ed.ensurePairs(mapAt(f, 'a'), ['sc'], [['d', '4'], ['e', '5']], own), { a: { sc: { d: 4, e: 5 } } }), 'a:\n  sc: {d: 4, e: 5}\n');
    f = open('a:\n  sc: {x: 1}\n');
    assert.equal(apply(f, f.ed.ensurePairs(mapAt(f, 'a'), ['sc'], [['d', '4'], ['x', '5']], own), { a: { sc: { x: 1, d: 4 } } }), 'a:\n  sc: {x: 1, d: 4}\n');
  });

  test('everything already there: null (nothing to do)', () => {
    const f = open('a:\n  sc:\n    k: v\n');
    assert.equal(f.ed.ensurePairs(mapAt(f, 'a'), ['sc'], [['k', 'v']], own), null);
  });

  test('a parent that is a scalar, a sequence or an alias is not rewritten: null', () => {
    for (const text of ['a:\n  sc: 5\n', 'a:\n  sc: [1]\n', 'base: &b\n  k: 1\na:\n  sc: *b\n']) {
      const f = open(text);
      assert.equal(f.ed.ensurePairs(mapAt(f, 'a'), ['sc'], [['d', '4']], none), null, text);
    }
  });
});

describe('YamlEditor.appendItem', () => {
  test('block sequence indented under its key', () => {
    const f = open('k:\n  - a\n  - b\nz: 1\n');
    const e = f.ed.appendItem(seqAt(f, 'k'), 'c');
    assertInsertion(e);
    assert.equal(apply(f, e, { k: ['a', 'b', 'c'], z: 1 }), 'k:\n  - a\n  - b\n  - c\nz: 1\n');
  });

  test('block sequence at the key column', () => {
    const f = open('k:\n- a\n- b\nz: 1\n');
    assert.equal(apply(f, f.ed.appendItem(seqAt(f, 'k'), 'c'), { k: ['a', 'b', 'c'], z: 1 }), 'k:\n- a\n- b\n- c\nz: 1\n');
  });

  test('a map item, indented sequence', () => {
    const f = open('k:\n  - name: x\n    image: y\n');
    const e = f.ed.appendItem(seqAt(f, 'k'), { name: 'z', image: 'w' });
    assert.equal(apply(f, e, { k: [{ name: 'x', image: 'y' }, { name: 'z', image: 'w' }] }), 'k:\n  - name: x\n    image: y\n  - name: z\n    image: w\n');
  });

  test('a map item, sequence at the key column', () => {
    const f = open('k:\n- name: x\n  image: y\n');
    const e = f.ed.appendItem(seqAt(f, 'k'), { name: 'z', image: 'w' });
    assert.equal(apply(f, e, { k: [{ name: 'x', image: 'y' }, { name: 'z', image: 'w' }] }), 'k:\n- name: x\n  image: y\n- name: z\n  image: w\n');
  });

  test('after an item with an end-of-line comment, before trailing comment lines', () => {
    const f = open('k:\n  - a # first\n  # more to come\nz: 1\n');
    assert.equal(apply(f, f.ed.appendItem(seqAt(f, 'k'), 'b'), { k: ['a', 'b'], z: 1 }), 'k:\n  - a # first\n  - b\n  # more to come\nz: 1\n');
  });

  test('flow sequences: [] and [a, b]', () => {
    let f = open('k: []\n');
    assert.equal(apply(f, f.ed.appendItem(seqAt(f, 'k'), 'c'), { k: ['c'] }), 'k: [c]\n');
    f = open('k: [a, b]\n');
    assert.equal(apply(f, f.ed.appendItem(seqAt(f, 'k'), 'c'), { k: ['a', 'b', 'c'] }), 'k: [a, b, c]\n');
  });

  test('a map into a flow sequence is written in flow style', () => {
    const f = open('k: [a, b]\n');
    assert.equal(apply(f, f.ed.appendItem(seqAt(f, 'k'), { n: '1' }), { k: ['a', 'b', { n: 1 }] }), 'k: [a, b, {n: 1}]\n');
  });

  test('in the second document (file offsets)', () => {
    const f = open('x: 1\n---\nk: [a]\n', 1);
    assert.equal(apply(f, f.ed.appendItem(seqAt(f, 'k'), 'b'), [{ x: 1 }, { k: ['a', 'b'] }]), 'x: 1\n---\nk: [a, b]\n');
  });
});

describe('YamlEditor.removePair', () => {
  test('block: the whole line; its end-of-line comment stays on a line of its own', () => {
    const f = open('a:\n  b: 1 # kept\n  c: 2\n');
    const m = mapAt(f, 'a');
    const out = applyEdits(f.text, f.ed.removePair(m, pairOf(m, 'b'))!);
    assert.equal(out, 'a:\n  # kept\n  c: 2\n');
    assert.deepEqual(parseDocument(out).toJS(), { a: { c: 2 } });
  });

  test('block: a pair whose value spans lines', () => {
    const f = open('a:\n  b:\n    - x\n    - y\n  c: 2\n');
    const m = mapAt(f, 'a');
    assert.equal(apply(f, f.ed.removePair(m, pairOf(m, 'b')), { a: { c: 2 } }), 'a:\n  c: 2\n');
  });

  test('block: the last pair of a file without a trailing newline', () => {
    const f = open('a:\n  b: 1\n  c: 2');
    const m = mapAt(f, 'a');
    assert.equal(apply(f, f.ed.removePair(m, pairOf(m, 'c')), { a: { b: 1 } }), 'a:\n  b: 1\n');
  });

  test('block: other comment lines stay', () => {
    const f = open('a:\n  # keep me\n  b: 1\n  c: 2 # and me\n');
    const m = mapAt(f, 'a');
    assert.equal(apply(f, f.ed.removePair(m, pairOf(m, 'b')), { a: { c: 2 } }), 'a:\n  # keep me\n  c: 2 # and me\n');
  });

  test('block CRLF: the line and its CRLF', () => {
    const f = open('a:\r\n  b: 1\r\n  c: 2\r\n');
    const m = mapAt(f, 'a');
    assert.equal(apply(f, f.ed.removePair(m, pairOf(m, 'b')), { a: { c: 2 } }), 'a:\r\n  c: 2\r\n');
  });

  test('flow: first, middle and last pair with their commas', () => {
    const text = 'a: {b: 1, c: 2, d: 3}\n';
    const want: Record<string, string> = { b: 'a: {c: 2, d: 3}\n', c: 'a: {b: 1, d: 3}\n', d: 'a: {b: 1, c: 2}\n' };
    for (const [k, out] of Object.entries(want)) {
      const f = open(text);
      const m = mapAt(f, 'a');
      assert.equal(apply(f, f.ed.removePair(m, pairOf(m, k))), out, k);
    }
  });

  test('flow with inner spaces: { b: 1, c: 2 }', () => {
    for (const [k, out] of [
      ['b', 'a: { c: 2 }\n'],
      ['c', 'a: { b: 1 }\n'],
    ]) {
      const f = open('a: { b: 1, c: 2 }\n');
      const m = mapAt(f, 'a');
      assert.equal(apply(f, f.ed.removePair(m, pairOf(m, k))), out, k);
    }
  });

  test('flow: the only pair leaves an empty map', () => {
    const f = open('a: {b: 1}\n');
    const m = mapAt(f, 'a');
    assert.equal(apply(f, f.ed.removePair(m, pairOf(m, 'b')), { a: {} }), 'a: {}\n');
  });

  test('the pair that starts a sequence item (`- key: v`): the next pair moves up after the dash', () => {
    const f = open('l:\n  - k: v\n    j: w\n');
    const m = mapAt(f, 'l', 0);
    assert.equal(apply(f, f.ed.removePair(m, pairOf(m, 'k')), { l: [{ j: 'w' }] }), 'l:\n  - j: w\n');
  });

  test('a later pair of a sequence item is removed', () => {
    const f = open('l:\n  - k: v\n    j: w\n');
    const m = mapAt(f, 'l', 0);
    assert.equal(apply(f, f.ed.removePair(m, pairOf(m, 'j')), { l: [{ k: 'v' }] }), 'l:\n  - k: v\n');
  });
});

describe('YamlEditor.removeItem', () => {
  test('block: a scalar item; its comment stays on a line of its own', () => {
    const f = open('k:\n  - a\n  - b # c\n  - c\n');
    const s = seqAt(f, 'k');
    const out = applyEdits(f.text, f.ed.removeItem(s, s.items[1] as Node)!);
    assert.equal(out, 'k:\n  - a\n  # c\n  - c\n');
    assert.deepEqual(parseDocument(out).toJS(), { k: ['a', 'c'] });
  });

  test('block: a map item over several lines', () => {
    const f = open('k:\n  - name: a\n    x: 1\n  - name: b\n');
    const s = seqAt(f, 'k');
    assert.equal(apply(f, f.ed.removeItem(s, s.items[0] as Node), { k: [{ name: 'b' }] }), 'k:\n  - name: b\n');
  });

  test('block at the key column', () => {
    const f = open('k:\n- a\n- b\nz: 1\n');
    const s = seqAt(f, 'k');
    assert.equal(apply(f, f.ed.removeItem(s, s.items[1] as Node), { k: ['a'], z: 1 }), 'k:\n- a\nz: 1\n');
  });

  test('flow: first, middle, last and only item', () => {
    for (const [i, out] of [
      [0, 'k: [b, c]\n'],
      [1, 'k: [a, c]\n'],
      [2, 'k: [a, b]\n'],
    ] as const) {
      const f = open('k: [a, b, c]\n');
      const s = seqAt(f, 'k');
      assert.equal(apply(f, f.ed.removeItem(s, s.items[i] as Node)), out, String(i));
    }
    const f = open('k: [a]\n');
    const s = seqAt(f, 'k');
    assert.equal(apply(f, f.ed.removeItem(s, s.items[0] as Node), { k: [] }), 'k: []\n');
  });
});

describe('YamlEditor.replaceScalar', () => {
  test('keeps the end-of-line comment', () => {
    const f = open('a:\n  b: 0 # root\n');
    assert.equal(apply(f, f.ed.replaceScalar(at(f, 'a', 'b'), '1000'), { a: { b: 1000 } }), 'a:\n  b: 1000 # root\n');
  });

  test('a quoted scalar is replaced with its quotes', () => {
    const f = open('a:\n  b: "0"\n');
    assert.equal(apply(f, f.ed.replaceScalar(at(f, 'a', 'b'), '"1000"'), { a: { b: '1000' } }), 'a:\n  b: "1000"\n');
  });

  test('inside a flow map', () => {
    const f = open('a: {b: 0, c: false}\n');
    assert.equal(apply(f, f.ed.replaceScalar(at(f, 'a', 'c'), 'true'), { a: { b: 0, c: true } }), 'a: {b: 0, c: true}\n');
  });

  test('a map is not a scalar: null', () => {
    const f = open('a:\n  b: 1\n');
    assert.equal(f.ed.replaceScalar(at(f, 'a'), '1'), null);
  });
});

describe('YamlEditor: CRLF files get CRLF in inserted text', () => {
  test('insertPairs with a nested map', () => {
    const f = open('a:\r\n  b: 1\r\n');
    const out = apply(f, f.ed.insertPairs(mapAt(f, 'a'), [['m', { p: '1' }]]), { a: { b: 1, m: { p: 1 } } });
    assert.equal(out, 'a:\r\n  b: 1\r\n  m:\r\n    p: 1\r\n');
    assert.equal(out.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF');
  });

  test('ensurePairs creating parents', () => {
    const f = open('a:\r\n  b: 1\r\n');
    const out = apply(f, f.ed.ensurePairs(mapAt(f), ['a', 'x'], [['k', 'v'], ['l', ['1']]], () => new Set()), { a: { b: 1, x: { k: 'v', l: [1] } } });
    assert.equal(out, 'a:\r\n  b: 1\r\n  x:\r\n    k: v\r\n    l:\r\n      - 1\r\n');
  });

  test('appendItem with a map item', () => {
    const f = open('k:\r\n  - a\r\n');
    const out = apply(f, f.ed.appendItem(seqAt(f, 'k'), { n: '1', o: '2' }), { k: ['a', { n: 1, o: 2 }] });
    assert.equal(out, 'k:\r\n  - a\r\n  - n: 1\r\n    o: 2\r\n');
  });
});

describe('YamlEditor: refuses to write through an anchor (null)', () => {
  const text = 'base: &base\n  b: 1\nl: &l\n  - a\nv: &v 0\nx:\n  <<: *base\n  c: 2\ny: [*l, *v]\n';

  test('insertPairs, removePair and ensurePairs on an anchored map', () => {
    const f = open(text);
    const m = mapAt(f, 'base');
    assert.equal(f.ed.shared(m), true);
    assert.equal(f.ed.insertPairs(m, [['c', '2']]), null);
    assert.equal(f.ed.removePair(m, pairOf(m, 'b')), null);
    assert.equal(f.ed.ensurePairs(mapAt(f), ['base'], [['c', '2']], () => new Set()), null);
  });

  test('appendItem and removeItem on an anchored sequence', () => {
    const f = open(text);
    const s = seqAt(f, 'l');
    assert.equal(f.ed.appendItem(s, 'b'), null);
    assert.equal(f.ed.removeItem(s, s.items[0] as Node), null);
  });

  test('replaceScalar on an anchored scalar', () => {
    const f = open(text);
    assert.equal(f.ed.replaceScalar(at(f, 'v'), '1'), null);
  });

  test('the map that merges the anchor is still editable', () => {
    const f = open(text);
    const out = apply(f, f.ed.insertPairs(mapAt(f, 'x'), [['d', '4']]));
    assert.equal(out, 'base: &base\n  b: 1\nl: &l\n  - a\nv: &v 0\nx:\n  <<: *base\n  c: 2\n  d: 4\ny: [*l, *v]\n');
    assert.deepEqual(parseDocument(out, { merge: true }).toJS().x, { b: 1, c: 2, d: 4 });
  });

  test('a flow map with an anchor', () => {
    const f = open('a: &a {b: 1}\nc: *a\n');
    assert.equal(f.ed.insertPairs(mapAt(f, 'a'), [['d', '4']]), null);
  });

  test('a map inside an anchored map is shared too (edits would reach every alias)', () => {
    const f = open('a: &a\n  env:\n    X: 1\nb: *a\n');
    const env = mapAt(f, 'a', 'env');
    assert.equal(f.ed.shared(env), true);
    assert.equal(f.ed.insertPairs(env, [['Y', '2']]), null);
    assert.equal(f.ed.removePair(env, pairOf(env, 'X')), null);
  });

  test('shared() without an alias in the text (no tree index): false, as with one; an alias anywhere takes the full test', () => {
    for (const text of ['a: &a\n  b: 1\nc:\n  d: 3\n', 'a: &a\n  b: "x*y"\nc:\n  d: 3\n']) {
      const f = open(text);
      assert.equal(f.ed.shared(mapAt(f, 'a')), false, text);
      assert.equal(f.ed.shared(mapAt(f, 'c')), false, text);
    }
    const aliased = open('c:\n  d: 3\na: &a\n  b: 1\ne: *a\n');
    assert.equal(aliased.ed.shared(mapAt(aliased, 'c')), false);
    assert.equal(aliased.ed.shared(mapAt(aliased, 'a')), true);
    const nested = open('a: &a\n  env:\n    X: 1\nb: *a\n');
    assert.equal(nested.ed.shared(mapAt(nested, 'a', 'env')), true, 'a node without an anchor under an anchored one');
  });

  test('an anchor no alias refers to is not shared: its node is edited in place', () => {
    const f = open('a: &a\n  b: 1\n');
    assert.equal(f.ed.shared(mapAt(f, 'a')), false);
    assert.equal(apply(f, f.ed.insertPairs(mapAt(f, 'a'), [['c', '2']]), { a: { b: 1, c: 2 } }), 'a: &a\n  b: 1\n  c: 2\n');
  });
});
