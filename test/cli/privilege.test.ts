/** CLI: the privilege rules with --fix on Compose and Kubernetes files, and --list-rules showing their PSS level. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOG_IDS } from '../../server/src/core/rule';
import { run, runJson, tmp } from './helpers';

const COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n    user: "101"\n    privileged: true\n    security_opt: ["no-new-privileges:false"]\n';
const COMPOSE_FIXED =
  'services:\n  web:\n    image: nginx:1.27\n    user: "101"\n    privileged: true\n    security_opt: ["no-new-privileges:true"]\n    cap_drop:\n      - ALL\n    cap_add:\n      - CHOWN\n      - SETUID\n      - SETGID\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginxinc/nginx-unprivileged:1.27\n      securityContext:\n        capabilities:\n          add: [NET_ADMIN]\n';
const POD_FIXED =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginxinc/nginx-unprivileged:1.27\n      securityContext:\n        capabilities:\n          add: [NET_ADMIN]\n          drop:\n            - ALL\n        allowPrivilegeEscalation: false\n';

const RULES = ['no-privileged', 'no-privilege-escalation', 'drop-capabilities', 'no-dangerous-capabilities'];
/** Every other rule off: only these rules' fixes change the files. */
const ONLY_THESE = `rules:\n${CATALOG_IDS.filter((id) => !RULES.includes(id)).map((id) => `  ${id}: off\n`).join('')}`;

describe('cli: privilege rules', () => {
  test('--fix applies the preferred fixes; privileged and NET_ADMIN stay reported at error', (t) => {
    const dir = tmp(t, { 'compose.yaml': COMPOSE, 'pod.yaml': POD, '.bulkhead.yaml': ONLY_THESE });
    const r = runJson(['--fix', '--format', 'json', '--fail-on', 'error'], { cwd: dir });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), COMPOSE_FIXED);
    assert.equal(fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8'), POD_FIXED);
    const left = r.json.files.flatMap((f) => f.findings.filter((x) => RULES.includes(x.rule)).map((x) => `${f.path}:${x.range.start.line} ${x.rule} ${x.severity}`));
    assert.deepEqual(left.sort(), ['compose.yaml:4 no-privileged error', 'pod.yaml:10 no-dangerous-capabilities error']);
  });

  test('a stack file: privileged is info (ignored by docker stack deploy), no no-new-privileges finding', (t) => {
    const dir = tmp(t, { 'docker-stack.yml': 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n    privileged: true\n    cap_drop: [ALL]\n' });
    const r = runJson(['--format', 'json', '--fail-on', 'never'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const mine = r.json.files[0].findings.filter((x) => RULES.includes(x.rule));
    assert.deepEqual(
      mine.map((x) => [x.rule, x.severity, x.message]),
      [['no-privileged', 'info', "Service 'web' sets privileged: true, which is ignored by docker stack deploy (the service does not run privileged); remove it"]],
    );
  });

  test('--list-rules shows the Pod Security Standards level', (t) => {
    const dir = tmp(t);
    const text = run(['--list-rules'], { cwd: dir });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^no-privileged\s.*PSS baseline\s/m);
    assert.match(text.stdout, /^drop-capabilities\s.*PSS restricted\s/m);
    const json = runJson<{ id: string; pss?: string }[]>(['--list-rules', '--format', 'json'], { cwd: dir });
    const pss = Object.fromEntries(json.json.filter((x) => RULES.includes(x.id)).map((x) => [x.id, x.pss]));
    assert.deepEqual(pss, { 'no-privileged': 'baseline', 'no-privilege-escalation': 'restricted', 'drop-capabilities': 'restricted', 'no-dangerous-capabilities': 'baseline' });
    assert.equal(json.json.find((x) => x.id === 'no-root-user')?.pss, undefined);
  });
});
