/** CLI: the host-access rules — --fix leaves their fixes to the user (none is preferred); defaultLimits from .bulkhead.yaml reaches the JSON fix. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runJson, tmp } from './helpers';

const RULES = ['no-docker-socket', 'no-sensitive-host-mounts', 'resource-limits', 'encrypted-overlay-network'];
const COMPOSE = 'services:\n  agent:\n    image: portainer/agent:2.21.0\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n      - /etc/ssl:/etc/ssl\nnetworks:\n  back:\n    driver: overlay\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: example/app:1.0\n      volumeMounts: [{name: data, mountPath: /data}]\n  volumes:\n    - name: data\n      hostPath: {path: /srv/data}\n';

describe('cli: host-access rules', () => {
  test('--fix applies none of their fixes (the other rules\' preferred fixes do run); each finding keeps its severity', (t) => {
    const dir = tmp(t, { 'compose.yaml': COMPOSE, 'pod.yaml': POD });
    const r = runJson(['--fix', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const compose = fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8');
    for (const line of ['      - /var/run/docker.sock:/var/run/docker.sock\n', '      - /etc/ssl:/etc/ssl\n', '    driver: overlay\n']) assert.ok(compose.includes(line), compose);
    assert.ok(!compose.includes('memory'), compose);
    assert.ok(!fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8').includes('readOnly'));
    const left = r.json.files.flatMap((f) => f.findings.filter((x) => RULES.includes(x.rule)).map((x) => `${f.path} ${x.rule} ${x.severity}`));
    assert.deepEqual(left.sort(), [
      'compose.yaml encrypted-overlay-network info',
      'compose.yaml no-docker-socket error',
      'compose.yaml no-sensitive-host-mounts warning',
      'compose.yaml resource-limits info',
      'pod.yaml no-sensitive-host-mounts warning',
      'pod.yaml resource-limits info',
    ]);
  });

  test('defaultLimits in .bulkhead.yaml: the resource-limits fix writes those numbers', (t) => {
    const dir = tmp(t, { 'pod.yaml': POD, '.bulkhead.yaml': 'defaultLimits:\n  memory: 2g\n' });
    const r = runJson(['--format', 'json', '--fail-on', 'never'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const f = r.json.files[0].findings.find((x) => x.rule === 'resource-limits');
    assert.ok(f, JSON.stringify(r.json));
    assert.deepEqual(
      f.fixes.map((x) => x.title),
      ['Add limits (resources.limits memory: 2Gi; adjust the numbers to the workload, setting bulkhead.defaultLimits)'],
    );
  });
});
