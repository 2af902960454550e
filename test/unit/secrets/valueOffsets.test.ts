// valueOffsets (core/model/strings.ts): each character of a YAML value found where it is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueOffsets } from '../../../server/src/core/model/strings';

/** The written characters each value character maps to, as a string. */
function mapped(value: string, raw: string, quote: 'plain' | 'single' | 'double' | 'block'): string {
  const { starts, ends } = valueOffsets({ value, raw, start: 100, quote });
  return starts.map((s, i) => raw.slice(s - 100, ends[i] - 100)).join('|');
}

const cases: [string, string, string, 'plain' | 'single' | 'double' | 'block', string][] = [
  ['folded block: a break read as a space, indentation skipped (the kept final break: the last character)', 'a b\n', '  a\n  b', 'block', 'a|\n|b|b'],
  ['literal block: breaks kept, indentation skipped', 'x\ny\n', '    x\n    y', 'block', 'x|\n|y|y'],
  ['double quotes: an escape maps to the escape', 'a\nb"c', 'a\\nb\\"c', 'double', 'a|\\n|b|\\"|c'],
  ["single quotes: '' maps to both quotes", "it's", "it''s", 'single', "i|t|''|s"],
  ['plain multi-line scalar: folded', 'ab cd', 'ab\n      cd', 'plain', 'a|b|\n|c|d'],
];
for (const [name, value, raw, quote, want] of cases) test(name, () => assert.equal(mapped(value, raw, quote), want));

test('a value character missing from the text maps to the last written character', () => {
  const { starts, ends } = valueOffsets({ value: 'ab\n', raw: 'ab', start: 10, quote: 'block' });
  assert.deepEqual([starts, ends], [[10, 11, 11], [11, 12, 12]]);
});
