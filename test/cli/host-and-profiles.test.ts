/**
 * CLI: no-host-namespaces, no-unconfined-profiles, no-host-ports and no-service-account-token
 * in the JSON report (exact findings), --fix leaving their never-preferred removals alone,
 * the strict preset's preferred seccomp fix applied, and --list-rules showing the PSS level.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, runJson, tmp, type JsonReport } from './helpers';

const RULES = ['no-host-namespaces', 'no-unconfined-profiles', 'no-host-ports', 'no-service-account-token'];
const CONFIG = `rules:\n${['no-root-user', 'pin-image-version', 'pin-image-digest', 'no-privileged', 'no-privilege-escalation', 'drop-capabilities', 'no-dangerous-capabilities', 'no-privileged-ports', 'no-hardcoded-secrets', 'read-only-root-filesystem', 'tmpfs-for-writable-paths'].map((r) => `  ${r}: off\n`).join('')}`;

const COMPOSE = 'services:\n  agent:\n    image: datadog/agent:7\n    pid: host\n    security_opt:\n      - apparmor:unconfined\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  automountServiceAccountToken: false\n  hostIPC: true\n  containers:\n    - name: a\n      image: nginx:1.27\n      ports:\n        - containerPort: 8080\n          hostPort: 8080\n';

const view = (r: JsonReport) => r.files.map((f) => ({ path: f.path, findings: f.findings.filter((x) => RULES.includes(x.rule)).map((x) => `${x.rule} ${x.severity} ${x.range.start.line}:${x.range.start.character}-${x.range.end.line}:${x.range.end.character} ${x.fixes.map((y) => `${y.preferred ? '*' : ''}${y.title}`).join(' | ')}`) }));

describe('cli: host namespaces, profiles, host ports, service-account tokens', () => {
  test('exact findings in the JSON report; --fix leaves the never-preferred removals alone', (t) => {
    const dir = tmp(t, { 'compose.yaml': COMPOSE, 'pod.yaml': POD, '.bulkhead.yaml': CONFIG });
    const r = runJson(['compose.yaml', 'pod.yaml', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(view(r.json), [
      {
        path: 'compose.yaml',
        findings: [
          'no-host-namespaces error 3:9-3:13 Remove pid: host',
          'no-unconfined-profiles error 5:8-5:27 Remove apparmor:unconfined from security_opt',
        ],
      },
      {
        path: 'pod.yaml',
        findings: [
          'no-host-namespaces error 6:11-6:15 Remove hostIPC: true',
          'no-host-ports warning 12:20-12:24 Remove hostPort (reach the container through a Service instead)',
        ],
      },
    ]);
    const fixed = runJson(['compose.yaml', 'pod.yaml', '--fix', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
    assert.equal(fixed.status, 0, fixed.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), COMPOSE);
    assert.equal(fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8'), POD);
  });

  test('strict preset: --fix writes the pod-level RuntimeDefault seccomp profile', (t) => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  automountServiceAccountToken: false\n  containers:\n    - name: a\n      image: nginx:1.27\n';
    const dir = tmp(t, { 'pod.yaml': text, '.bulkhead.yaml': CONFIG });
    const before = runJson(['pod.yaml', '--preset', 'strict', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
    assert.deepEqual(view(before.json)[0].findings, ['no-unconfined-profiles info 7:12-7:13 *Set seccompProfile type: RuntimeDefault on the pod']);
    const r = run(['pod.yaml', '--preset', 'strict', '--fix', '--fail-on', 'never'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8'), `${text}  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n`);
  });

  test('--list-rules shows the Pod Security Standards level', (t) => {
    const dir = tmp(t);
    const listed = runJson<{ id: string; pss?: string }[]>(['--list-rules', '--format', 'json'], { cwd: dir }).json;
    assert.deepEqual(
      RULES.map((id) => [id, listed.find((x) => x.id === id)?.pss ?? null]),
      [['no-host-namespaces', 'baseline'], ['no-unconfined-profiles', 'baseline'], ['no-host-ports', 'baseline'], ['no-service-account-token', null]],
    );
    const text = run(['--list-rules'], { cwd: dir }).stdout;
    assert.match(text, /^no-host-namespaces .* PSS baseline +A container shares the host's/m);
  });
});
