/**
 * Many open documents (issue 16, memory): the server keeps whole analyses for the documents
 * analysed last only (server/src/lsp/retain.ts). A document opened long before still answers
 * hovers (with its fix titles), lenses and quick fixes exactly as a document just opened.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeLensRequest, HoverRequest, type CodeLens, type Hover } from 'vscode-languageserver-protocol/node';
import { guard, TestClient } from './client';
import { FIX_TITLE, range, ROOT_DOCKERFILE, TempWorkspace, serverPerSuite } from './workspace';

const OTHER = 'FROM node:20\nRUN npm ci\nCMD ["node", "server.js"]\n';

describe('many open documents', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)));

  const hover = (uri: string) => guard(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 6 } }), `hover on ${uri}`) as Promise<Hover | null>;
  const lenses = async (uri: string) => ((await guard(client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), `codeLens for ${uri}`)) ?? []) as CodeLens[];
  /** A lens with the document's URI left out of its arguments. */
  const lensView = (ls: CodeLens[]) => ls.map((l) => ({ range: l.range, title: l.command?.title, command: l.command?.command, arguments: JSON.stringify(l.command?.arguments).split(JSON.stringify(ls[0]?.command?.arguments?.[0])).join('URI') }));

  test('the first of 20 open Dockerfiles answers hover, lens and quick fix as the last one does', async () => {
    const first = ws.uri('first/Dockerfile');
    await client.open(first, ROOT_DOCKERFILE);
    const firstDiagnostics = (await client.waitForVersion(first)).diagnostics;
    for (let n = 0; n < 18; n++) {
      const uri = ws.uri(`other${n}/Dockerfile`);
      await client.open(uri, `# ${n}\n${OTHER}`);
      await client.waitForVersion(uri);
    }
    const last = ws.uri('last/Dockerfile');
    await client.open(last, ROOT_DOCKERFILE);
    const lastDiagnostics = (await client.waitForVersion(last)).diagnostics;
    assert.deepEqual(firstDiagnostics, lastDiagnostics);

    const [h1, h2] = [await hover(first), await hover(last)];
    assert.ok(h1 && (h1.contents as { value: string }).value.includes(`- Quick fix: ${FIX_TITLE} — safe: fix-all and --fix apply it`));
    assert.deepEqual(h1, h2);
    assert.deepEqual(h1!.range, range(1, 5, 1, 9));

    const [l1, l2] = [await lenses(first), await lenses(last)];
    assert.equal(l1.length, 1);
    assert.equal(l1[0].command?.title, '🛡 5/6 · non-root ✗ · secrets ✓ · +4 ✓');
    assert.deepEqual(lensView(l1), lensView(l2));

    // a pull of the first document's diagnostics (the client's background pulls) gives the same rows
    const pulled = await client.pullDiagnostics(first);
    assert.deepEqual(pulled.kind === 'full' ? pulled.items : null, firstDiagnostics);

    const actions = await client.codeActions(first, firstDiagnostics, ['quickfix']);
    assert.ok(actions.some((a) => a.title === FIX_TITLE), actions.map((a) => a.title).join('\n'));
  });
});
