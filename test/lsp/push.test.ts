/**
 * A push client (no textDocument.diagnostic capability): diagnostics arrive as
 * publishDiagnostics, code actions fix or ignore them, fix-all returns versioned edits.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { applyToDocument, applyWorkspaceEdit, pushCapabilities, TestClient } from './client';
import { FIX_TITLE, FIXED_DOCKERFILE, range, ROOT_DOCKERFILE, ROOT_MESSAGE, summary, TempWorkspace, serverPerSuite } from './workspace';

const IGNORED_LINE = 'FROM node:20\n# bulkhead-ignore no-root-user\nUSER root\nCMD ["node"]\n';
const IGNORED_FILE = '# bulkhead-ignore-file no-root-user\nFROM node:20\nUSER root\nCMD ["node"]\n';
const QUICK_FIX_TITLES = [FIX_TITLE, 'Ignore no-root-user on this line', 'Ignore no-root-user in this file', 'Show documentation for no-root-user'];

describe('push client (documentChanges)', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), (ws) => ({ capabilities: pushCapabilities(), rootUri: ws.uri('') }));

  test('initialize: incremental sync, quickfix and fix-all actions, no pull provider', () => {
    const caps = client.initializeResult.capabilities;
    assert.equal(typeof caps.textDocumentSync === 'object' ? caps.textDocumentSync.change : caps.textDocumentSync, 2);
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.bulkhead', 'quickfix.bulkhead.harden'] });
    assert.equal(caps.diagnosticProvider, undefined);
  });

  test('didOpen publishes the finding; an incremental change clears it', async () => {
    const uri = ws.uri('one/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE, 'dockerfile');
    const p = await client.waitForVersion(uri, (d) => d.length > 0, 'the no-root-user finding');
    assert.equal(p.diagnostics.length, 1, JSON.stringify(summary(p.diagnostics)));
    const d = p.diagnostics[0];
    assert.equal(d.code, 'no-root-user');
    assert.equal(d.source, 'bulkhead');
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, range(1, 5, 1, 9));
    assert.equal(d.message, ROOT_MESSAGE);
    // the page installed beside the server (works offline), never a guessed web address
    assert.deepEqual(d.codeDescription, { href: pathToFileURL(path.resolve(__dirname, '..', '..', '..', 'docs', 'rules', 'no-root-user.md')).href });

    const v = await client.changeRange(uri, range(1, 5, 1, 9), '1000');
    assert.equal(client.text(uri), 'FROM node:20\nUSER 1000\nCMD ["node"]\n');
    const cleared = await client.waitForVersion(uri, () => true);
    assert.equal(cleared.version, v);
    assert.deepEqual(cleared.diagnostics, []);
  });

  describe('code actions', () => {
    const uri = () => ws.uri('two/Dockerfile');
    let d: Diagnostic;
    before(async () => {
      await client.open(uri(), ROOT_DOCKERFILE);
      d = (await client.waitForVersion(uri(), (ds) => ds.length === 1)).diagnostics[0];
    });

    test('quick fixes: the fix (preferred), ignore on this line, ignore in this file, each exact', async () => {
      const actions = await client.codeActions(uri(), [d], ['quickfix']);
      assert.deepEqual(
        actions.map((a) => a.title),
        QUICK_FIX_TITLES,
      );
      assert.equal(actions[0].isPreferred, true);
      for (const a of actions) {
        assert.equal(a.kind, 'quickfix');
        assert.deepEqual(a.diagnostics, [d]);
      }
      for (const a of actions.slice(0, 3)) assert.equal(a.command, undefined, 'fixes are edits, not commands');
      const results = actions.slice(0, 3).map((a) => applyToDocument(a.edit, uri(), client.text(uri())));
      assert.deepEqual(results, [FIXED_DOCKERFILE, IGNORED_LINE, IGNORED_FILE]);
      // the last one runs the client's command with the rule id, and edits nothing
      assert.deepEqual(actions[3], {
        title: 'Show documentation for no-root-user',
        kind: 'quickfix',
        diagnostics: [d],
        command: { title: 'Show documentation for no-root-user', command: 'bulkhead.showDocumentation', arguments: ['no-root-user'] },
      });
    });

    test('quick fix edits are versioned document edits for a documentChanges client', async () => {
      const [fix] = await client.codeActions(uri(), [d], ['quickfix']);
      const applied = applyWorkspaceEdit(fix.edit!, (u) => (u === uri() ? client.text(uri()) : undefined));
      assert.equal(applied.form, 'documentChanges');
      assert.deepEqual([...applied.versions], [[uri(), client.version(uri())]]);
      assert.deepEqual(applied.operations, []);
    });

    test('a diagnostic without data (clients that drop it) still gets its actions', async () => {
      const bare: Diagnostic = { ...d };
      delete bare.data;
      const actions = await client.codeActions(uri(), [bare], ['quickfix']);
      assert.deepEqual(
        actions.map((a) => a.title),
        QUICK_FIX_TITLES,
      );
    });

    test('no `only`: quick fixes only, no fix-all', async () => {
      const actions = await client.codeActions(uri(), [d]);
      assert.deepEqual(
        actions.map((a) => a.kind),
        ['quickfix', 'quickfix', 'quickfix', 'quickfix'],
      );
    });

    test('a foreign diagnostic gets no actions', async () => {
      const actions = await client.codeActions(uri(), [{ ...d, source: 'hadolint', code: 'DL3002', data: undefined }], ['quickfix']);
      assert.deepEqual(actions, []);
    });

    test('fixAll: one source.fixAll.bulkhead action, versioned, giving the fixed text', async () => {
      const v = await client.change(uri(), ROOT_DOCKERFILE.replace('node:20', 'node:22'));
      const p = await client.waitForVersion(uri(), (ds) => ds.length === 1);
      const actions = await client.codeActions(uri(), p.diagnostics, ['source.fixAll.bulkhead']);
      assert.equal(actions.length, 1, JSON.stringify(actions));
      const [all] = actions;
      assert.equal(all.kind, 'source.fixAll.bulkhead');
      const applied = applyWorkspaceEdit(all.edit!, (u) => (u === uri() ? client.text(uri()) : undefined));
      assert.equal(applied.form, 'documentChanges');
      assert.deepEqual([...applied.versions], [[uri(), v]]);
      assert.equal(applied.texts.get(uri()), FIXED_DOCKERFILE.replace('node:20', 'node:22'));
    });

    test('fixAll is found by the parent kinds source.fixAll and source, without quick fixes', async () => {
      for (const only of [['source.fixAll'], ['source']]) {
        const actions = await client.codeActions(uri(), [], only);
        assert.deepEqual(
          actions.map((a) => a.kind),
          ['source.fixAll.bulkhead'],
          `only: ${only}`,
        );
      }
    });

    test('the ignored texts are silent', async () => {
      for (const text of [IGNORED_LINE, IGNORED_FILE]) {
        await client.change(uri(), text);
        const p = await client.waitForVersion(uri());
        assert.deepEqual(summary(p.diagnostics), [], text);
      }
    });

    test('fixAll on a clean file offers nothing', async () => {
      await client.change(uri(), FIXED_DOCKERFILE);
      await client.waitForVersion(uri(), (ds) => ds.length === 0);
      assert.deepEqual(await client.codeActions(uri(), [], ['source.fixAll.bulkhead']), []);
    });
  });

  test('didClose clears the published diagnostics', async () => {
    const uri = ws.uri('three/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    await client.waitForVersion(uri, (d) => d.length === 1);
    await client.close(uri);
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 'the empty publish after didClose');
  });

  test('round trip didChange → publishDiagnostics (informational)', async (t) => {
    const uri = ws.uri('timing/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    await client.waitForVersion(uri, (d) => d.length === 1);
    const times: number[] = [];
    for (let i = 0; i < 41; i++) {
      const start = performance.now();
      const v = await client.changeRange(uri, range(1, 5, 1, 9), i % 2 === 0 ? '1000' : 'root');
      const p = await client.waitForDiagnostics(uri, (x) => x.version === v);
      assert.equal(p.diagnostics.length, i % 2 === 0 ? 0 : 1);
      times.push(p.receivedAt - start);
    }
    times.sort((a, b) => a - b);
    t.diagnostic(`didChange→publishDiagnostics: median ${times[times.length >> 1].toFixed(2)} ms, min ${times[0].toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms over ${times.length}`);
  });
});

describe('push client without documentChanges', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), () => ({ capabilities: pushCapabilities({ documentChanges: false, resourceOperations: [] }) }));

  test('quick fixes and fix-all come as `changes`', async () => {
    const uri = ws.uri('Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    const [d] = (await client.waitForVersion(uri, (ds) => ds.length === 1)).diagnostics;
    const actions = await client.codeActions(uri, [d], ['quickfix']);
    assert.deepEqual(
      actions.map((a) => a.title),
      QUICK_FIX_TITLES,
    );
    const edits = actions.slice(0, 3);
    for (const a of edits) {
      assert.equal(a.edit?.documentChanges, undefined, a.title);
      assert.deepEqual(Object.keys(a.edit?.changes ?? {}), [uri], a.title);
    }
    assert.deepEqual(
      edits.map((a) => applyToDocument(a.edit, uri, ROOT_DOCKERFILE)),
      [FIXED_DOCKERFILE, IGNORED_LINE, IGNORED_FILE],
    );
    const [all] = await client.codeActions(uri, [d], ['source.fixAll.bulkhead']);
    assert.equal(all?.edit?.documentChanges, undefined);
    assert.deepEqual(Object.keys(all?.edit?.changes ?? {}), [uri]);
    assert.equal(applyToDocument(all.edit, uri, ROOT_DOCKERFILE), FIXED_DOCKERFILE);
  });
});
