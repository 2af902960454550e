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

/** The rules the corpus scores; a case names its rule with `[rule=...]` (default: no-hardcoded-secrets). */
export const SECRET_RULES = ['no-hardcoded-secrets', 'no-secrets-in-build-args', 'no-secret-files-in-image'] as const;
export type SecretRule = (typeof SECRET_RULES)[number];

export interface Mark {
  start: number;
  end: number;
  /** `⟦~...⟧`: a weak credential (a dictionary word), reported at warning, not error. */
  weak: boolean;
}

export interface CorpusCase {
  platform: Platform;
  name: string;
  path: string;
  text: string;
  rule: SecretRule;
  /** Where the case comes from (a public file it was rewritten from, or the pattern it tests). */
  source: string;
  /** Where secrets are, as offsets into `text`. */
  secrets: Mark[];
}

export interface Found {
  start: number;
  end: number;
  severity?: string;
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
      const attrs: Record<string, string> = {};
      const name = header.replace(/\s*\[(path|rule|source)=([^\]]+)\]/g, (_, k: string, v: string) => ((attrs[k] = v), '')).trim();
      if (!attrs.source) throw new Error(`case without a source note in ${file}: ${name}`);
      const rule = (attrs.rule ?? 'no-hardcoded-secrets') as SecretRule;
      if (!SECRET_RULES.includes(rule)) throw new Error(`unknown rule in ${file}: ${name}`);
      let body = withFakes(part.slice(nl + 1));
      const secrets: Mark[] = [];
      for (;;) {
        const a = body.indexOf('⟦');
        if (a < 0) break;
        const b = body.indexOf('⟧', a);
        if (b < 0) throw new Error(`unclosed mark in ${file}: ${name}`);
        const weak = body[a + 1] === '~';
        const skip = weak ? 2 : 1;
        body = body.slice(0, a) + body.slice(a + skip, b) + body.slice(b + 1);
        secrets.push({ start: a, end: b - skip, weak });
      }
      out.push({ platform, name, path: `/corpus/${attrs.path ?? defaultPath}`, text: body, rule, source: attrs.source, secrets });
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
  /** Findings on a secret at the wrong severity (a weak mark at error, a strong one at warning). */
  wrongSeverity: number;
  precision: number;
  recall: number;
  /** Names of cases with a false positive or a miss. */
  wrong: string[];
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/** Scores findings given as spans per case (the same for our rule and for any other detector). */
export function score(cases: CorpusCase[], findingsOf: (c: CorpusCase) => Found[]): Score {
  const s: Score = { cases: cases.length, positives: 0, secrets: 0, findings: 0, truePositives: 0, falsePositives: 0, missed: 0, exactRanges: 0, wrongSeverity: 0, precision: 0, recall: 0, wrong: [] };
  for (const c of cases) {
    const found = findingsOf(c);
    if (c.secrets.length) s.positives++;
    s.secrets += c.secrets.length;
    s.findings += found.length;
    let bad = false;
    for (const f of found) {
      const mark = c.secrets.find((x) => overlaps(f, x));
      if (mark) {
        s.truePositives++;
        // severity is checked where the rule has more than one (no-hardcoded-secrets: error, weak at warning)
        if (f.severity !== undefined && c.rule === 'no-hardcoded-secrets' && (f.severity === 'warning') !== mark.weak) {
          s.wrongSeverity++;
          bad = true;
        }
      } else {
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

/** The case's rule alone (no-hardcoded-secrets unless the case names another), as the engine runs it. */
export function ourFindings(engine: Engine): (c: CorpusCase) => Found[] {
  const configs = new Map<string, ReturnType<typeof mergeConfig>>();
  for (const rule of SECRET_RULES) {
    const off: Record<string, 'off'> = {};
    for (const r of engine.rules) if (r.meta.id !== rule) off[r.meta.id] = 'off';
    configs.set(rule, mergeConfig({ rules: off }));
  }
  return (c) => engine.analyze({ text: c.text, path: c.path }, configs.get(c.rule)!).findings.filter((f) => f.rule === c.rule);
}
