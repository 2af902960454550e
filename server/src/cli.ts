#!/usr/bin/env node
import { quietOnBrokenPipe, runCli } from './cli/main';
import { WORKER_MARK } from './cli/pool';
import { runWorker } from './cli/worker';

/** Started by the analysis pool of a big scan (cli/pool.ts): its mark is in argv, and worker_threads says so. */
function isPoolWorker(): boolean {
  if (!process.argv.includes(WORKER_MARK)) return false; // a plain run: worker_threads is not even loaded
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isMainThread, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  return !isMainThread && (workerData as { mark?: unknown } | null)?.mark === WORKER_MARK;
}

if (isPoolWorker()) {
  runWorker();
} else {
  // `bulkhead | head`: a reader that stops early is not an error.
  quietOnBrokenPipe(process.stdout);
  quietOnBrokenPipe(process.stderr);

  runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    // process.stdin sets up a stream (a TTY, a pipe) when first read: only --stdin-filename does
    get stdin() {
      return process.stdin;
    },
    workerScript: __filename,
  })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: unknown) => {
      process.stderr.write(`bulkhead: ${(e as Error).message}\n`);
      process.exitCode = 2;
    });
}
