/**
 * A pull client (textDocument.diagnostic): the server advertises a diagnostic provider,
 * answers textDocument/diagnostic, and never also pushes to that client (CONTRACT.md).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { pullCapabilities, TestClient } from './client';
import { range, ROOT_DOCKERFILE, ROOT_MESSAGE, summary, TempWorkspace, serverPerSuite } from './workspace';

function nonEmptyPublishes(client: TestClient): string[] {
  return [...client.publishes].filter(([, list]) => list.some((p) => p.diagnostics.length > 0)).map(([uri]) => uri);
}

describe('pull client', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), () => ({ capabilities: pullCapabilities(true) }));

  test('the server advertises diagnosticProvider', () => {
    const provider = client.initializeResult.capabilities.diagnosticProvider;
    assert.ok(provider, 'diagnosticProvider missing');
    assert.equal(provider.workspaceDiagnostics, true);
  });

  test('textDocument/diagnostic returns the finding; nothing is pushed', async () => {
    const uri = ws.uri('Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    const report = (await client.pullDiagnostics(uri)) as FullDocumentDiagnosticReport;
    assert.equal(report.kind, 'full');
    assert.deepEqual(summary(report.items), [{ code: 'no-root-user', severity: 2, range: range(1, 5, 1, 9) }]);
    assert.equal(report.items[0].message, ROOT_MESSAGE);
    assert.equal(report.items[0].source, 'bulkhead');

    await client.changeRange(uri, range(1, 5, 1, 9), '1000');
    const cleared = (await client.pullDiagnostics(uri)) as FullDocumentDiagnosticReport;
    assert.equal(cleared.kind, 'full');
    assert.deepEqual(cleared.items, []);
    await client.changeRange(uri, range(1, 5, 1, 9), 'root');
    const again = (await client.pullDiagnostics(uri)) as FullDocumentDiagnosticReport;
    assert.equal(again.items.length, 1);
    // The server handles each message in its own turn of the event loop. Once the settings
    // are fetched (the first pull), a push caused by a change would be written before the
    // answer to the next request; this round trip comes after three of them.
    await client.codeActions(uri, again.items, ['quickfix']);
    assert.deepEqual(nonEmptyPublishes(client), [], 'a pull client must not also get publishDiagnostics');
  });

  test('a closed or unknown document pulls an empty full report', async () => {
    const report = (await client.pullDiagnostics(ws.uri('never-opened/Dockerfile'))) as FullDocumentDiagnosticReport;
    assert.equal(report.kind, 'full');
    assert.deepEqual(report.items, []);
  });

  test('a settings change asks the client to refresh, and the next pull honours it', async () => {
    const uri = ws.uri('refresh/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    assert.equal(((await client.pullDiagnostics(uri)) as FullDocumentDiagnosticReport).items.length, 1);
    const refreshed = client.waitForRefresh();
    await client.changeConfiguration({ rules: { 'no-root-user': 'error' } });
    await refreshed;
    const report = (await client.pullDiagnostics(uri)) as FullDocumentDiagnosticReport;
    assert.deepEqual(summary(report.items), [{ code: 'no-root-user', severity: 1, range: range(1, 5, 1, 9) }]);
    await client.changeConfiguration({});
    assert.deepEqual(nonEmptyPublishes(client), []);
  });
});
