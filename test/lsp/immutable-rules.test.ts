/**
 * read-only-root-filesystem and tmpfs-for-writable-paths through the real server: exact
 * diagnostics on a Compose file and a Deployment, the quick fixes (preferred only for an image
 * the table marks safe) with their exact text, and fix-all.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { CATALOG_IDS } from '../../server/src/core/rule';
import { applyToDocument, pushCapabilities, TestClient } from './client';
import { range, TempWorkspace, serverPerSuite } from './workspace';

const RULES = new Set(['read-only-root-filesystem', 'tmpfs-for-writable-paths']);

const COMPOSE = 'services:\n  web:\n    image: httpd:2.4\n  api:\n    image: example/api:2\n    read_only: true\n';
const WEB_FIXED = 'services:\n  web:\n    image: httpd:2.4\n    read_only: true\n    tmpfs:\n      - /tmp:size=64m\n      - /usr/local/apache2/logs:size=64m\n  api:\n    image: example/api:2\n    read_only: true\n';
const API_FIXED = 'services:\n  web:\n    image: httpd:2.4\n  api:\n    image: example/api:2\n    read_only: true\n    tmpfs:\n      - /tmp:size=64m\n';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            readOnlyRootFilesystem: false # TODO
`;

const mine = (ds: Diagnostic[]) =>
  ds.filter((d) => RULES.has(String(d.code))).map((d) => ({ code: String(d.code), severity: d.severity, range: d.range, message: d.message }));

describe('immutable-container rules, push client', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), (ws) => {
    // every other rule off: fix-all then changes only what these rules fix
    const rules = Object.fromEntries(CATALOG_IDS.filter((id) => !RULES.has(id)).map((id) => [id, 'off']));
    return { capabilities: pushCapabilities(), rootUri: ws.uri(''), settings: { rules } };
  });

  test('Compose: exact diagnostics; the read-only fix is preferred for httpd, the /tmp fix offered for an unknown image', async () => {
    const uri = ws.uri('compose.yaml');
    await client.open(uri, COMPOSE, 'dockercompose');
    const p = await client.waitForVersion(uri, (ds) => mine(ds).length === 2, 'the two findings');
    assert.deepEqual(mine(p.diagnostics), [
      { code: 'read-only-root-filesystem', severity: 2, range: range(1, 2, 1, 5), message: "Service 'web' has a writable root filesystem (no read_only: true): a compromised process can change the image's files (writable mounts today: nothing; the fix adds tmpfs at /tmp, /usr/local/apache2/logs)" },
      { code: 'tmpfs-for-writable-paths', severity: 3, range: range(3, 2, 3, 5), message: "Service 'api' has a read-only root filesystem and nothing writable at /tmp (writable today: nothing; the fix adds tmpfs at /tmp)" },
    ]);
    const [ro, tmpfs] = p.diagnostics.filter((d) => RULES.has(String(d.code)));
    const a1 = await client.codeActions(uri, [ro], ['quickfix']);
    assert.deepEqual(a1.map((a) => [a.title, a.isPreferred === true]).slice(0, 1), [['Set read_only: true, tmpfs at /tmp, /usr/local/apache2/logs', true]]);
    assert.equal(applyToDocument(a1[0].edit, uri, client.text(uri)), WEB_FIXED);
    const a2 = await client.codeActions(uri, [tmpfs], ['quickfix']);
    assert.deepEqual(a2.map((a) => [a.title, a.isPreferred === true]).slice(0, 1), [['Add tmpfs at /tmp (the image is not in the table: the app may need more writable paths)', false]]);
    assert.equal(applyToDocument(a2[0].edit, uri, client.text(uri)), API_FIXED);
  });

  test('Kubernetes: an explicit false on its value; fix-all merges the securityContext and adds the emptyDirs, comment kept', async () => {
    const uri = ws.uri('deploy.yaml');
    await client.open(uri, DEPLOY, 'yaml');
    const p = await client.waitForVersion(uri, (ds) => mine(ds).length === 1, 'the finding');
    assert.deepEqual(mine(p.diagnostics), [
      { code: 'read-only-root-filesystem', severity: 2, range: range(11, 36, 11, 41), message: "Container 'web' sets readOnlyRootFilesystem: false: a compromised process can change the image's files (writable mounts today: nothing; the fix adds emptyDir at /tmp, /var/cache/nginx, /var/run)" },
    ]);
    const all = (await client.codeActions(uri, p.diagnostics, ['source.fixAll.bulkhead'])).filter((a) => a.kind === 'source.fixAll.bulkhead');
    assert.equal(all.length, 1);
    const text = applyToDocument(all[0].edit, uri, client.text(uri));
    assert.equal(
      text,
      DEPLOY.replace('false # TODO\n', 'true # TODO\n') +
        '          volumeMounts:\n            - name: tmp\n              mountPath: /tmp\n            - name: var-cache-nginx\n              mountPath: /var/cache/nginx\n            - name: var-run\n              mountPath: /var/run\n' +
        '      volumes:\n        - name: tmp\n          emptyDir:\n            sizeLimit: 64Mi\n        - name: var-cache-nginx\n          emptyDir:\n            sizeLimit: 64Mi\n        - name: var-run\n          emptyDir:\n            sizeLimit: 64Mi\n',
    );
    await client.change(uri, text);
    const after = await client.waitForVersion(uri);
    assert.deepEqual(mine(after.diagnostics), []);
  });

  test("Compose build: the workspace Dockerfile's VOLUME /tmp is writable (no /tmp finding, no tmpfs over it)", async () => {
    ws.write('built/Dockerfile', 'FROM node:20 AS base\nVOLUME /tmp\nFROM base\nVOLUME /srv/uploads\n');
    const uri = ws.uri('built/compose.yaml');
    await client.open(uri, 'services:\n  app:\n    build: .\n  ro:\n    build: .\n    read_only: true\n', 'dockercompose');
    const p = await client.waitForVersion(uri, (ds) => mine(ds).length === 1, 'the finding');
    assert.deepEqual(mine(p.diagnostics), [
      { code: 'read-only-root-filesystem', severity: 2, range: range(1, 2, 1, 5), message: "Service 'app' has a writable root filesystem (no read_only: true): a compromised process can change the image's files (writable mounts today: /tmp (VOLUME), /srv/uploads (VOLUME))" },
    ]);
    const a = await client.codeActions(uri, p.diagnostics.filter((d) => RULES.has(String(d.code))), ['quickfix']);
    assert.deepEqual(a.map((x) => [x.title, x.isPreferred === true]).slice(0, 1), [['Set read_only: true (the image is not in the table: the app may need more writable paths)', false]]);
  });
});
