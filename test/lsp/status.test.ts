/**
 * The status the editor's language status item shows (`bulkhead/status`), the start-up log,
 * and Restricted Mode (initializationOptions.trusted: false): a workspace .bulkhead.yaml may
 * only make the analysis stricter until `bulkhead/didGrantTrust`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { URI } from 'vscode-uri';
import { pushCapabilities, TestClient } from './client';
import { range, ROOT_DOCKERFILE, summary, TempWorkspace, serverPerSuite } from './workspace';
import { rules } from '../../server/src/rules';
import type { StatusResult } from '../../server/src/protocol';

const PKG_VERSION = JSON.parse(fs.readFileSync(require.resolve('../../../package.json'), 'utf8')).version as string;

const status = (client: TestClient, uri: string) => client.connection.sendRequest<StatusResult>('bulkhead/status', { uri });

describe('bulkhead/status and the start-up log (trusted)', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), (ws) => {
    ws.write('cfg/.bulkhead.yaml', 'rules:\n  no-root-user: error\n');
    ws.write('bad/.bulkhead.yaml', 'preset: loud\nrules:\n  no-root-user: error\n');
    return { capabilities: pushCapabilities(), settings: {}, rootUri: URI.file(ws.path('cfg')).toString() };
  });

  test('the start-up log names the version, the rule count and the config file of the folder', async () => {
    // logged in `initialized`: a request answered after it proves the log lines arrived first
    await status(client, ws.uri('none/Dockerfile'));
    assert.deepEqual(client.log.filter((l) => l.startsWith('Bulkhead ') || l.startsWith(ws.path('cfg'))), [
      `Bulkhead ${PKG_VERSION} (Node ${process.version}): ${rules.length} rules; trusted workspace`,
      `${ws.path('cfg')}: config ${ws.path('cfg/.bulkhead.yaml')}`,
    ]);
  });

  test('a file without .bulkhead.yaml: its findings, the default preset, no config file', async () => {
    const uri = ws.uri('none/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    await client.waitForVersion(uri, (d) => d.length === 1);
    assert.deepEqual(await status(client, uri), {
      version: PKG_VERSION,
      state: 'analysed',
      findings: { error: 0, warning: 1, info: 0 },
      preset: 'recommended',
      configFile: null,
      configProblems: [],
      configProblemCount: 0,
      trusted: true,
      ignoredByTrust: [],
      rules: rules.length,
    });
  });

  test('the .bulkhead.yaml in use, and the severity it sets', async () => {
    const uri = ws.uri('cfg/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    await client.waitForVersion(uri, (d) => d.length === 1);
    const s = await status(client, uri);
    assert.deepEqual([s.state, s.findings, s.configFile, s.configProblemCount], ['analysed', { error: 1, warning: 0, info: 0 }, ws.path('cfg/.bulkhead.yaml'), 0]);
  });

  test('an invalid .bulkhead.yaml shows in the status of the files it governs', async () => {
    const uri = ws.uri('bad/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    await client.waitForVersion(uri);
    const s = await status(client, uri);
    assert.deepEqual([s.configFile, s.configProblems, s.configProblemCount], [ws.path('bad/.bulkhead.yaml'), ["preset must be 'baseline', 'recommended' or 'strict'"], 1]);
  });

  test('the .bulkhead.yaml itself, and a file the server has not seen', async () => {
    const cfg = ws.uri('bad/.bulkhead.yaml');
    await client.open(cfg, fs.readFileSync(ws.path('bad/.bulkhead.yaml'), 'utf8'), 'yaml');
    await client.waitForVersion(cfg);
    const s = await status(client, cfg);
    assert.deepEqual([s.state, s.configFile, s.configProblemCount], ['config', ws.path('bad/.bulkhead.yaml'), 1]);
    assert.equal((await status(client, ws.uri('never/opened/Dockerfile'))).state, 'closed');
  });
});

describe('Restricted Mode: a workspace .bulkhead.yaml may only make the analysis stricter', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), (ws) => {
    ws.write('.bulkhead.yaml', 'rules:\n  no-root-user: off\n  pin-image-digest: warning\nignore: ["**"]\ncompose:\n  target: stack\n');
    return { capabilities: pushCapabilities(), settings: {}, rootUri: ws.uri(''), initializationOptions: { trusted: false } };
  });

  test('untrusted: off and ignore are not applied; switching on a strict-only rule is', async () => {
    const uri = ws.uri('Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    const p = await client.waitForVersion(uri, (d) => d.length === 2);
    assert.deepEqual(summary(p.diagnostics), [
      { code: 'pin-image-digest', severity: 2, range: range(0, 5, 0, 12) },
      { code: 'no-root-user', severity: 2, range: range(1, 5, 1, 9) },
    ]);
    const s = await status(client, uri);
    assert.deepEqual([s.trusted, s.state, s.ignoredByTrust], [false, 'analysed', ['rules.no-root-user', 'ignore', 'compose.target']]);
    assert.ok(client.log.some((l) => l === `${ws.dir}: config ${ws.path('.bulkhead.yaml')} — Restricted Mode ignores: rules.no-root-user, ignore, compose.target`), client.log.join('\n'));
  });

  test('granting trust applies the whole file (here: its ignore globs leave the Dockerfile out)', async () => {
    const uri = ws.uri('Dockerfile');
    await client.connection.sendNotification('bulkhead/didGrantTrust');
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 'no diagnostics once trusted');
    const s = await status(client, uri);
    assert.deepEqual([s.trusted, s.state, s.ignoredByTrust], [true, 'ignored', []]);
  });
});
