/**
 * Detectors on inputs built to make a regex backtrack (issue "Hostile repositories", item 6).
 * No timers: each took seconds to minutes before its fix; the suite's total time shows a regression.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedupe, scanText, type SecretHit } from '../../../server/src/secrets/detect';

const spans = (hits: SecretHit[]) => hits.map((h) => [h.kind, h.start, h.end]);

test('a `key: value` line with 200,000 blanks inside the value (was quadratic)', () => {
  const value = `s3cr3t${' '.repeat(200_000)}Pa55word-9`;
  const text = `password: ${value}   # note\nother: 1\n`;
  assert.deepEqual(spans(scanText(text)), [['Hardcoded password', 10, 10 + value.length]]);
});

test('the value still ends before trailing blanks, a comment, or the CR of a CRLF line', () => {
  assert.deepEqual(spans(scanText('password: s3cr3t-Pa55word-9 \t# x\n')), [['Hardcoded password', 10, 27]]);
  assert.deepEqual(spans(scanText('password: s3cr3t-Pa55word-9\r\n')), [['Hardcoded password', 10, 27]]);
  assert.deepEqual(spans(scanText('password: x\n')), []);
});

test('dedupe of 50,000 hits keeps the earliest detector where two overlap (was quadratic)', () => {
  const hits: SecretHit[] = [];
  for (let i = 0; i < 50_000; i++) {
    hits.push({ start: i * 10, end: i * 10 + 8, kind: 'name', detector: 'name' });
    hits.push({ start: i * 10 + 4, end: i * 10 + 9, kind: 'header', detector: 'header' });
  }
  const out = dedupe(hits);
  assert.equal(out.length, 50_000);
  assert.deepEqual(out.slice(0, 2).map((h) => [h.kind, h.start]), [['header', 4], ['header', 14]]);
  assert.deepEqual(dedupe([
    { start: 5, end: 9, kind: 'b', detector: 'name' },
    { start: 0, end: 6, kind: 'a', detector: 'provider' },
    { start: 9, end: 12, kind: 'c', detector: 'cli' },
    { start: 3, end: 3, kind: 'empty', detector: 'url' },
  ]).map((h) => h.kind), ['a', 'c']);
});
