/**
 * `npm run fuzz` (node out/test/fuzz/run.js [cases=100000] [--seed=N] [--unflagged]
 * [--kind=dockerfile|compose|kubernetes] [--budget=ms] [--out=folder]): runs every case,
 * prints the failure classes with a count and one shrunk reproducer each (secrets masked),
 * writes the exact reproducers as JSON into --out, and exits 1 if anything failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FuzzKind } from './cases';
import { setIgnoreFlags } from './flags';
import { emptyStats, formatFailure, shrinkClass, surveyKind } from './harness';

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const total = Number(args.find((a) => /^\d+$/.test(a)) ?? 100000);
const seed = Number(opt('seed') ?? process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const budgetMs = Number(opt('budget') ?? 5000);
const outDir = opt('out');
if (args.includes('--unflagged')) setIgnoreFlags(true);
const kinds: FuzzKind[] = opt('kind') ? [opt('kind') as FuzzKind] : ['dockerfile', 'compose', 'kubernetes'];
const share: Record<FuzzKind, number> = { dockerfile: 0.3, compose: 0.35, kubernetes: 0.35 };
const sum = kinds.reduce((a, k) => a + share[k], 0);

console.log(`bulkhead fuzz: ${total} cases, seed ${seed}${args.includes('--unflagged') ? ', known-defect flags ignored' : ''}`);
let failed = 0;
const started = Date.now();
for (const kind of kinds) {
  const n = Math.round((total * share[kind]) / sum);
  const stats = emptyStats();
  const t0 = Date.now();
  const classes = surveyKind(kind, n, seed, { budgetMs }, stats, (done) => console.log(`  ${kind}: ${done}/${n} (${((Date.now() - t0) / 1000).toFixed(0)} s)`));
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const bad = [...classes.values()].reduce((a, c) => a + c.count, 0);
  console.log(`\n== ${kind}: ${n} cases in ${secs} s; ${stats.withFindings} with findings; ${stats.rounds} fix-all rounds; ${bad} failing cases in ${classes.size} classes`);
  console.log(`   findings: ${Object.entries(stats.findings).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`   fixes applied: ${Object.entries(stats.applied).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const cls of [...classes.values()].sort((a, b) => b.count - a.count)) {
    failed += cls.count;
    console.log(`\n-- ${kind} ${cls.key}: ${cls.count} cases`);
    const shrunk = shrinkClass(kind, cls.key, n, seed, { budgetMs });
    if (!shrunk) {
      console.log(`   (did not reproduce when shrinking; first message: ${cls.firstMessage})`);
      continue;
    }
    console.log(formatFailure(kind, shrunk).replace(/^/gm, '   '));
    if (outDir) {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, `${kind}-${cls.key.replace(/[^A-Za-z0-9_.-]+/g, '_')}.json`), `${JSON.stringify({ kind, ...shrunk }, null, 2)}\n`);
    }
  }
}
console.log(`\n${total} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, ${failed} failing`);
process.exit(failed ? 1 : 0);
