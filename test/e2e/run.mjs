// Real-editor end-to-end tests: VS Code (code-server + Chromium), Neovim 0.7 and Emacs 28 + eglot.
// Needs .ci/e2e-setup.sh first. Usage:
//   npm run test:e2e                      (builds, then runs this)
//   node test/e2e/run.mjs [--only=vscode,nvim,emacs] [--update-docs-images]
// Closes with "N passed, N failed" and exits non-zero on any failure. Failure screenshots and logs
// go to test-results/e2e/.
import { mkdirSync, rmSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, RESULTS, Results, StepError, log, run, toolPaths, killAllGroupsNow, elapsed } from './lib.mjs';
import { runTerminalEditor } from './terminal.mjs';
import { runReadmeSnippets } from './readme.mjs';
import { runVSCode } from './vscode.mjs';
import { runRestrictedMode, copyExtraScreenshots } from './vscode-extra.mjs';

const ALL = ['nvim', 'emacs', 'vscode'];
const arg = (name) => process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const only = arg('only')?.split('=')[1]?.split(',').filter(Boolean) ?? ALL;
const updateDocsImages = Boolean(arg('update-docs-images'));
const OVERALL_MS = Number(process.env.BULKHEAD_E2E_TIMEOUT_MS || 10 * 60_000);

const results = new Results();
const tmp = mkdtempSync(join(tmpdir(), 'bulkhead-e2e-'));

function finish(code) {
  killAllGroupsNow();
  rmSync(tmp, { recursive: true, force: true });
  const failed = results.entries.filter((e) => e.status === 'failed');
  const skipped = results.entries.filter((e) => e.status === 'skipped');
  console.log('');
  if (failed.length) {
    console.log(`Failures (screenshots and logs in ${RESULTS}):`);
    for (const f of failed) console.log(`  - ${f.name}: ${f.error.split('\n')[0]}`);
  }
  if (skipped.length) console.log(`skipped: ${skipped.length} (${skipped.map((s) => s.name).join('; ')})`);
  console.log(`e2e finished in ${elapsed()}`);
  console.log(`${results.count('passed')} passed, ${results.count('failed')} failed`);
  process.exit(code ?? (failed.length ? 1 : 0));
}

process.on('exit', killAllGroupsNow);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.log(`\ninterrupted by ${sig}`);
    results.fail('e2e: run', new StepError('all', 'interrupted', sig), 0);
    finish(1);
  });
}
setTimeout(() => {
  results.fail('e2e: run', new StepError('all', 'overall guard', `the whole run took longer than ${OVERALL_MS / 1000}s`), OVERALL_MS);
  finish(1);
}, OVERALL_MS).unref();

async function main() {
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  const tools = toolPaths();

  // Build unless `npm run test:e2e` already did.
  if (process.env.npm_lifecycle_event !== 'test:e2e') {
    log('building (npm run build)');
    const b = await run(process.execPath, [join(ROOT, 'server', 'build.mjs')], { cwd: ROOT, timeoutMs: 180_000 });
    if (b.code !== 0) {
      results.fail('build', new StepError('all', 'npm run build', b.out.slice(-2000)), 0);
      return;
    }
  }
  if (!existsSync(join(ROOT, 'dist', 'server.js'))) {
    results.fail('build', new StepError('all', 'build', 'dist/server.js is missing'), 0);
    return;
  }

  for (const editor of ['nvim', 'emacs']) {
    if (!only.includes(editor)) continue;
    log(`${editor}: running`);
    await runTerminalEditor(editor, { tools, results });
    await runReadmeSnippets(editor, { tools, results });
  }

  if (only.includes('vscode')) {
    log('vscode: packaging the extension (vsce package)');
    const vsix = join(tmp, 'bulkhead.vsix');
    const vsce = join(ROOT, 'node_modules', '.bin', 'vsce');
    const p = await run(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix], { cwd: ROOT, timeoutMs: 180_000 });
    if (p.code !== 0 || !existsSync(vsix)) {
      results.fail('vscode: package the extension', new StepError('vscode', 'vsce package', `exit ${p.code}:\n${p.out.trim().split('\n').slice(-15).join('\n')}`), 0);
      return;
    }
    await runVSCode({ tools, vsix, tmp, results, updateDocsImages });
    log('vscode: Restricted Mode (a code-server with workspace trust on)');
    await runRestrictedMode({ tools, vsix, results });
    if (updateDocsImages) copyExtraScreenshots();
  }
}

main().then(
  () => finish(),
  (e) => {
    results.fail('e2e: harness', e, 0);
    finish(1);
  },
);
