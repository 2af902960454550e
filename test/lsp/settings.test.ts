/**
 * Settings (workspace/configuration, section `bulkhead`) and .bulkhead.yaml files, open in
 * the editor or on disk.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FileChangeType } from 'vscode-languageserver-protocol/node';
import { applyToDocument, pushCapabilities, TestClient } from './client';
import { range, ROOT_DOCKERFILE, summary, TempWorkspace, serverPerSuite } from './workspace';

describe('settings from workspace/configuration', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), () => ({ capabilities: pushCapabilities(), settings: {} }));

  test('the server asks for the bulkhead section of the document', async () => {
    const uri = ws.uri('asks/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    await client.waitForVersion(uri, (d) => d.length === 1);
    const items = client.configurationRequests.flatMap((r) => r.items);
    assert.ok(
      items.some((i) => i.section === 'bulkhead' && i.scopeUri === uri),
      JSON.stringify(items),
    );
  });

  test('a rule turned off, then back on, then to error and info', async () => {
    const uri = ws.uri('rules/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    await client.waitForVersion(uri, (d) => d.length === 1);

    await client.changeConfiguration({ rules: { 'no-root-user': 'off' } });
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 'no diagnostics with the rule off');

    await client.changeConfiguration({});
    const back = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0, 'the finding back with {}');
    assert.deepEqual(summary(back.diagnostics), [{ code: 'no-root-user', severity: 2, range: range(1, 5, 1, 9) }]);

    for (const [setting, severity] of [
      ['error', 1],
      ['info', 3],
    ] as const) {
      await client.changeConfiguration({ rules: { 'no-root-user': setting } });
      const p = await client.waitForDiagnostics(uri, (x) => x.diagnostics[0]?.severity === severity, `severity ${severity} for '${setting}'`);
      assert.equal(p.diagnostics.length, 1);
    }
    await client.changeConfiguration({});
    await client.waitForDiagnostics(uri, (x) => x.diagnostics[0]?.severity === 2, 'severity back to warning');
  });

  test('defaultUser changes the fix title and text', async () => {
    const uri = ws.uri('user/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    const [d] = (await client.waitForVersion(uri, (ds) => ds.length === 1)).diagnostics;
    await client.changeConfiguration({ defaultUser: '2000:2000' });
    // The code action request follows the notification on the wire, so it sees the new settings.
    const [fix] = await client.codeActions(uri, [d], ['quickfix']);
    assert.equal(fix.title, 'Run as USER 2000:2000 (files the app needs must be readable by uid 2000)');
    assert.equal(applyToDocument(fix.edit, uri, ROOT_DOCKERFILE), 'FROM node:20\nUSER 2000:2000\nCMD ["node"]\n');
    const [all] = await client.codeActions(uri, [d], ['source.fixAll.bulkhead']);
    assert.equal(applyToDocument(all.edit, uri, ROOT_DOCKERFILE), 'FROM node:20\nUSER 2000:2000\nCMD ["node"]\n');
    await client.changeConfiguration({});
  });
});

describe('settings for a client without workspace/configuration', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), () => {
    const capabilities = pushCapabilities();
    capabilities.workspace!.configuration = false;
    return { capabilities, initializationOptions: { settings: { rules: { 'no-root-user': 'error' } } } };
  });

  test('initializationOptions.settings, then pushed didChangeConfiguration settings', async () => {
    const uri = ws.uri('Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    const p = await client.waitForVersion(uri, (d) => d.length === 1);
    assert.equal(p.diagnostics[0].severity, 1);
    await client.changeConfiguration({ rules: { 'no-root-user': 'off' } });
    await client.waitForDiagnostics(uri, (x) => x.diagnostics.length === 0, 'no diagnostics after pushed settings turn the rule off');
    assert.deepEqual(client.configurationRequests, [], 'the client did not advertise workspace/configuration');
  });
});

describe('.bulkhead.yaml', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), () => ({ capabilities: pushCapabilities() }));

  test('an open, invalid .bulkhead.yaml gets invalid-config on the bad value', async () => {
    const uri = ws.uri('editing/.bulkhead.yaml');
    await client.open(uri, 'rules:\n  no-root-user: loud\n', 'yaml');
    const p = await client.waitForVersion(uri, (d) => d.length > 0, 'invalid-config');
    assert.deepEqual(summary(p.diagnostics).map(({ code, range }) => ({ code, range })), [{ code: 'invalid-config', range: range(1, 16, 1, 20) }]);
    assert.equal(p.diagnostics[0].source, 'bulkhead');

    await client.change(uri, 'rules:\n  no-root-user: error\n');
    const fixed = await client.waitForVersion(uri);
    assert.deepEqual(fixed.diagnostics, []);
  });

  test('invalid-config ranges count UTF-16 code units', async () => {
    const uri = ws.uri('utf16/.bulkhead.yaml');
    // 🚀 is two UTF-16 code units: `loud` starts at 30, not 29.
    await client.open(uri, 'rules: {x🚀: off, no-root-user: loud}\n', 'yaml');
    const p = await client.waitForVersion(uri, (d) => d.length > 0);
    const ranges = p.diagnostics.map((d) => d.range);
    assert.ok(
      ranges.some((r) => JSON.stringify(r) === JSON.stringify(range(0, 32, 0, 36))),
      `no diagnostic on 'loud' (0:32-0:36): ${JSON.stringify(summary(p.diagnostics))}`,
    );
  });

  test('a .bulkhead.yaml on disk sets the severity; a watched-file change re-reads it; an open copy wins', async () => {
    ws.write('disk/.bulkhead.yaml', 'rules: {no-root-user: error}\n');
    const uri = ws.uri('disk/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    const p = await client.waitForVersion(uri, (d) => d.length === 1);
    assert.equal(p.diagnostics[0].severity, 1);

    const configUri = ws.write('disk/.bulkhead.yaml', 'rules: {no-root-user: info}\n');
    await client.changeWatchedFiles([{ uri: configUri, type: FileChangeType.Changed }]);
    await client.waitForDiagnostics(uri, (x) => x.diagnostics[0]?.severity === 3, 'severity info after the file changed on disk');

    await client.open(configUri, 'rules:\n  no-root-user: "off"\n', 'yaml');
    await client.waitForDiagnostics(uri, (x) => x.diagnostics.length === 0, 'no diagnostics while the open copy turns the rule off');
    await client.close(configUri);
  });

  test('the server registers a watcher for .bulkhead.yaml files', () => {
    const watchers = client.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.equal(watchers.length, 1, JSON.stringify(client.registrations));
  });
});
