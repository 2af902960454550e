/**
 * no-hardcoded-secrets fixes over LSP. Fixes that write other files (`.env`,
 * `<workload>-secrets.env`, `.secrets/<id>`, `.gitignore`, `.dockerignore`) come as
 * WorkspaceEdit documentChanges with resource operations, and only to clients that
 * advertise `resourceOperations` with `create` (CONTRACT.md); everyone else gets the
 * ignore actions. None of them is preferred, so fix-all never applies them.
 *
 * The fake secrets are built by concatenation and never appear in test output: checks on
 * text that holds one are booleans, and exact-text comparisons fail with a redacted diff.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { parseDocument } from 'yaml';
import type { CodeAction, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { applyTextEdits, pushCapabilities, TestClient } from './client';
import { TempWorkspace } from './workspace';
import { CATALOG_IDS } from '../../server/src/core/rule';

// --- fake secrets (obviously fake, still matching what the detectors look for) -----------------

const DB_PASSWORD = 'FAKE' + '-not-a-real-' + 'pw-7f3a';
const API_TOKEN = 'FAKE' + '-not-a-real-' + 'token-9c1d';
/** npm's format: `npm_` and 36 letters or digits. */
const NPM_TOKEN = 'npm_' + 'FAKEnotRealNpmToken' + '0123456789' + 'abcdefg';
const SECRETS = [DB_PASSWORD, API_TOKEN, NPM_TOKEN];

/** Any run of 6+ characters of a secret masked: safe to print. */
function redact(s: string): string {
  let out = s;
  for (const secret of SECRETS) {
    for (let len = secret.length; len >= 6; len--) {
      for (let i = 0; i + len <= secret.length; i++) {
        const part = secret.slice(i, i + len);
        if (out.includes(part)) out = out.split(part).join('<redacted>');
      }
    }
  }
  return out;
}

const holdsSecret = (s: string) => SECRETS.some((x) => s.includes(x));

/** Exact comparison that never prints a secret (the diff is redacted). */
function assertSameText(actual: string | undefined, expected: string, what: string): void {
  if (actual === expected) return;
  assert.fail(`${what} differs.\n--- actual (redacted):\n${actual === undefined ? '(missing)' : redact(actual)}\n--- expected (redacted):\n${redact(expected)}`);
}

/** Runs `f`; an error it throws is rethrown with every secret masked. */
function safely<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new Error(redact((e as Error).message));
  }
}

// --- fixtures --------------------------------------------------------------------------------

const ROTATE = 'rotate the secret: it stays in your history';
const IGNORE_LINE = 'Ignore no-hardcoded-secrets on this line';
const IGNORE_FILE = 'Ignore no-hardcoded-secrets in this file';
const SHOW_DOCS = 'Show documentation for no-hardcoded-secrets';

const compose = (value: string) => `services:\n  app:\n    image: myorg/app:1.2\n    environment:\n      DB_PASSWORD: ${value}\n    read_only: true\n`;
const COMPOSE = compose(DB_PASSWORD);
const COMPOSE_ENV_FIXED = compose('${DB_PASSWORD}');
const COMPOSE_SECRET_FIXED =
  'services:\n  app:\n    image: myorg/app:1.2\n    read_only: true\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt\n';
const COMPOSE_ENV_TITLE = `Replace with \${DB_PASSWORD} from .env (git-ignored); ${ROTATE}`;
const COMPOSE_SECRET_TITLE = `Move DB_PASSWORD to a Compose secret (./secrets/db_password.txt, git-ignored; the app must read /run/secrets/db_password); ${ROTATE}`;
const DOTENV_LINE = `DB_PASSWORD='${DB_PASSWORD}'`;

const manifest = (env: string) =>
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n' +
  '    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n          env:\n' +
  `            - name: API_TOKEN\n${env}`;
const MANIFEST = manifest(`              value: ${API_TOKEN}\n`);
const MANIFEST_FIXED = manifest('              valueFrom:\n                secretKeyRef:\n                  name: web-secrets\n                  key: API_TOKEN\n');
const KUBE_TITLE = `Read API_TOKEN from Secret web-secrets (value moved to web-secrets.env, git-ignored; create it with kubectl create secret generic web-secrets -n shop --from-env-file=web-secrets.env); ${ROTATE}`;

const NPMRC_RUN = 'echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc';
const dockerfile = (user: string) => `FROM node:20\nENV NPM_TOKEN=${NPM_TOKEN}\nRUN ${NPMRC_RUN}\nUSER ${user}\n`;
const DOCKERFILE = dockerfile('node');
const DOCKERFILE_FIXED = `# syntax=docker/dockerfile:1\nFROM node:20\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN,required=true ${NPMRC_RUN}\nUSER node\n`;
const BUILD_TITLE =
  'Move NPM_TOKEN to a build secret (RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN; value written to .secrets/npm_token, git- and docker-ignored; ' +
  `build with --secret id=npm_token,src=.secrets/npm_token; containers no longer get NPM_TOKEN at run time); ${ROTATE}`;

/** Only the two rules these tests are about (fix-all results stay exact whatever rules are added). */
const SETTINGS = { rules: Object.fromEntries(CATALOG_IDS.filter((id) => id !== 'no-hardcoded-secrets' && id !== 'no-root-user').map((id) => [id, 'off'])) };

/** A diagnostic's message as text (LSP 3.18 allows MarkupContent). */
const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);

const secretDiagnostics = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'no-hardcoded-secrets');

/** A folder that is its own git repository root, so no .gitignore above it is consulted. */
function repo(ws: TempWorkspace, dir: string, files: Record<string, string> = {}): void {
  ws.write(`${dir}/.git/HEAD`, 'ref: refs/heads/main\n');
  for (const [name, text] of Object.entries(files)) ws.write(`${dir}/${name}`, text);
}

/** Every file under `dir`, relative, '/' separators, sorted. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) visit(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  visit(dir);
  return out.sort();
}

// --- applying a WorkspaceEdit the way an editor does -------------------------------------------

interface DiskApplied {
  /** The open document's text after the edit. */
  docText: string;
  /** Resource operations in order, with paths relative to `root`. */
  operations: { kind: string; path: string; options?: unknown }[];
  /** The version each TextDocumentEdit named, by path relative to `root`. */
  versions: Map<string, number | null>;
}

/**
 * Applies a documentChanges edit: the open document's edits to its text (the version must
 * be the open one), CreateFile on disk (parent folders made; ignoreIfExists honoured) and
 * edits to other files on their on-disk text.
 */
function applyOnDisk(edit: WorkspaceEdit | undefined, root: string, docUri: string, docText: string, docVersion: number): DiskApplied {
  assert.ok(edit, 'the action has an edit');
  assert.equal(edit.changes, undefined, 'documentChanges only, no `changes`');
  assert.ok(Array.isArray(edit.documentChanges), 'documentChanges');
  const rel = (uri: string) => path.relative(root, URI.parse(uri).fsPath).split(path.sep).join('/');
  const out: DiskApplied = { docText, operations: [], versions: new Map() };
  for (const op of edit.documentChanges) {
    if ('kind' in op) {
      assert.equal(op.kind, 'create', `only CreateFile is expected, got ${op.kind}`);
      if (op.kind !== 'create') continue;
      const file = URI.parse(op.uri).fsPath;
      out.operations.push({ kind: op.kind, path: rel(op.uri), options: op.options });
      if (fs.existsSync(file) && !op.options?.overwrite) {
        assert.ok(op.options?.ignoreIfExists, `CreateFile ${rel(op.uri)}: the file exists and neither overwrite nor ignoreIfExists is set`);
        continue;
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '');
      continue;
    }
    const uri = op.textDocument.uri;
    out.versions.set(uri === docUri ? '(document)' : rel(uri), op.textDocument.version);
    if (uri === docUri) {
      assert.equal(op.textDocument.version, docVersion, 'the document edit names the open version');
      out.docText = safely(() => applyTextEdits(out.docText, op.edits as TextEdit[]));
      continue;
    }
    const file = URI.parse(uri).fsPath;
    assert.ok(fs.existsSync(file), `an edit to ${rel(uri)}, which does not exist (no CreateFile before it)`);
    const before = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, safely(() => applyTextEdits(before, op.edits as TextEdit[])));
  }
  return out;
}

/** Checks that an edit changes only `uri` and returns its new text. */
function applyOnlyToDocument(edit: WorkspaceEdit | undefined, uri: string, text: string): string {
  assert.ok(edit, 'the action has an edit');
  if (edit.documentChanges) {
    assert.equal(edit.changes, undefined);
    let out = text;
    for (const op of edit.documentChanges) {
      assert.ok(!('kind' in op), 'no resource operation');
      if ('kind' in op) continue;
      assert.ok(op.textDocument.uri === uri, `an edit to another file: ${op.textDocument.uri}`);
      out = safely(() => applyTextEdits(out, op.edits as TextEdit[]));
    }
    return out;
  }
  assert.deepEqual(Object.keys(edit.changes ?? {}), [uri], 'changes touch the document only');
  return safely(() => applyTextEdits(text, edit.changes![uri]));
}

function assertNoSecretIn(actions: CodeAction[]): void {
  assert.ok(!actions.some((a) => holdsSecret(a.title)), 'no action title contains the secret');
}

function assertRotateTitles(actions: CodeAction[], titles: string[]): void {
  for (const t of titles) {
    const a = actions.find((x) => x.title === t);
    assert.ok(a, `an action titled ${t}`);
    assert.ok(a.title.endsWith(ROTATE), `says to rotate the secret: ${a.title}`);
    assert.equal(a.kind, 'quickfix');
    assert.notEqual(a.isPreferred, true, `not preferred: ${a.title}`);
  }
}

// --- 1. a client with documentChanges and resource operations ----------------------------------

describe('secret fixes: a client with documentChanges and resourceOperations create/rename/delete', () => {
  let client: TestClient;
  let ws: TempWorkspace;
  before(async () => {
    ws = new TempWorkspace('bulkhead-secret-fixes-');
    client = await TestClient.start({ capabilities: pushCapabilities({ resourceOperations: ['create', 'rename', 'delete'] }), rootUri: ws.uri(''), settings: SETTINGS });
  });
  after(async () => {
    await client?.stop();
    ws?.remove();
  });

  /** Opens `name` in folder `dir` (a fresh repository) and returns its one secret diagnostic. */
  async function openSecret(dir: string, name: string, text: string, languageId: string, files: Record<string, string> = {}): Promise<{ uri: string; d: Diagnostic }> {
    repo(ws, dir, { ...files, [name]: text });
    const uri = ws.uri(`${dir}/${name}`);
    await client.open(uri, text, languageId);
    const p = await client.waitForVersion(uri, (ds) => secretDiagnostics(ds).length > 0, 'the no-hardcoded-secrets finding');
    const ds = secretDiagnostics(p.diagnostics);
    assert.equal(ds.length, 1, `one secret finding, got ${ds.length}`);
    return { uri, d: ds[0] };
  }

  /** Applies `title`'s edit on disk and checks the document's new text, then sends it and waits for the finding to go. */
  async function applyFix(dir: string, uri: string, d: Diagnostic, title: string): Promise<DiskApplied> {
    const actions = await client.codeActions(uri, [d], ['quickfix']);
    assertNoSecretIn(actions);
    const action = actions.find((a) => a.title === title);
    assert.ok(action, `an action titled ${title}; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.deepEqual(action.diagnostics, [d]);
    return applyOnDisk(action.edit, ws.path(dir), uri, client.text(uri), client.version(uri));
  }

  async function sendAndExpectNoSecret(uri: string, text: string): Promise<void> {
    await client.change(uri, text);
    const p = await client.waitForVersion(uri);
    assert.equal(secretDiagnostics(p.diagnostics).length, 0, 'no no-hardcoded-secrets finding after the fix');
  }

  describe('Compose: environment DB_PASSWORD', () => {
    test('quick fixes: the .env fix, the Compose-secret fix, then the ignore actions; exact titles', async () => {
      const { uri, d } = await openSecret('compose-titles', 'compose.yaml', COMPOSE, 'dockercompose');
      const actions = await client.codeActions(uri, [d], ['quickfix']);
      assertNoSecretIn(actions);
      assert.deepEqual(
        actions.map((a) => a.title),
        [COMPOSE_ENV_TITLE, COMPOSE_SECRET_TITLE, IGNORE_LINE, IGNORE_FILE, SHOW_DOCS],
      );
      assertRotateTitles(actions, [COMPOSE_ENV_TITLE, COMPOSE_SECRET_TITLE]);
    });

    test('the .env fix: ${DB_PASSWORD} in the file, .env and .gitignore created with exactly their lines', async () => {
      const dir = 'compose-env';
      const { uri, d } = await openSecret(dir, 'compose.yaml', COMPOSE, 'dockercompose');
      const applied = await applyFix(dir, uri, d, COMPOSE_ENV_TITLE);
      assert.deepEqual(
        applied.operations.map((o) => [o.kind, o.path]),
        [
          ['create', '.env'],
          ['create', '.gitignore'],
        ],
      );
      assert.deepEqual([...applied.versions], [
        ['(document)', client.version(uri)],
        ['.env', null],
        ['.gitignore', null],
      ]);
      assertSameText(applied.docText, COMPOSE_ENV_FIXED, 'compose.yaml');
      assert.ok(!applied.docText.includes(DB_PASSWORD), 'the secret left compose.yaml');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.env`), 'utf8'), `${DOTENV_LINE}\n`, '.env');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.gitignore`), 'utf8'), '.env\n', '.gitignore');
      assert.deepEqual(tree(ws.path(dir)), ['.env', '.git/HEAD', '.gitignore', 'compose.yaml']);
      await sendAndExpectNoSecret(uri, applied.docText);
    });

    test('an existing .env (other lines, no final newline) and .gitignore: appended to (version null, at the end), not created', async () => {
      const dir = 'compose-env-existing';
      const { uri, d } = await openSecret(dir, 'compose.yaml', COMPOSE, 'dockercompose', { '.env': 'OTHER=1\nMORE=2', '.gitignore': 'node_modules/\n' });
      const actions = await client.codeActions(uri, [d], ['quickfix']);
      const action = actions.find((a) => a.title === COMPOSE_ENV_TITLE);
      assert.ok(action?.edit?.documentChanges, 'the .env fix, as documentChanges');
      const envEdits = action.edit.documentChanges.filter((op) => !('kind' in op) && op.textDocument.uri === ws.uri(`${dir}/.env`));
      assert.equal(envEdits.length, 1, 'one edit to .env');
      const envEdit = envEdits[0];
      assert.ok(!('kind' in envEdit));
      assert.equal(envEdit.textDocument.version, null);
      assert.equal(envEdit.edits.length, 1);
      const e = envEdit.edits[0] as TextEdit;
      assert.deepEqual(e.range, { start: { line: 1, character: 6 }, end: { line: 1, character: 6 } }, 'at the end of the file');
      assert.ok(e.newText === `\n${DOTENV_LINE}\n`, 'the new line, after a line break the file lacked');

      const applied = applyOnDisk(action.edit, ws.path(dir), uri, client.text(uri), client.version(uri));
      assert.deepEqual(applied.operations, [], 'no CreateFile: both files exist');
      assertSameText(applied.docText, COMPOSE_ENV_FIXED, 'compose.yaml');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.env`), 'utf8'), `OTHER=1\nMORE=2\n${DOTENV_LINE}\n`, '.env');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.gitignore`), 'utf8'), 'node_modules/\n.env\n', '.gitignore');
    });

    test('an existing .env ending in a newline gets the line appended as it is', async () => {
      const dir = 'compose-env-newline';
      const { uri, d } = await openSecret(dir, 'compose.yaml', COMPOSE, 'dockercompose', { '.env': 'OTHER=1\n' });
      const applied = await applyFix(dir, uri, d, COMPOSE_ENV_TITLE);
      assert.deepEqual(
        applied.operations.map((o) => [o.kind, o.path]),
        [['create', '.gitignore']],
      );
      assert.equal(applied.versions.get('.env'), null);
      assertSameText(fs.readFileSync(ws.path(`${dir}/.env`), 'utf8'), `OTHER=1\n${DOTENV_LINE}\n`, '.env');
    });

    test('.gitignore already ignores .env: it is left alone', async () => {
      const dir = 'compose-env-ignored';
      const { uri, d } = await openSecret(dir, 'compose.yaml', COMPOSE, 'dockercompose', { '.gitignore': '*.log\n.env*\n' });
      const applied = await applyFix(dir, uri, d, COMPOSE_ENV_TITLE);
      assert.deepEqual(
        applied.operations.map((o) => [o.kind, o.path]),
        [['create', '.env']],
      );
      assert.ok(!applied.versions.has('.gitignore'), 'no edit to .gitignore');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.gitignore`), 'utf8'), '*.log\n.env*\n', '.gitignore');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.env`), 'utf8'), `${DOTENV_LINE}\n`, '.env');
    });

    test('.env already holds the same line: no edit to .env, the file still gets ${DB_PASSWORD}', async () => {
      const dir = 'compose-env-same';
      const { uri, d } = await openSecret(dir, 'compose.yaml', COMPOSE, 'dockercompose', { '.env': `${DOTENV_LINE}\n`, '.gitignore': '.env\n' });
      const applied = await applyFix(dir, uri, d, COMPOSE_ENV_TITLE);
      assert.deepEqual(applied.operations, []);
      assert.deepEqual([...applied.versions.keys()], ['(document)']);
      assertSameText(applied.docText, COMPOSE_ENV_FIXED, 'compose.yaml');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.env`), 'utf8'), `${DOTENV_LINE}\n`, '.env');
    });

    test('the Compose-secret fix: top-level secret, the service lists it, secrets/db_password.txt holds the value, git-ignored', async () => {
      const dir = 'compose-secret';
      const { uri, d } = await openSecret(dir, 'compose.yaml', COMPOSE, 'dockercompose');
      const applied = await applyFix(dir, uri, d, COMPOSE_SECRET_TITLE);
      assert.deepEqual(
        applied.operations.map((o) => [o.kind, o.path]),
        [
          ['create', 'secrets/db_password.txt'],
          ['create', '.gitignore'],
        ],
      );
      assertSameText(applied.docText, COMPOSE_SECRET_FIXED, 'compose.yaml');
      assert.ok(fs.readFileSync(ws.path(`${dir}/secrets/db_password.txt`), 'utf8') === DB_PASSWORD, 'secrets/db_password.txt holds exactly the value');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.gitignore`), 'utf8'), 'secrets/db_password.txt\n', '.gitignore');
      assert.deepEqual(tree(ws.path(dir)), ['.git/HEAD', '.gitignore', 'compose.yaml', 'secrets/db_password.txt']);
      await sendAndExpectNoSecret(uri, applied.docText);
    });

    test(
      'the Compose-secret fix when environment is the last block of the file: edits that do not overlap, exact text',
      async () => {
        const dir = 'compose-secret-last';
        const text = `services:\n  app:\n    image: myorg/app:1.2\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n`;
        const { uri, d } = await openSecret(dir, 'compose.yaml', text, 'dockercompose');
        const applied = await applyFix(dir, uri, d, COMPOSE_SECRET_TITLE);
        assertSameText(
          applied.docText,
          'services:\n  app:\n    image: myorg/app:1.2\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt\n',
          'compose.yaml',
        );
      },
    );

    test(
      'the .env fix in a flow map (environment: {DB_PASSWORD: ...}) keeps the YAML valid',
      async () => {
        const dir = 'compose-env-flow';
        const text = `services:\n  app:\n    image: myorg/app:1.2\n    environment: {DB_PASSWORD: ${DB_PASSWORD}}\n    read_only: true\n`;
        const { uri, d } = await openSecret(dir, 'compose.yaml', text, 'dockercompose');
        const applied = await applyFix(dir, uri, d, COMPOSE_ENV_TITLE);
        assert.ok(!applied.docText.includes(DB_PASSWORD), 'the secret left compose.yaml');
        const doc = parseDocument(applied.docText);
        assert.deepEqual(
          doc.errors.map((e) => e.code),
          [],
          'the fixed file parses',
        );
        assert.equal(doc.getIn(['services', 'app', 'environment', 'DB_PASSWORD']), '${DB_PASSWORD}');
        assertSameText(fs.readFileSync(ws.path(`${dir}/.env`), 'utf8'), `${DOTENV_LINE}\n`, '.env');
      },
    );
  });

  describe('Kubernetes: a Deployment with env API_TOKEN', () => {
    test('the secretKeyRef fix: exact manifest, web-secrets.env and .gitignore', async () => {
      const dir = 'kube';
      const { uri, d } = await openSecret(dir, 'deploy.yaml', MANIFEST, 'yaml');
      const actions = await client.codeActions(uri, [d], ['quickfix']);
      assertNoSecretIn(actions);
      assert.deepEqual(
        actions.map((a) => a.title),
        [KUBE_TITLE, IGNORE_LINE, IGNORE_FILE, SHOW_DOCS],
      );
      assertRotateTitles(actions, [KUBE_TITLE]);

      const applied = applyOnDisk(actions[0].edit, ws.path(dir), uri, client.text(uri), client.version(uri));
      assert.deepEqual(
        applied.operations.map((o) => [o.kind, o.path]),
        [
          ['create', 'web-secrets.env'],
          ['create', '.gitignore'],
        ],
      );
      assertSameText(applied.docText, MANIFEST_FIXED, 'deploy.yaml');
      assertSameText(fs.readFileSync(ws.path(`${dir}/web-secrets.env`), 'utf8'), `API_TOKEN=${API_TOKEN}\n`, 'web-secrets.env');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.gitignore`), 'utf8'), 'web-secrets.env\n', '.gitignore');
      assert.deepEqual(tree(ws.path(dir)), ['.git/HEAD', '.gitignore', 'deploy.yaml', 'web-secrets.env']);
      await sendAndExpectNoSecret(uri, applied.docText);
    });

    test('an existing web-secrets.env is appended to', async () => {
      const dir = 'kube-existing';
      const { uri, d } = await openSecret(dir, 'deploy.yaml', MANIFEST, 'yaml', { 'web-secrets.env': 'OTHER=1\n', '.gitignore': '*.env\n' });
      const applied = await applyFix(dir, uri, d, KUBE_TITLE);
      assert.deepEqual(applied.operations, []);
      assert.deepEqual([...applied.versions], [
        ['(document)', client.version(uri)],
        ['web-secrets.env', null],
      ]);
      assertSameText(fs.readFileSync(ws.path(`${dir}/web-secrets.env`), 'utf8'), `OTHER=1\nAPI_TOKEN=${API_TOKEN}\n`, 'web-secrets.env');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.gitignore`), 'utf8'), '*.env\n', '.gitignore');
    });
  });

  describe('Dockerfile: ENV NPM_TOKEN read by RUN ... npm ci', () => {
    test('the BuildKit secret mount fix: syntax line, --mount on the RUN, ENV gone; .secrets/npm_token, .gitignore, .dockerignore', async () => {
      const dir = 'docker';
      const { uri, d } = await openSecret(dir, 'Dockerfile', DOCKERFILE, 'dockerfile');
      const actions = await client.codeActions(uri, [d], ['quickfix']);
      assertNoSecretIn(actions);
      assert.deepEqual(
        actions.map((a) => a.title),
        [BUILD_TITLE, IGNORE_LINE, IGNORE_FILE, SHOW_DOCS],
      );
      assertRotateTitles(actions, [BUILD_TITLE]);

      const applied = applyOnDisk(actions[0].edit, ws.path(dir), uri, client.text(uri), client.version(uri));
      assert.deepEqual(
        applied.operations.map((o) => [o.kind, o.path]),
        [
          ['create', '.secrets/npm_token'],
          ['create', '.gitignore'],
          ['create', '.dockerignore'],
        ],
      );
      assertSameText(applied.docText, DOCKERFILE_FIXED, 'Dockerfile');
      assert.ok(applied.docText.split('\n')[0] === '# syntax=docker/dockerfile:1', 'the syntax directive is the first line');
      assert.ok(!applied.docText.includes(NPM_TOKEN), 'the secret left the Dockerfile');
      assert.ok(fs.readFileSync(ws.path(`${dir}/.secrets/npm_token`), 'utf8') === NPM_TOKEN, '.secrets/npm_token holds exactly the value');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.gitignore`), 'utf8'), '.secrets/\n', '.gitignore');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.dockerignore`), 'utf8'), '.secrets/\n', '.dockerignore');
      assert.deepEqual(tree(ws.path(dir)), ['.dockerignore', '.git/HEAD', '.gitignore', '.secrets/npm_token', 'Dockerfile']);
      await sendAndExpectNoSecret(uri, applied.docText);
    });

    test('existing .gitignore and .dockerignore get the line appended; one that already ignores .secrets/ is left alone', async () => {
      const dir = 'docker-existing';
      const { uri, d } = await openSecret(dir, 'Dockerfile', DOCKERFILE, 'dockerfile', { '.gitignore': '.secrets/\n', '.dockerignore': 'node_modules\n' });
      const applied = await applyFix(dir, uri, d, BUILD_TITLE);
      assert.deepEqual(
        applied.operations.map((o) => [o.kind, o.path]),
        [['create', '.secrets/npm_token']],
      );
      assert.ok(!applied.versions.has('.gitignore'), 'no edit to .gitignore');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.gitignore`), 'utf8'), '.secrets/\n', '.gitignore');
      assertSameText(fs.readFileSync(ws.path(`${dir}/.dockerignore`), 'utf8'), 'node_modules\n.secrets/\n', '.dockerignore');
    });
  });

  // --- 3. fix-all ----------------------------------------------------------------------------

  describe('source.fixAll.bulkhead never applies secret fixes', () => {
    const cases = [
      { name: 'compose.yaml', text: COMPOSE, languageId: 'dockercompose', secret: DB_PASSWORD, expected: null },
      { name: 'deploy.yaml', text: MANIFEST, languageId: 'yaml', secret: API_TOKEN, expected: null },
      // USER root has a preferred fix, so there is a fix-all edit: it must leave the secret alone
      { name: 'Dockerfile', text: dockerfile('root'), languageId: 'dockerfile', secret: NPM_TOKEN, expected: dockerfile('10001:10001') },
    ];
    for (const c of cases) {
      test(`${c.name}: the fix-all edit (if any) keeps the secret where it was and has no resource operations`, async () => {
        const dir = `fixall-${c.name.replace(/\W/g, '-')}`;
        const { uri } = await openSecret(dir, c.name, c.text, c.languageId);
        const all = client.latest(uri)!.diagnostics;
        const actions = await client.codeActions(uri, all, ['source.fixAll.bulkhead']);
        assertNoSecretIn(actions);
        assert.ok(actions.length <= 1, `at most one fix-all action, got ${actions.length}`);
        if (c.expected !== null) assert.equal(actions.length, 1, 'a fix-all action (USER root is fixable)');
        for (const a of actions) {
          assert.equal(a.kind, 'source.fixAll.bulkhead');
          const ops = (a.edit?.documentChanges ?? []).filter((op) => 'kind' in op);
          assert.equal(ops.length, 0, 'no resource operations');
          const after = applyOnlyToDocument(a.edit, uri, client.text(uri));
          assert.ok(after.includes(c.secret), 'the secret is still in the file');
          assert.ok(after.indexOf(c.secret) === c.text.indexOf(c.secret), 'at the same place');
          if (c.expected !== null) assertSameText(after, c.expected, c.name);
        }
        assert.deepEqual(tree(ws.path(dir)), ['.git/HEAD', c.name], 'no file written');
      });
    }
  });

  // --- 4. diagnostics ------------------------------------------------------------------------

  describe('diagnostics never carry the value', () => {
    const cases = [
      { name: 'compose.yaml', text: COMPOSE, languageId: 'dockercompose', message: "Hardcoded password in environment variable DB_PASSWORD of service 'app'" },
      { name: 'deploy.yaml', text: MANIFEST, languageId: 'yaml', message: "Hardcoded token in env API_TOKEN of container 'app'" },
      { name: 'Dockerfile', text: DOCKERFILE, languageId: 'dockerfile', message: 'npm token in ENV NPM_TOKEN' },
    ];
    for (const c of cases) {
      test(`${c.name}: neither the message nor the whole diagnostic (data included) holds the secret`, async () => {
        const { uri, d } = await openSecret(`diag-${c.name.replace(/\W/g, '-')}`, c.name, c.text, c.languageId);
        for (const x of client.latest(uri)!.diagnostics) {
          assert.ok(!holdsSecret(messageOf(x)), `the message of ${String(x.code)} holds no secret`);
          assert.ok(!holdsSecret(JSON.stringify(x)), `the diagnostic ${String(x.code)} holds no secret`);
        }
        assert.ok(!holdsSecret(messageOf(d)));
        assert.equal(messageOf(d), c.message);
        assert.equal(d.source, 'bulkhead');
        assert.equal(d.severity, 1);
        // the range covers the secret only
        const lines = c.text.split('\n');
        assert.equal(d.range.start.line, d.range.end.line);
        const covered = lines[d.range.start.line].slice(d.range.start.character, d.range.end.character);
        assert.ok(SECRETS.includes(covered), 'the range covers exactly the secret');
      });
    }
  });
});

// --- 2. clients that cannot create files ---------------------------------------------------------

const limitedClients = [
  { name: 'documentChanges, resourceOperations []', capabilities: () => pushCapabilities({ resourceOperations: [] }), form: 'documentChanges' },
  { name: "documentChanges, resourceOperations ['rename', 'delete'] (no create)", capabilities: () => pushCapabilities({ resourceOperations: ['rename', 'delete'] }), form: 'documentChanges' },
  { name: 'no documentChanges', capabilities: () => pushCapabilities({ documentChanges: false }), form: 'changes' },
];

const ignoreCases = [
  {
    name: 'compose.yaml',
    text: COMPOSE,
    secret: DB_PASSWORD,
    languageId: 'dockercompose',
    line: COMPOSE.replace('      DB_PASSWORD:', '      # bulkhead-ignore no-hardcoded-secrets\n      DB_PASSWORD:'),
    file: `# bulkhead-ignore-file no-hardcoded-secrets\n${COMPOSE}`,
  },
  {
    name: 'deploy.yaml',
    text: MANIFEST,
    secret: API_TOKEN,
    languageId: 'yaml',
    line: MANIFEST.replace('              value:', '              # bulkhead-ignore no-hardcoded-secrets\n              value:'),
    file: `# bulkhead-ignore-file no-hardcoded-secrets\n${MANIFEST}`,
  },
  {
    name: 'Dockerfile',
    text: DOCKERFILE,
    secret: NPM_TOKEN,
    languageId: 'dockerfile',
    line: DOCKERFILE.replace('ENV NPM_TOKEN', '# bulkhead-ignore no-hardcoded-secrets\nENV NPM_TOKEN'),
    file: `# bulkhead-ignore-file no-hardcoded-secrets\n${DOCKERFILE}`,
  },
];

for (const variant of limitedClients) {
  describe(`secret fixes: a client with ${variant.name}`, () => {
    let client: TestClient;
    let ws: TempWorkspace;
    before(async () => {
      ws = new TempWorkspace('bulkhead-secret-fixes-');
      client = await TestClient.start({ capabilities: variant.capabilities(), rootUri: ws.uri(''), settings: SETTINGS });
    });
    after(async () => {
      await client?.stop();
      ws?.remove();
    });

    for (const c of ignoreCases) {
      test(`${c.name}: only the ignore actions, each editing the document only`, async () => {
        const dir = `ignore-${c.name.replace(/\W/g, '-')}`;
        repo(ws, dir, { [c.name]: c.text });
        const uri = ws.uri(`${dir}/${c.name}`);
        await client.open(uri, c.text, c.languageId);
        const p = await client.waitForVersion(uri, (ds) => secretDiagnostics(ds).length > 0, 'the no-hardcoded-secrets finding');
        const [d] = secretDiagnostics(p.diagnostics);
        const actions = await client.codeActions(uri, [d], ['quickfix']);
        assertNoSecretIn(actions);
        assert.deepEqual(
          actions.map((a) => a.title),
          [IGNORE_LINE, IGNORE_FILE, SHOW_DOCS],
        );
        for (const a of actions.slice(0, 2)) {
          assert.equal(a.kind, 'quickfix');
          assert.ok(variant.form === 'changes' ? a.edit?.changes !== undefined : a.edit?.documentChanges !== undefined, `a ${variant.form} edit`);
        }
        assertSameText(applyOnlyToDocument(actions[0].edit, uri, client.text(uri)), c.line, `${c.name} with the ignore comment`);
        assertSameText(applyOnlyToDocument(actions[1].edit, uri, client.text(uri)), c.file, `${c.name} with the ignore-file comment`);

        // fix-all offers nothing that writes files either
        const all = await client.codeActions(uri, p.diagnostics, ['source.fixAll.bulkhead']);
        for (const a of all) assert.ok(applyOnlyToDocument(a.edit, uri, client.text(uri)).includes(c.secret), 'fix-all keeps the secret');
        assert.deepEqual(tree(ws.path(dir)), ['.git/HEAD', c.name], 'no file written');
      });
    }
  });
}
