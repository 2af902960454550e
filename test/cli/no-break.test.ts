/**
 * CLI (issue 15): `--fix` never inserts a USER into an image that would break (nginx, httpd,
 * database images, entrypoints that switch user with gosu/su-exec/setpriv/su...); a file named
 * on the command line that is not analysed says so; a legacy v1 Compose file gets its info.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, runJson, tmp } from './helpers';

const MUST_NOT_CHANGE: Record<string, string> = {
  'nginx/Dockerfile': 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n',
  'nginx-alpine/Dockerfile': 'FROM nginx:1.27-alpine\nCOPY nginx.conf /etc/nginx/nginx.conf\nCMD ["nginx", "-g", "daemon off;"]\n',
  'httpd/Dockerfile': 'FROM httpd:2.4\nCOPY ./public-html/ /usr/local/apache2/htdocs/\n',
  'postgres/Dockerfile': 'FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/\n',
  'mysql/Dockerfile': 'FROM mysql:8.4\nCOPY my.cnf /etc/mysql/conf.d/\n',
  'mongo/Dockerfile': 'FROM mongo:7\n',
  'redis/Dockerfile': 'FROM redis:7.2\nCOPY redis.conf /usr/local/etc/redis/redis.conf\nCMD ["redis-server", "/usr/local/etc/redis/redis.conf"]\n',
  'redis-gosu/Dockerfile':
    'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends gosu redis-server && rm -rf /var/lib/apt/lists/*\n' +
    'COPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["redis-server"]\n',
  'redis-gosu/docker-entrypoint.sh': '#!/bin/sh\nset -e\nif [ "$(id -u)" = "0" ]; then\n  chown -R redis /data\n  exec gosu redis "$0" "$@"\nfi\nexec "$@"\n',
  'node-gosu-script/Dockerfile': 'FROM node:20\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["node", "server.js"]\n',
  'node-gosu-script/entrypoint.sh': '#!/bin/bash\nchown -R node:node /app/data\nexec gosu node "$@"\n',
  'su-exec/Dockerfile': 'FROM alpine:3.20\nRUN apk add --no-cache su-exec\nENTRYPOINT ["su-exec", "app", "/usr/local/bin/app"]\n',
  'setpriv/Dockerfile': 'FROM debian:12\nCMD ["setpriv", "--reuid=1000", "--regid=1000", "--init-groups", "/app"]\n',
  'su/Dockerfile': 'FROM ubuntu:24.04\nENTRYPOINT ["su", "app", "-c", "/app"]\n',
  'unknown-base/Dockerfile': 'FROM registry.example.com/base/app:1.2\nCMD ["app"]\n',
};

describe('cli: --fix never inserts a USER that would break the image', () => {
  test('a folder of nginx, httpd, database and user-switching images is byte-identical after --fix; a node app next to them is fixed', (t) => {
    const control = { 'app/Dockerfile': 'FROM node:20\nCOPY . /app\nCMD ["node", "/app/server.js"]\n' };
    const dir = tmp(t, { ...MUST_NOT_CHANGE, ...control });
    const r = runJson(['--fix', '--format', 'json'], { cwd: dir });
    assert.equal(r.status, 1, r.stderr); // what remains: the warnings of the images whose user is unknown
    for (const [rel, text] of Object.entries(MUST_NOT_CHANGE)) assert.equal(fs.readFileSync(path.join(dir, rel), 'utf8'), text, rel);
    assert.equal(fs.readFileSync(path.join(dir, 'app/Dockerfile'), 'utf8'), 'FROM node:20\nCOPY . /app\nUSER 10001:10001\nCMD ["node", "/app/server.js"]\n');
    assert.equal(r.json.summary.fixed, 1);
    const root = r.json.files.flatMap((f) => f.findings.filter((x) => x.rule === 'no-root-user').map((x) => [f.path, x.severity, x.fixes.map((fx) => fx.preferred)]));
    assert.deepEqual(root, [
      ['httpd/Dockerfile', 'info', [false]],
      ['mongo/Dockerfile', 'info', [false]],
      ['mysql/Dockerfile', 'info', [false]],
      ['nginx-alpine/Dockerfile', 'info', [false]],
      ['nginx/Dockerfile', 'info', [false]],
      ['node-gosu-script/Dockerfile', 'info', [false]],
      ['postgres/Dockerfile', 'info', [false]],
      ['redis-gosu/Dockerfile', 'info', [false]],
      ['redis/Dockerfile', 'info', [false]],
      ['setpriv/Dockerfile', 'info', [false]],
      ['su-exec/Dockerfile', 'info', [false]],
      ['su/Dockerfile', 'info', [false]],
      ['unknown-base/Dockerfile', 'warning', [false]],
    ]);
  });
});

describe('cli: files that are not analysed say so', () => {
  test('text: a file named on the command line that is none of the kinds is "not analysed", never "No findings"', (t) => {
    const dir = tmp(t, { 'notes.yaml': 'a: 1\n' });
    const r = run(['notes.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'notes.yaml\n  not analysed: not a Dockerfile, Compose file or manifest\n\n1 file not analysed (not a Dockerfile, Compose file or manifest)\n');
  });

  test('text: next to an analysed clean file', (t) => {
    const dir = tmp(t, { 'notes.txt': 'hello\n', Dockerfile: 'FROM node:20\nUSER 1000\n' });
    const r = run(['notes.txt', 'Dockerfile'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'notes.txt\n  not analysed: not a Dockerfile, Compose file or manifest\n\nNo findings in 1 file; 1 file not analysed (not a Dockerfile, Compose file or manifest)\n');
  });

  test('a named file is reported once and as named, also when a folder walk found it first', (t) => {
    const dir = tmp(t, { 'notes.yaml': 'a: 1\n', Dockerfile: 'FROM node:20\nUSER 1000\n' });
    for (const args of [['.', 'notes.yaml'], ['notes.yaml', '.'], ['Dockerfile', '.', 'notes.yaml']]) {
      const r = run(args, { cwd: dir });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'notes.yaml\n  not analysed: not a Dockerfile, Compose file or manifest\n\nNo findings in 1 file; 1 file not analysed (not a Dockerfile, Compose file or manifest)\n', args.join(' '));
    }
  });

  test('json: the file is listed with analysed: false and the note', (t) => {
    const dir = tmp(t, { 'values.yaml': 'replicaCount: 2\n' });
    const r = runJson(['--format', 'json', 'values.yaml'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json.files, [{ path: 'values.yaml', kind: 'unknown', analysed: false, note: 'not a Dockerfile, Compose file or manifest', findings: [] }]);
  });

  test('a legacy v1 Compose file is analysed, with one info that current Compose refuses it', (t) => {
    const dir = tmp(t, { 'docker-compose.yml': 'web:\n  build: .\ndb:\n  image: postgres:9.6\n' });
    const r = runJson(['--format', 'json', '--fail-on', 'never'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json.files.map((f) => f.kind), ['compose']);
    const legacy = r.json.files[0].findings.filter((x) => x.rule === 'legacy-compose-format');
    assert.deepEqual(legacy.map((x) => [x.severity, x.range, x.message]), [
      ['info', { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, "Legacy Compose v1 format (services at the top level): current docker compose and docker stack deploy refuse it; move the services under 'services:'"],
    ]);
  });
});
