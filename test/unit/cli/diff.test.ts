/** cli/diff.ts: unified diffs that patch the old text into the new one, exact hunks. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { unifiedDiff } from '../../../server/src/cli/diff';

/** Applies a unified diff of one file to `before` (a small patch(1) for the test). */
function applyPatch(before: string, diff: string): string {
  const lines = diff.split('\n');
  lines.pop(); // the diff ends with a newline
  const src = before === '' ? [] : before.split('\n');
  const srcEol = before === '' || before.endsWith('\n');
  if (srcEol && src.length) src.pop();
  const out: string[] = [];
  let at = 0;
  let outEol = srcEol;
  let i = 2;
  while (i < lines.length) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(lines[i]);
    assert.ok(m, `hunk header: ${lines[i]}`);
    const aStart = Number(m[1]);
    const aCount = m[2] === undefined ? 1 : Number(m[2]);
    const from = aCount === 0 ? aStart : aStart - 1;
    while (at < from) out.push(src[at++]);
    i++;
    let last: string | null = null;
    while (i < lines.length && !lines[i].startsWith('@@')) {
      const l = lines[i];
      if (l === '\\ No newline at end of file') {
        if (last === '+' || last === ' ') outEol = false;
        i++;
        continue;
      }
      const kind = l[0];
      const text = l.slice(1);
      if (kind === ' ' || kind === '-') {
        assert.equal(src[at], text, `line ${at + 1} of the old text`);
        at++;
      }
      if (kind === ' ' || kind === '+') out.push(text);
      if (kind === '+' || kind === ' ') outEol = true;
      last = kind;
      i++;
    }
  }
  while (at < src.length) out.push(src[at++]);
  if (!out.length) return '';
  return out.join('\n') + (outEol ? '\n' : '');
}

describe('unifiedDiff', () => {
  test('exact hunks: context of 3, far changes in separate hunks, near ones merged', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i + 1}`).join('\n') + '\n';
    const b = a.replace('l2\n', 'L2\n').replace('l18\n', 'L18\n');
    assert.equal(
      unifiedDiff(a, b, 'f'),
      '--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n l1\n-l2\n+L2\n l3\n l4\n l5\n@@ -15,6 +15,6 @@\n l15\n l16\n l17\n-l18\n+L18\n l19\n l20\n',
    );
    const c = a.replace('l5\n', 'L5\n').replace('l10\n', 'L10\n');
    assert.equal(unifiedDiff(a, c, 'f').split('\n').filter((l) => l.startsWith('@@')).join('|'), '@@ -2,12 +2,12 @@');
  });

  test('equal texts: nothing; a new file: /dev/null; an absolute path is kept as is', () => {
    assert.equal(unifiedDiff('x\n', 'x\n', 'f'), '');
    assert.equal(unifiedDiff(null, 'a\nb\n', '.env'), '--- /dev/null\n+++ b/.env\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    assert.equal(unifiedDiff('a\n', 'b\n', '/abs/f'), '--- /abs/f\n+++ /abs/f\n@@ -1 +1 @@\n-a\n+b\n');
  });

  test('the mask applies to every printed line', () => {
    assert.equal(unifiedDiff('k=1\n', 'k=2\n', 'f', (l) => l.replace(/=.*/, '=***')), '--- a/f\n+++ b/f\n@@ -1 +1 @@\n-k=***\n+k=***\n');
  });

  test('property: applying the diff to the old text gives the new text', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '', 'a\r'), { maxLength: 30 }).chain((ls) => fc.tuple(fc.constant(ls), fc.boolean())).map(([ls, eol]) => (ls.length ? ls.join('\n') + (eol ? '\n' : '') : ''));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const d = unifiedDiff(a, b, 'f');
        if (a === b) return d === '';
        return applyPatch(a, d) === b;
      }),
      { numRuns: 2000, seed: 17 },
    );
  });
});
