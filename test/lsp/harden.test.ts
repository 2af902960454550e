/**
 * Per-container features (issue 18): the CodeLens text, the "Harden <container>" action's
 * exact edit on a Compose service and a Kubernetes container, and the setting that turns the
 * lenses off.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeLensRequest, ExecuteCommandRequest, ShowMessageNotification, type CodeLens, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { applyToDocument, guard, TestClient } from './client';
import { range, TempWorkspace, serverPerSuite } from './workspace';

export const COMPOSE = [
  'services:',
  '  api:',
  '    build: .',
  '    ports:',
  '      - "8080:8080"',
  '  db:',
  '    image: postgres:16',
  '    read_only: true',
  '    tmpfs:',
  '      - /tmp:size=64m',
  '      - /var/run/postgresql:size=64m',
  '    cap_drop: [ALL]',
  '    cap_add: [CHOWN, FOWNER, DAC_OVERRIDE, SETUID, SETGID]',
  '    security_opt: [no-new-privileges=true]',
  '',
].join('\n');

export const DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: nginx:1.27',
  '        - name: agent',
  '          image: example/agent:1.4',
  '          securityContext:',
  '            privileged: true',
  '',
].join('\n');

export const DOCKERFILE = 'FROM node:20\nRUN npm ci\nCMD ["node", "server.js"]\n';

export async function lenses(client: TestClient, uri: string): Promise<CodeLens[]> {
  return (await guard(client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), `codeLens for ${uri}`)) ?? [];
}

/** A compact view: line, title, command and how many locations it lists. */
function lensView(ls: CodeLens[]): { line: number; title: string; command: string; locations: number }[] {
  return ls.map((l) => ({ line: l.range.start.line, title: l.command!.title, command: l.command!.command, locations: ((l.command!.arguments?.[2] as unknown[]) ?? []).length }));
}

describe('CodeLens and Harden', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  serverPerSuite((c, w) => ((client = c), (ws = w)));

  test('the server advertises CodeLens and the Harden kind', () => {
    const caps = client.initializeResult.capabilities;
    assert.deepEqual(caps.codeLensProvider, { resolveProvider: false });
    assert.ok((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds.includes('quickfix.bulkhead.harden'));
  });

  test('one lens per Compose service, on its key line, listing its findings', async () => {
    const uri = ws.uri('compose.yaml');
    await client.open(uri, COMPOSE, 'dockercompose');
    assert.deepEqual(lensView(await lenses(client, uri)), [
      { line: 1, title: '🛡 6/11 · non-root ✗ · read-only ✗ · caps ✗ · no-new-privs ✗ · limits ✗ · secrets ✓ · +5 ✓', command: 'bulkhead.showContainerFindings', locations: 5 },
      { line: 5, title: '🛡 9/11 · non-root ✗ · read-only ✓ · caps ✓ · no-new-privs ✓ · limits ✗ · secrets ✓ · +5 ✓', command: 'bulkhead.showContainerFindings', locations: 2 },
    ]);
  });

  test('one lens per Kubernetes container; a pod-level finding counts for each', async () => {
    const uri = ws.uri('deploy.yaml');
    await client.open(uri, DEPLOYMENT, 'yaml');
    assert.deepEqual(lensView(await lenses(client, uri)), [
      { line: 8, title: '🛡 6/12 · non-root ✗ · read-only ✗ · caps ✗ · no-new-privs ✗ · limits ✗ · token ✗ · secrets ✓ · +5 ✓', command: 'bulkhead.showContainerFindings', locations: 6 },
      { line: 10, title: '🛡 6/12 · non-root ✗ · read-only ✗ · caps ✗ · no-new-privs ✓ · unprivileged ✗ · limits ✗ · token ✗ · secrets ✓ · +4 ✓', command: 'bulkhead.showContainerFindings', locations: 6 },
    ]);
  });

  test('one lens on the final stage of a Dockerfile; its arguments locate the findings', async () => {
    const uri = ws.uri('Dockerfile');
    await client.open(uri, DOCKERFILE, 'dockerfile');
    assert.deepEqual(await lenses(client, uri), [
      {
        range: range(0, 0, 0, 0),
        command: {
          title: '🛡 5/6 · non-root ✗ · secrets ✓ · +4 ✓',
          command: 'bulkhead.showContainerFindings',
          arguments: [uri, { line: 0, character: 5 }, [{ uri, range: range(0, 5, 0, 12) }]],
        },
      },
    ]);
  });

  test('Harden on a Compose service: one edit with its safe fixes; the title and the message name what it left', async () => {
    const uri = ws.uri('compose.yaml');
    const p = await client.waitForVersion(uri);
    const onApi = p.diagnostics.filter((d: Diagnostic) => d.range.start.line === 1);
    const harden = (await client.codeActions(uri, onApi.slice(0, 1), ['quickfix'])).filter((a) => a.kind === 'quickfix.bulkhead.harden');
    // no command on the action (VS Code can lose an action's command once its edit changed the
    // document): the server says what was left when the document becomes the hardened text
    assert.deepEqual(
      harden.map((a) => ({ title: a.title, command: a.command })),
      [{ title: 'Harden api: 2 safe fixes; left for review: drop-capabilities, read-only-root-filesystem, resource-limits', command: undefined }],
    );
    const edits = harden[0].edit!.documentChanges!;
    assert.equal(edits.length, 1, 'one edit');
    const hardened = applyToDocument(harden[0].edit, uri, client.text(uri));
    assert.equal(hardened, COMPOSE.replace('      - "8080:8080"\n', '      - "8080:8080"\n    security_opt:\n      - no-new-privileges=true\n    user: "10001:10001"\n'));

    // applied: the message once, before the new diagnostics; another change shows nothing
    const shown: string[] = [];
    const listening = client.connection.onNotification(ShowMessageNotification.type, (m) => {
      shown.push(m.message);
    });
    try {
      await client.change(uri, `${COMPOSE}# typed\n`);
      await client.waitForVersion(uri);
      assert.deepEqual(shown, [], 'a change that is not the Harden edit');
      await client.change(uri, COMPOSE);
      await client.waitForVersion(uri);
      await client.codeActions(uri, onApi.slice(0, 1), ['quickfix']);
      await client.change(uri, hardened);
      await client.waitForVersion(uri);
      assert.deepEqual(shown, [
        'Hardened api (2 fixes applied). Left for review: drop-capabilities (not known to be safe for this image: Set cap_drop: [ALL] (the image may need capabilities at start)); read-only-root-filesystem (not known to be safe for this image: Set read_only: true, tmpfs at /tmp (the image is not in the table: the app may need more writable paths)); resource-limits (the right limits are yours to choose).',
      ]);
      await client.change(uri, COMPOSE);
      await client.waitForVersion(uri);
      await client.change(uri, hardened);
      await client.waitForVersion(uri);
      assert.equal(shown.length, 1, 'once per offer');
    } finally {
      listening.dispose();
      await client.change(uri, COMPOSE);
      await client.waitForVersion(uri);
    }
  });

  test('Harden on a Kubernetes container: the image table makes drop-capabilities and read-only safe for nginx', async () => {
    const uri = ws.uri('deploy.yaml');
    const p = await client.waitForVersion(uri);
    const onWeb = p.diagnostics.filter((d: Diagnostic) => d.range.start.line === 8 && d.code === 'drop-capabilities');
    const harden = (await client.codeActions(uri, onWeb, ['quickfix'])).filter((a) => a.kind === 'quickfix.bulkhead.harden');
    assert.deepEqual(
      harden.map((a) => a.title),
      ['Harden web: 3 safe fixes; left for review: no-root-user, no-service-account-token, resource-limits'],
    );
    assert.equal(
      applyToDocument(harden[0].edit, uri, client.text(uri)),
      [
        ...DEPLOYMENT.split('\n').slice(0, 10),
        '          securityContext:',
        '            capabilities:',
        '              drop:',
        '                - ALL',
        '              add:',
        '                - CHOWN',
        '                - SETUID',
        '                - SETGID',
        '            allowPrivilegeEscalation: false',
        '            readOnlyRootFilesystem: true',
        '          volumeMounts:',
        '            - name: tmp',
        '              mountPath: /tmp',
        '            - name: var-cache-nginx',
        '              mountPath: /var/cache/nginx',
        '            - name: var-run',
        '              mountPath: /var/run',
        ...DEPLOYMENT.split('\n').slice(10, 14),
        '      volumes:',
        '        - name: tmp',
        '          emptyDir:',
        '            sizeLimit: 64Mi',
        '        - name: var-cache-nginx',
        '          emptyDir:',
        '            sizeLimit: 64Mi',
        '        - name: var-run',
        '          emptyDir:',
        '            sizeLimit: 64Mi',
        '',
      ].join('\n'),
    );
  });

  test('no Harden action for a container with nothing safe to apply (a privileged container)', async () => {
    const uri = ws.uri('deploy.yaml');
    const p = await client.waitForVersion(uri);
    const onAgent = p.diagnostics.filter((d: Diagnostic) => d.range.start.line === 10);
    assert.ok(onAgent.length > 0);
    const actions = await client.codeActions(uri, onAgent, ['quickfix']);
    assert.deepEqual(actions.filter((a) => a.kind === 'quickfix.bulkhead.harden'), []);
    assert.ok(actions.length > 0, 'the rules\' own quick fixes are still there');
  });

  test('the What Harden left command shows its message', async () => {
    const shown = new Promise<string>((resolve) => client.connection.onNotification(ShowMessageNotification.type, (p) => resolve(p.message)));
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'bulkhead.server.hardenReport', arguments: ['Hardened api (2 fixes applied).'] });
    assert.equal(await guard(shown, 'window/showMessage'), 'Hardened api (2 fixes applied).');
  });

  test('bulkhead.codeLens: false turns the lenses off', async () => {
    const uri = ws.uri('compose.yaml');
    await client.changeConfiguration({ codeLens: false });
    assert.deepEqual(await lenses(client, uri), []);
    await client.changeConfiguration({});
    assert.equal((await lenses(client, uri)).length, 2);
    assert.deepEqual(client.log.filter((l) => l.includes('Unknown setting')), [], 'codeLens is a known setting');
  });
});
