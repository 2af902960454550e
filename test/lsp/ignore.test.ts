/** `.bulkhead.yaml` `ignore` globs leave files out in the editor as in the CLI. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pushCapabilities, TestClient } from './client';
import { ROOT_DOCKERFILE, TempWorkspace, serverPerSuite } from './workspace';

describe('ignore globs of .bulkhead.yaml', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), (ws) => {
    ws.write('.bulkhead.yaml', 'ignore:\n  - legacy/**\n');
    return { capabilities: pushCapabilities(), settings: {} };
  });

  test('a file under an ignored folder gets no diagnostics and no code actions', async () => {
    const ignored = ws.uri('legacy/Dockerfile');
    await client.open(ignored, ROOT_DOCKERFILE);
    const p = await client.waitForVersion(ignored, () => true);
    assert.deepEqual(p.diagnostics, []);
    const actions = await client.codeActions(ignored, [], ['source.fixAll.bulkhead']);
    assert.deepEqual(actions, []);
  });

  test('a file beside it is still analysed', async () => {
    const kept = ws.uri('app/Dockerfile');
    await client.open(kept, ROOT_DOCKERFILE);
    const p = await client.waitForVersion(kept, (d) => d.length > 0);
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['no-root-user']);
  });
});
