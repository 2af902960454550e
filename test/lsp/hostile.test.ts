/**
 * The server on a repository crafted against it (issue 11 items 1 and 9): it reads only
 * regular files inside the workspace folder (else the document's folder), never waits on a
 * FIFO or reads a device, still answers `shutdown`; honours $/cancelRequest; logs one
 * settings change once, not once per document.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { CancellationTokenSource, CodeActionRequest, DocumentDiagnosticRequest, ShutdownRequest, type ResponseError } from 'vscode-languageserver-protocol/node';
import { guard, pullCapabilities, pushCapabilities, TestClient } from './client';
import { ROOT_DOCKERFILE, TempWorkspace, serverPerSuite } from './workspace';

const NON_ROOT = 'FROM node:20\nUSER 1000\n';
const BUILD_HERE = 'services:\n  web:\n    build: .\n';

function mkfifo(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('mkfifo', [file]);
}

/** Rules these tests are about (whether a file was read shows in them); other rules come and go. */
const WATCHED = new Set(['no-root-user', 'no-hardcoded-secrets', 'invalid-yaml', 'invalid-dockerfile']);
const codes = (ds: { code?: unknown }[]) => ds.map((d) => d.code).filter((c) => WATCHED.has(String(c)));

describe('lsp: reads only regular files inside the workspace folder', () => {
  let client: TestClient;
  let base: TempWorkspace;
  const root = () => base.path('ws');
  const uri = (rel: string) => URI.file(path.join(root(), rel)).toString();

  before(async () => {
    base = new TempWorkspace();
    base.write('outside/Dockerfile', NON_ROOT);
    base.write('ws/Dockerfile', NON_ROOT);
    mkfifo(base.path('ws/fifo/Dockerfile'));
    mkfifo(base.path('ws/fifo/.gitignore'));
    mkfifo(base.path('ws/fifo/.env'));
    mkfifo(base.path('ws/kustomize/kustomization.yaml'));
    fs.mkdirSync(base.path('ws/zero'));
    fs.symlinkSync('/dev/zero', base.path('ws/zero/Dockerfile'));
    client = await TestClient.start({ capabilities: pushCapabilities(), rootUri: URI.file(root()).toString(), settings: {} });
  });
  after(async () => {
    await client?.stop();
    base?.remove();
  });

  test('a FIFO Dockerfile, .gitignore and .env beside compose.yaml are not waited on', async () => {
    const compose = uri('fifo/compose.yaml');
    await client.open(compose, 'services:\n  web:\n    build: .\n    environment:\n      DB_PASSWORD: "Zx9kq2LmP0vR7tYw"\n', 'dockercompose');
    const p = await client.waitForVersion(compose);
    assert.deepEqual(codes(p.diagnostics), ['no-root-user', 'no-hardcoded-secrets']);
  });

  test('a FIFO kustomization.yaml beside a manifest is not waited on', async () => {
    const manifest = uri('kustomize/pod.yaml');
    await client.open(manifest, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: node:20\n', 'yaml');
    const p = await client.waitForVersion(manifest);
    assert.deepEqual(codes(p.diagnostics), ['no-root-user']);
  });

  test('Dockerfile -> /dev/zero beside compose.yaml with build: . is not read', async () => {
    const compose = uri('zero/compose.yaml');
    await client.open(compose, BUILD_HERE, 'dockercompose');
    const p = await client.waitForVersion(compose);
    assert.deepEqual(codes(p.diagnostics), ['no-root-user']);
  });

  test('build.context leaving the workspace folder is not read; `..` inside it is', async () => {
    const out = uri('app/out.yaml');
    const up = uri('app/up.yaml');
    await client.open(out, 'services:\n  web:\n    build:\n      context: ../../outside\n', 'dockercompose');
    await client.open(up, 'services:\n  web:\n    build:\n      context: ..\n', 'dockercompose');
    assert.deepEqual(codes((await client.waitForVersion(out)).diagnostics), ['no-root-user'], 'outside the workspace: unknown user');
    assert.deepEqual(codes((await client.waitForVersion(up)).diagnostics), [], 'the Dockerfile above, inside the workspace, was read');
  });

  test('secret fixes are not offered through a FIFO .gitignore or a .env link out of the workspace', async () => {
    base.write('outside/.env', 'KEEP=1\n');
    fs.mkdirSync(base.path('ws/envlink'));
    fs.symlinkSync('../../outside/.env', base.path('ws/envlink/.env'));
    const text = 'services:\n  web:\n    image: node:20\n    user: "1000"\n    environment:\n      DB_PASSWORD: "Zx9kq2LmP0vR7tYw"\n';
    const sideFileEdits = async (folder: string, sideFile: string): Promise<string[]> => {
      const compose = uri(`${folder}/secrets.yaml`);
      await client.open(compose, text, 'dockercompose');
      const p = await client.waitForVersion(compose);
      assert.deepEqual(codes(p.diagnostics), ['no-hardcoded-secrets'], folder);
      const actions = await client.codeActions(compose, p.diagnostics);
      assert.ok(actions.length > 0, 'the ignore actions are still offered');
      const touched = actions.flatMap((a) => (a.edit?.documentChanges ?? []).map((c) => ('textDocument' in c ? c.textDocument.uri : 'uri' in c ? c.uri : '')));
      return touched.filter((u) => u === uri(`${folder}/${sideFile}`));
    };
    // beside it, in a plain folder, the fix does write both side files
    assert.ok((await sideFileEdits('plain', '.gitignore')).length > 0, 'the fix edits .gitignore in a plain folder');
    assert.ok((await sideFileEdits('plain', '.env')).length > 0, 'the fix edits .env in a plain folder');
    assert.deepEqual(await sideFileEdits('fifo', '.gitignore'), [], 'no edit of a FIFO .gitignore');
    assert.deepEqual(await sideFileEdits('envlink', '.env'), [], 'no edit of .env through a link out of the workspace');
    assert.equal(fs.readFileSync(base.path('outside/.env'), 'utf8'), 'KEEP=1\n');
  });

  test('the server still answers shutdown', async () => {
    const r = await guard(client.connection.sendRequest(ShutdownRequest.type), 'the shutdown response');
    assert.equal(r ?? null, null);
  });
});

describe('lsp: without a workspace folder the document folder is the root', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), (ws) => {
    ws.write('Dockerfile', NON_ROOT);
    return { capabilities: pushCapabilities(), rootUri: null, settings: {} };
  });

  test('build.context: .. is not read', async () => {
    const up = ws.uri('app/compose.yaml');
    await client.open(up, 'services:\n  web:\n    build:\n      context: ..\n', 'dockercompose');
    assert.deepEqual(codes((await client.waitForVersion(up)).diagnostics), ['no-root-user']);
  });
});

describe('lsp: $/cancelRequest', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)), () => ({ capabilities: pullCapabilities(), settings: {} }));

  /** Sends a request that waits on workspace/configuration, cancels it meanwhile, then lets the answer through. */
  async function cancelWhileWaiting<T>(send: (token: CancellationTokenSource['token']) => Promise<T>): Promise<T> {
    const hold = client.holdConfiguration();
    const source = new CancellationTokenSource();
    const pending = send(source.token);
    await hold.asked; // the handler is running and waits for the settings
    source.cancel(); // $/cancelRequest goes out before the configuration answer
    hold.release();
    return guard(pending, 'the cancelled request to end');
  }

  const isCancelled = (e: unknown) => {
    assert.equal((e as ResponseError).code, -32800, `RequestCancelled, not ${JSON.stringify(e)}`);
    return true;
  };

  test('a code action request cancelled while it runs answers RequestCancelled', async () => {
    const uri = ws.uri('a/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    const r = { start: { line: 1, character: 0 }, end: { line: 1, character: 9 } };
    await assert.rejects(
      cancelWhileWaiting((token) => client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: r, context: { diagnostics: [], only: ['source.fixAll.bulkhead'] } }, token)),
      isCancelled,
    );
    // the server goes on: the same request, not cancelled, is answered
    const actions = await client.codeActions(uri, [], ['source.fixAll.bulkhead'], r);
    assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.bulkhead']);
  });

  test('a pull diagnostics request cancelled while it runs answers RequestCancelled, and the client may pull again', async () => {
    const uri = ws.uri('b/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    await assert.rejects(
      cancelWhileWaiting((token) => client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }, token)),
      (e: unknown) => {
        isCancelled(e);
        // { retriggerRequest: false } would tell VS Code to drop the re-pull it scheduled when a
        // workspace/diagnostic/refresh cancelled this request
        assert.deepEqual((e as ResponseError).data, { retriggerRequest: true });
        return true;
      },
    );
    const report = await client.pullDiagnostics(uri);
    assert.deepEqual(report.kind === 'full' ? codes(report.items) : report, ['no-root-user']);
  });
});

describe('lsp: one settings change logs its problems once', () => {
  const variants: [string, () => ReturnType<typeof pushCapabilities>][] = [
    ['settings pulled per document (workspace/configuration)', () => pushCapabilities()],
    ['settings pushed (no workspace/configuration)', () => {
      const caps = pushCapabilities();
      caps.workspace = { ...caps.workspace, configuration: false };
      return caps;
    }],
  ];
  for (const [name, capabilities] of variants) {
    test(`${name}: 30 bad entries, 20 open documents, an edit each: one message, not hundreds`, async (t) => {
      const ws = new TempWorkspace();
      const client = await TestClient.start({ capabilities: capabilities(), settings: {} });
      t.after(async () => {
        await client.stop();
        ws.remove();
      });
      const uris: string[] = [];
      for (let i = 0; i < 20; i++) {
        const uri = ws.uri(`s${i}/Dockerfile`);
        uris.push(uri);
        await client.open(uri, ROOT_DOCKERFILE);
      }
      for (const uri of uris) await client.waitForVersion(uri, (d) => codes(d).length === 1);
      const rules: Record<string, string> = { 'no-root-user': 'off' };
      for (let i = 0; i < 30; i++) rules[`x${i}`] = 'off';
      await client.changeConfiguration({ rules });
      for (const uri of uris) await client.waitForDiagnostics(uri, (p) => codes(p.diagnostics).length === 0, 'no-root-user switched off');
      // every document analysed again after an edit: still nothing new in the log
      for (const uri of uris) {
        await client.change(uri, `${ROOT_DOCKERFILE}# edited\n`);
        await client.waitForVersion(uri);
      }
      const logged = client.log.filter((m) => m.includes('bulkhead settings'));
      const first = Array.from({ length: 20 }, (_, i) => `Unknown rule 'x${i}'`).join('; ');
      assert.deepEqual(logged, [`bulkhead settings: ${first}; and 10 more`]);
    });
  }
});
