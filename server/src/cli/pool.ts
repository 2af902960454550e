/**
 * Analysis in worker threads for a big scan that writes nothing (no `--fix`, `--harden`,
 * stdin). The main thread walks, resolves configurations and reads the files, in order, as
 * before (so every message on stderr comes in the same order); each file's analysis is a job
 * for whichever thread is free, the main thread included, and its result is put back in its
 * own slot, so the report is byte for byte the one a single thread writes. A file's analysis
 * depends on its text, path, configuration and the files beside it only, never on which
 * thread ran it or what ran before (the engine's caches are keyed by text).
 *
 * A worker that fails hands its jobs back to the main thread. Threads: BULKHEAD_THREADS
 * (1: no workers), else threadCount's choice, and only from PARALLEL_MIN_FILES files up (a
 * small run finishes before a worker has loaded).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Config } from '../core/config';
import { fixOffers, type AnalysisResult } from '../core/engine';
import type { FileKind, Finding } from '../core/types';

/** Below this many files a scan runs on the main thread only. */
export const PARALLEL_MIN_FILES = 64;
/** More threads than this gain little: the main thread's walk and reads become the limit. */
export const MAX_THREADS = 4;
/** The marker a worker thread starts with (server/src/cli.ts checks it). */
export const WORKER_MARK = 'bulkhead-analysis-worker';

/** What a report needs of a finding's fixes: nothing (SARIF), or each fix's title and whether it is safe. */
export type FixDetail = 'none' | 'titles';

export interface Job {
  text: string;
  path: string;
  root: string;
  config: Config;
}

/** A finding as a worker sends it: plain data; fixes carry their title and `preferred` only (no edits). */
export interface JobResult {
  kind: FileKind;
  findings: Finding[];
}

interface WireJob {
  id: number;
  text: string;
  path: string;
  root: string;
  config: number;
}

export type ToWorker = { type: 'jobs'; jobs: WireJob[]; configs: [number, Config][]; fixes: FixDetail };
export type FromWorker = { type: 'ready' } | { type: 'results'; results: { id: number; kind: FileKind; findings: Finding[] }[] };

/**
 * How many analysis threads (the main one included) a scan of `files` files uses. Measured
 * on 2 CPUs, one analysing thread already keeps both busy (V8 compiles and collects garbage
 * on helper threads: about 0.5 CPU per analysing thread), and a second one, which warms up
 * its own copy of the code, costs as much as it saves, there and over 5 times the KICS corpus
 * alike. So: one analysing thread per 2 CPUs, the main one included, up to MAX_THREADS.
 */
export function threadCount(files: number, env: NodeJS.ProcessEnv = process.env, cpus: number = availableParallelism()): number {
  const set = env.BULKHEAD_THREADS?.trim();
  if (set && /^\d+$/.test(set)) return Math.max(1, Math.min(Number(set), 64));
  if (files < PARALLEL_MIN_FILES) return 1;
  return Math.max(1, Math.min(Math.floor(cpus / 2), MAX_THREADS));
}

/** A finding reduced to what the report reads (the same fields, in the same order). */
export function wireFinding(f: Finding, fixes: FixDetail): Finding {
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    start: f.start,
    end: f.end,
    fixes: fixes === 'none' ? [] : fixOffers(f).map((x) => ({ title: x.title, preferred: x.preferred, edits: [] })),
  };
}

interface Pending {
  id: number;
  job: Job;
  resolve: (r: JobResult) => void;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  busy: Pending[];
  /** Configurations this worker already has, by id. */
  configs: Set<number>;
  dead: boolean;
}

export class AnalysisPool {
  private readonly queue: Pending[] = [];
  private readonly threads: Thread[] = [];
  private readonly configIds = new Map<Config, number>();
  private nextId = 0;
  private outstanding = 0;
  private wake: (() => void) | null = null;
  private readyWaiters: (() => void)[] = [];
  /** Counts for tests: jobs each side analysed. */
  readonly stats = { main: 0, workers: 0, failedWorkers: 0 };

  /**
   * @param local analyses a job on the main thread
   * @param workers worker threads to start (running `script`)
   */
  constructor(
    private readonly local: (job: Job) => AnalysisResult,
    private readonly fixes: FixDetail,
    script: string,
    workers: number,
  ) {
    // loaded by the first pool only: a scan on one thread never needs it
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const threads = workers > 0 ? (require('node:worker_threads') as typeof import('node:worker_threads')) : null;
    for (let i = 0; threads && i < workers; i++) {
      let worker: Worker;
      try {
        worker = new threads.Worker(script, { workerData: { mark: WORKER_MARK }, argv: [WORKER_MARK], stdout: true, stderr: true });
      } catch {
        break; // no threads here: the main thread does it all
      }
      const t: Thread = { worker, ready: false, busy: [], configs: new Set(), dead: false };
      worker.unref();
      worker.on('message', (m: FromWorker) => this.onMessage(t, m));
      worker.on('error', () => this.fail(t));
      worker.on('exit', () => this.fail(t));
      this.threads.push(t);
    }
  }

  /** Queues a file's analysis; the promise settles with its result. */
  submit(job: Job): Promise<JobResult> {
    this.outstanding++;
    return new Promise((resolve) => {
      this.queue.push({
        id: this.nextId++,
        job,
        resolve: (r) => {
          this.outstanding--;
          resolve(r);
          this.wake?.();
        },
      });
      this.pump();
    });
  }

  /** Settles once every worker has loaded or failed (for tests: jobs submitted after it reach a worker). */
  whenReady(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.threads.every((t) => t.ready || t.dead) ? resolve() : this.readyWaiters.push(check));
      check();
    });
  }

  /** Lets the workers' messages in (the main thread reads files in a synchronous loop). */
  yieldNow(): Promise<void> {
    return new Promise((r) => setImmediate(r));
  }

  /** The main thread analyses queued jobs until every job is done, then stops the workers. */
  async drain(): Promise<void> {
    while (this.outstanding > 0) {
      const p = this.queue.shift();
      if (p) {
        this.stats.main++;
        const r = this.local(p.job);
        // what the report reads only, as a worker sends it: the analysis is garbage at once
        p.resolve({ kind: r.kind, findings: r.findings.map((f) => wireFinding(f, this.fixes)) });
        await this.yieldNow();
        continue;
      }
      // all handed out: wait for a worker's results (or its failure, which requeues them)
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
    this.close();
  }

  close(): void {
    for (const t of this.threads) {
      t.dead = true;
      void t.worker.terminate();
    }
  }

  /** Hands queued jobs to idle workers, a few at a time (the main thread keeps the rest). */
  private pump(): void {
    for (const t of this.threads) {
      if (t.dead || !t.ready || t.busy.length > 0 || this.queue.length === 0) continue;
      const share = Math.ceil(this.queue.length / (this.threads.length + 1));
      const jobs = this.queue.splice(0, Math.max(1, Math.min(8, share)));
      const configs: [number, Config][] = [];
      const wire = jobs.map((p) => {
        let cid = this.configIds.get(p.job.config);
        if (cid === undefined) this.configIds.set(p.job.config, (cid = this.configIds.size));
        if (!t.configs.has(cid)) {
          t.configs.add(cid);
          configs.push([cid, p.job.config]);
        }
        return { id: p.id, text: p.job.text, path: p.job.path, root: p.job.root, config: cid };
      });
      t.busy = jobs;
      t.worker.postMessage({ type: 'jobs', jobs: wire, configs, fixes: this.fixes } satisfies ToWorker);
    }
  }

  private onMessage(t: Thread, m: FromWorker): void {
    if (t.dead) return;
    if (m.type === 'ready') {
      t.ready = true;
      this.notifyReady();
    } else {
      const byId = new Map(t.busy.map((p) => [p.id, p]));
      t.busy = [];
      for (const r of m.results) {
        const p = byId.get(r.id);
        if (!p) continue;
        byId.delete(r.id);
        this.stats.workers++;
        p.resolve({ kind: r.kind, findings: r.findings });
      }
      // anything it did not answer goes back to the queue
      this.queue.unshift(...byId.values());
    }
    this.pump();
    this.wake?.();
  }

  private notifyReady(): void {
    const waiting = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiting) w();
  }

  /** A worker that failed or stopped: its jobs go back to the queue; the others carry on. */
  private fail(t: Thread): void {
    if (t.dead) return;
    t.dead = true;
    this.stats.failedWorkers++;
    this.queue.unshift(...t.busy);
    t.busy = [];
    void t.worker.terminate();
    this.notifyReady();
    this.pump();
    this.wake?.();
  }
}
