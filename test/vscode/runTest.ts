// `npm run test:vscode`: the real-editor scenarios in a downloaded VS Code, through @vscode/test-electron.
// Needs the internet (it downloads VS Code). Where VS Code cannot be downloaded (no network), it says so
// in one line and exits 3, which is neither a pass nor a test failure; the same scenarios run in
// code-server with `npm run test:e2e`. Set BULKHEAD_VSCODE_EXECUTABLE to use an installed VS Code.
// Exit codes: 0 all passed, 1 a scenario failed (or VS Code could not start), 3 VS Code unavailable.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Files the suite opens, copied from examples/ (the same layout as test/e2e/scenarios.mjs). */
const WORKSPACE_FILES: [from: string, to: string][] = [
  ['examples/Dockerfile', 'Dockerfile'],
  ['examples/Dockerfile', 'ignore/Dockerfile'],
  ['examples/Dockerfile', 'after-compose/Dockerfile'],
  ['examples/Dockerfile', 'secrets/Dockerfile'],
  ['examples/compose.yaml', 'compose.yaml'],
  ['examples/deployment.yaml', 'deployment.yaml'],
];
export const EXIT_NO_VSCODE = 3;

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** True when an error from the download looks like "no network" rather than a bug. */
export function isNetworkError(e: unknown): boolean {
  for (let err = e as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; err && depth < 5; err = err.cause as typeof err, depth++) {
    if (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) return true;
    if (typeof err.message === 'string' && /getaddrinfo|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|network|timed out|Failed to get JSON/i.test(err.message)) return true;
  }
  return false;
}

function makeWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-vscode-'));
  const ws = path.join(dir, 'workspace');
  for (const [from, to] of WORKSPACE_FILES) {
    fs.mkdirSync(path.dirname(path.join(ws, to)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, from), path.join(ws, to));
  }
  fs.mkdirSync(path.join(dir, 'user'), { recursive: true });
  return dir;
}

async function main(): Promise<number> {
  let vscodeExecutablePath = process.env.BULKHEAD_VSCODE_EXECUTABLE;
  if (!vscodeExecutablePath) {
    try {
      vscodeExecutablePath = await downloadAndUnzipVSCode({
        version: process.env.BULKHEAD_VSCODE_VERSION || 'stable',
        // Outside the clone unless told otherwise (a VS Code build is a few hundred MB).
        cachePath: process.env.BULKHEAD_VSCODE_CACHE || path.join(os.homedir(), '.cache', 'bulkhead-vscode-test'),
        timeout: 30_000,
      });
    } catch (e) {
      if (isNetworkError(e)) {
        console.error('test:vscode: cannot download VS Code here (no network); the same scenarios run in code-server via npm run test:e2e');
        return EXIT_NO_VSCODE;
      }
      console.error(`test:vscode: downloading VS Code failed: ${(e as Error)?.stack ?? e}`);
      return 1;
    }
  }
  const dir = makeWorkspace();
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(__dirname, 'suite', 'index'),
      extensionTestsEnv: { BULKHEAD_TEST_WORKSPACE: path.join(dir, 'workspace') },
      launchArgs: [
        path.join(dir, 'workspace'),
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(dir, 'user')}`,
      ],
    });
    console.log('test:vscode: all scenarios passed');
    return 0;
  } catch (e) {
    console.error(`test:vscode: failed: ${(e as Error)?.message ?? e}`);
    return 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
