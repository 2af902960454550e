/**
 * The edit layer's "make this true" operations (briefs/edit-api.md): setAt, ensureItem,
 * removeAt/removePair/removeItem, replaceInScalar and renderScalar. Each table states the
 * exact text after the edit, in block and flow style, with CRLF, with comments (kept), in
 * JSON documents and with merge keys; every output re-parses strictly (duplicate keys are
 * errors) and keeps every comment of its input.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alias, Node, YAMLMap } from 'yaml';
import { EditBatch } from '../../../server/src/core/edit/batch';
import type { YamlEditor, YamlValue } from '../../../server/src/core/edit/yaml';
import type { TextEdit } from '../../../server/src/core/types';
import { apply, at, mapAt, open, pairOf, scalarAt, seqAt, type Fixture } from './fixture';

type Op = (ed: YamlEditor, f: Fixture) => TextEdit[] | null;

/** One row: input, operation, exact output (null: refused), comments the edit removes on purpose. */
type Row = [name: string, input: string, op: Op, want: string | null, lost?: string[]];

function table(rows: Row[]): void {
  for (const [name, input, op, want, lost] of rows) {
    test(name, () => {
      const f = open(input);
      const edits = op(f.ed, f);
      if (want === null) {
        assert.equal(edits, null, 'must be refused');
        return;
      }
      assert.equal(apply(f, edits, undefined, lost), want);
    });
  }
}

/** setAt on the map at `where` (a path of keys from the root; [] is the root). */
const set =
  (where: string[], path: string[], value: YamlValue): Op =>
  (ed, f) =>
    ed.setAt(mapAt(f, ...where), path, value);

const ensure =
  (where: string[], path: string[], item: YamlValue, same?: (n: Node) => boolean): Op =>
  (ed, f) =>
    ed.ensureItem(mapAt(f, ...where), path, item, same);

const remove =
  (where: (string | number)[], path: string[]): Op =>
  (ed, f) =>
    ed.removeAt(mapAt(f, ...where), path);

describe('YamlEditor.renderScalar', () => {
  const f = open('a: 1\n');
  const quoted: [string, string][] = [
    ['true', '"true"'],
    ['false', '"false"'],
    ['0:0', '"0:0"'],
    ['10001:10001', '"10001:10001"'],
    ['yes', '"yes"'],
    ['Yes', '"Yes"'],
    ['no', '"no"'],
    ['on', '"on"'],
    ['off', '"off"'],
    ['y', '"y"'],
    ['N', '"N"'],
    ['*x', '"*x"'],
    ['&x', '"&x"'],
    ['!x', '"!x"'],
    ['010', '"010"'],
    ['1e3', '"1e3"'],
    ['.5', '".5"'],
    ['-1', '"-1"'],
    ['.inf', '".inf"'],
    ['~', '"~"'],
    ['null', '"null"'],
    ['NULL', '"NULL"'],
    ['', '""'],
    ['- x', '"- x"'],
    ['a: b', '"a: b"'],
    ['a:', '"a:"'],
    ['#x', '"#x"'],
    ['a #b', '"a #b"'],
    [' x', '" x"'],
    ['x ', '"x "'],
    ['[x]', '"[x]"'],
    ['x,y', '"x,y"'],
    ['${VAR}', '"${VAR}"'],
    ['%x', '"%x"'],
    ['@x', '"@x"'],
    ['|x', '"|x"'],
    ['>x', '">x"'],
    ["'x", `"'x"`],
    ['"x', '"\\"x"'],
    ['?x', '"?x"'],
    ['---', '"---"'],
    ['...', '"..."'],
    ['<<', '"<<"'],
    ['=', '"="'],
    ['tab\there', '"tab\\there"'],
    ['line\nbreak', '"line\\nbreak"'],
    ['a\u2028b', '"a\\u2028b"'],
    ['a\u0085b', '"a\\u0085b"'],
  ];
  for (const [raw, want] of quoted) {
    test(`${JSON.stringify(raw)} is quoted: ${want}`, () => {
      const out = f.ed.renderScalar(raw);
      assert.equal(out, want);
      // YAML reads it back as the same string (YAML 1.1 too: it is double-quoted)
      const g = open(`k: ${out}\n`);
      assert.equal(scalarAt(g, 'k').value, raw);
    });
  }

  const plain = ['nginx:1.27', '/data', 'ALL', 'no-new-privileges:true', 'a#b', 'http://x/y?z=1&q', '~/x', 'café', 'seccomp=unconfined', 'x-y_z.w'];
  for (const raw of plain) {
    test(`${JSON.stringify(raw)} stays plain`, () => {
      assert.equal(f.ed.renderScalar(raw), raw);
      assert.equal(scalarAt(open(`k: ${raw}\n`), 'k').value, raw);
      assert.equal((open(`k: [${raw}]\n`).ydoc.doc.toJS() as { k: string[] }).k[0], raw);
    });
  }

  test('numbers and booleans are written as such; non-finite numbers as strings', () => {
    assert.deepEqual(
      [10001, 0, 1.5, -2, true, false, NaN, Infinity].map((v) => f.ed.renderScalar(v)),
      ['10001', '0', '1.5', '-2', 'true', 'false', '"NaN"', '"Infinity"'],
    );
  });

  test('JSON documents get JSON strings for every string', () => {
    const j = open('{"a": 1}\n');
    assert.deepEqual(
      ['x', 'true', '0:0', 'a"b', 'é'].map((v) => j.ed.renderScalar(v)),
      ['"x"', '"true"', '"0:0"', '"a\\"b"', '"é"'],
    );
    assert.equal(j.ed.renderScalar(3), '3');
  });
});

describe('YamlEditor.setAt: block style', () => {
  table([
    ['missing: added at the end of the map', 'svc:\n  image: x\nz: 1\n', set(['svc'], ['read_only'], 'true'), 'svc:\n  image: x\n  read_only: true\nz: 1\n'],
    ['a first key carrying an anchor: the map column is where the anchor starts', 'svc:\n  &a image: x\nz: *a\n', set(['svc'], ['read_only'], 'true'), 'svc:\n  &a image: x\n  read_only: true\nz: *a\n'],
    ['a first key carrying a tag and an anchor', 'svc:\n  !!str &a image: x\nz: *a\n', set(['svc'], ['read_only'], 'true'), 'svc:\n  !!str &a image: x\n  read_only: true\nz: *a\n'],
    ['a wrong scalar is replaced, its comment kept', 'svc:\n  read_only: false # was\n  image: x\n', set(['svc'], ['read_only'], 'true'), 'svc:\n  read_only: true # was\n  image: x\n'],
    ['already there: no edit', 'svc:\n  read_only: true\n', set(['svc'], ['read_only'], 'true'), 'svc:\n  read_only: true\n'],
    ['already there, written differently (quoted): no edit', "svc:\n  user: '1000'\n", set(['svc'], ['user'], '"1000"'), "svc:\n  user: '1000'\n"],
    ['`key:` is filled', 'svc:\n  read_only:\n  image: x\n', set(['svc'], ['read_only'], 'true'), 'svc:\n  read_only: true\n  image: x\n'],
    ['`key: null # c` is filled, comment kept', 'svc:\n  read_only: null # c\n  image: x\n', set(['svc'], ['read_only'], 'true'), 'svc:\n  read_only: true # c\n  image: x\n'],
    ['`key: ~`', 'svc:\n  read_only: ~\n', set(['svc'], ['read_only'], 'true'), 'svc:\n  read_only: true\n'],
    [
      'missing parents are created',
      'svc:\n  image: x\n',
      set(['svc'], ['deploy', 'resources', 'limits', 'memory'], '512M'),
      'svc:\n  image: x\n  deploy:\n    resources:\n      limits:\n        memory: 512M\n',
    ],
    [
      'an existing parent with a comment gets the missing levels',
      'svc:\n  deploy:\n    replicas: 2 # two\n  image: x\n',
      set(['svc'], ['deploy', 'resources', 'limits', 'memory'], '512M'),
      'svc:\n  deploy:\n    replicas: 2 # two\n    resources:\n      limits:\n        memory: 512M\n  image: x\n',
    ],
    [
      'an empty parent `deploy: # d` is filled, comment kept',
      'svc:\n  deploy: # d\n  image: x\n',
      set(['svc'], ['deploy', 'resources', 'limits', 'memory'], '512M'),
      'svc:\n  deploy: # d\n    resources:\n      limits:\n        memory: 512M\n  image: x\n',
    ],
    [
      'a scalar parent is replaced by the map, comment kept',
      'svc:\n  deploy: none # d\n  image: x\n',
      set(['svc'], ['deploy', 'resources'], { limits: { memory: '1G' } }),
      'svc:\n  deploy: # d\n    resources:\n      limits:\n        memory: 1G\n  image: x\n',
    ],
    ['4-space indentation', 'svc:\n    image: x\n', set(['svc'], ['deploy', 'replicas'], '1'), 'svc:\n    image: x\n    deploy:\n        replicas: 1\n'],
    ['a scalar becomes a list', 'svc:\n  cap_drop: NET_RAW # c\n  image: x\n', set(['svc'], ['cap_drop'], ['ALL']), 'svc:\n  cap_drop: # c\n    - ALL\n  image: x\n'],
    ['a block list is replaced by a list', 'svc:\n  cap_drop: # k\n    - NET_RAW\n  image: x\n', set(['svc'], ['cap_drop'], ['ALL']), 'svc:\n  cap_drop: # k\n    - ALL\n  image: x\n'],
    ['an equal list: no edit', 'svc:\n  cap_drop:\n    - ALL\n', set(['svc'], ['cap_drop'], ['ALL']), 'svc:\n  cap_drop:\n    - ALL\n'],
    [
      'a block list is replaced by a scalar: its comment lines stay',
      'svc:\n  cap_drop:\n    # why\n    - NET_RAW # c\n  image: x\n',
      set(['svc'], ['cap_drop'], 'ALL'),
      'svc:\n  cap_drop: ALL\n    # why\n    # c\n  image: x\n',
    ],
    ['a block map replaced by {} at the end of a file without a newline', 'svc:\n  env:\n    a: 1', set(['svc'], ['env'], '{}'), 'svc:\n  env: {}'],
    ['a literal block scalar is replaced whole', 'svc:\n  env: |\n    a\n    b\n  image: x\n', set(['svc'], ['env'], 'c'), 'svc:\n  env: c\n  image: x\n'],
    [
      'a multi-line quoted scalar is replaced whole by a map',
      'svc:\n  env: "a\n    b" # c\n  image: x\n',
      set(['svc'], ['env'], { A: 'b' }),
      'svc:\n  env: # c\n    A: b\n  image: x\n',
    ],
    ['a multi-line quoted scalar is replaced whole by a scalar', 'svc:\n  env: "a\n    b"\n  image: x\n', set(['svc'], ['env'], 'c'), 'svc:\n  env: c\n  image: x\n'],
    [
      'a map value over a map sets its keys, the others stay',
      'a:\n  c: 1 # one\n  e: 5\n',
      set([], ['a'], { c: '2', d: '3' }),
      'a:\n  c: 2 # one\n  e: 5\n  d: 3\n',
    ],
    ['an alias value is replaced (the anchor is not touched)', 'u: &u root\nsvc:\n  user: *u\n', set(['svc'], ['user'], '"1000"'), 'u: &u root\nsvc:\n  user: "1000"\n'],
    ['a key that needs quotes is quoted', 'labels:\n  a: 1\n', set(['labels'], ['x: y'], 'v'), 'labels:\n  a: 1\n  "x: y": v\n'],
  ]);

  test('in the second document (file offsets)', () => {
    const f = open('a: 1\n---\nsvc:\n  image: x\n', 1);
    assert.equal(apply(f, f.ed.setAt(mapAt(f, 'svc'), ['user'], '"1000"')), 'a: 1\n---\nsvc:\n  image: x\n  user: "1000"\n');
  });
});

describe('YamlEditor.setAt: flow style and JSON', () => {
  table([
    ['flow map: appended', 'svc: {image: x}\n', set(['svc'], ['read_only'], 'true'), 'svc: {image: x, read_only: true}\n'],
    ['flow map: parents in flow style', 'svc: {image: x}\n', set(['svc'], ['deploy', 'resources', 'limits', 'memory'], '512M'), 'svc: {image: x, deploy: {resources: {limits: {memory: 512M}}}}\n'],
    ['flow map: a scalar replaced', 'svc: {read_only: false, image: x} # c\n', set(['svc'], ['read_only'], 'true'), 'svc: {read_only: true, image: x} # c\n'],
    ['empty flow map', 'a: {b: {}}\n', set(['a', 'b'], ['c'], '1'), 'a: {b: {c: 1}}\n'],
    ['empty flow map: a map value with two keys', 'a: {}\n', set([], ['a'], { c: '2', d: '3' }), 'a: {c: 2, d: 3}\n'],
    ['a flow list is replaced in flow style', 'svc:\n  cap_drop: [NET_RAW] # c\n', set(['svc'], ['cap_drop'], ['ALL']), 'svc:\n  cap_drop: [ALL] # c\n'],
    ['a flow map replaced by a scalar', 'svc:\n  env: {a: 1}\n', set(['svc'], ['env'], 'x'), 'svc:\n  env: x\n'],
    ['`key: ` inside a flow map', 'svc: {ro: , image: x}\n', set(['svc'], ['ro'], 'true'), 'svc: {ro: true , image: x}\n'],
    [
      'JSON: parents created with JSON quoting',
      '{"svc": {"image": "x"}}\n',
      (ed, f) => ed.setAt(mapAt(f, 'svc'), ['deploy', 'resources'], { limits: { memory: ed.renderScalar('512M') } }),
      '{"svc": {"image": "x", "deploy": {"resources": {"limits": {"memory": "512M"}}}}}\n',
    ],
    ['JSON: null filled', '{\n  "svc": {\n    "image": "x",\n    "ro": null\n  }\n}\n', set(['svc'], ['ro'], 'true'), '{\n  "svc": {\n    "image": "x",\n    "ro": true\n  }\n}\n'],
    [
      'JSON: null filled with a map',
      '{\n  "svc": {\n    "ro": null\n  }\n}\n',
      (ed, f) => ed.setAt(mapAt(f, 'svc'), ['ro'], { a: ed.renderScalar('b') }),
      '{\n  "svc": {\n    "ro": {"a": "b"}\n  }\n}\n',
    ],
    ['JSON: a plain YAML scalar is converted to JSON', '{"svc": {}}\n', set(['svc'], ['user'], 'nobody'), '{"svc": {"user": "nobody"}}\n'],
  ]);
});

describe('YamlEditor.setAt: CRLF', () => {
  table([
    [
      'parents and a list, CRLF throughout',
      'svc:\r\n  image: x\r\n',
      set(['svc'], ['security_opt'], ['no-new-privileges:true']),
      'svc:\r\n  image: x\r\n  security_opt:\r\n    - no-new-privileges:true\r\n',
    ],
    ['a block list replaced by a scalar keeps CRLF', 'svc:\r\n  l:\r\n    - a\r\n  image: x\r\n', set(['svc'], ['l'], 'b'), 'svc:\r\n  l: b\r\n  image: x\r\n'],
    ['`key:` filled with a map', 'svc:\r\n  deploy:\r\n  image: x\r\n', set(['svc'], ['deploy', 'replicas'], '1'), 'svc:\r\n  deploy:\r\n    replicas: 1\r\n  image: x\r\n'],
  ]);
});

describe('YamlEditor: tabs (separators and before comments) are kept', () => {
  table([
    ['a value after a tab is replaced, the tab stays', 'svc:\n  image:\tx\t# c\n  ro:\tfalse\n', set(['svc'], ['ro'], 'true'), 'svc:\n  image:\tx\t# c\n  ro:\ttrue\n'],
    ['a key added below lines with tabs', 'svc:\n  image:\tx\t# c\n', set(['svc'], ['deploy', 'x'], '1'), 'svc:\n  image:\tx\t# c\n  deploy:\n    x: 1\n'],
    ['an item after `-\\t`', 'svc:\n  l:\n    -\ta\n', ensure(['svc'], ['l'], 'b'), 'svc:\n  l:\n    -\ta\n    - b\n'],
    ['removing a `-\\t` item', 'svc:\n  l:\n    -\ta\n    -\tb\n', (ed, f) => ed.removeItem(seqAt(f, 'svc', 'l'), seqAt(f, 'svc', 'l').items[0] as Node), 'svc:\n  l:\n    -\tb\n'],
    ['a comment after a tab moves with the value', 'svc:\n  ro: false\t# tab\n', set(['svc'], ['ro'], ['x']), 'svc:\n  ro: # tab\n    - x\n'],
  ]);
});

describe('YamlEditor.setAt: merge keys (DESIGN.md)', () => {
  const M = 'x-base: &base\n  read_only: false\n  deploy:\n    replicas: 2\nservices:\n  a:\n    <<: *base\n    image: x\n';
  table([
    ['a merged scalar is overridden on the service', M, set(['services', 'a'], ['read_only'], 'true'), M + '    read_only: true\n'],
    ['the merged value already holds: no edit', M, set(['services', 'a'], ['read_only'], 'false'), M],
    ['a value already in the merged map: no edit', M, set(['services', 'a'], ['deploy', 'replicas'], '2'), M],
    ['a path under a merged map is refused (writing deploy: would drop the anchor`s deploy)', M, set(['services', 'a'], ['deploy', 'resources', 'limits', 'memory'], '1G'), null],
    ['a map over a merged map is refused', M, set(['services', 'a'], ['deploy'], { replicas: '3' }), null],
    ['the anchor itself is never edited', M, set(['x-base'], ['read_only'], 'true'), null],
    ['a map reached through an alias is never edited', 'x: &x {a: 1}\ny: *x\n', (ed, f) => ed.setAt((at(f, 'y') as Alias).resolve(f.ydoc.doc) as YAMLMap, ['b'], '2'), null],
    ['a path through an alias is refused', 'x: &x {a: 1}\ny:\n  z: *x\n', set(['y'], ['z', 'b'], '2'), null],
    ['a path through an alias that already holds the value: no edit', 'x: &x {a: 1}\ny:\n  z: *x\n', set(['y'], ['z', 'a'], '1'), 'x: &x {a: 1}\ny:\n  z: *x\n'],
    [
      'merges in a list: the first source wins, nested merges followed',
      'a: &a {u: "1"}\nb: &b {<<: *a, v: 2}\nc:\n  <<: [*b]\n  w: 3\n',
      set(['c'], ['u'], '"1"'),
      'a: &a {u: "1"}\nb: &b {<<: *a, v: 2}\nc:\n  <<: [*b]\n  w: 3\n',
    ],
    ['the merge key itself is refused', 'a:\n  b: 1\n', set(['a'], ['<<'], '*x'), null],
    ['a replaced subtree holding an anchor others use is refused', 'svc:\n  env: &e {A: 1}\nother: *e\n', set(['svc'], ['env'], 'x'), null],
  ]);

  test('the override is what YAML readers see; the anchor and its other users are unchanged', () => {
    const text = 'x-base: &base\n  read_only: false\nservices:\n  a:\n    <<: *base\n  b:\n    <<: *base\n';
    const f = open(text);
    const out = apply(f, f.ed.setAt(mapAt(f, 'services', 'a'), ['read_only'], 'true'), {
      'x-base': { read_only: false },
      services: { a: { read_only: true }, b: { read_only: false } },
    });
    assert.equal(out, 'x-base: &base\n  read_only: false\nservices:\n  a:\n    <<: *base\n    read_only: true\n  b:\n    <<: *base\n');
  });
});

describe('YamlEditor: no duplicate keys', () => {
  table([
    ['setAt on a key written twice is refused', 'svc:\n  a: 1\n  a: 2\n', set(['svc'], ['a'], '3'), null],
    ['setAt through a parent written twice is refused', 'svc:\n  d: {x: 1}\n  d: {y: 1}\n', set(['svc'], ['d', 'z'], '3'), null],
    ['ensureItem on a key written twice is refused', 'svc:\n  l: [a]\n  l: [b]\n', ensure(['svc'], ['l'], 'c'), null],
    ['removeAt on a key written twice is refused', 'svc:\n  a: 1\n  a: 2\n', remove(['svc'], ['a']), null],
  ]);

  test('another key written twice is not this edit`s business (the output keeps it)', () => {
    const f = open('svc:\n  a: 1\n  a: 2\n');
    assert.deepEqual(f.ed.setAt(mapAt(f, 'svc'), ['b'], '3'), [{ start: 18, end: 18, text: '\n  b: 3' }]);
  });

  test('insertPairs refuses a key already in the map, or the same key twice', () => {
    const f = open('a:\n  b: 1\n');
    assert.equal(f.ed.insertPairs(mapAt(f, 'a'), [['b', '2']]), null);
    assert.equal(f.ed.insertPairs(mapAt(f, 'a'), [['c', '2'], ['c', '3']]), null);
    assert.equal(f.ed.insertPairs(mapAt(f, 'a'), [['<<', '*x']]), null);
  });
});

describe('YamlEditor.ensureItem', () => {
  table([
    ['missing: the key is created with a list', 'svc:\n  image: x\n', ensure(['svc'], ['cap_drop'], 'ALL'), 'svc:\n  image: x\n  cap_drop:\n    - ALL\n'],
    ['appended in the list`s own style (at the key column)', 'svc:\n  cap_drop:\n  - NET_RAW\n', ensure(['svc'], ['cap_drop'], 'ALL'), 'svc:\n  cap_drop:\n  - NET_RAW\n  - ALL\n'],
    ['already there: no edit', 'svc:\n  cap_drop:\n    - ALL\n', ensure(['svc'], ['cap_drop'], 'ALL'), 'svc:\n  cap_drop:\n    - ALL\n'],
    ['already there, quoted: no edit', 'svc:\n  cap_drop:\n    - "ALL"\n', ensure(['svc'], ['cap_drop'], 'ALL'), 'svc:\n  cap_drop:\n    - "ALL"\n'],
    ['flow list', 'svc:\n  cap_drop: [NET_RAW]\n', ensure(['svc'], ['cap_drop'], 'ALL'), 'svc:\n  cap_drop: [NET_RAW, ALL]\n'],
    ['empty flow list', 'svc:\n  cap_drop: []\n', ensure(['svc'], ['cap_drop'], 'ALL'), 'svc:\n  cap_drop: [ALL]\n'],
    ['`key: # c` is filled, comment kept', 'svc:\n  cap_drop: # c\n', ensure(['svc'], ['cap_drop'], 'ALL'), 'svc:\n  cap_drop: # c\n    - ALL\n'],
    ['a scalar becomes a list (block)', 'svc:\n  tmpfs: /run # c\n', ensure(['svc'], ['tmpfs'], '/tmp'), 'svc:\n  tmpfs: # c\n    - /run\n    - /tmp\n'],
    ['a scalar that is the item: no edit', 'svc:\n  tmpfs: /tmp\n', ensure(['svc'], ['tmpfs'], '/tmp'), 'svc:\n  tmpfs: /tmp\n'],
    ['a scalar becomes a list (flow)', 'svc: {tmpfs: /run}\n', ensure(['svc'], ['tmpfs'], '/tmp'), 'svc: {tmpfs: [/run, /tmp]}\n'],
    [
      'parents created',
      'svc:\n  image: x\n',
      ensure(['svc'], ['securityContext', 'capabilities', 'drop'], 'ALL'),
      'svc:\n  image: x\n  securityContext:\n    capabilities:\n      drop:\n        - ALL\n',
    ],
    [
      'a map item, compared by its keys by default',
      'svc:\n  volumes:\n    - a:/a\n',
      ensure(['svc'], ['volumes'], { type: 'tmpfs', target: '/tmp' }),
      'svc:\n  volumes:\n    - a:/a\n    - type: tmpfs\n      target: /tmp\n',
    ],
    [
      'a map item already there: no edit',
      'svc:\n  volumes:\n    - type: tmpfs\n      target: /tmp\n',
      ensure(['svc'], ['volumes'], { type: 'tmpfs', target: '/tmp' }),
      'svc:\n  volumes:\n    - type: tmpfs\n      target: /tmp\n',
    ],
    [
      'a caller`s `same`: an entry with the same target counts',
      'svc:\n  volumes:\n    - type: tmpfs\n      target: /tmp\n      tmpfs: {size: 1}\n',
      ensure(['svc'], ['volumes'], { type: 'tmpfs', target: '/tmp' }, (n) => JSON.stringify(n).includes('/tmp')),
      'svc:\n  volumes:\n    - type: tmpfs\n      target: /tmp\n      tmpfs: {size: 1}\n',
    ],
    [
      'a merged list is copied onto the service with the item',
      'x: &x\n  cap_drop: [NET_RAW]\nsvc:\n  <<: *x\n  image: y\n',
      ensure(['svc'], ['cap_drop'], 'ALL'),
      'x: &x\n  cap_drop: [NET_RAW]\nsvc:\n  <<: *x\n  image: y\n  cap_drop:\n    - NET_RAW\n    - ALL\n',
    ],
    ['a merged list that has the item: no edit', 'x: &x\n  cap_drop: [ALL]\nsvc:\n  <<: *x\n', ensure(['svc'], ['cap_drop'], 'ALL'), 'x: &x\n  cap_drop: [ALL]\nsvc:\n  <<: *x\n'],
    ['a list under a merged map is refused', 'x: &x\n  sc: {drop: [A]}\nsvc:\n  <<: *x\n', ensure(['svc'], ['sc', 'drop'], 'ALL'), null],
    ['an aliased list is refused', 'l: &l [NET_RAW]\nsvc:\n  cap_drop: *l\n', ensure(['svc'], ['cap_drop'], 'ALL'), null],
    ['an aliased list that has the item: no edit', 'l: &l [ALL]\nsvc:\n  cap_drop: *l\n', ensure(['svc'], ['cap_drop'], 'ALL'), 'l: &l [ALL]\nsvc:\n  cap_drop: *l\n'],
    ['a map where a list should be is refused', 'svc:\n  cap_drop: {a: 1}\n', ensure(['svc'], ['cap_drop'], 'ALL'), null],
    ['JSON list', '{"svc": {"cap_drop": ["A"]}}', (ed, f) => ed.ensureItem(mapAt(f, 'svc'), ['cap_drop'], ed.renderScalar('ALL')), '{"svc": {"cap_drop": ["A", "ALL"]}}'],
    ['JSON: empty map gets the key', '{"svc": {}}', (ed, f) => ed.ensureItem(mapAt(f, 'svc'), ['cap_drop'], ed.renderScalar('ALL')), '{"svc": {"cap_drop": ["ALL"]}}'],
    ['JSON: empty list', '{"svc": {"l": []}}', (ed, f) => ed.ensureItem(mapAt(f, 'svc'), ['l'], ed.renderScalar('ALL')), '{"svc": {"l": ["ALL"]}}'],
    ['CRLF', 'svc:\r\n  cap_drop:\r\n    - A\r\n', ensure(['svc'], ['cap_drop'], 'ALL'), 'svc:\r\n  cap_drop:\r\n    - A\r\n    - ALL\r\n'],
    ['after an item with a comment, before trailing comment lines', 'l:\n  - a # first\n  # more\nz: 1\n', ensure([], ['l'], 'b'), 'l:\n  - a # first\n  - b\n  # more\nz: 1\n'],
    ['end of file without a newline', 'svc:\n  l:\n    - a', ensure(['svc'], ['l'], 'b'), 'svc:\n  l:\n    - a\n    - b'],
  ]);
});

describe('YamlEditor.ensureItems: several items of one list in one edit', () => {
  const items =
    (where: string[], path: string[], ...wanted: string[]): Op =>
    (ed, f) =>
      ed.ensureItems(mapAt(f, ...where), path, wanted.map((item) => ({ item })));
  table([
    ['absent: the key is created once with every item', 'svc:\n  image: x\n', items(['svc'], ['cap_drop'], 'A', 'B'), 'svc:\n  image: x\n  cap_drop:\n    - A\n    - B\n'],
    ['absent parents: created once', 'svc:\n  image: x\n', items(['svc'], ['sc', 'drop'], 'A', 'B'), 'svc:\n  image: x\n  sc:\n    drop:\n      - A\n      - B\n'],
    ['a block list: only the missing ones, appended in order', 'svc:\n  l:\n    - B\n', items(['svc'], ['l'], 'A', 'B', 'C'), 'svc:\n  l:\n    - B\n    - A\n    - C\n'],
    ['an empty flow list', 'svc:\n  l: []\n', items(['svc'], ['l'], 'A', 'B'), 'svc:\n  l: [A, B]\n'],
    ['all there: no edit', 'svc:\n  l: [A, B]\n', items(['svc'], ['l'], 'B', 'A'), 'svc:\n  l: [A, B]\n'],
    ['`key:` filled with every item', 'svc:\n  l:\n', items(['svc'], ['l'], 'A', 'B'), 'svc:\n  l:\n    - A\n    - B\n'],
    ['a merged list copied with the missing items', 'x: &x {l: [A]}\nsvc:\n  <<: *x\n', items(['svc'], ['l'], 'A', 'B', 'C'), 'x: &x {l: [A]}\nsvc:\n  <<: *x\n  l:\n    - A\n    - B\n    - C\n'],
  ]);
});

describe('YamlEditor.removeAt / removePair: block', () => {
  table([
    ['a scalar pair with its comment: the comment stays on a line of its own', 'svc:\n  image: x\n  read_only: false # c\n', remove(['svc'], ['read_only']), 'svc:\n  image: x\n  # c\n'],
    ['absent: no edit', 'svc:\n  image: x\n', remove(['svc'], ['read_only']), 'svc:\n  image: x\n'],
    ['absent parent: no edit', 'svc:\n  image: x\n', remove(['svc'], ['deploy', 'replicas']), 'svc:\n  image: x\n'],
    [
      'emptied parents go too, up to the given map',
      'svc:\n  deploy:\n    resources:\n      limits:\n        memory: 1G\n  image: x\n',
      remove(['svc'], ['deploy', 'resources', 'limits', 'memory']),
      'svc:\n  image: x\n',
    ],
    [
      'emptied parents go up to the first that keeps another entry',
      'svc:\n  deploy:\n    replicas: 1\n    resources:\n      limits:\n        memory: 1G\n  image: x\n',
      remove(['svc'], ['deploy', 'resources', 'limits', 'memory']),
      'svc:\n  deploy:\n    replicas: 1\n  image: x\n',
    ],
    [
      'the last entry of the given map: its last parent becomes {}',
      'svc:\n  deploy:\n    resources:\n      limits:\n        memory: 1G\n',
      remove(['svc'], ['deploy', 'resources', 'limits', 'memory']),
      'svc:\n  deploy: {}\n',
    ],
    ['the only key of the given map: {}', 'svc:\n  image: x\nz: 1\n', remove(['svc'], ['image']), 'svc: {}\nz: 1\n'],
    ['comment lines inside the removed value stay', 'svc:\n  env:\n    # keep me\n    A: 1\n  image: x\n', remove(['svc'], ['env']), 'svc:\n    # keep me\n  image: x\n'],
    ['a `#` line inside a block scalar is text, not a comment', 'svc:\n  run: |\n    # text\n  image: x\n', remove(['svc'], ['run']), 'svc:\n  image: x\n', ['# text']],
    ['CRLF', 'env:\r\n  A: 1\r\n  B: 2\r\n', remove([], ['env', 'A']), 'env:\r\n  B: 2\r\n'],
    ['the last pair of a file without a newline', 'svc:\n  a: 1\n  b: 2', remove(['svc'], ['b']), 'svc:\n  a: 1\n'],
    ['the first key of a sequence item: the next key moves up, its comment stays above the item', 'c:\n  - name: a # n\n    image: b\n  - name: c\n', remove(['c', 0], ['name']), 'c:\n  # n\n  - image: b\n  - name: c\n'],
    ['the first key of a sequence item at the key column', 'c:\n- env:\n    A: 1\n  image: b\n', remove(['c', 0], ['env']), 'c:\n- image: b\n'],
    ['the first key of a sequence item: comment lines stay above the item', 'c:\n  - name: a\n    # about image\n    image: b\n', remove(['c', 0], ['name']), 'c:\n    # about image\n  - image: b\n'],
    ['the only key of a sequence item: {} (removeAt never removes the given map)', 'c:\n  - name: a\n  - name: b\n', remove(['c', 0], ['name']), 'c:\n  - {}\n  - name: b\n'],
    ['a pair whose value is an anchor others use is refused', 'a: &a 1\nb: *a\n', remove([], ['a']), null],
  ]);

  test('removePair: a map emptied by the removal goes with its key', () => {
    const f = open('svc:\n  env:\n    A: 1\n  image: x\n');
    const env = mapAt(f, 'svc', 'env');
    assert.equal(apply(f, f.ed.removePair(env, pairOf(env, 'A'))), 'svc:\n  image: x\n');
  });

  test('removePair: an emptied map that is the only entry of its parent becomes {}', () => {
    const f = open('svc:\n  env:\n    A: 1\n');
    const env = mapAt(f, 'svc', 'env');
    assert.equal(apply(f, f.ed.removePair(env, pairOf(env, 'A'))), 'svc:\n  env: {}\n');
  });

  test('removePair: the only key of a sequence item removes the item', () => {
    const f = open('c:\n  - name: a\n  - name: b\n');
    const m = mapAt(f, 'c', 0);
    assert.equal(apply(f, f.ed.removePair(m, pairOf(m, 'name'))), 'c:\n  - name: b\n');
  });

  test('removePair: a pair of another map is refused', () => {
    const f = open('a:\n  b: 1\nc:\n  d: 2\n');
    assert.equal(f.ed.removePair(mapAt(f, 'a'), pairOf(mapAt(f, 'c'), 'd')), null);
  });
});

describe('YamlEditor.removeAt / removePair: flow and JSON', () => {
  table([
    ['a flow pair', 'svc: {a: 1, b: 2}\n', remove(['svc'], ['a']), 'svc: {b: 2}\n'],
    ['the only flow pair: {}', 'svc: {a: 1}\n', remove(['svc'], ['a']), 'svc: {}\n'],
    ['an emptied flow map goes with its key', 'svc: {env: {A: 1}, image: x}\n', remove(['svc'], ['env', 'A']), 'svc: {image: x}\n'],
    ['JSON', '{"svc": {"env": {"A": "1"}, "image": "x"}}', remove(['svc'], ['env', 'A']), '{"svc": {"image": "x"}}'],
    ['JSON over several lines', '{\n  "a": 1,\n  "b": 2\n}\n', remove([], ['a']), '{\n  "b": 2\n}\n'],
  ]);
});

describe('YamlEditor.removeAt / removePair / removeItem: merge keys', () => {
  const X = 'x: &x\n  environment:\n    A: 1\nsvc:\n  <<: *x\n';
  table([
    ['an emptied map whose key shadows a merge becomes {}', X + '  environment:\n    B: 2\n  image: y\n', remove(['svc'], ['environment', 'B']), X + '  environment: {}\n  image: y\n'],
    ['removing a map that shadows a merge writes {}', X + '  environment:\n    B: 2\n  image: y\n', remove(['svc'], ['environment']), X + '  environment: {}\n  image: y\n'],
    ['removing a list that shadows a merge writes []', 'x: &x {l: [a]}\nsvc:\n  <<: *x\n  l:\n    - b\n', remove(['svc'], ['l']), 'x: &x {l: [a]}\nsvc:\n  <<: *x\n  l: []\n'],
    ['a scalar that shadows a merge is refused (the merged value would switch on)', 'x: &x\n  read_only: true\nsvc:\n  <<: *x\n  read_only: false\n', remove(['svc'], ['read_only']), null],
    ['a key that is only merged is refused', 'x: &x\n  read_only: true\nsvc:\n  <<: *x\n', remove(['svc'], ['read_only']), null],
    ['a path under a merged map is refused', X + '  image: y\n', remove(['svc'], ['environment', 'A']), null],
    ['the anchor is never edited', X, remove(['x'], ['environment']), null],
  ]);

  test('removePair: the last entry of a map shadowing a merge leaves {}', () => {
    const f = open(X + '  environment:\n    B: 2\n  image: y\n');
    const env = mapAt(f, 'svc', 'environment');
    const out = apply(f, f.ed.removePair(env, pairOf(env, 'B')));
    assert.equal(out, X + '  environment: {}\n  image: y\n');
    assert.deepEqual(open(out).ydoc.doc.toJS({}), { x: { environment: { A: 1 } }, svc: { '<<': { environment: { A: 1 } }, environment: {}, image: 'y' } });
  });

  test('removeItem: the last item of a list shadowing a merge leaves [] (block and flow)', () => {
    for (const [list, want] of [
      ['  environment:\n    - B=2\n', '  environment: []\n'],
      ['  environment: [B=2]\n', '  environment: []\n'],
    ]) {
      const f = open(X + list + '  image: y\n');
      const s = seqAt(f, 'svc', 'environment');
      assert.equal(apply(f, f.ed.removeItem(s, s.items[0] as Node)), X + want + '  image: y\n');
    }
  });
});

describe('YamlEditor.removeItem', () => {
  const item =
    (path: (string | number)[], i: number): Op =>
    (ed, f) => {
      const s = seqAt(f, ...path);
      return ed.removeItem(s, s.items[i] as Node);
    };
  table([
    ['a multi-line double-quoted item, first', 'env:\n  - "A=1\n    B"\n  - C=2\n', item(['env'], 0), 'env:\n  - C=2\n'],
    ['a multi-line double-quoted item, last', 'env:\n  - C=2\n  - "A=1\n    B"\n', item(['env'], 1), 'env:\n  - C=2\n'],
    ['a multi-line single-quoted item, no newline at the end', "env:\n  - C=2\n  - 'A=1\n    B'", item(['env'], 1), 'env:\n  - C=2\n'],
    ['a multi-line plain item', 'env:\n  - A=1\n    B\n  - C=2\n', item(['env'], 0), 'env:\n  - C=2\n'],
    ['an item whose text starts below its dash', 'env:\n  - C=2\n  -\n    a: 1\n', item(['env'], 1), 'env:\n  - C=2\n'],
    ['comment lines inside a removed item stay', 'l:\n  - a: 1\n    # note\n    b: 2\n  - c\n', item(['l'], 0), 'l:\n    # note\n  - c\n'],
    ['the only item: the list goes with its key', 'svc:\n  l:\n    - a\n  image: x\n', item(['svc', 'l'], 0), 'svc:\n  image: x\n'],
    ['the only item of the only key: []', 'svc:\n  l:\n    - a\n', item(['svc', 'l'], 0), 'svc:\n  l: []\n'],
    ['an item holding an anchor others use is refused', 'l:\n  - x\n  - y: &b 2\nz: *b\n', item(['l'], 1), null],
    ['an item of a nested sequence on its parent`s line is refused', 'l:\n  - - a\n    - b\n', item(['l', 0], 0), null],
    ['CRLF', 'l:\r\n  - a\r\n  - b\r\n', item(['l'], 0), 'l:\r\n  - b\r\n'],
  ]);
});

describe('YamlEditor.replaceInScalar', () => {
  const r =
    (path: (string | number)[], from: number, to: number, text: string): Op =>
    (ed, f) =>
      ed.replaceInScalar(scalarAt(f, ...path), from, to, text);
  table([
    ['plain: `:ro` appended', 'v:\n  - ./data:/data\n', r(['v', 0], 12, 12, ':ro'), 'v:\n  - ./data:/data:ro\n'],
    ['plain in a flow list', 'v: [./data:/data, b]\n', r(['v', 0], 12, 12, ':ro'), 'v: [./data:/data:ro, b]\n'],
    ['plain: a replaced part', 'v:\n  - no-new-privileges:false\n', r(['v', 0], 18, 23, 'true'), 'v:\n  - no-new-privileges:true\n'],
    ['double-quoted, comment kept', 'v:\n  - "./data:/data" # c\n', r(['v', 0], 12, 12, ':ro'), 'v:\n  - "./data:/data:ro" # c\n'],
    ['double-quoted with an escape before the edit', 'v:\n  - "./a\\tb:/data"\n', r(['v', 0], 11, 11, ':ro'), 'v:\n  - "./a\\tb:/data:ro"\n'],
    ['double-quoted: inserted text is escaped', 'v:\n  - "./a\\tb:/data"\n', r(['v', 0], 4, 5, ' "x" '), 'v:\n  - "./a\\t \\"x\\" :/data"\n'],
    ["single-quoted with '' inside", "v:\n  - './it''s:/data'\n", r(['v', 0], 12, 12, ':ro'), "v:\n  - './it''s:/data:ro'\n"],
    ["single-quoted: inserted ' doubled", "v:\n  - 'ab'\n", r(['v', 0], 1, 1, "'"), "v:\n  - 'a''b'\n"],
    ['JSON', '{"v": ["./data:/data"]}', r(['v', 0], 12, 12, ':ro'), '{"v": ["./data:/data:ro"]}'],
    ['after a \\U escape (a surrogate pair)', 'v:\n  - "\\U0001F600x"\n', r(['v', 0], 2, 2, 'y'), 'v:\n  - "\\U0001F600yx"\n'],
    ['inside a \\U escape`s surrogate pair: refused', 'v:\n  - "\\U0001F600x"\n', r(['v', 0], 1, 1, 'y'), null],
    ['plain that would read differently (a comment): refused', 'v:\n  - ./data:/data\n', r(['v', 0], 12, 12, ' #ro'), null],
    ['plain in a flow list with a comma: refused', 'v: [./data:/data, b]\n', r(['v', 0], 12, 12, ',ro'), null],
    ['a block scalar: refused', 'v:\n  - |\n    x\n', r(['v', 0], 1, 1, 'y'), null],
    ['a multi-line quoted scalar: refused', 'v:\n  - "a\n    b"\n', r(['v', 0], 1, 1, 'y'), null],
    ['past the end: refused', 'v:\n  - ab\n', r(['v', 0], 3, 3, 'y'), null],
    ['an anchored scalar others use: refused', 'a: &a x:/y\nb: *a\n', r(['a'], 4, 4, ':ro'), null],
    ['a line break into a single-quoted scalar: refused', "v:\n  - 'ab'\n", r(['v', 0], 1, 1, '\n'), null],
  ]);
});

describe('EditBatch through the editor: one fix, several operations', () => {
  /** The Compose secret fix's three steps: environment goes, the service lists the secret, the top level declares it. */
  const secretFix: Op = (ed, f) => {
    const svc = mapAt(f, 'services', 'db');
    const parts = [ed.removeAt(svc, ['environment']), ed.ensureItem(svc, ['secrets'], 'db_password'), ed.setAt(mapAt(f), ['secrets', 'db_password', 'file'], './db_password.txt')];
    return join(f, parts);
  };
  table([
    [
      'issue 11 item 7: environment last in a file without a trailing newline (nothing glued onto a line)',
      'services:\n  db:\n    image: postgres\n    environment:\n      - DB_PASSWORD=x',
      secretFix,
      'services:\n  db:\n    image: postgres\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./db_password.txt',
    ],
    [
      'the same with a trailing newline',
      'services:\n  db:\n    image: postgres\n    environment:\n      - DB_PASSWORD=x\n',
      secretFix,
      'services:\n  db:\n    image: postgres\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./db_password.txt\n',
    ],
    [
      'CRLF, with a comment line inside the removed environment (kept)',
      'services:\r\n  db:\r\n    image: postgres\r\n    environment:\r\n      # the password\r\n      - DB_PASSWORD=x\r\n',
      secretFix,
      'services:\r\n  db:\r\n    image: postgres\r\n      # the password\r\n    secrets:\r\n      - db_password\r\nsecrets:\r\n  db_password:\r\n    file: ./db_password.txt\r\n',
    ],
    [
      'two keys into one block map: joined in order',
      'a:\n  b: 1\n',
      (ed, f) => join(f, [ed.setAt(mapAt(f, 'a'), ['c'], '2'), ed.setAt(mapAt(f, 'a'), ['d'], '3')]),
      'a:\n  b: 1\n  c: 2\n  d: 3\n',
    ],
    [
      'two keys into an empty flow map: joined with a comma',
      'a: {}\n',
      (ed, f) => join(f, [ed.setAt(mapAt(f, 'a'), ['c'], '2'), ed.setAt(mapAt(f, 'a'), ['d'], '3')]),
      'a: {c: 2, d: 3}\n',
    ],
    [
      'a refused part refuses the whole fix',
      'x: &x {a: 1}\ny: *x\nz: {}\n',
      (ed, f) => join(f, [ed.setAt(mapAt(f, 'z'), ['c'], '2'), ed.setAt(mapAt(f, 'x'), ['b'], '2')]),
      null,
    ],
  ]);

  function join(f: Fixture, parts: (TextEdit[] | null)[]): TextEdit[] | null {
    const batch = new EditBatch(f.ed.file);
    for (const p of parts) batch.add(p);
    return batch.edits();
  }
});

describe('EditBatch', () => {
  const text = 'line1\nline2\nline3';

  test('disjoint edits sorted; identical edits once', () => {
    const b = new EditBatch(text);
    assert.equal(b.add([{ start: 6, end: 11, text: 'X' }]), true);
    b.add({ start: 0, end: 5, text: 'Y' });
    b.add([{ start: 6, end: 11, text: 'X' }]);
    assert.equal(b.ok, true);
    assert.deepEqual(b.edits(), [
      { start: 0, end: 5, text: 'Y' },
      { start: 6, end: 11, text: 'X' },
    ]);
  });

  test('null poisons the batch', () => {
    const b = new EditBatch(text);
    b.add([{ start: 0, end: 1, text: '' }]);
    assert.equal(b.add(null), false);
    assert.equal(b.ok, false);
    assert.equal(b.edits(), null);
  });

  test('an edit outside the text poisons the batch', () => {
    const b = new EditBatch(text);
    assert.equal(b.add([{ start: 5, end: 99, text: '' }]), false);
    assert.equal(b.edits(), null);
  });

  test('overlapping replacements conflict: null', () => {
    const b = new EditBatch(text);
    b.add([{ start: 0, end: 7, text: 'a' }]);
    b.add([{ start: 6, end: 8, text: 'b' }]);
    assert.equal(b.edits(), null);
  });

  test('an insertion strictly inside a replaced range conflicts: null', () => {
    const b = new EditBatch(text);
    b.add([{ start: 0, end: 5, text: 'abc' }]);
    b.add([{ start: 2, end: 2, text: 'x' }]);
    assert.equal(b.edits(), null);
  });

  test('insertions at one offset joined in order', () => {
    const b = new EditBatch(text);
    b.add([{ start: 5, end: 5, text: '\nA' }]);
    b.add([{ start: 5, end: 5, text: '\nB' }]);
    assert.deepEqual(b.edits(), [{ start: 5, end: 5, text: '\nA\nB' }]);
  });

  test('lines inserted at the end of a removed line take its place (line break kept)', () => {
    const b = new EditBatch(text);
    b.add([{ start: 6, end: 12, text: '' }]); // removes "line2\n"
    b.add([{ start: 11, end: 11, text: '\nA' }]);
    b.add([{ start: 11, end: 11, text: '\nB' }]);
    const edits = b.edits()!;
    assert.deepEqual(edits, [{ start: 6, end: 12, text: 'A\nB\n' }]);
  });

  test('...also when the removed line ends the text without a line break (nothing glued)', () => {
    const b = new EditBatch(text);
    b.add([{ start: 12, end: 17, text: '' }]); // removes "line3"
    b.add([{ start: 17, end: 17, text: '\nA' }]);
    b.add([{ start: 17, end: 17, text: '\nB' }]);
    assert.deepEqual(b.edits(), [{ start: 12, end: 17, text: 'A\nB' }]);
  });

  test('...after the whole comment lines a removal keeps', () => {
    const t = 'a:\n  # c\n  b: 1\nz: 1\n';
    const b = new EditBatch(t);
    b.add([{ start: 0, end: 16, text: '  # c\n' }]);
    b.add([{ start: 15, end: 15, text: '\nq: 2' }]);
    assert.deepEqual(b.edits(), [{ start: 0, end: 16, text: '  # c\nq: 2\n' }]);
  });

  test('CRLF: the line break added is the file`s', () => {
    const t = 'a\r\nb\r\nc\r\n';
    const b = new EditBatch(t);
    b.add([{ start: 3, end: 6, text: '' }]);
    b.add([{ start: 4, end: 4, text: '\r\nX' }]);
    assert.deepEqual(b.edits(), [{ start: 3, end: 6, text: 'X\r\n' }]);
  });

  test('an insertion right after a replaced range is kept apart', () => {
    const b = new EditBatch(text);
    b.add([{ start: 0, end: 5, text: 'L' }]);
    b.add([{ start: 5, end: 5, text: '!' }]);
    assert.deepEqual(b.edits(), [
      { start: 0, end: 5, text: 'L' },
      { start: 5, end: 5, text: '!' },
    ]);
  });

  test('no edits: an empty list', () => {
    const b = new EditBatch(text);
    b.add([]);
    assert.equal(b.empty, true);
    assert.deepEqual(b.edits(), []);
  });
});
