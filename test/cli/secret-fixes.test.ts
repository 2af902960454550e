/**
 * CLI and no-hardcoded-secrets: `--fix` applies preferred fixes only, and no secret fix is
 * preferred (each writes another file and the secret must be rotated anyway), so the value
 * stays where it is and no `.env`, `.secrets/` or `.gitignore` appears. The reports list
 * the fixes (preferred: false) and never print the value.
 *
 * The fake secrets are built by concatenation and never appear in test output: checks on
 * text that holds one are booleans.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertReportShape, listTree, run, runJson, tmp, type JsonReport } from './helpers';

const DB_PASSWORD = 'FAKE' + '-not-a-real-' + 'pw-7f3a';
const API_TOKEN = 'FAKE' + '-not-a-real-' + 'token-9c1d';
/** npm's format: `npm_` and 36 letters or digits. */
const NPM_TOKEN = 'npm_' + 'FAKEnotRealNpmToken' + '0123456789' + 'abcdefg';
const SECRETS = [DB_PASSWORD, API_TOKEN, NPM_TOKEN];
const holdsSecret = (s: string) => SECRETS.some((x) => s.includes(x));

const ROTATE = 'rotate the secret: it stays in your history';

const COMPOSE = `services:\n  app:\n    image: myorg/app:1.2\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n    read_only: true\n`;
const MANIFEST =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n' +
  '    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n          env:\n' +
  `            - name: API_TOKEN\n              value: ${API_TOKEN}\n`;
const NPMRC_RUN = 'echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc';
/** USER root has a preferred fix, so --fix does rewrite this file: the secret must survive it. */
const dockerfile = (user: string) => `FROM node:20\nENV NPM_TOKEN=${NPM_TOKEN}\nRUN ${NPMRC_RUN}\nUSER ${user}\n`;
const DOCKERFILE = dockerfile('root');
const DOCKERFILE_FIXED = dockerfile('10001:10001');

const FILES = { 'compose.yaml': COMPOSE, 'k8s/deploy.yaml': MANIFEST, Dockerfile: DOCKERFILE, '.git/HEAD': 'ref: refs/heads/main\n' };
const TREE = ['.git/HEAD', 'Dockerfile', 'compose.yaml', 'k8s/deploy.yaml'];

/** The secret fixes each file's finding lists, in order, none preferred. */
const SECRET_FIXES: Record<string, { title: string; preferred: boolean }[]> = {
  'compose.yaml': [
    { title: `Replace with \${DB_PASSWORD} from .env (git-ignored); ${ROTATE}`, preferred: false },
    { title: `Move DB_PASSWORD to a Compose secret (./secrets/db_password.txt, git-ignored; the app must read /run/secrets/db_password); ${ROTATE}`, preferred: false },
  ],
  'k8s/deploy.yaml': [
    {
      title: `Read API_TOKEN from Secret web-secrets (value moved to web-secrets.env, git-ignored; create it with kubectl create secret generic web-secrets -n shop --from-env-file=web-secrets.env); ${ROTATE}`,
      preferred: false,
    },
  ],
  Dockerfile: [
    {
      title:
        'Move NPM_TOKEN to a build secret (RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN; value written to .secrets/npm_token, git- and docker-ignored; ' +
        `build with --secret id=npm_token,src=.secrets/npm_token; containers no longer get NPM_TOKEN at run time); ${ROTATE}`,
      preferred: false,
    },
  ],
};

const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

/**
 * Every secret where it was (other rules' preferred fixes, such as the Dockerfile's USER root
 * or Compose hardening, may rewrite other lines); no file added.
 */
function assertSecretsUntouched(dir: string): void {
  assert.ok(read(dir, 'compose.yaml').includes(`    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n`), 'compose.yaml: the secret stays in environment');
  assert.ok(read(dir, 'k8s/deploy.yaml').includes(`            - name: API_TOKEN\n              value: ${API_TOKEN}\n`), 'k8s/deploy.yaml: the secret stays in env');
  assert.ok(read(dir, 'Dockerfile') === DOCKERFILE_FIXED, 'Dockerfile: only USER root fixed, ENV NPM_TOKEN kept');
  assert.ok(read(dir, 'Dockerfile').includes(`ENV NPM_TOKEN=${NPM_TOKEN}\n`), 'the secret is still in the Dockerfile');
  assert.deepEqual(listTree(dir), TREE, 'no .env, .secrets/, secrets/, web-secrets.env or .gitignore written');
}

describe('cli: --fix and secret fixes', () => {
  test('--fix applies no secret fix: the values stay, no file is written; the JSON report lists the fixes, none preferred', (t) => {
    const dir = tmp(t, FILES);
    const r = runJson<JsonReport>(['--fix', '--format', 'json'], { cwd: dir });
    assert.ok(!holdsSecret(r.stdout), 'stdout holds no secret');
    assert.ok(!holdsSecret(r.stderr), 'stderr holds no secret');
    assert.equal(r.status, 1, 'the secrets remain: errors, exit 1');
    assertReportShape(r.json);
    assertSecretsUntouched(dir);
    assert.ok(r.json.summary.fixed >= 1, 'USER root (and other preferred fixes) applied');

    const secretFindings = Object.fromEntries(
      r.json.files.map((f) => [f.path, f.findings.filter((x) => x.rule === 'no-hardcoded-secrets')]),
    );
    assert.deepEqual(Object.keys(secretFindings).sort(), ['Dockerfile', 'compose.yaml', 'k8s/deploy.yaml']);
    for (const [file, fixes] of Object.entries(SECRET_FIXES)) {
      const found = secretFindings[file];
      assert.equal(found.length, 1, `${file}: one secret finding`);
      assert.equal(found[0].severity, 'error');
      assert.deepEqual(found[0].fixes, fixes, `${file}: the fixes, none preferred`);
      for (const fx of found[0].fixes) assert.ok(fx.title.endsWith(ROTATE), `${file}: says to rotate the secret`);
    }
    assert.ok(!r.json.files.some((f) => f.path === 'Dockerfile' && f.findings.some((x) => x.rule === 'no-root-user')), "the Dockerfile's USER root is gone");
  });

  test('a second --fix changes nothing more', (t) => {
    const dir = tmp(t, FILES);
    run(['--fix'], { cwd: dir });
    const again = runJson<JsonReport>(['--fix', '--format', 'json'], { cwd: dir });
    assert.ok(!holdsSecret(again.stdout) && !holdsSecret(again.stderr), 'no secret in the output');
    assert.equal(again.status, 1);
    assert.equal(again.json.summary.fixed, 0);
    assertSecretsUntouched(dir);
  });

  for (const format of ['text', 'json', 'sarif']) {
    for (const fix of [false, true]) {
      test(`--format ${format}${fix ? ' --fix' : ''}: the output never holds a secret`, (t) => {
        const dir = tmp(t, FILES);
        const r = run([...(fix ? ['--fix'] : []), '--format', format], { cwd: dir });
        assert.equal(r.status, 1, `exit 1 (stderr redacted: ${holdsSecret(r.stderr) ? '<holds a secret>' : r.stderr})`);
        assert.ok(r.stdout.length > 0, 'a report');
        assert.ok(!holdsSecret(r.stdout), 'stdout holds no secret');
        assert.ok(!holdsSecret(r.stderr), 'stderr holds no secret');
        if (fix) assertSecretsUntouched(dir);
        else assert.deepEqual(listTree(dir), TREE);
        if (format === 'text') assert.ok(/no-hardcoded-secrets/.test(r.stdout), 'the findings are reported');
        if (format === 'sarif') {
          const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string }[] }[] };
          assert.equal(sarif.runs[0].results.filter((x) => x.ruleId === 'no-hardcoded-secrets').length, 3);
        }
      });
    }
  }

  test('--output: the written report holds no secret either', (t) => {
    const dir = tmp(t, FILES);
    const r = run(['--fix', '--format', 'sarif', '--output', 'report.sarif'], { cwd: dir });
    assert.equal(r.status, 1);
    assert.ok(!holdsSecret(r.stdout) && !holdsSecret(r.stderr), 'no secret on stdout or stderr');
    assert.ok(!holdsSecret(read(dir, 'report.sarif')), 'report.sarif holds no secret');
    assert.ok(read(dir, 'compose.yaml').includes(`      DB_PASSWORD: ${DB_PASSWORD}\n`), 'compose.yaml: the secret stays');
  });

  test('a hostile metadata.name (../../outside/pwn): the finding has no fix, nothing is written, in or out of the folder', (t) => {
    const dir = tmp(t, { 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/k8s/deploy.yaml': MANIFEST.replace('  name: web\n', '  name: ../../outside/pwn\n') });
    const r = runJson<JsonReport>(['--fix', '--format', 'json'], { cwd: path.join(dir, 'repo') });
    assert.ok(!holdsSecret(r.stdout) && !holdsSecret(r.stderr), 'no secret in the output');
    assert.equal(r.status, 1);
    const found = r.json.files.flatMap((f) => f.findings.filter((x) => x.rule === 'no-hardcoded-secrets'));
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].fixes, [], 'no secretKeyRef fix for a name that is not a DNS-1123 name');
    assert.deepEqual(listTree(dir), ['repo/.git/HEAD', 'repo/k8s/deploy.yaml']);
  });

  test('--stdin-filename with --fix: the secret comes back where it was, the report (on stderr) holds no secret, no file written', (t) => {
    const dir = tmp(t, { '.git/HEAD': 'ref: refs/heads/main\n' });
    const r = run(['--fix', '--format', 'json', '--stdin-filename', 'compose.yaml'], { cwd: dir, input: COMPOSE });
    assert.equal(r.status, 1);
    assert.ok(r.stdout.includes(`    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n`), 'stdout: the secret stays in environment');
    assert.ok(!holdsSecret(r.stderr), 'the report holds no secret');
    const report = JSON.parse(r.stderr) as JsonReport;
    assert.deepEqual(report.files[0].findings.find((x) => x.rule === 'no-hardcoded-secrets')?.fixes, SECRET_FIXES['compose.yaml']);
    assert.deepEqual(listTree(dir), ['.git/HEAD'], 'no .env or .gitignore written');
  });
});
