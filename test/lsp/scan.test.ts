/**
 * "Bulkhead: Scan workspace" (issue 18): the CLI's walk and ignores, progress, results for a
 * push client by publishDiagnostics and for a pull client by workspace/diagnostic (never
 * both), kept up to date as files change on disk, cleared for deleted files; the workspace
 * summary, worst container first.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { URI } from 'vscode-uri';
import {
  ExecuteCommandRequest,
  FileChangeType,
  WorkDoneProgress,
  WorkspaceDiagnosticRequest,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  type WorkspaceDiagnosticReport,
  type WorkspaceFullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { guard, pullCapabilities, TestClient } from './client';
import { TempWorkspace } from './workspace';

const FILES: Record<string, string> = {
  'compose.yaml': 'services:\n  api:\n    image: nginx:1.27\n',
  'k8s/deploy.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: app\n      image: example/app:1.0\n      securityContext: {privileged: true}\n',
  'Dockerfile': 'FROM node:20\nUSER root\n',
  'notes.yaml': 'title: not a container file\n',
  '.gitignore': 'generated/\n',
  'generated/Dockerfile': 'FROM node:20\nUSER root\n',
  '.bulkhead.yaml': 'ignore: ["vendor/**"]\n',
  'vendor/Dockerfile': 'FROM node:20\nUSER root\n',
  'node_modules/x/Dockerfile': 'FROM node:20\nUSER root\n',
};

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

function setUp(): TempWorkspace {
  const ws = new TempWorkspace();
  for (const [name, text] of Object.entries(FILES)) ws.write(name, text);
  return ws;
}

async function scan(client: TestClient, token: string): Promise<{ outcome: unknown; progress: Progress[] }> {
  const progress: Progress[] = [];
  const sub = client.connection.onProgress(WorkDoneProgress.type, token, (p) => {
    progress.push(p);
  });
  const outcome = await guard(client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'bulkhead.server.scanWorkspace', arguments: [], workDoneToken: token }), 'the scan');
  sub.dispose();
  return { outcome, progress };
}

const codes = (ds: { code?: unknown }[]) => ds.map((d) => d.code).join(',');

describe('scan workspace: push client', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  before(async () => {
    ws = setUp();
    client = await TestClient.start({ rootUri: URI.file(ws.dir).toString() });
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
  });

  test('walks as the CLI does, reports progress, publishes each file found', async () => {
    const { outcome, progress } = await scan(client, 'scan-push');
    assert.deepEqual(outcome, { files: 3, findings: 12, containers: 3, cancelled: false });
    assert.deepEqual(progress, [
      { kind: 'begin', title: 'Bulkhead: scanning the workspace', cancellable: true, message: 'finding files', percentage: 0 },
      // notes.yaml is read (a candidate name) and left out (not a container file)
      { kind: 'report', message: '1/4 Dockerfile', percentage: 25 },
      { kind: 'report', message: '2/4 compose.yaml', percentage: 50 },
      { kind: 'report', message: '3/4 k8s/deploy.yaml', percentage: 75 },
      { kind: 'report', message: '4/4 notes.yaml', percentage: 100 },
      { kind: 'end' },
    ]);
    assert.deepEqual([...client.publishes.keys()].sort(), ['Dockerfile', 'compose.yaml', 'k8s/deploy.yaml'].map((n) => ws.uri(n)).sort());
    assert.equal(codes(client.latest(ws.uri('Dockerfile'))!.diagnostics), 'no-root-user');
    assert.equal(codes(client.latest(ws.uri('k8s/deploy.yaml'))!.diagnostics), 'drop-capabilities,no-root-user,no-service-account-token,read-only-root-filesystem,resource-limits,no-privileged');
  });

  test('the server then watches container files', () => {
    const globs = client.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles').flatMap((r) => (r.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern));
    // the first registration (config files, and the files analyses read facts from), then the scan's
    const factFiles = ['**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*}', '**/{kustomization.yaml,kustomization.yml,Kustomization}', '**/{.env,*.env,.gitignore,.dockerignore}', '**/.git/{HEAD,info/exclude}', '**/{.secrets,secrets}/**', '**/*.{yaml,yml,json}'];
    assert.deepEqual(globs, ['**/.bulkhead.{yaml,yml}', ...factFiles, '**/*.{yaml,yml,json}', '**/{Dockerfile,Containerfile}', '**/{Dockerfile,Containerfile}.*', '**/*.{dockerfile,Dockerfile,containerfile}']);
  });

  test('a file changed on disk is analysed again', async () => {
    const uri = ws.write('Dockerfile', 'FROM node:20\nUSER 1000\n');
    await client.changeWatchedFiles([{ uri, type: FileChangeType.Changed }]);
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 'the fixed Dockerfile cleared');
  });

  test('a file created on disk is added', async () => {
    const uri = ws.write('web/Containerfile', 'FROM python:3.12\nUSER 0\n');
    await client.changeWatchedFiles([{ uri, type: FileChangeType.Created }]);
    const p = await client.waitForDiagnostics(uri, (x) => x.diagnostics.length > 0, 'the new file');
    assert.equal(codes(p.diagnostics), 'no-root-user');
  });

  test('a deleted file is cleared', async () => {
    const uri = ws.uri('k8s/deploy.yaml');
    fs.rmSync(ws.path('k8s/deploy.yaml'));
    await client.changeWatchedFiles([{ uri, type: FileChangeType.Deleted }]);
    await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, 'the deleted file cleared');
  });

  test('closing an editor shows what is on disk again', async () => {
    const uri = ws.uri('compose.yaml');
    await client.open(uri, 'services:\n  api:\n    image: nginx:1.27\n    read_only: true\n', 'dockercompose');
    await client.waitForVersion(uri);
    const before = client.publishes.get(uri)!.length;
    await client.close(uri);
    const p = await client.waitForDiagnostics(uri, (x) => client.publishes.get(uri)!.length > before + 1 && x.diagnostics.length > 0, 'the disk copy after close');
    assert.match(codes(p.diagnostics), /read-only-root-filesystem/);
  });

  test('the summary lists containers worst first', async () => {
    const summary = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'bulkhead.server.workspaceSummary', arguments: [] });
    const rows = (summary as { scanned: boolean; containers: { path: string; name: string; passed: number; total: number; failing: string[] }[] }).containers.map((r) => `${r.passed}/${r.total} ${r.path} ${r.name}: ${r.failing.join(' ')}`);
    assert.deepEqual(rows, ['6/11 compose.yaml api: non-root read-only caps no-new-privs limits', '5/6 web/Containerfile final stage: non-root', '6/6 Dockerfile final stage: ']);
    assert.equal((summary as { scanned: boolean }).scanned, true);
  });
});

describe('workspace/diagnostic before any scan', () => {
  test('a closed document gets an empty report (the client keeps closed documents\' diagnostics otherwise)', async () => {
    const ws = setUp();
    const client = await TestClient.start({ rootUri: URI.file(ws.dir).toString(), capabilities: pullCapabilities(true) });
    try {
      const uri = ws.uri('Dockerfile');
      await client.open(uri, FILES['Dockerfile']);
      const pending = client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
      await client.close(uri);
      const report = (await guard(pending, 'workspace/diagnostic after a close')) as WorkspaceDiagnosticReport;
      assert.deepEqual(report.items, [{ kind: 'full', uri, version: null, items: [] }]);
    } finally {
      await client.stop();
      ws.remove();
    }
  });
});

describe('scan workspace: pull client', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  before(async () => {
    ws = setUp();
    client = await TestClient.start({ rootUri: URI.file(ws.dir).toString(), capabilities: pullCapabilities(true) });
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
  });

  test('workspace/diagnostic waits for the scan, then has every file; nothing is published', async () => {
    const pending = client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    await scan(client, 'scan-pull');
    const report = (await guard(pending, 'workspace/diagnostic')) as WorkspaceDiagnosticReport;
    const items = report.items as WorkspaceFullDocumentDiagnosticReport[];
    assert.deepEqual(
      items.map((i) => [i.uri, i.kind, i.version, codes(i.items)]).sort(),
      [
        [ws.uri('Dockerfile'), 'full', null, 'no-root-user'],
        [ws.uri('compose.yaml'), 'full', null, 'drop-capabilities,no-privilege-escalation,no-root-user,read-only-root-filesystem,resource-limits'],
        [ws.uri('k8s/deploy.yaml'), 'full', null, 'drop-capabilities,no-root-user,no-service-account-token,read-only-root-filesystem,resource-limits,no-privileged'],
      ].sort(),
    );
    assert.deepEqual([...client.publishes.keys()], [], 'a pull client never gets publishDiagnostics');

    // with the result ids it has, the next pull waits for a change: a deleted file
    const next = client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: items.map((i) => ({ uri: i.uri, value: i.resultId! })) });
    fs.rmSync(ws.path('Dockerfile'));
    await client.changeWatchedFiles([{ uri: ws.uri('Dockerfile'), type: FileChangeType.Deleted }]);
    const cleared = (await guard(next, 'workspace/diagnostic after a delete')) as WorkspaceDiagnosticReport;
    assert.deepEqual(cleared.items, [{ kind: 'full', uri: ws.uri('Dockerfile'), version: null, items: [] }]);
    assert.deepEqual([...client.publishes.keys()], []);
  });
});
