/**
 * YAML parsing: splitting at document markers, the per-document cache (an edit re-parses
 * one document), and input the engine must survive: broken documents among good ones,
 * Helm templates, JSON manifests, alias bombs, huge files, tabs, a BOM.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isMap, isPair, isSeq } from 'yaml';
import { mergeConfig } from '../../../server/src/core/config';
import { createEngine, MAX_FILE_SIZE, type AnalysisResult } from '../../../server/src/core/engine';
import { buildComposeModel } from '../../../server/src/core/model/fromCompose';
import { buildKubernetesModel } from '../../../server/src/core/model/fromKubernetes';
import { duplicateKeys, parseYamlFile, splitDocuments, YamlDocCache, type YamlDoc } from '../../../server/src/core/parse/yaml';
import { TextIndex } from '../../../server/src/core/text';
import { engine, rules } from '../../../server/src/rules';

type Row = [rule: string, start: [number, number], end: [number, number], message: string];

/** The findings this suite is about: no-root-user and the engine's own (other rules come and go). */
const OURS = new Set(['no-root-user', 'invalid-yaml', 'file-too-large']);

function rows(r: AnalysisResult): Row[] {
  return r.findings.filter((f) => OURS.has(f.rule)).map((f) => {
    const { start, end } = r.index.rangeOf(f);
    return [f.rule, [start.line, start.character], [end.line, end.character], f.message];
  });
}

const analyze = (text: string, path: string) => engine.analyze({ text, path }, mergeConfig());

/** The default config with every rule but no-root-user off, for fix-all checks. */
const onlyNoRootUser = () => mergeConfig({ rules: Object.fromEntries(engine.rules.filter((r) => r.meta.id !== 'no-root-user').map((r) => [r.meta.id, 'off' as const])) });

const MISSING = (c: string) => `Container '${c}' may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set (the image's USER is unknown offline)`;

function pod(name: string, image = 'ghcr.io/acme/web:1.27'): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: ${name}\n      image: ${image}\n`;
}

describe('splitDocuments', () => {
  const split = (t: string) => splitDocuments(t).map((d) => [d.base, d.text]);

  test('one document', () => {
    assert.deepEqual(split('a: 1\n'), [[0, 'a: 1\n']]);
  });

  test('empty text is one empty document', () => {
    assert.deepEqual(split(''), [[0, '']]);
  });

  test('--- markers start documents; each part keeps its marker', () => {
    assert.deepEqual(split('a: 1\n---\nb: 2\n'), [
      [0, 'a: 1\n'],
      [5, '---\nb: 2\n'],
    ]);
    assert.deepEqual(split('---\na: 1\n---\nb: 2\n'), [
      [0, '---\na: 1\n'],
      [9, '---\nb: 2\n'],
    ]);
  });

  test('a marker followed by a comment, a tag or a tab is a marker', () => {
    assert.deepEqual(split('a: 1\n--- # c\nb: 2\n'), [
      [0, 'a: 1\n'],
      [5, '--- # c\nb: 2\n'],
    ]);
    assert.deepEqual(split('a: 1\n--- !!map\nb: 2\n'), [
      [0, 'a: 1\n'],
      [5, '--- !!map\nb: 2\n'],
    ]);
    assert.deepEqual(split('a: 1\n---\t\nb: 2\n'), [
      [0, 'a: 1\n'],
      [5, '---\t\nb: 2\n'],
    ]);
  });

  test('not markers: indented, or followed by other text', () => {
    assert.deepEqual(split('a: 1\n ---\nb: 2\n'), [[0, 'a: 1\n ---\nb: 2\n']]);
    assert.deepEqual(split('a: 1\n---b\nc: 2\n'), [[0, 'a: 1\n---b\nc: 2\n']]);
  });

  test('a leading comment and --- are one document', () => {
    assert.deepEqual(split('# lead\n---\na: 1\n'), [[0, '# lead\n---\na: 1\n']]);
    assert.deepEqual(split('# c\n---\na: 1\n---\nb: 2\n'), [
      [0, '# c\n---\na: 1\n'],
      [13, '---\nb: 2\n'],
    ]);
  });

  test('a %YAML directive before --- belongs to its document', () => {
    assert.deepEqual(split('%YAML 1.2\n---\na: 1\n---\nb: 2\n'), [
      [0, '%YAML 1.2\n---\na: 1\n'],
      [19, '---\nb: 2\n'],
    ]);
  });

  test('--- at column 0 inside a block scalar or a quoted string is still a marker', () => {
    assert.deepEqual(split('a: |\n  x\n---\n  y\n'), [
      [0, 'a: |\n  x\n'],
      [9, '---\n  y\n'],
    ]);
    assert.deepEqual(split('a: "x\n---\ny"\n'), [
      [0, 'a: "x\n'],
      [6, '---\ny"\n'],
    ]);
  });

  test('a document end marker (...)', () => {
    assert.deepEqual(split('a: 1\n...\n---\nb: 2\n'), [
      [0, 'a: 1\n...\n'],
      [9, '---\nb: 2\n'],
    ]);
  });

  test('CRLF', () => {
    assert.deepEqual(split('a: 1\r\n---\r\nb: 2\r\n'), [
      [0, 'a: 1\r\n'],
      [6, '---\r\nb: 2\r\n'],
    ]);
  });

  test('empty documents', () => {
    assert.deepEqual(split('---\n---\n'), [
      [0, '---\n'],
      [4, '---\n'],
    ]);
    assert.deepEqual(split('a: 1\n---\n'), [
      [0, 'a: 1\n'],
      [5, '---\n'],
    ]);
  });
});

describe('parseYamlFile', () => {
  test('every document parsed on its own, with its base offset and root map', () => {
    const docs = parseYamlFile('a: 1\n---\n- x\n---\nc: 3\n', new YamlDocCache());
    assert.deepEqual(
      docs.map((d) => [d.base, d.errors.length, d.root !== null, d.doc.toJS()]),
      [
        [0, 0, true, { a: 1 }],
        [5, 0, false, ['x']],
        [13, 0, true, { c: 3 }],
      ],
    );
  });

  test('errors carry file offsets and a one-line message', () => {
    const docs = parseYamlFile('a: 1\n---\nb: [\n---\nc: 3\n', new YamlDocCache());
    assert.deepEqual(
      docs.map((d) => d.errors),
      [[], [{ span: { start: 14, end: 14 }, message: 'Flow sequence in block collection must be sufficiently indented and end with a ]' }], []],
    );
  });

  test('tabs as indentation: an error at the tab', () => {
    const [d] = parseYamlFile('a:\n\tb: 1\n', new YamlDocCache());
    assert.deepEqual(d.errors, [{ span: { start: 3, end: 4 }, message: 'Tabs are not allowed as indentation' }]);
  });

  test('an unclosed quote split by a marker: the broken part has the error, the others parse', () => {
    const docs = parseYamlFile("a: 1\n---\nb: 'x\n---\ny'\n", new YamlDocCache());
    assert.deepEqual(
      docs.map((d) => [d.base, d.errors.map((e) => e.message)]),
      [
        [0, []],
        [5, ["Missing closing 'quote"]],
        [15, []],
      ],
    );
  });
});

describe('duplicate keys (issue 10): found once per parsed document, reported at the later key', () => {
  const dups = (text: string) => parseYamlFile(text, new YamlDocCache()).map((d) => d.duplicates.map((x) => [text.slice(x.span.start, x.span.end), x.span.start, x.key, x.message]));
  const MSG = (k: string) => `Duplicate key '${k}' in this mapping: YAML readers keep only one of its values`;

  test('every mapping, nested, in sequences and flow maps; each later occurrence', () => {
    const text = 'a: 1\nb:\n  c: 1\n  c: 2\n  c: 3\nl:\n  - {x: 1, x: 2}\n  - k: 1\n    k: 2\na: 4\n';
    assert.deepEqual(dups(text), [
      [
        ['c', 17, 'c', MSG('c')],
        ['c', 24, 'c', MSG('c')],
        ['x', 43, 'x', MSG('x')],
        ['k', 62, 'k', MSG('k')],
        ['a', 67, 'a', MSG('a')],
      ],
    ]);
  });

  test('no duplicates: empty; equal keys in different mappings are not duplicates', () => {
    assert.deepEqual(dups('a:\n  x: 1\nb:\n  x: 1\n'), [[]]);
  });

  test('the same value with another type is another key (`1` and "1"); quoted and plain spellings of one string are one', () => {
    assert.deepEqual(dups('1: a\n"1": b\n'), [[]]);
    assert.deepEqual(dups('x: a\n"x": b\n'), [[['"x"', 5, 'x', MSG('x')]]]);
  });

  test('merge keys (`<<`) are not counted', () => {
    assert.deepEqual(dups('a: &a {x: 1}\nb: &b {y: 1}\nc:\n  <<: *a\n  <<: *b\n'), [[]]);
  });

  test('aliases are not followed (the anchored map is checked where it is written)', () => {
    assert.deepEqual(dups('a: &a\n  x: 1\n  x: 2\nb: *a\nc: *a\n'), [[['x', 15, 'x', MSG('x')]]]);
  });

  test('file offsets in a later document', () => {
    assert.deepEqual(dups('a: 1\n---\nb: 1\nb: 2\n'), [[], [['b', 14, 'b', MSG('b')]]]);
  });

  test('key names in messages: at most 60 characters, no control characters', () => {
    const long = 'k'.repeat(100);
    const [[d1]] = parseYamlFile(`${long}: 1\n${long}: 2\n`, new YamlDocCache()).map((d) => d.duplicates);
    assert.equal(d1.key, `${'k'.repeat(59)}…`);
    assert.equal(d1.message, MSG(`${'k'.repeat(59)}…`));
    const [[d2]] = parseYamlFile('"a\\u001b[31mb\\tc": 1\n"a\\u001b[31mb\\tc": 2\n', new YamlDocCache()).map((d) => d.duplicates);
    assert.equal(d2.key, 'a?[31mb?c');
    assert.equal(d2.message, MSG('a?[31mb?c'));
  });

  test('computed once per parsed document (the cached parse keeps them)', () => {
    const cache = new YamlDocCache();
    const [a] = parseYamlFile('x: 1\nx: 2\n', cache);
    const [b] = parseYamlFile('x: 1\nx: 2\n', cache);
    assert.equal(a.doc, b.doc);
    assert.deepEqual(a.duplicates, b.duplicates);
    assert.equal(duplicateKeys(a.doc), duplicateKeys(b.doc), 'the same cached list');
  });
});

describe('YamlDocCache', () => {
  test('the same document text is parsed once', () => {
    const cache = new YamlDocCache();
    const a = cache.get('a: 1\n');
    assert.equal(cache.get('a: 1\n'), a);
    assert.equal(cache.parses, 1);
    cache.get('a: 2\n');
    assert.equal(cache.parses, 2);
  });

  test('identical documents in one file share one parse', () => {
    const cache = new YamlDocCache();
    parseYamlFile('---\na: 1\n---\na: 1\n---\na: 1\n', cache);
    assert.equal(cache.parses, 1);
  });

  test('bounded by text size: the least recently used document is evicted', () => {
    const cache = new YamlDocCache(12);
    cache.get('a: 111111\n'); // 10 chars
    cache.get('b: 2\n'); // 15 > 12: evicts a
    assert.equal(cache.parses, 2);
    cache.get('b: 2\n');
    assert.equal(cache.parses, 2, 'b is still cached');
    cache.get('a: 111111\n');
    assert.equal(cache.parses, 3, 'a was evicted');
  });
});

describe('the engine re-parses only the edited document', () => {
  test('40 documents, one character changed in document 17: one parse', () => {
    const e = createEngine(rules);
    const config = mergeConfig();
    const docs = Array.from({ length: 40 }, (_, i) => pod(`p${i}`));
    const text = docs.join('---\n');
    const first = e.analyze({ text, path: 'all.yaml' }, config);
    assert.equal(rows(first).length, 40);
    const afterOpen = e.stats.yamlParses;
    assert.equal(afterOpen, 40);

    e.analyze({ text, path: 'all.yaml' }, config);
    assert.equal(e.stats.yamlParses, afterOpen, 'unchanged text: no parse');

    // `ghcr.io/acme/web:1.27` -> `ghcr.io/acme/web:1.28` in document 17 (a text no other document has)
    const at = text.indexOf('ghcr.io/acme/web:1.27', text.indexOf('name: p17'));
    const edited = `${text.slice(0, at + 9)}8${text.slice(at + 10)}`;
    assert.equal(edited.length, text.length);
    const second = e.analyze({ text: edited, path: 'all.yaml' }, config);
    assert.equal(e.stats.yamlParses, afterOpen + 1);
    assert.deepEqual(rows(second), rows(first), 'the same findings at the same file positions');
  });

  test('findings of a later document carry file positions', () => {
    const r = analyze(`${pod('a')}---\n${pod('b')}`, 'two.yaml');
    assert.deepEqual(rows(r), [
      ['no-root-user', [6, 12], [6, 13], MISSING('a')],
      ['no-root-user', [15, 12], [15, 13], MISSING('b')],
    ]);
  });
});

describe('the engine reports duplicate keys as invalid-yaml and still analyses the document', () => {
  const DUP = (k: string) => `Duplicate key '${k}' in this mapping: YAML readers keep only one of its values`;

  test('Compose: at the second key; the service is still checked; the message quotes no value', () => {
    const r = analyze('services:\n  web:\n    image: ghcr.io/acme/web:1.27\n    user: root\n    user: "s3cr3t-value"\n', 'compose.yaml');
    assert.deepEqual(rows(r), [
      ['no-root-user', [3, 10], [3, 14], "Service 'web' runs as root (user: root)"],
      ['invalid-yaml', [4, 4], [4, 8], DUP('user')],
    ]);
    assert.ok(r.findings.every((f) => !f.message.includes('s3cr3t')));
  });

  test('Kubernetes: at the second key; the pod is still checked', () => {
    const r = analyze(`${pod('a')}  restartPolicy: Never\n  restartPolicy: Always\n`, 'pod.yaml');
    assert.deepEqual(rows(r), [
      ['no-root-user', [6, 12], [6, 13], MISSING('a')],
      ['invalid-yaml', [9, 2], [9, 15], DUP('restartPolicy')],
    ]);
  });

  test('at most three per document', () => {
    const text = 'services:\n  web:\n    image: ghcr.io/acme/web:1.27\n    user: "1000"\n' + ['a', 'b', 'c', 'd'].map((k) => `    ${k}: 1\n    ${k}: 2\n`).join('');
    assert.deepEqual(
      rows(analyze(text, 'compose.yaml')).map(([rule, start]) => [rule, start]),
      [
        ['invalid-yaml', [5, 4]],
        ['invalid-yaml', [7, 4]],
        ['invalid-yaml', [9, 4]],
      ],
    );
  });

  test('not in Helm templates', () => {
    const r = analyze(`${pod('a')}  restartPolicy: Never\n  restartPolicy: Always\n`, 'chart/templates/pod.yaml');
    assert.deepEqual(rows(r).filter(([rule]) => rule === 'invalid-yaml'), []);
  });
});

describe('input the engine must survive', () => {
  test('a broken document among good ones: invalid-yaml for it only, the others still analysed', () => {
    const text = `${pod('a')}---\napiVersion: v1\nkind: Pod\nspec: [\n---\n${pod('c')}`;
    assert.deepEqual(rows(analyze(text, 'multi.yaml')), [
      ['no-root-user', [6, 12], [6, 13], MISSING('a')],
      ['invalid-yaml', [12, 0], [12, 0], 'Not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
      ['no-root-user', [19, 12], [19, 13], MISSING('c')],
    ]);
  });

  test('a Helm template that happens to parse: no invalid-yaml, analysed', () => {
    const text =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: {{ .Values.image }}\n';
    const r = analyze(text, 'chart/templates/deployment.yaml');
    assert.deepEqual(rows(r), [['no-root-user', [8, 16], [8, 19], MISSING('app')]]);
  });

  test('a Helm template that is not YAML: no invalid-yaml, skipped quietly', () => {
    const text =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "app.fullname" . }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: "{{ .Values.image }}"\n{{- if .Values.x }}\n      foo: bar\n{{- end }}\n';
    const r = analyze(text, 'chart/templates/deployment.yaml');
    assert.equal(r.kind, 'kubernetes');
    assert.deepEqual(rows(r).filter(([rule]) => rule === 'invalid-yaml'), []);
  });

  test('a JSON manifest (deployment.json) is analysed', () => {
    const text =
      '{\n  "apiVersion": "apps/v1",\n  "kind": "Deployment",\n  "metadata": {"name": "web"},\n  "spec": {\n    "template": {\n      "spec": {\n        "containers": [\n          {"name": "app", "image": "nginx:1.27", "securityContext": {"runAsUser": 0}}\n        ]\n      }\n    }\n  }\n}\n';
    const r = analyze(text, 'deployment.json');
    assert.equal(r.kind, 'kubernetes');
    assert.deepEqual(rows(r), [['no-root-user', [8, 82], [8, 83], "Container 'app' runs as root (runAsUser: 0)"]]);
  });

  const LAUGHS = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
    'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
  ].join('\n');

  test('billion laughs in a Compose file: no throw, the service still analysed', () => {
    const text = `services:\n  web:\n    image: nginx\n    environment: *i\n${LAUGHS}\n`;
    assert.doesNotThrow(() => engine.fixAll({ text, path: 'compose.yaml' }, mergeConfig()));
    const r = analyze(text, 'compose.yaml');
    assert.deepEqual(
      rows(r).map(([rule, s]) => [rule, s]),
      [['no-root-user', [1, 2]]],
    );
  });

  test('billion laughs in a manifest: no throw, nothing found in the bomb', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n${LAUGHS}\nspec:\n  containers: *i\n`;
    assert.doesNotThrow(() => engine.fixAll({ text, path: 'pod.yaml' }, mergeConfig()));
    assert.deepEqual(rows(analyze(text, 'pod.yaml')), []);
  });

  /**
   * Merge keys nest like aliases: 9 levels of `<<: [*x, *x, ...]` are 9^9 merges if each is
   * followed. Work is measured, not timed: every anchored collection's items are counted as
   * they are read, and reading far more than the file holds throws (a hang becomes a failure).
   */
  function mergeBomb(): string {
    const lines = ['x0: &x0 {user: root}'];
    for (let i = 1; i <= 9; i++) lines.push(`x${i}: &x${i}\n  <<: [${Array.from({ length: 9 }, () => `*x${i - 1}`).join(', ')}]`);
    return lines.join('\n');
  }

  function countReads(docs: YamlDoc[], budget: number): void {
    let reads = 0;
    const wrap = (n: unknown): void => {
      if (!isMap(n) && !isSeq(n)) return;
      for (const it of n.items as unknown[]) {
        if (isPair(it)) wrap(it.value);
        else wrap(it);
      }
      if (!n.anchor) return;
      n.items = new Proxy(n.items as unknown[], {
        get(target, key, receiver) {
          if (key === 'length' && ++reads > budget) throw new Error(`more than ${budget} reads of anchored items: merges are followed without bound`);
          return Reflect.get(target, key, receiver) as unknown;
        },
      }) as typeof n.items;
    };
    for (const d of docs) wrap(d.doc.contents);
  }

  test(
    'a merge-key bomb in a Compose file: bounded work, the merged user still found',
    () => {
      const text = `${mergeBomb()}\nservices:\n  web:\n    <<: *x9\n    image: nginx\n`;
      const docs = parseYamlFile(text, new YamlDocCache());
      countReads(docs, 200_000);
      const model = buildComposeModel({ text, index: new TextIndex(text) }, docs, { nonRootImages: [], target: 'compose' });
      assert.deepEqual(
        model.containers.map((c) => [c.name, c.user.state, c.user.value]),
        [['web', 'root', 'root']],
      );
    },
  );

  test(
    'a merge-key bomb in a manifest: bounded work',
    () => {
      const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n${mergeBomb()}\nspec:\n  <<: *x9\n  containers:\n    - name: a\n      image: nginx:1\n`;
      const docs = parseYamlFile(text, new YamlDocCache());
      countReads(docs, 200_000);
      const model = buildKubernetesModel({ text, index: new TextIndex(text) }, docs);
      assert.deepEqual(
        model.containers.map((c) => [c.name, c.user.state]),
        [['a', 'unset']],
      );
    },
  );

  test('a 3 MB YAML file: file-too-large, nothing parsed', () => {
    const e = createEngine(rules);
    const text = `services:\n  web:\n    image: nginx\n${'#'.repeat(99)}\n`.padEnd(3 * 1024 * 1024, '# filler\n');
    assert.ok(text.length > MAX_FILE_SIZE);
    const r = e.analyze({ text, path: 'compose.yaml' }, mergeConfig());
    assert.deepEqual(rows(r), [['file-too-large', [0, 0], [0, 0], 'File not analysed: 3.0 MB is over the 2 MB limit']]);
    assert.equal(r.findings[0].severity, 'info');
    assert.equal(e.stats.yamlParses, 0);
  });

  test('tabs used as indentation: invalid-yaml, no crash', () => {
    assert.deepEqual(rows(analyze('services:\n  web:\n\timage: nginx\n', 'compose.yaml')), [['invalid-yaml', [2, 0], [2, 1], 'Not valid YAML: Tabs are not allowed as indentation']]);
  });

  test('a BOM at the start: positions do not count it, fix-all keeps it', () => {
    const text = '\uFEFFservices:\n  web:\n    build: .\n';
    const r = analyze(text, 'compose.yaml');
    assert.equal(r.bom, true);
    assert.deepEqual(rows(r), [['no-root-user', [1, 2], [1, 5], "Service 'web' sets no user, so it runs as root unless its image sets one"]]);
    // the user: fix is preferred only when the service's Dockerfile is read and its base runs as any uid
    const workspace = { read: (p: string) => (p === 'Dockerfile' ? 'FROM node:20\nCMD ["node"]\n' : undefined) };
    const fixed = engine.fixAll({ text, path: 'compose.yaml', workspace }, onlyNoRootUser());
    assert.equal(fixed.bom, true);
    assert.equal(fixed.text, 'services:\n  web:\n    build: .\n    user: "10001:10001"\n');
  });

  test('a BOM in a multi-document manifest', () => {
    const r = analyze(`\uFEFF${pod('a')}---\n${pod('b')}`, 'two.yaml');
    assert.deepEqual(
      rows(r).map(([, s, e]) => [s, e]),
      [
        [
          [6, 12],
          [6, 13],
        ],
        [
          [15, 12],
          [15, 13],
        ],
      ],
    );
  });
});
