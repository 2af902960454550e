// Agreement with KICS on its own labelled test files, for the Dockerfile rules (and the
// image rules' Kubernetes queries) mapped in kics-rule-map.json. A measurement, not a test:
// it prints a table and the disagreements, and exits 0 unless the harness breaks.
//
//   npx tsc -p . && node out/bench/kics-dockerfile.js [path/to/benchmarks]
//
// Scoring (benchmarks/README.md): a positive file must get a finding of the mapped rule
// (file level), ideally on every expected line (line level); a negative file must get none.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeConfig, type ConfigLayer } from '../server/src/core/config';
import { engine } from '../server/src/rules';

const RULES = ['pin-image-version', 'pin-image-digest', 'trusted-registry', 'no-secret-files-in-image', 'prefer-copy-over-add', 'verify-downloads', 'no-sudo', 'no-privileged-ports'];
/** The preset a rule needs to run at all. */
const CONFIG: Record<string, ConfigLayer> = { 'pin-image-digest': { preset: 'strict' } };

/** Disagreements on purpose (RULES.md semantics), printed next to the file. */
const DELIBERATE: Record<string, string> = {
  'k8s/image_without_digest/positive.yaml':
    '`image: $PRIVATE_IMAGE_NAME` is a placeholder substituted before deploy (Kubernetes never expands $VAR in image:): unknown offline, so no finding',
};

interface Entry {
  platform: string;
  query: string;
  file: string;
  label: 'positive' | 'negative';
  expectedLines?: number[];
}

const root = path.resolve(process.argv[2] ?? '/work/shared/benchmarks');
const map = JSON.parse(fs.readFileSync(path.join(root, 'kics-rule-map.json'), 'utf8')) as Record<string, unknown>;
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'kics', 'manifest.json'), 'utf8')) as { entries: Entry[] };

interface Score {
  query: string;
  positives: number;
  foundFile: number;
  foundLines: number;
  negatives: number;
  clean: number;
  notes: string[];
}

const scores: Score[] = [];
for (const rule of RULES) {
  const queries = (map[rule] as string[] | undefined) ?? [];
  for (const q of queries) {
    const [platform, query] = q.split('/');
    const platformName = platform === 'k8s' ? 'k8s' : platform;
    const entries = manifest.entries.filter((e) => e.platform === platformName && e.query === query);
    const s: Score = { query: `${rule}  <-  ${q}`, positives: 0, foundFile: 0, foundLines: 0, negatives: 0, clean: 0, notes: [] };
    for (const e of entries) {
      const file = path.join(root, 'kics', e.file);
      const text = fs.readFileSync(file, 'utf8');
      const result = engine.analyze({ text, path: file }, mergeConfig(CONFIG[rule]));
      const lines = result.findings.filter((f) => f.rule === rule).map((f) => result.index.positionAt(f.start).line + 1);
      const name = path.basename(e.file);
      if (e.label === 'positive') {
        s.positives++;
        const expected = e.expectedLines ?? [];
        const missing = expected.filter((l) => !lines.includes(l));
        if (lines.length) s.foundFile++;
        if (lines.length && missing.length === 0) s.foundLines++;
        const why = DELIBERATE[e.file] ? ` — deliberate: ${DELIBERATE[e.file]}` : '';
        if (!lines.length) s.notes.push(`${name}: positive, no finding (expected lines ${expected.join(', ')})${why}`);
        else if (missing.length) s.notes.push(`${name}: found at ${lines.join(', ')}, expected ${expected.join(', ')}`);
      } else {
        s.negatives++;
        if (!lines.length) s.clean++;
        else s.notes.push(`${name}: negative, finding at ${lines.join(', ')}${DELIBERATE[e.file] ? ` — deliberate: ${DELIBERATE[e.file]}` : ''}`);
      }
    }
    scores.push(s);
  }
}

const pct = (a: number, b: number) => (b === 0 ? '   -' : `${Math.round((100 * a) / b).toString().padStart(3)}%`);
const width = Math.max(...scores.map((s) => s.query.length));
console.log(`${'rule <- KICS query'.padEnd(width)}  positives: file  lines   negatives clean`);
let total = 0;
let agree = 0;
let dfTotal = 0;
let dfAgree = 0;
for (const s of scores) {
  console.log(`${s.query.padEnd(width)}  ${`${s.foundFile}/${s.positives}`.padStart(5)} ${pct(s.foundFile, s.positives)}  ${`${s.foundLines}/${s.positives}`.padStart(5)}   ${`${s.clean}/${s.negatives}`.padStart(5)} ${pct(s.clean, s.negatives)}`);
  for (const n of s.notes) console.log(`${' '.repeat(4)}- ${n}`);
  total += s.positives + s.negatives;
  agree += s.foundFile + s.clean;
  if (s.query.includes('dockerfile/')) {
    dfTotal += s.positives + s.negatives;
    dfAgree += s.foundFile + s.clean;
  }
}
console.log(`\nfile-level agreement, Dockerfile queries: ${dfAgree}/${dfTotal} (${pct(dfAgree, dfTotal).trim()})`);
console.log(`file-level agreement, with the image rules' Kubernetes queries: ${agree}/${total} (${pct(agree, total).trim()})`);
