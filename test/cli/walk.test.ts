/** CLI: walking folders (.gitignore, node_modules, ignore globs) and configuration (.bulkhead.yaml, --config, --preset). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLEAN, ROOT_USER, assertReportShape, run, runJson, tmp } from './helpers';

const paths = (r: { json: { files: { path: string }[] } }) => r.json.files.map((f) => f.path);

describe('cli: walking', () => {
  test('.gitignore in the scanned folder excludes files and folders', (t) => {
    const dir = tmp(t, {
      '.gitignore': 'build/\nlegacy.Dockerfile\n',
      'Dockerfile': CLEAN,
      'legacy.Dockerfile': ROOT_USER,
      'build/Dockerfile': ROOT_USER,
      'app/Dockerfile': CLEAN,
    });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assertReportShape(r.json);
    assert.deepEqual(paths(r), ['Dockerfile', 'app/Dockerfile']);
  });

  test('a .gitignore in a subfolder applies below it', (t) => {
    const dir = tmp(t, { 'svc/.gitignore': 'gen/\n', 'svc/gen/Dockerfile': ROOT_USER, 'svc/Dockerfile': CLEAN });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.deepEqual(paths(r), ['svc/Dockerfile']);
  });

  test('.gitignore of the scanned folder applies when it is named as an argument', (t) => {
    const dir = tmp(t, { 'proj/.gitignore': 'out/\n', 'proj/out/Dockerfile': ROOT_USER, 'proj/Dockerfile': CLEAN });
    const r = runJson(['--format', 'json', 'proj'], { cwd: dir });
    assert.deepEqual(paths(r), ['proj/Dockerfile']);
  });

  test("a deeper .gitignore's !negation keeps a file a parent .gitignore ignores (as git)", (t) => {
    const dir = tmp(t, {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': '*.Dockerfile\n',
      'top.Dockerfile': ROOT_USER,
      'svc/.gitignore': '!keep.Dockerfile\n',
      'svc/keep.Dockerfile': CLEAN,
      'svc/drop.Dockerfile': ROOT_USER,
      'svc/deep/keep.Dockerfile': CLEAN,
      'svc/deep/.gitignore': 'keep.Dockerfile\n',
      'other/keep.Dockerfile': ROOT_USER,
    });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    // svc/deep re-ignores what svc un-ignored; other/ never un-ignored it
    assert.deepEqual(paths(r), ['svc/keep.Dockerfile']);
    // the same when the walk starts below the .gitignore that ignores
    const sub = runJson(['--format', 'json', 'svc'], { cwd: dir });
    assert.deepEqual(paths(sub), ['svc/keep.Dockerfile']);
  });

  test('node_modules and .git are skipped', (t) => {
    const dir = tmp(t, {
      'node_modules/pkg/Dockerfile': ROOT_USER,
      'app/node_modules/x/Dockerfile': ROOT_USER,
      '.git/Dockerfile': ROOT_USER,
      'Dockerfile': CLEAN,
    });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(paths(r), ['Dockerfile']);
  });

  test('files are picked by name: Containerfile, Dockerfile.*, *.dockerfile, *.Dockerfile, YAML', (t) => {
    const dir = tmp(t, {
      'Containerfile': CLEAN,
      'Dockerfile.prod': CLEAN,
      'api.dockerfile': CLEAN,
      'web.Dockerfile': CLEAN,
      'README.md': ROOT_USER,
      'script.sh': ROOT_USER,
    });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.deepEqual(paths(r), ['Containerfile', 'Dockerfile.prod', 'api.dockerfile', 'web.Dockerfile']);
    assert.ok(r.json.files.every((f) => f.kind === 'dockerfile'));
  });

  test('.bulkhead.yaml ignore globs are respected', (t) => {
    const dir = tmp(t, {
      '.bulkhead.yaml': 'ignore:\n  - legacy/**\n  - "*.old.Dockerfile"\n',
      'legacy/Dockerfile': ROOT_USER,
      'legacy/deep/Dockerfile': ROOT_USER,
      'app.old.Dockerfile': ROOT_USER,
      'Dockerfile': CLEAN,
    });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(paths(r), ['Dockerfile']);
  });

  test('ignore globs of a .bulkhead.yaml in a subfolder are respected when walking its parent', (t) => {
    const dir = tmp(t, { 'sub/.bulkhead.yaml': 'ignore:\n  - legacy/**\n', 'sub/legacy/Dockerfile': ROOT_USER, 'sub/Dockerfile': CLEAN });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.deepEqual(paths(r), ['sub/Dockerfile']);
  });

  test('ignore globs are relative to the .bulkhead.yaml, not to the folder named on the command line', (t) => {
    const dir = tmp(t, { '.bulkhead.yaml': 'ignore:\n  - sub/legacy/**\n', 'sub/legacy/Dockerfile': ROOT_USER, 'sub/Dockerfile': CLEAN });
    assert.deepEqual(paths(runJson(['--format', 'json', '.'], { cwd: dir })), ['sub/Dockerfile']);
    assert.deepEqual(paths(runJson(['--format', 'json', 'sub'], { cwd: dir })), ['sub/Dockerfile']);
  });

  test('a file named explicitly that is unknown is listed with kind unknown', (t) => {
    const dir = tmp(t, { 'notes.yaml': 'a: 1\n', Dockerfile: CLEAN });
    const r = runJson(['--format', 'json', 'notes.yaml', 'Dockerfile'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json.files, [
      { path: 'Dockerfile', kind: 'dockerfile', findings: [] },
      { path: 'notes.yaml', kind: 'unknown', analysed: false, note: 'not a Dockerfile, Compose file or manifest', findings: [] },
    ]);
    assert.equal(r.json.summary.skipped, 0);
  });
});

describe('cli: configuration', () => {
  test('.bulkhead.yaml rules: {no-root-user: off} silences it', (t) => {
    const dir = tmp(t, { '.bulkhead.yaml': 'rules:\n  no-root-user: off\n', Dockerfile: ROOT_USER });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json.files, [{ path: 'Dockerfile', kind: 'dockerfile', findings: [] }]);
  });

  test('.bulkhead.yaml can raise a severity (affects the exit code at --fail-on error)', (t) => {
    const dir = tmp(t, { '.bulkhead.yaml': 'rules:\n  no-root-user: error\n', Dockerfile: ROOT_USER });
    const r = runJson(['--format', 'json', '--fail-on', 'error'], { cwd: dir });
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(r.json.files[0]?.findings.map((x) => [x.rule, x.severity]), [['no-root-user', 'error']]);
  });

  test('the nearest .bulkhead.yaml applies per file', (t) => {
    const dir = tmp(t, {
      '.bulkhead.yaml': 'rules:\n  no-root-user: error\n',
      'Dockerfile': ROOT_USER,
      'quiet/.bulkhead.yaml': 'rules:\n  no-root-user: off\n',
      'quiet/Dockerfile': ROOT_USER,
    });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.deepEqual(r.json.files.map((f) => [f.path, f.findings.map((x) => x.severity)]), [['Dockerfile', ['error']], ['quiet/Dockerfile', []]]);
  });

  test('--preset strict is accepted', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const r = runJson(['--format', 'json', '--preset', 'strict'], { cwd: dir });
    assert.equal(r.status, 1, r.stderr);
    assertReportShape(r.json);
    assert.ok(r.json.files[0]?.findings.some((x) => x.rule === 'no-root-user'));
  });

  test('--preset recommended is accepted, an unknown preset is a usage error', (t) => {
    const dir = tmp(t, { Dockerfile: CLEAN });
    assert.equal(runJson(['--format', 'json', '--preset', 'recommended'], { cwd: dir }).status, 0);
    assert.equal(run(['--preset', 'paranoid'], { cwd: dir }).status, 2);
  });

  test('--config other.yaml is used instead of the nearest .bulkhead.yaml', (t) => {
    const dir = tmp(t, {
      '.bulkhead.yaml': 'rules:\n  no-root-user: error\n',
      'other.yaml': 'rules:\n  no-root-user: off\n',
      'sub/.bulkhead.yaml': 'rules:\n  no-root-user: info\n',
      'Dockerfile': ROOT_USER,
      'sub/Dockerfile': ROOT_USER,
    });
    const nearest = runJson(['--format', 'json'], { cwd: dir });
    assert.deepEqual(nearest.json.files.map((f) => f.findings.map((x) => x.severity)), [['error'], ['info']]);
    const other = runJson(['--format', 'json', '--config', 'other.yaml'], { cwd: dir });
    assert.equal(other.status, 0, other.stderr);
    assert.deepEqual(other.json.files.map((f) => [f.path, f.findings]), [['Dockerfile', []], ['sub/Dockerfile', []]]);
    assert.equal(other.json.summary.skipped, 1, 'other.yaml itself is a walked, unknown YAML file');
  });

  test('--config ignore globs are used for walking', (t) => {
    const dir = tmp(t, { 'lint.yaml': 'ignore:\n  - vendor/**\n', 'vendor/Dockerfile': ROOT_USER, 'Dockerfile': CLEAN });
    const r = runJson(['--format', 'json', '--config', 'lint.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(paths(r), ['Dockerfile']);
  });
});
