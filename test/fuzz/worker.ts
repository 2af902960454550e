/**
 * Runs one kind's fuzz cases in a worker thread, so the CI test uses every core:
 * workerData { kind, numRuns, seed, budgetMs } -> message { failure: string | null, stats }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FuzzKind } from './cases';
import { emptyStats, formatFailure, fuzzKind } from './harness';

export interface WorkerInput {
  kind: FuzzKind;
  numRuns: number;
  seed: number;
  budgetMs: number;
}

const input = workerData as WorkerInput;
const stats = emptyStats();
const t0 = Date.now();
const failure = fuzzKind(input.kind, input.numRuns, input.seed, { budgetMs: input.budgetMs }, stats);
parentPort!.postMessage({ failure: failure && formatFailure(input.kind, failure), stats, ms: Date.now() - t0 });
