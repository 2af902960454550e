#!/usr/bin/env node
import { runCli } from './cli/main';

runCli(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, stdin: process.stdin })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`bulkhead: ${(e as Error).message}\n`);
    process.exitCode = 2;
  });
