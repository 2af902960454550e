/**
 * no-hardcoded-secrets: the fixes that write other files, against hostile or unusual
 * repositories (issue 11, items 3, 7, 8 and the `.dockerignore` part of 9), and values merged
 * into a service through `<<` (issue 10).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { mergeConfig } from '../../../server/src/core/config';
import { applyEdits, type WorkspaceView } from '../../../server/src/core/engine';
import { engine } from '../../../server/src/rules';
import { ignoreLine, isSafeSidePath } from '../../../server/src/secrets';
import { secretTable } from '../secrets/harness';

const ROTATE = 'rotate the secret: it stays in your history';
const buildSecret = (name: string, id: string, runtime = false) =>
  `Move ${name} to a build secret (RUN --mount=type=secret,id=${id},env=${name}; value written to .secrets/${id}, git- and docker-ignored; build with --secret id=${id},src=.secrets/${id}${runtime ? `; containers no longer get ${name} at run time` : ''}); ${ROTATE}`;
const envFile = (v: string) => `Replace with \${${v}} from .env (git-ignored); ${ROTATE}`;
const keyRef = (name: string, secret: string) =>
  `Read ${name} from Secret ${secret} (value moved to ${secret}.env, git-ignored; create it with kubectl create secret generic ${secret} --from-env-file=${secret}.env); ${ROTATE}`;

const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: example/api:1.0\n          env:\n            - name: DB_PASSWORD\n              value: hunter2\n`;
const NPM_RUN = 'RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci\n';
const NPM_DOCKERFILE = `FROM node:20\nARG NPM_TOKEN=@@npm@@\n${NPM_RUN}`;
const npmFinding = (fixes: string[], line = 1) => ({ message: 'npm token in build arg NPM_TOKEN', range: [[line, 14], [line, 54]] as [[number, number], [number, number]], fixes });
const NPM_FIXED = `# syntax=docker/dockerfile:1\nFROM node:20\n${NPM_RUN.replace('RUN ', 'RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN,required=true ')}`;

// ---- issue 11, item 3: the secretKeyRef fix only for a valid object name
secretTable('no-hardcoded-secrets', [
  {
    name: 'item 3: metadata.name ../../outside/pwn: no fix (it would write outside the workspace)',
    path: 'deploy/api.yaml',
    code: deployment('../../outside/pwn'),
    findings: [{ message: "Hardcoded password in env DB_PASSWORD of container 'api'", range: [[12, 21], [12, 28]], fixes: [] }],
  },
  ...['"app: x"', '"{{ .Release.Name }}-api"', '"*ref"', '"a#b"', '"a\\nb"', 'API', `${'a'.repeat(246)}`].map((name) => ({
    name: `item 3: metadata.name ${name.length > 40 ? `${name.length} characters (the -secrets name is longer than 253)` : name}: not a DNS-1123 name, no fix`,
    path: 'deploy/api.yaml',
    code: deployment(name),
    findings: [{ message: "Hardcoded password in env DB_PASSWORD of container 'api'", range: [[12, 21], [12, 28]] as [[number, number], [number, number]], fixes: [] }],
  })),
  {
    name: 'item 3: a valid dotted name keeps its fix',
    path: 'deploy/api.yaml',
    code: deployment('api.v2'),
    findings: [{ message: "Hardcoded password in env DB_PASSWORD of container 'api'", range: [[12, 21], [12, 28]], fixes: [keyRef('DB_PASSWORD', 'api.v2-secrets')] }],
    fix: {
      fixed: deployment('api.v2').replace('              value: hunter2\n', '              valueFrom:\n                secretKeyRef:\n                  name: api.v2-secrets\n                  key: DB_PASSWORD\n'),
      files: { 'deploy/api.v2-secrets.env': 'DB_PASSWORD=hunter2\n', 'deploy/.gitignore': 'api.v2-secrets.env\n' },
    },
  },

  // ---- issue 11, item 8: never reuse or write into an existing secret file
  {
    name: 'item 8: .secrets/npm_token exists (another value): the next free name',
    workspace: { '.secrets/npm_token': 'other', '.gitignore': '.secrets/\n', '.dockerignore': '.secrets/\n' },
    code: NPM_DOCKERFILE,
    findings: [npmFinding([buildSecret('NPM_TOKEN', 'npm_token_2')])],
  },
  {
    name: 'item 8: .secrets/npm_token exists with the same value: not reused either',
    workspace: { '.secrets/npm_token': '@@npm@@', '.gitignore': '.secrets/\n', '.dockerignore': '.secrets/\n' },
    code: NPM_DOCKERFILE,
    findings: [npmFinding([buildSecret('NPM_TOKEN', 'npm_token_2')])],
  },
  {
    name: 'item 8: .secrets/npm_token to npm_token_9 all exist: no fix (the value would be lost)',
    workspace: Object.fromEntries(['', '_2', '_3', '_4', '_5', '_6', '_7', '_8', '_9'].map((n) => [`.secrets/npm_token${n}`, 'other'])),
    code: NPM_DOCKERFILE,
    findings: [npmFinding([])],
  },

  // ---- issue 11, item 9: .dockerignore belongs at the build context's root
  {
    name: 'item 9: no Compose file: the Dockerfile folder is the context, .dockerignore beside it',
    path: 'app/Dockerfile',
    code: NPM_DOCKERFILE,
    findings: [npmFinding([buildSecret('NPM_TOKEN', 'npm_token')])],
    fix: { fixed: NPM_FIXED, files: { 'app/.secrets/npm_token': '@@npm@@', 'app/.gitignore': '.secrets/\n', 'app/.dockerignore': '.secrets/\n' } },
  },
  {
    name: 'item 9: a Compose file builds it with the folder as context (build: ./app): .dockerignore beside it',
    path: 'app/Dockerfile',
    workspace: { 'compose.yaml': 'services:\n  app:\n    build: ./app\n' },
    code: NPM_DOCKERFILE,
    findings: [npmFinding([buildSecret('NPM_TOKEN', 'npm_token')])],
    fix: { fixed: NPM_FIXED, files: { 'app/.secrets/npm_token': '@@npm@@', 'app/.gitignore': '.secrets/\n', 'app/.dockerignore': '.secrets/\n' } },
  },
  {
    name: 'item 9: the context is the folder above (context: ., dockerfile: app/Dockerfile) and ignores nothing: no fix, nothing written beside the Dockerfile',
    path: 'app/Dockerfile',
    workspace: { 'compose.yaml': 'services:\n  app:\n    build:\n      context: .\n      dockerfile: app/Dockerfile\n' },
    code: NPM_DOCKERFILE,
    findings: [npmFinding([])],
  },
  {
    name: "item 9: the context above already docker-ignores app/.secrets/: the fix writes no .dockerignore beside the Dockerfile",
    path: 'app/Dockerfile',
    workspace: { 'compose.yaml': 'services:\n  app:\n    build:\n      context: .\n      dockerfile: app/Dockerfile\n', '.dockerignore': '**/.secrets/\n' },
    code: NPM_DOCKERFILE,
    findings: [npmFinding([buildSecret('NPM_TOKEN', 'npm_token')])],
    fix: { fixed: NPM_FIXED, files: { 'app/.secrets/npm_token': '@@npm@@', 'app/.gitignore': '.secrets/\n' } },
  },

  // ---- issue 10: values merged into environment through `<<` are the service's
  {
    name: 'environment: {<<: *common-env}: a merged password is found, at the anchor, once',
    path: 'compose.yaml',
    code: 'x-common-env: &common-env\n  DB_PASSWORD: hunter2\n  LOG_LEVEL: info\nservices:\n  api:\n    image: example/api:1.0\n    environment:\n      <<: *common-env\n      LOG_LEVEL: debug\n  worker:\n    image: example/worker:1.0\n    environment:\n      <<: *common-env\n',
    findings: [{ message: "Hardcoded password in environment variable DB_PASSWORD of services 'api', 'worker'", range: [[1, 15], [1, 22]], fixes: [envFile('DB_PASSWORD')] }],
  },
  {
    name: 'build args merged through `<<` inside args',
    path: 'compose.yaml',
    code: 'x-args: &args\n  NPM_TOKEN: @@npm@@\nservices:\n  api:\n    build:\n      context: .\n      args:\n        <<: *args\n',
    findings: [{ message: "npm token in build arg NPM_TOKEN of service 'api'", range: [[1, 13], [1, 53]] }],
  },
]);

describe('item 8: a secret file that exists but cannot be read is never written into', () => {
  const config = mergeConfig(undefined, { rules: Object.fromEntries(engine.rules.filter((r) => r.meta.id !== 'no-hardcoded-secrets').map((r) => [r.meta.id, 'off' as const])) });
  const npm = 'np' + 'm_' + 'BulkheadFakeNpmToken' + '0123456789abcdef';
  const text = `FROM node:20\nARG NPM_TOKEN=${npm}\n${NPM_RUN}`;
  const fixTitles = (ws: WorkspaceView) => engine.analyze({ text, path: '/ws/Dockerfile', workspace: ws }, config).findings.flatMap((f) => f.fixes.map((x) => x.title));
  test('an unreadable .secrets/npm_token (exists, read gives nothing): the next name', () => {
    const ws: WorkspaceView = { read: () => undefined, exists: (rel) => rel === '.secrets/npm_token' };
    assert.deepEqual(fixTitles(ws), [buildSecret('NPM_TOKEN', 'npm_token_2')]);
  });
  test('every name taken, none readable: no fix', () => {
    const ws: WorkspaceView = { read: () => undefined, exists: (rel) => rel.startsWith('.secrets/') };
    assert.deepEqual(fixTitles(ws), []);
  });

  const titles = (text: string, path: string, ws: WorkspaceView) => engine.analyze({ text, path, workspace: ws }, config).findings.flatMap((f) => f.fixes.map((x) => x.title));
  const COMPOSE = 'services:\n  api:\n    build: .\n    environment:\n      DB_PASSWORD: hunter2\n';
  const composeSecret = (id: string) => `Move DB_PASSWORD to a Compose secret (./secrets/${id}.txt, git-ignored; the app must read /run/secrets/${id}); ${ROTATE}`;
  test('Compose: an unreadable .env is not appended to; an unreadable secrets/db_password.txt is not reused', () => {
    const unreadable = new Set(['.env', 'secrets/db_password.txt']);
    const ws: WorkspaceView = { read: () => undefined, exists: (rel) => unreadable.has(rel) };
    assert.deepEqual(titles(COMPOSE, '/ws/compose.yaml', ws), [composeSecret('api_db_password')]);
  });
  test('Compose: secrets/db_password.txt already holding this value is reused (nothing is written into it)', () => {
    const ws: WorkspaceView = { read: (rel) => (rel === 'secrets/db_password.txt' ? 'hunter2' : undefined), exists: (rel) => rel === 'secrets/db_password.txt' };
    assert.deepEqual(titles(COMPOSE, '/ws/compose.yaml', ws), [envFile('DB_PASSWORD'), composeSecret('db_password')]);
  });
  test('Kubernetes: an unreadable <name>-secrets.env is not appended to', () => {
    const ws: WorkspaceView = { read: () => undefined, exists: (rel) => rel === 'api-secrets.env' };
    assert.deepEqual(titles(deployment('api'), '/ws/api.yaml', ws), []);
  });
});

describe('side files: paths and ignore lines', () => {
  const paths: [string, boolean][] = [
    ['.env', true], ['secrets/db.txt', true], ['.secrets/', true], ['api-secrets.env', true],
    ['../x.env', false], ['a/../../x', false], ['/etc/passwd', false], ['C:/x', false], ['a\\b', false],
    ['a\nb', false], ['a\0b', false], ['', false], ['./x', false], ['a//b', false],
  ];
  for (const [p, ok] of paths) test(`isSafeSidePath(${JSON.stringify(p)}) is ${ok}`, () => assert.equal(isSafeSidePath(p), ok));
  const lines: [string, string | null][] = [
    ['.env', '.env'], ['.secrets/', '.secrets/'], ['a*b?.env', 'a\\*b\\?.env'], ['[x].env', '\\[x\\].env'],
    ['#x', '\\#x'], ['!x', '\\!x'], ['a\nb', null], ['x ', null], ['a\\b', null],
  ];
  for (const [p, want] of lines) test(`ignoreLine(${JSON.stringify(p)})`, () => assert.equal(ignoreLine(p), want));
});

describe('item 7: the Compose-secret fix keeps the file valid and means what it says', () => {
  const config = mergeConfig(undefined, { rules: Object.fromEntries(engine.rules.filter((r) => r.meta.id !== 'no-hardcoded-secrets').map((r) => [r.meta.id, 'off' as const])) });
  /** The file after the Compose-secret fix of the first finding, parsed with merges resolved. */
  function fixed(text: string): { out: string; js: { services: Record<string, { secrets?: string[]; environment?: Record<string, string> | string[] }>; secrets?: Record<string, { file?: string }> } } {
    const r = engine.analyze({ text, path: '/ws/compose.yaml' }, config);
    const fix = r.findings.flatMap((f) => f.fixes).find((x) => x.title.startsWith('Move '));
    assert.ok(fix, 'a Compose-secret fix');
    const out = applyEdits(text, fix.edits);
    const doc = parseDocument(out, { merge: true, uniqueKeys: true });
    assert.deepEqual(doc.errors.map((e) => e.message), [], 'the fixed file parses');
    return { out, js: doc.toJS({ maxAliasCount: -1 }) as never };
  }

  test('no trailing newline: the id is listed on the service, no service invented', () => {
    const { js } = fixed('services:\n  api:\n    build: .\n    environment:\n      - LOG_LEVEL=info\n      - DB_PASSWORD=hunter2\n    secrets:\n      - other');
    assert.deepEqual(Object.keys(js.services), ['api']);
    assert.deepEqual(js.services.api.secrets, ['other', 'db_password']);
    assert.deepEqual(js.services.api.environment, ['LOG_LEVEL=info']);
    assert.deepEqual(js.secrets, { db_password: { file: './secrets/db_password.txt' } });
  });

  test("the last own environment entry shadows a merged environment: the anchor's variables stay off", () => {
    const { js } = fixed('x-base: &base\n  build: .\n  environment:\n    DEBUG: "1"\nservices:\n  api:\n    <<: *base\n    environment:\n      DB_PASSWORD: hunter2\n');
    const env = js.services.api.environment ?? {};
    assert.ok(!('DEBUG' in env) && !(Array.isArray(env) && env.length), `environment after the fix: ${JSON.stringify(env)}`);
    assert.deepEqual(js.services.api.secrets, ['db_password']);
  });

  test('an anchor on the environment that is used elsewhere: never deleted (no fix, or one that keeps it)', () => {
    const text = 'services:\n  api:\n    build: .\n    environment: &env\n      DB_PASSWORD: hunter2\nx-other:\n  env: *env\n';
    const fix = engine.analyze({ text, path: '/ws/compose.yaml' }, config).findings.flatMap((f) => f.fixes).find((x) => x.title.startsWith('Move '));
    if (fix) assert.equal(fixed(text).out.includes('&env'), true, 'the anchor is kept');
    else assert.equal(fix, undefined);
  });

  test('a multi-line quoted list item', () => {
    const { js } = fixed('services:\n  db:\n    image: postgres:16\n    environment:\n      - "POSTGRES_PASSWORD=Pg5ecret\n        Pw9x"\n');
    assert.deepEqual(js.services.db.environment, ['POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password']);
    assert.deepEqual(js.services.db.secrets, ['postgres_password']);
  });
});
