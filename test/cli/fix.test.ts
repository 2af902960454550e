/** CLI: --fix on files, and --stdin-filename (with and without --fix). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLEAN, ROOT_USER, ROOT_USER_FIXED, assertReportShape, listTree, run, runJson, tmp, type JsonReport } from './helpers';

describe('cli: --fix', () => {
  test('rewrites USER root, reports what remains, exits 0', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const r = runJson(['--fix', '--format', 'json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), ROOT_USER_FIXED);
    assertReportShape(r.json);
    assert.deepEqual(r.json.files, [{ path: 'Dockerfile', kind: 'dockerfile', findings: [] }]);
    assert.deepEqual(r.json.summary, { files: 1, findings: 0, fixed: 1, skipped: 0 });
    assert.deepEqual(listTree(dir), ['Dockerfile'], 'no temporary file left behind');
  });

  test('a second run finds nothing and changes nothing', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    run(['--fix'], { cwd: dir });
    const again = runJson(['--fix', '--format', 'json'], { cwd: dir });
    assert.equal(again.status, 0);
    assert.equal(again.json.summary.fixed, 0);
    assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), ROOT_USER_FIXED);
  });

  test('text output says what was fixed', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const r = run(['--fix'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Fixed 1 finding/);
  });

  test('a CRLF file keeps CRLF', (t) => {
    const dir = tmp(t, { Dockerfile: 'FROM node:20\r\nUSER root\r\n' });
    const r = run(['--fix'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), 'FROM node:20\r\nUSER 10001:10001\r\n');
  });

  test('a BOM file keeps its BOM (once)', (t) => {
    const dir = tmp(t, { Dockerfile: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ROOT_USER)]) });
    const r = run(['--fix'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const bytes = fs.readFileSync(path.join(dir, 'Dockerfile'));
    assert.deepEqual(bytes, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ROOT_USER_FIXED)]));
  });

  test('a file with no fixable finding is not rewritten', (t) => {
    const dir = tmp(t, { Dockerfile: CLEAN, 'fixme/Dockerfile': ROOT_USER });
    const file = path.join(dir, 'Dockerfile');
    const before = fs.statSync(file);
    const r = runJson(['--fix', '--format', 'json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json.summary.fixed, 1);
    const after = fs.statSync(file);
    assert.equal(fs.readFileSync(file, 'utf8'), CLEAN);
    assert.equal(after.mtimeMs, before.mtimeMs, 'mtime unchanged');
    assert.equal(after.ino, before.ino, 'not replaced by a new file');
  });

  test('an explicit unknown file is not touched by --fix', (t) => {
    const dir = tmp(t, { 'notes.yaml': 'a: 1\n' });
    const r = runJson(['--fix', '--format', 'json', 'notes.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'notes.yaml'), 'utf8'), 'a: 1\n');
    assert.equal(r.json.summary.fixed, 0);
  });
});

describe('cli: --stdin-filename', () => {
  test('reads the text from stdin and reports it under that name', (t) => {
    const dir = tmp(t);
    const r = runJson(['--stdin-filename', 'Dockerfile', '--format', 'json'], { cwd: dir, input: ROOT_USER });
    assert.equal(r.status, 1, r.stderr);
    assertReportShape(r.json);
    assert.deepEqual(
      r.json.files.map((f) => ({ path: f.path, kind: f.kind, findings: f.findings.map((x) => [x.rule, x.range]) })),
      [{ path: 'Dockerfile', kind: 'dockerfile', findings: [['no-root-user', { start: { line: 1, character: 5 }, end: { line: 1, character: 9 } }]] }],
    );
    assert.deepEqual(listTree(dir), [], 'nothing written to disk');
  });

  test('a clean text exits 0', (t) => {
    const dir = tmp(t);
    const r = run(['--stdin-filename', 'Dockerfile'], { cwd: dir, input: CLEAN });
    assert.equal(r.status, 0, r.stderr);
  });

  test('the name decides the kind (and the nearest .bulkhead.yaml applies)', (t) => {
    const dir = tmp(t, { 'svc/.bulkhead.yaml': 'rules:\n  no-root-user: off\n' });
    const off = runJson(['--stdin-filename', 'svc/Dockerfile', '--format', 'json'], { cwd: dir, input: ROOT_USER });
    assert.equal(off.status, 0, off.stderr);
    assert.deepEqual(off.json.files, [{ path: 'svc/Dockerfile', kind: 'dockerfile', findings: [] }]);
  });

  test('with --fix prints the fixed text to stdout', (t) => {
    const dir = tmp(t);
    const r = run(['--stdin-filename', 'Dockerfile', '--fix'], { cwd: dir, input: ROOT_USER });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, ROOT_USER_FIXED);
    assert.deepEqual(listTree(dir), [], 'nothing written to disk');
  });

  test('with --fix keeps CRLF and BOM', (t) => {
    const dir = tmp(t);
    const r = run(['--stdin-filename', 'Dockerfile', '--fix'], { cwd: dir, input: '\uFEFFFROM node:20\r\nUSER root\r\n' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '\uFEFFFROM node:20\r\nUSER 10001:10001\r\n');
  });

  test('with --fix, an unchanged text is echoed as is', (t) => {
    const dir = tmp(t);
    const r = run(['--stdin-filename', 'Dockerfile', '--fix'], { cwd: dir, input: CLEAN });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, CLEAN);
  });

  test('with --fix and --output, the report goes to the file', (t) => {
    const dir = tmp(t);
    const r = run(['--stdin-filename', 'Dockerfile', '--fix', '--format', 'json', '--output', 'report.json'], { cwd: dir, input: ROOT_USER });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, ROOT_USER_FIXED);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as JsonReport;
    assert.equal(report.summary.fixed, 1);
  });
});
