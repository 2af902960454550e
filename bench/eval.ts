/**
 * `npm run eval`: accuracy against KICS's labelled files, for every rule mapped in
 * ../shared/benchmarks/kics-rule-map.json, plus the secrets fixture's precision and recall
 * (when that evaluation is built). Writes docs/accuracy.md (generated; do not edit) and
 * bench/results/eval.json. Measures; never fails the build.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeConfig } from '../server/src/core/config';
import { createEngine } from '../server/src/core/engine';
import { rules } from '../server/src/rules';
import { corpusSection } from './eval-corpus';

const root = path.resolve(__dirname, '..', '..');
const shared = path.resolve(root, '..', 'shared', 'benchmarks');

interface Entry {
  platform: string;
  query: string;
  file: string;
  label: 'positive' | 'negative';
  expectedLines?: number[];
}

/** Queries whose concept is a strict-preset part of the mapped rule. */
const STRICT_QUERIES = new Set(['k8s/seccomp_profile_is_not_configured', 'k8s/image_without_digest']);

/** Deliberate disagreements with KICS, by query: why our answer differs on purpose. */
const EXPLAINED: Record<string, string> = {
  'dockerfile/missing_user_instruction': 'only the final stage ships (docs/rules/no-root-user.md): a USER in an earlier, unrelated stage does not make a final FROM scratch stage non-root; KICS accepts a USER in any stage',
  'dockerfile/image_version_not_explicit': 'stage names, scratch and ARG defaults are resolved here; KICS reads FROM text literally',
  'k8s/image_without_digest': 'the positive file names its image as `$PRIVATE_IMAGE_NAME`, which Kubernetes never expands: the image is unknown offline, so no finding',
  'k8s/containers_running_as_root': 'runAsNonRoot: true without runAsUser is accepted here (the kubelet enforces it)',
  'dockerCompose/no_new_privileges_not_set': 'an explicit `no-new-privileges:false` is reported at that entry (the offending token), not at the `security_opt` key KICS points at',
  'k8s/no_drop_capabilities_for_containers': 'Kubernetes compares capability names exactly (so does the PSS restricted check): `drop: [all]` drops nothing, reported at info; KICS accepts any case',
};

interface QueryScore {
  rule: string;
  query: string;
  built: boolean;
  positives: number;
  foundFile: number;
  foundLine: number;
  negatives: number;
  clean: number;
  misses: string[];
  falsePositives: string[];
}

function main(): void {
  if (!fs.existsSync(path.join(shared, 'kics-rule-map.json'))) {
    console.error(`eval: ${shared} not found (the design docs' benchmarks folder must sit beside the project)`);
    process.exit(0);
  }
  const map = JSON.parse(fs.readFileSync(path.join(shared, 'kics-rule-map.json'), 'utf8')) as Record<string, unknown>;
  const manifest = JSON.parse(fs.readFileSync(path.join(shared, 'kics', 'manifest.json'), 'utf8')) as { entries: Entry[] };
  const engine = createEngine(rules);
  const built = new Set(rules.map((r) => r.meta.id));
  const scores: QueryScore[] = [];
  for (const [rule, queries] of Object.entries(map)) {
    if (rule.startsWith('_') || !Array.isArray(queries)) continue;
    for (const q of queries as string[]) {
      const [platform, query] = q.split('/');
      const entries = manifest.entries.filter((e) => e.platform === platform && e.query === query);
      const s: QueryScore = { rule, query: q, built: built.has(rule), positives: 0, foundFile: 0, foundLine: 0, negatives: 0, clean: 0, misses: [], falsePositives: [] };
      const meta = rules.find((r) => r.meta.id === rule)?.meta;
      const config = mergeConfig({ preset: meta?.strict || STRICT_QUERIES.has(q) ? 'strict' : 'recommended' });
      for (const e of entries) {
        const file = path.join(shared, 'kics', e.file);
        const result = s.built ? engine.analyze({ text: fs.readFileSync(file, 'utf8'), path: file }, config) : null;
        const hits = result ? result.findings.filter((f) => f.rule === rule) : [];
        if (e.label === 'positive') {
          s.positives++;
          if (hits.length) s.foundFile++;
          else s.misses.push(e.file);
          const lines = new Set(e.expectedLines ?? []);
          const atLine = hits.some((f) => {
            const a = result!.index.positionAt(f.start).line + 1;
            const b = result!.index.positionAt(f.end).line + 1;
            for (let l = a; l <= b; l++) if (lines.has(l)) return true;
            return false;
          });
          if (lines.size === 0 ? hits.length > 0 : atLine) s.foundLine++;
        } else {
          s.negatives++;
          if (hits.length === 0) s.clean++;
          else s.falsePositives.push(e.file);
        }
      }
      scores.push(s);
    }
  }
  const secrets = secretsScore();
  const pct = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(0)}%`);
  const rows = scores.map((s) =>
    s.built
      ? `| ${s.rule} | ${s.query} | ${s.foundFile}/${s.positives} (${pct(s.foundFile, s.positives)}) | ${s.foundLine}/${s.positives} (${pct(s.foundLine, s.positives)}) | ${s.clean}/${s.negatives} (${pct(s.clean, s.negatives)}) | ${EXPLAINED[s.query] && (s.misses.length || s.falsePositives.length) ? EXPLAINED[s.query] : ''} |`
      : `| ${s.rule} | ${s.query} | not built yet | | | |`,
  );
  const builtScores = scores.filter((s) => s.built);
  const sum = (f: (s: QueryScore) => number) => builtScores.reduce((n, s) => n + f(s), 0);
  const totals = `| **all built** | ${builtScores.length} queries | ${sum((s) => s.foundFile)}/${sum((s) => s.positives)} (${pct(sum((s) => s.foundFile), sum((s) => s.positives))}) | ${sum((s) => s.foundLine)}/${sum((s) => s.positives)} (${pct(sum((s) => s.foundLine), sum((s) => s.positives))}) | ${sum((s) => s.clean)}/${sum((s) => s.negatives)} (${pct(sum((s) => s.clean), sum((s) => s.negatives))}) | |`;
  const leftOut = Object.entries((map._left_out ?? {}) as Record<string, string>).map(([q, why]) => `- \`${q}\`: ${why}`);
  const details = builtScores
    .filter((s) => s.misses.length || s.falsePositives.length)
    .map((s) => `- ${s.query} (${s.rule}): ${[...s.misses.map((m) => `missed ${m}`), ...s.falsePositives.map((m) => `flagged negative ${m}`)].join('; ')}`);
  const md = [
    '# Accuracy',
    '',
    '_Generated by `npm run eval`; do not edit by hand._',
    '',
    'Agreement with the labelled test files of KICS 2.1.8 for every query mapped to one of our',
    'rules (`kics-rule-map.json`). Recall: positive files with a finding of the mapped rule',
    '(anywhere in the file, and at one of the lines KICS expects). Clean negatives: negative',
    'files without a finding of that rule. Goal: >= 95% recall and >= 95% clean negatives.',
    '',
    '| rule | KICS query | recall (file) | recall (expected line) | clean negatives | deliberate difference |',
    '|---|---|---|---|---|---|',
    ...rows,
    totals,
    '',
    ...(details.length ? ['## Disagreements', '', ...details, ''] : []),
    '## Queries left out on purpose',
    '',
    ...leftOut,
    '',
    ...corpusSection(engine),
    '## Secrets',
    '',
    secrets ?? 'The labelled secrets fixture is not evaluated yet (`npm run eval:secrets`).',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(root, 'docs', 'accuracy.md'), md);
  fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench', 'results', 'eval.json'), `${JSON.stringify({ scores, secrets }, null, 2)}\n`);
  console.log(md);
}

/** The secrets evaluation: bench/eval-secrets.ts's evaluateSecrets(), per secret rule. */
function secretsScore(): string | null {
  const file = path.join(__dirname, 'eval-secrets.js');
  if (!fs.existsSync(file)) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as { evaluateSecrets?: () => { cases: number; rules?: { rule: string; cases: number; secrets: number; findings: number; precision: number; recall: number; wrongSeverity: number }[] } };
  if (typeof mod.evaluateSecrets !== 'function') return null;
  const r = mod.evaluateSecrets();
  const rows = (r.rules ?? []).map((x) => `| ${x.rule} | ${x.cases} | ${x.secrets} | ${x.findings} | ${x.precision.toFixed(3)} | ${x.recall.toFixed(3)} | ${x.wrongSeverity} |`);
  return [
    `Labelled corpus of ${r.cases} cases (test/fixtures/secrets; goal: precision >= 0.97, recall >= 0.95 per rule; \`npm run eval:secrets\` lists the cases it gets wrong).`,
    '',
    '| rule | cases | secrets | findings | precision | recall | wrong severity |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

main();
