/**
 * Property tests over generated Dockerfiles, Compose files and Kubernetes manifests (see
 * test/fuzz): 10,000 cases in all, each kind in its own worker thread, with a fixed seed
 * (FUZZ_SEED overrides it). A failure prints the property, the shrunk case and how to
 * replay it. `npm run fuzz` runs 100,000 and lists every failure class.
 * Generator features held back by known defects: test/fuzz/flags.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FuzzKind } from '../fuzz/cases';
import type { KindStats } from '../fuzz/harness';
import type { WorkerInput } from '../fuzz/worker';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS: Record<FuzzKind, number> = { dockerfile: 3000, compose: 3500, kubernetes: 3500 };
/** CPU time one analysis (or one fix-all) may take; generated inputs are small. */
const BUDGET_MS = 3000;

interface WorkerResult {
  failure: string | null;
  stats: KindStats;
  ms: number;
}

function run(kind: FuzzKind): Promise<WorkerResult> {
  const data: WorkerInput = { kind, numRuns: RUNS[kind], seed: SEED, budgetMs: BUDGET_MS };
  return new Promise((resolve, reject) => {
    const w = new Worker(join(__dirname, '..', 'fuzz', 'worker.js'), { workerData: data });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`fuzz worker for ${kind} exited with ${code}`)));
  });
}

/** Rules each kind's generator must reach (findings) and whose fixes fix-all must apply. */
const REACH: Record<FuzzKind, { findings: string[]; applied: string[] }> = {
  dockerfile: {
    findings: ['no-root-user', 'no-hardcoded-secrets', 'no-secrets-in-build-args', 'pin-image-version', 'pin-image-digest', 'verify-downloads', 'no-sudo', 'prefer-copy-over-add', 'no-privileged-ports', 'no-secret-files-in-image', 'invalid-dockerfile'],
    applied: ['no-root-user', 'prefer-copy-over-add', 'no-sudo'],
  },
  compose: {
    findings: ['no-root-user', 'no-hardcoded-secrets', 'no-secrets-in-build-args', 'pin-image-version', 'no-privileged-ports', 'no-privilege-escalation', 'drop-capabilities', 'no-dangerous-capabilities', 'no-host-namespaces', 'invalid-yaml'],
    applied: ['no-root-user', 'no-privilege-escalation'],
  },
  kubernetes: {
    findings: ['no-root-user', 'no-hardcoded-secrets', 'no-privileged-ports', 'pin-image-version', 'no-privilege-escalation', 'drop-capabilities', 'no-dangerous-capabilities', 'no-host-namespaces', 'no-privileged', 'invalid-yaml'],
    applied: ['no-privilege-escalation', 'drop-capabilities'],
  },
};

describe(`fuzz (seed ${SEED})`, () => {
  const kinds = Object.keys(RUNS) as FuzzKind[];
  const results = new Map(kinds.map((k) => [k, run(k)]));
  for (const kind of kinds) {
    test(`${kind}: ${RUNS[kind]} generated files, every property holds`, async () => {
      const r = await results.get(kind)!;
      if (r.failure) assert.fail(`seed ${SEED}\n${r.failure}`);
      assert.equal(r.stats.cases, RUNS[kind]);
    });
    test(`${kind}: the generator reaches the rules and fix-all`, async () => {
      const r = await results.get(kind)!;
      if (r.failure) return; // reported above; the counts of a stopped run mean nothing
      const reach = REACH[kind];
      assert.deepEqual(reach.findings.filter((id) => !r.stats.findings[id]), [], 'rules no generated file triggered');
      assert.deepEqual(reach.applied.filter((id) => !r.stats.applied[id]), [], 'rules whose fix fix-all never applied');
      assert.ok(r.stats.withFindings > RUNS[kind] / 2, `only ${r.stats.withFindings} of ${RUNS[kind]} files had a finding`);
    });
  }
});
