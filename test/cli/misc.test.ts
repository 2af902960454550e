/** CLI: --list-rules, --version, --help, and never printing a secret value. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PKG_VERSION, run, runJson, tmp } from './helpers';

interface ListedRule {
  id: string;
  severity: string;
  platforms: string[];
  fixable: boolean;
}

describe('cli: --list-rules', () => {
  test('text lists no-root-user', (t) => {
    const dir = tmp(t);
    const r = run(['--list-rules'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^no-root-user\b/m);
  });

  test('--format json is an array with id, severity, platforms, fixable', (t) => {
    const dir = tmp(t);
    const r = runJson<ListedRule[]>(['--list-rules', '--format', 'json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Array.isArray(r.json) && r.json.length > 0);
    for (const x of r.json) {
      assert.equal(typeof x.id, 'string');
      assert.match(x.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(['error', 'warning', 'info'].includes(x.severity), `${x.id}: severity ${x.severity}`);
      assert.ok(Array.isArray(x.platforms) && x.platforms.every((p) => ['dockerfile', 'compose', 'kubernetes'].includes(p)), `${x.id}: platforms ${JSON.stringify(x.platforms)}`);
      assert.equal(typeof x.fixable, 'boolean');
    }
    const ids = r.json.map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    const rule = r.json.find((x) => x.id === 'no-root-user');
    assert.ok(rule);
    assert.equal(rule.severity, 'warning');
    assert.ok(rule.platforms.includes('dockerfile'));
    assert.equal(rule.fixable, true);
  });
});

describe('cli: --version and --help', () => {
  test('--version prints the package.json version', (t) => {
    const dir = tmp(t);
    const r = run(['--version'], { cwd: dir });
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), PKG_VERSION);
  });

  test('--help exits 0 and describes the options', (t) => {
    const dir = tmp(t);
    const r = run(['--help'], { cwd: dir });
    assert.equal(r.status, 0);
    for (const opt of ['--format', '--output', '--fix', '--fail-on', '--preset', '--config', '--list-rules', '--stdin-filename', '--quiet', '--version']) {
      assert.ok(r.stdout.includes(opt), `help mentions ${opt}`);
    }
  });
});

describe('cli: never prints a secret', () => {
  const SECRET = 's3cr3t-Value-123';
  const files = {
    Dockerfile: `FROM node:20\nENV DB_PASSWORD=${SECRET}\n`,
    'b/Dockerfile': `FROM node:20\nARG API_TOKEN=${SECRET}\nENV DB_PASSWORD ${SECRET}\nUSER root\n`,
    'compose.yaml': `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${SECRET}\n`,
  };

  for (const format of ['text', 'json', 'sarif']) {
    test(`--format ${format}`, (t) => {
      const dir = tmp(t, files);
      const r = run(['--format', format], { cwd: dir });
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
      assert.ok(r.stdout.length > 0);
      assert.ok(!r.stdout.includes(SECRET), `${format} stdout holds the secret:\n${r.stdout}`);
      assert.ok(!r.stderr.includes(SECRET), `${format} stderr holds the secret`);
    });
  }

  test('--output file and --stdin-filename reports', (t) => {
    const dir = tmp(t, files);
    for (const format of ['text', 'json', 'sarif']) {
      const out = run(['--format', format, '--output', `report.${format}`], { cwd: dir });
      assert.equal(out.stdout, '');
      assert.ok(!fs.readFileSync(path.join(dir, `report.${format}`), 'utf8').includes(SECRET), `report.${format}`);
      const stdin = run(['--format', format, '--stdin-filename', 'Dockerfile'], { cwd: dir, input: files.Dockerfile });
      assert.ok(!stdin.stdout.includes(SECRET) && !stdin.stderr.includes(SECRET), `stdin ${format}`);
    }
  });
});
