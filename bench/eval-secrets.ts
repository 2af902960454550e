// `npm run eval:secrets`: precision and recall of each secret rule on the labelled corpus
// (test/fixtures/secrets), the cost of the secret rules per keystroke, and the same corpus
// through the secretlint recommended preset when it is installed (it comes with @vscode/vsce),
// for the comparison in docs/rules/no-hardcoded-secrets.md. Prints case names, never values.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { mergeConfig } from '../server/src/core/config';
import { createEngine } from '../server/src/core/engine';
import { rules } from '../server/src/rules';
import { loadCorpus, ourFindings, repoRoot, score, SECRET_RULES as CORPUS_RULES, type CorpusCase, type Found, type Score } from '../test/unit/secrets/corpus';

const ROOT = repoRoot(__dirname);
const SECRET_RULES = ['no-hardcoded-secrets', 'no-secrets-in-build-args'];

function pct(x: number): string {
  return x.toFixed(3);
}

function line(label: string, s: Score): string {
  return `${label.padEnd(12)} ${String(s.cases).padStart(5)} ${String(s.positives).padStart(9)} ${String(s.secrets).padStart(7)} ${String(s.findings).padStart(8)} ${String(s.falsePositives).padStart(4)} ${String(s.missed).padStart(6)} ${pct(s.precision).padStart(9)} ${pct(s.recall).padStart(6)} ${(s.findings ? pct(s.exactRanges / s.findings) : '-').padStart(11)}`;
}

function table(cases: CorpusCase[], findings: (c: CorpusCase) => Found[]): { all: Score; text: string } {
  const rows = [`${'platform'.padEnd(12)} ${'cases'.padStart(5)} ${'with secr'.padStart(9)} ${'secrets'.padStart(7)} ${'findings'.padStart(8)} ${'FP'.padStart(4)} ${'missed'.padStart(6)} ${'precision'.padStart(9)} ${'recall'.padStart(6)} ${'exact range'.padStart(11)}`];
  for (const p of ['dockerfile', 'compose', 'kubernetes'] as const) rows.push(line(p, score(cases.filter((c) => c.platform === p), findings)));
  const all = score(cases, findings);
  rows.push(line('all', all));
  return { all, text: rows.join('\n') };
}

interface Timing {
  median: number;
  p95: number;
}

function timing(xs: number[]): Timing {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  return { median: at(0.5), p95: at(0.95) };
}

/** Analysis time per edit with and without the secret rules (the edit toggles a trailing space, so one document re-parses). */
function keystrokeCost(): string[] {
  const engine = createEngine(rules);
  const on = mergeConfig();
  const off = mergeConfig({ rules: Object.fromEntries(SECRET_RULES.map((r) => [r, 'off' as const])) });
  const out: string[] = [];
  for (const file of ['Dockerfile', 'docker-compose.yml', 'manifest.yaml', 'large-manifest.yaml']) {
    const p = path.join(ROOT, 'bench', 'fixtures', file);
    if (!fs.existsSync(p)) continue;
    const text = fs.readFileSync(p, 'utf8');
    const with_: number[] = [];
    const without: number[] = [];
    const runs = file.startsWith('large') ? 120 : 400;
    for (let i = 0; i < runs + 50; i++) {
      const t = i % 2 ? `${text} ` : text;
      for (const [config, into] of [[on, with_], [off, without]] as const) {
        const t0 = performance.now();
        engine.analyze({ text: t, path: p }, config);
        if (i >= 50) into.push(performance.now() - t0);
      }
    }
    const a = timing(with_);
    const b = timing(without);
    out.push(`${file.padEnd(22)} ${String(text.length).padStart(7)} B   all rules ${a.median.toFixed(3)}/${a.p95.toFixed(3)} ms   without secret rules ${b.median.toFixed(3)}/${b.p95.toFixed(3)} ms   secret rules ~${Math.max(0, a.median - b.median).toFixed(3)} ms (median)`);
  }
  return out;
}

interface SecretlintMessage {
  range: [number, number];
}
type LintSource = (o: { source: { content: string; filePath: string; ext: string; contentType: 'text' }; options: { config: unknown; maskSecrets: boolean } }) => Promise<{ messages: SecretlintMessage[] }>;

/** The secretlint preset on the same corpus and fixtures, when it can be imported. */
async function secretlint(cases: CorpusCase[]): Promise<string[]> {
  let lintSource: LintSource;
  let creator: unknown;
  let version = '?';
  try {
    const spec = (name: string) => name;
    const core = (await import(spec('@secretlint/core'))) as { lintSource: LintSource };
    const preset = (await import(spec('@secretlint/secretlint-rule-preset-recommend'))) as { creator: unknown };
    lintSource = core.lintSource;
    creator = preset.creator;
    version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@secretlint', 'core', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return ['secretlint: not installed (npm ls @secretlint/core), comparison skipped'];
  }
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
  const lint = (content: string, file: string) =>
    lintSource({ source: { content, filePath: file, ext: path.extname(file), contentType: 'text' }, options: { config, maskSecrets: true } });
  const found = new Map<CorpusCase, { start: number; end: number }[]>();
  let exact = 0;
  for (const c of cases) {
    const r = await lint(c.text, c.path);
    const spans = r.messages.map((m) => ({ start: m.range[0], end: m.range[1] }));
    found.set(c, spans);
    for (const s of spans) if (c.secrets.some((x) => x.start === s.start && x.end === s.end)) exact++;
  }
  const t = table(cases, (c) => found.get(c) ?? []);
  const out = [`secretlint ${version} preset-recommend on the same corpus (a finding overlapping a mark counts):`, t.text, `(exact ranges: ${exact} of ${t.all.findings}; ranges often cover NAME= or the whole URL)`];
  for (const file of ['Dockerfile', 'docker-compose.yml', 'manifest.yaml', 'large-manifest.yaml']) {
    const p = path.join(ROOT, 'bench', 'fixtures', file);
    if (!fs.existsSync(p)) continue;
    const text = fs.readFileSync(p, 'utf8');
    for (let i = 0; i < 30; i++) await lint(text, p);
    const xs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      await lint(i % 2 ? `${text} ` : text, p);
      xs.push(performance.now() - t0);
    }
    const s = timing(xs);
    out.push(`secretlint per call ${file.padEnd(22)} ${s.median.toFixed(3)}/${s.p95.toFixed(3)} ms (median/p95, awaited)`);
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const small = fs.readFileSync(path.join(ROOT, 'bench', 'fixtures', 'manifest.yaml'), 'utf8');
  for (let i = 0; i < 2000; i++) await lint(small, 'manifest.yaml');
  gc?.();
  out.push(`secretlint heap growth after 2000 calls: ${((process.memoryUsage().heapUsed - before) / 1048576).toFixed(1)} MB${gc ? '' : ' (run node with --expose-gc for a settled number)'} (its profiler keeps every mark)`);
  return out;
}

async function main(): Promise<void> {
  const all = loadCorpus(ROOT);
  const engine = createEngine(rules);
  const findings = ourFindings(engine);
  process.stdout.write(`${all.length} labelled cases (goal per rule: precision >= 0.97, recall >= 0.95)\n`);
  for (const rule of CORPUS_RULES) {
    const cases = all.filter((c) => c.rule === rule);
    const ours = table(cases, findings);
    process.stdout.write(`\n${rule} on ${cases.length} cases\n${ours.text}\n`);
    if (ours.all.wrongSeverity) process.stdout.write(`findings at the wrong severity: ${ours.all.wrongSeverity}\n`);
    if (ours.all.wrong.length) process.stdout.write(`cases with a false positive, a miss or a wrong severity:\n${ours.all.wrong.map((w) => `  ${w}`).join('\n')}\n`);
  }
  process.stdout.write(`\ncost per keystroke (engine.analyze, median/p95 ms, in-process):\n${keystrokeCost().join('\n')}\n\n`);
  process.stdout.write(`${(await secretlint(all.filter((c) => c.rule === 'no-hardcoded-secrets'))).join('\n')}\n`);
}

export interface RuleScore {
  rule: string;
  cases: number;
  secrets: number;
  findings: number;
  precision: number;
  recall: number;
  wrongSeverity: number;
}

/** The corpus score per secret rule, for `npm run eval`'s report. */
export function evaluateSecrets(): { precision: number; recall: number; cases: number; rules: RuleScore[] } {
  const cases = loadCorpus(ROOT);
  const findings = ourFindings(createEngine(rules));
  const per = CORPUS_RULES.map((rule): RuleScore => {
    const mine = cases.filter((c) => c.rule === rule);
    const s = score(mine, findings);
    return { rule, cases: mine.length, secrets: s.secrets, findings: s.findings, precision: s.precision, recall: s.recall, wrongSeverity: s.wrongSeverity };
  });
  const all = score(cases, findings);
  return { precision: all.precision, recall: all.recall, cases: cases.length, rules: per };
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`eval:secrets: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
