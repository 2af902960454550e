import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BOM, stripBom, TextIndex } from '../../../server/src/core/text';

const pos = (line: number, character: number) => ({ line, character });

describe('TextIndex', () => {
  test('LF: lines, positions and offsets', () => {
    const ix = new TextIndex('FROM a\nUSER b\n');
    assert.equal(ix.lineCount, 3);
    assert.deepEqual(ix.positionAt(0), pos(0, 0));
    assert.deepEqual(ix.positionAt(6), pos(0, 6));
    assert.deepEqual(ix.positionAt(7), pos(1, 0));
    assert.deepEqual(ix.positionAt(12), pos(1, 5));
    assert.deepEqual(ix.positionAt(14), pos(2, 0));
    assert.equal(ix.offsetAt(pos(1, 5)), 12);
    assert.equal(ix.lineStart(1), 7);
    assert.equal(ix.lineEnd(1), 13);
    assert.equal(ix.lineText(0), 'FROM a');
    assert.equal(ix.lineText(2), '');
  });

  test('CRLF is one line break', () => {
    const ix = new TextIndex('FROM a\r\nUSER b\r\n');
    assert.equal(ix.lineCount, 3);
    assert.deepEqual(ix.positionAt(8), pos(1, 0));
    assert.deepEqual(ix.positionAt(13), pos(1, 5));
    assert.equal(ix.lineEnd(0), 6);
    assert.equal(ix.lineText(0), 'FROM a');
    assert.equal(ix.lineText(1), 'USER b');
    assert.equal(ix.offsetAt(pos(1, 0)), 8);
  });

  test('a lone CR is a line break', () => {
    const ix = new TextIndex('a\rb\rc');
    assert.equal(ix.lineCount, 3);
    assert.deepEqual(ix.positionAt(2), pos(1, 0));
    assert.deepEqual(ix.positionAt(4), pos(2, 0));
    assert.equal(ix.lineText(1), 'b');
    assert.equal(ix.lineEnd(0), 1);
  });

  test('mixed line breaks', () => {
    const ix = new TextIndex('a\nb\r\nc\rd');
    assert.equal(ix.lineCount, 4);
    assert.deepEqual(['a', 'b', 'c', 'd'], [0, 1, 2, 3].map((l) => ix.lineText(l)));
    assert.deepEqual(ix.positionAt(7), pos(3, 0));
  });

  test('UTF-16: a surrogate pair counts as two characters', () => {
    const text = 'LABEL x="😀é"\nUSER root\n';
    const ix = new TextIndex(text);
    const close = text.indexOf('"', 9);
    assert.equal(close, 12);
    assert.deepEqual(ix.positionAt(close), pos(0, 12));
    assert.deepEqual(ix.positionAt(text.indexOf('root')), pos(1, 5));
    assert.equal(ix.offsetAt(pos(0, 11)), 11);
    assert.deepEqual(ix.rangeOf({ start: 9, end: 11 }), { start: pos(0, 9), end: pos(0, 11) });
  });

  test('out-of-range offsets and positions are clamped', () => {
    const ix = new TextIndex('ab\ncd');
    assert.deepEqual(ix.positionAt(-5), pos(0, 0));
    assert.deepEqual(ix.positionAt(99), pos(1, 2));
    assert.equal(ix.offsetAt(pos(-1, 3)), 0);
    assert.equal(ix.offsetAt(pos(7, 0)), 5);
    assert.equal(ix.offsetAt(pos(0, 99)), 2, 'a character past the line end stops before its line break');
    assert.equal(ix.offsetAt(pos(1, 99)), 5);
    assert.equal(ix.lineStart(-3), 0);
    assert.equal(ix.lineStart(42), 3);
  });

  test('CRLF: a character past the line end stops before \\r\\n', () => {
    const ix = new TextIndex('ab\r\ncd');
    assert.equal(ix.offsetAt(pos(0, 10)), 2);
  });

  test('rangeOf and spanOf are inverse', () => {
    const text = 'FROM node:20\r\nUSER root\r\n';
    const ix = new TextIndex(text);
    const span = { start: text.indexOf('root'), end: text.indexOf('root') + 4 };
    const range = ix.rangeOf(span);
    assert.deepEqual(range, { start: pos(1, 5), end: pos(1, 9) });
    assert.deepEqual(ix.spanOf(range), span);
  });

  test('empty text', () => {
    const ix = new TextIndex('');
    assert.equal(ix.lineCount, 1);
    assert.deepEqual(ix.positionAt(0), pos(0, 0));
    assert.equal(ix.offsetAt(pos(0, 5)), 0);
    assert.equal(ix.lineText(0), '');
  });

  test('eol: LF, CRLF, none', () => {
    assert.equal(new TextIndex('a\nb\n').eol, '\n');
    assert.equal(new TextIndex('a\r\nb\r\n').eol, '\r\n');
    assert.equal(new TextIndex('a').eol, '\n');
    assert.equal(new TextIndex('').eol, '\n');
  });

  test('eol: mostly CRLF with one stray LF first', () => {
    assert.equal(new TextIndex('a\nb\r\nc\r\nd\r\n').eol, '\r\n');
  });
});

describe('stripBom', () => {
  test('removes a leading BOM and says so', () => {
    assert.deepEqual(stripBom(`${BOM}FROM a\n`), { text: 'FROM a\n', bom: true });
  });

  test('leaves text without a BOM alone', () => {
    assert.deepEqual(stripBom('FROM a\n'), { text: 'FROM a\n', bom: false });
  });

  test('only a leading BOM counts', () => {
    assert.deepEqual(stripBom(`a${BOM}`), { text: `a${BOM}`, bom: false });
  });

  test('positions after stripping do not count the BOM', () => {
    const { text } = stripBom(`${BOM}FROM a\nUSER root\n`);
    assert.deepEqual(new TextIndex(text).positionAt(text.indexOf('root')), pos(1, 5));
    assert.deepEqual(new TextIndex(text).positionAt(text.indexOf('a')), pos(0, 5));
  });
});
