/**
 * no-root-user through the server (issue 15): the USER fix is the preferred quick fix, and part
 * of fix-all, only when it is known not to break the image. On nginx, or when the entrypoint
 * script on disk switches user with gosu, it is offered without isPreferred and fix-all leaves
 * the file alone; the finding is an info there.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyWorkspaceEdit, pushCapabilities, TestClient } from './client';
import { TempWorkspace, serverPerSuite } from './workspace';

const SAFE = 'FROM node:20\nCOPY . /app\nCMD ["node", "/app/server.js"]\n';
const NGINX = 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n';
const GOSU = 'FROM node:20\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["node", "server.js"]\n';
const FIX = 'Run as USER 10001:10001 (files the app needs must be readable by uid 10001)';

describe('no-root-user: isPreferred only when the USER fix is known safe', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), (ws) => {
    ws.write('gosu/entrypoint.sh', '#!/bin/sh\nchown -R node /app/data\nexec gosu node "$@"\n');
    return { capabilities: pushCapabilities(), rootUri: ws.uri('') };
  });

  async function rootActions(name: string, text: string) {
    const uri = ws.write(name, text);
    await client.open(uri, text, 'dockerfile');
    const p = await client.waitForVersion(uri, (ds) => ds.some((d) => d.code === 'no-root-user'), 'the no-root-user finding');
    const d = p.diagnostics.find((x) => x.code === 'no-root-user')!;
    const quick = await client.codeActions(uri, [d], ['quickfix']);
    const all = await client.codeActions(uri, p.diagnostics, ['source.fixAll.bulkhead']);
    const fixed = all.length ? applyWorkspaceEdit(all[0].edit!, (u) => (u === uri ? client.text(uri) : undefined)).texts.get(uri) : undefined;
    return { severity: d.severity, message: d.message, quick: quick.slice(0, 1).map((a) => [a.title, a.isPreferred === true]), fixed };
  }

  test('node (runs as any uid): warning, preferred, fix-all inserts the USER', async () => {
    const r = await rootActions('safe/Dockerfile', SAFE);
    assert.deepEqual([r.severity, r.quick], [2, [[FIX, true]]]);
    assert.equal(r.fixed, 'FROM node:20\nCOPY . /app\nUSER 10001:10001\nCMD ["node", "/app/server.js"]\n');
  });

  test('nginx: info, not preferred, the title says why; fix-all changes nothing', async () => {
    const r = await rootActions('nginx/Dockerfile', NGINX);
    assert.deepEqual([r.severity, r.message, r.quick], [
      3,
      "The final stage starts as root: the base image 'nginx:1.27' switches to user nginx by itself",
      [['Run as USER 10001:10001 (files the app needs must be readable by uid 10001; nginx starts as root and switches to nginx itself)', false]],
    ]);
    assert.notEqual(r.fixed, 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html\nUSER 10001:10001\n');
    assert.ok(r.fixed === undefined || r.fixed === NGINX, String(r.fixed));
  });

  test('an entrypoint script beside the Dockerfile that runs gosu: info, not preferred', async () => {
    const r = await rootActions('gosu/Dockerfile', GOSU);
    assert.deepEqual([r.severity, r.message, r.quick], [
      3,
      'The final stage starts as root: its entrypoint entrypoint.sh switches user with gosu (line 3)',
      [['Run as USER 10001:10001 (files the app needs must be readable by uid 10001; its entrypoint entrypoint.sh switches user with gosu)', false]],
    ]);
    assert.ok(r.fixed === undefined || !r.fixed.includes('USER 10001'), String(r.fixed));
  });
});
