/** CLI: --harden <container> applies one container's safe fixes and says what it left. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, runJson, tmp } from './helpers';

const COMPOSE = ['services:', '  api:', '    build: .', '  db:', '    image: postgres:16', ''].join('\n');
/** api's Dockerfile: a node image runs as any uid, so its user fix is safe (without it, the fix is not preferred). */
const DOCKERFILE = 'FROM node:20-slim\nCMD ["node", "server.js"]\n';

const API_HARDENED = [
  'services:',
  '  api:',
  '    build: .',
  '    security_opt:',
  '      - no-new-privileges=true',
  '    user: "10001:10001"',
  '  db:',
  '    image: postgres:16',
  '',
].join('\n');

const API_LEFT =
  'bulkhead: hardened api in compose.yaml: 2 fixes applied; left for review: ' +
  'drop-capabilities (not known to be safe for this image: Set cap_drop: [ALL] (the image may need capabilities at start)); ' +
  'read-only-root-filesystem (not known to be safe for this image: Set read_only: true, tmpfs at /tmp (the image is not in the table: the app may need more writable paths)); ' +
  'resource-limits (the right limits are yours to choose)\n';

describe('cli: --harden', () => {
  test("changes only the named service, reports what remains and what it left", (t) => {
    const dir = tmp(t, { 'compose.yaml': COMPOSE, Dockerfile: DOCKERFILE });
    const r = runJson(['--harden', 'api', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), API_HARDENED);
    assert.equal(r.stderr, API_LEFT);
    assert.equal(r.json.summary.fixed, 2);
    const rules = r.json.files.find((f) => f.path === 'compose.yaml')!.findings.map((f) => `${f.range.start.line}:${f.rule}`);
    // api keeps only what Harden left; db is untouched
    assert.deepEqual(rules, ['1:drop-capabilities', '1:read-only-root-filesystem', '1:resource-limits', '6:drop-capabilities', '6:no-privilege-escalation', '6:no-root-user', '6:read-only-root-filesystem', '6:resource-limits']);
  });

  test('with --stdin-filename the hardened text goes to stdout', (t) => {
    const dir = tmp(t, { Dockerfile: DOCKERFILE });
    const r = run(['--harden', 'api', '--stdin-filename', 'compose.yaml', '--fail-on', 'never'], { cwd: dir, input: COMPOSE });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, API_HARDENED);
    assert.ok(r.stderr.startsWith(API_LEFT), r.stderr);
  });

  test('an unknown container is a usage error and nothing is written', (t) => {
    const dir = tmp(t, { 'compose.yaml': COMPOSE });
    const r = run(['--harden', 'web'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, "bulkhead: no container named 'web' in the files scanned\n");
    assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), COMPOSE);
  });

  test('--harden with --fix is a usage error', (t) => {
    const dir = tmp(t, { 'compose.yaml': COMPOSE });
    const r = run(['--harden', 'api', '--fix'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'bulkhead: --harden and --fix cannot be combined: --harden fixes one container, --fix every file\n');
    assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), COMPOSE);
  });
});
