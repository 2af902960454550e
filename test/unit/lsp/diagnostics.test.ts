// Diagnostics per YAML document (issue 16, lsp/diagnostics.ts): at every step of an edit
// sequence the kept-and-moved diagnostics equal a fresh conversion of a whole analysis, and an
// edit converts only the findings of the document it touches.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeConfig, type Config } from '../../../server/src/core/config';
import { createEngine, type AnalysisResult } from '../../../server/src/core/engine';
import { ClientPositions, toDiagnostic } from '../../../server/src/lsp/convert';
import { DiagnosticCache } from '../../../server/src/lsp/diagnostics';
import { TextIndex } from '../../../server/src/core/text';
import { rules } from '../../../server/src/rules';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'bench', 'fixtures');
const LARGE = fs.readFileSync(path.join(FIXTURES, 'large-manifest.yaml'), 'utf8');
const SMALL = fs.readFileSync(path.join(FIXTURES, 'manifest.yaml'), 'utf8');
const PATH = '/w/deploy.yaml';
const URI_ = 'file:///w/deploy.yaml';
const docs = (rule: string) => `file:///docs/rules/${rule}.md`;

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: extra\nspec:\n  containers:\n    - name: c\n      image: busybox\n      securityContext:\n        privileged: true\n';
const SA = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: payments-api\nautomountServiceAccountToken: true\n';

/** Offsets of the k-th match of a pattern (the start of its first group, else of the match). */
function at(text: string, re: RegExp, k = 0): number {
  const all = [...text.matchAll(new RegExp(re, 'g'))];
  assert.ok(all.length, String(re));
  const m = all[Math.min(k, all.length - 1)];
  return m.index + (m[1] !== undefined ? m[0].indexOf(m[1]) : 0);
}

const insert = (text: string, o: number, s: string) => text.slice(0, o) + s + text.slice(o);
const remove = (text: string, o: number, n: number) => text.slice(0, o) + text.slice(o + n);
const middle = (text: string) => text.indexOf('\n---', Math.floor(text.length / 2)) + 1;

/** Edits as functions of the current text (LF; CRLF variants convert), each named. */
const EDITS: [string, (t: string) => string][] = [
  ['type into a value', (t) => insert(t, at(t, /version: "(\d)/, 20), '1')],
  ['remove it again', (t) => remove(t, at(t, /version: "(\d)/, 20), 1)],
  ['type into the first document', (t) => insert(t, at(t, /replicas: (\d)/), '0')],
  ['add lines in the first document', (t) => insert(t, at(t, /\n {10}env:\n/) + 1, '          # a note\n          # another\n')],
  ['remove one of them', (t) => remove(t, at(t, /\n( {10}# another\n)/), '          # another\n'.length)],
  ['a document added in the middle', (t) => insert(t, middle(t), `---\n${POD}`)],
  ['a line added to it', (t) => insert(t, at(t, /\n( {6}image: busybox\n)/), '      imagePullPolicy: Always\n')],
  ['a suppression above a finding in a later document', (t) => insert(t, at(t, /\n( {8}privileged: true\n)/), '        # bulkhead-ignore no-privileged\n')],
  ['the suppression removed', (t) => remove(t, at(t, /\n( {8}# bulkhead-ignore no-privileged\n)/), '        # bulkhead-ignore no-privileged\n'.length)],
  ['a file-level suppression at the top', (t) => insert(t, at(t, /\n(apiVersion)/), '# bulkhead-ignore-file drop-capabilities\n')],
  ['a ServiceAccount document added (a fact other documents read)', (t) => insert(t, middle(t), `---\n${SA}`)],
  ['the ServiceAccount changed', (t) => t.replace('automountServiceAccountToken: true\n', 'automountServiceAccountToken: false\n')],
  ['the added Pod removed', (t) => {
    const s = t.indexOf('---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: extra\n');
    const e = t.indexOf('\n---', s + 4);
    return t.slice(0, s) + (e < 0 ? '' : t.slice(e + 1));
  }],
  ['the file-level suppression removed', (t) => t.replace('# bulkhead-ignore-file drop-capabilities\n', '')],
  ['two documents merged (a marker removed)', (t) => remove(t, at(t, /\n(---\n)/, 5), 4)],
  ['type into the last document', (t) => insert(t, at(t, /version: "(\d)/, [...t.matchAll(/version: "\d/g)].length - 1), '7')],
  ['a document made invalid', (t) => insert(t, at(t, /\n( {2}replicas:)/, 3), '  : [\n')],
  ['and valid again', (t) => t.replace('  : [\n', '')],
];

function fresh(result: AnalysisResult, clientText: string) {
  const pos = new ClientPositions(result, clientText);
  return result.findings.map((f) => toDiagnostic(f, pos, docs));
}

function run(name: string, start: string, eol: '\n' | '\r\n', bom: boolean, config: Config = mergeConfig()) {
  test(`${name}: equal to a fresh conversion after every edit`, () => {
    const engine = createEngine(rules);
    const whole = createEngine(rules);
    const cache = new DiagnosticCache();
    let lf = start;
    const steps: string[] = [];
    for (const [what, edit] of [['open', (t: string) => t] as [string, (t: string) => string], ...EDITS]) {
      const before = lf;
      lf = edit(lf);
      if (what !== 'open') assert.notEqual(lf, before, `${what}: the edit changed nothing`);
      const text = (bom ? '\uFEFF' : '') + (eol === '\n' ? lf : lf.replace(/\n/g, '\r\n'));
      const r = engine.analyze({ text, path: PATH, cacheKey: URI_ }, config);
      // the line index joined from the documents' own is the text's
      const plain = new TextIndex(r.text);
      assert.equal(r.index.lineCount, plain.lineCount, what);
      for (let l = 0; l < plain.lineCount; l++) if (r.index.lineStart(l) !== plain.lineStart(l)) assert.fail(`${what}: line ${l}`);
      const got = cache.of(URI_, r, text, docs);
      assert.equal(JSON.stringify(got), JSON.stringify(fresh(r, text)), what);
      // and the same as a whole analysis without any reuse
      assert.equal(JSON.stringify(got), JSON.stringify(fresh(whole.analyze({ text, path: PATH }, config), text)), `${what} (whole analysis)`);
      steps.push(`${what}: ${got.length}`);
    }
    assert.equal(steps.length, EDITS.length + 1);
  });
}

describe('DiagnosticCache', () => {
  run('large manifest, LF', LARGE, '\n', false);
  run('large manifest, CRLF', LARGE, '\r\n', false);
  run('large manifest with a BOM', LARGE, '\n', true);
  run('large manifest, strict preset', LARGE, '\n', false, mergeConfig({ preset: 'strict' }));
  run('small manifest, LF', `${SMALL}---\n${POD}---\n${SA}`, '\n', false);

  test('an edit converts only the findings of the document it touches; the others are reused or moved', () => {
    const engine = createEngine(rules);
    const cache = new DiagnosticCache();
    const config = mergeConfig();
    const analyse = (text: string) => {
      const r = engine.analyze({ text, path: PATH, cacheKey: URI_ }, config);
      const before = { ...cache.stats };
      const got = cache.of(URI_, r, text, docs);
      assert.equal(JSON.stringify(got), JSON.stringify(fresh(r, text)));
      return { r, converted: cache.stats.converted - before.converted, reused: cache.stats.reused - before.reused, shifted: cache.stats.shifted - before.shifted };
    };
    const first = analyse(LARGE);
    assert.equal(first.r.findings.length, 145);
    assert.deepEqual([first.converted, first.reused, first.shifted], [145, 0, 0]);
    // the document an edit is in, and how many findings start in it
    const inDoc = (r: AnalysisResult, offset: number) => {
      const parts = r.parts!;
      const j = parts.filter((p) => p.start <= offset).length - 1;
      const end = parts[j + 1]?.start ?? r.text.length;
      return r.findings.filter((f) => f.start >= parts[j].start && f.start < end).length;
    };
    const rows: [string, number, number, number, number][] = [];
    let text = LARGE;
    for (const [what, offset, change] of [
      ['a character typed in document 20', at(LARGE, /version: "(\d)/, 20), '1'],
      ['a line added in document 2', at(LARGE, /\n {10}env:\n/, 1) + 1, '          # note\n'],
      ['a character typed in document 1', at(LARGE, /replicas: (\d)/), '0'],
    ] as const) {
      text = insert(text, offset, change);
      const s = analyse(text);
      rows.push([what, s.converted, inDoc(s.r, offset), s.reused + s.shifted + s.converted, s.r.findings.length]);
    }
    for (const [what, converted, expected, all, findings] of rows) {
      assert.equal(converted, expected, what);
      assert.equal(all, findings, what);
    }
    assert.ok(rows.every((r) => r[1] < 20), JSON.stringify(rows));
    // an unchanged text: nothing converted, nothing moved
    const again = analyse(text);
    assert.deepEqual([again.converted, again.shifted, again.reused], [0, 0, 145]);
    assert.deepEqual(cache.size(), { documents: 1, parts: 40, diagnostics: 145 });
    cache.forget(URI_);
    assert.deepEqual(cache.size(), { documents: 0, parts: 0, diagnostics: 0 });
  });

  test('a finding whose message or severity changed in an unchanged document is converted again', () => {
    const text = 'a: 1\n---\nb: 2\n';
    const result = (message: string, severity: 'error' | 'info'): AnalysisResult => ({
      kind: 'kubernetes',
      text,
      bom: false,
      index: new TextIndex(text),
      findings: [{ rule: 'r', severity, message, start: 10, end: 11, fixes: [] }],
      parts: [{ start: 0, key: 'd1' }, { start: 5, key: 'd2' }],
    });
    const cache = new DiagnosticCache();
    const rows = [result('one', 'info'), result('one', 'info'), result('two', 'info'), result('two', 'error')].map((r) => {
      const d = cache.of('u', r, text, docs)[0];
      return `${cache.stats.converted} ${d.message} ${d.severity} ${d.range.start.line}:${d.range.start.character}`;
    });
    assert.deepEqual(rows, ['1 one 3 2:1', '1 one 3 2:1', '2 two 3 2:1', '3 two 1 2:1']);
  });

  test('a finding that ends in the next document, or a document that does not start a line, is converted every time', () => {
    const cache = new DiagnosticCache();
    const result = (text: string, parts: [number, string][], start: number, end: number): AnalysisResult => ({
      kind: 'kubernetes',
      text,
      bom: false,
      index: new TextIndex(text),
      findings: [{ rule: 'r', severity: 'info', message: 'm', start, end, fixes: [] }],
      parts: parts.map(([s, key]) => ({ start: s, key })),
    });
    const range = (r: AnalysisResult) => {
      const d = cache.of('u', r, r.text, docs)[0];
      return `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
    };
    // the finding runs from the first document into the second, which gains a line (same length)
    assert.equal(range(result('a: 1\n---\nb: 2\n', [[0, 'd1'], [5, 'd2']], 3, 12)), '0:3-2:3');
    assert.equal(range(result('a: 1\n---\n\n: 2\n', [[0, 'd1'], [5, 'd3']], 3, 12)), '0:3-3:2');
    // the second document starts after a line separator (a line break for YAML, not for editors)
    assert.equal(range(result('a: 1\u2028---\nb: 2\n', [[0, 'd4'], [5, 'd5']], 5, 6)), '0:5-0:6');
    assert.equal(range(result('a: 12\u2028---\nb: 2\n', [[0, 'd6'], [6, 'd5']], 6, 7)), '0:6-0:7');
    assert.equal(cache.stats.converted, 4);
  });

  test('a Dockerfile and a single-document file are converted finding by finding, nothing kept', () => {
    const engine = createEngine(rules);
    const cache = new DiagnosticCache();
    const config = mergeConfig();
    for (const [p, text] of [['/w/Dockerfile', 'FROM node\nUSER root\n'], ['/w/pod.yaml', POD]]) {
      const r = engine.analyze({ text, path: p, cacheKey: `file://${p}` }, config);
      assert.ok(r.findings.length > 0);
      assert.equal(JSON.stringify(cache.of(`file://${p}`, r, text, docs)), JSON.stringify(fresh(r, text)));
    }
    assert.deepEqual(cache.size(), { documents: 0, parts: 0, diagnostics: 0 });
  });
});
