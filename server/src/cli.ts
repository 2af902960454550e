#!/usr/bin/env node
import { isMainThread, workerData } from 'node:worker_threads';
import { quietOnBrokenPipe, runCli } from './cli/main';
import { WORKER_MARK } from './cli/pool';
import { runWorker } from './cli/worker';

if (!isMainThread && (workerData as { mark?: unknown } | null)?.mark === WORKER_MARK) {
  // this same file, started by the analysis pool of a big scan (cli/pool.ts)
  runWorker();
} else {
  // `bulkhead | head`: a reader that stops early is not an error.
  quietOnBrokenPipe(process.stdout);
  quietOnBrokenPipe(process.stderr);

  runCli(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, workerScript: __filename })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: unknown) => {
      process.stderr.write(`bulkhead: ${(e as Error).message}\n`);
      process.exitCode = 2;
    });
}
