/**
 * server/src/node/files.ts in-process: regular-file reads bounded by the size limit and the
 * root, the scan root of a path, and side files (FileRequest) that never leave their folder,
 * never go through a link out of the project, and keep an existing file's mode.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_FILE_SIZE } from '../../server/src/core/engine';
import { applyFileRequests, diskWorkspace, readRegularFile, scanRoot } from '../../server/src/node/files';
import { ROOT_USER, run, tmp, type JsonReport } from './helpers';

const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);

describe('node/files: reads', () => {
  test('only regular files inside the root; FIFOs, devices and links out are refused without blocking', (t) => {
    const dir = tmp(t, { 'repo/a.txt': 'hello', 'outside.txt': 'secret' });
    const root = path.join(dir, 'repo');
    execFileSync('mkfifo', [path.join(root, 'fifo')]);
    fs.symlinkSync('/dev/zero', path.join(root, 'zero'));
    fs.symlinkSync('../outside.txt', path.join(root, 'out'));
    fs.symlinkSync('a.txt', path.join(root, 'in'));
    fs.symlinkSync('fifo', path.join(root, 'fifo-link'));
    const table: [string, unknown][] = [
      ['a.txt', { ok: true, text: 'hello' }],
      ['in', { ok: true, text: 'hello' }],
      ['fifo', { ok: false, reason: 'not-regular' }],
      ['fifo-link', { ok: false, reason: 'not-regular' }],
      ['zero', { ok: false, reason: 'outside-root' }],
      ['out', { ok: false, reason: 'outside-root' }],
      ['../outside.txt', { ok: false, reason: 'outside-root' }],
      ['missing', { ok: false, reason: 'missing' }],
    ];
    for (const [rel, want] of table) {
      const r = readRegularFile(path.join(root, rel), { root });
      assert.deepEqual({ rel, r: r.ok ? { ok: true, text: r.text } : r }, { rel, r: want });
    }
    // without a root a device is still refused: it is not a regular file
    assert.deepEqual(readRegularFile('/dev/zero'), { ok: false, reason: 'not-regular' });
    assert.deepEqual(readRegularFile(path.join(root, 'in'), { root, noSymlinks: true }), { ok: false, reason: 'symlink' });
  });

  test('at most the size limit is read', (t) => {
    const dir = tmp(t, {});
    const file = path.join(dir, 'big');
    fs.writeFileSync(file, 'x'.repeat(MAX_FILE_SIZE + 100));
    const r = readRegularFile(file);
    assert.ok(r.ok);
    assert.deepEqual({ length: r.text.length, size: r.size, truncated: r.truncated }, { length: MAX_FILE_SIZE + 1, size: MAX_FILE_SIZE + 100, truncated: true });
    // the workspace view gives nothing rather than a cut text
    fs.writeFileSync(path.join(dir, 'small'), 'ok');
    const ws = diskWorkspace(path.join(dir, 'compose.yaml'), dir);
    assert.deepEqual([ws.read('big'), ws.read('small'), ws.read('../x')], [undefined, 'ok', undefined]);
  });

  test('scanRoot: the git work tree enclosing a path (a .git folder or file), else the current folder, else the path', (t) => {
    const dir = tmp(t, { 'wt/.git': 'gitdir: ../x\n', 'wt/app/Dockerfile': '', 'plain/app/Dockerfile': '', 'far/app/Dockerfile': '' });
    fs.mkdirSync(path.join(dir, 'repo/.git'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'repo/sub'), { recursive: true });
    fs.symlinkSync('../far/app', path.join(dir, 'plain/linked'));
    const table: [string, string, string][] = [
      ['repo/sub', 'plain', 'repo'],
      ['wt/app/Dockerfile', 'plain', 'wt'],
      ['plain/app/Dockerfile', 'plain', 'plain'],
      ['far/app/Dockerfile', 'plain', 'far/app'],
      ['far/app', 'plain', 'far/app'],
      ['plain/linked', 'plain', 'plain/linked'],
      ['plain/linked/Dockerfile', 'plain', 'plain/linked'],
    ];
    for (const [p, cwd, want] of table) assert.equal(path.relative(dir, scanRoot(path.join(dir, p), path.join(dir, cwd))), want, p);
  });
});

describe('node/files: side files of a fix', () => {
  test('never outside the folder of the fixed file, never through a link out of the project', (t) => {
    const dir = tmp(t, { 'outside/.env': 'KEEP=1\n' });
    const root = path.join(dir, 'repo');
    const app = path.join(root, 'app');
    fs.mkdirSync(app, { recursive: true });
    fs.symlinkSync('../../outside/.env', path.join(app, '.env'));
    fs.symlinkSync('../../outside', path.join(app, '.secrets'));
    const out = applyFileRequests(app, [
      { path: '.env', kind: 'append', text: 'DB_PASSWORD=x\n', unlessLine: 'DB_PASSWORD=x' },
      { path: '.secrets/db', kind: 'create', text: 'x' },
      { path: '../../outside/pwn-secrets.env', kind: 'append', text: 'A=x\n' },
      { path: '../pwn-secrets.env', kind: 'create', text: 'x' },
    ], root);
    assert.deepEqual(out.written, []);
    assert.deepEqual(
      out.refused.map((x) => [path.relative(dir, x.path), x.reason]),
      [
        ['repo/app/.env', 'it would be written through a link that leaves the project'],
        ['repo/app/.secrets/db', 'it would be written through a link that leaves the project'],
        ['outside/pwn-secrets.env', 'it would be outside the folder of the file fixed'],
        ['repo/pwn-secrets.env', 'it would be outside the folder of the file fixed'],
      ],
    );
    assert.deepEqual(fs.readdirSync(path.join(dir, 'outside')), ['.env']);
    assert.equal(fs.readFileSync(path.join(dir, 'outside/.env'), 'utf8'), 'KEEP=1\n');
    assert.deepEqual(fs.readdirSync(root), ['app']);
  });

  test('an existing side file keeps its mode; a link inside the project is written through; new secret files are 0600', (t) => {
    const root = tmp(t, { 'app/.gitignore': 'node_modules/\n', 'shared/env': 'A=1' });
    const app = path.join(root, 'app');
    fs.chmodSync(path.join(app, '.gitignore'), 0o640);
    fs.chmodSync(path.join(root, 'shared/env'), 0o604);
    fs.symlinkSync('../shared/env', path.join(app, '.env'));
    const out = applyFileRequests(app, [
      { path: '.gitignore', kind: 'append', text: '.env\n', unlessLine: '.env' },
      { path: '.env', kind: 'append', text: 'B=2\n', unlessLine: 'B=2' },
      { path: '.secrets/db', kind: 'create', text: 'x' },
    ], root);
    assert.deepEqual(out.refused, []);
    assert.deepEqual(out.written.map((f) => path.relative(root, f)), ['app/.gitignore', 'app/.env', 'app/.secrets/db']);
    assert.equal(fs.readFileSync(path.join(app, '.gitignore'), 'utf8'), 'node_modules/\n.env\n');
    assert.equal(mode(path.join(app, '.gitignore')), '640');
    assert.ok(fs.lstatSync(path.join(app, '.env')).isSymbolicLink(), 'the link stays a link');
    assert.equal(fs.readFileSync(path.join(root, 'shared/env'), 'utf8'), 'A=1\nB=2\n');
    assert.equal(mode(path.join(root, 'shared/env')), '604');
    assert.equal(mode(path.join(app, '.secrets/db')), '600');
  });

  test('a FIFO in place of a side file is neither read nor written', (t) => {
    const root = tmp(t, {});
    execFileSync('mkfifo', [path.join(root, '.gitignore')]);
    const out = applyFileRequests(root, [{ path: '.gitignore', kind: 'append', text: '.env\n', unlessLine: '.env' }], root);
    assert.deepEqual(out, { written: [], refused: [{ path: path.join(root, '.gitignore'), reason: 'it is not a regular file' }] });
  });
});

describe('cli: --output', () => {
  test('into a FIFO (as /dev/null or /dev/stdout are not files): written in place, the FIFO stays a FIFO', async (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const fifo = path.join(dir, 'report.pipe');
    execFileSync('mkfifo', [fifo]);
    // the reader is another process: the CLI's open of the FIFO waits for it
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let got = '';
    reader.stdout.setEncoding('utf8').on('data', (s: string) => (got += s));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const r = run(['Dockerfile', '--format', 'json', '--output', fifo], { cwd: dir });
    const stillFifo = fs.lstatSync(fifo).isFIFO();
    if (!stillFifo) reader.kill(); // replaced: nothing will ever write to the FIFO cat waits on
    await closed;
    assert.ok(stillFifo, 'the FIFO was replaced by a file');
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual((JSON.parse(got) as JsonReport).files.map((f) => f.findings.map((x) => x.rule)), [['no-root-user']]);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['Dockerfile', 'report.pipe'], 'no temporary file left');
  });

  test('onto an existing report: its mode kept, a link written through; a folder is refused', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER, 'reports/latest.json': 'old', 'out.json': 'old' });
    fs.chmodSync(path.join(dir, 'out.json'), 0o640);
    fs.symlinkSync('reports/latest.json', path.join(dir, 'link.json'));
    for (const target of ['out.json', 'link.json']) assert.equal(run(['Dockerfile', '--format', 'json', '--output', target], { cwd: dir }).status, 1);
    assert.equal(mode(path.join(dir, 'out.json')), '640');
    assert.ok(fs.lstatSync(path.join(dir, 'link.json')).isSymbolicLink(), 'the link stays a link');
    assert.match(fs.readFileSync(path.join(dir, 'reports/latest.json'), 'utf8'), /"no-root-user"/);
    const folder = run(['Dockerfile', '--output', 'reports'], { cwd: dir });
    assert.equal(folder.status, 2);
    assert.equal(folder.stderr.trim(), 'bulkhead: cannot write --output reports: it is a directory');
  });
});
