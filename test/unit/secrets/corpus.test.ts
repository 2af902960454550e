// The labelled corpus must stay above the goals of the secrets issue (precision >= 0.97,
// recall >= 0.95); `npm run eval:secrets` prints the numbers. Failures name cases only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../server/src/rules';
import { loadCorpus, ourFindings, repoRoot, score } from './corpus';

const cases = loadCorpus(repoRoot(__dirname));

test('the corpus has at least 150 cases on every platform mix, true and false', () => {
  assert.ok(cases.length >= 150, `${cases.length} cases`);
  for (const p of ['dockerfile', 'compose', 'kubernetes']) {
    const mine = cases.filter((c) => c.platform === p);
    assert.ok(mine.some((c) => c.secrets.length) && mine.some((c) => !c.secrets.length), p);
  }
});

test('precision >= 0.97 and recall >= 0.95 on the corpus', () => {
  const s = score(cases, ourFindings(engine));
  assert.ok(s.precision >= 0.97 && s.recall >= 0.95, `precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}; wrong: ${s.wrong.join('; ')}`);
});
