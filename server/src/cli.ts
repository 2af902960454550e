#!/usr/bin/env node
import { quietOnBrokenPipe, runCli } from './cli/main';

// `bulkhead | head`: a reader that stops early is not an error.
quietOnBrokenPipe(process.stdout);
quietOnBrokenPipe(process.stderr);

runCli(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, stdin: process.stdin })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`bulkhead: ${(e as Error).message}\n`);
    process.exitCode = 2;
  });
