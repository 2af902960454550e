/** CLI: read-only-root-filesystem and tmpfs-for-writable-paths with --fix on Compose, a stack file and a Deployment (every other rule off: exact text). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runJson, tmp } from './helpers';
import { CATALOG_IDS } from '../../server/src/core/rule';

const RULES = ['read-only-root-filesystem', 'tmpfs-for-writable-paths'];
const CONFIG = `rules:\n${CATALOG_IDS.filter((id) => !RULES.includes(id)).map((id) => `  ${id}: off\n`).join('')}`;

const COMPOSE = 'services:\n  web:\n    image: nginx:1.27 # proxy\n  api:\n    image: example/api:2\n    read_only: true\n';
const COMPOSE_FIXED = 'services:\n  web:\n    image: nginx:1.27 # proxy\n    read_only: true\n    tmpfs:\n      - /tmp:size=64m\n      - /var/cache/nginx:size=64m\n      - /var/run:size=64m\n  api:\n    image: example/api:2\n    read_only: true\n';
const STACK = 'version: "3.8"\nservices:\n  db:\n    image: postgres:16\n    read_only: true\n    tmpfs:\n      - /var/run/postgresql:size=8m\n';
const STACK_FIXED =
  'version: "3.8"\nservices:\n  db:\n    image: postgres:16\n    read_only: true\n    volumes:\n      - type: tmpfs\n        target: /var/run/postgresql\n        tmpfs:\n          size: 8388608\n      - type: tmpfs\n        target: /tmp\n        tmpfs:\n          size: 67108864\n';
const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n        - name: cache\n          image: redis:7\n          securityContext:\n            runAsUser: 999\n';
const DEPLOY_FIXED =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n        - name: cache\n          image: redis:7\n          securityContext:\n            runAsUser: 999\n            readOnlyRootFilesystem: true\n          volumeMounts:\n            - name: tmp\n              mountPath: /tmp\n            - name: data\n              mountPath: /data\n      volumes:\n        - name: tmp\n          emptyDir:\n            sizeLimit: 64Mi\n        - name: data\n          emptyDir:\n            sizeLimit: 1024Mi\n';

describe('cli: immutable containers', () => {
  test('--fix applies the preferred fixes; an unknown image keeps its /tmp info (offered, not preferred)', (t) => {
    const dir = tmp(t, { 'compose.yaml': COMPOSE, 'docker-stack.yml': STACK, 'deploy.yaml': DEPLOY, '.bulkhead.yaml': CONFIG });
    const before = runJson(['--format', 'json', '--fail-on', 'never'], { cwd: dir });
    assert.equal(before.status, 0, before.stderr);
    const found = before.json.files.flatMap((f) => f.findings.map((x) => `${f.path}:${x.range.start.line} ${x.rule} ${x.severity} ${x.fixes.map((fix) => (fix.preferred ? '*' : '-')).join('')}`));
    assert.deepEqual(found.sort(), [
      'compose.yaml:1 read-only-root-filesystem warning *',
      'compose.yaml:3 tmpfs-for-writable-paths info -',
      'deploy.yaml:8 read-only-root-filesystem warning *',
      'docker-stack.yml:6 tmpfs-for-writable-paths warning *',
    ]);
    const r = runJson(['--fix', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), COMPOSE_FIXED);
    assert.equal(fs.readFileSync(path.join(dir, 'docker-stack.yml'), 'utf8'), STACK_FIXED);
    assert.equal(fs.readFileSync(path.join(dir, 'deploy.yaml'), 'utf8'), DEPLOY_FIXED);
    const left = r.json.files.flatMap((f) => f.findings.map((x) => `${f.path}:${x.range.start.line} ${x.rule} ${x.message}`));
    assert.deepEqual(left, ["compose.yaml:8 tmpfs-for-writable-paths Service 'api' has a read-only root filesystem and nothing writable at /tmp (writable today: nothing; the fix adds tmpfs at /tmp)"]);
  });

  test('a service built from a workspace Dockerfile: its VOLUMEs (base stage included) are writable; .bulkhead.yaml kubernetes.emptyDirMedium: Memory', (t) => {
    const dir = tmp(t, {
      'app/compose.yaml': 'services:\n  api:\n    build:\n      context: ./src\n      dockerfile: Dockerfile.prod\n    read_only: true\n  worker:\n    build: ./src\n',
      'app/src/Dockerfile.prod': 'FROM node:20 AS base\nVOLUME /tmp\nFROM base\nVOLUME ["/var/lib/app"]\nUSER node\n',
      'app/src/Dockerfile': 'FROM python:3.12\nVOLUME /data\n',
      'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: example/api:2\n      securityContext:\n        readOnlyRootFilesystem: true\n',
      '.bulkhead.yaml': `${CONFIG}kubernetes:\n  emptyDirMedium: Memory\n`,
    });
    const r = runJson(['--format', 'json', '--fail-on', 'never'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const found = r.json.files.flatMap((f) => f.findings.map((x) => `${f.path}:${x.range.start.line} ${x.rule} ${x.message} [${x.fixes.map((fix) => fix.title).join(' | ')}]`));
    assert.deepEqual(found, [
      "app/compose.yaml:6 read-only-root-filesystem Service 'worker' has a writable root filesystem (no read_only: true): a compromised process can change the image's files (writable mounts today: /data (VOLUME); the fix adds tmpfs at /tmp) [Set read_only: true, tmpfs at /tmp (the image is not in the table: the app may need more writable paths)]",
      "k8s/pod.yaml:6 tmpfs-for-writable-paths Container 'app' has a read-only root filesystem and nothing writable at /tmp (writable today: nothing; the fix adds emptyDir (medium: Memory) at /tmp) [Add emptyDir (medium: Memory) at /tmp (the image is not in the table: the app may need more writable paths)]",
    ]);
  });
});
