/**
 * CLI parity with the editor (docs/cli.md): --unsafe-fixes, --fix --dry-run, presets,
 * --list-rules' preset column, and .bulkhead.yaml warnings (unknown ids) against errors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listTree, ROOT_USER, run, runJson, tmp, type JsonReport } from './helpers';

const PRIVILEGED = 'services:\n  web:\n    image: example/web:1.2\n    user: "1000"\n    cap_drop: [ALL]\n    security_opt: [no-new-privileges=true]\n    read_only: true\n    tmpfs: [/tmp]\n    deploy: {resources: {limits: {memory: 256m}}}\n    privileged: true\n';
const UNPRIVILEGED = PRIVILEGED.replace('    privileged: true\n', '');

describe('cli: --unsafe-fixes', () => {
  test('--fix alone leaves a fix that is not marked safe; --unsafe-fixes applies it', (t) => {
    const dir = tmp(t, { 'compose.yaml': PRIVILEGED });
    const safe = runJson<JsonReport>(['--fix', '--format', 'json'], { cwd: dir });
    assert.equal(safe.status, 1, safe.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), PRIVILEGED);
    assert.deepEqual(safe.json.files[0].findings.map((f) => f.rule), ['no-privileged']);
    assert.equal(safe.json.summary.fixed, 0);

    const unsafe = runJson<JsonReport>(['--fix', '--unsafe-fixes', '--format', 'json'], { cwd: dir });
    assert.equal(unsafe.status, 0, unsafe.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), UNPRIVILEGED);
    assert.deepEqual(unsafe.json.files[0].findings, []);
    assert.equal(unsafe.json.summary.fixed, 1);
  });

  test('without --fix it is a usage error (exit 2), and nothing is written', (t) => {
    const dir = tmp(t, { 'compose.yaml': PRIVILEGED });
    const r = run(['--unsafe-fixes'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'bulkhead: --unsafe-fixes needs --fix\n');
    assert.equal(r.stdout, '');
    assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), PRIVILEGED);
  });
});

describe('cli: --fix --dry-run', () => {
  const DOCKERFILE = 'FROM node:20\nADD app.js /app/\nCMD ["node", "app.js"]\n';
  const DIFF = [
    '--- a/Dockerfile',
    '+++ b/Dockerfile',
    '@@ -1,3 +1,4 @@',
    ' FROM node:20',
    '-ADD app.js /app/',
    '+COPY app.js /app/',
    '+USER 10001:10001',
    ' CMD ["node", "app.js"]',
    '',
  ].join('\n');

  test('prints the unified diff on stdout, the report on stderr, writes nothing; the exit code is for what would remain', (t) => {
    const dir = tmp(t, { Dockerfile: DOCKERFILE, 'clean/Dockerfile': 'FROM node:20\nUSER 1000\n' });
    const file = path.join(dir, 'Dockerfile');
    const before = fs.statSync(file);
    const r = run(['--fix', '--dry-run'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, DIFF);
    assert.equal(r.stderr, 'No findings in 2 files\nWould fix 2 findings (--dry-run: nothing written)\n');
    assert.equal(fs.readFileSync(file, 'utf8'), DOCKERFILE);
    assert.equal(fs.statSync(file).mtimeMs, before.mtimeMs);
    assert.deepEqual(listTree(dir), ['Dockerfile', 'clean/Dockerfile']);
  });

  test('exit 1 when findings at or above --fail-on would remain; JSON report on stderr says dryRun', (t) => {
    const dir = tmp(t, { 'compose.yaml': PRIVILEGED });
    const r = run(['--fix', '--dry-run', '--format', 'json'], { cwd: dir });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '', 'no safe fix: an empty diff');
    const report = JSON.parse(r.stderr) as JsonReport & { summary: { dryRun?: boolean } };
    assert.deepEqual(report.summary, { files: 1, findings: 1, fixed: 0, skipped: 0, dryRun: true });

    const unsafe = run(['--fix', '--unsafe-fixes', '--dry-run', '--output', 'report.json', '--format', 'json'], { cwd: dir });
    assert.equal(unsafe.status, 0);
    assert.equal(unsafe.stdout, '--- a/compose.yaml\n+++ b/compose.yaml\n@@ -7,4 +7,3 @@\n     read_only: true\n     tmpfs: [/tmp]\n     deploy: {resources: {limits: {memory: 256m}}}\n-    privileged: true\n');
    assert.equal(unsafe.stderr, '');
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).summary.fixed, 1);
    assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), PRIVILEGED);
  });

  test('a CRLF file without a final newline: the diff says so, and `git apply` reproduces --fix', (t) => {
    const text = 'FROM node:20\r\nUSER root\r\nADD app.js /app/';
    const dir = tmp(t, { Dockerfile: text, 'b/Dockerfile': text });
    const r = run(['--fix', '--dry-run', 'Dockerfile'], { cwd: dir });
    assert.equal(r.stdout, '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,3 +1,4 @@\n FROM node:20\r\n USER root\r\n-ADD app.js /app/\n\\ No newline at end of file\n+COPY app.js /app/\r\n+USER 10001:10001\r\n');
    run(['--fix', 'b/Dockerfile'], { cwd: dir });
    const patched = text.replace('ADD app.js /app/', 'COPY app.js /app/\r\nUSER 10001:10001\r\n');
    assert.equal(fs.readFileSync(path.join(dir, 'b/Dockerfile'), 'utf8'), patched, '--fix writes what the diff shows');
  });

  test('files a fix would create are shown as new files; a secret value is masked, never printed', (t) => {
    const SECRET = 'hunter2-Secret-99x';
    const compose = `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${SECRET}\n`;
    const dir = tmp(t, { 'compose.yaml': compose, '.git/HEAD': 'ref: refs/heads/main\n' });
    const r = run(['--fix', '--unsafe-fixes', '--dry-run', '--fail-on', 'never'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), 'the secret is not printed');
    assert.ok(r.stdout.includes('-      POSTGRES_PASSWORD: ***\n+      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n'), r.stdout);
    assert.ok(r.stdout.endsWith("--- /dev/null\n+++ b/.env\n@@ -0,0 +1 @@\n+POSTGRES_PASSWORD='***'\n--- /dev/null\n+++ b/.gitignore\n@@ -0,0 +1 @@\n+.env\n"), r.stdout);
    assert.deepEqual(listTree(dir), ['.git/HEAD', 'compose.yaml'], 'no .env, no .gitignore written');
  });

  test('with --stdin-filename: the diff of the text read, nothing else on stdout', (t) => {
    const dir = tmp(t);
    const r = run(['--fix', '--dry-run', '--stdin-filename', 'Dockerfile'], { cwd: dir, input: ROOT_USER });
    assert.equal(r.stdout, '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n FROM node:20\n-USER root\n+USER 10001:10001\n');
    assert.equal(r.status, 0);
    assert.deepEqual(listTree(dir), []);
  });

  test('without --fix it is a usage error (exit 2)', (t) => {
    const dir = tmp(t, { Dockerfile: DOCKERFILE });
    const r = run(['--dry-run'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'bulkhead: --dry-run needs --fix\n');
  });
});

describe('cli: presets', () => {
  const COMPOSE = 'services:\n  web:\n    image: nginx:latest\n    privileged: true\n  app:\n    image: example/app:1.2\n    user: root\n';
  const rules = (r: JsonReport) => r.files.flatMap((f) => f.findings.map((x) => `${x.rule}@${x.range.start.line}`));

  test('--preset baseline: only explicit dangerous settings (and an explicit root user)', (t) => {
    const dir = tmp(t, { 'compose.yaml': COMPOSE });
    assert.deepEqual(rules(runJson<JsonReport>(['--preset', 'baseline', '--format', 'json'], { cwd: dir }).json), ['no-privileged@3', 'no-root-user@6']);
  });

  test('preset: baseline in .bulkhead.yaml, and --preset wins over it', (t) => {
    const dir = tmp(t, { 'compose.yaml': COMPOSE, '.bulkhead.yaml': 'preset: baseline\n' });
    assert.deepEqual(rules(runJson<JsonReport>(['--format', 'json'], { cwd: dir }).json), ['no-privileged@3', 'no-root-user@6']);
    const strict = rules(runJson<JsonReport>(['--preset', 'strict', '--format', 'json'], { cwd: dir }).json);
    assert.ok(strict.includes('pin-image-digest@2') && strict.includes('no-root-user@1'), strict.join(' '));
  });

  test('an unknown preset is a usage error', (t) => {
    const dir = tmp(t, { 'compose.yaml': COMPOSE });
    const r = run(['--preset', 'loose'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Allowed choices are baseline, recommended, strict/);
  });

  test('--list-rules names each rule\'s preset (text column and JSON field)', (t) => {
    const dir = tmp(t);
    const listed = runJson<{ id: string; preset: string; docs?: string }[]>(['--list-rules', '--format', 'json'], { cwd: dir }).json;
    const preset = (id: string) => listed.find((x) => x.id === id)?.preset;
    assert.deepEqual(['no-privileged', 'read-only-root-filesystem', 'pin-image-digest', 'invalid-config'].map(preset), ['baseline', 'recommended', 'strict', 'baseline']);
    assert.ok(listed.every((x) => x.docs?.startsWith('file://') && fs.existsSync(new URL(x.docs))), 'every docs link is an installed page');
    const text = run(['--list-rules'], { cwd: dir }).stdout;
    assert.match(text, /^no-privileged +error +baseline +compose,kubernetes /m);
    assert.match(text, /^pin-image-digest +info +strict +dockerfile,compose,kubernetes /m);
  });
});

describe('cli: .bulkhead.yaml warnings and errors', () => {
  test('an unknown rule id: a warning on stderr, the rest of the file applies, the exit code is the findings\'', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER, 'sub/Dockerfile': ROOT_USER, '.bulkhead.yaml': 'rules:\n  no-root-usr: "off"\n  no-root-user: error\n' });
    const r = runJson<JsonReport>(['--format', 'json'], { cwd: dir });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "bulkhead: warning: .bulkhead.yaml:2:16: Unknown rule 'no-root-usr' (ignored; invalid-config)\n", 'once, not once per file');
    assert.deepEqual(r.json.files.map((f) => f.findings.map((x) => `${x.rule}:${x.severity}`)), [['no-root-user:error'], ['no-root-user:error']]);
  });

  test('an unknown key: a warning; with --config too', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER, 'ci.yaml': 'colour: red\n' });
    const r = run(['--config', 'ci.yaml'], { cwd: dir });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "bulkhead: warning: ci.yaml:1:9: Unknown setting 'colour' (ignored; invalid-config)\n");
  });

  test('an error beside a warning: exit 2, only the error named, no report', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER, '.bulkhead.yaml': 'rules:\n  nope: "off"\n  no-root-user: loud\n' });
    const r = run(['--format', 'json'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, "bulkhead: invalid configuration:\n.bulkhead.yaml:3:17: Rule 'no-root-user' must be one of off, info, warning, error\n");
    assert.equal(r.stdout, '');
  });
});
