// Runs the compiled tests with node's built-in runner. Explicit folders, so benches never run as tests.
// Usage: node test/run.mjs unit cli lsp
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const suites = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  let entries = [];
  try { entries = readdirSync(dir); } catch { return; }
  for (const e of entries.sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (e.endsWith('.test.js')) files.push(p);
  }
};
for (const s of suites.length ? suites : ['unit', 'cli', 'lsp']) walk(join('out', 'test', s));
if (files.length === 0) {
  console.error('No compiled tests found: run `npm run compile` first.');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
