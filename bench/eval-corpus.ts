/** The labelled corpus section of `npm run eval` (docs/accuracy.md): precision and recall per non-secret rule. */
import type { Engine } from '../server/src/core/engine';
import { loadCorpus, scoreCorpus } from './corpus';

export function corpusSection(engine: Engine): string[] {
  const cases = loadCorpus();
  const scores = scoreCorpus(engine, cases);
  const ratio = (a: number, b: number) => (b === 0 ? '—' : `${a}/${b} (${((100 * a) / b).toFixed(0)}%)`);
  const sum = (f: (s: (typeof scores)[number]) => number) => scores.reduce((n, s) => n + f(s), 0);
  const [tp, fp, fn] = [sum((s) => s.tp), sum((s) => s.fp), sum((s) => s.fn)];
  return [
    '## Labelled corpus (non-secret rules)',
    '',
    `${cases.length} cases in \`test/fixtures/rules/<rule>/\` (each with its source: public files rewritten with fake values, and the`,
    "patterns the rule pages describe). A positive case must get a finding of its rule, a negative case none; a unit test",
    'keeps every label in agreement with the engine (deliberate disagreements listed there).',
    '',
    '| rule | cases (+/−) | precision | recall | disagreeing cases |',
    '|---|---|---|---|---|',
    ...scores.map((s) => `| ${s.rule} | ${s.positives}/${s.negatives} | ${ratio(s.tp, s.tp + s.fp)} | ${ratio(s.tp, s.tp + s.fn)} | ${s.wrong.join(', ')} |`),
    `| **all** | ${sum((s) => s.positives)}/${sum((s) => s.negatives)} | ${ratio(tp, tp + fp)} | ${ratio(tp, tp + fn)} | |`,
    '',
  ];
}
