// The labelled corpus (test/fixtures/secrets): every case must come out right (no false
// positive, no miss, weak credentials at warning), for each secret rule, so any regression
// fails here; `npm run eval:secrets` prints the numbers. Failures name cases only, never values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../server/src/rules';
import { loadCorpus, ourFindings, repoRoot, score, SECRET_RULES } from './corpus';

const cases = loadCorpus(repoRoot(__dirname));

test('the corpus has at least 300 cases, true and false on every platform, each with a source note', () => {
  assert.ok(cases.length >= 300, `${cases.length} cases`);
  for (const p of ['dockerfile', 'compose', 'kubernetes']) {
    const mine = cases.filter((c) => c.platform === p && c.rule === 'no-hardcoded-secrets');
    assert.ok(mine.some((c) => c.secrets.length) && mine.some((c) => !c.secrets.length), p);
    assert.ok(mine.some((c) => c.secrets.some((m) => m.weak)), `${p}: a weak credential`);
  }
  for (const c of cases) assert.ok(c.source.length > 10, `${c.platform}: ${c.name}`);
  const names = new Set<string>();
  for (const c of cases) {
    const key = `${c.platform}: ${c.name}`;
    assert.ok(!names.has(key), `duplicate case name ${key}`);
    names.add(key);
  }
});

const findings = ourFindings(engine);
for (const rule of SECRET_RULES) {
  test(`${rule}: every corpus case is right`, () => {
    const mine = cases.filter((c) => c.rule === rule);
    assert.ok(mine.some((c) => c.secrets.length) && mine.some((c) => !c.secrets.length), 'true and false cases');
    const s = score(mine, findings);
    assert.deepEqual(s.wrong, [], `precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}`);
  });
}
