/**
 * Every Dockerfile rule at once, through the real server: one Dockerfile that triggers
 * pin-image-version, pin-image-digest (strict), trusted-registry (trustedRegistries set),
 * prefer-copy-over-add, verify-downloads, no-secret-files-in-image, no-sudo and
 * no-privileged-ports. The diagnostics must equal what the CLI reports for the same text
 * and settings (CLI and LSP agree); the preferred fixes, one at a time and all at once,
 * give exact texts and make their findings go away.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { applyToDocument, applyWorkspaceEdit, pullCapabilities, pushCapabilities, SERVER_PATH, TestClient } from './client';
import { range, TempWorkspace } from './workspace';

const CLI_PATH = path.join(path.dirname(SERVER_PATH), 'cli.js');
const TRUSTED = 'registry.example.com';
const SETTINGS = { trustedRegistries: [TRUSTED], preset: 'strict' };
const CLI_CONFIG = `trustedRegistries:\n  - ${TRUSTED}\n`;

const RULES = [
  'no-privileged-ports',
  'no-secret-files-in-image',
  'no-sudo',
  'pin-image-digest',
  'pin-image-version',
  'prefer-copy-over-add',
  'trusted-registry',
  'verify-downloads',
];

const lines = (...ls: string[]) => ls.map((l) => `${l}\n`).join('');

const DOCKERFILE = lines(
  'FROM node', //                                          0: pin-image-version, pin-image-digest, trusted-registry
  'ARG JAR_FILE', //                                       1
  'ADD ./config.json /app/', //                            2: prefer-copy-over-add (preferred fix)
  'ADD ${JAR_FILE} /app/app.jar', //                       3: prefer-copy-over-add (fix not preferred)
  'ADD https://example.com/x.sh /x.sh', //                 4: verify-downloads
  'RUN curl -fsSL https://example.com/i.sh | sh', //       5: verify-downloads
  'COPY id_rsa /root/.ssh/', //                            6: no-secret-files-in-image
  'USER app', //                                           7
  'RUN sudo apt-get update', //                            8: no-sudo (preferred fix wraps in USER root … USER app)
  'EXPOSE 22', //                                          9: no-privileged-ports
);

const COPY_FIXED = DOCKERFILE.replace('ADD ./config.json /app/', 'COPY ./config.json /app/');
const SUDO_FIXED_AFTER_COPY = COPY_FIXED.replace('USER app\nRUN sudo apt-get update\n', 'USER app\nUSER root\nRUN apt-get update\nUSER app\n');
const ALL_FIXED = lines(
  'FROM node',
  'ARG JAR_FILE',
  'COPY ./config.json /app/',
  'ADD ${JAR_FILE} /app/app.jar',
  'ADD https://example.com/x.sh /x.sh',
  'RUN curl -fsSL https://example.com/i.sh | sh',
  'COPY id_rsa /root/.ssh/',
  'USER app',
  'USER root',
  'RUN apt-get update',
  'USER app',
  'EXPOSE 22',
);

// Messages as the unit tables state them (test/unit/rules/*.test.ts).
const UNTAGGED_NODE = "Image 'node' has no tag, so it pulls ':latest', which changes with every release";
const ADD_LOCAL_CONFIG = "ADD of the local './config.json': COPY does the same without ADD's URL downloads and archive extraction";
const SSH_PORT = 'The image exposes port 22 (SSH): containers are entered with docker exec or kubectl exec, not through an SSH server';
const SUDO_APT = "RUN runs 'apt-get' through sudo: switch with USER root for the step instead (sudo in an image is a way back to root)";
const COPY_TITLE = 'Use COPY instead of ADD';
const COPY_VARIABLE_TITLE = "Use COPY instead of ADD (if '${JAR_FILE}' is never a URL or an archive to unpack)";
const WRAP_TITLE = 'Run this step as USER root without sudo, then switch back to USER app';

interface Expected {
  code: string;
  severity: number;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
}

const SEVERITY: Record<string, number> = { error: 1, warning: 2, info: 3 };

const key = (d: Expected) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code} ${d.message}`;
const sorted = (ds: Expected[]) => [...ds].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** The fields CLI and LSP share, sorted so order does not matter. */
function project(ds: Diagnostic[]): Expected[] {
  return sorted(ds.map((d) => ({ code: String(d.code), severity: d.severity!, range: d.range, message: typeof d.message === 'string' ? d.message : JSON.stringify(d.message) })));
}

interface CliFinding {
  rule: string;
  severity: string;
  message: string;
  range: Expected['range'];
}

/** What `bulkhead --stdin-filename Dockerfile --format json --preset strict --config <cfg>` reports for `text`. */
function cliDiagnostics(text: string, configDir: string): Expected[] {
  const r = spawnSync(process.execPath, [CLI_PATH, '--stdin-filename', 'Dockerfile', '--format', 'json', '--preset', 'strict', '--config', path.join(configDir, '.bulkhead.yaml')], {
    cwd: configDir,
    input: text,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  let json: { files: { path: string; findings: CliFinding[] }[] };
  try {
    json = JSON.parse(r.stdout);
  } catch (e) {
    assert.fail(`CLI stdout is not JSON (exit ${r.status}): ${(e as Error).message}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  assert.equal(json.files.length, 1, r.stdout);
  return sorted(json.files[0].findings.map((f) => ({ code: f.rule, severity: SEVERITY[f.severity], range: f.range, message: f.message })));
}

function assertWellFormed(ds: Diagnostic[]): void {
  for (const d of ds) {
    assert.equal(d.source, 'bulkhead', JSON.stringify(d));
    const href = d.codeDescription?.href ?? '';
    assert.ok(href.endsWith(`/${String(d.code)}.md`), `href of ${String(d.code)}: ${href}`);
  }
}

const only = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code);

describe('Dockerfile rules, push client', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  let cliWs: TempWorkspace;
  before(async () => {
    ws = new TempWorkspace();
    cliWs = new TempWorkspace('bulkhead-lsp-cli-');
    cliWs.write('.bulkhead.yaml', CLI_CONFIG);
    client = await TestClient.start({ capabilities: pushCapabilities(), rootUri: ws.uri(''), settings: structuredClone(SETTINGS) });
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
    cliWs?.remove();
  });

  test('one Dockerfile triggers every Dockerfile rule; the diagnostics equal the CLI report', async () => {
    const uri = ws.uri('all/Dockerfile');
    await client.open(uri, DOCKERFILE);
    const p = await client.waitForVersion(uri, (ds) => ds.length > 0, 'the findings of every Dockerfile rule');
    const expected = cliDiagnostics(DOCKERFILE, cliWs.dir);
    assert.deepEqual([...new Set(expected.map((d) => d.code))].sort(), RULES, 'the CLI reports every Dockerfile rule');
    assert.deepEqual(project(p.diagnostics), expected);
    assertWellFormed(p.diagnostics);
    // Two downloads, two ADDs that COPY could do, one finding for everything else.
    assert.deepEqual(
      RULES.map((r) => only(p.diagnostics, r).length),
      [1, 1, 1, 1, 1, 2, 1, 2],
    );
  });

  test('spot checks against the unit tables: exact range, severity and message', async () => {
    const uri = ws.uri('all/Dockerfile');
    const ds = (await client.waitForVersion(uri, (x) => x.length > 0)).diagnostics;
    const pick = (code: string, line: number) => {
      const d = ds.find((x) => x.code === code && x.range.start.line === line);
      assert.ok(d, `no ${code} on line ${line}`);
      return { severity: d.severity, range: d.range, message: d.message };
    };
    assert.deepEqual(pick('pin-image-version', 0), { severity: 2, range: range(0, 5, 0, 9), message: UNTAGGED_NODE });
    assert.deepEqual(pick('prefer-copy-over-add', 2), { severity: 3, range: range(2, 0, 2, 3), message: ADD_LOCAL_CONFIG });
    assert.deepEqual(pick('no-privileged-ports', 9), { severity: 2, range: range(9, 7, 9, 9), message: SSH_PORT });
    assert.deepEqual(pick('no-sudo', 8), { severity: 2, range: range(8, 4, 8, 8), message: SUDO_APT });
  });

  describe('quick fixes, one at a time', () => {
    const uri = () => ws.uri('quick/Dockerfile');
    before(async () => {
      await client.open(uri(), DOCKERFILE);
      await client.waitForVersion(uri(), (ds) => ds.length > 0);
    });

    test('prefer-copy-over-add: the preferred fix gives COPY; after the change the finding is gone', async () => {
      const ds = (await client.waitForVersion(uri(), (x) => x.length > 0)).diagnostics;
      const d = ds.find((x) => x.code === 'prefer-copy-over-add' && x.range.start.line === 2);
      assert.ok(d, JSON.stringify(project(ds)));
      const actions = (await client.codeActions(uri(), [d], ['quickfix'])).filter((a) => a.kind !== 'quickfix.bulkhead.harden'); // Harden: test/lsp/harden.test.ts
      assert.deepEqual(
        actions.map((a) => [a.title, a.isPreferred === true]),
        [
          [COPY_TITLE, true],
          ['Ignore prefer-copy-over-add on this line', false],
          ['Ignore prefer-copy-over-add in this file', false],
          ['Show documentation for prefer-copy-over-add', false],
        ],
      );
      const preferred = actions.filter((a) => a.isPreferred);
      assert.equal(preferred.length, 1);
      const text = applyToDocument(preferred[0].edit, uri(), client.text(uri()));
      assert.equal(text, COPY_FIXED);

      await client.change(uri(), text);
      const after = await client.waitForVersion(uri());
      assert.deepEqual(
        only(after.diagnostics, 'prefer-copy-over-add').map((x) => x.range),
        [range(3, 0, 3, 3)],
        'only the ADD of a build argument is left',
      );
      assert.deepEqual(project(after.diagnostics), cliDiagnostics(COPY_FIXED, cliWs.dir));
      assertWellFormed(after.diagnostics);
    });

    test('prefer-copy-over-add of a build argument: the fix is offered but not preferred', async () => {
      const ds = (await client.waitForVersion(uri(), (x) => x.length > 0)).diagnostics;
      const d = ds.find((x) => x.code === 'prefer-copy-over-add' && x.range.start.line === 3);
      assert.ok(d, JSON.stringify(project(ds)));
      const actions = (await client.codeActions(uri(), [d], ['quickfix'])).filter((a) => a.kind !== 'quickfix.bulkhead.harden'); // Harden: test/lsp/harden.test.ts
      assert.deepEqual(
        actions.map((a) => a.title),
        [COPY_VARIABLE_TITLE, 'Ignore prefer-copy-over-add on this line', 'Ignore prefer-copy-over-add in this file', 'Show documentation for prefer-copy-over-add'],
      );
      assert.deepEqual(
        actions.filter((a) => a.isPreferred),
        [],
      );
    });

    test('no-sudo: the preferred fix wraps the step in USER root … USER app; after the change the finding is gone', async () => {
      const ds = (await client.waitForVersion(uri(), (x) => x.length > 0)).diagnostics;
      const [d] = only(ds, 'no-sudo');
      assert.ok(d, JSON.stringify(project(ds)));
      const actions = (await client.codeActions(uri(), [d], ['quickfix'])).filter((a) => a.kind !== 'quickfix.bulkhead.harden'); // Harden: test/lsp/harden.test.ts
      assert.deepEqual(
        actions.map((a) => [a.title, a.isPreferred === true]),
        [
          [WRAP_TITLE, true],
          ['Ignore no-sudo on this line', false],
          ['Ignore no-sudo in this file', false],
          ['Show documentation for no-sudo', false],
        ],
      );
      const text = applyToDocument(actions[0].edit, uri(), client.text(uri()));
      assert.equal(text, SUDO_FIXED_AFTER_COPY);

      await client.change(uri(), text);
      const after = await client.waitForVersion(uri());
      assert.deepEqual(only(after.diagnostics, 'no-sudo'), []);
      assert.deepEqual(project(after.diagnostics), cliDiagnostics(SUDO_FIXED_AFTER_COPY, cliWs.dir));
      assertWellFormed(after.diagnostics);
    });
  });

  test('source.fixAll.bulkhead applies every preferred fix at once and leaves the others alone', async () => {
    const uri = ws.uri('fixall/Dockerfile');
    await client.open(uri, DOCKERFILE);
    const p = await client.waitForVersion(uri, (ds) => ds.length > 0);
    const actions = await client.codeActions(uri, p.diagnostics, ['source.fixAll.bulkhead']);
    assert.deepEqual(
      actions.map((a: CodeAction) => a.kind),
      ['source.fixAll.bulkhead'],
    );
    const applied = applyWorkspaceEdit(actions[0].edit!, (u) => (u === uri ? client.text(uri) : undefined));
    assert.deepEqual([...applied.versions], [[uri, client.version(uri)]]);
    const text = applied.texts.get(uri);
    assert.equal(text, ALL_FIXED);

    await client.change(uri, text!);
    const after = await client.waitForVersion(uri);
    assert.deepEqual(only(after.diagnostics, 'no-sudo'), []);
    assert.deepEqual(
      only(after.diagnostics, 'prefer-copy-over-add').map((d) => d.range),
      [range(3, 0, 3, 3)],
      'the ADD whose fix is not preferred stays',
    );
    assert.deepEqual(project(after.diagnostics), cliDiagnostics(ALL_FIXED, cliWs.dir));
    // Nothing preferred is left, so fix-all has nothing more to offer.
    assert.deepEqual(await client.codeActions(uri, after.diagnostics, ['source.fixAll.bulkhead']), []);
  });
});

describe('Dockerfile rules, pull client', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  let cliWs: TempWorkspace;
  before(async () => {
    ws = new TempWorkspace();
    cliWs = new TempWorkspace('bulkhead-lsp-cli-');
    cliWs.write('.bulkhead.yaml', CLI_CONFIG);
    client = await TestClient.start({ capabilities: pullCapabilities(), rootUri: ws.uri(''), settings: structuredClone(SETTINGS) });
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
    cliWs?.remove();
  });

  test('textDocument/diagnostic equals the CLI report; fix-all gives the same text as for push', async () => {
    const uri = ws.uri('Dockerfile');
    await client.open(uri, DOCKERFILE);
    const report = (await client.pullDiagnostics(uri)) as FullDocumentDiagnosticReport;
    assert.equal(report.kind, 'full');
    assert.deepEqual(project(report.items), cliDiagnostics(DOCKERFILE, cliWs.dir));
    assertWellFormed(report.items);

    const [all] = await client.codeActions(uri, report.items, ['source.fixAll.bulkhead']);
    assert.equal(applyToDocument(all?.edit, uri, DOCKERFILE), ALL_FIXED);

    await client.change(uri, ALL_FIXED);
    const after = (await client.pullDiagnostics(uri)) as FullDocumentDiagnosticReport;
    assert.deepEqual(only(after.items, 'no-sudo'), []);
    assert.deepEqual(project(after.items), cliDiagnostics(ALL_FIXED, cliWs.dir));
  });
});
