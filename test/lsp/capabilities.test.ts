/**
 * "Any LSP client" (CONTRACT.md): the server only uses what a client advertises. Server
 * → client requests are sent while the server handles the client's message that caused
 * them, so one later round trip proves a request was not sent.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pullCapabilities, pushCapabilities, TestClient } from './client';
import { ROOT_DOCKERFILE, TempWorkspace, serverPerSuite } from './workspace';

describe('a minimal client (no dynamic registration)', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), () => {
    const capabilities = pushCapabilities();
    delete capabilities.workspace!.didChangeWatchedFiles;
    delete capabilities.workspace!.didChangeConfiguration;
    return { capabilities };
  });

  test('still gets diagnostics', async () => {
    const uri = ws.uri('Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    await client.waitForVersion(uri, (d) => d.length === 1);
  });

  test(
    'gets no client/registerCapability for workspace/didChangeWatchedFiles',
    async () => {
      const uri = ws.uri('round-trip/Dockerfile');
      await client.open(uri, ROOT_DOCKERFILE);
      await client.waitForVersion(uri, (d) => d.length === 1);
      assert.deepEqual(
        client.registrations.map((r) => r.method),
        [],
      );
    },
  );
});

describe('a pull client without workspace.diagnostics.refreshSupport', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), () => ({ capabilities: pullCapabilities(false) }));

  test('pulls fresh results after a settings change', async () => {
    const uri = ws.uri('Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    await client.changeConfiguration({ rules: { 'no-root-user': 'off' } });
    const report = await client.pullDiagnostics(uri);
    assert.equal(report.kind, 'full');
    assert.deepEqual(report.kind === 'full' ? report.items : null, []);
    await client.changeConfiguration({});
  });

  test(
    'gets no workspace/diagnostic/refresh request',
    async () => {
      const uri = ws.uri('refresh/Dockerfile');
      await client.open(uri, ROOT_DOCKERFILE);
      await client.changeConfiguration({ rules: { 'no-root-user': 'error' } });
      await client.pullDiagnostics(uri);
      assert.deepEqual(client.refreshRequests, []);
    },
  );
});
