/**
 * CLI on a repository crafted against it (issue 11 item 1, issue 10 "defects"): only regular
 * files are read, at most the size limit, never outside the project (the git work tree
 * enclosing a path, else the current folder); --fix keeps mode and owner, and writes through
 * a symlink only when its target stays inside the project.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT_USER, ROOT_USER_FIXED, run, runJson, tmp, type Files, type JsonReport } from './helpers';

function mkfifo(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('mkfifo', [file]);
}

/** A scratch folder that is a git work tree (a `.git` folder is what marks one). */
function repo(t: { after: (fn: () => void) => void }, files: Files): string {
  const dir = tmp(t, files);
  fs.mkdirSync(path.join(dir, '.git'));
  return dir;
}

/** Rules these tests are about: whether a Dockerfile was read shows in no-root-user; other rules come and go. */
const WATCHED = new Set(['no-root-user', 'file-too-large', 'invalid-dockerfile', 'invalid-yaml']);

/** path -> watched rule ids, for compact exact comparisons. */
function rulesByFile(r: { json: JsonReport }): Record<string, string[]> {
  return Object.fromEntries(r.json.files.map((f) => [f.path, f.findings.map((x) => x.rule).filter((id) => WATCHED.has(id))]));
}

const NON_ROOT = 'FROM node:20\nUSER 1000\n';
const BUILD_HERE = 'services:\n  web:\n    build: .\n';

describe('cli: reads only regular files inside the project', () => {
  test('a FIFO named as the Compose build.dockerfile is not waited on', (t) => {
    const dir = repo(t, { 'compose.yaml': 'services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.fifo\n' });
    mkfifo(path.join(dir, 'Dockerfile.fifo'));
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert.deepEqual(rulesByFile(r), { 'compose.yaml': ['no-root-user'] }, 'the Dockerfile could not be read: the service may run as root');
  });

  test('FIFOs named .gitignore and .bulkhead.yaml are not waited on', (t) => {
    const dir = repo(t, { 'Dockerfile': ROOT_USER, 'svc/Dockerfile': NON_ROOT });
    mkfifo(path.join(dir, '.gitignore'));
    mkfifo(path.join(dir, 'svc/.gitignore'));
    mkfifo(path.join(dir, '.bulkhead.yaml'));
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert.deepEqual(rulesByFile(r), { 'Dockerfile': ['no-root-user'], 'svc/Dockerfile': [] });
  });

  test('Dockerfile -> /dev/zero beside compose.yaml with build: . is not read (no endless read)', (t) => {
    const dir = repo(t, { 'compose.yaml': BUILD_HERE });
    fs.symlinkSync('/dev/zero', path.join(dir, 'Dockerfile'));
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert.deepEqual(rulesByFile(r), { 'compose.yaml': ['no-root-user'] });
  });

  test('a FIFO or a device named on the command line: exit 2 with the reason, no hang', (t) => {
    const dir = repo(t, {});
    mkfifo(path.join(dir, 'fifo.Dockerfile'));
    fs.symlinkSync('fifo.Dockerfile', path.join(dir, 'Dockerfile'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.Dockerfile'));
    const cases: [string, string][] = [
      ['fifo.Dockerfile', 'bulkhead: fifo.Dockerfile is not a regular file\n'],
      ['Dockerfile', 'bulkhead: Dockerfile is not a regular file\n'],
      ['zero.Dockerfile', 'bulkhead: zero.Dockerfile is a link to a file outside the project\n'],
    ];
    for (const [arg, stderr] of cases) {
      const r = run([arg], { cwd: dir });
      assert.deepEqual({ arg, status: r.status, stdout: r.stdout, stderr: r.stderr }, { arg, status: 2, stdout: '', stderr });
    }
  });

  test('build.context leaving the git work tree is not read; `..` inside it is', (t) => {
    const dir = tmp(t, { 'outside/Dockerfile': NON_ROOT, 'repo/Dockerfile': NON_ROOT });
    const root = path.join(dir, 'repo');
    fs.mkdirSync(path.join(root, '.git'));
    fs.mkdirSync(path.join(root, 'app'));
    fs.writeFileSync(path.join(root, 'app/out.yaml'), 'services:\n  web:\n    build:\n      context: ../../outside\n');
    fs.writeFileSync(path.join(root, 'app/up.yaml'), 'services:\n  web:\n    build:\n      context: ..\n');
    // run from inside the repository and from outside it: the root is the work tree either way
    for (const [cwd, prefix] of [[path.join(root, 'app'), ''], [dir, 'repo/app/']] as const) {
      const r = runJson(['--format', 'json', path.join(root, 'app')], { cwd });
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
      assert.deepEqual(rulesByFile(r), { [`${prefix}out.yaml`]: ['no-root-user'], [`${prefix}up.yaml`]: [] });
    }
  });

  test('outside a git work tree the current folder is the root', (t) => {
    const dir = tmp(t, { 'outside/Dockerfile': NON_ROOT, 'proj/Dockerfile': NON_ROOT, 'proj/app/out.yaml': 'services:\n  web:\n    build:\n      context: ../../outside\n', 'proj/app/up.yaml': 'services:\n  web:\n    build:\n      context: ..\n' });
    const r = runJson(['--format', 'json'], { cwd: path.join(dir, 'proj') });
    assert.deepEqual(rulesByFile(r), { 'Dockerfile': [], 'app/out.yaml': ['no-root-user'], 'app/up.yaml': [] });
  });

  test('a symlinked Dockerfile is read when its target stays inside the project', (t) => {
    const dir = repo(t, { 'compose.yaml': BUILD_HERE, 'base/Dockerfile.real': NON_ROOT });
    fs.symlinkSync('base/Dockerfile.real', path.join(dir, 'Dockerfile'));
    const r = runJson(['--format', 'json', 'compose.yaml'], { cwd: dir });
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert.deepEqual(rulesByFile(r), { 'compose.yaml': [] });
  });

  test('a sparse 3 GiB Dockerfile is read only up to the limit: file-too-large with its real size', (t) => {
    const dir = repo(t, {});
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, ROOT_USER);
    fs.truncateSync(file, 3 * 1024 * 1024 * 1024);
    const r = runJson(['--format', 'json', '--fix'], { cwd: dir });
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert.deepEqual(
      r.json.files.map((f) => ({ path: f.path, findings: f.findings.map((x) => [x.rule, x.message]) })),
      [{ path: 'Dockerfile', findings: [['file-too-large', 'File not analysed: 3072.0 MB is over the 2 MB limit']] }],
    );
    assert.equal(fs.statSync(file).size, 3 * 1024 * 1024 * 1024, 'not rewritten');
  });
});

describe('cli: --fix keeps the file what it was', () => {
  test('mode 0600 and 0755 stay', (t) => {
    const dir = repo(t, { 'a/Dockerfile': ROOT_USER, 'b/Dockerfile': ROOT_USER });
    fs.chmodSync(path.join(dir, 'a/Dockerfile'), 0o600);
    fs.chmodSync(path.join(dir, 'b/Dockerfile'), 0o755);
    const r = runJson(['--fix', '--format', 'json'], { cwd: dir });
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert.equal(r.json.summary.fixed, 2);
    for (const [f, mode] of [['a/Dockerfile', 0o600], ['b/Dockerfile', 0o755]] as const) {
      assert.equal(fs.readFileSync(path.join(dir, f), 'utf8'), ROOT_USER_FIXED);
      assert.equal((fs.statSync(path.join(dir, f)).mode & 0o777).toString(8), mode.toString(8), f);
    }
  });

  test('the owner stays', (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('changing a file owner needs root');
      return;
    }
    const dir = repo(t, { Dockerfile: ROOT_USER });
    const file = path.join(dir, 'Dockerfile');
    fs.chownSync(file, 4321, 4322);
    const r = run(['--fix'], { cwd: dir });
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert.equal(fs.readFileSync(file, 'utf8'), ROOT_USER_FIXED);
    const st = fs.statSync(file);
    assert.deepEqual([st.uid, st.gid], [4321, 4322]);
  });

  test('a symlink whose target is inside the project: the target is fixed, the link stays a link', (t) => {
    const dir = repo(t, { 'docker/Dockerfile.base': ROOT_USER });
    const link = path.join(dir, 'Dockerfile');
    fs.symlinkSync('docker/Dockerfile.base', link);
    fs.chmodSync(path.join(dir, 'docker/Dockerfile.base'), 0o640);
    const r = runJson(['--fix', '--format', 'json', 'Dockerfile'], { cwd: dir });
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert.equal(r.json.summary.fixed, 1);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'still a link');
    assert.equal(fs.readlinkSync(link), 'docker/Dockerfile.base');
    assert.equal(fs.readFileSync(path.join(dir, 'docker/Dockerfile.base'), 'utf8'), ROOT_USER_FIXED);
    assert.equal((fs.statSync(path.join(dir, 'docker/Dockerfile.base')).mode & 0o777).toString(8), '640');
    assert.deepEqual(fs.readdirSync(path.join(dir, 'docker')), ['Dockerfile.base'], 'no temporary file left');
  });

  test('a symlink leaving the project is left alone, and stderr says so', (t) => {
    const dir = tmp(t, { 'outside/Dockerfile': ROOT_USER });
    const root = path.join(dir, 'repo');
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    fs.symlinkSync('../outside/Dockerfile', path.join(root, 'Dockerfile'));
    const r = run(['--fix', 'Dockerfile'], { cwd: root });
    assert.deepEqual({ status: r.status, stdout: r.stdout, stderr: r.stderr }, { status: 2, stdout: '', stderr: 'bulkhead: Dockerfile is a link to a file outside the project\n' });
    assert.equal(fs.readFileSync(path.join(dir, 'outside/Dockerfile'), 'utf8'), ROOT_USER);
    assert.ok(fs.lstatSync(path.join(root, 'Dockerfile')).isSymbolicLink());
  });
});
