/**
 * Compose files and Kubernetes manifests over LSP (push client): diagnostics with exact
 * ranges for the language ids editors use, quick fixes and fix-all with exact text, and a
 * Compose file's diagnostics following the Dockerfile its service builds (cross-file).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { applyToDocument, pushCapabilities, TestClient } from './client';
import { range, TempWorkspace, serverPerSuite } from './workspace';
import { CATALOG_IDS } from '../../server/src/core/rule';

const SAFE = 'Set user: "10001:10001"';
const CAVEAT = 'Set user: "10001:10001" (the image may need to start as root)';
const POD_FIX = 'Run the pod as non-root: runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 (the image must work as uid 10001)';
const ignoreTitles = ['Ignore no-root-user on this line', 'Ignore no-root-user in this file', 'Show documentation for no-root-user'];

const COMPOSE = 'services:\n  web:\n    build: .\n  db:\n    image: postgres:16\n';
const COMPOSE_ROOT = 'services:\n  web:\n    image: nginx:1.27\n    user: root # for now\n';
const MANIFEST =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/web:1.27\n        - name: sidecar\n          image: busybox:1.36\n          securityContext:\n            runAsUser: 0\n';

/** The service builds app/Dockerfile (on disk, FROM node:20: runs as any uid), so its user: fix is preferred. */
const NO_USER_BUILD = "Service 'web' sets no user and its Dockerfile (Dockerfile) sets no USER, so it runs as root unless the base image 'node:20' sets one (unknown offline)";
/** postgres starts as root and steps down by itself (image table): an info, its fix not preferred. */
const NO_USER_DB = "Service 'db' starts as root: the image 'postgres:16' switches to user postgres by itself";
const DB_CAVEAT = 'Set user: "10001:10001" (postgres <= 17 starts as root and switches to postgres itself)';

/** This suite is about no-root-user; other rules may report on the same files. */
const own = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'no-root-user');
const view = (ds: Diagnostic[]) => own(ds).map((d) => ({ range: d.range, message: d.message, severity: d.severity, source: d.source }));

describe('YAML files over LSP (push client)', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), (ws) => {
    // Every other rule off, so fix-all results are exact whatever rules are added later.
    const rules = Object.fromEntries(CATALOG_IDS.filter((id) => id !== 'no-root-user').map((id) => [id, 'off']));
    return { capabilities: pushCapabilities(), rootUri: ws.uri(''), settings: { rules } };
  });

  describe("a compose file with languageId 'dockercompose'", () => {
    const uri = () => ws.uri('app/compose.yaml');
    let diags: Diagnostic[];
    before(async () => {
      ws.write('app/Dockerfile', 'FROM node:20\nCMD ["node"]\n');
      await client.open(uri(), COMPOSE, 'dockercompose');
      diags = own((await client.waitForVersion(uri(), (d) => own(d).length === 2, 'two no-root-user findings')).diagnostics);
    });

    test('no-root-user on each service key, exact ranges and messages', () => {
      assert.deepEqual(view(diags), [
        { range: range(1, 2, 1, 5), message: NO_USER_BUILD, severity: 2, source: 'bulkhead' },
        { range: range(3, 2, 3, 4), message: NO_USER_DB, severity: 3, source: 'bulkhead' },
      ]);
    });

    test('the build: service gets the preferred fix; applying it gives the exact text', async () => {
      const actions = await client.codeActions(uri(), [diags[0]], ['quickfix']);
      assert.deepEqual(
        actions.map((a) => [a.title, a.isPreferred ?? false]),
        [[SAFE, true], ...ignoreTitles.map((t) => [t, false])],
      );
      assert.deepEqual(
        actions.filter((a) => a.edit).map((a) => applyToDocument(a.edit, uri(), client.text(uri()))),
        [
          'services:\n  web:\n    build: .\n    user: "10001:10001"\n  db:\n    image: postgres:16\n',
          'services:\n  # bulkhead-ignore no-root-user\n  web:\n    build: .\n  db:\n    image: postgres:16\n',
          '# bulkhead-ignore-file no-root-user\nservices:\n  web:\n    build: .\n  db:\n    image: postgres:16\n',
        ],
      );
    });

    test('the image-only service gets a fix with a caveat, not preferred', async () => {
      const [fix] = await client.codeActions(uri(), [diags[1]], ['quickfix']);
      assert.equal(fix.title, DB_CAVEAT);
      assert.equal(fix.isPreferred, false);
      assert.equal(applyToDocument(fix.edit, uri(), client.text(uri())), 'services:\n  web:\n    build: .\n  db:\n    image: postgres:16\n    user: "10001:10001"\n');
    });

    test('fix-all applies only the preferred fix', async () => {
      const all = (await client.codeActions(uri(), diags, ['source.fixAll.bulkhead'])).filter((a) => a.kind === 'source.fixAll.bulkhead');
      assert.equal(all.length, 1);
      assert.equal(
        applyToDocument(all[0].edit, uri(), client.text(uri())),
        'services:\n  web:\n    build: .\n    user: "10001:10001"\n  db:\n    image: postgres:16\n',
        'the image-only service is left to the user',
      );
    });
  });

  test("a compose file with languageId 'yaml.docker-compose' (Neovim)", async () => {
    const uri = ws.uri('nvim/docker-compose.yml');
    await client.open(uri, COMPOSE_ROOT, 'yaml.docker-compose');
    const p = await client.waitForVersion(uri, (d) => own(d).length === 1, 'the no-root-user finding');
    assert.deepEqual(view(p.diagnostics), [{ range: range(3, 10, 3, 14), message: "Service 'web' runs as root (user: root)", severity: 2, source: 'bulkhead' }]);
    const [fix] = await client.codeActions(uri, own(p.diagnostics), ['quickfix']);
    assert.equal(fix.title, CAVEAT);
    assert.equal(applyToDocument(fix.edit, uri, COMPOSE_ROOT), 'services:\n  web:\n    image: nginx:1.27\n    user: "10001:10001" # for now\n');
  });

  describe("a manifest with languageId 'yaml'", () => {
    const uri = () => ws.uri('k8s/deploy.yaml');
    let diags: Diagnostic[];
    before(async () => {
      await client.open(uri(), MANIFEST, 'yaml');
      diags = own((await client.waitForVersion(uri(), (d) => own(d).length === 2, 'two no-root-user findings')).diagnostics);
    });

    test('one finding per container, exact ranges', () => {
      assert.deepEqual(view(diags), [
        {
          range: range(8, 16, 8, 19),
          message: "Container 'app' may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set (the image's USER is unknown offline)",
          severity: 2,
          source: 'bulkhead',
        },
        { range: range(13, 23, 13, 24), message: "Container 'sidecar' runs as root (runAsUser: 0)", severity: 2, source: 'bulkhead' },
      ]);
    });

    test('the pod-level fix: exact text, not preferred', async () => {
      const actions = await client.codeActions(uri(), [diags[0]], ['quickfix']);
      assert.deepEqual(
        actions.map((a) => [a.title, a.isPreferred ?? false]),
        [[POD_FIX, false], ...ignoreTitles.map((t) => [t, false])],
      );
      assert.equal(
        applyToDocument(actions[0].edit, uri(), client.text(uri())),
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/web:1.27\n        - name: sidecar\n          image: busybox:1.36\n          securityContext:\n            runAsUser: 0\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n        runAsGroup: 10001\n',
      );
      assert.equal(
        applyToDocument(actions[1].edit, uri(), client.text(uri())),
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        # bulkhead-ignore no-root-user\n        - name: app\n          image: ghcr.io/acme/web:1.27\n        - name: sidecar\n          image: busybox:1.36\n          securityContext:\n            runAsUser: 0\n',
      );
    });

    test('the explicit runAsUser: 0 is replaced', async () => {
      const [fix] = await client.codeActions(uri(), [diags[1]], ['quickfix']);
      assert.equal(fix.title, 'Set runAsUser: 10001 instead of 0 (the image must work as uid 10001)');
      assert.equal(applyToDocument(fix.edit, uri(), client.text(uri())), MANIFEST.replace('runAsUser: 0', 'runAsUser: 10001'));
    });

    test('after applying both fixes through didChange, the file is clean', async () => {
      const [podFix] = await client.codeActions(uri(), [diags[0]], ['quickfix']);
      await client.change(uri(), applyToDocument(podFix.edit, uri(), client.text(uri())));
      const p = await client.waitForVersion(uri());
      const left = own(p.diagnostics);
      assert.deepEqual(
        left.map((d) => d.range),
        [range(13, 23, 13, 24)],
        'the container-level runAsUser: 0 still overrides the pod',
      );
      const [replace] = await client.codeActions(uri(), left, ['quickfix']);
      await client.change(uri(), applyToDocument(replace.edit, uri(), client.text(uri())));
      assert.deepEqual(own((await client.waitForVersion(uri())).diagnostics), []);
    });
  });

  describe('cross-file: a compose service follows its Dockerfile', () => {
    const dockerfile = () => ws.uri('svc/Dockerfile');
    const compose = () => ws.uri('svc/compose.yaml');
    const TEXT = 'services:\n  web:\n    build: .\n';
    before(async () => {
      await client.open(dockerfile(), 'FROM node:20\nCMD ["node"]\n', 'dockerfile');
      await client.waitForVersion(dockerfile(), (d) => own(d).length === 1, "the Dockerfile's own finding");
      await client.open(compose(), TEXT, 'dockercompose');
    });

    test('the open Dockerfile without USER is named in the message', async () => {
      const p = await client.waitForVersion(compose(), (d) => own(d).length === 1);
      assert.deepEqual(view(p.diagnostics), [
        {
          range: range(1, 2, 1, 5),
          message: "Service 'web' sets no user and its Dockerfile (Dockerfile) sets no USER, so it runs as root unless the base image 'node:20' sets one (unknown offline)",
          severity: 2,
          source: 'bulkhead',
        },
      ]);
    });

    test('editing the Dockerfile to USER 1000 clears the service finding', async () => {
      await client.change(dockerfile(), 'FROM node:20\nUSER 1000\nCMD ["node"]\n');
      await client.waitForVersion(dockerfile(), (d) => own(d).length === 0);
      const p = await client.waitForDiagnostics(compose(), (x) => own(x.diagnostics).length === 0, 'the compose file republished without the finding');
      assert.equal(p.version, client.version(compose()), 'the compose document itself did not change');
    });

    test('editing the Dockerfile to USER root brings it back, saying why', async () => {
      await client.change(dockerfile(), 'FROM node:20\nUSER root\nCMD ["node"]\n');
      const p = await client.waitForDiagnostics(compose(), (x) => own(x.diagnostics).length === 1, 'the compose file republished with the finding');
      assert.deepEqual(view(p.diagnostics), [{ range: range(1, 2, 1, 5), message: "Service 'web' runs as root: its Dockerfile (Dockerfile) runs as root", severity: 2, source: 'bulkhead' }]);
    });
  });
});
