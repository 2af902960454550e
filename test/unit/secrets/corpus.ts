/**
 * The labelled corpus (test/fixtures/secrets): loading, and scoring no-hardcoded-secrets
 * on it. Used by corpus.test.ts and bench/eval-secrets.ts. Reports name cases, never values.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeConfig } from '../../../server/src/core/config';
import type { Engine } from '../../../server/src/core/engine';
import type { Platform } from '../../../server/src/core/types';
import { withFakes } from './fakes';

export interface CorpusCase {
  platform: Platform;
  name: string;
  path: string;
  text: string;
  /** Where secrets are, as offsets into `text`. */
  secrets: { start: number; end: number }[];
}

const FILES: [Platform, string, string][] = [
  ['dockerfile', 'dockerfile.txt', 'Dockerfile'],
  ['compose', 'compose.txt', 'compose.yaml'],
  ['kubernetes', 'kubernetes.txt', 'manifest.yaml'],
];

/** The repository root from out/test/unit/secrets or out/bench. */
export function repoRoot(from: string): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'test', 'fixtures'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`no repository root above ${from}`);
}

export function loadCorpus(root: string): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const [platform, file, defaultPath] of FILES) {
    const text = fs.readFileSync(path.join(root, 'test', 'fixtures', 'secrets', file), 'utf8');
    const parts = text.split(/^=== /m).slice(1);
    for (const part of parts) {
      const nl = part.indexOf('\n');
      const header = part.slice(0, nl);
      const m = /^(.*?)(?:\s+\[path=([^\]]+)\])?\s*$/.exec(header)!;
      let body = withFakes(part.slice(nl + 1));
      const secrets: { start: number; end: number }[] = [];
      for (;;) {
        const a = body.indexOf('⟦');
        if (a < 0) break;
        const b = body.indexOf('⟧', a);
        if (b < 0) throw new Error(`unclosed mark in ${file}: ${m[1]}`);
        body = body.slice(0, a) + body.slice(a + 1, b) + body.slice(b + 1);
        secrets.push({ start: a, end: b - 1 });
      }
      out.push({ platform, name: m[1], path: `/corpus/${m[2] ?? defaultPath}`, text: body, secrets });
    }
  }
  return out;
}

export interface Score {
  cases: number;
  positives: number;
  secrets: number;
  findings: number;
  truePositives: number;
  falsePositives: number;
  missed: number;
  exactRanges: number;
  precision: number;
  recall: number;
  /** Names of cases with a false positive or a miss. */
  wrong: string[];
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/** Scores findings given as spans per case (the same for our rule and for any other detector). */
export function score(cases: CorpusCase[], findingsOf: (c: CorpusCase) => { start: number; end: number }[]): Score {
  const s: Score = { cases: cases.length, positives: 0, secrets: 0, findings: 0, truePositives: 0, falsePositives: 0, missed: 0, exactRanges: 0, precision: 0, recall: 0, wrong: [] };
  for (const c of cases) {
    const found = findingsOf(c);
    if (c.secrets.length) s.positives++;
    s.secrets += c.secrets.length;
    s.findings += found.length;
    let bad = false;
    for (const f of found) {
      if (c.secrets.some((x) => overlaps(f, x))) s.truePositives++;
      else {
        s.falsePositives++;
        bad = true;
      }
      if (c.secrets.some((x) => x.start === f.start && x.end === f.end)) s.exactRanges++;
    }
    for (const x of c.secrets) {
      if (!found.some((f) => overlaps(f, x))) {
        s.missed++;
        bad = true;
      }
    }
    if (bad) s.wrong.push(`${c.platform}: ${c.name}`);
  }
  s.precision = s.findings ? s.truePositives / s.findings : 1;
  s.recall = s.secrets ? (s.secrets - s.missed) / s.secrets : 1;
  return s;
}

/** no-hardcoded-secrets alone, as the engine runs it. */
export function ourFindings(engine: Engine): (c: CorpusCase) => { start: number; end: number }[] {
  const off: Record<string, 'off'> = {};
  for (const r of engine.rules) if (r.meta.id !== 'no-hardcoded-secrets') off[r.meta.id] = 'off';
  const config = mergeConfig({ rules: off });
  return (c) => engine.analyze({ text: c.text, path: c.path }, config).findings.filter((f) => f.rule === 'no-hardcoded-secrets');
}
