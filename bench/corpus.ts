/**
 * The labelled corpus of the non-secret rules (test/fixtures/rules/<rule>/{positive,negative}-*):
 * a positive case must get at least one finding of its rule, a negative case none. Each file
 * starts with `# source: …` (where it was drawn from) and may carry `# config: {json}` (a
 * .bulkhead.yaml layer, e.g. the strict preset or trustedRegistries). The file's last suffix
 * names its kind: `.Dockerfile`, `.compose.yaml`, `.stack.yml` (a stack file), `.k8s.yaml`.
 * Used by `npm run eval` (precision and recall per rule) and by a unit test (no silent rot).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeConfig, type ConfigLayer } from '../server/src/core/config';
import type { Engine } from '../server/src/core/engine';

export interface CorpusCase {
  rule: string;
  label: 'positive' | 'negative';
  /** Path relative to the corpus folder, e.g. `no-sudo/positive-sudo-apt.Dockerfile`. */
  file: string;
  source: string;
  config: ConfigLayer;
  text: string;
  /** The path the engine sees (decides the kind: Dockerfile, compose.yaml, docker-stack.yml, a manifest). */
  analysedAs: string;
}

export interface RuleScore {
  rule: string;
  positives: number;
  negatives: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number | null;
  recall: number | null;
  /** Cases whose label our findings contradict. */
  wrong: string[];
}

export const CORPUS_DIR = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'rules');

const KINDS: [RegExp, (dir: string, name: string) => string][] = [
  [/\.Dockerfile$/, (d) => `${d}/Dockerfile`],
  [/\.compose\.yaml$/, (d) => `${d}/compose.yaml`],
  [/\.stack\.yml$/, (d) => `${d}/docker-stack.yml`],
  [/\.k8s\.yaml$/, (d, n) => `${d}/${n}`],
];

export function loadCorpus(dir: string = CORPUS_DIR): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const rule of fs.readdirSync(dir).sort()) {
    const ruleDir = path.join(dir, rule);
    if (!fs.statSync(ruleDir).isDirectory()) continue;
    for (const name of fs.readdirSync(ruleDir).sort()) {
      const m = /^(positive|negative)-/.exec(name);
      const kind = KINDS.find(([re]) => re.test(name));
      if (!m || !kind) throw new Error(`corpus: ${rule}/${name} is not <positive|negative>-<slug>.<Dockerfile|compose.yaml|stack.yml|k8s.yaml>`);
      const text = fs.readFileSync(path.join(ruleDir, name), 'utf8');
      const source = /^# source: (.+)$/m.exec(text)?.[1];
      if (!source) throw new Error(`corpus: ${rule}/${name} has no '# source:' line`);
      const cfg = /^# config: (.+)$/m.exec(text)?.[1];
      out.push({
        rule,
        label: m[1] as 'positive' | 'negative',
        file: `${rule}/${name}`,
        source,
        config: cfg ? (JSON.parse(cfg) as ConfigLayer) : {},
        text,
        analysedAs: kind[1](path.join(ruleDir), name),
      });
    }
  }
  return out;
}

/** Whether the engine reports the case's rule on it. */
export function reported(engine: Engine, c: CorpusCase): boolean {
  const result = engine.analyze({ text: c.text, path: c.analysedAs }, mergeConfig(c.config));
  return result.findings.some((f) => f.rule === c.rule);
}

export function scoreCorpus(engine: Engine, cases: CorpusCase[]): RuleScore[] {
  const by = new Map<string, RuleScore>();
  for (const c of cases) {
    let s = by.get(c.rule);
    if (!s) by.set(c.rule, (s = { rule: c.rule, positives: 0, negatives: 0, tp: 0, fp: 0, fn: 0, tn: 0, precision: null, recall: null, wrong: [] }));
    const hit = reported(engine, c);
    if (c.label === 'positive') {
      s.positives++;
      if (hit) s.tp++;
      else s.fn++;
    } else {
      s.negatives++;
      if (hit) s.fp++;
      else s.tn++;
    }
    if (hit !== (c.label === 'positive')) s.wrong.push(c.file);
  }
  for (const s of by.values()) {
    s.precision = s.tp + s.fp ? s.tp / (s.tp + s.fp) : null;
    s.recall = s.tp + s.fn ? s.tp / (s.tp + s.fn) : null;
  }
  return [...by.values()];
}
