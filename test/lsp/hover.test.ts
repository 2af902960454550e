/**
 * Hover on a finding (the message, why it matters, what the fix does, the documentation
 * link), the "Show documentation for <rule>" code action, codeDescription links to the
 * installed pages, and what a .bulkhead.yaml with warnings or errors does in the editor.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HoverRequest, type Hover, type Position } from 'vscode-languageserver-protocol/node';
import { pushCapabilities, TestClient } from './client';
import { FIX_TITLE, range, ROOT_DOCKERFILE, ROOT_MESSAGE, TempWorkspace } from './workspace';

/** The page installed beside the bundled server (dist/../docs/rules). */
const page = (id: string) => pathToFileURL(path.resolve(__dirname, '..', '..', '..', 'docs', 'rules', `${id}.md`)).href;

const ROOT_WHY = 'Unless user namespaces are in use, uid 0 in the container is uid 0 on the host: writable host mounts become host files and many container-escape bugs only work from root.';
const ROOT_FIX = 'Sets a non-root user (the defaultUser setting, 10001:10001 by default): USER in the final stage, user: on the service, runAsNonRoot and runAsUser on the pod.';

describe('hover and documentation', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  const hover = (uri: string, position: Position) => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }) as Promise<Hover | null>;
  before(async () => {
    ws = new TempWorkspace();
    client = await TestClient.start({ capabilities: pushCapabilities(), rootUri: ws.uri('') });
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
  });

  test('the server offers hovers', () => {
    assert.equal(client.initializeResult.capabilities.hoverProvider, true);
  });

  test('hover on USER root: message, why, the fix, the quick fix and the link, exactly', async () => {
    const uri = ws.uri('one/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    await client.waitForVersion(uri, (d) => d.length === 1);
    const h = await hover(uri, { line: 1, character: 6 });
    assert.deepEqual(h, {
      contents: {
        kind: 'markdown',
        value: [
          '**no-root-user** (warning) — Bulkhead',
          ROOT_MESSAGE,
          `**Why it matters:** ${ROOT_WHY}`,
          `**The fix:** ${ROOT_FIX}`,
          `- Quick fix: ${FIX_TITLE} — safe: fix-all and --fix apply it`,
          `[Documentation for no-root-user](${page('no-root-user')})`,
        ].join('\n\n'),
      },
      range: range(1, 5, 1, 9),
    });
    // both ends of the range count; outside it there is nothing
    assert.deepEqual((await hover(uri, { line: 1, character: 5 }))?.range, range(1, 5, 1, 9));
    assert.deepEqual((await hover(uri, { line: 1, character: 9 }))?.range, range(1, 5, 1, 9));
    assert.equal(await hover(uri, { line: 1, character: 2 }), null);
    assert.equal(await hover(uri, { line: 0, character: 3 }), null);
  });

  test('Markdown in a message is escaped; an offered fix says fix-all leaves it', async () => {
    const uri = ws.uri('two/compose.yaml');
    await client.open(uri, 'services:\n  cache:\n    image: redis:7\n    user: "999"\n    cap_drop: [ALL]\n    privileged: true\n', 'dockercompose');
    await client.waitForVersion(uri, (d) => d.some((x) => x.code === 'no-privileged'));
    const h = await hover(uri, { line: 5, character: 6 });
    assert.deepEqual(h, {
      contents: {
        kind: 'markdown',
        value: [
          '**no-privileged** (error) — Bulkhead',
          "Service 'cache' runs privileged (privileged: true): it gets every capability and the host's devices, so a compromise of it is a compromise of the host",
          "**Why it matters:** A privileged container gets every capability, every host device and no seccomp, AppArmor or SELinux confinement: root in it is root on the host.",
          '**The fix:** Removes privileged: true. Offered, never applied by fix-all: add back only the capability or device the container needs.',
          '- Quick fix: Remove privileged: true (add only the capabilities or devices the service needs) — offered only: fix-all and --fix leave it to you',
          `[Documentation for no-privileged](${page('no-privileged')})`,
        ].join('\n\n'),
      },
      range: range(5, 4, 5, 20),
    });
    const atService = await hover(uri, { line: 1, character: 3 });
    const value = atService?.contents && typeof atService.contents === 'object' && 'value' in atService.contents ? atService.contents.value : '';
    // several findings: one section each, split by rules; `_` and `[` of the messages escaped
    assert.deepEqual(value.split('\n\n---\n\n').map((s) => s.split('\n')[0]), ['**no-privilege-escalation** (warning) — Bulkhead', '**read-only-root-filesystem** (warning) — Bulkhead', '**resource-limits** (info) — Bulkhead']);
    assert.ok(value.includes('no-new-privileges in security\\_opt blocks that'), value);
    assert.ok(value.includes('(no read\\_only: true)'), value);
  });

  test('each finding offers "Show documentation for <rule>", last, running bulkhead.showDocumentation with [ruleId]', async () => {
    const uri = ws.uri('three/Dockerfile');
    await client.open(uri, 'FROM node:20\n# bulkhead-ignore no-sudo\nUSER root\n');
    const [root, unused] = (await client.waitForVersion(uri, (d) => d.length === 2)).diagnostics.sort((a, b) => String(a.code).localeCompare(String(b.code)));
    assert.deepEqual([root.code, unused.code], ['no-root-user', 'unused-suppression']);
    for (const d of [root, unused]) assert.deepEqual(d.codeDescription, { href: page(String(d.code)) });
    const actions = await client.codeActions(uri, [unused, root], ['quickfix']);
    assert.deepEqual(
      actions.map((a) => [a.title, a.command?.command ?? null, a.command?.arguments ?? null]),
      [
        ['Remove the unused bulkhead-ignore comment', null, null],
        ['Show documentation for unused-suppression', 'bulkhead.showDocumentation', ['unused-suppression']],
        [FIX_TITLE, null, null],
        ['Ignore no-root-user on this line', null, null],
        ['Ignore no-root-user in this file', null, null],
        ['Show documentation for no-root-user', 'bulkhead.showDocumentation', ['no-root-user']],
      ],
    );
    assert.deepEqual(actions.filter((a) => a.command).map((a) => [a.edit, a.isPreferred]), [[undefined, undefined], [undefined, undefined]]);
  });
});

describe('.bulkhead.yaml in the editor: warnings apply the rest, an error applies none of it', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  const hover = (uri: string, position: Position) => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }) as Promise<Hover | null>;
  before(async () => {
    ws = new TempWorkspace();
    client = await TestClient.start({ capabilities: pushCapabilities(), rootUri: ws.uri('') });
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
  });

  test('an unknown rule id: a warning on the config file; the rest of the file applies', async () => {
    const config = ws.write('warn/.bulkhead.yaml', 'rules:\n  no-root-usr: "off"\n  no-root-user: error\n');
    const uri = ws.uri('warn/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    const p = await client.waitForVersion(uri, (d) => d.length > 0);
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.severity]), [['no-root-user', 1]]);

    await client.open(config, 'rules:\n  no-root-usr: "off"\n  no-root-user: error\n', 'yaml');
    const c = await client.waitForVersion(config, (d) => d.length > 0);
    assert.deepEqual(c.diagnostics.map((d) => [d.code, d.severity, d.range, d.message]), [['invalid-config', 2, range(1, 15, 1, 20), "Unknown rule 'no-root-usr'"]]);
    assert.deepEqual(await hover(config, { line: 1, character: 16 }), {
      contents: {
        kind: 'markdown',
        value: [
          '**invalid-config** (warning) — Bulkhead',
          "Unknown rule 'no-root-usr'",
          '**Why it matters:** A .bulkhead.yaml with an error is not used at all: the CLI stops with exit code 2 and the editor checks with its own settings until it is fixed. Unknown keys and rule ids are ignored with a warning.',
          '**The fix:** Correct the key or value named in the message.',
          `[Documentation for invalid-config](${page('invalid-config')})`,
        ].join('\n\n'),
      },
      range: range(1, 15, 1, 20),
    });
    await client.close(config);
  });

  test('a bad value: none of the file is used, and every file under it says so at the top', async () => {
    ws.write('bad/.bulkhead.yaml', 'preset: strict\nrules:\n  no-root-user: loud\n');
    const uri = ws.uri('bad/sub/Dockerfile');
    await client.open(uri, ROOT_DOCKERFILE);
    const p = await client.waitForVersion(uri, (d) => d.length > 0);
    assert.deepEqual(
      p.diagnostics.map((d) => [d.code, d.severity, d.range, d.message]),
      [
        ['invalid-config', 1, range(0, 0, 0, 0), "../.bulkhead.yaml is not used: it has an error (line 3: Rule 'no-root-user' must be one of off, info, warning, error). These findings use the editor settings; the CLI stops on this file until it is fixed"],
        // the defaults: recommended (not strict: no pin-image-digest), warning
        ['no-root-user', 2, range(1, 5, 1, 9), ROOT_MESSAGE],
      ],
    );
    assert.deepEqual(p.diagnostics[0].codeDescription, { href: page('invalid-config') });
  });
});
