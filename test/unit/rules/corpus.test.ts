/**
 * The labelled corpus of the non-secret rules (test/fixtures/rules, bench/corpus.ts): every
 * case's label must match our findings, so the corpus cannot silently rot. A deliberate
 * disagreement is listed below with its reason, and must stay a disagreement (when the engine
 * changes to agree, remove it from the list).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus, reported, scoreCorpus } from '../../../bench/corpus';
import { engine } from '../../../server/src/rules';

/** file -> why our answer differs from the label on purpose. None today. */
const DISAGREEMENTS: Record<string, string> = {};

const SECRET_RULES = new Set(['no-hardcoded-secrets', 'no-secrets-in-build-args', 'no-secret-files-in-image']);
const cases = loadCorpus();

describe('labelled corpus (non-secret rules)', () => {
  test('at least 100 cases; every non-secret rule has positives and negatives, every case a source', () => {
    assert.ok(cases.length >= 100, `${cases.length} cases`);
    const ids = engine.rules.map((r) => r.meta.id).filter((id) => !SECRET_RULES.has(id)).sort();
    const withPos = new Set(cases.filter((c) => c.label === 'positive').map((c) => c.rule));
    const withNeg = new Set(cases.filter((c) => c.label === 'negative').map((c) => c.rule));
    assert.deepEqual(ids.filter((id) => !withPos.has(id) || !withNeg.has(id)), []);
    assert.deepEqual([...new Set(cases.map((c) => c.rule))].filter((r) => !ids.includes(r)), [], 'a folder names no non-secret rule');
    assert.deepEqual(cases.filter((c) => c.source.trim().length < 8).map((c) => c.file), []);
    for (const file of Object.keys(DISAGREEMENTS)) assert.ok(cases.some((c) => c.file === file), `listed disagreement ${file} is not in the corpus`);
  });

  for (const c of cases) {
    test(`${c.file} (${c.label})`, () => {
      const expected = (c.label === 'positive') !== (c.file in DISAGREEMENTS);
      assert.equal(reported(engine, c), expected, DISAGREEMENTS[c.file] ?? `${c.rule} ${c.label === 'positive' ? 'must report' : 'must not report'} this case (${c.source})`);
    });
  }

  test('scores: precision and recall per rule are computed from the same answers', () => {
    const scores = scoreCorpus(engine, cases);
    const wrong = scores.flatMap((s) => s.wrong).sort();
    assert.deepEqual(wrong, Object.keys(DISAGREEMENTS).sort());
    for (const s of scores) {
      assert.equal(s.tp + s.fn, s.positives);
      assert.equal(s.fp + s.tn, s.negatives);
    }
  });
});
