/** CLI: the JSON report (CONTRACT.md "JSON"), paths, text output, exit codes and --output. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLEAN, PKG_VERSION, ROOT_USER, assertReportShape, contractView, listTree, run, runJson, tmp, type JsonReport } from './helpers';

describe('cli: JSON report', () => {
  test('exact report for a root Dockerfile, a clean Dockerfile and a non-container YAML', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER, 'clean/Dockerfile': CLEAN, 'notes.yaml': 'a: 1\n' });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.equal(r.status, 1, r.stderr);
    assertReportShape(r.json);
    const message = r.json.files[0]?.findings[0]?.message ?? '';
    const fixes = r.json.files[0]?.findings[0]?.fixes ?? [];
    assert.ok(fixes.length >= 1 && fixes[0]?.preferred === true, 'the no-root-user fix is offered and preferred');
    assert.deepEqual(contractView(r.json), {
      version: 1,
      tool: { name: 'bulkhead', version: PKG_VERSION },
      files: [
        {
          path: 'Dockerfile',
          kind: 'dockerfile',
          findings: [
            {
              rule: 'no-root-user',
              severity: 'warning',
              message,
              range: { start: { line: 1, character: 5 }, end: { line: 1, character: 9 } },
              fixes,
            },
          ],
        },
        { path: 'clean/Dockerfile', kind: 'dockerfile', findings: [] },
      ],
      summary: { files: 2, findings: 1, fixed: 0, skipped: 1 },
    });
  });

  test('explicit folder argument gives paths relative to the working folder', (t) => {
    const dir = tmp(t, { 'proj/sub/Dockerfile': ROOT_USER, 'proj/Containerfile': CLEAN });
    const r = runJson(['--format', 'json', 'proj'], { cwd: dir });
    assertReportShape(r.json);
    assert.deepEqual(r.json.files.map((f) => f.path), ['proj/Containerfile', 'proj/sub/Dockerfile']);
  });

  test('files are sorted by path whatever the argument order', (t) => {
    const dir = tmp(t, {
      'b/Dockerfile': CLEAN,
      'a/Dockerfile': CLEAN,
      'a.Dockerfile': CLEAN,
      'Dockerfile': CLEAN,
      'a/z/app.dockerfile': CLEAN,
    });
    const r = runJson(['--format', 'json', 'b', 'a/z', 'a', '.'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assertReportShape(r.json);
    assert.deepEqual(r.json.files.map((f) => f.path), ['Dockerfile', 'a.Dockerfile', 'a/Dockerfile', 'a/z/app.dockerfile', 'b/Dockerfile']);
    assert.equal(r.json.summary.files, 5, 'a file reached twice is listed once');
  });

  test('a path outside the working folder is reported absolute', (t) => {
    const base = tmp(t, { 'work/.keep': '', 'other/Dockerfile': ROOT_USER });
    const cwd = path.join(base, 'work');
    const abs = path.join(base, 'other', 'Dockerfile').split(path.sep).join('/');
    const byFile = runJson(['--format', 'json', path.join(base, 'other', 'Dockerfile')], { cwd });
    assertReportShape(byFile.json);
    assert.deepEqual(byFile.json.files.map((f) => f.path), [abs]);
    const byRelativeFolder = runJson(['--format', 'json', '../other'], { cwd });
    assert.deepEqual(byRelativeFolder.json.files.map((f) => f.path), [abs]);
  });

  test('an absolute path inside the working folder is reported relative', (t) => {
    const dir = tmp(t, { 'sub/Dockerfile': ROOT_USER });
    const r = runJson(['--format', 'json', path.join(dir, 'sub', 'Dockerfile')], { cwd: dir });
    assert.deepEqual(r.json.files.map((f) => f.path), ['sub/Dockerfile']);
  });

  test('a folder whose name starts with ".." inside the working folder is still relative', (t) => {
    const dir = tmp(t, { '..odd/Dockerfile': ROOT_USER });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.deepEqual(r.json.files.map((f) => f.path), ['..odd/Dockerfile']);
  });

  test('a file named explicitly is listed even when its kind is unknown', (t) => {
    const dir = tmp(t, { 'notes.yaml': 'a: 1\n' });
    const r = runJson(['--format', 'json', 'notes.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assertReportShape(r.json);
    assert.deepEqual(r.json.files, [{ path: 'notes.yaml', kind: 'unknown', analysed: false, note: 'not a Dockerfile, Compose file or manifest', findings: [] }]);
    assert.deepEqual(r.json.summary, { files: 1, findings: 0, fixed: 0, skipped: 0 });
  });

  test('a file found by walking that is unknown is counted as skipped, not listed', (t) => {
    const dir = tmp(t, { 'notes.yaml': 'a: 1\n', 'other.yml': 'just: text\n' });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json.files, []);
    assert.deepEqual(r.json.summary, { files: 0, findings: 0, fixed: 0, skipped: 2 });
  });

  test('a BOM is not counted in positions', (t) => {
    const dir = tmp(t, { Dockerfile: '\uFEFF' + ROOT_USER });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.deepEqual(r.json.files[0]?.findings.map((x) => x.range), [{ start: { line: 1, character: 5 }, end: { line: 1, character: 9 } }]);
  });

  test('CRLF counts as one line break in positions', (t) => {
    const dir = tmp(t, { Dockerfile: 'FROM node:20\r\nUSER root\r\n' });
    const r = runJson(['--format', 'json'], { cwd: dir });
    assert.deepEqual(r.json.files[0]?.findings.map((x) => x.range), [{ start: { line: 1, character: 5 }, end: { line: 1, character: 9 } }]);
  });
});

describe('cli: text output', () => {
  test('text report shows the path, a 1-based position and the rule id', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const r = run([], { cwd: dir });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^Dockerfile$/m);
    assert.match(r.stdout, /\b2:6\b.*warning.*no-root-user/);
    assert.ok(!r.stdout.includes('\u001b['), 'no colours when stdout is not a terminal');
  });

  test('--quiet shows errors only', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const r = run(['--quiet'], { cwd: dir });
    assert.equal(r.status, 1, 'exit code still reflects the warning');
    assert.ok(!r.stdout.includes('no-root-user'), r.stdout);
  });
});

describe('cli: exit codes', () => {
  test('1 for a warning at the default --fail-on warning', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    assert.equal(run(['--format', 'json'], { cwd: dir }).status, 1);
    assert.equal(run(['--fail-on', 'warning'], { cwd: dir }).status, 1);
  });

  test('1 for a warning with --fail-on info', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    assert.equal(run(['--fail-on', 'info'], { cwd: dir }).status, 1);
  });

  test('0 for a warning with --fail-on error', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const r = run(['--fail-on', 'error'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /no-root-user/, 'the finding is still reported');
  });

  test('0 for a warning with --fail-on never', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    assert.equal(run(['--fail-on', 'never'], { cwd: dir }).status, 0);
  });

  test('0 for a clean folder', (t) => {
    const dir = tmp(t, { Dockerfile: CLEAN });
    const r = run([], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
  });

  test('2 for an unknown option', (t) => {
    const dir = tmp(t, { Dockerfile: CLEAN });
    const r = run(['--no-such-option'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no-such-option/);
  });

  test('2 for an invalid --format or --fail-on value', (t) => {
    const dir = tmp(t, { Dockerfile: CLEAN });
    assert.equal(run(['--format', 'xml'], { cwd: dir }).status, 2);
    assert.equal(run(['--fail-on', 'sometimes'], { cwd: dir }).status, 2);
  });

  test('2 for a missing path, named on stderr', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const r = run(['does-not-exist'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /does-not-exist/);
    assert.equal(r.stdout, '');
  });

  test('2 for an invalid .bulkhead.yaml, stderr names file:line:col', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER, '.bulkhead.yaml': 'rules:\n  no-root-user: maybe\n' });
    const r = run(['--format', 'json'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /\.bulkhead\.yaml:2:\d+/);
    assert.equal(r.stdout, '', 'no report on a configuration error');
  });

  test('2 for a .bulkhead.yaml that is not valid YAML', (t) => {
    const dir = tmp(t, { 'sub/Dockerfile': ROOT_USER, 'sub/.bulkhead.yaml': 'preset: strict\nrules: [\n' });
    const r = run(['sub'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /sub\/\.bulkhead\.yaml:\d+:\d+/);
  });

  test('2 for an invalid .bulkhead.yaml even when the folder holds no container file', (t) => {
    const dir = tmp(t, { '.bulkhead.yaml': 'rules:\n  no-root-user: maybe\n' });
    const r = run([], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /\.bulkhead\.yaml:2:\d+/);
  });

  test('2 for an invalid --config file, stderr names file:line:col', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER, 'other.yaml': 'preset: lenient\n' });
    const r = run(['--config', 'other.yaml'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /other\.yaml:1:\d+/);
    assert.equal(r.stdout, '');
  });

  test('2 for a --config file that does not exist', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const r = run(['--config', 'missing.yaml'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /missing\.yaml/);
  });
});

describe('cli: --output', () => {
  test('writes the report to the file and prints nothing on stdout', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const r = run(['--format', 'json', '--output', 'report.json'], { cwd: dir });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as JsonReport;
    assertReportShape(report);
    assert.deepEqual(report.files.map((f) => [f.path, f.findings.map((x) => x.rule)]), [['Dockerfile', ['no-root-user']]]);
    assert.deepEqual(listTree(dir), ['Dockerfile', 'report.json'], 'no temporary file left behind');
  });

  test('the file holds the same report as stdout would', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const out = run(['--format', 'json'], { cwd: dir });
    run(['--format', 'json', '-o', 'r.json'], { cwd: dir });
    assert.equal(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'), out.stdout);
  });

  test('into a folder that does not exist: exit 2 and no partial file', (t) => {
    const dir = tmp(t, { Dockerfile: ROOT_USER });
    const r = run(['--format', 'json', '--output', 'missing/dir/report.json'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.ok(r.stderr.length > 0);
    assert.equal(r.stdout, '');
    assert.ok(!fs.existsSync(path.join(dir, 'missing')));
    assert.deepEqual(listTree(dir), ['Dockerfile']);
  });
});
