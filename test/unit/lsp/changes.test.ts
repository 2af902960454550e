// LineMatch (lsp/changes.ts): whether an open manifest holds a ServiceAccount or LimitRange,
// kept per keystroke from the changed lines, equals a scan of the whole text after every change.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LineMatch } from '../../../server/src/lsp/changes';

const RELATED = /\bkind["']?[ \t]*:[ \t]*["']?(?:ServiceAccount|LimitRange)\b/;
const BASE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n';

type Step = [string, (d: TextDocument) => TextDocumentContentChangeEvent];
const at = (d: TextDocument, s: string, k = 0) => {
  let o = -1;
  for (let i = 0; i <= k; i++) o = d.getText().indexOf(s, o + 1);
  assert.ok(o >= 0, s);
  return d.positionAt(o);
};
const insert = (p: { line: number; character: number }, text: string): TextDocumentContentChangeEvent => ({ range: { start: p, end: p }, text });

const STEPS: Step[] = [
  ['type elsewhere', (d) => insert(at(d, 'name: a'), 'x')],
  ['ConfigMap becomes ServiceAccount', (d) => ({ range: { start: at(d, 'ConfigMap'), end: { ...at(d, 'ConfigMap'), character: at(d, 'ConfigMap').character + 9 } }, text: 'ServiceAccount' })],
  ['and back (a match can go away)', (d) => ({ range: { start: at(d, 'ServiceAccount'), end: { ...at(d, 'ServiceAccount'), character: at(d, 'ServiceAccount').character + 14 } }, text: 'ConfigMap' })],
  ['a line added with the kind', (d) => insert(at(d, 'metadata:', 1), 'kind: LimitRange\n')],
  ['its line removed', (d) => ({ range: { start: at(d, 'kind: LimitRange'), end: { line: at(d, 'kind: LimitRange').line + 1, character: 0 } }, text: '' })],
  ['two lines joined into a match', (d) => insert(at(d, 'metadata:', 1), 'kind:\nServiceAccount\n')],
  ['the break between them removed', (d) => ({ range: { start: { ...at(d, 'kind:\nService'), character: 5 }, end: { line: at(d, 'kind:\nService').line + 1, character: 0 } }, text: ' ' })],
  ['the match broken', (d) => insert({ ...at(d, 'kind: ServiceAccount'), character: 6 }, 'x')],
  ['a position past the end of its line', (d) => insert({ line: at(d, 'name: p').line, character: 500 }, '\nkind: ServiceAccount')],
  ['a change of the whole text', () => ({ text: BASE })],
  ['two changes at once', (d) => insert(at(d, 'name: p'), 'y')],
];

describe('LineMatch', () => {
  test('equals a whole-text match after every change, scanning changed lines where it can', () => {
    const m = new LineMatch(RELATED);
    let doc = m.documents.create('file:///a.yaml', 'yaml', 1, BASE);
    const seen: string[] = [];
    assert.equal(m.test(doc), false);
    for (const [what, step] of STEPS) {
      const change = step(doc);
      const changes = what === 'two changes at once' ? [change, insert({ line: 0, character: 0 }, '# c\n')] : [change];
      doc = m.documents.update(doc, changes, doc.version + 1);
      const got = m.test(doc);
      assert.equal(got, RELATED.test(doc.getText()), what);
      seen.push(`${what}: ${got}`);
    }
    assert.deepEqual(seen, [
      'type elsewhere: false',
      'ConfigMap becomes ServiceAccount: true',
      'and back (a match can go away): false',
      'a line added with the kind: true',
      'its line removed: false',
      'two lines joined into a match: false',
      'the break between them removed: true',
      'the match broken: false',
      'a position past the end of its line: true',
      'a change of the whole text: false',
      'two changes at once: false',
    ]);
    // after a match the whole text is scanned (a change anywhere may remove it); otherwise lines only
    assert.deepEqual(m.stats, { whole: 6, lines: 6 });
    m.forget('file:///a.yaml');
  });
});
