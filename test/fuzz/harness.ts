/**
 * Runs the properties over generated cases with fast-check: `fuzzKind` for CI (stops at the
 * first failure and shrinks it), `surveyKind` for `npm run fuzz` (runs every case, groups the
 * failures by class, then shrinks one reproducer per class).
 */
import fc from 'fast-check';
import { caseArb, describeCase, type FuzzCase, type FuzzKind } from './cases';
import { checkCase, PropertyFailure, type CaseStats, type CheckOptions } from './properties';

export interface KindStats {
  cases: number;
  withFindings: number;
  rounds: number;
  findings: Record<string, number>;
  applied: Record<string, number>;
}

export const emptyStats = (): KindStats => ({ cases: 0, withFindings: 0, rounds: 0, findings: {}, applied: {} });

function add(stats: KindStats, s: CaseStats): void {
  stats.cases++;
  if (Object.keys(s.findings).length) stats.withFindings++;
  stats.rounds += s.rounds;
  for (const [k, v] of Object.entries(s.findings)) stats.findings[k] = (stats.findings[k] ?? 0) + v;
  for (const [k, v] of Object.entries(s.applied)) stats.applied[k] = (stats.applied[k] ?? 0) + v;
}

export interface FuzzFailure {
  key: string;
  message: string;
  seed: number;
  path: string;
  counterexample: FuzzCase;
}

/** CI: `numRuns` cases of one kind; the first failure, shrunk, or null. */
export function fuzzKind(kind: FuzzKind, numRuns: number, seed: number, opts: CheckOptions, stats = emptyStats()): FuzzFailure | null {
  const details = fc.check(
    fc.property(caseArb[kind], (c) => {
      add(stats, checkCase(c, opts));
    }),
    { numRuns, seed },
  );
  if (!details.failed) return null;
  const err = details.errorInstance;
  return {
    key: err instanceof PropertyFailure ? err.key : 'harness-error',
    message: err instanceof Error ? err.message : String(err),
    seed: details.seed,
    path: details.counterexamplePath ?? '',
    counterexample: details.counterexample![0],
  };
}

export interface SurveyClass {
  key: string;
  count: number;
  firstMessage: string;
}

/** Every case of one kind; failures grouped by class (property and detail). */
export function surveyKind(kind: FuzzKind, numRuns: number, seed: number, opts: CheckOptions, stats: KindStats, progress?: (done: number) => void): Map<string, SurveyClass> {
  const classes = new Map<string, SurveyClass>();
  let done = 0;
  fc.check(
    fc.property(caseArb[kind], (c) => {
      try {
        add(stats, checkCase(c, opts));
      } catch (e) {
        stats.cases++;
        const key = e instanceof PropertyFailure ? e.key : 'harness-error';
        const cls = classes.get(key) ?? { key, count: 0, firstMessage: (e as Error).message };
        cls.count++;
        classes.set(key, cls);
      }
      if (++done % 5000 === 0) progress?.(done);
      return true;
    }),
    { numRuns, seed },
  );
  return classes;
}

/** The first case of the run failing with exactly this class, shrunk. */
export function shrinkClass(kind: FuzzKind, key: string, numRuns: number, seed: number, opts: CheckOptions): FuzzFailure | null {
  let message = '';
  const details = fc.check(
    fc.property(caseArb[kind], (c) => {
      try {
        checkCase(c, opts);
      } catch (e) {
        const k = e instanceof PropertyFailure ? e.key : 'harness-error';
        if (k === key) {
          message = (e as Error).message;
          return false;
        }
      }
      return true;
    }),
    { numRuns, seed },
  );
  if (!details.failed) return null;
  return { key, message, seed: details.seed, path: details.counterexamplePath ?? '', counterexample: details.counterexample![0] };
}

export function formatFailure(kind: FuzzKind, f: FuzzFailure): string {
  return [
    `${kind}: ${f.message}`,
    `replay: seed ${f.seed}, path ${JSON.stringify(f.path)} (FUZZ_SEED=${f.seed} npm run fuzz, or fc.check(..., { seed, path }))`,
    describeCase(f.counterexample),
  ].join('\n');
}
